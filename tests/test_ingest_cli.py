"""``detente ingest``, ``detente articles`` and ``detente clean`` through typer's CliRunner."""

import csv
import io
import json

from typer.testing import CliRunner

from detente.cli.app import app
from tests.ingest_support import PARAGRAPH, article_text

runner = CliRunner()


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(article_text(1))
    (corpus / "b.txt").write_text(article_text(2))
    return corpus


def test_ingest_prints_a_summary_and_is_idempotent(tmp_path):
    corpus, db = _corpus(tmp_path), tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "ingested 2, updated 0, unchanged 0, skipped 0" in result.output
    again = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert "ingested 0, updated 0, unchanged 2" in again.output


def test_strict_fails_on_warnings_but_keeps_what_was_read(tmp_path):
    corpus, db = _corpus(tmp_path), tmp_path / "db.duckdb"
    (corpus / "empty.txt").write_text("")
    relaxed = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert relaxed.exit_code == 0 and "skipped 1" in relaxed.output
    strict = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--strict"])
    assert strict.exit_code != 0
    assert "unchanged 2" in strict.output


def test_max_bytes_option(tmp_path):
    corpus, db = _corpus(tmp_path), tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--max-bytes", "100"])
    assert "ingested 0" in result.output and "skipped 2" in result.output


def test_stdin_jsonl(tmp_path):
    db = tmp_path / "db.duckdb"
    lines = "".join(json.dumps({"id": f"s{n}", "text": PARAGRAPH}) + "\n" for n in range(3))
    result = runner.invoke(app, ["ingest", "-", "--db", str(db)], input=lines)
    assert "ingested 3" in result.output, result.output


def test_articles_listing_formats(tmp_path):
    corpus, db = _corpus(tmp_path), tmp_path / "db.duckdb"
    runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    jsonl = runner.invoke(app, ["articles", "--db", str(db), "--format", "jsonl", "--text"])
    records = [json.loads(line) for line in jsonl.output.splitlines()]
    assert [record["id"] for record in records] == ["a", "b"]
    assert set(records[0]) >= {"id", "title", "source", "published", "date_source", "language", "chars", "text"}
    assert {"duplicate_of", "dup_kind", "story_id"} <= set(records[0])
    assert records[0]["title"] == "Talks number 1 in Kirkenes" and records[0]["chars"] == len(records[0]["text"])
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["articles", "--db", str(db), "--format", "csv"]).output))
    )
    assert rows[1]["id"] == "b" and "text" not in rows[1]
    table = runner.invoke(app, ["articles", "--db", str(db)], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "Talks number 2 in Kirkenes" in table.output


def test_clean_shows_removed_lines_with_reasons(tmp_path):
    path = tmp_path / "noisy.txt"
    path.write_text(f"Kirkenes talks\nShare\nChia sẻ\n{PARAGRAPH}\nLeave a Reply\n")
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 0, result.output
    assert "[share-widget] Share" in result.output and "[share-widget] Chia sẻ" in result.output
    assert "[comment-form] Leave a Reply" in result.output
    assert result.output.rstrip().endswith(PARAGRAPH)


def test_clean_of_a_missing_file_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["clean", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
