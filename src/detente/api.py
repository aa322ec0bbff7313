"""The Python API: the CLI's verbs as functions, and ``open(db)`` for typed queries."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from detente.pipeline import STAGES, RunOptions, StageSummary, run_pipeline
from detente.progress import Reporter
from detente.records import Article, CanonicalEvent, Event, ReciprocityLink
from detente.relations.analysis import DyadAnalysis, analyse_dyad
from detente.relations.dyads import load_groups, parse_dyad
from detente.relations.reciprocity import DEFAULT_WINDOW_DAYS, find_links
from detente.relations.stage import counted_events
from detente.store import DEFAULT_DB, Store
from detente.store.articles import article_listing, get_article
from detente.store.events import load_events

PathLike = str | os.PathLike[str]


def run(
    paths: Sequence[PathLike],
    db: PathLike = DEFAULT_DB,
    options: RunOptions | None = None,
    quiet: bool = True,
) -> dict[str, StageSummary]:
    """Run every stage over ``paths`` (files, directories, globs) into ``db``; returns stage summaries."""
    return run_pipeline([str(path) for path in paths], Store(db), options, Reporter(quiet=quiet))


def ingest(
    paths: Sequence[PathLike],
    db: PathLike = DEFAULT_DB,
    options: RunOptions | None = None,
    quiet: bool = True,
) -> StageSummary:
    """Only read, clean and store the articles."""
    ingest_only = [stage for stage in STAGES if stage[0] == "ingest"]
    summaries = run_pipeline([str(path) for path in paths], Store(db), options, Reporter(quiet=quiet), ingest_only)
    return summaries["ingest"]


class Detente:
    """Typed, read-only queries over a detente database."""

    def __init__(self, db: PathLike = DEFAULT_DB, groups_file: PathLike | None = None) -> None:
        self.store = Store(db)
        self.groups = load_groups(groups_file)

    def __repr__(self) -> str:
        return f"detente.open({str(self.store.path)!r})"

    def articles(self, with_text: bool = False) -> list[dict[str, Any]]:
        """One record per article, with ``duplicate_of``, ``dup_kind`` and ``story_id``."""
        return article_listing(self.store, with_text)

    def article(self, article_id: str) -> Article | None:
        return get_article(self.store, article_id)

    def events(self, canonical: bool = False) -> list[Event] | list[CanonicalEvent]:
        """Every event mention, or one record per canonical (real-world) event."""
        if canonical:
            from detente.dedup.canonical import load_canonical_events

            return load_canonical_events(self.store)
        return load_events(self.store)

    def stories(self) -> list[Any]:
        from detente.dedup.stories import load_stories

        return load_stories(self.store)

    def relations(self, dyad: str, freq: str = "month", directed: bool = False) -> DyadAnalysis:
        """Index per period, trend, turning points and tit-for-tat links for a dyad like ``"USA,RUS"``."""
        return analyse_dyad(counted_events(self.store), parse_dyad(dyad, self.groups), freq, directed)

    def reciprocity(self, dyad: str | None = None, window_days: int = DEFAULT_WINDOW_DAYS) -> list[ReciprocityLink]:
        chosen = parse_dyad(dyad, self.groups) if dyad else None
        return find_links(counted_events(self.store), chosen, window_days)

    def report(self, out: PathLike = "report.html", dyads: Sequence[str] = (), freq: str = "month") -> Path:
        from detente.report.html import write_report

        return write_report(self.store, Path(out), list(dyads), freq, self.groups)


def open(db: PathLike = DEFAULT_DB, groups_file: PathLike | None = None) -> Detente:
    """Open a detente database for queries (nothing is held open between calls)."""
    return Detente(db, groups_file)
