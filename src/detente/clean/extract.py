"""The text lines of a document: plain text as given, HTML through trafilatura (main text and
its metadata: title, date, author, site name)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import trafilatura
from lxml import html as lxml_html

from detente.records import RawDocument

# Only dates the page states in its metadata or markup; htmldate's text search is our own job.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(slots=True)
class ExtractedDocument:
    raw: RawDocument
    lines: list[str]
    title: str | None = None
    html_date: date | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None  # the page's canonical URL, when the input gave none


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _fallback_text(html: str) -> str:
    """When trafilatura finds no main text (tiny or unusual pages): all visible text."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for element in tree.xpath("//script|//style|//noscript"):
        element.drop_tree()
    return "\n".join(part.strip() for part in tree.itertext() if part.strip())


def _parse_html_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_document(raw: RawDocument) -> ExtractedDocument:
    if raw.text or raw.html is None:  # given text is already the article; HTML is the fallback
        return ExtractedDocument(raw, _split_lines(raw.text or ""))
    result = trafilatura.bare_extraction(
        raw.html,
        url=raw.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        date_extraction_params=_DATE_PARAMS,
    )
    text = result.text if result is not None and result.text else _fallback_text(raw.html)
    if result is None:
        return ExtractedDocument(raw, _split_lines(text))
    return ExtractedDocument(
        raw,
        _split_lines(text),
        title=result.title or None,
        html_date=_parse_html_date(result.date),
        author=result.author or None,
        sitename=result.sitename or None,
        url=result.url or None,
    )
