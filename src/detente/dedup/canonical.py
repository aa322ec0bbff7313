"""Canonical events: the mentions of one real-world event across copies and across a story.

Within a story, mentions with the same source, target, category and date are one event. A mention
dated only by its article's publication joins a dated mention of the same event up to
``publication_lag_days`` earlier (news reports what happened in the last days), else stands alone.
The canonical id hashes the story, the actors, the category and the date, so re-running gives the
same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import duckdb

from detente.records import CanonicalEvent, Event
from detente.store import Store
from detente.store.db import insert_rows
from detente.store.events import EVENT_COLUMNS, row_event

_DATED = ("day", "month", "year")


def _actor_key(code: str | None, text: str | None) -> str:
    return code or f"text:{(text or '').casefold()}"


def _event_key(story_id: str, event: Event) -> tuple[str, str, str, str]:
    target = event.target
    return (
        story_id,
        _actor_key(event.source.code, event.source.text),
        _actor_key(target.code, target.text) if target else "",
        event.event_type,
    )


def group_mentions(
    events: Sequence[Event],
    story_of: Mapping[str, str],
    source_of: Mapping[str, str | None],
    published_of: Mapping[str, date | None],
    publication_lag_days: int,
) -> list[CanonicalEvent]:
    """One canonical event per set of mentions that report the same event within a story."""
    by_key: dict[tuple[str, str, str, str], list[Event]] = {}
    for event in events:
        by_key.setdefault(_event_key(story_of.get(event.doc_id, event.doc_id), event), []).append(event)
    lag = timedelta(days=publication_lag_days)
    result = []
    for key, mentions in sorted(by_key.items()):
        clusters: dict[date | None, list[Event]] = {}
        undated = []
        for event in mentions:
            if event.date and event.date_precision in _DATED:
                clusters.setdefault(event.date, []).append(event)
            else:
                undated.append(event)
        for event in undated:
            day = event.date or published_of.get(event.doc_id)
            dated = [known for known in clusters if known and day and day - lag <= known <= day]
            clusters.setdefault(max(dated) if dated else day, []).append(event)
        for day, members in sorted(clusters.items(), key=lambda item: item[0] or date.max):
            result.append(_canonical(key, day, members, source_of, published_of))
    return result


def _canonical(
    key: tuple[str, ...],
    day: date | None,
    members: list[Event],
    source_of: Mapping[str, str | None],
    published_of: Mapping[str, date | None],
) -> CanonicalEvent:
    def earliest(event: Event) -> tuple[bool, date, float, str]:
        published = published_of.get(event.doc_id) or date.max
        return (event.date_precision not in _DATED, published, -event.confidence, event.event_id)

    representative = min(members, key=earliest)
    doc_ids = sorted({event.doc_id for event in members})
    sources = {source_of.get(doc_id) or doc_id for doc_id in doc_ids}
    digest = hashlib.sha1("|".join([*key, str(day)]).encode("utf-8")).hexdigest()[:16]
    return CanonicalEvent(
        canonical_id=f"ce-{digest}",
        event=representative,
        num_articles=len(doc_ids),
        num_sources=len(sources),
        doc_ids=doc_ids,
        mention_ids=sorted(event.event_id for event in members),
    )


def refresh_canonical(con: duckdb.DuckDBPyConnection, story_ids: Iterable[str], publication_lag_days: int) -> int:
    """Inside the caller's transaction: recompute the canonical events of ``story_ids``; returns how many."""
    ids = sorted(set(story_ids))
    if not ids:
        return 0
    columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    rows = con.execute(
        f"""
        SELECT {columns}, sa.story_id, a.source, a.published
        FROM story_articles sa JOIN events e ON e.doc_id = sa.doc_id JOIN articles a ON a.id = sa.doc_id
        WHERE sa.story_id IN (SELECT unnest(?::VARCHAR[]))
        """,
        [ids],
    ).fetchall()
    width = len(EVENT_COLUMNS)
    events = [row_event(row[:width]) for row in rows]
    story_of = {row[1]: row[width] for row in rows}
    source_of = {row[1]: row[width + 1] for row in rows}
    published_of = {row[1]: row[width + 2] for row in rows}
    canonical = group_mentions(events, story_of, source_of, published_of, publication_lag_days)
    mention_ids = [event.event_id for event in events]
    con.execute(
        "DELETE FROM canonical_events WHERE canonical_id IN (SELECT canonical_id FROM events "
        "WHERE event_id IN (SELECT unnest(?::VARCHAR[])) AND canonical_id IS NOT NULL)",
        [mention_ids],
    )
    if canonical:
        rows = {
            item.canonical_id: (
                item.canonical_id,
                item.event.event_id,
                item.event.event_type,
                item.event.source.code,
                item.event.target.code if item.event.target else None,
                item.event.date,
                item.num_articles,
                item.num_sources,
                item.doc_ids,
                item.mention_ids,
            )
            for item in canonical
        }
        con.execute("DELETE FROM canonical_events WHERE canonical_id IN (SELECT unnest(?::VARCHAR[]))", [list(rows)])
        insert_rows(con, "canonical_events", None, list(rows.values()))
        pairs = [(mention, item.canonical_id) for item in canonical for mention in item.mention_ids]
        con.execute(
            "UPDATE events SET canonical_id = m.canonical_id FROM "
            "(SELECT unnest(?::VARCHAR[]) AS event_id, unnest(?::VARCHAR[]) AS canonical_id) m "
            "WHERE events.event_id = m.event_id",
            [[mention for mention, _ in pairs], [cid for _, cid in pairs]],
        )
    return len(canonical)


def load_canonical_events(store: Store) -> list[CanonicalEvent]:
    """Every canonical event with its representative mention, in date order."""
    columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    with store.reader() as con:
        rows = con.execute(
            f"""
            SELECT {columns}, c.canonical_id, c.num_articles, c.num_sources, c.doc_ids, c.mention_ids
            FROM canonical_events c JOIN events e ON e.event_id = c.representative_event_id
            ORDER BY c.event_date NULLS LAST, c.canonical_id
            """
        ).fetchall()
    width = len(EVENT_COLUMNS)
    return [
        CanonicalEvent(
            canonical_id=row[width],
            event=row_event(row[:width]),
            num_articles=row[width + 1],
            num_sources=row[width + 2],
            doc_ids=list(row[width + 3]),
            mention_ids=list(row[width + 4]),
        )
        for row in rows
    ]
