"""An inline SVG chart of an index series: no JavaScript, no external files, readable when printed."""

from __future__ import annotations

from datetime import date
from html import escape

from detente.records import RelationPoint

WIDTH, HEIGHT = 760, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 16, 36


def _x(position: int, count: int) -> float:
    span = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    return MARGIN_LEFT + (span * position / (count - 1) if count > 1 else span / 2)


def _y(value: float) -> float:
    span = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return MARGIN_TOP + span * (1 - (value + 1) / 2)


def index_chart(points: list[RelationPoint], turns: list[date], title: str) -> str:
    """The index in [-1, 1] over periods; dots sized by events; dashed lines at turning points."""
    count = len(points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for value in (-1.0, -0.5, 0.0, 0.5, 1.0):
        y = _y(value)
        css = "axis zero" if value == 0 else "axis"
        parts.append(f'<line class="{css}" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:+.1f}</text>')
    parts.append(f'<text class="tick" x="{MARGIN_LEFT + 4}" y="{MARGIN_TOP + 10}">cooperation</text>')
    parts.append(f'<text class="tick" x="{MARGIN_LEFT + 4}" y="{HEIGHT - MARGIN_BOTTOM - 4}">conflict</text>')
    positions = {point.period_start: index for index, point in enumerate(points)}
    for turn in turns:
        if turn in positions:
            x = _x(positions[turn], count)
            parts.append(
                f'<line class="turn" x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" '
                f'y2="{HEIGHT - MARGIN_BOTTOM}">'
                f"<title>turning point {turn.isoformat()}</title></line>"
            )
    if count:
        # Periods without events have no reading: the line joins the periods that have one.
        path = " ".join(f"{_x(i, count):.1f},{_y(p.index):.1f}" for i, p in enumerate(points) if p.n_events)
        parts.append(f'<polyline class="series" points="{path}"/>')
    for i, point in enumerate(points):
        if not point.n_events:
            continue
        radius = min(2.5 + point.n_events**0.5, 9.0)
        css = "dot conflict" if point.index < 0 else "dot cooperation"
        parts.append(
            f'<circle class="{css}" cx="{_x(i, count):.1f}" cy="{_y(point.index):.1f}" r="{radius:.1f}">'
            f"<title>{point.period_start.isoformat()}: index {point.index:+.2f}, {point.n_events} events"
            "</title></circle>"
        )
    step = max(1, count // 8)
    for i in range(0, count, step):
        parts.append(
            f'<text class="tick" x="{_x(i, count):.1f}" y="{HEIGHT - 12}" text-anchor="middle">'
            f"{points[i].period_start.isoformat()[:7]}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
