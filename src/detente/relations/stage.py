"""The relations stage: materialise monthly readings of every dyad and all tit-for-tat links.

No step holds every event in Python: the monthly points are one SQL statement inside the store,
and tit-for-tat candidates stream out of it one unordered pair at a time. A link joins an action
X→Y to a response Y→X and a chain is a union of links, so linking pair by pair finds exactly the
links and chains that ``find_links`` finds over all events at once.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import Any

from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.relations.index import DECIMALS, DEFAULT_SHRINKAGE, EXCLUDED_MODALITIES, CountedEvent
from detente.relations.reciprocity import CONFLICT_QUADS, find_links
from detente.store import Store
from detente.store.db import insert_rows
from detente.store.events import load_counted_events
from detente.store.relations import conflict_candidates, count_conflict_pairs, count_dyads, insert_monthly_points


def counted_events(store: Store) -> list[CountedEvent]:
    """Canonical events with their article/source counts, as relations use them."""
    return [CountedEvent(event, articles, sources) for event, articles, sources in load_counted_events(store)]


def relations_stage(store: Store, options: RunOptions, reporter: Reporter) -> dict[str, Any]:
    with store.transaction() as con:
        dyads = count_dyads(con)
        link_rows: list[list[Any]] = []
        with reporter.task(
            "tit-for-tat links", total=count_conflict_pairs(con, EXCLUDED_MODALITIES, CONFLICT_QUADS)
        ) as task:
            candidates = conflict_candidates(con, EXCLUDED_MODALITIES, CONFLICT_QUADS)
            for _, pair_events in groupby(candidates, key=itemgetter(0)):
                for link in find_links(CountedEvent(event) for _, event in pair_events):
                    link_rows.append(
                        [link.action.event_id, link.response.event_id, link.cue, link.confidence, link.chain_id]
                    )
                task.advance()
        con.execute("DELETE FROM relation_points")
        con.execute("DELETE FROM reciprocity_links")
        with reporter.task("monthly relation points", total=1) as task:
            points = insert_monthly_points(con, DEFAULT_SHRINKAGE, EXCLUDED_MODALITIES, DECIMALS)
            task.advance()
        insert_rows(con, "reciprocity_links", None, link_rows)
    return {"dyads": dyads, "points": points, "reciprocity_links": len(link_rows)}
