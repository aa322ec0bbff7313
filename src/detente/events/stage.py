"""The events stage: extract events from English articles not yet processed at their current text.

Batches are written one transaction each (events replaced, marks set), so an interrupted run keeps
what it finished. A run of more than one batch sends them to a spawn process pool of
``options.workers`` processes that load spaCy and the actor resolver once, in their initializer;
with one worker too, so that the parsing memory goes away with the pool instead of staying in the
process that runs the later stages. A single batch is parsed in this process.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import astuple, fields
from importlib import resources
from typing import Any

from detente.events.stats import ExtractionStats
from detente.processes import spawn_pool
from detente.progress import Reporter
from detente.records import Article, Event
from detente.store import Store
from detente.store.articles import iter_articles
from detente.store.events import replace_events
from detente.store.marks import mark_done, pending_documents

STAGE = "events"
LANGUAGE = "en"
_CODE_VERSION = "1"  # bump when extraction logic changes in a way the data files do not show


def stage_version() -> str:
    """Changes whenever the trigger, cue or ontology data change, so articles are re-extracted."""
    digest = hashlib.sha1(_CODE_VERSION.encode())
    folder = resources.files("detente.data") / "events"
    for name in sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml")):
        digest.update((folder / name).read_bytes())
    return f"{_CODE_VERSION}-{digest.hexdigest()[:12]}"


# The extractor is imported where it runs: spaCy costs this process about 85 MiB, and with more
# than one batch only the pool's workers parse.
def _init_worker() -> None:
    from detente.events.extract import default_extractor

    extractor = default_extractor()
    extractor.pipeline()
    extractor.actor_resolver()


def extract_with_stats(articles: list[Article]) -> tuple[list[Event], tuple[int, ...]]:
    """Events of a batch and this batch's counters (picklable, for pool workers)."""
    from detente.events.extract import default_extractor

    extractor = default_extractor()
    extractor.stats = ExtractionStats()
    events = extractor.extract(articles)
    return events, astuple(extractor.stats)


def _batches(ids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _load(store: Store, ids: list[str]) -> list[Article]:
    return list(iter_articles(store, ids=ids, batch_size=max(len(ids), 1)))


def extract_stage(store: Store, options: Any, reporter: Reporter) -> dict[str, Any]:
    version = stage_version()
    ids = pending_documents(store, STAGE, version, language=LANGUAGE)
    totals = ExtractionStats()
    started = time.perf_counter()
    batch_size = max(1, int(getattr(options, "batch_size", 200)))
    workers = max(1, int(getattr(options, "workers", 1)))
    batches = list(_batches(ids, batch_size))

    def write(batch: list[str], events: list[Event], counters: tuple[int, ...]) -> None:
        with store.transaction() as con:
            replace_events(con, batch, events)
            mark_done(con, STAGE, version, batch)
        for counter, value in zip(fields(ExtractionStats), counters, strict=True):
            setattr(totals, counter.name, getattr(totals, counter.name) + value)

    with reporter.task("events", total=len(ids)) as task:
        if len(batches) > 1:
            with spawn_pool(min(workers, len(batches)), _init_worker) as pool:
                # articles are read here, between writes, so no connection is held during parsing;
                # a bounded window keeps memory flat on large corpora
                in_flight: deque[tuple[list[str], Future[tuple[list[Event], tuple[int, ...]]]]] = deque()
                for batch in batches:
                    in_flight.append((batch, pool.submit(extract_with_stats, _load(store, batch))))
                    if len(in_flight) >= 2 * workers:
                        done, future = in_flight.popleft()
                        write(done, *future.result())
                        task.advance(len(done))
                while in_flight:
                    done, future = in_flight.popleft()
                    write(done, *future.result())
                    task.advance(len(done))
        else:
            for batch in batches:
                write(batch, *extract_with_stats(_load(store, batch)))
                task.advance(len(batch))
    elapsed = time.perf_counter() - started
    return {
        "articles": len(ids),
        "events": totals.events,
        "sentences_parsed": totals.sentences_parsed,
        "sentences_reused": totals.sentences_reused,
        "words_per_s": round(totals.words / elapsed) if elapsed > 0 and totals.words else 0,
    }
