"""Everything detente says about one dyad: the index series, trend, turning points, tit-for-tat."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from detente.records import ReciprocityLink, RelationPoint
from detente.relations.index import (
    DEFAULT_SHRINKAGE,
    CountedEvent,
    Dyad,
    dyad_events,
    eligible,
    index_value,
    relation_series,
)
from detente.relations.reciprocity import DEFAULT_WINDOW_DAYS, find_links
from detente.relations.trend import DEFAULT_PENALTY_SCALE, Trend, TurningPoint, trend, turning_points


@dataclass(slots=True)
class DyadAnalysis:
    dyad: Dyad
    freq: str
    points: list[RelationPoint]
    trend: Trend | None
    turning_points: list[TurningPoint]
    links: list[ReciprocityLink]
    events: dict[str, CountedEvent] = field(default_factory=dict)  # canonical id → event

    def top_events(self, limit: int = 10) -> list[CountedEvent]:
        """The events that weigh most on the index: |score| × sources."""
        ranked = sorted(self.events.values(), key=lambda c: (-abs(c.event.score) * c.weight, c.canonical_id))
        return ranked[:limit]


def analyse_dyad(
    events: list[CountedEvent],
    dyad: Dyad,
    freq: str = "month",
    directed: bool = False,
    shrinkage: float = DEFAULT_SHRINKAGE,
    penalty_scale: float = DEFAULT_PENALTY_SCALE,
    window_days: int = DEFAULT_WINDOW_DAYS,
    start: date | None = None,
    end: date | None = None,
) -> DyadAnalysis:
    selected = dyad_events(events, dyad, directed)
    points = relation_series(selected, dyad, freq, directed, shrinkage, start, end)
    scores = {counted.canonical_id: counted.event.score * counted.weight for counted in selected}
    return DyadAnalysis(
        dyad=dyad,
        freq=freq,
        points=points,
        trend=trend(points),
        turning_points=turning_points(points, penalty_scale, scores=scores),
        links=find_links(selected, dyad, window_days),
        events={counted.canonical_id: counted for counted in selected},
    )


def dyad_overview(events: list[CountedEvent], shrinkage: float = DEFAULT_SHRINKAGE) -> list[dict[str, object]]:
    """One row per unordered pair of actors with events between them, busiest first."""
    by_pair: dict[tuple[str, str], list[CountedEvent]] = {}
    for counted in events:
        source, target = counted.source_code, counted.target_code
        if source and target and source != target:
            by_pair.setdefault((min(source, target), max(source, target)), []).append(counted)
    rows: list[dict[str, object]] = []
    for (actor_a, actor_b), selected in by_pair.items():
        eligible_events = [counted for counted in selected if eligible(counted)]
        weights = sum(counted.weight for counted in eligible_events)
        score_sum = sum(counted.event.score * counted.weight for counted in eligible_events)
        days = sorted(counted.day for counted in selected if counted.day)
        quads = Counter(counted.event.quad for counted in eligible_events)
        rows.append(
            {
                "dyad": f"{actor_a},{actor_b}",
                "events": len(selected),
                "counted": len(eligible_events),
                "cooperation": quads[1] + quads[2],
                "conflict": quads[3] + quads[4],
                "index": round(index_value(score_sum, weights, shrinkage), 3),
                "first": days[0] if days else None,
                "last": days[-1] if days else None,
            }
        )
    return sorted(rows, key=lambda row: (-int(row["events"]), str(row["dyad"])))  # type: ignore[call-overload]
