"""Plain-language summaries of a dyad's relations, built from the segments between turning points."""

from __future__ import annotations

from datetime import date

from detente.relations.analysis import DyadAnalysis
from detente.relations.index import CountedEvent

CONFLICT_BELOW = -0.1
COOPERATION_ABOVE = 0.1

_TONE = {
    "conflict": "mostly conflictual",
    "cooperation": "mostly cooperative",
    "mixed": "mixed",
}
_TURN_WORDS = {
    "towards cooperation": "a turn towards dialogue",
    "towards conflict": "a turn towards conflict",
}


def tone(mean_index: float) -> str:
    if mean_index < CONFLICT_BELOW:
        return "conflict"
    if mean_index > COOPERATION_ABOVE:
        return "cooperation"
    return "mixed"


def period_label(start: date, freq: str) -> str:
    if freq in ("month", "quarter"):
        return start.strftime("%B %Y")
    if freq == "year":
        return str(start.year)
    return f"{start.day} {start.strftime('%B %Y')}"


def span_label(first: date, last: date, freq: str) -> str:
    if first == last:
        return f"In {period_label(first, freq)}"
    if freq in ("month", "quarter") and first.year == last.year:
        return f"From {first.strftime('%B')} to {period_label(last, freq)}"
    return f"From {period_label(first, freq)} to {period_label(last, freq)}"


def describe_event(counted: CountedEvent) -> str:
    event = counted.event
    target = event.target.code if event.target else "?"
    when = event.date.strftime("%d %B %Y").lstrip("0") if event.date else "an unknown date"
    what = event.event_type.lower() + (f" ({event.mode})" if event.mode else "")
    sources = f", {counted.num_sources} sources" if counted.num_sources > 1 else ""
    return f"{event.source.code} → {target} {what} on {when}{sources}"


def summarise(analysis: DyadAnalysis, names: tuple[str, str] | None = None) -> str:
    """E.g. "From March to June 2021 relations between the USA and Russia were mostly conflictual
    (index −0.31, 14 events), with a turn towards dialogue in June 2021 driven by …"."""
    points = [point for point in analysis.points if point.n_events]
    label_a, label_b = names or (analysis.dyad.label_a, analysis.dyad.label_b)
    if not points:
        return f"No events between {label_a} and {label_b} in this period."
    cuts = [turn.period_start for turn in analysis.turning_points]
    segments: list[list] = [[]]
    for point in analysis.points:
        if cuts and point.period_start >= cuts[0]:
            cuts.pop(0)
            segments.append([])
        segments[-1].append(point)
    sentences = []
    for position, segment in enumerate(segments):
        observed = [point for point in segment if point.n_events]
        if not observed:
            continue
        weight = sum(point.n_events for point in observed)
        mean = sum(point.index * point.n_events for point in observed) / weight
        opening = span_label(segment[0].period_start, segment[-1].period_start, analysis.freq)
        text = (
            f"{opening} relations between {label_a} and {label_b} were {_TONE[tone(mean)]} "
            f"(mean index {mean:+.2f}, {weight} event{'s' if weight != 1 else ''})"
        )
        if position < len(analysis.turning_points):
            turn = analysis.turning_points[position]
            drivers = [analysis.events[cid] for cid in turn.canonical_ids if cid in analysis.events]
            text += f", with {_TURN_WORDS[turn.direction]} in {period_label(turn.period_start, analysis.freq)}"
            if drivers:
                text += " driven by " + "; ".join(describe_event(counted) for counted in drivers[:2])
        sentences.append(text + ".")
    if analysis.trend is not None and analysis.trend.direction != "stable":
        sentences.append(
            f"Over the whole period the trend is {analysis.trend.direction} "
            f"({analysis.trend.slope_per_year:+.2f} index points per year)."
        )
    if analysis.links:
        chains = {link.chain_id for link in analysis.links}
        sentences.append(
            f"{len(analysis.links)} tit-for-tat response{'s' if len(analysis.links) != 1 else ''} "
            f"in {len(chains)} chain{'s' if len(chains) != 1 else ''}."
        )
    return " ".join(sentences)
