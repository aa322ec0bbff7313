"""Input files → ``RawDocument``s, one reader per format, chosen by extension or by sniffing.

Formats: text (``.txt``/``.md``, title = first non-empty line), HTML, JSON (one object or a
list), JSON lines (streamed line by line), WARC. Any of them may be gzip-compressed. The size
limit applies per document: a whole text/HTML/JSON file, one JSONL line, one WARC record — so a
large JSONL or WARC file streams instead of being refused.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal

from detente.ingest.decode import DecodeProblem, decode_bytes
from detente.ingest.fields import apply_fields, document_from_record
from detente.ingest.markdown import markdown_to_text
from detente.ingest.skips import report_skip
from detente.ingest.sources import (
    SIDECAR_SUFFIX,
    CutTolerantStream,
    InputFile,
    ReadProblem,
    expand_inputs,
    open_input,
    read_limited,
)
from detente.ingest.warc import read_warc
from detente.progress import Reporter
from detente.records import RawDocument

Format = Literal["text", "html", "json", "jsonl", "warc"]

_EXTENSION_FORMATS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
}
_MARKDOWN_EXTENSIONS = (".md", ".markdown")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p>", b"<div")


def format_of(source: InputFile, head: bytes) -> Format:
    """By extension when it is one we know, else by the first bytes of the (decompressed) content."""
    if source.path is None:
        return "jsonl"
    known = _EXTENSION_FORMATS.get(Path(source.logical_name).suffix.lower())
    if known:
        return known
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<") and any(marker in start for marker in _HTML_MARKERS):
        return "html"
    return "text"


def _sidecar(source: InputFile, reporter: Reporter) -> dict[str, Any]:
    """``NAME.meta.json`` (or ``NAME.ext.meta.json``) beside the file, if present."""
    if source.path is None:
        return {}
    for name in (source.stem + SIDECAR_SUFFIX, source.path.name + SIDECAR_SUFFIX):
        candidate = source.path.with_name(name)
        if not candidate.is_file():
            continue
        try:
            loaded = json.loads(decode_bytes(candidate.read_bytes()).text)
        except (OSError, ValueError) as error:
            reporter.warn(f"{candidate}: sidecar ignored: {error}")
            return {}
        if not isinstance(loaded, dict):
            reporter.warn(f"{candidate}: sidecar ignored: not a JSON object")
            return {}
        return loaded
    return {}


def _single_document(source: InputFile, fmt: Format, text: str, reporter: Reporter) -> Iterator[RawDocument]:
    """A text or HTML file. A text file's title is its first line that is not boilerplate, which
    the cleaner picks (``TEXT_FORMAT``), unless a sidecar gives one."""
    if not text.strip():
        report_skip(reporter, source.label, "empty")
        return
    if fmt == "html":
        document = RawDocument(origin=source.label, id=source.stem, html=text)
    else:
        if Path(source.logical_name).suffix.lower() in _MARKDOWN_EXTENSIONS:
            text = markdown_to_text(text)
        document = RawDocument(origin=source.label, id=source.stem, text=text)
    document.metadata["format"] = fmt
    yield apply_fields(document, _sidecar(source, reporter))


def _record_document(record: Any, origin: str, fallback_id: str | None, reporter: Reporter) -> RawDocument | None:
    """One JSON object as a document; ``fallback_id`` (the file stem) only for a one-object file."""
    if not isinstance(record, dict):
        report_skip(reporter, origin, "not a JSON object")
        return None
    document = document_from_record(record, origin, fallback_id)
    if document.text is None and document.html is None:
        report_skip(reporter, origin, "no text, maintext or html field")
        return None
    document.metadata.setdefault("format", "json")
    return document


def _json_documents(source: InputFile, text: str, reporter: Reporter) -> Iterator[RawDocument]:
    """One object, a list of objects, or (mislabelled) JSON lines."""
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            yield from _jsonl_lines(source, iter(text.encode("utf-8").splitlines(keepends=True)), reporter)
            return
        report_skip(reporter, source.label, f"invalid JSON ({error.msg} at line {error.lineno})")
        return
    if isinstance(loaded, list):
        candidates = [_record_document(item, f"{source.label}[{n}]", None, reporter) for n, item in enumerate(loaded)]
    else:
        candidates = [_record_document(loaded, source.label, source.stem, reporter)]
    yield from (document for document in candidates if document is not None)


def _jsonl_lines(
    source: InputFile, lines: Iterator[bytes], reporter: Reporter, max_bytes: int | None = None
) -> Iterator[RawDocument]:
    for number, raw_line in enumerate(lines, start=1):
        origin = f"{source.label}:{number}"
        if max_bytes is not None and len(raw_line) > max_bytes:
            report_skip(reporter, origin, f"record larger than the size limit of {max_bytes:,} bytes")
            continue
        if not raw_line.strip():
            continue
        try:
            record = json.loads(decode_bytes(raw_line).text)
        except DecodeProblem as problem:
            report_skip(reporter, origin, str(problem))
            continue
        except json.JSONDecodeError as error:
            report_skip(reporter, origin, f"invalid JSON ({error.msg})")
            continue
        document = _record_document(record, origin, None, reporter)
        if document is not None:
            document.metadata["format"] = "jsonl"
            yield document


def _stream_lines(source: InputFile, stream: BinaryIO, max_bytes: int, reporter: Reporter) -> Iterator[bytes]:
    """Lines of at most ``max_bytes + 1`` bytes (longer ones are cut and then refused by size)."""
    number = 0
    try:
        while line := stream.readline(max_bytes + 1):
            number += 1
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while (rest := stream.readline(max_bytes + 1)) and not rest.endswith(b"\n"):
                    pass  # skip the remainder of an oversized line
            yield line
    except (EOFError, OSError, ValueError, zlib.error) as error:
        report_skip(reporter, source.label, f"truncated or corrupt gzip after line {number} ({error})")
        return
    if number == 0:
        report_skip(reporter, source.label, "empty")


def read_file(source: InputFile, max_bytes: int, reporter: Reporter) -> Iterator[RawDocument]:
    """Every document in one input file; problems are warned about and skipped, never raised."""
    try:
        opened = open_input(source)
    except ReadProblem as problem:
        report_skip(reporter, source.label, str(problem))
        return
    with opened.raw, opened.stream as stream:
        fmt = format_of(source, opened.head())
        if fmt == "warc":
            guarded = CutTolerantStream(stream) if opened.compressed else None
            yield from read_warc(source, guarded or stream, max_bytes, reporter)
            if guarded is not None and guarded.truncated:
                report_skip(reporter, source.label, "truncated gzip data at the end of the WARC")
            return
        if fmt == "jsonl":
            yield from _jsonl_lines(source, _stream_lines(source, stream, max_bytes, reporter), reporter, max_bytes)
            return
        try:
            data = read_limited(stream, max_bytes, opened.compressed)
            if not data.strip():
                raise ReadProblem("empty")
            decoded = decode_bytes(data)
        except (ReadProblem, DecodeProblem) as problem:
            report_skip(reporter, source.label, str(problem))
            return
    if fmt == "json":
        documents = _json_documents(source, decoded.text, reporter)
    else:
        documents = _single_document(source, fmt, decoded.text, reporter)
    for document in documents:
        if decoded.encoding not in ("utf-8", "utf-8-sig"):
            document.metadata["encoding"] = decoded.encoding
        yield document


def read_documents(paths: Sequence[str], options: Any, reporter: Reporter) -> Iterator[RawDocument]:
    """Every document under ``paths`` (files, directories, globs, ``-``), in input order.

    ``options`` needs only ``max_bytes`` (a ``pipeline.RunOptions``). Pure apart from warnings.
    """
    for source in expand_inputs(paths, reporter):
        yield from read_file(source, options.max_bytes, reporter)
