"""``detente bench``: per-stage throughput on a synthetic corpus, the extraction/spaCy ratio, and
how much of the planted events, copies and stories the run recovered (``scale/accuracy.py``).

Every number comes from one run on one machine, side by side, so ratios are comparable even when
absolute speeds are not. Results are written to ``bench/results/`` as JSON, one file per run, so
progress stays visible across commits.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from detente.errors import ConfigError
from detente.pipeline import STAGES, RunOptions, run_stage
from detente.progress import Reporter
from detente.scale.accuracy import accuracy_against_gold
from detente.scale.memory import PhaseMemory
from detente.scale.plot import memory_svg
from detente.store import Store
from detente.store.articles import iter_articles

RATIO_SAMPLE = 300  # articles fed to both extractors for the ratio: enough for a stable figure


@dataclass(slots=True)
class StageTiming:
    stage: str
    seconds: float
    docs: int
    words: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "seconds": round(self.seconds, 3),
            "docs_per_s": round(self.docs / self.seconds, 1) if self.seconds else None,
            "words_per_s": round(self.words / self.seconds, 1) if self.seconds else None,
        }


@dataclass(slots=True)
class BenchResult:
    n: int
    workers: int
    stages: list[StageTiming] = field(default_factory=list)
    extraction: dict[str, Any] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)
    accuracy: dict[str, Any] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    phase_peaks_mb: dict[str, float] = field(default_factory=dict)
    memory_trace: list[tuple[float, str, float]] = field(default_factory=list)

    def pipeline_peak_mb(self) -> float:
        """The largest resident size, workers included, while a pipeline stage ran: what a user's
        ``detente run`` needs, without the generator before it or the ratio measurement after."""
        stages = {timing.stage for timing in self.stages}
        return max((peak for phase, peak in self.phase_peaks_mb.items() if phase in stages), default=0.0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "machine": {"python": platform.python_version(), "cpu": platform.machine(), "system": platform.system()},
            "n": self.n,
            "workers": self.workers,
            "stages": [timing.as_dict() for timing in self.stages],
            **self.extraction,
            "stories": self.stories,
            "accuracy": self.accuracy,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "pipeline_peak_rss_mb": round(self.pipeline_peak_mb(), 1),
            "phase_peak_rss_mb": {phase: round(peak, 1) for phase, peak in self.phase_peaks_mb.items()},
            "memory_trace": [list(sample) for sample in self.memory_trace],
        }


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() or None


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MiB (Linux: KiB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_bench(
    n: int,
    workers: int = 1,
    seed: int = 0,
    reporter: Reporter | None = None,
    ratio: bool = True,
    stages: tuple[str, ...] = tuple(name for name, _ in STAGES),
) -> BenchResult:
    """Generate ``n`` synthetic articles, time the pipeline ``stages`` over them and score what
    they found against the generator's gold, then measure the ratio."""
    from detente.scale.synth import ARTICLES_DIR, GOLD_FILE, write_corpus

    known = [name for name, _ in STAGES]
    if unknown := sorted(set(stages) - set(known)):
        raise ConfigError(f"unknown stage(s) {', '.join(unknown)}: choose from {', '.join(known)}")
    if "ingest" not in stages:
        raise ConfigError("--stages must include ingest: the other stages work on what it stores")
    reporter = reporter or Reporter(quiet=True)
    result = BenchResult(n=n, workers=workers)
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as scratch, PhaseMemory() as memory:
        corpus = Path(scratch) / "corpus"
        with memory.phase("synth"):
            write_corpus(n, corpus, seed)
        store = Store(Path(scratch) / "bench.duckdb")
        options = RunOptions(workers=workers, stage_processes=True)  # as `detente run` does
        with store.writer():
            for name, dotted in STAGES:
                if name not in stages:
                    continue
                started = time.perf_counter()
                with memory.phase(name):
                    run_stage(name, dotted, store, [str(corpus / ARTICLES_DIR)], options, reporter)
                result.stages.append(StageTiming(name, time.perf_counter() - started, n, 0))
        words = stored_words(store)
        if "stories" in stages:
            result.stories = story_sizes(store)
        if "events" in stages or "stories" in stages:
            with memory.phase("accuracy"):
                result.accuracy = accuracy_against_gold(
                    store, corpus / GOLD_FILE, events="events" in stages, stories="stories" in stages
                )
        for timing in result.stages:
            timing.words = words
        if ratio:
            from detente.events.bench import extraction_ratio

            with memory.phase("ratio"):
                texts = [article.text for article in islice(iter_articles(store), RATIO_SAMPLE)]
                result.extraction = extraction_ratio(texts)
    result.phase_peaks_mb = memory.peaks_mb
    result.memory_trace = memory.trace
    result.peak_rss_mb = peak_rss_mb()
    return result


def story_sizes(store: Store) -> dict[str, int]:
    """How many stories and how large the largest: a story that keeps growing with N means linking
    has percolated, which costs both quality and memory (each batch recomputes the stories it touches)."""
    with store.reader() as con:
        row = con.execute(
            "SELECT count(*), coalesce(max(members), 0) FROM "
            "(SELECT count(*) AS members FROM story_articles GROUP BY story_id)"
        ).fetchone()
    return {"count": int(row[0]), "largest": int(row[1])} if row else {"count": 0, "largest": 0}


def stored_words(store: Store) -> int:
    """Whitespace-separated words of every stored article, counted in the store so that no text
    passes through this process (whose memory the next stages' figures include)."""
    with store.reader() as con:
        row = con.execute(r"SELECT coalesce(sum(len(regexp_extract_all(text, '\S+'))), 0) FROM articles").fetchone()
    return int(row[0]) if row else 0


def save_result(result: BenchResult, folder: Path) -> Path:
    """The run's figures as JSON, and its memory over time as an SVG beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    record = result.as_dict()
    stamp = record["when"].replace(":", "").replace("+0000", "Z")
    path = folder / f"{stamp}-n{result.n}-w{result.workers}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    if result.memory_trace:
        title = f"resident memory, n={result.n}, workers={result.workers} (peak per phase, MiB)"
        path.with_suffix(".svg").write_text(memory_svg(result.memory_trace, title), encoding="utf-8")
    return path
