import json
from datetime import date
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from detente.cli.app import app
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.records import ActorRef, Article, Event
from detente.relations.stage import relations_stage
from detente.report.html import write_report
from detente.store import Store
from detente.store.articles import upsert_articles
from detente.store.events import replace_events


def _event(
    event_id, doc_id, day, source, target, event_type, score, quad, mode=None, cue=None, modality="asserted"
):
    return Event(
        event_id=event_id,
        doc_id=doc_id,
        sentence_index=0,
        sentence=f"{source} acted against {target} ({event_id}).",
        event_type=event_type,
        source=ActorRef(text=source, code=source, sector="GOV"),
        target=ActorRef(text=target, code=target, sector="GOV"),
        mode=mode,
        quad=quad,
        score=score,
        trigger="acted",
        date=day,
        date_precision="day",
        modality=modality,
        response_cue=cue,
    )


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "r.duckdb")
    events = [
        _event("e1", "d1", date(2021, 3, 2), "USA", "RUS", "SANCTION", -7.0, 4, "discontinue"),
        _event("e2", "d2", date(2021, 4, 15), "USA", "RUS", "SANCTION", -5.5, 4, "expel"),
        _event("e3", "d3", date(2021, 4, 16), "RUS", "USA", "SANCTION", -5.5, 4, "expel", cue="in response"),
        _event("e4", "d4", date(2021, 5, 10), "RUS", "USA", "ACCUSE", -2.0, 3),
        _event("e5", "d5", date(2021, 6, 16), "USA", "RUS", "CONSULT", 1.0, 1),
        _event("e6", "d5", date(2021, 6, 16), "USA", "RUS", "AGREE", 3.0, 1),
        _event("e7", "d6", date(2021, 7, 1), "USA", "RUS", "CONSULT", 1.0, 1),
        _event("e8", "d6", date(2021, 7, 2), "USA", "RUS", "ASSAULT", -10.0, 4, modality="hypothetical"),
        _event("e9", "d7", date(2021, 4, 17), "CZE", "RUS", "SANCTION", -5.5, 4, "expel"),
    ]
    upsert_articles(
        store,
        [
            Article(id=f"d{i}", text=f"Article {i}.", title=f"Headline {i}", source="Wire", language="en")
            for i in range(1, 8)
        ],
    )
    with store.transaction() as con:
        replace_events(con, [], events)
    return store


def test_relations_stage_materialises_monthly_points_and_links(store):
    summary = relations_stage(store, RunOptions(), Reporter(quiet=True))
    assert summary == {"dyads": 2, "points": 6, "reciprocity_links": 1}
    with store.reader() as con:
        rows = con.execute(
            "SELECT period_start, n_events FROM relation_points "
            "WHERE actor_a = 'RUS' AND actor_b = 'USA' ORDER BY 1"
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
    result = runner.invoke(
        app, ["relations", "--dyad", "USA,RUS", "--db", str(store.path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["dyad"] == ["USA", "RUS"]
    assert [p["period_start"] for p in record["points"]][:2] == ["2021-03-01", "2021-04-01"]
    assert record["trend"]["direction"] in {"improving", "worsening", "stable"}

    result = runner.invoke(
        app, ["reciprocity", "--dyad", "USA,RUS", "--db", str(store.path), "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    [link] = [json.loads(line) for line in result.output.splitlines()]
    assert link["action"]["event_id"] == "e2" and link["response"]["event_id"] == "e3"
    assert link["cue"] == "in response" and link["chain_id"].startswith("chain-")
    assert link["response"]["source"]["code"] == "RUS"


def test_cli_relations_rejects_bad_frequency(store):
    result = CliRunner().invoke(
        app, ["relations", "--dyad", "USA,RUS", "--db", str(store.path), "--freq", "fortnight"]
    )
    assert result.exit_code != 0
    assert "use one of" in str(result.exception)
