"""Everything detente says about one dyad: the index series, trend, turning points, tit-for-tat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from detente.records import ReciprocityLink, RelationPoint
from detente.relations.index import DEFAULT_SHRINKAGE, CountedEvent, Dyad, dyad_events, relation_series
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
