"""``RawDocument`` → ``CleanResult``: extraction, boilerplate removal, language, publication date.

Pure functions of the document (and of the learned per-source boilerplate passed in), so the
local stage and the Ray runner share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from detente.clean.boilerplate import remove_teasers, rule_reason, split_captions
from detente.clean.dates import estimate_published
from detente.clean.extract import ExtractedDocument, extract_document
from detente.clean.language import (
    detect_language,
    dominant_script,
    foreign_line_language,
    normalise_language_tag,
)
from detente.clean.learned import LearnedBoilerplate
from detente.clean.patterns import load_patterns
from detente.records import Article, CleanResult, DateSource, RawDocument, RemovedLine, normalise_text, text_hash

LEARNED_REASON = "learned-boilerplate"
TEXT_FORMAT = "text"  # metadata["format"] of plain-text files, whose first real line is the title
_TITLE_SEARCH_LINES = 3
_MASTHEAD_MAX_WORDS = 4
_SCRIPT_SAMPLE_CHARS = 3000


def document_source(extracted: ExtractedDocument) -> str | None:
    """The outlet: as given, else the site name in the HTML, else the URL's host without ``www.``."""
    raw = extracted.raw
    if raw.source:
        return raw.source
    if extracted.sitename:
        return extracted.sitename
    if raw.url:
        host = urlsplit(raw.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def _drop_title_line(lines: list[str], title: str | None) -> list[RemovedLine]:
    """Pages repeat the headline near the top of the text; the title is kept separately."""
    if not title:
        return []
    wanted = normalise_text(title)
    for index, line in enumerate(lines[:_TITLE_SEARCH_LINES]):
        if normalise_text(line) == wanted:
            return [RemovedLine(lines.pop(index), "title")]
    return []


def _drop_masthead(lines: list[str], removed: list[RemovedLine]) -> str | None:
    """A plain-text page often opens with the outlet's name above the headline; it is the name
    when the outlet names itself again further down ("MOSCOW (Outlet) —", "© Outlet")."""
    found: str | None = None
    while len(lines) > 1 and len(lines[0].split()) <= _MASTHEAD_MAX_WORDS:
        rest = "\n".join(lines[1:]).casefold()
        if lines[0].casefold() not in rest:
            break
        found = lines.pop(0)
        removed.append(RemovedLine(found, "site-name"))
    return found


def _remove_by_rules(
    lines: Sequence[str], source: str | None, learned: LearnedBoilerplate | None
) -> tuple[list[str], list[RemovedLine]]:
    patterns = load_patterns()
    captioned = split_captions(lines, patterns.captions)
    removed = list(captioned.removed)
    kept: list[str] = []
    for line in captioned.kept:
        reason = rule_reason(line, patterns)
        if reason is None and learned is not None and learned.is_boilerplate(source, line):
            reason = LEARNED_REASON
        if reason is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(line, reason))
    teasers = remove_teasers(kept, patterns.teasers)
    return teasers.kept, removed + teasers.removed


def _remove_foreign_lines(lines: Sequence[str], language: str) -> tuple[list[str], list[RemovedLine]]:
    script, _ = dominant_script(" ".join(lines)[:_SCRIPT_SAMPLE_CHARS])
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for line in lines:
        foreign = foreign_line_language(line, language, script)
        if foreign is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(line, f"foreign-language:{foreign}"))
    return kept, removed


def _publication(extracted: ExtractedDocument, text: str) -> tuple[date | None, DateSource | None, str | None]:
    """Metadata, else the HTML's own date, else the WARC capture date, else estimated from the text."""
    raw = extracted.raw
    if raw.published is not None and raw.date_source == "metadata":
        return raw.published.date(), "metadata", None
    if extracted.html_date is not None:
        return extracted.html_date, "html", None
    if raw.published is not None:
        return raw.published.date(), raw.date_source or "metadata", None
    estimate = estimate_published(text)
    if estimate is not None:
        return estimate.day, "estimated", estimate.evidence
    return None, None, None


def clean_extracted(extracted: ExtractedDocument, learned: LearnedBoilerplate | None = None) -> CleanResult:
    raw = extracted.raw
    title = raw.title or extracted.title
    source = document_source(extracted)
    lines = list(extracted.lines)
    removed = _drop_title_line(lines, title)
    lines, by_rules = _remove_by_rules(lines, source, learned)
    removed += by_rules
    if title is None and raw.metadata.get("format") == TEXT_FORMAT:
        source = source or _drop_masthead(lines, removed)
        if len(lines) > 1:
            title = lines.pop(0)
            removed.append(RemovedLine(title, "title"))
    given_language = normalise_language_tag(raw.language)
    language = given_language or detect_language("\n".join(lines)).language
    lines, foreign = _remove_foreign_lines(lines, language)
    removed += foreign
    text = "\n".join(lines)
    if given_language is None and foreign:
        language = detect_language(text).language if text else language
    published, date_source, evidence = _publication(extracted, text)
    metadata = dict(raw.metadata)
    if extracted.sitename:
        metadata["sitename"] = extracted.sitename
    if evidence:
        metadata["date_evidence"] = evidence
    if removed:
        metadata["removed_lines"] = len(removed)
    article = Article(
        id=raw.id or "sha-" + text_hash(raw.text or raw.html or text)[:16],
        text=text,
        title=title,
        url=raw.url or extracted.url,
        source=source,
        published=published,
        date_source=date_source,
        language=language,
        author=raw.author or extracted.author,
        origin=raw.origin,
        metadata=metadata,
    )
    return CleanResult(article, removed)


def clean_document(raw: RawDocument, learned: LearnedBoilerplate | None = None) -> CleanResult:
    """Clean one document. ``learned`` holds per-source boilerplate lines learned from the corpus."""
    return clean_extracted(extract_document(raw), learned)
