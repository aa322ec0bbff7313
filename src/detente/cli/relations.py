"""``detente relations``, ``detente reciprocity`` and ``detente report``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from detente.cli.common import DbOption, TableFormat, emit_records, reporter, store_at
from detente.errors import ConfigError
from detente.relations.dyads import load_groups, parse_dyad
from detente.relations.index import FREQUENCIES
from detente.relations.reciprocity import DEFAULT_WINDOW_DAYS, find_links
from detente.relations.stage import counted_events

GroupsOption = typer.Option(None, "--groups", help="YAML file of extra groups: - {code, members: [...]}")


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ConfigError(f"--{name} {value!r}: use YYYY-MM-DD") from error


def _check_freq(freq: str) -> str:
    if freq not in FREQUENCIES:
        raise ConfigError(f"--freq {freq!r}: use one of {', '.join(FREQUENCIES)}")
    return freq


def register(app: typer.Typer) -> None:
    @app.command("relations")
    def relations_command(
        ctx: typer.Context,
        dyad: Annotated[str, typer.Option(help="Two actor or group codes, e.g. USA,RUS or WEST,RUS.")],
        db: Path = DbOption,
        freq: Annotated[str, typer.Option(help="day, week, month, quarter or year.")] = "month",
        directed: Annotated[bool, typer.Option(help="Only events from the first actor to the second.")] = False,
        since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
        until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
        fmt: Annotated[TableFormat, typer.Option("--format", help="table, csv or json.")] = TableFormat.table,
        groups: Path | None = GroupsOption,
    ) -> None:
        """The cooperation–conflict index of a dyad over time, with trend and turning points."""
        from detente.relations.analysis import analyse_dyad
        from detente.relations.export import analysis_record

        analysis = analyse_dyad(
            counted_events(store_at(db)),
            parse_dyad(dyad, load_groups(groups)),
            _check_freq(freq),
            directed,
            start=_parse_day(since, "since"),
            end=_parse_day(until, "until"),
        )
        record = analysis_record(analysis)
        if fmt in (TableFormat.json, TableFormat.jsonl):
            typer.echo(json.dumps(record, ensure_ascii=False, indent=2 if fmt is TableFormat.json else None))
            return
        columns = ["period_start", "n_events", "index", "score_sum", "score_mean", "counts"]
        emit_records(record["points"], fmt, columns, title=f"{dyad} by {freq}")
        if fmt is TableFormat.table and not reporter(ctx).quiet:
            trend = record["trend"]
            if trend:
                typer.echo(
                    f"trend: {trend['direction']} ({trend['slope_per_year']:+.3f} per year, "
                    f"95% CI per {freq} [{trend['ci95'][0]:+.3f}, {trend['ci95'][1]:+.3f}])"
                )
            for turn in record["turning_points"]:
                typer.echo(
                    f"turning point {turn['period_start']}: {turn['direction']} "
                    f"({turn['before']:+.2f} → {turn['after']:+.2f})"
                )

    @app.command("dyads")
    def dyads_command(
        db: Path = DbOption,
        limit: Annotated[int, typer.Option(help="Show the busiest N pairs.")] = 20,
        fmt: Annotated[TableFormat, typer.Option("--format", help="table, csv, jsonl or json.")] = TableFormat.table,
    ) -> None:
        """Events per pair of actors: how many, cooperative vs conflictual, overall index, first and last day."""
        from detente.relations.analysis import dyad_overview

        rows = dyad_overview(counted_events(store_at(db)))[:limit]
        emit_records(rows, fmt, title="events per dyad (counted: canonical, not negated or hypothetical)")

    @app.command("reciprocity")
    def reciprocity_command(
        dyad: Annotated[str | None, typer.Option(help="Restrict to a dyad, e.g. USA,RUS.")] = None,
        db: Path = DbOption,
        window: Annotated[int, typer.Option(help="Days within which a response answers.")] = DEFAULT_WINDOW_DAYS,
        fmt: Annotated[TableFormat, typer.Option("--format", help="table or jsonl.")] = TableFormat.table,
        groups: Path | None = GroupsOption,
    ) -> None:
        """Tit-for-tat links: a response (Y→X) answering an earlier action (X→Y), and their chains."""
        chosen = parse_dyad(dyad, load_groups(groups)) if dyad else None
        links = find_links(counted_events(store_at(db)), chosen, window)
        if fmt is TableFormat.table:
            rows = [
                {
                    "chain": link.chain_id,
                    "action": _brief(link.action),
                    "response": _brief(link.response),
                    "cue": link.cue,
                    "confidence": link.confidence,
                }
                for link in links
            ]
            emit_records(rows, fmt, ["chain", "action", "response", "cue", "confidence"], title="tit for tat")
        else:
            from detente.relations.export import link_record

            emit_records([link_record(link) for link in links], fmt)

    @app.command("report")
    def report_command(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option(help="HTML file to write.")] = Path("report.html"),
        dyad: Annotated[list[str] | None, typer.Option(help="Dyads to report (repeatable); default: busiest.")] = None,
        db: Path = DbOption,
        freq: Annotated[str, typer.Option(help="day, week, month, quarter or year.")] = "month",
        groups: Path | None = GroupsOption,
    ) -> None:
        """Write a self-contained HTML report: index over time, turning points, evidence, chains."""
        from detente.report.html import write_report

        path = write_report(store_at(db), out, dyad or [], _check_freq(freq), load_groups(groups))
        if not reporter(ctx).quiet:
            typer.echo(f"report written to {path.resolve()}")


def _brief(event: Any) -> str:
    target = event.target.code if event.target else "-"
    day = event.date.isoformat() if event.date else "?"
    return f"{day} {event.source.code}→{target} {event.event_type}{'/' + event.mode if event.mode else ''}"
