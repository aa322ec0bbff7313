"""The actor knowledge base: typed, dated records loaded from ``data/actors/`` plus user files.

``load_kb()`` validates every file first (see ``validate.py``) and raises one ConfigError naming the
file and the problem, so the resolver can trust what it builds on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from detente.actors import validate
from detente.actors.validate import Problem, as_date
from detente.errors import ConfigError

DATA = "actors"


@dataclass(frozen=True, slots=True)
class DatedName:
    name: str
    start: date | None = None
    end: date | None = None

    def valid_on(self, on: date | None) -> bool:
        return on is None or ((self.start is None or self.start <= on) and (self.end is None or on <= self.end))


@dataclass(frozen=True, slots=True)
class Institution:
    name: str
    sector: str
    standalone: bool = True


@dataclass(slots=True)
class State:
    code: str
    name: str
    names: list[str] = field(default_factory=list)
    historical_names: list[DatedName] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: str | None = None
    metonyms: list[str] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    ambiguous: bool = False
    ambiguous_names: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Membership:
    code: str
    start: date | None = None
    end: date | None = None

    def valid_on(self, on: date | None) -> bool:
        return DatedName(self.code, self.start, self.end).valid_on(on)


@dataclass(slots=True)
class Body:
    id: str
    name: str
    names: list[str]
    sector: str
    organisation: str
    start: date | None = None
    end: date | None = None


@dataclass(slots=True)
class Organisation:
    code: str
    name: str
    sector: str
    names: list[str] = field(default_factory=list)
    historical_names: list[DatedName] = field(default_factory=list)
    parent: str | None = None
    start: date | None = None
    end: date | None = None
    metonyms: list[str] = field(default_factory=list)
    ambiguous_names: list[str] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)

    def members_on(self, on: date | None) -> list[str]:
        return [member.code for member in self.members if member.valid_on(on)]


@dataclass(slots=True)
class Group:
    code: str
    name: str
    names: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    ambiguous_names: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Role:
    country: str
    sector: str
    title: str
    start: date | None = None
    end: date | None = None

    def active_on(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(slots=True)
class Person:
    id: str
    name: str
    country: str
    roles: list[Role]
    variants: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    ambiguous_short: list[str] = field(default_factory=list)

    @property
    def full_names(self) -> list[str]:
        return [self.name, *self.variants]

    def roles_on(self, on: date) -> list[Role]:
        """Roles held on ``on``; an ``end`` date is the day the office passed on (the successor's start)."""
        return [role for role in self.roles if role.active_on(on)]


@dataclass(slots=True)
class KnowledgeBase:
    states: dict[str, State]
    organisations: dict[str, Organisation]
    groups: dict[str, Group]
    people: dict[str, Person]
    agent_nouns: dict[str, str]  # lower-case noun phrase -> sector
    sources: list[str] = field(default_factory=list)

    def state(self, code: str) -> State:
        try:
            return self.states[code.upper()]
        except KeyError:
            raise ConfigError(f"unknown state code {code!r}") from None

    def body(self, body_id: str) -> Body | None:
        code = body_id.split("-", 1)[0]
        organisation = self.organisations.get(code)
        return next((body for body in organisation.bodies if body.id == body_id), None) if organisation else None

    def name_of(self, code: str) -> str:
        """Display name of any actor code (state, organisation or group)."""
        entry = self.states.get(code) or self.organisations.get(code) or self.groups.get(code)
        return entry.name if entry else code

    def holders(
        self, country: str, on: date, titles: tuple[str, ...] = ("President", "Prime Minister")
    ) -> list[tuple[Person, Role]]:
        """Who held one of ``titles`` for ``country`` on ``on``, in the order of ``titles``."""
        found = [
            (person, role)
            for person in self.people.values()
            for role in person.roles
            if role.country == country and role.title in titles and role.active_on(on)
        ]
        return sorted(found, key=lambda pair: (titles.index(pair[1].title), pair[0].name))

    @property
    def role_count(self) -> int:
        return sum(len(person.roles) for person in self.people.values())


def _dated_names(raw: Iterable[dict[str, Any]] | None) -> list[DatedName]:
    return [DatedName(item["name"], as_date(item.get("start")), as_date(item.get("end"))) for item in raw or []]


def _membership(raw: Any) -> Membership:
    if isinstance(raw, str):
        return Membership(raw)
    return Membership(raw["code"], as_date(raw.get("start")), as_date(raw.get("end")))


def build_state(raw: dict[str, Any]) -> State:
    return State(
        code=raw["code"],
        name=raw["name"],
        names=list(raw.get("names") or [raw["name"]]),
        historical_names=_dated_names(raw.get("historical_names")),
        adjectives=list(raw.get("adjectives") or []),
        demonyms=list(raw.get("demonyms") or []),
        capital=raw.get("capital"),
        metonyms=list(raw.get("metonyms") or []),
        institutions=[
            Institution(item["name"], item["sector"], bool(item.get("standalone", True)))
            for item in raw.get("institutions") or []
        ],
        ambiguous=bool(raw.get("ambiguous", False)),
        ambiguous_names=list(raw.get("ambiguous_names") or []),
    )


def build_organisation(raw: dict[str, Any]) -> Organisation:
    sector = raw["sector"]
    return Organisation(
        code=raw["code"],
        name=raw["name"],
        sector=sector,
        names=list(raw.get("names") or [raw["name"]]),
        historical_names=_dated_names(raw.get("historical_names")),
        parent=raw.get("parent"),
        start=as_date(raw.get("start")),
        end=as_date(raw.get("end")),
        metonyms=list(raw.get("metonyms") or []),
        ambiguous_names=list(raw.get("ambiguous_names") or []),
        bodies=[
            Body(
                id=body["id"],
                name=body["name"],
                names=list(body.get("names") or [body["name"]]),
                sector=body.get("sector", sector),
                organisation=raw["code"],
                start=as_date(body.get("start")),
                end=as_date(body.get("end")),
            )
            for body in raw.get("bodies") or []
        ],
        members=[_membership(member) for member in raw.get("members") or []],
        observers=[_membership(member).code for member in raw.get("observers") or []],
    )


def build_group(raw: dict[str, Any]) -> Group:
    return Group(
        code=raw["code"],
        name=raw["name"],
        names=list(raw.get("names") or [raw["name"]]),
        adjectives=list(raw.get("adjectives") or []),
        ambiguous_names=list(raw.get("ambiguous_names") or []),
        members=list(raw.get("members") or []),
    )


def build_person(raw: dict[str, Any], file_country: str | None) -> Person:
    roles = [
        Role(role["country"], role["sector"], role["title"], as_date(role.get("start")), as_date(role.get("end")))
        for role in raw["roles"]
    ]
    return Person(
        id=raw["id"],
        name=raw["name"],
        country=raw.get("country") or file_country or roles[0].country,
        roles=sorted(roles, key=lambda role: role.start or date.min),
        variants=list(raw.get("variants") or []),
        short=list(raw.get("short") or []),
        ambiguous_short=list(raw.get("ambiguous_short") or []),
    )


@dataclass(slots=True)
class _RawKB:
    """Parsed YAML of every file, before validation and typing."""

    states: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    agents: list[dict[str, Any]] = field(default_factory=list)
    people_files: list[tuple[str, Any]] = field(default_factory=list)
    file_of: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


CHECKS = {
    "states": validate.check_states,
    "organisations": validate.check_organisations,
    "groups": validate.check_groups,
    "agents": validate.check_agents,
}


def data_dir() -> Traversable:
    return resources.files("detente.data") / DATA


def _read_packaged(raw: _RawKB) -> None:
    folder = data_dir()
    for kind, check in CHECKS.items():
        resource = folder / f"{kind}.yaml"
        label = f"data/actors/{kind}.yaml"
        data = validate.read_yaml(label, resource.read_text(encoding="utf-8")) or []
        raw.problems.extend(check(data, label))
        getattr(raw, kind).extend(entry for entry in data if isinstance(entry, dict))
        raw.file_of[kind[:-1] if kind != "agents" else kind] = label
        raw.sources.append(label)
    for name, check in (("titles", validate.check_titles), ("ambiguity", validate.check_ambiguity)):
        label = f"data/actors/{name}.yaml"
        data = validate.read_yaml(label, (folder / f"{name}.yaml").read_text(encoding="utf-8"))
        raw.problems.extend(check(data, label))
    people = folder / "people"
    if people.is_dir():
        for resource in sorted(people.iterdir(), key=lambda item: item.name):
            if resource.name.endswith((".yaml", ".yml")):
                label = f"data/actors/people/{resource.name}"
                _add_people(raw, label, validate.read_yaml(label, resource.read_text(encoding="utf-8")))


def _add_people(raw: _RawKB, label: str, data: Any) -> None:
    raw.problems.extend(validate.check_people(data, label))
    raw.people_files.append((label, data))
    raw.sources.append(label)


def _replace_by_key(entries: list[dict[str, Any]], new: Iterable[Any], key: str) -> None:
    """User entries override packaged entries with the same code."""
    index = {entry.get(key): position for position, entry in enumerate(entries)}
    for entry in new:
        if isinstance(entry, dict) and entry.get(key) in index:
            entries[index[entry[key]]] = entry
        elif isinstance(entry, dict):
            entries.append(entry)


def _read_user_file(raw: _RawKB, path: Path) -> None:
    """A user file is a people file (``country`` + ``people``) or a mapping of states/organisations/groups."""
    label = str(path)
    data = validate.read_yaml(path)
    if not isinstance(data, dict):
        expected = "expected a mapping with `people`, `states`, `organisations` or `groups`"
        raw.problems.append(Problem(label, "", expected))
        return
    known = {"people", "country", "states", "organisations", "groups"}
    for key in sorted(set(data) - known):
        raw.problems.append(Problem(label, "", f"unknown top-level key `{key}` (known: {', '.join(sorted(known))})"))
    if "people" in data:
        _add_people(raw, label, data)
    for kind in ("states", "organisations", "groups"):
        if kind in data:
            raw.problems.extend(CHECKS[kind](data[kind], label))
            _replace_by_key(getattr(raw, kind), data[kind] or [], "code")
            raw.file_of[kind[:-1]] = label
    raw.sources.append(label)


def collect_problems(extra_paths: Sequence[str | Path] = ()) -> tuple[_RawKB, list[Problem]]:
    """Read and validate every file; returns the raw data and all problems found."""
    raw = _RawKB()
    _read_packaged(raw)
    for path in extra_paths:
        _read_user_file(raw, Path(path))
    if not raw.problems:
        raw.problems.extend(
            validate.check_references(raw.states, raw.organisations, raw.groups, raw.people_files, raw.file_of)
        )
    return raw, raw.problems


def _build(raw: _RawKB) -> KnowledgeBase:
    people: dict[str, Person] = {}
    for _, data in raw.people_files:
        for entry in data.get("people") or []:
            person = build_person(entry, data.get("country"))
            people[person.id] = person
    return KnowledgeBase(
        states={entry["code"]: build_state(entry) for entry in raw.states},
        organisations={entry["code"]: build_organisation(entry) for entry in raw.organisations},
        groups={entry["code"]: build_group(entry) for entry in raw.groups},
        people=people,
        agent_nouns={noun: entry["sector"] for entry in raw.agents for noun in entry.get("nouns") or []},
        sources=raw.sources,
    )


@lru_cache(maxsize=8)
def _load(extra_paths: tuple[str, ...]) -> KnowledgeBase:
    raw, problems = collect_problems(extra_paths)
    if problems:
        more = f" (and {len(problems) - 1} more; run `detente actors validate`)" if len(problems) > 1 else ""
        raise ConfigError(f"{problems[0]}{more}")
    return _build(raw)


def load_kb(extra_paths: Sequence[str | Path] | None = None) -> KnowledgeBase:
    """The knowledge base (cached per set of extra files); raises ConfigError on the first invalid entry."""
    return _load(tuple(str(path) for path in extra_paths or ()))
