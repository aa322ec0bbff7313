"""Which office a person held on a date: the time-aware half of person resolution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from detente.actors.kb import Person, Role

# When someone holds several offices at once, the executive one is what news means.
_SECTOR_RANK = {"GOV": 0, "IGO": 0, "MIL": 1, "ELECT": 2}


@dataclass(frozen=True, slots=True)
class PersonReading:
    code: str | None
    sector: str | None
    role: str | None
    confidence: float
    why: str


def _rank(role: Role) -> tuple[int, float]:
    return _SECTOR_RANK.get(role.sector, 3), -(role.start or date.min).toordinal()


def read_person(person: Person, on: date | None) -> PersonReading:
    """The person's code, sector and role on ``on`` (latest role when there is no date)."""
    if on is None:
        current = [role for role in person.roles if role.end is None] or person.roles
        role = min(current, key=_rank) if current[0].end is None else max(current, key=lambda r: r.end or date.min)
        return PersonReading(role.country, role.sector, role.title, 1.0, f"{person.name}: {role.title} (no date given)")
    active = person.roles_on(on)
    if active:
        role = min(active, key=_rank)
        since = f" since {role.start}" if role.start else ""
        return PersonReading(role.country, role.sector, role.title, 1.0, f"{person.name}: {role.title}{since}")
    past = [role for role in person.roles if role.end is not None and role.end <= on]
    if past:
        role = max(past, key=lambda r: (r.end or date.min, -_rank(r)[0]))
        return PersonReading(
            role.country,
            "ELI",
            f"former {role.title}",
            0.9,
            f"{person.name}: former {role.title} (until {role.end}), no office on {on}",
        )
    first = person.roles[0]
    return PersonReading(
        person.country,
        None,
        None,
        0.7,
        f"{person.name}: no office yet on {on} (first: {first.title} from {first.start})",
    )
