"""What every command shares: the --db option, output formats, the reporter."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from detente.progress import Reporter
from detente.serialise import jsonable
from detente.store import DEFAULT_DB, Store

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB file holding the store.", envvar="DETENTE_DB")


class TableFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    json = "json"


def reporter(ctx: typer.Context) -> Reporter:
    state = ctx.find_root().obj or {}
    return Reporter(quiet=state.get("quiet", False), verbose=state.get("verbose", False))


def store_at(db: Path) -> Store:
    return Store(db)


def emit_records(
    records: Iterable[Mapping[str, Any]],
    fmt: TableFormat,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    out: io.TextIOBase | None = None,
) -> int:
    """Write records to stdout as a rich table, JSON lines, one JSON array, or CSV."""
    stream = out or sys.stdout
    rows = [jsonable(record) for record in records]
    if fmt is TableFormat.jsonl:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is TableFormat.json:
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is TableFormat.csv:
        names = list(columns or (rows[0].keys() if rows else []))
        writer = csv.DictWriter(stream, fieldnames=names, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _flat(row.get(key)) for key in names})
    else:
        names = list(columns or (rows[0].keys() if rows else []))
        table = Table(title=title, show_lines=False)
        for name in names:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(name)) for name in names))
        Console(file=stream).print(table)
    return len(rows)


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(_flat(value))
