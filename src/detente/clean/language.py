"""Language of an article and of single lines, with py3langid (offline, from PyPI)."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from detente.errors import ConfigError

UNDETERMINED = "und"
_SCRIPTLESS = "COMMON"


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    close_languages: dict[str, frozenset[str]]
    article_max_chars: int
    close_min_probability: float
    line_min_letters: int
    line_min_words: int
    line_min_probability: float
    line_max_article_probability: float
    script_min_letters: int
    line_max_chars: int


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str
    probability: float


@functools.cache
def load_settings() -> LanguageSettings:
    where = "data/clean/language.yaml"
    try:
        raw: Mapping[str, Any] = yaml.safe_load(
            (resources.files("detente.data") / "clean" / "language.yaml").read_text(encoding="utf-8")
        )
        article, line = raw["article"], raw["line"]
        return LanguageSettings(
            close_languages={key: frozenset(value) for key, value in raw["close_languages"].items()},
            article_max_chars=int(article["max_chars"]),
            close_min_probability=float(article["close_language_min_probability"]),
            line_min_letters=int(line["min_letters"]),
            line_min_words=int(line["min_words"]),
            line_min_probability=float(line["min_probability"]),
            line_max_article_probability=float(line["max_article_language_probability"]),
            script_min_letters=int(line["script_min_letters"]),
            line_max_chars=int(line["max_chars"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{where}: invalid language settings: {error}") from error


@functools.cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _ranked(text: str, max_chars: int | None = None) -> dict[str, float]:
    sample = text[:max_chars] if max_chars else text
    return {language: float(probability) for language, probability in _identifier().rank(sample)}


def _major(language: str, ranked: Mapping[str, float], settings: LanguageSettings) -> str:
    """Fold a label the classifier confuses with a major language into it when that one is a candidate."""
    for major, close in settings.close_languages.items():
        if language in close and ranked.get(major, 0.0) >= settings.close_min_probability:
            return major
    return language


def detect_language(text: str) -> LanguageGuess:
    """The language of an article's text (ISO 639-1 where it exists), or ``und`` without letters."""
    settings = load_settings()
    sample = text[: settings.article_max_chars]
    if not any(char.isalpha() for char in sample):
        return LanguageGuess(UNDETERMINED, 0.0)
    ranked = _ranked(sample)
    best = max(ranked, key=ranked.__getitem__)
    major = _major(best, ranked, settings)
    return LanguageGuess(major, ranked[best] + (ranked.get(major, 0.0) if major != best else 0.0))


def normalise_language_tag(tag: str | None) -> str | None:
    """``en-US``/``EN`` → ``en``; empty → None."""
    if not tag or not tag.strip():
        return None
    return tag.strip().replace("_", "-").split("-")[0].lower()


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    try:
        return unicodedata.name(char).split(" ")[0]
    except ValueError:
        return _SCRIPTLESS


def dominant_script(text: str) -> tuple[str, int]:
    """The script most letters are written in, and how many letters there are."""
    scripts = Counter(map(_script, filter(str.isalpha, text)))
    if not scripts:
        return _SCRIPTLESS, 0
    return scripts.most_common(1)[0][0], sum(scripts.values())


def foreign_line_language(line: str, article_language: str, article_script: str) -> str | None:
    """The other language a line is confidently written in, else None (keep the line)."""
    settings = load_settings()
    if article_language == UNDETERMINED:
        return None
    script, letters = dominant_script(line)
    other_script = script not in (_SCRIPTLESS, article_script) and article_script != _SCRIPTLESS
    if other_script and letters >= settings.script_min_letters:
        ranked = _ranked(line)
        best = max(ranked, key=ranked.__getitem__)
        return _major(best, ranked, settings) if best != article_language else UNDETERMINED
    if letters < settings.line_min_letters or len(line.split()) < settings.line_min_words:
        return None
    ranked = _ranked(line, settings.line_max_chars)
    best = max(ranked, key=ranked.__getitem__)
    major = _major(best, ranked, settings)
    if major == article_language or article_language in settings.close_languages.get(major, ()):
        return None
    confident = ranked[best] >= settings.line_min_probability
    if confident and ranked.get(article_language, 0.0) <= settings.line_max_article_probability:
        return major
    return None
