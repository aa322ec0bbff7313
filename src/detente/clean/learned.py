"""Boilerplate learned from the corpus: a line repeated verbatim in many articles of one source.

Lines are compared by a 64-bit key of their normalised text (``records.normalise_text``), so the
store can count them per source across batches and runs without keeping the lines themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from detente.clean.patterns import LearnedSettings
from detente.records import normalise_text


def line_key(line: str) -> int:
    """A signed 64-bit key (fits a DuckDB BIGINT) of the line as compared: NFKC, casefold, spaces."""
    digest = hashlib.blake2b(normalise_text(line).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def candidate_keys(lines: Iterable[str], max_chars: int) -> set[int]:
    """Keys of the lines short enough to be template text; each counts once per article."""
    return {line_key(line) for line in lines if 0 < len(line.strip()) <= max_chars}


@dataclass(slots=True)
class LearnedBoilerplate:
    """Per source, the keys of lines seen in at least the threshold number of distinct articles."""

    keys_by_source: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def from_counts(
        cls, counts: Mapping[tuple[str, int], int], source_articles: Mapping[str, int], settings: LearnedSettings
    ) -> LearnedBoilerplate:
        learned = cls()
        for (source, key), articles in counts.items():
            if settings.is_learned(articles, source_articles.get(source, 0)):
                learned.keys_by_source.setdefault(source, set()).add(key)
        return learned

    def is_boilerplate(self, source: str | None, line: str) -> bool:
        if source is None:
            return False
        keys = self.keys_by_source.get(source)
        return bool(keys) and line_key(line) in keys
