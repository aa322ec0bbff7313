"""The dedup thresholds, read from ``data/dedup/settings.yaml``."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from detente.errors import ConfigError

_SETTINGS_FILE = "data/dedup/settings.yaml"


@dataclass(frozen=True, slots=True)
class MinHashSettings:
    num_perm: int = 128
    shingle_words: int = 5
    seed: int = 1
    lsh_threshold: float = 0.4
    near_min_jaccard: float = 0.5


@dataclass(frozen=True, slots=True)
class EmbeddingSettings:
    lead_words: int = 60
    max_tokens: int = 96
    batch_size: int = 32


@dataclass(frozen=True, slots=True)
class CrossLanguageSettings:
    min_shared_facts: int = 2
    min_fact_overlap: float = 0.5
    min_name_overlap: float = 0.3


@dataclass(frozen=True, slots=True)
class RewriteSettings:
    window_days: int = 2
    min_cosine: float = 0.6
    min_score: float = 0.7
    weights: dict[str, float] = field(default_factory=dict)
    min_fact_overlap: float = 0.5
    min_actor_overlap: float = 0.5
    cross_language: CrossLanguageSettings = field(default_factory=CrossLanguageSettings)


@dataclass(frozen=True, slots=True)
class StorySettings:
    window_days: int = 7
    min_cosine: float = 0.65
    contradicted_min_cosine: float = 0.8
    min_actor_overlap: float = 0.5
    main_actors: int = 3
    max_span_days: int = 14


@dataclass(frozen=True, slots=True)
class FactSettings:
    number_words: dict[str, int] = field(default_factory=dict)
    month_words: dict[str, int] = field(default_factory=dict)  # word → month number
    weekday_words: dict[str, int] = field(default_factory=dict)  # word → ISO weekday
    name_prefix: int = 4


@dataclass(frozen=True, slots=True)
class DedupSettings:
    version: str
    minhash: MinHashSettings
    embedding: EmbeddingSettings
    rewrite: RewriteSettings
    stories: StorySettings
    publication_lag_days: int
    facts: FactSettings


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{_SETTINGS_FILE}: section {name!r} must be a mapping")
    return value


def _word_table(table: dict[Any, list[str]]) -> dict[str, int]:
    """{number: [words]} as {casefolded word: number}."""
    return {str(word).casefold(): int(number) for number, words in table.items() for word in words}


def parse_settings(raw: dict[str, Any]) -> DedupSettings:
    try:
        rewrite = dict(_section(raw, "rewrite"))
        cross = CrossLanguageSettings(**rewrite.pop("cross_language", {}))
        facts = _section(raw, "facts")
        month_words = _word_table(facts.get("months", {}))
        return DedupSettings(
            version=str(raw.get("version", 1)),
            minhash=MinHashSettings(**_section(raw, "minhash")),
            embedding=EmbeddingSettings(**_section(raw, "embedding")),
            rewrite=RewriteSettings(**rewrite, cross_language=cross),
            stories=StorySettings(**_section(raw, "stories")),
            publication_lag_days=int(_section(raw, "canonical").get("publication_lag_days", 3)),
            facts=FactSettings(
                number_words={str(k).casefold(): int(v) for k, v in facts.get("number_words", {}).items()},
                month_words=month_words,
                weekday_words=_word_table(facts.get("weekdays", {})),
                name_prefix=int(facts.get("name_prefix", 4)),
            ),
        )
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{_SETTINGS_FILE}: invalid setting: {error}") from error


@functools.cache
def load_settings() -> DedupSettings:
    text = (resources.files("detente") / _SETTINGS_FILE).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{_SETTINGS_FILE}: not valid YAML: {error}") from error
    return parse_settings(raw)
