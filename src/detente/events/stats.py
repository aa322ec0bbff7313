"""Counters of an extraction run, kept apart from the extractor so that counting needs no spaCy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class ExtractionStats:
    sentences: int = 0
    sentences_parsed: int = 0
    sentences_reused: int = 0  # candidates whose identical sentence was parsed shortly before
    words: int = 0
    events: int = 0
