"""Quantities stated with an event's participants: "ten diplomats", "40 Russian accounts"."""

from __future__ import annotations

import re

from spacy.tokens import Token

_UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12, "a dozen": 12, "several": 3, "a few": 3,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")


def number_value(text: str) -> int | None:
    """The integer a number phrase names ("ten", "40", "1,200", "2.5 million", "twenty-five")."""
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if not word or word == "and":
            continue
        if _DIGITS.match(word):
            current += float(word.replace(",", ""))  # type: ignore[assignment]
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _SCALES:
            current = (current or 1) * _SCALES[word]
            if _SCALES[word] >= 1_000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return int(total + current) if seen else None


def quantity_of(head: Token) -> tuple[int, str] | None:
    """A stated count on the noun ``head``: its ``nummod`` (with "more than"/"million" parts)."""
    for child in head.children:
        if child.dep_ != "nummod":
            continue
        parts = [t for t in child.subtree if t.dep_ in ("nummod", "compound", "quantmod") or t is child]
        number_words = [
            t.text
            for t in parts
            if t.lower_ not in ("more", "than", "over", "about", "at", "least", "nearly", "some", "up", "to")
        ]
        value = number_value(" ".join(number_words))
        if value is None:
            continue
        start = min(t.i for t in parts)
        return value, head.doc[start : head.i + 1].text
    return None
