import json
from datetime import date
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from detente.cli.app import app
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.relations.stage import relations_stage
from detente.report.html import write_report
from tests.support import build_event_store


@pytest.fixture
def store(tmp_path):
    return build_event_store(tmp_path / "r.duckdb")


def test_relations_stage_materialises_monthly_points_and_links(store):
    summary = relations_stage(store, RunOptions(), Reporter(quiet=True))
    assert summary == {"dyads": 2, "points": 6, "reciprocity_links": 1}
    with store.reader() as con:
        rows = con.execute(
            "SELECT period_start, n_events FROM relation_points WHERE actor_a = 'RUS' AND actor_b = 'USA' ORDER BY 1"
        ).fetchall()
        link = con.execute("SELECT action_event_id, response_event_id, cue FROM reciprocity_links").fetchall()
    assert rows == [
        (date(2021, 3, 1), 1),
        (date(2021, 4, 1), 2),
        (date(2021, 5, 1), 1),
        (date(2021, 6, 1), 2),
        (date(2021, 7, 1), 1),  # the hypothetical assault is left out
    ]
    assert link == [("e2", "e3", "in response")]
    again = relations_stage(store, RunOptions(), Reporter(quiet=True))
    assert again == summary  # recomputed, not appended


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src",) or (tag == "link" and name == "href"):
                self.external.append(value)

    def handle_data(self, data):
        self.text.append(data)


def test_report_is_self_contained_and_shows_evidence(store, tmp_path):
    out = write_report(store, tmp_path / "out" / "report.html", ["USA,RUS"], "month", {})
    parser = _Collector()
    parser.feed(out.read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    assert parser.external == []  # no CDN, no external files
    assert "svg" in parser.tags and "circle" in parser.tags
    assert "USA–RUS" in text
    assert "relations between USA and RUS were" in text
    assert "USA acted against RUS (e2)." in text  # evidence sentence
    assert "Headline 2" in text  # article title
    assert "cue “in response”" in text
    assert "e8" not in text  # hypothetical event not shown


def test_report_defaults_to_busiest_dyads(store, tmp_path):
    out = write_report(store, tmp_path / "report.html", [], "quarter", {})
    html = out.read_text(encoding="utf-8")
    assert html.index("RUS–USA") < html.index("CZE–RUS")


def test_cli_relations_json_and_reciprocity_jsonl(store):
    runner = CliRunner()
    result = runner.invoke(app, ["relations", "--dyad", "USA,RUS", "--db", str(store.path), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["dyad"] == ["USA", "RUS"]
    assert [p["period_start"] for p in record["points"]][:2] == ["2021-03-01", "2021-04-01"]
    assert record["trend"]["direction"] in {"improving", "worsening", "stable"}

    result = runner.invoke(app, ["reciprocity", "--dyad", "USA,RUS", "--db", str(store.path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    [link] = [json.loads(line) for line in result.output.splitlines()]
    assert link["action"]["event_id"] == "e2" and link["response"]["event_id"] == "e3"
    assert link["cue"] == "in response" and link["chain_id"].startswith("chain-")
    assert link["response"]["source"]["code"] == "RUS"


def test_cli_relations_rejects_bad_frequency(store):
    result = CliRunner().invoke(app, ["relations", "--dyad", "USA,RUS", "--db", str(store.path), "--freq", "fortnight"])
    assert result.exit_code != 0
    assert "use one of" in str(result.exception)


def test_cli_dyads_counts_events_per_pair_and_skips_hypotheticals(store):
    result = CliRunner().invoke(app, ["dyads", "--db", str(store.path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["dyad"] for row in rows] == ["RUS,USA", "CZE,RUS"]
    usa_rus = rows[0]
    assert usa_rus["events"] == 8 and usa_rus["counted"] == 7  # the hypothetical strike is left out
    assert usa_rus["conflict"] == 4 and usa_rus["cooperation"] == 3
    assert usa_rus["index"] < 0
    assert usa_rus["first"] == "2021-03-02" and usa_rus["last"] == "2021-07-02"
