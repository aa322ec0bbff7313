"""The relations stage: materialise monthly readings of every dyad and all tit-for-tat links."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.records import RelationPoint
from detente.relations.index import CountedEvent, Dyad, dyad_events, relation_series
from detente.relations.reciprocity import find_links
from detente.store import Store
from detente.store.db import insert_rows
from detente.store.events import load_counted_events

MATERIALISED_FREQ = "month"


def counted_events(store: Store) -> list[CountedEvent]:
    """Canonical events with their article/source counts, as relations use them."""
    return [CountedEvent(event, articles, sources) for event, articles, sources in load_counted_events(store)]


def unordered_pairs(events: list[CountedEvent]) -> list[tuple[str, str]]:
    pairs = {
        tuple(sorted((counted.source_code, counted.target_code)))
        for counted in events
        if counted.source_code and counted.target_code and counted.source_code != counted.target_code
    }
    return sorted(pairs)  # type: ignore[arg-type]


def _point_row(actor_a: str, actor_b: str, point: RelationPoint) -> list[Any]:
    return [
        actor_a,
        actor_b,
        MATERIALISED_FREQ,
        point.period_start,
        point.n_events,
        json.dumps(point.counts),
        json.dumps(point.quad_counts),
        point.score_sum,
        point.score_mean,
        point.index,
        point.canonical_ids,
    ]


def relations_stage(store: Store, options: RunOptions, reporter: Reporter) -> dict[str, Any]:
    events = counted_events(store)
    pairs = unordered_pairs(events)
    by_pair: dict[tuple[str, str], list[CountedEvent]] = defaultdict(list)
    for counted in events:
        if counted.source_code and counted.target_code:
            by_pair[tuple(sorted((counted.source_code, counted.target_code)))].append(counted)  # type: ignore[index]
    rows = []
    with reporter.task("relations", total=len(pairs)) as task:
        for actor_a, actor_b in pairs:
            dyad = Dyad(actor_a, actor_b, frozenset({actor_a}), frozenset({actor_b}))
            for point in relation_series(dyad_events(by_pair[(actor_a, actor_b)], dyad), dyad, MATERIALISED_FREQ):
                rows.append(_point_row(actor_a, actor_b, point))
            task.advance()
    links = find_links(events)
    with store.transaction() as con:
        con.execute("DELETE FROM relation_points")
        con.execute("DELETE FROM reciprocity_links")
        insert_rows(con, "relation_points", None, rows)
        link_rows = [
            [link.action.event_id, link.response.event_id, link.cue, link.confidence, link.chain_id] for link in links
        ]
        insert_rows(con, "reciprocity_links", None, link_rows)
    return {"dyads": len(pairs), "points": len(rows), "reciprocity_links": len(links)}
