"""The relations stage's reads and writes, in SQL so that no step holds every event in Python.

Monthly relation points are one ``INSERT … SELECT`` whose working set is DuckDB's (it can spill);
tit-for-tat candidates stream out ordered by unordered pair, so a caller holds one pair's at a time.
Both read the events ``load_counted_events`` returns and reproduce ``relations.index`` exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Set

import duckdb

from detente.records import ActorRef, Event
from detente.store.events import COUNTED_EVENTS, COUNTED_ORDER

_PAIR = "least(e.source_code, e.target_code) AS actor_a, greatest(e.source_code, e.target_code) AS actor_b"
# Python reads an empty code as no actor, and an event from an actor to itself as outside any dyad.
_IN_A_PAIR = "e.source_code <> '' AND e.target_code <> '' AND e.source_code <> e.target_code"
# `NOT list_contains` alone would drop a NULL modality, which Python keeps (None is not excluded).
_ELIGIBLE = "e.event_date IS NOT NULL AND (e.modality IS NULL OR NOT list_contains($excluded, e.modality))"
_CONFLICT = "(list_contains($conflict_quads, e.quad) OR e.score < 0)"  # reciprocity._is_conflict
_CANDIDATES = f"{COUNTED_EVENTS} AND {_IN_A_PAIR} AND {_ELIGIBLE} AND {_CONFLICT}"

_MONTHLY_POINTS = f"""
INSERT INTO relation_points (
    actor_a, actor_b, freq, period_start, n_events, counts, quad_counts,
    score_sum, score_mean, index_value, canonical_ids
)
WITH counted AS (
    SELECT {_PAIR},
           date_trunc('month', e.event_date)::DATE AS period_start,
           e.event_type,
           e.quad,
           greatest(coalesce(c.num_sources, 1), 1)::DOUBLE AS weight,
           e.score,
           coalesce(e.canonical_id, e.event_id) AS canonical_id,
           row_number() OVER (ORDER BY {COUNTED_ORDER}) AS position
    {COUNTED_EVENTS} AND {_IN_A_PAIR} AND {_ELIGIBLE}
),
sums AS (
    -- Scores are multiples of 0.5 and weights whole, so these sums are exact in any order and
    -- equal Python's left-to-right sum bit for bit.
    SELECT actor_a, actor_b, period_start,
           count(*) AS n_events,
           sum(weight * score) AS score_sum,
           sum(weight) AS weight_sum,
           list(canonical_id ORDER BY position) AS canonical_ids
    FROM counted
    GROUP BY actor_a, actor_b, period_start
),
readings AS (
    SELECT actor_a, actor_b, period_start, n_events, canonical_ids,
           python_round(score_sum, $decimals) AS score_sum,
           python_round(score_sum / weight_sum, $decimals) AS score_mean,
           python_round(greatest(-1.0, least(1.0, score_sum / (10 * (weight_sum + $shrinkage)))), $decimals)
               AS index_value
    FROM sums
),
-- Built with json.dumps' separators and sorted keys, so the stored text is what Python wrote.
category_counts AS (
    SELECT actor_a, actor_b, period_start,
           '{{' || string_agg(to_json(event_type) || ': ' || n, ', ' ORDER BY event_type) || '}}' AS counts
    FROM (SELECT actor_a, actor_b, period_start, event_type, count(*) AS n FROM counted GROUP BY ALL)
    GROUP BY actor_a, actor_b, period_start
),
quad_counts AS (
    SELECT actor_a, actor_b, period_start,
           '{{' || string_agg(to_json(quad::VARCHAR) || ': ' || n, ', ' ORDER BY quad) || '}}' AS quad_counts
    FROM (SELECT actor_a, actor_b, period_start, quad, count(*) AS n FROM counted GROUP BY ALL)
    GROUP BY actor_a, actor_b, period_start
),
months AS (
    -- every month from a pair's first to its last, the quiet ones included
    SELECT actor_a, actor_b, unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH))::DATE AS period_start
    FROM (
        SELECT actor_a, actor_b, min(period_start) AS first_month, max(period_start) AS last_month
        FROM sums
        GROUP BY actor_a, actor_b
    )
)
SELECT m.actor_a, m.actor_b, 'month', m.period_start,
       coalesce(r.n_events, 0),
       coalesce(k.counts, '{{}}'),
       coalesce(q.quad_counts, '{{}}'),
       coalesce(r.score_sum, 0.0),
       coalesce(r.score_mean, 0.0),
       coalesce(r.index_value, 0.0),
       coalesce(r.canonical_ids, [])
FROM months m
LEFT JOIN readings r USING (actor_a, actor_b, period_start)
LEFT JOIN category_counts k USING (actor_a, actor_b, period_start)
LEFT JOIN quad_counts q USING (actor_a, actor_b, period_start)
"""


def count_dyads(con: duckdb.DuckDBPyConnection) -> int:
    """Unordered actor pairs with any counted event, also those whose events are all undated or
    excluded (they get no points)."""
    row = con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {_PAIR} {COUNTED_EVENTS} AND {_IN_A_PAIR})").fetchone()
    return int(row[0]) if row else 0


def _python_round(value: float, decimals: int) -> float:
    return round(value, decimals)


def insert_monthly_points(
    con: duckdb.DuckDBPyConnection, shrinkage: float, excluded_modalities: Set[str], decimals: int
) -> int:
    """Insert the monthly points of every unordered pair (``relation_series``' rows); returns their number."""
    # DuckDB's round scales by 10^n and rounds half away from zero (0.0078125 → 0.007813); Python
    # rounds the exact binary value half to even (→ 0.007812), and the stored values must be Python's.
    con.create_function("python_round", _python_round, ["DOUBLE", "INTEGER"], "DOUBLE")
    row = con.execute(
        _MONTHLY_POINTS,
        {"excluded": sorted(excluded_modalities), "shrinkage": shrinkage, "decimals": decimals},
    ).fetchone()
    # Not in a `finally`: after a failed statement the transaction is aborted and refuses this too,
    # hiding the error; the function then goes with the connection.
    con.remove_function("python_round")
    return int(row[0]) if row else 0


def count_conflict_pairs(
    con: duckdb.DuckDBPyConnection, excluded_modalities: Set[str], conflict_quads: Set[int]
) -> int:
    """Unordered pairs that ``conflict_candidates`` yields events of."""
    row = con.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT {_PAIR} {_CANDIDATES})",
        {"excluded": sorted(excluded_modalities), "conflict_quads": sorted(conflict_quads)},
    ).fetchone()
    return int(row[0]) if row else 0


# The event columns, besides actors and date, that tit-for-tat linking reads (same names in `Event`).
_LINKED_FIELDS = (
    "event_id", "doc_id", "sentence_index", "event_type", "mode", "quad", "score", "modality",
    "response_cue", "canonical_id",
)  # fmt: skip


def conflict_candidates(
    con: duckdb.DuckDBPyConnection,
    excluded_modalities: Set[str],
    conflict_quads: Set[int],
    batch_rows: int = 10_000,
) -> Iterator[tuple[tuple[str, str], Event]]:
    """The tit-for-tat candidates of ``find_links``, grouped by unordered pair, read ``batch_rows`` at a time.

    Within a pair they come in ``load_counted_events``' order, which ``find_links``' stable sort
    breaks its ties by. The events carry only what linking reads: no sentence, actor names or
    context. The caller must drain the iterator before running anything else on ``con``.
    """
    result = con.execute(
        f"""
        SELECT {_PAIR}, e.source_code, e.target_code, e.event_date, {", ".join(f"e.{name}" for name in _LINKED_FIELDS)}
        {_CANDIDATES}
        ORDER BY actor_a, actor_b, {COUNTED_ORDER}
        """,
        {"excluded": sorted(excluded_modalities), "conflict_quads": sorted(conflict_quads)},
    )
    while rows := result.fetchmany(batch_rows):
        for actor_a, actor_b, source_code, target_code, event_date, *values in rows:
            event = Event(
                sentence="",
                source=ActorRef(text="", code=source_code),
                target=ActorRef(text="", code=target_code),
                date=event_date,
                **dict(zip(_LINKED_FIELDS, values, strict=True)),
            )
            yield (actor_a, actor_b), event
