"""The self-contained HTML report: per dyad the index over time with turning points, a summary,
the top events with their sentences and article titles, and the tit-for-tat chains."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from detente import __version__
from detente.records import Event
from detente.relations.analysis import DyadAnalysis, analyse_dyad, dyad_overview
from detente.relations.dyads import GroupTable, parse_dyad
from detente.relations.index import CountedEvent
from detente.relations.stage import counted_events
from detente.report.summary import describe_event, summarise
from detente.report.svg import index_chart
from detente.store import Store
from detente.store.articles import article_listing

DEFAULT_DYADS = 4
TOP_EVENTS = 10


def busiest_dyads(events: Sequence[CountedEvent], limit: int = DEFAULT_DYADS) -> list[str]:
    return [str(row["dyad"]) for row in dyad_overview(list(events))[:limit]]


def _event_row(counted: CountedEvent, titles: dict[str, dict[str, Any]]) -> str:
    event = counted.event
    article = titles.get(event.doc_id, {})
    title = escape(article.get("title") or event.doc_id)
    source = escape(article.get("source") or "")
    link = f'<a href="{escape(article["url"])}">{title}</a>' if article.get("url") else title
    sentence = escape(event.sentence)
    if event.trigger and event.trigger in event.sentence:
        sentence = sentence.replace(escape(event.trigger), f"<mark>{escape(event.trigger)}</mark>", 1)
    tone = "conflict" if event.score < 0 else "cooperation"
    return (
        f'<tr class="{tone}"><td>{event.date.isoformat() if event.date else ""}</td>'
        f"<td>{escape(event.source.code or '')} → {escape(event.target.code if event.target else '')}</td>"
        f"<td>{event.event_type}{('/' + escape(event.mode)) if event.mode else ''}</td>"
        f"<td>{event.score:+.1f}</td><td>{counted.num_sources}</td>"
        f"<td><blockquote>{sentence}</blockquote><small>{link} {source}</small></td></tr>"
    )


def _brief(event: Event) -> str:
    target = event.target.code if event.target else "?"
    when = event.date.isoformat() if event.date else "?"
    return f"{when} {event.source.code} → {target} {event.event_type}{('/' + event.mode) if event.mode else ''}"


def _chains_html(analysis: DyadAnalysis) -> str:
    if not analysis.links:
        return "<p>No tit-for-tat responses found.</p>"
    chains: dict[str, list] = defaultdict(list)
    for link in analysis.links:
        chains[link.chain_id].append(link)
    items = []
    for chain_id, links in chains.items():
        steps = [f"<li>{escape(_brief(links[0].action))}: <q>{escape(links[0].action.sentence)}</q></li>"]
        for link in links:
            cue = f" — cue “{escape(link.cue)}”" if link.cue else ""
            steps.append(
                f"<li>{escape(_brief(link.response))} (confidence {link.confidence:.2f}{cue}): "
                f"<q>{escape(link.response.sentence)}</q></li>"
            )
        items.append(f'<div class="chain"><h4>{escape(chain_id)}</h4><ol>{"".join(steps)}</ol></div>')
    return "".join(items)


def _section(analysis: DyadAnalysis, titles: dict[str, dict[str, Any]]) -> str:
    label = f"{analysis.dyad.label_a}–{analysis.dyad.label_b}"
    turns = [turn.period_start for turn in analysis.turning_points]
    turn_items = "".join(
        f"<li>{turn.period_start.isoformat()}: {turn.direction} ({turn.before:+.2f} → {turn.after:+.2f})"
        + (
            "; driven by "
            + "; ".join(
                escape(describe_event(analysis.events[cid])) for cid in turn.canonical_ids if cid in analysis.events
            )
            if turn.canonical_ids
            else ""
        )
        + "</li>"
        for turn in analysis.turning_points
    )
    rows = "".join(_event_row(counted, titles) for counted in analysis.top_events(TOP_EVENTS))
    return f"""
<section class="dyad" id="dyad-{escape(label)}">
  <h2>{escape(label)}</h2>
  <p class="summary">{escape(summarise(analysis))}</p>
  {index_chart(analysis.points, turns, f"{label} cooperation–conflict index by {analysis.freq}")}
  <h3>Turning points</h3>
  {f"<ul>{turn_items}</ul>" if turn_items else "<p>No turning point detected.</p>"}
  <h3>Top events</h3>
  <table class="events"><thead><tr><th>date</th><th>actors</th><th>event</th><th>score</th>
  <th>sources</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table>
  <h3>Tit for tat</h3>
  {_chains_html(analysis)}
</section>"""


def render_report(analyses: Sequence[DyadAnalysis], titles: dict[str, dict[str, Any]]) -> str:
    css = (resources.files("detente.report") / "templates" / "report.css").read_text(encoding="utf-8")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = "".join(_section(analysis, titles) for analysis in analyses)
    nav = "".join(
        f'<a href="#dyad-{escape(a.dyad.label_a)}–{escape(a.dyad.label_b)}">'
        f"{escape(a.dyad.label_a)}–{escape(a.dyad.label_b)}</a>"
        for a in analyses
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>detente report</title>
<meta name="generator" content="detente {__version__}">
<style>{css}</style></head>
<body><header><h1>Relations report</h1><nav>{nav}</nav>
<p class="meta">Generated {generated} by detente {__version__}. Index: Σ sources·score / (10·(Σ sources + 1)),
in [−1, 1]; negated and hypothetical events left out.</p></header>
{sections or "<p>No dyad has events yet: run <code>detente run</code> first.</p>"}
</body></html>
"""


def write_report(store: Store, out: Path, dyad_specs: Sequence[str], freq: str, groups: GroupTable) -> Path:
    """Analyse the dyads (default: the busiest) and write the report atomically to ``out``."""
    events = counted_events(store)
    specs = list(dyad_specs) or busiest_dyads(events)
    analyses = [analyse_dyad(events, parse_dyad(spec, groups), freq) for spec in specs]
    titles = {row["id"]: row for row in article_listing(store)}
    html = render_report(analyses, titles)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(html)
    os.replace(temporary, out)
    return out
