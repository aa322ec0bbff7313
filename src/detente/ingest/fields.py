"""Metadata fields → ``RawDocument``: field aliases, date parsing, and article ids.

The same field names work in JSON/JSONL records and in ``NAME.meta.json`` sidecars; fields this
module does not know are kept verbatim in ``RawDocument.metadata``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as date_parser

from detente.records import RawDocument, normalise_text

# Each RawDocument attribute and the record fields that fill it, in order of preference.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "url": ("url",),
    "title": ("title",),
    "text": ("text", "maintext"),
    "html": ("html",),
    "published": ("published", "date_publish", "date"),
    "source": ("source", "source_domain"),
    "language": ("language",),
    "author": ("author",),
}
_KNOWN_FIELDS = frozenset(name for names in FIELD_ALIASES.values() for name in names)
_NO_DATE = datetime(1, 1, 1)  # a default no real date has: parts a string lacks stay visibly unset
_EPOCH_MS_THRESHOLD = 10**11  # larger epoch numbers are milliseconds


def parse_date_value(value: Any) -> datetime | None:
    """A publication date from a metadata value (ISO or free-form string, epoch number), else None.

    Strings without a year are refused rather than completed with today's date.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _naive(value)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_MS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        parsed = date_parser.parse(value.strip(), default=_NO_DATE)
    except (ValueError, OverflowError):
        return None
    if parsed.year == _NO_DATE.year:
        return None
    return _naive(parsed)


def _naive(moment: datetime) -> datetime:
    """Keep the wall-clock date the source printed: a 23:00-05:00 article is dated that day."""
    return moment.replace(tzinfo=None)


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def url_id(url: str) -> str:
    """A stable, readable id for a URL: its last path segment plus a short hash of the whole URL."""
    parts = urlsplit(url)
    segment = PurePosixPath(parts.path.rstrip("/")).stem or parts.hostname or "url"
    slug = "".join(char if char.isalnum() or char in "-_" else "-" for char in segment)[:60].strip("-") or "url"
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}"


def content_id(content: str) -> str:
    return "sha-" + hashlib.sha256(normalise_text(content).encode("utf-8")).hexdigest()[:16]


def apply_fields(document: RawDocument, record: Mapping[str, Any]) -> RawDocument:
    """Copy the known fields of ``record`` onto ``document`` (non-empty values win) and keep the rest."""
    for attribute, names in FIELD_ALIASES.items():
        for name in names:
            value = record.get(name)
            if attribute == "published":
                parsed = parse_date_value(value)
                if parsed is not None:
                    document.published = parsed
                    document.date_source = "metadata"
                    break
                continue
            text = _text_or_none(value)
            if text is not None:
                setattr(document, attribute, text)
                break
    for name, value in record.items():
        if name not in _KNOWN_FIELDS:
            document.metadata[name] = value
    return document


def document_from_record(record: Mapping[str, Any], origin: str, fallback_id: str | None = None) -> RawDocument:
    """A document from one JSON object. Id: the given id, else ``fallback_id``, else from URL or content."""
    document = apply_fields(RawDocument(origin=origin), record)
    if document.id is None:
        document.id = fallback_id or default_id(document)
    return document


def default_id(document: RawDocument) -> str:
    """For records without an id: from the URL (so a changed page updates the same article), else content."""
    if document.url:
        return url_id(document.url)
    return content_id(document.text or document.html or "")
