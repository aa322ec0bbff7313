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
from detente.store import Store
from detente.store.db import insert_rows
from detente.store.events import replace_events
from tests.support import build_event_store, make_event, python_relations, stored_relations


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


def test_relations_stage_matches_python_on_rounding_ties_gaps_copies_and_left_out_events(tmp_path):
    store = Store(tmp_path / "edge.duckdb")
    jan, mar, may = date(2020, 1, 10), date(2020, 3, 5), date(2020, 5, 1)
    events = [make_event(f"t{i}", f"dt{i}", jan, "FRA", "GBR", "CONSULT", 0.0, 1) for i in range(63)]
    events += [
        # January's mean is 0.5 / 64 = 0.0078125: Python rounds the tie to 0.007812, DuckDB's round to 0.007813
        make_event("t63", "dt63", jan, "GBR", "FRA", "AGREE", 0.5, 1),
        make_event("m1", "dm1", mar, "FRA", "GBR", "ACCUSE", -2.0, 3, modality=None),  # no modality is not excluded
        make_event("u1", "du1", None, "DEU", "ITA", "ACCUSE", -2.0, 3),  # a dyad without points
        make_event("h1", "dh1", jan, "ESP", "PRT", "ASSAULT", -10.0, 4, modality="hypothetical"),  # likewise
        make_event("s1", "ds1", jan, "FRA", "FRA", "ACCUSE", -2.0, 3),  # not a dyad
        make_event("n1", "dn1", jan, "", "FRA", "ACCUSE", -2.0, 3),  # not a dyad
        make_event("x1", "dx1", may, "USA", "RUS", "SANCTION", -5.5, 4, "expel"),
        # same day: x3, without a cue, sorts before x2 and so is the action x2 answers best
        make_event("x2", "dx2", date(2020, 5, 3), "RUS", "USA", "SANCTION", -5.5, 4, "expel", cue="in response"),
        make_event("x3", "dx3", date(2020, 5, 3), "USA", "RUS", "SANCTION", -5.5, 4, "expel"),
        make_event("x4", "dx4", date(2020, 5, 20), "USA", "RUS", "SANCTION", -6.5, 4, "expel", cue="retaliation"),
        make_event("c1a", "dc1a", may, "CHN", "JPN", "PROTEST", -3.5, 3),  # reported by three sources
        make_event("c1b", "dc1b", may, "CHN", "JPN", "PROTEST", -3.5, 3),  # its copy, not counted
    ]
    events[-1].canonical_id = events[-2].canonical_id = "c1"
    with store.transaction() as con:
        replace_events(con, [], events)
        insert_rows(
            con,
            "canonical_events",
            None,
            [["c1", "c1a", "PROTEST", "CHN", "JPN", may, 2, 3, ["dc1a", "dc1b"], ["c1a", "c1b"]]],
        )

    summary = relations_stage(store, RunOptions(), Reporter(quiet=True))

    dyads, points, links = python_relations(store)
    assert dyads == 5
    assert summary == {"dyads": dyads, "points": len(points), "reciprocity_links": len(links)}
    assert stored_relations(store) == (points, links)
    fra_gbr = [point for point in points if point[:2] == ("FRA", "GBR")]
    assert [(point[3].month, point[4], point[8]) for point in fra_gbr] == [(1, 64, 0.007812), (2, 0, 0.0), (3, 1, -2.0)]
    assert ("x3", "x2") in {link[:2] for link in links}
    assert [point[7] for point in points if point[:2] == ("CHN", "JPN")] == [-10.5]  # weight 3, once


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
