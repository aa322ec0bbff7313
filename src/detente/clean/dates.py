"""Estimating a publication date from the text: the latest absolute past date it mentions."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml

from detente.errors import ConfigError

_SENTENCE_BREAK = re.compile(r"[.!?;]\s+|\n")


@dataclass(frozen=True, slots=True)
class DateEstimate:
    day: date
    evidence: str  # the words the date was read from


@dataclass(frozen=True, slots=True)
class _DateRules:
    pattern: re.Pattern[str]
    month_numbers: dict[str, int]
    future_cue: re.Pattern[str]
    window_words: int
    earliest_year: int


@functools.cache
def _rules() -> _DateRules:
    where = "data/clean/dates.yaml"
    try:
        raw: Mapping[str, Any] = yaml.safe_load(
            (resources.files("detente.data") / "clean" / "dates.yaml").read_text(encoding="utf-8")
        )
        month_numbers = {name.lower(): int(number) for number, names in raw["months"].items() for name in names}
        cues = sorted(raw["future_cues"], key=len, reverse=True)
        window, earliest = int(raw["cue_window_words"]), int(raw["earliest_year"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{where}: invalid date settings: {error}") from error
    month = "(?:" + "|".join(sorted(month_numbers, key=len, reverse=True)) + r")\.?"
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:1[89]|2\d)\d{2}"
    pattern = re.compile(
        rf"\b(?:(?P<m1>{month})\s+(?P<d1>{day}),?\s+(?P<y1>{year})"
        rf"|(?P<d2>{day})\.?\s+(?:of\s+|de\s+)?(?P<m2>{month}),?\s+(?:de\s+)?(?P<y2>{year})"
        rf"|(?P<y3>{year})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
        rf"|(?P<a4>\d{{1,2}})[./](?P<b4>\d{{1,2}})[./](?P<y4>{year}))\b",
        re.IGNORECASE,
    )
    future_cue = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(cue) for cue in cues) + r")(?!\w)", re.IGNORECASE)
    return _DateRules(pattern, month_numbers, future_cue, window, earliest)


def _as_date(match: re.Match[str], rules: _DateRules) -> date | None:
    if match["y3"]:
        year, month, day = int(match["y3"]), int(match["m3"]), int(match["d3"])
    elif match["y4"]:
        first, second, year = int(match["a4"]), int(match["b4"]), int(match["y4"])
        if first <= 12 and second <= 12 and first != second:
            return None  # 03/04/2018: March or April — not guessed
        day, month = (first, second) if first > 12 or first == second else (second, first)
    else:
        month_name = (match["m1"] or match["m2"]).rstrip(".").lower()
        day_text = match["d1"] or match["d2"]
        year = int(match["y1"] or match["y2"])
        month, day = rules.month_numbers[month_name], int(re.sub(r"\D", "", day_text))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _treated_as_future(text: str, start: int, rules: _DateRules) -> bool:
    """Whether the words before the date in its sentence look ahead ("will", "scheduled for", ...)."""
    before = text[max(0, start - 400) : start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    window = " ".join(clause.split()[-rules.window_words :])
    return bool(rules.future_cue.search(window))


def estimate_published(text: str, today: date | None = None) -> DateEstimate | None:
    """The latest absolute date the text gives that is neither in its future nor after ``today``."""
    rules = _rules()
    limit = today or date.today()
    best: DateEstimate | None = None
    for match in rules.pattern.finditer(text):
        found = _as_date(match, rules)
        if found is None or found > limit or found.year < rules.earliest_year:
            continue
        if _treated_as_future(text, match.start(), rules):
            continue
        if best is None or found > best.day:
            best = DateEstimate(found, match.group(0))
    return best
