"""Size and coverage of the knowledge base, for ``detente actors stats`` and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from detente.actors.kb import KnowledgeBase
from detente.actors.lexicon import load_extras

COVERAGE_DATES = (date(2005, 1, 1), date(2015, 1, 1), date(2021, 6, 16), date(2025, 2, 1))
COVERAGE_GROUP = "G20"


@dataclass(frozen=True, slots=True)
class Coverage:
    on: date
    members: list[str]
    with_leader: list[str]  # members with at least one head of state or government known on the date

    @property
    def missing(self) -> list[str]:
        return [code for code in self.members if code not in self.with_leader]

    @property
    def share(self) -> float:
        return len(self.with_leader) / len(self.members) if self.members else 0.0


def leaders(kb: KnowledgeBase, code: str, on: date) -> list[Any]:
    """(person, role) pairs of the heads of state and government of ``code`` on ``on``."""
    return kb.holders(code, on, load_extras().head_titles)


def coverage(kb: KnowledgeBase, on: date, group: str = COVERAGE_GROUP) -> Coverage:
    members = kb.organisations[group].members_on(on) if group in kb.organisations else []
    return Coverage(on, members, [code for code in members if leaders(kb, code, on)])


def counts(kb: KnowledgeBase) -> dict[str, int]:
    actor_names = {
        *(name for state in kb.states.values() for name in (*state.names, *state.adjectives, *state.metonyms)),
        *(name for org in kb.organisations.values() for name in org.names),
        *(name for org in kb.organisations.values() for body in org.bodies for name in body.names),
        *(name for group in kb.groups.values() for name in group.names),
        *(name for person in kb.people.values() for name in (*person.full_names, *person.short)),
    }
    return {
        "states": len(kb.states),
        "organisations": len(kb.organisations),
        "bodies": sum(len(org.bodies) for org in kb.organisations.values()),
        "groups": len(kb.groups),
        "people": len(kb.people),
        "roles": kb.role_count,
        "names": len(actor_names),
        "agent nouns": len(kb.agent_nouns),
    }
