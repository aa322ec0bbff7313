"""Length-preserving normalisation: the matcher's offsets in normalised text are offsets in the original.

Every character maps to exactly one character: lower case, diacritics stripped (Zelenskyy/Zelenskyy,
Tiranë/Tirane), typographic apostrophes to ``'``, every hyphen and dash to a space (Jong-un/Jong Un),
and line breaks to spaces.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = "’‘ʼ`´′"
_DASHES = "-‐‑‒–—―"
_SPACES = "\n\r\t\xa0\u2009\u202f"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character in, one character out."""
    if char in _APOSTROPHES:
        return "'"
    if char in _DASHES or char in _SPACES:
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    base = next((part for part in decomposed if not unicodedata.combining(part)), char)
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


_ASCII_TABLE = {ord(char): _fold_char(char) for char in map(chr, range(128))}


def normalise(text: str) -> str:
    """The comparison form of ``text``, with ``len(normalise(text)) == len(text)``."""
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    return "".join(_fold_char(char) for char in text)


def strip_marks(text: str) -> str:
    """``text`` without diacritics or typographic variants but keeping case (for case checks)."""
    return "".join(
        char if char.isascii() else (_fold_char(char).upper() if char.isupper() else _fold_char(char)) for char in text
    )


def key(phrase: str) -> str:
    """Lookup key of a KB phrase: normalised, whitespace runs collapsed."""
    return " ".join(normalise(phrase).split())
