"""The boilerplate patterns of ``data/clean/boilerplate.yaml``, validated and compiled once."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from detente.errors import ConfigError

DATA_FILE = "boilerplate.yaml"
_SEPARATORS = r"[\s|·•/,:;.…()\[\]\-–—+]"
_COUNT = r"\d[\d.,]*[kKmM]?"
_MATCH_KINDS = ("line", "prefix", "widget", "regex")


@dataclass(frozen=True, slots=True)
class LineRule:
    reason: str
    pattern: re.Pattern[str]
    needs_letters: bool = False  # widget lines must contain a phrase, not only counts


@dataclass(frozen=True, slots=True)
class TeaserPatterns:
    header: re.Pattern[str]  # a header line on its own: the titles under it are teasers too
    inline: re.Pattern[str]  # "Read more: Some other story" on one line
    max_titles: int
    title_min_words: int
    title_max_words: int


@dataclass(frozen=True, slots=True)
class CaptionPatterns:
    credit_only: re.Pattern[str]  # the whole line is a credit
    credit_at_end: re.Pattern[str]  # a caption: text ending in a credit
    glued_credit: re.Pattern[str]  # a credit followed by more text on the same line
    max_caption_words: int
    hints: tuple[str, ...]  # a credit contains one of these (cheap test before the regexes)

    def may_hold_credit(self, line: str) -> bool:
        lowered = line.casefold()
        return any(hint in lowered for hint in self.hints)


@dataclass(frozen=True, slots=True)
class LearnedSettings:
    min_articles: int
    max_chars: int
    min_share: float = 0.0  # of the source's articles: a template line is in many, a news sentence in few

    def is_learned(self, articles: int, source_articles: int) -> bool:
        """Whether a line in ``articles`` distinct articles of a source with ``source_articles`` is boilerplate."""
        return articles >= self.min_articles and articles >= self.min_share * source_articles


@dataclass(frozen=True, slots=True)
class BoilerplatePatterns:
    rules: tuple[LineRule, ...]
    teasers: TeaserPatterns
    captions: CaptionPatterns
    learned: LearnedSettings


def _phrases(rule: Mapping[str, Any], where: str) -> list[str]:
    phrases = rule.get("phrases")
    if not isinstance(phrases, Mapping) or not phrases:
        raise ConfigError(f"{where}: 'phrases' must map languages to lists of phrases")
    found: list[str] = []
    for language, items in phrases.items():
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            raise ConfigError(f"{where}: phrases for {language!r} must be a list of non-empty strings")
        found.extend(item.strip() for item in items)
    return found


def alternation(phrases: Iterable[str]) -> str:
    """One regex alternative per phrase, longest first so "Share on X" wins over "Share"."""
    unique = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    return "(?:" + "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in unique) + ")"


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise ConfigError(f"{where}: invalid regular expression {pattern!r}: {error}") from error


def _line_rule(rule: Mapping[str, Any], where: str) -> LineRule:
    reason, kind = rule.get("reason"), rule.get("match")
    if not isinstance(reason, str) or not reason:
        raise ConfigError(f"{where}: every rule needs a 'reason'")
    if not rule.get("why"):
        raise ConfigError(f"{where}: rule {reason!r} needs a 'why'")
    if kind not in _MATCH_KINDS:
        raise ConfigError(f"{where}: rule {reason!r} has match {kind!r}; use one of {', '.join(_MATCH_KINDS)}")
    if kind == "regex":
        patterns = rule.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            raise ConfigError(f"{where}: regex rule {reason!r} needs a list of 'patterns'")
        return LineRule(reason, _compile("(?:" + "|".join(f"(?:{item})" for item in patterns) + ")$", where))
    words = alternation(_phrases(rule, where))
    if kind == "prefix":
        return LineRule(reason, _compile(rf"{words}(?!\w)", where))
    if kind == "line":
        return LineRule(reason, _compile(rf"{words}\s*[:*»…]*\s*(?:\(?{_COUNT}\)?)?\s*$", where))
    widget = rf"(?:{_SEPARATORS}*(?:{words}|{_COUNT})(?!\w))+{_SEPARATORS}*$"
    return LineRule(reason, _compile(widget, where), needs_letters=True)


def _teasers(section: Mapping[str, Any], where: str) -> TeaserPatterns:
    headers = alternation(_phrases({"phrases": section.get("headers")}, f"{where} teasers"))
    return TeaserPatterns(
        header=_compile(rf"{headers}\s*[:：»…›>]*\s*$", where),
        inline=_compile(rf"{headers}\s*[:：»›>|–—-]\s*\S.*$", where),
        max_titles=int(section.get("max_titles", 8)),
        title_min_words=int(section.get("title_min_words", 3)),
        title_max_words=int(section.get("title_max_words", 25)),
    )


def _captions(section: Mapping[str, Any], where: str) -> CaptionPatterns:
    words = _phrases({"phrases": {"any": section.get("credit_words")}}, f"{where} captions")
    credit_words = alternation(words)
    agencies = alternation(_phrases({"phrases": {"any": section.get("agencies")}}, f"{where} captions"))
    # "(Photo: AFP / VNA)", "[Image credit: Name]", "(Photo by Name/AFP)", "(AP Photo/Name)", "(Reuters/Name)"
    bracketed = (
        rf"[(\[]\s*(?:{credit_words}\s*(?:credit)?\s*(?:[:：/]|\s+by\s)|{agencies}(?:\s+photo)?\s*/)"
        r"[^()\[\]]{1,100}[)\]]"
    )
    # "Photo: Reuters", "Ảnh: TTXVN", "Reuters/Maxim Name", "AFP via Getty Images"
    bare = (
        rf"(?:{credit_words}\s*(?:credit)?\s*[:：]\s*[^:()]{{1,60}}"
        rf"|{agencies}\s*/\s*[^/()]{{1,50}}|via\s+Getty\s+Images)"
    )
    return CaptionPatterns(
        credit_only=_compile(rf"\W*(?:{bracketed}|{bare}|{credit_words})\W*$", where),
        credit_at_end=_compile(rf"(?P<caption>.*?)\s*(?:{bracketed}|[-–—|]?\s*{bare})\W*$", where),
        # the credit itself, then text that starts right after it (often with no space at all)
        glued_credit=_compile(
            rf"(?P<caption>.*?)\s*(?:{bracketed}"
            rf"|{credit_words}\s*[:：]\s*(?-i:[A-Z][\w./& -]{{0,40}}?[a-z.](?=[A-Z])))"
            r"\s*(?P<rest>[^\w]*[^\W\d_].*)$",
            where,
        ),
        max_caption_words=int(section.get("max_caption_words", 60)),
        # agency credits always have a slash ("Reuters/Name") or say "via Getty Images"
        hints=(*sorted({word.casefold() for word in words}), "/", "getty"),
    )


@functools.cache
def load_patterns(name: str = DATA_FILE) -> BoilerplatePatterns:
    where = f"data/clean/{name}"
    try:
        raw = yaml.safe_load((resources.files("detente.data") / "clean" / name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{where}: cannot read boilerplate patterns: {error}") from error
    if not isinstance(raw, Mapping) or not isinstance(raw.get("rules"), list):
        raise ConfigError(f"{where}: expected a mapping with a 'rules' list")
    learned = raw.get("learned") or {}
    return BoilerplatePatterns(
        rules=tuple(_line_rule(rule, f"{where} rule {index}") for index, rule in enumerate(raw["rules"])),
        teasers=_teasers(raw.get("teasers") or {}, where),
        captions=_captions(raw.get("captions") or {}, where),
        learned=LearnedSettings(
            min_articles=int(learned.get("min_articles", 3)),
            max_chars=int(learned.get("max_chars", 200)),
            min_share=float(learned.get("min_share", 0.0)),
        ),
    )
