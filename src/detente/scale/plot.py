"""A bench run's resident memory over time as a standalone SVG, one colour per phase."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import groupby

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 48, 40
PHASE_COLOURS = {
    "synth": "#9e9e9e",
    "ingest": "#1f77b4",
    "events": "#d62728",
    "stories": "#2ca02c",
    "relations": "#9467bd",
    "ratio": "#ff7f0e",
}


def memory_svg(trace: Sequence[Sequence[float | str]], title: str) -> str:
    """``trace`` holds ``(seconds, phase, MiB)`` samples in time order."""
    if not trace:
        raise ValueError("no memory samples to plot")
    last_s = max(float(sample[0]) for sample in trace) or 1.0
    top_mb = max(float(sample[2]) for sample in trace) * 1.1 or 1.0

    def x(seconds: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * seconds / last_s

    def y(mib: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - mib / top_mb)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" '
        f'font-size="11">',
        f'<text x="{LEFT}" y="16" font-size="13">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="#444"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#444"/>',
    ]
    for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
        mib = top_mb * fraction
        parts.append(f'<text x="{LEFT - 6}" y="{y(mib) + 4:.1f}" text-anchor="end">{mib:.0f}</text>')
        parts.append(
            f'<text x="{x(last_s * fraction):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{last_s * fraction / 60:.0f}</text>"
        )
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end">minutes</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{TOP - 14}" text-anchor="end">MiB</text>')
    legend_x = LEFT + 8
    for phase, samples in groupby(trace, key=lambda sample: str(sample[1])):
        points = list(samples)
        colour = PHASE_COLOURS.get(phase, "#333")
        path = " ".join(f"{x(float(s)):.1f},{y(float(mib)):.1f}" for s, _, mib in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>')
        if len(points) == 1:  # a phase shorter than the sampling step
            parts.append(
                f'<circle cx="{x(float(points[0][0])):.1f}" cy="{y(float(points[0][2])):.1f}" r="2.5" fill="{colour}"/>'
            )
        peak = max(float(sample[2]) for sample in points)
        parts.append(f'<text x="{legend_x}" y="{TOP - 14}" fill="{colour}">{escape(phase)} {peak:.0f}</text>')
        legend_x += 14 + 7 * (len(phase) + 5)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
