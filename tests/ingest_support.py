"""Builders for ingest test inputs: articles written for the tests, WARC files via warcio."""

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from detente.pipeline import RunOptions
from detente.progress import Reporter

PARAGRAPH = (
    "Officials from Norway and Russia met in Kirkenes on Monday to discuss fishing quotas and border "
    "crossings, the Norwegian foreign ministry said in a statement after the talks."
)


def article_text(number: int) -> str:
    return f"Talks number {number} in Kirkenes\n\n{PARAGRAPH} This was round {number}.\n"


def page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def warc_bytes(pages: list[tuple[str, str]], gzip: bool = False) -> bytes:
    """A WARC with one HTML response per (url, html) pair, plus a request record to be ignored."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for url, html in pages:
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        writer.write_record(request)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(html.encode("utf-8")),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2021-06-17T08:00:00Z"},
        )
        writer.write_record(record)
    return buffer.getvalue()


DEFAULT_MAX_BYTES = RunOptions().max_bytes


def read_all(paths, max_bytes=DEFAULT_MAX_BYTES):
    from detente.ingest.readers import read_documents

    reporter = Reporter(quiet=True)
    documents = list(read_documents([str(path) for path in paths], RunOptions(max_bytes=max_bytes), reporter))
    return documents, reporter
