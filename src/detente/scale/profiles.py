"""What the synthetic generator needs to know about a state, drawn from the actor knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from detente.actors import KnowledgeBase, load_kb

LEADER_TITLES = ("President", "Prime Minister", "Chancellor")


@dataclass(slots=True)
class ActorProfile:
    code: str
    name: str
    adjective: str
    capital: str
    weight: float
    kb: KnowledgeBase

    def _leader(self, day: date) -> tuple[Any, Any] | None:
        holders = self.kb.holders(self.code, day, LEADER_TITLES)
        # The first title listed wins, so a country with a president and a prime minister is
        # written about through its president, as news usually does.
        ranked = sorted(holders, key=lambda pair: _title_rank(pair[1].title))
        return ranked[0] if ranked else None

    def leader_phrase(self, day: date) -> str:
        """``Russian President Vladimir Putin`` — or ``the Russian government`` if nobody is known."""
        leader = self._leader(day)
        if leader is None:
            return f"the {self.adjective} government"
        person, role = leader
        return f"{self.adjective} {role.title} {person.name}"

    def leader_surname(self, day: date) -> str:
        leader = self._leader(day)
        if leader is None:
            return self.name
        person, _ = leader
        return person.short[0] if person.short else person.name.split()[-1]


def _title_rank(title: str) -> int:
    return LEADER_TITLES.index(title) if title in LEADER_TITLES else len(LEADER_TITLES)


def _running_name(name: str, names: list[str]) -> str:
    """The form news writes mid-sentence: "the United States", "the Netherlands" — but "Ukraine"."""
    with_article = f"the {name}"
    if with_article in names and (name.endswith("s") or name.startswith("United ")):
        return with_article
    return name


def _headline_adjective(adjectives: list[str], name: str) -> str:
    """Headlines use the abbreviation where there is one: "US President", "UK Prime Minister"."""
    return next((adjective for adjective in adjectives if adjective.isupper()), adjectives[0] if adjectives else name)


def load_profiles(weights: dict[str, float], kb: KnowledgeBase | None = None) -> dict[str, ActorProfile]:
    """Profiles of the states in ``weights`` (code → relative weight), from the knowledge base."""
    kb = kb or load_kb()
    profiles = {}
    for code, weight in weights.items():
        state = kb.state(code)
        profiles[code] = ActorProfile(
            code=code,
            name=_running_name(state.name, state.names),
            adjective=_headline_adjective(state.adjectives, state.name),
            capital=state.capital or state.name,
            weight=float(weight),
            kb=kb,
        )
    return profiles
