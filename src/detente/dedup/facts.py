"""Facts a rewrite or translation keeps while changing every word: numbers, dates and names.

Digits and proper names survive translation; month names are mapped through a small multilingual
table (settings.yaml) so "3 March" and "3 mars" give the same date. Years are left out of the
numbers: every article of a year shares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detente.dedup.settings import FactSettings

# Grouped thousands ("1,500", "1 500", "1.500") first, then plain figures, then words.
_GROUPED = r"\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+(?!\d)"
_TOKEN = re.compile(rf"{_GROUPED}|\d+(?:[.,]\d+)?|\w+", re.UNICODE)
_IS_GROUPED = re.compile(_GROUPED)
_SENTENCE_END = re.compile(r"[.!?:;\n]")
_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-(\d\d)-(\d\d)\b")
_YEAR = range(1900, 2101)


@dataclass(frozen=True, slots=True)
class TextFacts:
    numbers: frozenset[str]
    dates: frozenset[str]  # "MM-DD", or "weekday:N" for a named weekday
    names: frozenset[str]  # prefixes of casefolded capitalised words that do not start a sentence

    @property
    def facts(self) -> frozenset[str]:
        return self.numbers | {f"date:{day}" for day in self.dates}


EMPTY_FACTS = TextFacts(frozenset(), frozenset(), frozenset())


def facts_disagree(a: TextFacts, b: TextFacts) -> bool:
    """Both give figures but none in common, or both name calendar days (or weekdays) but none in
    common: they report different things."""
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        return True
    for weekday in (False, True):
        days_a = {day for day in a.dates if day.startswith("weekday:") == weekday}
        days_b = {day for day in b.dates if day.startswith("weekday:") == weekday}
        if days_a and days_b and not days_a & days_b:
            return True
    return False


def _number(token: str) -> int:
    if _IS_GROUPED.fullmatch(token):
        return int(re.sub(r"\D", "", token))
    return int(re.split(r"[.,]", token)[0])  # 1.5 million: the whole part is enough to compare


def _looks_like_name(token: str) -> bool:
    # "Lavrov", "Kyiv", and acronyms such as "EU" or "NATO"
    return token[0].isupper() and (len(token) >= 3 or token.isupper()) and not token.isdigit()


def extract_facts(text: str, settings: FactSettings) -> TextFacts:
    numbers: set[str] = set()
    dates: set[str] = {f"{month}-{day}" for month, day in _ISO_DATE.findall(text)}
    names: set[str] = set()
    tokens = [(match.group(), match.start()) for match in _TOKEN.finditer(_ISO_DATE.sub(" ", text))]
    sentence_starts = {0, *(match.end() for match in _SENTENCE_END.finditer(text))}
    used_as_day: set[int] = set()
    for index, (token, _) in enumerate(tokens):
        month = settings.month_words.get(token.casefold())
        if month is None:
            continue
        for neighbour in (index + 1, index - 1):
            if 0 <= neighbour < len(tokens) and tokens[neighbour][0].isdigit() and 1 <= int(tokens[neighbour][0]) <= 31:
                dates.add(f"{month:02d}-{int(tokens[neighbour][0]):02d}")
                used_as_day.add(neighbour)
                break
    for index, (token, start) in enumerate(tokens):
        folded = token.casefold()
        if token[0].isdigit():
            value = _number(token)
            if index not in used_as_day and value not in _YEAR:
                numbers.add(str(value))
        elif folded in settings.number_words:
            numbers.add(str(settings.number_words[folded]))
        elif folded in settings.weekday_words:
            dates.add(f"weekday:{settings.weekday_words[folded]}")
        elif _looks_like_name(token) and folded not in settings.month_words:
            preceding = text[:start].rstrip()
            if preceding and start not in sentence_starts and not _SENTENCE_END.match(preceding[-1]):
                names.add(folded[: settings.name_prefix])
    return TextFacts(frozenset(numbers), frozenset(dates), frozenset(names))
