"""The PLOVER ontology as data: categories, modes, quad classes, scores and CAMEO roots."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from detente.errors import ConfigError
from detente.records import EVENT_TYPES

ONTOLOGY_FILE = "ontology.yaml"


def read_data_yaml(name: str) -> Any:
    """A YAML file under ``detente/data/events``; a missing or malformed file is a ConfigError."""
    path = resources.files("detente.data") / "events" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"data/events/{name}: cannot read: {error}") from error


@dataclass(frozen=True, slots=True)
class Mode:
    score: float
    cameo_root: str | None = None


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    quad: int
    score: float
    cameo_root: str
    summary: str
    intended_as: str | None = None
    modes: dict[str, Mode] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ontology:
    categories: dict[str, Category]
    contexts: frozenset[str]

    def category(self, name: str) -> Category:
        return self.categories[name]

    def score(self, name: str, mode: str | None) -> float:
        category = self.categories[name]
        return category.modes[mode].score if mode in category.modes else category.score

    def cameo_root(self, name: str, mode: str | None) -> str:
        category = self.categories[name]
        mode_root = category.modes[mode].cameo_root if mode in category.modes else None
        return mode_root or category.cameo_root

    def has_mode(self, name: str, mode: str | None) -> bool:
        return mode is None or mode in self.categories[name].modes


def _category(name: str, entry: dict[str, Any]) -> Category:
    try:
        return Category(
            name=name,
            quad=int(entry["quad"]),
            score=float(entry["score"]),
            cameo_root=str(entry["cameo_root"]),
            summary=str(entry.get("summary", "")),
            intended_as=entry.get("intended_as"),
            modes={
                str(mode): Mode(float(spec["score"]), spec.get("cameo_root"))
                for mode, spec in (entry.get("modes") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"data/events/{ONTOLOGY_FILE}: category {name}: {error!r}") from error


@functools.cache
def load_ontology() -> Ontology:
    raw = read_data_yaml(ONTOLOGY_FILE)
    categories = {name: _category(name, entry) for name, entry in raw["categories"].items()}
    if set(categories) != set(EVENT_TYPES):
        raise ConfigError(f"data/events/{ONTOLOGY_FILE}: categories must be exactly {', '.join(EVENT_TYPES)}")
    for category in categories.values():
        if category.intended_as is not None and category.intended_as not in categories:
            raise ConfigError(f"data/events/{ONTOLOGY_FILE}: {category.name}: unknown intended_as")
    return Ontology(categories, frozenset(raw.get("contexts") or ()))
