"""``detente ingest``, ``detente articles`` and ``detente clean``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detente.clean.document import clean_document
from detente.cli.common import DbOption, TableFormat, emit_records, reporter, store_at
from detente.errors import DetenteError, InputError
from detente.ingest.readers import read_documents
from detente.pipeline import STAGES, RunOptions, run_pipeline
from detente.store.articles import article_listing

LISTING_COLUMNS = (
    "id", "title", "source", "published", "date_source", "language", "chars", "duplicate_of", "dup_kind", "story_id",
)  # fmt: skip
SUMMARY_KEYS = ("ingested", "updated", "unchanged", "skipped", "non_english", "recleaned")
_DEFAULT_MAX_BYTES = RunOptions().max_bytes


def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for JSONL on stdin.")],
    db: Path = DbOption,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input was skipped.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Skip documents larger than this many bytes.")] = _DEFAULT_MAX_BYTES,
) -> None:
    """Read, clean and store articles (no later stages)."""
    report = reporter(ctx)
    options = RunOptions(strict=strict, max_bytes=max_bytes, stage_processes=True)
    ingest_only = [stage for stage in STAGES if stage[0] == "ingest"]
    summary = run_pipeline(paths, store_at(db), options, report, ingest_only)["ingest"]
    if not report.quiet:
        typer.echo(", ".join(f"{key.replace('_', '-')} {summary.get(key, 0)}" for key in SUMMARY_KEYS))
    if strict and report.warnings:
        raise DetenteError(f"{len(report.warnings)} warning(s) while ingesting (--strict)")


def articles_command(
    db: Path = DbOption,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.table,
    text: Annotated[bool, typer.Option("--text", help="Include each article's text.")] = False,
) -> None:
    """List stored articles: one record per article."""
    columns = [*LISTING_COLUMNS, "text"] if text else list(LISTING_COLUMNS)
    emit_records(article_listing(store_at(db), with_text=text), fmt, columns=columns, title="articles")


def clean_command(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="One input file (any format ingest reads).")],
) -> None:
    """Show what cleaning removes from FILE and why, then the clean text."""
    report = reporter(ctx)
    found = False
    for raw in read_documents([file], RunOptions(), report):
        found = True
        result = clean_document(raw)
        article = result.article
        typer.secho(f"== {article.id} ({raw.origin})", bold=True)
        typer.echo(
            f"title: {article.title or '-'} | source: {article.source or '-'} | published: "
            f"{article.published or '-'} ({article.date_source or 'unknown'}) | language: {article.language}"
        )
        typer.secho(f"-- removed {len(result.removed)} line(s)", bold=True)
        for removed in result.removed:
            typer.echo(f"[{removed.reason}] {removed.line}")
        typer.secho("-- clean text", bold=True)
        typer.echo(article.text)
    if not found:
        raise InputError(file, "no readable document")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("articles")(articles_command)
    app.command("clean")(clean_command)
