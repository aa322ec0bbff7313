"""Per-source line counts in the store (table ``source_lines``) for learned boilerplate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import duckdb

from detente.clean.learned import line_key
from detente.clean.patterns import LearnedSettings
from detente.records import normalise_text
from detente.store.db import insert_rows


@dataclass(frozen=True, slots=True)
class ArticleLines:
    """The candidate line keys of one article of a known source."""

    doc_id: str
    source: str
    doc_hash: int  # equal for exact copies, which must count once
    keys: frozenset[int]


def article_lines(doc_id: str, source: str, lines: Sequence[str], keys: Iterable[int]) -> ArticleLines:
    return ArticleLines(doc_id, source, line_key(normalise_text("\n".join(lines))), frozenset(keys))


def _counts(con: duckdb.DuckDBPyConnection, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    if not pairs:
        return {}
    sources = [source for source, _ in pairs]
    keys = [key for _, key in pairs]
    rows = con.execute(
        """
        SELECT l.source, l.line_key, count(DISTINCT l.doc_hash)
        FROM source_lines l
        JOIN (SELECT unnest(?::VARCHAR[]) AS source, unnest(?::BIGINT[]) AS line_key) p
          ON p.source = l.source AND p.line_key = l.line_key
        GROUP BY l.source, l.line_key
        """,
        [sources, keys],
    ).fetchall()
    return {(source, key): count for source, key, count in rows}


def record_lines(
    con: duckdb.DuckDBPyConnection, batch: Sequence[ArticleLines]
) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], int]]:
    """Replace the batch's rows (inside the caller's transaction); the counts of the batch's
    (source, key) pairs before and after."""
    latest = {item.doc_id: item for item in batch}
    pairs = {(item.source, key) for item in latest.values() for key in item.keys}
    before = _counts(con, pairs)
    con.execute("DELETE FROM source_lines WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [list(latest)])
    rows = [(item.source, key, item.doc_id, item.doc_hash) for item in latest.values() for key in item.keys]
    insert_rows(con, "source_lines", ("source", "line_key", "doc_id", "doc_hash"), rows)
    return before, _counts(con, pairs)


def source_articles(con: duckdb.DuckDBPyConnection, sources: Iterable[str]) -> dict[str, int]:
    """Per source, its distinct articles (exact copies once) that have any candidate line."""
    rows = con.execute(
        "SELECT source, count(DISTINCT doc_hash) FROM source_lines WHERE source IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY source",
        [sorted(set(sources))],
    ).fetchall()
    return {source: count for source, count in rows}


def documents_with_lines(con: duckdb.DuckDBPyConnection, keys_by_source: Mapping[str, set[int]]) -> set[str]:
    """Ids of the articles that contain any of these lines of their source."""
    found: set[str] = set()
    for source, keys in keys_by_source.items():
        rows = con.execute(
            "SELECT DISTINCT doc_id FROM source_lines WHERE source = ? AND line_key IN (SELECT unnest(?::BIGINT[]))",
            [source, sorted(keys)],
        ).fetchall()
        found.update(row[0] for row in rows)
    return found


def learned_keys(
    con: duckdb.DuckDBPyConnection, sources: Iterable[str], settings: LearnedSettings
) -> dict[str, set[int]]:
    """Every learned line key of these sources."""
    wanted = sorted(set(sources))
    totals = source_articles(con, wanted)
    rows = con.execute(
        """
        SELECT source, line_key, count(DISTINCT doc_hash) FROM source_lines
        WHERE source IN (SELECT unnest(?::VARCHAR[])) GROUP BY source, line_key HAVING count(DISTINCT doc_hash) >= ?
        """,
        [wanted, settings.min_articles],
    ).fetchall()
    learned: dict[str, set[int]] = {}
    for source, key, articles in rows:
        if settings.is_learned(articles, totals.get(source, 0)):
            learned.setdefault(source, set()).add(key)
    return learned
