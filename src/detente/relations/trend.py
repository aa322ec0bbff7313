"""Trend and turning points of an index series.

Trend: the Theil–Sen slope (median of pairwise slopes; robust to a few extreme periods) over the
periods that have events, with its 95% confidence interval. The direction is "improving" or
"worsening" only when the interval excludes 0, else "stable".

Turning points: change points in the mean of the index (PELT, least-squares cost, from
``ruptures``), with penalty ``β = penalty_scale · σ² · log n`` where σ is estimated robustly from
the median absolute first difference of the series (σ ≈ 1.4826·MAD(Δ)/√2) so that noise alone
does not make breaks. Each turning point is explained by the events of the periods around it
that pushed the index in the direction of the change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import ruptures
from scipy import stats

from detente.records import RelationPoint

DEFAULT_PENALTY_SCALE = 3.0
_MIN_SIGMA = 0.05  # index units: below this, differences are rounding, not signal


@dataclass(slots=True)
class Trend:
    slope_per_period: float
    low: float
    high: float
    periods: int
    freq: str

    @property
    def direction(self) -> str:
        if self.periods < 3 or (self.low <= 0.0 <= self.high):
            return "stable"
        return "improving" if self.slope_per_period > 0 else "worsening"

    @property
    def slope_per_year(self) -> float:
        per_year = {"day": 365.25, "week": 52.18, "month": 12.0, "quarter": 4.0, "year": 1.0}[self.freq]
        return self.slope_per_period * per_year


@dataclass(slots=True)
class TurningPoint:
    period_start: date
    before: float  # mean index of the segment before
    after: float  # mean index of the segment after
    canonical_ids: list[str] = field(default_factory=list)  # the events behind the turn

    @property
    def direction(self) -> str:
        return "towards cooperation" if self.after > self.before else "towards conflict"


def trend(points: list[RelationPoint]) -> Trend | None:
    """Theil–Sen slope over periods with events; None when fewer than two such periods."""
    if not points:
        return None
    observed = [(position, point.index) for position, point in enumerate(points) if point.n_events]
    if len(observed) < 2:
        return None
    x = np.array([position for position, _ in observed], dtype=float)
    y = np.array([value for _, value in observed], dtype=float)
    slope, _intercept, low, high = stats.theilslopes(y, x, alpha=0.95)
    return Trend(float(slope), float(low), float(high), len(observed), points[0].freq)


def noise_sigma(values: np.ndarray) -> float:
    if len(values) < 3:
        return _MIN_SIGMA
    diffs = np.diff(values)
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    return max(1.4826 * mad / math.sqrt(2.0), _MIN_SIGMA)


def turning_points(
    points: list[RelationPoint],
    penalty_scale: float = DEFAULT_PENALTY_SCALE,
    min_size: int = 1,
    evidence_per_turn: int = 3,
    scores: dict[str, float] | None = None,
) -> list[TurningPoint]:
    """Change points of the index series; ``scores`` maps canonical id → weighted score for evidence."""
    # Empty periods carry no reading; treating them as 0 would turn every lone event into two
    # "turns" (into it and out of it), so change points are sought among observed periods only.
    points = [point for point in points if point.n_events]
    if len(points) < 2 * min_size + 1:
        return []
    values = np.array([point.index for point in points], dtype=float)
    sigma = noise_sigma(values)
    penalty = penalty_scale * sigma**2 * math.log(len(values))
    breaks = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(values.reshape(-1, 1)).predict(pen=penalty)
    boundaries = [0, *breaks]
    turns = []
    for left, cut, right in zip(boundaries, boundaries[1:], boundaries[2:], strict=False):
        before = float(values[left:cut].mean())
        after = float(values[cut:right].mean())
        window = points[max(cut - 1, 0) : min(cut + 1, len(points))]
        turns.append(
            TurningPoint(
                period_start=points[cut].period_start,
                before=round(before, 6),
                after=round(after, 6),
                canonical_ids=_evidence(window, after > before, scores or {}, evidence_per_turn),
            )
        )
    return turns


def _evidence(window: list[RelationPoint], upward: bool, scores: dict[str, float], limit: int) -> list[str]:
    candidates = [cid for point in window for cid in point.canonical_ids]
    moving = [cid for cid in candidates if (scores.get(cid, 0.0) > 0) == upward and scores.get(cid, 0.0) != 0]
    ranked = sorted(moving or candidates, key=lambda cid: -abs(scores.get(cid, 0.0)))
    return ranked[:limit]
