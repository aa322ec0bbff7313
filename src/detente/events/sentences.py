"""Sentence boundaries by rule, at string speed: only sentences worth parsing go to spaCy."""

from __future__ import annotations

import re

# A boundary: end punctuation (maybe a closing quote/bracket), space, then something that can start
# a sentence; or a line break (clean articles hold one paragraph or headline per line).
# Abbreviations and initials before the full stop are ruled out afterwards.
_BOUNDARY = re.compile(r"""[.!?]["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])|\s*\n\s*""")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "sen",
        "rep",
        "gov",
        "st",
        "jr",
        "sr",
        "rev",
        "hon",
        "pres",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "corp",
        "ltd",
        "co",
        "approx",
        "est",
        "dept",
    ]
)
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")


def _is_abbreviation(text: str, end: int) -> bool:
    """``end`` is the index of the full stop; True for "Gen." or initials like "U.S." and "F.W."."""
    found = _LAST_WORD.search(text, max(0, end - 12), end + 1)
    if not found:
        return False
    word = found.group(1)
    if "." in word:  # U.S. / F.W. / U.N.
        return all(len(part) <= 2 for part in word.split("."))
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of each sentence, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        stop = boundary.start()
        if text[stop] == "." and _is_abbreviation(text, stop):
            continue
        end = boundary.end()
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# "MOSCOW — ", "THE HAGUE, March 24, 2014 (Lowlands Courier) — ", "WASHINGTON (Wire) - ": a dateline is
# not part of the clause; parsed with it, the city often becomes the subject ("GENEVA — Biden and
# Putin met" → GENEVA met).
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]+)(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:\s*,[^—–\n]{1,80}?)?(?:\s*\([^)\n]{1,60}\))?\s+[—–-]{1,2}\s+"
)


def after_dateline(text: str, start: int, end: int) -> int:
    """Where the sentence ``text[start:end]`` begins once a leading dateline is skipped."""
    found = _DATELINE.match(text, start, end)
    if found is None or sum(char.isalpha() for char in found.group().split(",")[0].split("(")[0]) < 3:
        return start
    return found.end() if found.end() < end else start
