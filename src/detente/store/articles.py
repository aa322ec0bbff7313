"""Articles in the store: idempotent upserts with kept versions, and typed reads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from detente.records import Article
from detente.store.db import Store, utcnow


@dataclass(slots=True)
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


_ARTICLE_COLUMNS = "id, url, source, title, published, date_source, language, author, text, origin, metadata"


def upsert_articles(store: Store, articles: Sequence[Article]) -> UpsertCounts:
    """Write one batch atomically. Same id and same content: nothing happens. Same id, new content:
    the old text moves to ``article_versions`` and the stages that derive from it redo that id."""
    counts = UpsertCounts()
    if not articles:
        return counts
    now = utcnow()
    with store.transaction() as con:
        ids = [article.id for article in articles]
        existing = {
            row[0]: (row[1], row[2], row[3], row[4])
            for row in con.execute(
                "SELECT id, text_hash, version, title, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            ).fetchall()
        }
        seen: set[str] = set()
        for article in articles:
            if article.id in seen:
                counts.unchanged += 1
                continue
            seen.add(article.id)
            row = _row(article)
            previous = existing.get(article.id)
            if previous is None:
                con.execute(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}, text_hash, chars, version, ingested_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    [*row, article.text_hash, article.chars, now, now],
                )
                counts.inserted += 1
                continue
            old_hash, old_version, old_title, old_text = previous
            if old_hash == article.text_hash:
                counts.unchanged += 1
                continue
            con.execute(
                "INSERT INTO article_versions VALUES (?, ?, ?, ?, ?, ?)",
                [article.id, old_version, old_title, old_text, old_hash, now],
            )
            con.execute(
                "UPDATE articles SET url = ?, source = ?, title = ?, published = ?, date_source = ?, "
                "language = ?, author = ?, text = ?, origin = ?, metadata = ?, text_hash = ?, chars = ?, "
                "version = version + 1, updated_at = ? WHERE id = ?",
                [*row[1:], article.text_hash, article.chars, now, article.id],
            )
            con.execute("DELETE FROM stage_marks WHERE doc_id = ?", [article.id])
            counts.updated += 1
    return counts


def _row(article: Article) -> list[Any]:
    return [
        article.id,
        article.url,
        article.source,
        article.title,
        article.published,
        article.date_source,
        article.language,
        article.author,
        article.text,
        article.origin,
        json.dumps(article.metadata, ensure_ascii=False, default=str),
    ]


def _article(row: Sequence[Any]) -> Article:
    (id_, url, source, title, published, date_source, language, author, text, origin, metadata) = row
    return Article(
        id=id_,
        text=text,
        title=title,
        url=url,
        source=source,
        published=published,
        date_source=date_source,
        language=language,
        author=author,
        origin=origin or "",
        metadata=json.loads(metadata) if metadata else {},
    )


def iter_articles(
    store: Store,
    ids: Iterable[str] | None = None,
    language: str | None = None,
    batch_size: int = 500,
) -> Iterator[Article]:
    """Stream articles in id order, a batch at a time, without holding the file between batches."""
    wanted = sorted(set(ids)) if ids is not None else None
    last = ""
    while True:
        clauses = ["id > ?"]
        params: list[Any] = [last]
        if wanted is not None:
            clauses.append("id IN (SELECT unnest(?::VARCHAR[]))")
            params.append(wanted)
        if language is not None:
            clauses.append("language = ?")
            params.append(language)
        sql = (
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {' AND '.join(clauses)} ORDER BY id LIMIT {int(batch_size)}"
        )
        with store.reader() as con:
            rows = con.execute(sql, params).fetchall()
        if not rows:
            return
        for row in rows:
            yield _article(row)
        last = rows[-1][0]


def get_article(store: Store, article_id: str) -> Article | None:
    found = list(iter_articles(store, ids=[article_id]))
    return found[0] if found else None


def article_listing(store: Store, with_text: bool = False) -> list[dict[str, Any]]:
    """One record per article as ``detente articles`` shows it, with duplicate and story links."""
    text_column = ", a.text" if with_text else ""
    sql = f"""
        SELECT a.id, a.title, a.source, a.published, a.date_source, a.language, a.chars, a.url,
               d.duplicate_of, d.dup_kind, d.similarity, s.story_id{text_column}
        FROM articles a
        LEFT JOIN duplicates d ON d.doc_id = a.id
        LEFT JOIN story_articles s ON s.doc_id = a.id
        ORDER BY a.published NULLS LAST, a.id
    """
    with store.reader() as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count_articles(store: Store) -> dict[str, int]:
    with store.reader() as con:
        rows = con.execute("SELECT coalesce(language, 'und'), count(*) FROM articles GROUP BY 1").fetchall()
    return {language: count for language, count in rows}


def publication_dates(store: Store) -> dict[str, date | None]:
    with store.reader() as con:
        return dict(con.execute("SELECT id, published FROM articles").fetchall())
