"""Dyads as users name them: ``USA,RUS``, ``EU,RUS``, ``WEST,RUS``, or a group from a YAML file.

A side that names a group (``groups.yaml`` in the package, or the user's ``--groups`` file in the
same format) stands for the group's code and all its members; any other code stands for itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from detente.errors import ConfigError
from detente.relations.index import Dyad

GroupTable = dict[str, frozenset[str]]


def _read_groups(text: str, origin: str) -> GroupTable:
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        raise ConfigError(f"{origin}: not valid YAML: {error}") from error
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: expected a list of groups with `code` and `members`")
    table: GroupTable = {}
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "code" not in entry or not isinstance(entry.get("members"), list):
            raise ConfigError(f"{origin}: group #{position} needs `code` and a `members` list")
        table[str(entry["code"]).upper()] = frozenset(str(member).upper() for member in entry["members"])
    return table


def load_groups(user_file: str | Path | None = None) -> GroupTable:
    """The package's groups, overridden or extended by ``user_file``."""
    packaged = resources.files("detente.data") / "actors" / "groups.yaml"
    table = _read_groups(packaged.read_text(encoding="utf-8"), "groups.yaml") if packaged.is_file() else {}
    if user_file is not None:
        path = Path(user_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"{path}: cannot read groups file: {error.strerror}") from error
        table.update(_read_groups(text, str(path)))
    return table


def side(code: str, groups: GroupTable) -> frozenset[str]:
    code = code.strip().upper()
    return frozenset({code, *groups.get(code, frozenset())})


def parse_dyad(spec: str, groups: GroupTable | None = None) -> Dyad:
    """``"USA,RUS"`` → a Dyad; raises ConfigError with a usage hint on anything else."""
    parts = [part.strip().upper() for part in spec.replace("–", ",").replace("-", ",").split(",")]
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"dyad {spec!r}: give two actor codes separated by a comma, e.g. USA,RUS")
    groups = load_groups() if groups is None else groups
    side_a, side_b = side(parts[0], groups), side(parts[1], groups)
    return Dyad(parts[0], parts[1], side_a - side_b, side_b - side_a)
