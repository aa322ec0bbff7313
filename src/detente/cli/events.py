"""``detente events`` (export event mentions), ``detente eval plover-gsr`` and ``detente eval corpus``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from detente.cli.common import DbOption, TableFormat, emit_records, store_at
from detente.errors import ConfigError
from detente.records import Event
from detente.serialise import jsonable
from detente.store import Store
from detente.store.events import load_counted_events, load_events

TABLE_COLUMNS = [
    "date",
    "event_type",
    "mode",
    "source_code",
    "target_code",
    "modality",
    "quantity",
    "trigger",
    "doc_id",
]
_ACTOR_FIELDS = ("text", "code", "sector", "actor_id", "name", "role", "confidence")


class EventFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def event_record(event: Event, num_articles: int | None = None, num_sources: int | None = None) -> dict[str, Any]:
    """One exported event: the documented schema, source/target as nested objects."""
    record = jsonable(event)
    if num_articles is not None:
        record["num_articles"] = num_articles
        record["num_sources"] = num_sources
    return record


def canonical_records(store: Store) -> list[dict[str, Any]]:
    """One record per real-world event with its counts and documents; before the stories stage
    has run, every mention stands alone."""
    from detente.dedup.canonical import load_canonical_events

    canonical = load_canonical_events(store)
    if not canonical:
        return [
            {**event_record(event, articles, sources), "doc_ids": [event.doc_id], "mention_ids": [event.event_id]}
            for event, articles, sources in load_counted_events(store)
        ]
    return [
        {
            **event_record(item.event, item.num_articles, item.num_sources),
            "canonical_id": item.canonical_id,
            "doc_ids": item.doc_ids,
            "mention_ids": item.mention_ids,
        }
        for item in canonical
    ]


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """Nested actors as ``source_code``, ``target_sector`` ...: for CSV, Parquet and the table."""
    flat = {key: value for key, value in record.items() if key not in ("source", "target")}
    for role in ("source", "target"):
        actor = record.get(role) or {}
        flat.update({f"{role}_{name}": actor.get(name) for name in _ACTOR_FIELDS})
    return flat


def _write_parquet(records: list[dict[str, Any]], out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [flat_record(record) for record in records]
    pq.write_table(pa.Table.from_pylist(rows), out)


def _score_row(name: str, support: int, scores: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"category": name, "support": support}
    for level in ("type", "triple"):
        row.update({f"{level}_{key}": scores[level][key] for key in ("precision", "recall", "f1")})
    return row


def register(app: typer.Typer) -> None:
    @app.command("events")
    def events_command(
        db: Path = DbOption,
        fmt: Annotated[EventFormat, typer.Option("--format", help="table, jsonl, csv or parquet.")] = EventFormat.table,
        canonical: Annotated[
            bool, typer.Option("--canonical", help="One record per real-world event, with article counts.")
        ] = False,
        out: Annotated[
            Path | None, typer.Option("--out", help="Write here instead of stdout (needed for parquet).")
        ] = None,
    ) -> None:
        """Extracted events: who did what to whom, when, with the sentence as evidence."""
        store = store_at(db)
        records = canonical_records(store) if canonical else [event_record(e) for e in load_events(store)]
        if fmt is EventFormat.parquet:
            if out is None:
                raise ConfigError("--format parquet needs --out FILE")
            _write_parquet(records, out)
            return
        stream = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            if fmt is EventFormat.jsonl:
                emit_records(records, TableFormat.jsonl, out=stream)  # type: ignore[arg-type]
            elif fmt is EventFormat.csv:
                emit_records([flat_record(r) for r in records], TableFormat.csv, out=stream)  # type: ignore[arg-type]
            else:
                emit_records([flat_record(r) for r in records], TableFormat.table, TABLE_COLUMNS, "events", out=stream)  # type: ignore[arg-type]
        finally:
            if out:
                stream.close()

    eval_app = typer.Typer(help="Score extraction against gold-standard data.", no_args_is_help=True)

    @eval_app.command("plover-gsr")
    def plover_gsr_command(
        path: Annotated[Path, typer.Argument(help="PLOVER_GSR_CAMEO.txt (PLOVER gold-standard records).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    ) -> None:
        """Per-category and micro precision/recall/F1 for event type and (source, type, target)."""
        from detente.events.evaluate import evaluate_gsr

        result = evaluate_gsr(path)
        if as_json:
            typer.echo(json.dumps(result, indent=2))
            return
        rows = [_score_row(name, values["support"], values) for name, values in result["per_category"].items()]
        rows.append(_score_row("micro", result["sentences"], result))
        emit_records(rows, TableFormat.table, title=f"PLOVER GSR ({result['sentences']} sentences)")

    @eval_app.command("corpus")
    def corpus_command(
        gold_dir: Annotated[Path, typer.Argument(help="Folder of corpus gold *.yaml (e.g. tests/gold/corpus).")],
        db: Path = DbOption,
        as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    ) -> None:
        """Triple P/R/F1 of the events in --db against the example-corpus gold."""
        from detente.events.evaluate import read_corpus_gold, score_corpus

        result = score_corpus(read_corpus_gold(gold_dir), load_events(store_at(db)))
        if as_json:
            typer.echo(json.dumps(result, indent=2))
            return
        rows = [{"category": name, **scores} for name, scores in result["per_category"].items()]
        rows.append({"category": "micro", **result["triple"]})
        emit_records(rows, TableFormat.table, title=f"Example corpus ({result['articles']} articles), triples")

    app.add_typer(eval_app, name="eval")
