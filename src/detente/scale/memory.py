"""Peak resident memory per phase of a run, worker processes included.

``ru_maxrss`` gives one figure for a whole run and takes the largest child rather than the sum of
children alive together, so it cannot say which stage grows with N. A sampling thread reads the
resident size of this process and all its live descendants a few times a second and keeps the
maximum under the phase currently marked.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import psutil

_MIB = 1024 * 1024


def tree_rss_bytes(process: psutil.Process) -> int:
    """Resident bytes of ``process`` and its live descendants (processes that vanish count as 0)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


class PhaseMemory:
    """Samples the process tree's resident memory and keeps the peak of each named phase, and
    every ``trace_every_s`` one ``(seconds since start, phase, MiB)`` sample for a plot over time."""

    def __init__(self, interval_s: float = 0.2, trace_every_s: float = 5.0) -> None:
        self.interval_s = interval_s
        self.trace_every_s = trace_every_s
        self.peaks_mb: dict[str, float] = {}
        self.trace: list[tuple[float, str, float]] = []
        self._started = time.monotonic()
        self._phase: str | None = None
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, name="phase-memory", daemon=True)

    def __enter__(self) -> PhaseMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self._phase = name
        self._record(name)
        try:
            yield
        finally:
            self._record(name)
            self._phase = None

    def _record(self, name: str) -> None:
        rss_mb = tree_rss_bytes(self._process) / _MIB
        if rss_mb > self.peaks_mb.get(name, 0.0):
            self.peaks_mb[name] = rss_mb
        elapsed = time.monotonic() - self._started
        if not self.trace or elapsed - self.trace[-1][0] >= self.trace_every_s:
            self.trace.append((round(elapsed, 1), name, round(rss_mb, 1)))

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval_s):
            if (name := self._phase) is not None:
                self._record(name)
