"""Events in the store: one row per event mention, mapped to and from ``records.Event``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import duckdb

from detente.records import ActorRef, Event
from detente.store.db import Store, insert_rows

_ACTOR_FIELDS = ("text", "code", "sector", "actor_id", "name", "role", "confidence")
_EVENT_FIELDS = (
    "event_id", "doc_id", "sentence_index", "sentence", "event_type", "mode", "context", "quad",
    "score", "cameo_root", "trigger",
)  # fmt: skip
_TAIL_FIELDS = (
    "date_precision", "modality", "quantity", "quantity_text", "confidence", "group_id",
    "response_cue", "canonical_id",
)  # fmt: skip
EVENT_COLUMNS: tuple[str, ...] = (
    *_EVENT_FIELDS,
    *(f"source_{name}" for name in _ACTOR_FIELDS),
    *(f"target_{name}" for name in _ACTOR_FIELDS),
    "event_date",
    *_TAIL_FIELDS,
)


# The real-world events behind the mentions, as ``load_counted_events`` and the relations SQL read
# them: ``e`` is the mention, ``c`` its canonical event (none before the stories stage has run).
COUNTED_EVENTS = """
    FROM events e LEFT JOIN canonical_events c ON c.canonical_id = e.canonical_id
    WHERE (e.canonical_id IS NULL OR c.canonical_id IS NULL OR e.event_id = c.representative_event_id)
"""
COUNTED_ORDER = "e.event_date NULLS LAST, e.doc_id, e.sentence_index, e.event_id"


def event_row(event: Event) -> list[Any]:
    target = event.target or ActorRef(text="")
    return [
        *(getattr(event, name) for name in _EVENT_FIELDS),
        *(getattr(event.source, name) for name in _ACTOR_FIELDS),
        *(getattr(target, name) if event.target else None for name in _ACTOR_FIELDS),
        event.date,
        *(getattr(event, name) for name in _TAIL_FIELDS),
    ]


def row_event(row: Sequence[Any]) -> Event:
    values = dict(zip(EVENT_COLUMNS, row, strict=True))
    source = ActorRef(**{name: values[f"source_{name}"] for name in _ACTOR_FIELDS})
    source.confidence = source.confidence or 0.0
    target = None
    if values["target_text"] is not None or values["target_code"] is not None:
        target = ActorRef(**{name: values[f"target_{name}"] for name in _ACTOR_FIELDS})
        target.confidence = target.confidence or 0.0
    return Event(
        **{name: values[name] for name in _EVENT_FIELDS if name != "context"},
        context=list(values["context"] or []),
        source=source,
        target=target,
        date=values["event_date"],
        **{name: values[name] for name in _TAIL_FIELDS},
    )


def replace_events(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str], events: Sequence[Event]) -> None:
    """Inside the caller's transaction: drop the events of ``doc_ids`` and insert ``events``."""
    ids = list(doc_ids)
    if ids:
        con.execute("DELETE FROM events WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    insert_rows(con, "events", EVENT_COLUMNS, [event_row(event) for event in events])


def load_events(store: Store, where: str = "", params: Sequence[Any] = ()) -> list[Event]:
    """Events matching an optional SQL ``where`` clause over the ``events`` columns."""
    sql = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
    if where:
        sql += f" WHERE {where}"
    sql += " ORDER BY event_date NULLS LAST, doc_id, sentence_index, event_id"
    with store.reader() as con:
        return [row_event(row) for row in con.execute(sql, list(params)).fetchall()]


def load_counted_events(store: Store, where: str = "", params: Sequence[Any] = ()) -> list[tuple[Event, int, int]]:
    """One row per real-world event: canonical representatives, or lone mentions not yet linked.

    Returns ``(event, num_articles, num_sources)``; before the stories stage has run every mention
    counts as its own event with one article and one source.
    """
    columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    sql = f"SELECT {columns}, coalesce(c.num_articles, 1), coalesce(c.num_sources, 1) {COUNTED_EVENTS}"
    if where:
        sql += f" AND ({where})"
    sql += f" ORDER BY {COUNTED_ORDER}"
    width = len(EVENT_COLUMNS)
    with store.reader() as con:
        rows = con.execute(sql, list(params)).fetchall()
    return [(row_event(row[:width]), int(row[width]), int(row[width + 1])) for row in rows]
