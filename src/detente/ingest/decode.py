"""Bytes to text: BOMs, UTF-8, then the cp1252/latin-1 family; binary content is refused.

Why this order: UTF-8 is by far the most common and fails loudly on anything else, so a clean
UTF-8 decode is trustworthy. What fails UTF-8 in a news corpus is nearly always Windows-1252
(curly quotes and dashes in 0x80-0x9F) or ISO-8859-1 (only 0xA0-0xFF); the two agree on every
byte latin-1 text uses, so cp1252 decodes both and we only *name* the encoding from which bytes
occur. Bytes cp1252 leaves undefined mean the text is in neither, and we say so instead of guessing.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Leading bytes of formats that are certainly not text (checked before any decoding).
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7fELF", "executable"),
)
_SNIFF_BYTES = 8192
_CONTROL_SHARE_LIMIT = 0.05  # real text has almost no C0 control characters besides \t \n \r \f
_C1_BYTES = frozenset(range(0x80, 0xA0))


class DecodeProblem(ValueError):
    """Why bytes could not be read as text (a short phrase used in the one-line warning)."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def binary_reason(data: bytes) -> str | None:
    """A reason when ``data`` is not text (file magic, NUL bytes, control characters), else None."""
    head = data[:_SNIFF_BYTES]
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return f"binary content ({name})"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head:
        return "binary content (NUL bytes)"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D))
    if head and controls / len(head) > _CONTROL_SHARE_LIMIT:
        return "binary content (control characters)"
    return None


def decode_bytes(data: bytes) -> DecodedText:
    """Decode document bytes; raises ``DecodeProblem`` for binary or undecodable content."""
    reason = binary_reason(data)
    if reason:
        raise DecodeProblem(reason)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as error:
            raise DecodeProblem("undecodable UTF-16 text") from error
    try:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return DecodedText(data.decode("utf-8-sig"), encoding)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DecodeProblem("undecodable text (not UTF-8, cp1252 or latin-1)") from error
    encoding = "cp1252" if any(byte in _C1_BYTES for byte in data) else "latin-1"
    return DecodedText(text, encoding)
