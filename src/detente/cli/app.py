"""The ``detente`` command: one Typer app; each stage contributes its commands from its own module."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from detente import __version__
from detente.cli.common import DbOption, reporter, store_at
from detente.errors import DetenteError
from detente.pipeline import RunOptions, run_pipeline

app = typer.Typer(
    name="detente",
    help="News in; clean articles, stories, PLOVER events and relations between states out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines ``register(app)``; the order is the order of ``detente --help``.
COMMAND_MODULES = (
    "detente.cli.articles",
    "detente.cli.actors",
    "detente.cli.events",
    "detente.cli.stories",
    "detente.cli.relations",
    "detente.cli.serve",
    "detente.cli.scale",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"detente {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and results.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say more about each step.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = {"quiet": quiet, "verbose": verbose}


@app.command("run")
def run_command(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for JSONL on stdin.")],
    db: Path = DbOption,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input was skipped.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (default: all cores).")] = 0,
    engine: Annotated[str, typer.Option(help="local, or ray for a Ray cluster (RAY_ADDRESS).")] = "local",
) -> None:
    """Run every stage in order: ingest and clean, extract events, stories, relations."""
    report = reporter(ctx)
    options = RunOptions(strict=strict, stage_processes=True)
    if workers:
        options.workers = workers
    store = store_at(db)
    if engine == "ray":
        from detente.scale.ray_runner import run_with_ray

        summaries = run_with_ray(paths, store, options, report)
    elif engine == "local":
        summaries = run_pipeline(paths, store, options, report)
    else:
        raise DetenteError(f"unknown engine {engine!r}: use local or ray")
    rows = [{"stage": name, **summary} for name, summary in summaries.items()]
    if not report.quiet:
        for row in rows:
            details = ", ".join(f"{key} {value}" for key, value in row.items() if key != "stage")
            typer.echo(f"{row['stage']}: {details}")
    if strict and report.warnings:
        raise DetenteError(f"{len(report.warnings)} input(s) skipped with warnings (--strict)")


for _module in COMMAND_MODULES:
    try:
        importlib.import_module(_module).register(app)
    except ModuleNotFoundError as _error:
        if _error.name != _module:
            raise


def main() -> None:
    try:
        app()
    except DetenteError as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted; what was committed is kept")
        sys.exit(130)
