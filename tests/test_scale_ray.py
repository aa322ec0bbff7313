"""The Ray runner on a local Ray instance gives the articles, events, duplicates, stories and relations
of a single-process run, with boilerplate learned across files and runs.

One Ray run for the module: the example corpus plus a written outlet that repeats a line. Two of
that outlet's articles are stored (ingest only) before the run, below the learning threshold; the
run adds more, so the line is learned during the run and stripped from the earlier ones as well.
"""

import json
import pickle
import shutil
from pathlib import Path

import duckdb
import pytest

from detente.dedup.settings import load_settings
from detente.dedup.signatures import describes, lead_text, load_features
from detente.dedup.stage import default_embedder
from detente.pipeline import STAGES, RunOptions, run_pipeline
from detente.progress import Reporter
from detente.store import Store
from detente.store.articles import iter_articles
from detente.store.events import load_events

ray = pytest.importorskip("ray")
CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
OUTLET = "harbor-ledger.example"
TEMPLATE_LINE = "The Harbor Ledger thanks its readers in every port."
EARLIER = [
    ("harbor-1", "2024-05-06", "Malta and Tunisia sign fisheries pact",
     "Malta and Tunisia signed a fisheries agreement in Valletta on Monday, ending a long quarrel over "
     "the tuna quota.\nBoth governments said patrol boats would share radio channels from June."),
    ("harbor-2", "2024-05-07", "Coast guard brings migrants ashore",
     "The Italian coast guard brought forty people ashore in Lampedusa on Tuesday after their boat "
     "lost power.\nOfficials said everyone on board was in good health."),
]  # fmt: skip
IN_RUN = [
    ("harbor-3", "2024-05-08", "Greece recalls envoy",
     "Greece recalled its ambassador from Turkey on Wednesday after a survey ship entered disputed "
     "waters.\nAthens said the envoy would stay home until the ship left."),
    ("harbor-4", "2024-05-09", "Cyprus hosts port talks",
     "Cyprus hosted talks with Lebanon in Larnaca on Thursday about a ferry link between the two "
     "ports.\nNo date was set for the first crossing."),
]  # fmt: skip


def _write_outlet(path: Path, articles: list[tuple[str, str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [
        {"id": doc_id, "source": OUTLET, "published": day, "title": title, "text": f"{text}\n{TEMPLATE_LINE}"}
        for doc_id, day, title, text in articles
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from detente.scale.ray_runner import run_with_ray

    root = tmp_path_factory.mktemp("ray")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus / "examples")
    for number, article in enumerate(IN_RUN):  # one file each: counted by different Ray tasks
        _write_outlet(corpus / f"harbor-{number}.jsonl", [article])
    _write_outlet(root / "earlier" / "harbor.jsonl", EARLIER)
    ingest_only = [stage for stage in STAGES if stage[0] == "ingest"]
    stores = {}
    for name in ("local", "ray"):
        stores[name] = Store(root / f"{name}.duckdb")
        run_pipeline([str(root / "earlier")], stores[name], RunOptions(workers=1), Reporter(quiet=True), ingest_only)
    run_pipeline([str(corpus)], stores["local"], RunOptions(workers=1), Reporter(quiet=True))
    embedded: list[str] = []
    embed = default_embedder(load_settings())

    def recording_embedder(texts):
        embedded.extend(texts)
        return embed(texts)

    extra = {"parquet_dir": str(root / "shards"), "dedup_embedder": recording_embedder}
    try:
        summaries = run_with_ray([str(corpus)], stores["ray"], RunOptions(workers=2, extra=extra), Reporter(quiet=True))
    finally:
        ray.shutdown()
    return stores["local"], stores["ray"], summaries, root / "shards", embedded


def _articles(store: Store) -> dict[str, tuple]:
    return {
        article.id: (article.title, article.source, article.published, article.language, article.text)
        for article in iter_articles(store)
    }


def _events(store: Store) -> list[tuple]:
    return sorted(
        (e.doc_id, e.sentence_index, e.event_type, e.mode, e.source.code, e.target.code if e.target else None,
         e.date, e.modality, e.quantity, e.canonical_id)
        for e in load_events(store)
    )  # fmt: skip


def _rows(store: Store, sql: str) -> list[tuple]:
    with store.reader() as con:
        return con.execute(sql).fetchall()


def _stories(store: Store) -> set[frozenset[str]]:
    rows = _rows(store, "SELECT list(doc_id) FROM story_articles GROUP BY story_id")
    return {frozenset(row[0]) for row in rows}


def test_ray_writes_shards_and_counts(runs):
    _, _, summaries, shards, _ = runs
    assert list((shards / "lines").glob("*.parquet")) and list((shards / "articles").glob("*.parquet"))
    assert summaries["ray"]["ingested"] > 0 and summaries["ray"]["events"] > 0
    assert summaries["ray"]["recleaned"] == len(EARLIER)


def test_articles_and_events_equal_single_process_run(runs):
    local, distributed, *_ = runs
    assert _articles(distributed) == _articles(local)
    assert _events(distributed) == _events(local)


def test_duplicates_stories_and_relations_equal_single_process_run(runs):
    local, distributed, *_ = runs
    duplicates = "SELECT doc_id, duplicate_of, dup_kind FROM duplicates ORDER BY ALL"
    assert _rows(distributed, duplicates) == _rows(local, duplicates)
    assert _rows(local, duplicates)
    assert _stories(distributed) == _stories(local)
    relations = (
        "SELECT actor_a, actor_b, period_start, n_events, round(index_value, 6) FROM relation_points ORDER BY ALL"
    )
    assert _rows(distributed, relations) == _rows(local, relations)
    assert _rows(local, relations)


def test_driver_embeds_only_articles_changed_after_the_workers_saw_them(runs):
    _, distributed, _, _, embedded_in_driver = runs
    recleaned = [article for article in iter_articles(distributed) if article.id in {"harbor-1", "harbor-2"}]
    leads = [lead_text(article, load_settings().embedding.lead_words) for article in recleaned]
    assert sorted(embedded_in_driver) == sorted(leads)


def test_workers_features_match_the_stored_articles(runs):
    local, distributed, *_ = runs
    articles = {article.id: article for article in iter_articles(distributed)}
    stored = load_features(distributed, articles)
    assert set(stored) == set(articles)
    assert all(describes(feature, articles[doc_id]) for doc_id, feature in stored.items())
    expected = load_features(local, articles)
    for doc_id, feature in stored.items():
        assert feature.actors == expected[doc_id].actors, doc_id
        assert (feature.minhash == expected[doc_id].minhash).all()


def test_line_repeated_across_the_outlet_is_stripped_from_every_article(runs):
    local, distributed, *_ = runs
    for store in (local, distributed):
        outlet = [article for article in iter_articles(store) if article.source == OUTLET]
        assert sorted(article.id for article in outlet) == ["harbor-1", "harbor-2", "harbor-3", "harbor-4"]
        assert all(TEMPLATE_LINE not in article.text and article.text for article in outlet)


def test_shard_features_are_looked_up_from_one_scratch_index_removed_afterwards(runs):
    from detente.scale.ray_runner import ARTICLES_DIR, ShardFeatures

    _, distributed, _, shards, _ = runs
    assert not (shards / "features.duckdb").exists()
    articles = list(iter_articles(distributed))
    with ShardFeatures(shards / ARTICLES_DIR) as features:
        assert (shards / "features.duckdb").exists()
        found = features(articles)
        # the dedup stage's worker processes get the source pickled
        unpickled = pickle.loads(pickle.dumps(features))(articles)
        assert {doc: feature.text_hash for doc, feature in unpickled.items()} == {
            doc: feature.text_hash for doc, feature in found.items()
        }
    in_shards = {
        row[0]
        for row in duckdb.sql(
            f"SELECT id FROM read_parquet('{(shards / ARTICLES_DIR).as_posix()}/*.parquet') WHERE dedup IS NOT NULL"
        ).fetchall()
    }
    assert set(found) == in_shards & {article.id for article in articles} and len(found) > 40
    assert not (shards / "features.duckdb").exists()
    with ShardFeatures(shards / "no-such-folder") as features:
        assert features(articles) == {}
