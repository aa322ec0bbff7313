"""Fuzzy person-name matching for unseen transliterations ("Volodimir Zelenskii", "Sergey Lawrow").

Names are bucketed by the first letter of the surname, so one lookup compares against a few
hundred names with rapidfuzz's C implementation rather than the whole knowledge base.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from detente.actors.kb import KnowledgeBase, Person
from detente.actors.normalise import key

CUTOFF = 84.0  # normalised Levenshtein similarity (0-100); below this transliterations become guesses


@dataclass(frozen=True, slots=True)
class FuzzyHit:
    person: Person
    matched: str  # the KB name it was closest to
    score: float  # 0-100


class FuzzyNames:
    def __init__(self, kb: KnowledgeBase) -> None:
        buckets: dict[str, dict[str, str]] = defaultdict(dict)
        for person in kb.people.values():
            for name in person.full_names:
                name_key = key(name)
                if " " in name_key:
                    buckets[_bucket(name_key)][name_key] = person.id
        self._buckets = dict(buckets)
        self._people = kb.people

    def best(self, name: str) -> FuzzyHit | None:
        name_key = key(name)
        if " " not in name_key or len(name_key) < 8:
            return None
        choices = self._buckets.get(_bucket(name_key))
        if not choices:
            return None
        hit = process.extractOne(name_key, choices.keys(), scorer=fuzz.ratio, score_cutoff=CUTOFF)
        if hit is None:
            return None
        matched, score, _ = hit
        return FuzzyHit(self._people[choices[matched]], matched, float(score))


def _bucket(name_key: str) -> str:
    return name_key.rsplit(" ", 1)[-1][:1]
