"""The cooperation–conflict index of a dyad per period.

For the events ``E`` of a dyad in one period, each with PLOVER score ``s`` (−10 … +10) and weight
``w`` = number of distinct sources that reported it (``num_sources``, GDELT's NumSources):

    score_sum  = Σ w·s
    score_mean = Σ w·s / Σ w
    index      = Σ w·s / (10 · (Σ w + k))          k = shrinkage (default 1)

``index`` lies in [−1, 1]: −1 is all-out conflict reported by many sources, +1 the opposite. The
pseudo-count ``k`` pulls thin periods towards 0, so one report of one expulsion does not read as
the same certainty as thirty; as evidence grows the index tends to ``score_mean / 10``. A period
with no events has index 0 (no evidence either way) and ``n_events`` 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from detente.records import Event, RelationPoint

FREQUENCIES = ("day", "week", "month", "quarter", "year")
DEFAULT_SHRINKAGE = 1.0
DECIMALS = 6  # kept of score_sum, score_mean and index in a RelationPoint
# Left out of relations by default: they did not happen (negated) or may not (hypothetical).
EXCLUDED_MODALITIES = frozenset({"negated", "hypothetical"})


@dataclass(frozen=True, slots=True)
class CountedEvent:
    """A canonical event with how many articles and distinct sources reported it."""

    event: Event
    num_articles: int = 1
    num_sources: int = 1

    @property
    def canonical_id(self) -> str:
        return self.event.canonical_id or self.event.event_id

    @property
    def weight(self) -> float:
        return float(max(self.num_sources, 1))

    @property
    def day(self) -> date | None:
        return self.event.date

    @property
    def source_code(self) -> str | None:
        return self.event.source.code

    @property
    def target_code(self) -> str | None:
        return self.event.target.code if self.event.target else None


@dataclass(frozen=True, slots=True)
class Dyad:
    """Two sides, each a set of actor codes (a state, an organisation, or an expanded group)."""

    label_a: str
    label_b: str
    side_a: frozenset[str]
    side_b: frozenset[str]

    def direction(self, counted: CountedEvent) -> int:
        """+1 when the event goes from side A to side B, −1 from B to A, 0 when outside the dyad."""
        source, target = counted.source_code, counted.target_code
        if source is None or target is None or source == target:
            return 0
        if source in self.side_a and target in self.side_b:
            return 1
        if source in self.side_b and target in self.side_a:
            return -1
        return 0


def period_start(day: date, freq: str) -> date:
    if freq == "day":
        return day
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    if freq == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if freq == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown frequency {freq!r}: use one of {', '.join(FREQUENCIES)}")


def next_period(start: date, freq: str) -> date:
    if freq == "day":
        return start + timedelta(days=1)
    if freq == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[freq]
    month_index = start.year * 12 + start.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def eligible(counted: CountedEvent, excluded_modalities: frozenset[str] = EXCLUDED_MODALITIES) -> bool:
    return counted.day is not None and counted.event.modality not in excluded_modalities


def dyad_events(
    events: Iterable[CountedEvent],
    dyad: Dyad,
    directed: bool = False,
    excluded_modalities: frozenset[str] = EXCLUDED_MODALITIES,
) -> list[CountedEvent]:
    """The events of a dyad: A→B only when ``directed``, else both directions."""
    wanted = {1} if directed else {1, -1}
    return [
        counted for counted in events if eligible(counted, excluded_modalities) and dyad.direction(counted) in wanted
    ]


def relation_series(
    events: Iterable[CountedEvent],
    dyad: Dyad,
    freq: str = "month",
    directed: bool = False,
    shrinkage: float = DEFAULT_SHRINKAGE,
    start: date | None = None,
    end: date | None = None,
    excluded_modalities: frozenset[str] = EXCLUDED_MODALITIES,
) -> list[RelationPoint]:
    """One point per period from the first to the last period with events (or ``start``..``end``)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"unknown frequency {freq!r}: use one of {', '.join(FREQUENCIES)}")
    selected = dyad_events(events, dyad, directed, excluded_modalities)
    by_period: dict[date, list[CountedEvent]] = defaultdict(list)
    for counted in selected:
        assert counted.day is not None
        if (start and counted.day < start) or (end and counted.day > end):
            continue
        by_period[period_start(counted.day, freq)].append(counted)
    if not by_period and (start is None or end is None):
        return []
    first = period_start(start, freq) if start else min(by_period)
    last = period_start(end, freq) if end else max(by_period)
    points = []
    current = first
    while current <= last:
        points.append(_point(by_period.get(current, []), dyad, directed, current, freq, shrinkage))
        current = next_period(current, freq)
    return points


def _point(
    period_events: Sequence[CountedEvent],
    dyad: Dyad,
    directed: bool,
    start: date,
    freq: str,
    shrinkage: float,
) -> RelationPoint:
    weights = sum(counted.weight for counted in period_events)
    score_sum = sum(counted.weight * counted.event.score for counted in period_events)
    counts = Counter(counted.event.event_type for counted in period_events)
    quads = Counter(counted.event.quad for counted in period_events)
    return RelationPoint(
        dyad=(dyad.label_a, dyad.label_b),
        directed=directed,
        period_start=start,
        freq=freq,
        n_events=len(period_events),
        counts=dict(sorted(counts.items())),
        quad_counts=dict(sorted(quads.items())),
        score_sum=round(score_sum, DECIMALS),
        score_mean=round(score_sum / weights, DECIMALS) if weights else 0.0,
        index=round(index_value(score_sum, weights, shrinkage), DECIMALS),
        canonical_ids=[counted.canonical_id for counted in period_events],
    )


def index_value(score_sum: float, weight_sum: float, shrinkage: float = DEFAULT_SHRINKAGE) -> float:
    """The normalised index (see the module docstring)."""
    if weight_sum <= 0:
        return 0.0
    return max(-1.0, min(1.0, score_sum / (10.0 * (weight_sum + shrinkage))))
