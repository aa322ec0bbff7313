"""Skipped input: one warning naming the file and the reason, and a count for the summary."""

from __future__ import annotations

from detente.progress import Reporter

SKIPPED_COUNTER = "ingest.skipped"


def report_skip(reporter: Reporter, where: str, reason: str) -> None:
    """Warn once about an input that could not be used; the run goes on."""
    reporter.counters[SKIPPED_COUNTER] += 1
    reporter.warn(f"{where}: skipped: {reason}")
