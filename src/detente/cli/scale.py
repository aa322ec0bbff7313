"""``detente synth``: synthetic corpora with gold, for load tests and accuracy at scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.common import DbOption, TableFormat, emit_records, reporter, store_at


def register(app: typer.Typer) -> None:
    @app.command("synth")
    def synth_command(
        ctx: typer.Context,
        n: Annotated[int, typer.Option("--n", min=1, help="Number of articles (planted copies included).")],
        out: Annotated[Path, typer.Option(help="Folder for articles/articles-*.jsonl shards and gold.jsonl.")],
        seed: Annotated[int, typer.Option(help="Random seed: same seed, same corpus.")] = 0,
    ) -> None:
        """Write N realistic synthetic articles with their gold events and duplicate links."""
        from detente.scale.synth import write_corpus

        report = reporter(ctx)
        with report.task("synth", total=None):
            counts = write_corpus(n, out, seed)
        if not report.quiet:
            typer.echo(", ".join(f"{key} {value}" for key, value in counts.items()) + f" → {out}")

    @app.command("bench")
    def bench_command(
        ctx: typer.Context,
        n: Annotated[int, typer.Option("--n", min=10, help="Synthetic articles to run through the pipeline.")] = 1000,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes for extraction.")] = 1,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        results: Annotated[Path, typer.Option(help="Folder that keeps every run's figures.")] = Path("bench/results"),
        save: Annotated[bool, typer.Option(help="Keep this run's figures in --results.")] = True,
        stages: Annotated[
            str, typer.Option(help="Comma-separated stages to time (ingest first); default all.")
        ] = "ingest,events,stories,relations",
    ) -> None:
        """Per-stage docs/s and words/s, and extraction speed against spaCy's full pipeline."""
        from detente.scale.accuracy import summary_lines
        from detente.scale.bench import run_bench, save_result

        report = reporter(ctx)
        with report.task("bench", total=None):
            result = run_bench(n, workers, reporter=report, stages=tuple(stages.split(",")))
        record = result.as_dict()
        saved = save_result(result, results) if save else None
        if as_json:
            typer.echo(json.dumps(record))
            return
        emit_records(record["stages"], TableFormat.table, title=f"detente bench, n={n}, workers={workers}")
        if "ratio" in record:
            typer.echo(
                f"extraction {record['extractor_words_per_s']:.0f} words/s, spaCy full pipeline "
                f"{record['spacy_full_words_per_s']:.0f} words/s: ratio {record['ratio']:.1f} "
                f"(against the full pipeline with detente's inference speed-ups, "
                f"{record['spacy_full_tuned_words_per_s']:.0f} words/s: {record['ratio_against_tuned']:.1f})"
            )
        phases = ", ".join(f"{phase} {peak:.0f}" for phase, peak in record["phase_peak_rss_mb"].items())
        typer.echo(
            f"peak memory of the pipeline {record['pipeline_peak_rss_mb']:.0f} MiB, workers included "
            f"(by phase: {phases}; largest single process of the whole bench {record['peak_rss_mb']:.0f})"
            + (f"; saved {saved}" if saved else "")
        )
        if stories := record["stories"]:
            typer.echo(f"stories {stories['count']}, the largest with {stories['largest']} articles")
        for line in summary_lines(record["accuracy"]):
            typer.echo(line)

    @app.command("accuracy")
    def accuracy_command(
        gold: Annotated[Path, typer.Argument(help="gold.jsonl written by `detente synth` beside the articles.")],
        db: Path = DbOption,
        as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
    ) -> None:
        """Score a run on a synthetic corpus: its events, copies and stories against the planted gold."""
        from detente.scale.accuracy import accuracy_against_gold, summary_lines

        scores = accuracy_against_gold(store_at(db), gold)
        if as_json:
            typer.echo(json.dumps(scores))
            return
        for line in summary_lines(scores):
            typer.echo(line)
