"""``detente run --engine ray``: the per-article stages on a Ray cluster, the global ones in DuckDB.

Ray Data maps the engine-independent batch functions over the inputs — read and clean one file,
extract events from a batch of articles (spaCy loaded once per worker actor, never pickled) — and
writes Parquet shards. The global stages (duplicates and stories, relations) then run exactly as in
a local run, over the store that the shards were loaded into. No Ray groupby or shuffle is used:
global aggregation is DuckDB's job.

On a cluster, set ``RAY_ADDRESS`` (e.g. ``ray://head:10001``) and give input paths every worker can
read (a shared file system or object store mount); see docs/scale.md.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.errors import InputError
from detente.pipeline import STAGES, RunOptions, StageSummary, run_pipeline
from detente.progress import Reporter
from detente.records import Article, Event
from detente.serialise import jsonable
from detente.store import Store
from detente.store.articles import UpsertCounts, upsert_articles
from detente.store.events import event_row, replace_events, row_event
from detente.store.marks import mark_done

if TYPE_CHECKING:
    import pyarrow

ARTICLE_FIELDS = ("id", "url", "source", "title", "published", "date_source", "language", "author", "origin", "text")
EXTRACT_BATCH = 32
READ_CPUS = 0.25
EXTRACT_CPUS = 0.75
LOAD_BATCH = 500
GLOBAL_STAGES = tuple(stage for stage in STAGES if stage[0] not in {"ingest", "events"})


def _article_row(article: Article) -> dict[str, Any]:
    row = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    row["published"] = article.published.isoformat() if article.published else None
    row["metadata"] = json.dumps(jsonable(article.metadata), ensure_ascii=False)
    row["warning"] = ""  # a string, never null, so the column keeps one type in every block
    row["events"] = "[]"
    return row


def _row_article(row: dict[str, Any]) -> Article:
    fields = {name: row[name] for name in ARTICLE_FIELDS}
    fields["published"] = date.fromisoformat(row["published"]) if row["published"] else None
    return Article(**fields, metadata=json.loads(row["metadata"] or "{}"))


def _warning_row(message: str) -> dict[str, Any]:
    return {**dict.fromkeys(ARTICLE_FIELDS), "metadata": None, "warning": message, "events": "[]"}


def read_clean_file(item: dict[str, Any], max_bytes: int) -> Iterator[dict[str, Any]]:
    """One input file → rows of clean articles, or one row per warning (Ray ``flat_map``)."""
    from detente.clean.document import clean_document
    from detente.ingest.readers import read_documents

    collector = Reporter(quiet=True)
    for raw in read_documents([item["path"]], RunOptions(max_bytes=max_bytes, workers=1), collector):
        yield _article_row(clean_document(raw).article)
    for message in collector.warnings:
        yield _warning_row(message)


class EventExtractor:
    """A Ray actor: loads the extraction pipeline once, then fills ``events`` batch after batch."""

    def __init__(self) -> None:
        from detente.events.extract import extract_batch

        self.extract = extract_batch

    def __call__(self, batch: pyarrow.Table) -> pyarrow.Table:
        import pyarrow

        rows = batch.to_pylist()
        english = [_row_article(row) for row in rows if not row["warning"] and row["language"] == "en"]
        by_doc: dict[str, list[list[Any]]] = {}
        for event in self.extract(english):
            by_doc.setdefault(event.doc_id, []).append(jsonable(event_row(event)))
        for row in rows:
            row["events"] = json.dumps(by_doc.get(row["id"] or "", []))
        return pyarrow.Table.from_pylist(rows, schema=batch.schema)


def _event_from_json(values: list[Any]) -> Event:
    event = row_event(values)
    if isinstance(event.date, str):
        event.date = date.fromisoformat(event.date)
    return event


def expand_files(paths: Sequence[str], reporter: Reporter) -> list[str]:
    from detente.ingest.sources import expand_inputs

    if "-" in paths:
        raise InputError("-: stdin cannot be shared with Ray workers; write it to a file first")
    return [source.label for source in expand_inputs(paths, reporter)]


def _init_ray(options: RunOptions) -> None:
    import ray

    if ray.is_initialized():
        return
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=options.workers, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False


def map_to_parquet(files: list[str], out: Path, options: RunOptions) -> None:
    """The per-article stages on Ray Data; one Parquet shard per block under ``out``."""
    import ray

    _init_ray(options)
    blocks = max(1, min(len(files), options.workers * 4))
    dataset = ray.data.from_items([{"path": path} for path in files], override_num_blocks=blocks)
    # Fractional CPUs so reading tasks still get scheduled while every extractor actor is alive:
    # with whole CPUs the actors take all slots and the reads that feed them never run.
    articles = dataset.flat_map(read_clean_file, fn_kwargs={"max_bytes": options.max_bytes}, num_cpus=READ_CPUS)
    with_events = articles.map_batches(
        EventExtractor,
        batch_size=EXTRACT_BATCH,
        compute=ray.data.ActorPoolStrategy(size=max(1, options.workers)),
        num_cpus=EXTRACT_CPUS,
        batch_format="pyarrow",
    )
    if out.exists():
        shutil.rmtree(out)
    with_events.write_parquet(str(out))


def load_parquet(out: Path, store: Store, reporter: Reporter) -> StageSummary:
    """Shards → store: articles upserted, events replaced and marked done, in batches."""
    import duckdb

    from detente.events.stage import STAGE, stage_version

    counts = UpsertCounts()
    events_total = 0
    version = stage_version()
    reader = duckdb.connect()
    cursor = reader.execute(f"SELECT * FROM read_parquet('{out.as_posix()}/*.parquet') ORDER BY id NULLS LAST")
    names = [column[0] for column in cursor.description]
    while rows := cursor.fetchmany(LOAD_BATCH):
        records = [dict(zip(names, row, strict=True)) for row in rows]
        for record in records:
            if record["warning"]:
                reporter.warn(record["warning"])
        loaded = [record for record in records if not record["warning"]]
        articles = [_row_article(record) for record in loaded]
        counts.add(upsert_articles(store, articles))
        events = [_event_from_json(values) for record in loaded for values in json.loads(record["events"])]
        english = [article.id for article in articles if article.language == "en"]
        with store.transaction() as con:
            replace_events(con, english, events)
            mark_done(con, STAGE, version, english)
        events_total += len(events)
    reader.close()
    return {
        "ingested": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "skipped": len(reporter.warnings),
        "events": events_total,
    }


def run_with_ray(
    paths: Sequence[str], store: Store, options: RunOptions, reporter: Reporter
) -> dict[str, StageSummary]:
    files = expand_files(paths, reporter)
    out = Path(options.extra.get("parquet_dir") or f"{store.path}.parquet")
    with store.writer():
        with reporter.task("ray: read, clean, extract", total=None):
            map_to_parquet(files, out, options)
        summaries: dict[str, StageSummary] = {"ray": load_parquet(out, store, reporter)}
        summaries.update(run_pipeline([], store, options, reporter, stages=GLOBAL_STAGES))
    return summaries
