"""The pipeline: stages in order, each a function over the store.

A stage is named by a dotted path so the order is data and every stage stays importable on its
own (the Ray runner in ``detente.scale`` reuses the per-document parts). Stage functions take
``(store, options, reporter)`` — the ingest stage also takes the input paths — and return a
summary mapping that ``detente run`` prints.
"""

from __future__ import annotations

import importlib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from detente.ingest.sources import STDIN
from detente.processes import spawn_pool
from detente.progress import Reporter
from detente.store import Store

StageSummary = dict[str, Any]

STAGES: tuple[tuple[str, str], ...] = (
    ("ingest", "detente.ingest.stage:ingest_stage"),
    ("events", "detente.events.stage:extract_stage"),
    ("stories", "detente.dedup.stage:dedup_stage"),
    ("relations", "detente.relations.stage:relations_stage"),
)
# Stages whose own process parses every document (ingest) or reads and writes every batch (events):
# what their allocator keeps afterwards would sit beside the next stages' workers for the rest of
# the run, so with ``stage_processes`` they run in a spawned process and their memory leaves with it.
OWN_PROCESS_STAGES = frozenset({"ingest", "events"})


@dataclass(slots=True)
class RunOptions:
    strict: bool = False
    max_bytes: int = 20 * 1024 * 1024
    batch_size: int = 200
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    extra: dict[str, Any] = field(default_factory=dict)
    # Run OWN_PROCESS_STAGES in a process of their own (about 1 s to start; ``extra`` must pickle).
    # The CLI turns it on; scripts that enable it need the ``if __name__ == "__main__":`` guard.
    stage_processes: bool = False


def load_stage(dotted: str) -> Callable[..., StageSummary]:
    module_name, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def run_pipeline(
    paths: Sequence[str],
    store: Store,
    options: RunOptions | None = None,
    reporter: Reporter | None = None,
    stages: Sequence[tuple[str, str]] = STAGES,
) -> dict[str, StageSummary]:
    """Run every stage in order under the writer lock; returns each stage's summary."""
    options = options or RunOptions()
    reporter = reporter or Reporter()
    summaries: dict[str, StageSummary] = {}
    with store.writer():
        for name, dotted in stages:
            reporter.debug(f"stage {name}")
            summaries[name] = run_stage(name, dotted, store, paths, options, reporter)
    return summaries


def run_stage(
    name: str, dotted: str, store: Store, paths: Sequence[str], options: RunOptions, reporter: Reporter
) -> StageSummary:
    """One stage, in this process or (``options.stage_processes``) in a spawned one; the caller
    holds the store's writer lock either way."""
    # a spawned process reads /dev/null, not this one's standard input
    if options.stage_processes and name in OWN_PROCESS_STAGES and STDIN not in paths:
        with spawn_pool(1) as pool:
            child = pool.submit(
                _stage_in_child, name, dotted, store.path, list(paths), options, reporter.quiet, reporter.verbose
            )
            summary, warnings, counters = child.result()
        reporter.warnings.extend(warnings)
        reporter.counters.update(counters)
        return summary
    stage = load_stage(dotted)
    if name == "ingest":
        return stage(store, list(paths), options, reporter)
    return stage(store, options, reporter)


def _stage_in_child(
    name: str, dotted: str, path: Path, paths: list[str], options: RunOptions, quiet: bool, verbose: bool
) -> tuple[StageSummary, list[str], Counter[str]]:
    """The child's side: its own reporter draws progress on the same terminal; its warnings and
    counters go back to the parent's."""
    reporter = Reporter(quiet=quiet, verbose=verbose)
    summary = run_stage(name, dotted, Store(path), paths, replace(options, stage_processes=False), reporter)
    return summary, reporter.warnings, reporter.counters
