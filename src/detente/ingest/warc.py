"""WARC files (plain or gzipped): the HTML responses, with their URL and WARC-Date.

A truncated archive keeps every complete record before the cut and warns about the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from detente.ingest.decode import DecodeProblem, decode_bytes
from detente.ingest.fields import parse_date_value, url_id
from detente.ingest.skips import report_skip
from detente.ingest.sources import InputFile
from detente.progress import Reporter
from detente.records import RawDocument

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _content_type(record: ArcWarcRecord) -> str:
    if record.rec_type == "response" and record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _is_html_page(record: ArcWarcRecord) -> bool:
    if record.rec_type not in ("response", "resource"):
        return False
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return False
    return _content_type(record).startswith(_HTML_TYPES)


def _decode_payload(payload: bytes, content_type: str) -> str:
    """The charset the server declared, else our own detection."""
    _, _, charset = content_type.partition("charset=")
    charset = charset.split(";")[0].strip().strip("\"'")
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(payload).text


def warc_record_id(url: str | None, record_id: str) -> str:
    """Stable across runs: from the URL when the record has one, else from the WARC-Record-ID."""
    if url:
        return url_id(url)
    return "warc-" + hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:16]


def read_warc(source: InputFile, stream: BinaryIO, max_bytes: int, reporter: Reporter) -> Iterator[RawDocument]:
    complete = 0
    try:
        for index, record in enumerate(ArchiveIterator(stream)):
            if not _is_html_page(record):
                continue
            origin = f"{source.label}#record-{index}"
            payload = record.content_stream().read(max_bytes + 1)
            if len(payload) > max_bytes:
                report_skip(reporter, origin, f"record larger than the size limit of {max_bytes:,} bytes")
                continue
            if record.raw_stream.limit > 0:
                report_skip(reporter, origin, f"truncated WARC record (kept {complete} complete records before it)")
                return
            url = record.rec_headers.get_header("WARC-Target-URI")
            record_id = record.rec_headers.get_header("WARC-Record-ID") or origin
            warc_date = record.rec_headers.get_header("WARC-Date")
            try:
                html = _decode_payload(payload, _content_type(record))
            except DecodeProblem as problem:
                report_skip(reporter, origin, str(problem))
                continue
            published = parse_date_value(warc_date)
            complete += 1
            yield RawDocument(
                origin=origin,
                id=warc_record_id(url, record_id),
                html=html,
                url=url,
                published=published,
                date_source="warc" if published else None,
                metadata={"format": "warc", "warc_record_id": record_id, "warc_date": warc_date},
            )
    except Exception as error:  # warcio raises assorted errors on a cut or corrupt archive
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
        report_skip(reporter, source.label, f"truncated or corrupt WARC (kept {complete} complete records): {detail}")
