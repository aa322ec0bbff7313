"""JSON-ready records of relations results, shared by the CLI, the report and the web API."""

from __future__ import annotations

from typing import Any

from detente.records import ReciprocityLink
from detente.relations.analysis import DyadAnalysis
from detente.serialise import jsonable


def analysis_record(analysis: DyadAnalysis) -> dict[str, Any]:
    trend = analysis.trend
    return {
        "dyad": [analysis.dyad.label_a, analysis.dyad.label_b],
        "freq": analysis.freq,
        "points": [jsonable(point) for point in analysis.points],
        "trend": None
        if trend is None
        else {
            "slope_per_period": trend.slope_per_period,
            "slope_per_year": trend.slope_per_year,
            "ci95": [trend.low, trend.high],
            "periods": trend.periods,
            "direction": trend.direction,
        },
        "turning_points": [
            {
                "period_start": turn.period_start.isoformat(),
                "before": turn.before,
                "after": turn.after,
                "direction": turn.direction,
                "canonical_ids": turn.canonical_ids,
            }
            for turn in analysis.turning_points
        ],
    }


def link_record(link: ReciprocityLink) -> dict[str, Any]:
    return {
        "action": jsonable(link.action),
        "response": jsonable(link.response),
        "cue": link.cue,
        "confidence": link.confidence,
        "chain_id": link.chain_id,
    }
