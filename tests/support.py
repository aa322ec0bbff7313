"""Shared test data: a small store of hand-built events between states."""

import json
from datetime import date

from detente.records import ActorRef, Article, Event
from detente.relations.index import Dyad, relation_series
from detente.relations.reciprocity import find_links
from detente.relations.stage import counted_events
from detente.store import Store
from detente.store.articles import upsert_articles
from detente.store.events import replace_events


def make_event(
    event_id, doc_id, day, source, target, event_type, score=0.0, quad=None, mode=None, cue=None,
    modality="asserted", precision="day",
):  # fmt: skip
    """An event ``source`` → ``target`` written by hand, as the extractor would store it."""
    return Event(
        event_id=event_id,
        doc_id=doc_id,
        sentence_index=0,
        sentence=f"{source} acted against {target} ({event_id}).",
        event_type=event_type,
        source=ActorRef(text=source, code=source, sector="GOV"),
        target=ActorRef(text=target, code=target, sector="GOV"),
        mode=mode,
        quad=quad,
        score=score,
        trigger="acted",
        date=day,
        date_precision=precision,
        modality=modality,
        response_cue=cue,
    )


def build_event_store(path) -> Store:
    store = Store(path)
    events = [
        make_event("e1", "d1", date(2021, 3, 2), "USA", "RUS", "SANCTION", -7.0, 4, "discontinue"),
        make_event("e2", "d2", date(2021, 4, 15), "USA", "RUS", "SANCTION", -5.5, 4, "expel"),
        make_event("e3", "d3", date(2021, 4, 16), "RUS", "USA", "SANCTION", -5.5, 4, "expel", cue="in response"),
        make_event("e4", "d4", date(2021, 5, 10), "RUS", "USA", "ACCUSE", -2.0, 3),
        make_event("e5", "d5", date(2021, 6, 16), "USA", "RUS", "CONSULT", 1.0, 1),
        make_event("e6", "d5", date(2021, 6, 16), "USA", "RUS", "AGREE", 3.0, 1),
        make_event("e7", "d6", date(2021, 7, 1), "USA", "RUS", "CONSULT", 1.0, 1),
        make_event("e8", "d6", date(2021, 7, 2), "USA", "RUS", "ASSAULT", -10.0, 4, modality="hypothetical"),
        make_event("e9", "d7", date(2021, 4, 17), "CZE", "RUS", "SANCTION", -5.5, 4, "expel"),
    ]
    upsert_articles(
        store,
        [
            Article(
                id=f"d{i}",
                text=f"Lead paragraph {i}.\n" + " ".join(e.sentence for e in events if e.doc_id == f"d{i}"),
                title=f"Headline {i}",
                source="Wire",
                language="en",
            )
            for i in range(1, 8)
        ],
    )
    with store.transaction() as con:
        replace_events(con, [], events)
    return store


def python_relations(store):
    """What the relations stage must store, computed in Python over all counted events at once.

    Returns ``(dyads, points, links)``: points as ``relation_points`` rows ordered by pair and month
    with the JSON columns parsed, links as a set of ``reciprocity_links`` rows.
    """
    events = counted_events(store)
    pairs = sorted(
        {
            tuple(sorted((counted.source_code, counted.target_code)))
            for counted in events
            if counted.source_code and counted.target_code and counted.source_code != counted.target_code
        }
    )
    points = []
    for actor_a, actor_b in pairs:
        dyad = Dyad(actor_a, actor_b, frozenset({actor_a}), frozenset({actor_b}))
        for point in relation_series(events, dyad, "month"):
            points.append(
                (
                    actor_a, actor_b, "month", point.period_start, point.n_events,
                    json.loads(json.dumps(point.counts)), json.loads(json.dumps(point.quad_counts)),
                    point.score_sum, point.score_mean, point.index, point.canonical_ids,
                )
            )  # fmt: skip
    links = {
        (link.action.event_id, link.response.event_id, link.cue, link.confidence, link.chain_id)
        for link in find_links(events)
    }
    return len(pairs), points, links


def stored_relations(store):
    """The relations stage's tables, in the shapes ``python_relations`` returns."""
    with store.reader() as con:
        rows = con.execute("SELECT * FROM relation_points ORDER BY actor_a, actor_b, period_start").fetchall()
        links = set(con.execute("SELECT * FROM reciprocity_links").fetchall())
    points = [(*row[:5], json.loads(row[5]), json.loads(row[6]), *row[7:]) for row in rows]
    return points, links
