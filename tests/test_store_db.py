import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

import detente.store
from detente.errors import DatabaseInUse, DetenteError
from detente.records import Article
from detente.store import Store
from detente.store.articles import article_listing, get_article, iter_articles, upsert_articles
from detente.store.db import insert_rows
from detente.store.marks import mark_done, pending_documents


def _article(article_id: str, text: str, **fields) -> Article:
    return Article(id=article_id, text=text, title=f"Title {article_id}", language="en", **fields)


def test_migrations_apply_once_and_record_version(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    upsert_articles(store, [_article("a", "Some text.")])
    first = store.schema_version()
    assert first >= 1
    upsert_articles(store, [_article("b", "Other text.")])
    assert store.schema_version() == first
    with store.reader() as con:
        applied = con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    shipped = len(list((Path(detente.store.__file__).parent / "migrations").glob("[0-9][0-9][0-9]_*.sql")))
    assert applied == shipped
    assert first == max(int(f.name[:3]) for f in (Path(detente.store.__file__).parent / "migrations").glob("*.sql"))


def test_reader_on_missing_database_reads_empty(tmp_path):
    store = Store(tmp_path / "missing.duckdb")
    assert article_listing(store) == []
    assert not (tmp_path / "missing.duckdb").exists()


def test_upsert_is_idempotent_and_keeps_old_versions(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    counts = upsert_articles(store, [_article("a", "Moscow expelled ten diplomats."), _article("b", "Talks.")])
    assert (counts.inserted, counts.updated, counts.unchanged) == (2, 0, 0)
    again = upsert_articles(store, [_article("a", "Moscow  expelled ten diplomats."), _article("b", "Talks.")])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)  # whitespace-only change
    changed = upsert_articles(store, [_article("a", "Moscow expelled twenty diplomats.")])
    assert changed.updated == 1
    assert get_article(store, "a").text == "Moscow expelled twenty diplomats."
    with store.reader() as con:
        old = con.execute("SELECT version, text FROM article_versions WHERE id = 'a'").fetchall()
        version = con.execute("SELECT version FROM articles WHERE id = 'a'").fetchone()[0]
    assert old == [(1, "Moscow expelled ten diplomats.")]
    assert version == 2


def test_transaction_rolls_back_whole_batch(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    upsert_articles(store, [_article("a", "Kept.")])
    with pytest.raises(RuntimeError), store.transaction() as con:
        con.execute("DELETE FROM articles")
        raise RuntimeError("boom")
    assert [article.id for article in iter_articles(store)] == ["a"]


def _row_group_sizes(store: Store, table: str) -> list[int]:
    with store.reader() as con:
        rows = con.execute(
            f"SELECT max(count) FROM pragma_storage_info('{table}') WHERE column_id = 0 "
            "GROUP BY row_group_id ORDER BY row_group_id"
        ).fetchall()
    return [row[0] for row in rows]


def test_commits_merge_row_groups_only_up_to_the_stores_size(tmp_path, monkeypatch):
    # DuckDB merges the small row group each commit appends with its neighbours, doubling up to
    # 122,880 rows, so one commit could rewrite a whole table; the store caps the merging
    monkeypatch.setattr(detente.store.db, "ROW_GROUP_ROWS", 2048)
    store = Store(tmp_path / "a.duckdb")
    for batch in range(6):
        with store.transaction() as con:
            marks = [("events", f"d{batch}-{n}", "h", "v1", datetime(2026, 1, 1)) for n in range(1000)]
            insert_rows(con, "stage_marks", None, marks)
    sizes = _row_group_sizes(store, "stage_marks")
    assert sum(sizes) == 6000 and max(sizes) <= 2048 and len(sizes) >= 3
    with store.transaction() as con:
        con.execute("DELETE FROM stage_marks WHERE doc_id LIKE 'd0-%' OR doc_id LIKE 'd1-%'")
    assert sum(_row_group_sizes(store, "stage_marks")) == 4000  # deleted rows are vacuumed
    plain = duckdb.connect(str(store.path))  # without the cap, the next commit merges them all
    plain.execute("INSERT INTO stage_marks VALUES ('events', 'x', 'h', 'v1', now())")
    plain.close()
    assert _row_group_sizes(store, "stage_marks") == [4001]


def test_stage_marks_track_content(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    upsert_articles(store, [_article("a", "One."), _article("b", "Two.", published=date(2021, 4, 15))])
    assert pending_documents(store, "events", "1") == ["a", "b"]
    with store.transaction() as con:
        mark_done(con, "events", "1", ["a", "b"])
    assert pending_documents(store, "events", "1") == []
    assert pending_documents(store, "events", "2") == ["a", "b"]  # a new stage version redoes all
    upsert_articles(store, [_article("b", "Two, changed.")])
    assert pending_documents(store, "events", "1") == ["b"]


def test_iter_articles_streams_in_batches(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    upsert_articles(store, [_article(f"d{i:03d}", f"Text {i}.") for i in range(25)])
    ids = [article.id for article in iter_articles(store, batch_size=7)]
    assert ids == [f"d{i:03d}" for i in range(25)]
    assert [a.id for a in iter_articles(store, ids=["d003", "d010"], batch_size=1)] == ["d003", "d010"]


def test_second_writer_gets_database_in_use(tmp_path):
    db = tmp_path / "a.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from detente.store import Store
                with Store({str(db)!r}).writer():
                    print("locked", flush=True)
                    sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseInUse, match="database in use"), Store(db).writer():
            pass
    finally:
        holder.communicate("go\n", timeout=30)
    with Store(db).writer():
        pass  # free again once the first writer is gone


def test_connection_busy_timeout_says_database_in_use(tmp_path):
    db = tmp_path / "a.duckdb"
    upsert_articles(Store(db), [_article("a", "x")])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('open', flush=True); sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse, match="database in use"):
            upsert_articles(Store(db, busy_timeout=0.3), [_article("b", "y")])
    finally:
        holder.communicate("go\n", timeout=30)


def test_insert_rows_keeps_every_column_type_and_null(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    rows = [
        ("a", ["x", "y"], b"\x00\xff", date(2024, 2, 29), datetime(2024, 3, 1, 12, 30), 2**62, 0.5, '{"k": 1}'),
        ("b", [], None, None, None, None, None, None),
        ("c", None, b"", date(1999, 1, 1), datetime(2000, 1, 1), -1, -2.25, "[]"),
    ]
    with store.transaction() as con:
        con.execute(
            "CREATE TABLE sample (name VARCHAR, tags VARCHAR[], raw BLOB, day DATE, seen TIMESTAMP, n BIGINT, "
            "x DOUBLE, doc JSON)"
        )
        insert_rows(con, "sample", None, rows)
        insert_rows(con, "sample", ("n", "name"), [(7, "d")])
    with store.reader() as con:
        stored = con.execute("SELECT * EXCLUDE (doc), doc::VARCHAR FROM sample ORDER BY name").fetchall()
    assert stored == [*rows, ("d", None, None, None, None, 7, None, None)]


def test_insert_rows_names_an_unknown_table(tmp_path):
    with pytest.raises(DetenteError, match="nosuch: no such table"), Store(tmp_path / "a.duckdb").transaction() as con:
        insert_rows(con, "nosuch", None, [("x",)])
