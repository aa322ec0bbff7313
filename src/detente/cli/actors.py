"""``detente actors lookup|stats|validate``: ask the resolver, size the knowledge base, check files."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from detente.actors import Resolver, default_resolver, load_kb
from detente.actors.kb import collect_problems
from detente.actors.stats import COVERAGE_DATES, COVERAGE_GROUP, counts, coverage
from detente.errors import ConfigError


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ConfigError(f"--date {value!r}: use YYYY-MM-DD") from error


def register(app: typer.Typer) -> None:
    actors = typer.Typer(help="The actor knowledge base and resolver.", no_args_is_help=True)
    app.add_typer(actors, name="actors")

    @actors.command("lookup")
    def lookup_command(
        name: Annotated[str, typer.Argument(help="A name or phrase: Lavrov, the Kremlin, Russian diplomats.")],
        on: Annotated[str | None, typer.Option("--date", help="The article's date, YYYY-MM-DD.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
        kb_files: Annotated[list[Path] | None, typer.Option("--kb", help="Extra KB YAML file (repeatable).")] = None,
    ) -> None:
        """What NAME means on a date, and why."""
        resolver = Resolver(load_kb(kb_files)) if kb_files else default_resolver()
        mention = resolver.lookup(name, _day(on))
        if as_json:
            fields = (
                asdict(mention)
                if mention
                else {
                    "text": name,
                    "code": None,
                    "sector": None,
                    "actor_id": None,
                    "name": None,
                    "role": None,
                    "confidence": 0.0,
                    "why": "no actor of that name in the knowledge base",
                }
            )
            typer.echo(json.dumps(fields, ensure_ascii=False))
            return
        if mention is None:
            typer.echo(f"{name}: not resolved (no actor of that name in the knowledge base)")
            return
        for label, value in (
            ("code", mention.code),
            ("sector", mention.sector),
            ("actor", mention.actor_id),
            ("name", mention.name),
            ("role", mention.role),
            ("kind", mention.kind),
            ("confidence", f"{mention.confidence:.2f}"),
            ("ambiguous with", ", ".join(mention.ambiguous_with) or None),
            ("why", mention.why),
        ):
            if value is not None:
                typer.echo(f"{label:>15}: {value}")

    @actors.command("stats")
    def stats_command(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    ) -> None:
        """Size of the knowledge base and how many G20 leaders it knows on a few dates."""
        kb = load_kb()
        sizes = counts(kb)
        spans = [coverage(kb, day) for day in COVERAGE_DATES]
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        **sizes,
                        "coverage": [
                            {
                                "date": span.on.isoformat(),
                                "group": COVERAGE_GROUP,
                                "members": len(span.members),
                                "with_leader": len(span.with_leader),
                                "missing": span.missing,
                            }
                            for span in spans
                        ],
                    }
                )
            )
            return
        for label, value in sizes.items():
            typer.echo(f"{label:>14}: {value}")
        typer.echo(f"{COVERAGE_GROUP} members with a head of state or government known:")
        for span in spans:
            missing = f" (missing: {', '.join(span.missing)})" if span.missing else ""
            typer.echo(f"  {span.on}: {len(span.with_leader)}/{len(span.members)} = {span.share:.0%}{missing}")

    @actors.command("validate")
    def validate_command(
        files: Annotated[list[Path] | None, typer.Argument(help="Extra KB YAML files to check too.")] = None,
    ) -> None:
        """Check the packaged knowledge base and FILEs: one line per problem; exit 1 if any."""
        _, problems = collect_problems(files or [])
        for problem in problems:
            typer.echo(str(problem))
        if problems:
            raise ConfigError(f"{len(problems)} problem(s) in the actor knowledge base")
        typer.echo("actor knowledge base: ok")
