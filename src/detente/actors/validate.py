"""Schema checks for the actor knowledge-base files: one readable problem per mistake.

The header comments of ``data/actors/*.yaml`` are the schema; this module enforces it so that a
typo in a user file is reported as "file: entry RUS: roles[2].start: not a date" instead of a
traceback deep inside the resolver.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from detente.errors import ConfigError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SECTORS = frozenset(
    ("GOV", "MIL", "LEG", "JUD", "OPP", "PTY", "COP", "SPY", "MED", "BUS", "CVL", "REB", "UAF", "CRM", "REF",
     "LAB", "EDU", "HLH", "HRI", "NGO", "REL", "ELI", "ENV", "AGR", "IGO", "ELECT")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


def read_yaml(path: Path | str, text: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a ConfigError naming the file."""
    try:
        source = Path(path).read_text(encoding="utf-8") if text is None else text
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from error
    try:
        return yaml.load(source, Loader=_LOADER)  # a safe loader, C-accelerated when available
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date-like value that is no date (2020-13-01)
        raise ConfigError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from error


def as_date(value: Any) -> date | None:
    """A YAML date (already parsed) or an ISO string; None when absent or malformed."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Checker:
    """Collects problems for one file; ``where`` names the entry being checked."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def text(self, entry: dict[str, Any], key: str, where: str, required: bool = True) -> None:
        value = entry.get(key)
        if value is None:
            if required:
                self.add(where, f"missing `{key}`")
        elif not isinstance(value, str) or not value.strip():
            self.add(where, f"`{key}` must be a non-empty string")

    def strings(self, entry: dict[str, Any], key: str, where: str) -> None:
        value = entry.get(key)
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.add(where, f"`{key}` must be a list of non-empty strings")

    def dates(self, entry: dict[str, Any], where: str) -> None:
        start, end = entry.get("start"), entry.get("end")
        for key, value in (("start", start), ("end", end)):
            if value is not None and as_date(value) is None:
                self.add(where, f"`{key}` is not a date (YYYY-MM-DD): {value!r}")
        if as_date(start) and as_date(end) and as_date(start) > as_date(end):  # type: ignore[operator]
            self.add(where, f"`start` {start} is after `end` {end}")

    def sector(self, entry: dict[str, Any], where: str, required: bool) -> None:
        value = entry.get("sector")
        if value is None:
            if required:
                self.add(where, "missing `sector`")
        elif value not in SECTORS:
            self.add(where, f"unknown sector {value!r} (known: {', '.join(sorted(SECTORS))})")

    def dated_names(self, entry: dict[str, Any], where: str) -> None:
        for position, item in enumerate(entry.get("historical_names") or []):
            spot = f"{where}: historical_names[{position}]"
            if not isinstance(item, dict):
                self.add(spot, "must be a mapping {name, start?, end?}")
                continue
            self.text(item, "name", spot)
            self.dates(item, spot)

    def entry_list(self, data: Any, what: str) -> list[tuple[str, dict[str, Any]]]:
        if not isinstance(data, list):
            self.add("", f"expected a list of {what}")
            return []
        entries = []
        for position, entry in enumerate(data):
            if not isinstance(entry, dict):
                self.add(f"entry #{position + 1}", "must be a mapping")
                continue
            entries.append((f"{what[:-1]} {entry.get('code') or entry.get('id') or '#' + str(position + 1)}", entry))
        return entries


def check_states(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    for where, entry in check.entry_list(data, "states"):
        check.text(entry, "code", where)
        check.text(entry, "name", where)
        for key in ("names", "adjectives", "demonyms", "metonyms", "ambiguous_names"):
            check.strings(entry, key, where)
        check.dated_names(entry, where)
        for position, item in enumerate(entry.get("institutions") or []):
            spot = f"{where}: institutions[{position}]"
            if not isinstance(item, dict):
                check.add(spot, "must be a mapping {name, sector, standalone?}")
                continue
            check.text(item, "name", spot)
            check.sector(item, spot, required=True)
    return check.problems


def check_organisations(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    for where, entry in check.entry_list(data, "organisations"):
        check.text(entry, "code", where)
        check.text(entry, "name", where)
        for key in ("names", "metonyms", "ambiguous_names"):
            check.strings(entry, key, where)
        check.sector(entry, where, required=True)
        check.dates(entry, where)
        check.dated_names(entry, where)
        for position, body in enumerate(entry.get("bodies") or []):
            spot = f"{where}: bodies[{position}]"
            if not isinstance(body, dict):
                check.add(spot, "must be a mapping {id, name, names, sector?}")
                continue
            check.text(body, "id", spot)
            check.text(body, "name", spot)
            check.strings(body, "names", spot)
            check.sector(body, spot, required=False)
            check.dates(body, spot)
        for key in ("members", "observers"):
            for position, member in enumerate(entry.get(key) or []):
                spot = f"{where}: {key}[{position}]"
                if isinstance(member, str):
                    continue
                if not isinstance(member, dict) or "code" not in member:
                    check.add(spot, "must be a code or a mapping {code, start?, end?}")
                    continue
                check.dates(member, spot)
    return check.problems


def check_groups(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    for where, entry in check.entry_list(data, "groups"):
        check.text(entry, "code", where)
        check.text(entry, "name", where)
        for key in ("names", "adjectives", "ambiguous_names", "members"):
            check.strings(entry, key, where)
    return check.problems


def check_people(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    if isinstance(data, dict):
        people = data.get("people")
    else:
        check.add("", "expected a mapping with `country` and a `people` list")
        return check.problems
    for where, entry in check.entry_list(people, "people"):
        check.text(entry, "id", where)
        check.text(entry, "name", where)
        for key in ("variants", "short", "ambiguous_short"):
            check.strings(entry, key, where)
        roles = entry.get("roles")
        if not isinstance(roles, list) or not roles:
            check.add(where, "needs a non-empty `roles` list")
            continue
        for position, role in enumerate(roles):
            spot = f"{where}: roles[{position}]"
            if not isinstance(role, dict):
                check.add(spot, "must be a mapping {country, sector, title, start?, end?}")
                continue
            check.text(role, "country", spot)
            check.text(role, "title", spot)
            check.sector(role, spot, required=True)
            check.dates(role, spot)
    return check.problems


def check_agents(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    seen: dict[str, str] = {}
    for position, entry in enumerate(data if isinstance(data, list) else []):
        where = f"agents #{position + 1}"
        if not isinstance(entry, dict):
            check.add(where, "must be a mapping {sector, nouns}")
            continue
        check.sector(entry, where, required=True)
        check.strings(entry, "nouns", where)
        for noun in entry.get("nouns") or []:
            if noun in seen and seen[noun] != entry.get("sector"):
                check.add(where, f"noun {noun!r} already in sector {seen[noun]}")
            seen[noun] = entry.get("sector", "")
    return check.problems


def check_titles(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    if not isinstance(data, dict) or not isinstance(data.get("titles"), list):
        check.add("", "expected a mapping with a `titles` list (and optional `not_names`)")
        return check.problems
    check.strings(data, "not_names", "not_names")
    check.strings(data, "head_titles", "head_titles")
    for position, entry in enumerate(data["titles"]):
        where = f"title #{position + 1}"
        if not isinstance(entry, dict):
            check.add(where, "must be a mapping {title, sector, names}")
            continue
        check.text(entry, "title", where)
        check.sector(entry, where, required=True)
        check.strings(entry, "names", where)
    return check.problems


def check_ambiguity(data: Any, file: str) -> list[Problem]:
    check = _Checker(file)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        check.add("", "expected a mapping with a `rules` list (and optional `blockers`)")
        return check.problems
    check.strings(data, "blockers", "blockers")
    check.strings(data, "not_person_after", "not_person_after")
    check.strings(data, "not_state_after", "not_state_after")
    for position, entry in enumerate(data["rules"]):
        where = f"rule #{position + 1}"
        if not isinstance(entry, dict):
            check.add(where, "must be a mapping {names, options, confidence?}")
            continue
        check.strings(entry, "names", where)
        options = entry.get("options")
        if not isinstance(options, list) or len(options) < 2:
            check.add(where, "needs at least two `options`")
            continue
        for index, option in enumerate(options):
            spot = f"{where}: options[{index}]"
            if not isinstance(option, dict) or "code" not in option:
                check.add(spot, "must be a mapping {code, label?, cues, not_actor?}")
                continue
            check.strings(option, "cues", spot)
    return check.problems


def check_references(
    states: Iterable[dict[str, Any]],
    organisations: Iterable[dict[str, Any]],
    groups: Iterable[dict[str, Any]],
    people_files: Iterable[tuple[str, Any]],
    file_of: dict[str, str],
) -> list[Problem]:
    """Cross-file checks: unique codes and ids, member and role codes that exist."""
    problems: list[Problem] = []
    codes: dict[str, str] = {}
    for kind, entries in (("state", states), ("organisation", organisations), ("group", groups)):
        for entry in entries:
            code = entry.get("code")
            if code in codes:
                problems.append(Problem(file_of[kind], f"{kind} {code}", f"code already used by a {codes[code]}"))
            codes[str(code)] = kind
    body_ids = {body.get("id") for org in organisations for body in org.get("bodies") or [] if isinstance(body, dict)}
    for org in organisations:
        for key in ("members", "observers"):
            for member in org.get(key) or []:
                code = member if isinstance(member, str) else member.get("code") if isinstance(member, dict) else None
                if code not in codes:
                    problems.append(
                        Problem(
                            file_of["organisation"],
                            f"organisation {org.get('code')}",
                            f"{key[:-1]} {code!r} is not a known state or organisation",
                        )
                    )
    for group in groups:
        for code in group.get("members") or []:
            if code not in codes:
                problems.append(
                    Problem(file_of["group"], f"group {group.get('code')}", f"member {code!r} is not a known code")
                )
    person_ids: set[str] = set()
    for file, data in people_files:
        for person in (data or {}).get("people") or []:
            if not isinstance(person, dict):
                continue
            pid = person.get("id")
            if pid in person_ids or pid in body_ids:
                problems.append(Problem(file, f"person {pid}", "id already used"))
            person_ids.add(str(pid))
            for position, role in enumerate(person.get("roles") or []):
                if isinstance(role, dict) and role.get("country") not in codes:
                    problems.append(
                        Problem(
                            file,
                            f"person {pid}: roles[{position}]",
                            f"country {role.get('country')!r} is not a known state or organisation",
                        )
                    )
    return problems
