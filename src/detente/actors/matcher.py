"""One Aho-Corasick automaton over normalised text: every lexicon phrase found in one pass.

The automaton is built lazily on first use and never pickled (``__getstate__`` drops it), so a
resolver can be shipped to worker processes cheaply and rebuilds there once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from detente.actors.lexicon import Entry
from detente.actors.normalise import key, normalise

# A hyphen after these prefixes glues the word to them: "pro-Russian separatists" are not Russia.
_GLUE_PREFIXES = frozenset({"pro", "anti", "non", "ex", "post", "pre", "neo", "un", "semi", "quasi"})


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entries: tuple[Entry, ...]

    @property
    def length(self) -> int:
        return self.end - self.start


class Matcher:
    def __init__(self, entries: Iterable[Entry]) -> None:
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            phrase_key = key(entry.phrase)
            if phrase_key:
                grouped[phrase_key].append(entry)
        self._grouped = {phrase_key: tuple(group) for phrase_key, group in grouped.items()}
        self._automaton: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"_grouped": self._grouped, "_automaton": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._grouped = state["_grouped"]
        self._automaton = None

    @property
    def size(self) -> int:
        return len(self._grouped)

    def entries_for(self, phrase: str) -> tuple[Entry, ...]:
        return self._grouped.get(key(phrase), ())

    def _built(self) -> Any:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for phrase_key, group in self._grouped.items():
                automaton.add_word(phrase_key, (len(phrase_key), group))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def find(self, text: str) -> list[Match]:
        """Every phrase occurrence on word boundaries whose case fits (overlaps included)."""
        folded = normalise(text)
        matches = []
        for last, (length, group) in self._built().iter(folded):
            start, end = last - length + 1, last + 1
            if not _on_boundaries(text, folded, start, end):
                continue
            fitting = tuple(entry for entry in group if _case_fits(text, start, entry.case_mask))
            if fitting:
                matches.append(Match(start, end, fitting))
        return matches


def _on_boundaries(text: str, folded: str, start: int, end: int) -> bool:
    if end < len(text) and text[end].isalnum():
        return False
    if start == 0:
        return True
    before = text[start - 1]
    if before.isalnum():
        return False
    if folded[start - 1] == " " and not before.isspace():
        # A hyphen or dash before the word: glued only to a prefix such as "pro-".
        word_start = start - 1
        while word_start > 0 and folded[word_start - 1].isalpha():
            word_start -= 1
        return folded[word_start : start - 1] not in _GLUE_PREFIXES
    return True


def _case_fits(text: str, start: int, mask: tuple[int, ...]) -> bool:
    return all(text[start + position].isupper() for position in mask)
