"""Every string the resolver knows, with what it means: states, organisations, people, titles, nouns.

The lexicon is the flat list of ``Entry`` objects the matcher compiles into one automaton; the
resolver then composes matched entries ("Russian" + "Foreign Minister" + "Sergei Lavrov").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from detente.actors import validate
from detente.actors.kb import KnowledgeBase, data_dir
from detente.actors.normalise import key
from detente.errors import ConfigError

# Kinds of entry. Qualifiers can precede a head ("Russian" + "diplomats"); heads need a qualifier
# or a name to become an actor; the rest are actors on their own.
STATE = "state"
STATE_ADJ = "state_adj"
DEMONYM = "demonym"
METONYM = "metonym"
INSTITUTION = "institution"
ORGANISATION = "organisation"
BODY = "body"
GROUP = "group"
GROUP_ADJ = "group_adj"
PERSON = "person"
SHORT = "short"
AGENT = "agent"
TITLE = "title"
BLOCKER = "blocker"
CUE = "cue"
FORMER = "former"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    phrase: str  # as written in the data file
    code: str | None = None  # state/organisation/group code
    actor_id: str | None = None  # person id, body id, or the code
    sector: str | None = None
    title: str | None = None  # titles: display title
    start: date | None = None  # historical names: validity
    end: date | None = None
    ambiguous: bool = False  # the string is listed in ambiguous_names / ambiguous_short
    standalone: bool = True  # institutions: False = needs a qualifier
    rule: int | None = None  # cues: index of the ambiguity rule; options index in `option`
    option: int | None = None
    case_mask: tuple[int, ...] = field(default=(), compare=False)

    def valid_on(self, on: date | None) -> bool:
        return on is None or ((self.start is None or self.start <= on) and (self.end is None or on <= self.end))


def _mask(phrase: str) -> tuple[int, ...]:
    """Positions of upper-case letters: the text must be upper case there too ("US" is not "us")."""
    return tuple(position for position, char in enumerate(" ".join(phrase.split())) if char.isupper())


def make(kind: str, phrase: str, case_sensitive: bool = True, **values: Any) -> Entry:
    return Entry(kind=kind, phrase=phrase, case_mask=_mask(phrase) if case_sensitive else (), **values)


@dataclass(slots=True)
class AmbiguityRule:
    names: list[str]
    options: list[dict[str, Any]]
    confidence: float


@dataclass(slots=True)
class Extras:
    """The resolver's own data files: titles and ambiguity rules."""

    titles: list[dict[str, Any]]
    not_names: frozenset[str]
    head_titles: tuple[str, ...]  # offices of heads of state and government
    rules: list[AmbiguityRule]
    blockers: list[str]
    not_person_after: frozenset[str]  # "in May" is the month, not Theresa May
    not_state_after: frozenset[str]  # "ethnic Albanians" are a people, not Albania


@lru_cache(maxsize=1)
def load_extras() -> Extras:
    folder = data_dir()
    titles_data = validate.read_yaml("data/actors/titles.yaml", (folder / "titles.yaml").read_text(encoding="utf-8"))
    rules_data = validate.read_yaml(
        "data/actors/ambiguity.yaml", (folder / "ambiguity.yaml").read_text(encoding="utf-8")
    )
    problems = validate.check_titles(titles_data, "data/actors/titles.yaml") + validate.check_ambiguity(
        rules_data, "data/actors/ambiguity.yaml"
    )
    if problems:
        raise ConfigError(str(problems[0]))
    return Extras(
        titles=list(titles_data["titles"]),
        not_names=frozenset(titles_data.get("not_names") or []),
        head_titles=tuple(titles_data.get("head_titles") or ("President", "Prime Minister")),
        rules=[
            AmbiguityRule(list(rule["names"]), list(rule["options"]), float(rule.get("confidence", 0.5)))
            for rule in rules_data["rules"]
        ],
        blockers=list(rules_data.get("blockers") or []),
        not_person_after=frozenset(rules_data.get("not_person_after") or []),
        not_state_after=frozenset(word.lower() for word in rules_data.get("not_state_after") or []),
    )


def _state_entries(kb: KnowledgeBase) -> Iterator[Entry]:
    for state in kb.states.values():
        ambiguous = set(state.ambiguous_names)
        for name in state.names:
            yield make(STATE, name, code=state.code, actor_id=state.code, ambiguous=name in ambiguous)
        for dated in state.historical_names:
            yield make(STATE, dated.name, code=state.code, actor_id=state.code, start=dated.start, end=dated.end)
        for adjective in state.adjectives:
            yield make(STATE_ADJ, adjective, code=state.code, actor_id=state.code, ambiguous=adjective in ambiguous)
        for demonym in state.demonyms:
            yield make(DEMONYM, demonym, code=state.code, actor_id=state.code, ambiguous=demonym in ambiguous)
        for metonym in state.metonyms:
            yield make(
                METONYM, metonym, code=state.code, actor_id=state.code, sector="GOV", ambiguous=metonym in ambiguous
            )
        for institution in state.institutions:
            yield make(
                INSTITUTION,
                institution.name,
                code=state.code,
                actor_id=state.code,
                sector=institution.sector,
                standalone=institution.standalone,
                ambiguous=institution.name in ambiguous,
            )


def _organisation_entries(kb: KnowledgeBase) -> Iterator[Entry]:
    for org in kb.organisations.values():
        ambiguous = set(org.ambiguous_names)
        for name in org.names:
            yield make(
                ORGANISATION, name, code=org.code, actor_id=org.code, sector=org.sector, ambiguous=name in ambiguous
            )
        for dated in org.historical_names:
            yield make(
                ORGANISATION,
                dated.name,
                code=org.code,
                actor_id=org.code,
                sector=org.sector,
                start=dated.start,
                end=dated.end,
            )
        for metonym in org.metonyms:
            yield make(
                METONYM, metonym, code=org.code, actor_id=org.code, sector=org.sector, ambiguous=metonym in ambiguous
            )
        for body in org.bodies:
            for name in body.names:
                yield make(BODY, name, code=org.code, actor_id=body.id, sector=body.sector, ambiguous=name in ambiguous)


def _group_entries(kb: KnowledgeBase) -> Iterator[Entry]:
    for group in kb.groups.values():
        ambiguous = set(group.ambiguous_names)
        for name in group.names:
            yield make(GROUP, name, code=group.code, actor_id=group.code, ambiguous=name in ambiguous)
        for adjective in group.adjectives:
            yield make(GROUP_ADJ, adjective, code=group.code, actor_id=group.code, ambiguous=adjective in ambiguous)


def _people_entries(kb: KnowledgeBase) -> Iterator[Entry]:
    for person in kb.people.values():
        for name in person.full_names:
            yield make(PERSON, name, code=person.country, actor_id=person.id)
        for short in person.short:
            if short not in person.ambiguous_short:
                yield make(SHORT, short, code=person.country, actor_id=person.id)
        for short in person.ambiguous_short:
            yield make(SHORT, short, code=person.country, actor_id=person.id, ambiguous=True)


def _word_entries(kb: KnowledgeBase, extras: Extras) -> Iterator[Entry]:
    for noun, sector in kb.agent_nouns.items():
        yield make(AGENT, noun, case_sensitive=False, sector=sector)
    for title in extras.titles:
        for name in title["names"]:
            # All-caps abbreviations (PM, MP) stay case-sensitive; words match in any case.
            yield make(
                TITLE,
                name,
                case_sensitive=name.isupper(),
                sector=title["sector"],
                title=title["title"],
                code=title.get("country"),
            )
    for word in ("former", "ex", "then", "late"):
        yield make(FORMER, word, case_sensitive=False)
    for blocker in extras.blockers:
        yield make(BLOCKER, blocker)
    for rule_index, rule in enumerate(extras.rules):
        for option_index, option in enumerate(rule.options):
            for cue in option.get("cues") or []:
                yield make(CUE, cue, rule=rule_index, option=option_index)


def build_entries(kb: KnowledgeBase, extras: Extras) -> list[Entry]:
    return [
        *_state_entries(kb),
        *_organisation_entries(kb),
        *_group_entries(kb),
        *_people_entries(kb),
        *_word_entries(kb, extras),
    ]


def rule_index_by_name(extras: Extras) -> dict[str, int]:
    return {key(name): position for position, rule in enumerate(extras.rules) for name in rule.names}
