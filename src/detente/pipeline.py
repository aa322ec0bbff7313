"""The pipeline: stages in order, each a function over the store.

A stage is named by a dotted path so the order is data and every stage stays importable on its
own (the Ray runner in ``detente.scale`` reuses the per-document parts). Stage functions take
``(store, options, reporter)`` — the ingest stage also takes the input paths — and return a
summary mapping that ``detente run`` prints.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from detente.progress import Reporter
from detente.store import Store

StageSummary = dict[str, Any]

STAGES: tuple[tuple[str, str], ...] = (
    ("ingest", "detente.ingest.stage:ingest_stage"),
    ("events", "detente.events.stage:extract_stage"),
    ("stories", "detente.dedup.stage:dedup_stage"),
    ("relations", "detente.relations.stage:relations_stage"),
)


@dataclass(slots=True)
class RunOptions:
    strict: bool = False
    max_bytes: int = 20 * 1024 * 1024
    batch_size: int = 200
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    extra: dict[str, Any] = field(default_factory=dict)


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
            stage = load_stage(dotted)
            reporter.debug(f"stage {name}")
            if name == "ingest":
                summaries[name] = stage(store, list(paths), options, reporter)
            else:
                summaries[name] = stage(store, options, reporter)
    return summaries
