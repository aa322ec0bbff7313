"""``detente run --engine ray``: the per-article stages on a Ray cluster, the global ones in DuckDB.

Two passes of Ray Data over the input files, with DuckDB in between, give the articles, events and
dedup features of a local run:

1. Read and extract each file; emit each article's candidate boilerplate line keys. The driver
   counts them per source in the store (table ``source_lines``, as a local ingest does, so lines
   are learned across runs) and takes the lines learned for this run's articles.
2. Read each file again and clean it with the learned lines (a small broadcast); then, in actors
   that load spaCy and MiniLM once (never pickled), extract events and compute each article's dedup
   features (hash, MinHash, lead embedding, actors, facts). Rows go to Parquet shards.

The shards are loaded into the store. Lines learned only now are stripped from articles stored by
earlier runs, whose events are then re-extracted locally. The global stages (duplicates and
stories, relations) run as in a local run, taking the workers' features instead of recomputing
them. No Ray groupby or shuffle is used: global aggregation is DuckDB's job.

On a cluster, set ``RAY_ADDRESS`` (e.g. ``ray://head:10001``) and give input paths every worker can
read (a shared file system or object store mount); see docs/scale.md.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from detente.errors import InputError
from detente.pipeline import STAGES, RunOptions, StageSummary, run_pipeline
from detente.progress import Reporter
from detente.records import Article, Event, RawDocument
from detente.serialise import jsonable
from detente.store import Store
from detente.store.articles import UpsertCounts, upsert_articles
from detente.store.events import event_row, replace_events, row_event
from detente.store.marks import mark_done

if TYPE_CHECKING:
    import pyarrow

    from detente.clean.learned import LearnedBoilerplate
    from detente.dedup.signatures import DocFeatures

ARTICLE_FIELDS = ("id", "url", "source", "title", "published", "date_source", "language", "author", "origin", "text")
LINES_DIR = "lines"
ARTICLES_DIR = "articles"
FEATURES_COLUMN = "dedup"
EXTRACT_BATCH = 32
READ_CPUS = 0.25
EXTRACT_CPUS = 0.75
LOAD_BATCH = 500
# After loading: the events stage only re-extracts articles that lost learned lines after pass 2.
LOCAL_STAGES = tuple(stage for stage in STAGES if stage[0] != "ingest")


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


def _read(path: str, max_bytes: int, collector: Reporter) -> Iterator[RawDocument]:
    from detente.ingest.readers import read_documents

    return read_documents([path], RunOptions(max_bytes=max_bytes, workers=1), collector)


def read_line_keys(item: dict[str, Any], max_bytes: int) -> Iterator[dict[str, Any]]:
    """Pass 1 (Ray ``flat_map``): one input file → per article, its candidate boilerplate lines."""
    from detente.ingest.stage import article_lines_of, extract_all

    collector = Reporter(quiet=True)  # pass 2 reads the same files and reports their problems
    for raw in _read(item["path"], max_bytes, collector):
        for lines in article_lines_of(extract_all([raw], collector)):
            # keys as int64 bytes: a list column would lose its type in blocks where every list is empty
            keys = np.array(sorted(lines.keys), dtype="<i8").tobytes()
            yield {"doc_id": lines.doc_id, "source": lines.source, "doc_hash": lines.doc_hash, "keys": keys}


def read_clean_file(item: dict[str, Any], max_bytes: int, learned: LearnedBoilerplate) -> Iterator[dict[str, Any]]:
    """Pass 2 (Ray ``flat_map``): one input file → rows of clean articles, or one row per warning."""
    from detente.ingest.stage import clean_all, extract_all

    collector = Reporter(quiet=True)
    for raw in _read(item["path"], max_bytes, collector):
        for article in clean_all(extract_all([raw], collector), learned, collector):
            yield _article_row(article)
    for message in collector.warnings:
        yield _warning_row(message)


def features_type() -> pyarrow.DataType:
    """The Parquet struct of one article's dedup features (``signatures.feature_row`` by name)."""
    import pyarrow

    from detente.dedup.signatures import FEATURE_COLUMNS

    text, texts = pyarrow.string(), pyarrow.list_(pyarrow.string())
    types = {
        **dict.fromkeys(("doc_id", "text_hash", "language", "source", "title", "lead_actor"), text),
        **dict.fromkeys(("actors", "numbers", "dates", "names", "lead_numbers", "lead_dates"), texts),
        "published": pyarrow.date32(),
        "chars": pyarrow.int64(),
        "minhash": pyarrow.binary(),
        "embedding": pyarrow.binary(),
    }
    return pyarrow.struct([(name, types[name]) for name in FEATURE_COLUMNS])


class ArticleProcessor:
    """A Ray actor: loads spaCy and MiniLM once, then adds events and dedup features batch after batch."""

    def __init__(self) -> None:
        from detente.dedup.settings import load_settings
        from detente.dedup.stage import default_embedder
        from detente.events.extract import extract_batch

        self.extract = extract_batch
        self.settings = load_settings()
        self.embed = default_embedder(self.settings)

    def __call__(self, batch: pyarrow.Table) -> pyarrow.Table:
        import pyarrow

        from detente.dedup.signatures import FEATURE_COLUMNS, actor_codes, compute_features, feature_row

        rows = batch.to_pylist()
        articles = [_row_article(row) for row in rows if not row["warning"]]
        events = self.extract([article for article in articles if article.language == "en"])
        by_doc: dict[str, list[list[Any]]] = {}
        for event in events:
            by_doc.setdefault(event.doc_id, []).append(jsonable(event_row(event)))
        # the codes the dedup stage would read from the events table of a local run
        codes = actor_codes(
            (article.id for article in articles),
            ((event.doc_id, event.source.code, event.target.code if event.target else None) for event in events),
        )
        features = {
            feature.doc_id: dict(zip(FEATURE_COLUMNS, feature_row(feature), strict=True))
            for feature in compute_features(articles, self.settings, codes, self.embed)
        }
        for row in rows:
            row["events"] = json.dumps(by_doc.get(row["id"] or "", []))
            row[FEATURES_COLUMN] = features.get(row["id"] or "")
        schema = batch.schema.append(pyarrow.field(FEATURES_COLUMN, features_type()))
        return pyarrow.Table.from_pylist(rows, schema=schema)


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


def _files_dataset(files: list[str], options: RunOptions) -> Any:
    import ray

    _init_ray(options)
    blocks = max(1, min(len(files), options.workers * 4))
    return ray.data.from_items([{"path": path} for path in files], override_num_blocks=blocks)


def map_line_keys(files: list[str], out: Path, options: RunOptions) -> None:
    """Pass 1 on Ray Data: the candidate boilerplate lines of every article, as Parquet under ``out``."""
    lines = _files_dataset(files, options).flat_map(
        read_line_keys, fn_kwargs={"max_bytes": options.max_bytes}, num_cpus=READ_CPUS
    )
    lines.write_parquet(str(out))


def map_articles(files: list[str], out: Path, options: RunOptions, learned: LearnedBoilerplate) -> None:
    """Pass 2 on Ray Data: clean articles with their events and dedup features, as Parquet under ``out``."""
    import ray

    # Fractional CPUs so reading tasks still get scheduled while every processing actor is alive:
    # with whole CPUs the actors take all slots and the reads that feed them never run.
    articles = _files_dataset(files, options).flat_map(
        read_clean_file, fn_kwargs={"max_bytes": options.max_bytes, "learned": learned}, num_cpus=READ_CPUS
    )
    processed = articles.map_batches(
        ArticleProcessor,
        batch_size=EXTRACT_BATCH,
        compute=ray.data.ActorPoolStrategy(size=max(1, options.workers)),
        num_cpus=EXTRACT_CPUS,
        batch_format="pyarrow",
    )
    processed.write_parquet(str(out))


def _shard_batches(folder: Path, select: str, order: str) -> Iterator[list[dict[str, Any]]]:
    """Rows of the Parquet shards under ``folder``, ``LOAD_BATCH`` at a time; none when Ray wrote none."""
    import duckdb

    if not any(folder.glob("*.parquet")):
        return
    with duckdb.connect() as reader:
        cursor = reader.execute(f"SELECT {select} FROM read_parquet('{folder.as_posix()}/*.parquet') ORDER BY {order}")
        names = [column[0] for column in cursor.description]
        while rows := cursor.fetchmany(LOAD_BATCH):
            yield [dict(zip(names, row, strict=True)) for row in rows]


def learn_boilerplate(folder: Path, store: Store) -> tuple[LearnedBoilerplate, dict[str, set[int]]]:
    """Count pass 1's lines into the store as a local ingest does; the lines learned for this run's
    articles, and per source those learned only now (to strip from articles stored earlier)."""
    from detente.clean.learned import LearnedBoilerplate
    from detente.ingest.line_counts import ArticleLines
    from detente.ingest.stage import record_learned

    learned = LearnedBoilerplate()
    newly_learned: dict[str, set[int]] = {}
    for records in _shard_batches(folder, "doc_id, source, doc_hash, keys", "doc_id"):
        batch = [
            ArticleLines(
                record["doc_id"],
                record["source"],
                record["doc_hash"],
                frozenset(np.frombuffer(record["keys"], dtype="<i8").tolist()),
            )
            for record in records
        ]
        for source, keys in record_learned(store, batch, newly_learned).keys_by_source.items():
            learned.keys_by_source.setdefault(source, set()).update(keys)
    return learned, newly_learned


def load_parquet(out: Path, store: Store, reporter: Reporter) -> StageSummary:
    """Shards → store: articles upserted, events replaced and marked done, in batches."""
    from detente.events.stage import STAGE, stage_version

    counts = UpsertCounts()
    events_total = 0
    version = stage_version()
    for records in _shard_batches(out, f"* EXCLUDE ({FEATURES_COLUMN})", "id NULLS LAST"):
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
    return {
        "ingested": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "skipped": len(reporter.warnings),
        "events": events_total,
    }


class ShardFeatures:
    """The dedup features the Ray workers computed, read back by article id (a
    ``detente.dedup.signatures.FeatureSource``).

    The shards are copied once into a scratch DuckDB table beside them: looking each batch up in
    the Parquet files would scan every shard once per batch, quadratic in the corpus. Each lookup
    opens the table read-only, so the source pickles and the dedup stage's worker processes can
    read it too."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._scratch = folder.parent / "features.duckdb"
        self._state: Literal["closed", "empty", "indexed"] = "closed"

    def __enter__(self) -> ShardFeatures:
        import duckdb

        self._scratch.unlink(missing_ok=True)
        if any(self.folder.glob("*.parquet")):
            with duckdb.connect(str(self._scratch)) as con:
                con.execute(
                    f"CREATE TABLE features AS SELECT id, {FEATURES_COLUMN} FROM read_parquet("
                    f"'{self.folder.as_posix()}/*.parquet') WHERE {FEATURES_COLUMN} IS NOT NULL ORDER BY id"
                )
            self._state = "indexed"
        else:
            self._state = "empty"
        return self

    def __exit__(self, *exc: object) -> None:
        self._state = "closed"
        self._scratch.unlink(missing_ok=True)

    def __call__(self, articles: Sequence[Article]) -> dict[str, DocFeatures]:
        import duckdb

        from detente.dedup.signatures import FEATURE_COLUMNS, row_feature

        if self._state == "closed":
            raise RuntimeError("ShardFeatures is read inside its `with` block")
        if self._state == "empty":
            return {}
        with duckdb.connect(str(self._scratch), read_only=True) as con:
            rows = con.execute(
                f"SELECT {FEATURES_COLUMN} FROM features WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [[article.id for article in articles]],
            ).fetchall()
        return {values["doc_id"]: row_feature([values[name] for name in FEATURE_COLUMNS]) for (values,) in rows}


def run_with_ray(
    paths: Sequence[str], store: Store, options: RunOptions, reporter: Reporter
) -> dict[str, StageSummary]:
    from detente.ingest.stage import apply_learned_to_earlier

    files = expand_files(paths, reporter)
    out = Path(options.extra.get("parquet_dir") or f"{store.path}.parquet")
    with store.writer():
        if out.exists():
            shutil.rmtree(out)
        with reporter.task("ray: find repeated lines", total=None):
            map_line_keys(files, out / LINES_DIR, options)
        learned, newly_learned = learn_boilerplate(out / LINES_DIR, store)
        with reporter.task("ray: read, clean, extract, dedup features", total=None):
            map_articles(files, out / ARTICLES_DIR, options, learned)
        summary = load_parquet(out / ARTICLES_DIR, store, reporter)
        summary["recleaned"] = apply_learned_to_earlier(store, newly_learned, options.batch_size)
        summaries: dict[str, StageSummary] = {"ray": summary}
        with ShardFeatures(out / ARTICLES_DIR) as features:
            local = dataclasses.replace(options, extra={**options.extra, "dedup_features": features})
            summaries.update(run_pipeline([], store, local, reporter, stages=LOCAL_STAGES))
    return summaries
