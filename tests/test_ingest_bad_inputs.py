"""Every kind of bad input: one warning naming the file and the reason; the run goes on."""

import gzip
import json
import os

import pytest

from detente.ingest.stage import ingest_stage
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.store import Store
from detente.store.articles import count_articles
from tests.ingest_support import PARAGRAPH, article_text, page, read_all, warc_bytes


@pytest.fixture
def good(tmp_path):
    """A readable article beside every bad one: it must always come through."""
    path = tmp_path / "good.txt"
    path.write_text(article_text(1))
    return path


def _only_warning(reporter, path, reason):
    assert len(reporter.warnings) == 1, reporter.warnings
    warning = reporter.warnings[0]
    assert str(path) in warning and reason in warning
    assert "\n" not in warning


def _read(good, bad, **kwargs):
    docs, reporter = read_all([good, bad], **kwargs)
    assert [doc.id for doc in docs] == ["good"]
    return reporter


def test_missing_path(good, tmp_path):
    _only_warning(_read(good, tmp_path / "nope.txt"), tmp_path / "nope.txt", "no such file")


def test_glob_matching_nothing(good, tmp_path):
    _only_warning(_read(good, tmp_path / "*.xml"), tmp_path / "*.xml", "no files match")


def test_unreadable_file(good, tmp_path):
    if os.geteuid() == 0:
        bad = tmp_path / "dangling.txt"
        bad.symlink_to(tmp_path / "gone.txt")  # root reads anything; a dangling link still cannot be opened
    else:
        bad = tmp_path / "locked.txt"
        bad.write_text(article_text(2))
        bad.chmod(0)
    _only_warning(_read(good, bad), bad, "unreadable")


def test_binary_file(good, tmp_path):
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    _only_warning(_read(good, bad), bad, "binary content (PDF)")
    bad.write_bytes(b"abc\x00\x00def" * 100)
    _only_warning(_read(good, bad), bad, "binary content (NUL bytes)")


def test_empty_files(good, tmp_path):
    for name, content in (
        ("blank.txt", b" \n\n  \n"),
        ("nothing.html", b""),
        ("empty.jsonl", b""),
        ("bom.txt", b"\xef\xbb\xbf"),
    ):
        bad = tmp_path / name
        bad.write_bytes(content)
        _only_warning(_read(good, bad), bad, "empty")


def test_undecodable_file(good, tmp_path):
    bad = tmp_path / "garbled.txt"
    bad.write_bytes("Talks in Zürich ".encode() + b"\x81\x8d\x8f\x90\x9d\xe9" * 20)
    _only_warning(_read(good, bad), bad, "undecodable")


def test_truncated_gzip_text(good, tmp_path):
    bad = tmp_path / "cut.txt.gz"
    data = gzip.compress((article_text(2) * 50).encode())
    bad.write_bytes(data[: len(data) // 2])
    _only_warning(_read(good, bad), bad, "truncated gzip")


def test_truncated_gzip_jsonl_keeps_complete_lines(tmp_path):
    bad = tmp_path / "feed.jsonl.gz"
    lines = "".join(json.dumps({"id": f"r{n}", "text": PARAGRAPH * 3}) + "\n" for n in range(200)).encode()
    data = gzip.compress(lines)
    bad.write_bytes(data[: len(data) * 3 // 4])
    docs, reporter = read_all([bad])
    assert 0 < len(docs) < 200
    assert reporter.warnings[0].startswith(str(bad)) and "truncated or corrupt gzip" in reporter.warnings[0]


@pytest.mark.parametrize("compressed", [False, True], ids=["warc", "warc.gz"])
def test_truncated_warc_keeps_complete_records(tmp_path, compressed):
    pages = [(f"https://arctic.example/{n}", page(f"Talks {n}", PARAGRAPH * 5)) for n in range(3)]
    data = warc_bytes(pages, gzip=compressed)
    bad = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    bad.write_bytes(data[: len(data) - 200])
    docs, reporter = read_all([bad])
    assert [doc.url for doc in docs] == [url for url, _ in pages[:2]]
    assert len(reporter.warnings) == 1 and str(bad) in reporter.warnings[0]
    assert "truncated" in reporter.warnings[0]


def test_over_size_limit(good, tmp_path):
    bad = tmp_path / "huge.txt"
    bad.write_text("Huge\n\n" + PARAGRAPH * 50)
    _only_warning(_read(good, bad, max_bytes=2000), bad, "larger than the size limit of 2,000 bytes")


def test_over_size_limit_after_decompression(good, tmp_path):
    bad = tmp_path / "bomb.txt.gz"
    bad.write_bytes(gzip.compress(b"Bomb\n\n" + b"a" * 100_000))
    _only_warning(_read(good, bad, max_bytes=2000), bad, "larger than the size limit")


def test_over_size_limit_per_jsonl_record(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "big", "text": PARAGRAPH * 50}) + "\n" + json.dumps({"id": "ok", "text": PARAGRAPH}) + "\n"
    )
    docs, reporter = read_all([feed], max_bytes=2000)
    assert [doc.id for doc in docs] == ["ok"]
    _only_warning(reporter, f"{feed}:1", "record larger than the size limit")


def test_invalid_json_records(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "a", "text": "x"\n[1, 2]\n{"id": "c", "title": "no text"}\n'
        + json.dumps({"id": "d", "text": PARAGRAPH})
    )
    docs, reporter = read_all([feed])
    assert [doc.id for doc in docs] == ["d"]
    assert [warning.split(": skipped: ")[1] for warning in reporter.warnings] == [
        "invalid JSON (Expecting ',' delimiter)",
        "not a JSON object",
        "no text, maintext or html field",
    ]
    assert reporter.warnings[0].startswith(f"{feed}:1")


def test_stage_counts_skips_and_keeps_going(tmp_path, good):
    (tmp_path / "scan.txt").write_bytes(b"\x00" * 100)
    (tmp_path / "blank.txt").write_text("")
    reporter = Reporter(quiet=True)
    summary = ingest_stage(Store(tmp_path / "db.duckdb"), [str(tmp_path)], RunOptions(), reporter)
    assert summary["ingested"] == 1 and summary["skipped"] == 2
    assert len(reporter.warnings) == 2
    assert count_articles(Store(tmp_path / "db.duckdb")) == {"en": 1}


def test_text_that_cleans_to_nothing_is_skipped(tmp_path):
    (tmp_path / "widgets.txt").write_text("Share\nTweet\nEmail\n")
    reporter = Reporter(quiet=True)
    summary = ingest_stage(Store(tmp_path / "db.duckdb"), [str(tmp_path)], RunOptions(), reporter)
    assert summary["skipped"] == 1 and "no text left after cleaning" in reporter.warnings[0]
