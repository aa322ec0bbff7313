"""Reading every input format into RawDocuments."""

import gzip
import io
import json
import sys

from detente.clean.document import clean_document
from tests.ingest_support import PARAGRAPH, article_text, page, read_all, warc_bytes


def test_text_file_title_is_first_line_and_id_is_stem(tmp_path):
    (tmp_path / "oslo-talks.txt").write_text("\n\nKirkenes talks end\n\n" + PARAGRAPH, encoding="utf-8")
    [raw], _ = read_all([tmp_path / "oslo-talks.txt"])
    article = clean_document(raw).article
    assert (article.id, article.title, article.text) == ("oslo-talks", "Kirkenes talks end", PARAGRAPH)


def test_markdown_markup_is_dropped(tmp_path):
    (tmp_path / "a.md").write_text(f"# Kirkenes talks\n\n*By a staff writer*\n\n## Fishing\n\n- {PARAGRAPH}\n")
    article = clean_document(read_all([tmp_path / "a.md"])[0][0]).article
    assert article.title == "Kirkenes talks"
    assert article.text.splitlines() == ["By a staff writer", "Fishing", PARAGRAPH]


def test_sidecar_sets_fields(tmp_path):
    (tmp_path / "a.txt").write_text(article_text(1))
    meta = {
        "id": "custom",
        "source": "Arctic Post",
        "published": "2019-05-06",
        "url": "https://x.example/a",
        "desk": "N",
    }
    (tmp_path / "a.meta.json").write_text(json.dumps(meta))
    [raw], _ = read_all([tmp_path])  # the sidecar itself is not read as a document
    assert (raw.id, raw.source, raw.url, raw.date_source) == (
        "custom",
        "Arctic Post",
        "https://x.example/a",
        "metadata",
    )
    assert raw.metadata == {"format": "text", "desk": "N"}


def test_jsonl_fields_aliases_and_extra_metadata(tmp_path):
    records = [
        {
            "id": "j1",
            "title": "T1",
            "text": PARAGRAPH,
            "date_publish": "2020-01-02",
            "source_domain": "a.example",
            "x": 1,
        },
        {"url": "https://b.example/news/kirkenes-talks.html", "maintext": PARAGRAPH, "language": "en"},
        {"text": PARAGRAPH + " Third."},
    ]
    (tmp_path / "feed.ndjson").write_text("\n".join(json.dumps(record) for record in records) + "\n")
    docs, reporter = read_all([tmp_path / "feed.ndjson"])
    assert not reporter.warnings
    assert docs[0].id == "j1" and docs[0].source == "a.example" and docs[0].published.year == 2020
    assert docs[0].metadata == {"x": 1, "format": "jsonl"}
    assert docs[1].id.startswith("kirkenes-talks-") and docs[1].language == "en"
    assert docs[2].id.startswith("sha-")
    assert docs[2].origin.endswith("feed.ndjson:3")


def test_json_single_object_and_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": PARAGRAPH}))
    (tmp_path / "many.json").write_text(
        json.dumps([{"id": "m1", "text": PARAGRAPH}, {"id": "m2", "html": page("H", PARAGRAPH)}])
    )
    docs, _ = read_all([tmp_path / "one.json", tmp_path / "many.json"])
    assert [doc.id for doc in docs] == ["one", "m1", "m2"]
    assert docs[2].html is not None


def test_html_file_extracts_main_text_and_metadata(tmp_path):
    html = page("Kirkenes talks", PARAGRAPH).replace(
        "<head>",
        '<head><meta name="author" content="Kari Nordmann"><meta property="og:site_name" content="Arctic Post">',
    )
    (tmp_path / "k.htm").write_text(html)
    article = clean_document(read_all([tmp_path / "k.htm"])[0][0]).article
    assert (article.title, article.author, article.source, article.text) == (
        "Kirkenes talks",
        "Kari Nordmann",
        "Arctic Post",
        PARAGRAPH,
    )


def test_warc_html_responses_with_url_and_date(tmp_path):
    pages = [(f"https://arctic.example/2021/talks-{n}.html", page(f"Talks {n}", PARAGRAPH)) for n in (1, 2)]
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(pages, gzip=True))
    docs, reporter = read_all([tmp_path / "crawl.warc.gz"])
    assert not reporter.warnings
    assert [doc.url for doc in docs] == [url for url, _ in pages]
    assert docs[0].id.startswith("talks-1-") and docs[0].id != docs[1].id
    assert docs[0].metadata["warc_date"] == "2021-06-17T08:00:00Z" and docs[0].metadata["warc_record_id"]
    article = clean_document(docs[0]).article
    assert (str(article.published), article.date_source) == ("2021-06-17", "warc")
    assert read_all([tmp_path / "crawl.warc.gz"])[0][0].id == docs[0].id  # stable across runs


def test_any_format_may_be_gzipped(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(article_text(1).encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "b", "text": PARAGRAPH}).encode()))
    (tmp_path / "c.warc").write_bytes(gzip.compress(warc_bytes([("https://x.example/c", page("C", PARAGRAPH))])))
    docs, reporter = read_all([tmp_path])
    assert not reporter.warnings
    assert sorted(doc.id for doc in docs)[:2] == ["a", "b"] and len(docs) == 3


def test_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "feed.data").write_text(json.dumps({"id": "s1", "text": PARAGRAPH}) + "\n")
    (tmp_path / "page.bin").write_text("<!DOCTYPE html>" + page("Sniffed", PARAGRAPH))
    docs, _ = read_all([tmp_path / "feed.data", tmp_path / "page.bin"])
    assert docs[0].metadata["format"] == "jsonl" and docs[1].html is not None


def test_globs_directories_and_order(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.txt", "sub/c.txt", ".hidden.txt"):
        (tmp_path / name).write_text(article_text(1))
    docs, _ = read_all([tmp_path])
    assert [doc.id for doc in docs] == ["a", "b", "c"]
    docs, _ = read_all([tmp_path / "*.txt", tmp_path / "a.txt"])  # each file once
    assert [doc.id for doc in docs] == ["a", "b"]
    docs, _ = read_all([str(tmp_path / "**" / "c.txt")])
    assert [doc.id for doc in docs] == ["c"]


def test_stdin_jsonl(monkeypatch):
    lines = "\n".join(json.dumps({"id": f"in{n}", "text": PARAGRAPH}) for n in range(2)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    docs, _ = read_all(["-"])
    assert [doc.id for doc in docs] == ["in0", "in1"]
    assert docs[0].origin == "-:1"


def test_encodings_decode_correctly(tmp_path):
    text = "Café talks in Zürich – “a new start”\n\nMinisters met at the café near the lake to discuss trade.\n"
    (tmp_path / "cp.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "latin.txt").write_bytes(text.replace("–", "-").replace("“", '"').replace("”", '"').encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    docs, reporter = read_all([tmp_path / "cp.txt", tmp_path / "latin.txt", tmp_path / "bom.txt"])
    assert not reporter.warnings
    titles = [clean_document(doc).article.title for doc in docs]
    assert titles == ["Café talks in Zürich – “a new start”", 'Café talks in Zürich - "a new start"', titles[0]]
    assert [doc.metadata.get("encoding") for doc in docs] == ["cp1252", "latin-1", None]
