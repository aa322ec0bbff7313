"""Stage bookkeeping: which documents a stage has already processed at which content."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from detente.store.db import Store, utcnow


def pending_documents(store: Store, stage: str, stage_version: str, language: str | None = None) -> list[str]:
    """Ids whose current text this stage (at this version) has not processed yet."""
    sql = """
        SELECT a.id FROM articles a
        LEFT JOIN stage_marks m ON m.doc_id = a.id AND m.stage = ?
        WHERE (m.doc_id IS NULL OR m.text_hash <> a.text_hash OR m.stage_version <> ?)
    """
    params: list[object] = [stage, stage_version]
    if language is not None:
        sql += " AND a.language = ?"
        params.append(language)
    with store.reader() as con:
        return [row[0] for row in con.execute(sql + " ORDER BY a.id", params).fetchall()]


def mark_done(con: duckdb.DuckDBPyConnection, stage: str, stage_version: str, doc_ids: Iterable[str]) -> None:
    """Record, inside the caller's transaction, that ``doc_ids`` went through ``stage``."""
    ids = list(doc_ids)
    if not ids:
        return
    con.execute("DELETE FROM stage_marks WHERE stage = ? AND doc_id IN (SELECT unnest(?::VARCHAR[]))", [stage, ids])
    con.execute(
        """
        INSERT INTO stage_marks
        SELECT ?, id, text_hash, ?, ? FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))
        """,
        [stage, stage_version, utcnow(), ids],
    )
