"""Build examples/corpus/wire-2018.warc.gz from the HTML pages in examples/warc-src/.

Each page becomes one HTTP response record whose target URI is the page's canonical link, as a
crawler would have stored it. Record ids and dates are derived from the URL and a fixed crawl
time, so running the script again produces the same archive byte for byte.

Usage: python examples/make_warc.py
"""

from __future__ import annotations

import re
import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

EXAMPLES = Path(__file__).resolve().parent
SOURCE_DIR = EXAMPLES / "warc-src"
OUTPUT = EXAMPLES / "corpus" / "wire-2018.warc.gz"
CRAWL_DATE = "2018-03-30T06:00:00Z"  # the morning after the newest page was published
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')


def canonical_url(page: Path, html: str) -> str:
    match = CANONICAL.search(html)
    if match is None:
        raise SystemExit(f'{page}: no <link rel="canonical"> to use as the record\'s URL')
    return match.group(1)


def record_id(url: str) -> str:
    """A stable WARC-Record-ID: the same URL always gets the same id."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>"


def write_archive(pages: list[Path], output: Path) -> int:
    with output.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = writer.create_warcinfo_record(
            output.name,
            {"software": "detente examples/make_warc.py", "description": "Example crawl of two Baltic Wire pages"},
        )
        info.rec_headers.replace_header("WARC-Date", CRAWL_DATE)
        info.rec_headers.replace_header("WARC-Record-ID", record_id(output.name))
        writer.write_record(info)
        for page in pages:
            body = page.read_bytes()
            url = canonical_url(page, body.decode("utf-8"))
            http_headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": CRAWL_DATE, "WARC-Record-ID": record_id(url)},
            )
            writer.write_record(record)
    return len(pages)


def main() -> None:
    pages = sorted(SOURCE_DIR.glob("*.html"))
    if not pages:
        raise SystemExit(f"{SOURCE_DIR}: no .html pages to archive")
    count = write_archive(pages, OUTPUT)
    print(f"wrote {count} response records to {OUTPUT.relative_to(EXAMPLES.parent)}")


if __name__ == "__main__":
    main()
