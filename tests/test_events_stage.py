"""The events stage over a small store, the export command, and the GSR reader/scorer."""

import json
from datetime import date
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from detente.cli.app import app
from detente.events.evaluate import evaluate, read_gsr
from detente.events.stage import extract_stage
from detente.progress import Reporter
from detente.records import ActorRef, Article, Event
from detente.store import Store
from detente.store.articles import upsert_articles
from detente.store.events import load_events

ARTICLES = [
    Article(id="a1", text="In response, Russia expelled ten British diplomats on Tuesday.\nTrade fell.",
            published=date(2021, 4, 22), language="en"),
    Article(id="a2", text="France and Germany held talks with Ukraine in Paris.", published=date(2022, 1, 26),
            language="en"),
    Article(id="a3", text="La Russie a expulsé dix diplomates britanniques.", published=date(2021, 4, 22),
            language="fr"),
]  # fmt: skip


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "events.duckdb")
    upsert_articles(store, ARTICLES)
    return store


def test_stage_extracts_english_articles_once(store):
    options = SimpleNamespace(batch_size=1, workers=1)
    summary = extract_stage(store, options, Reporter(quiet=True))
    assert summary["articles"] == 2 and summary["events"] == 3
    # parsed now or reused from an earlier parse of the same sentence in this process
    assert summary["sentences_parsed"] + summary["sentences_reused"] == 2
    events = load_events(store)
    assert {(e.doc_id, e.source.code, e.target.code) for e in events} == {
        ("a1", "RUS", "GBR"), ("a2", "FRA", "UKR"), ("a2", "DEU", "UKR"),
    }  # fmt: skip
    again = extract_stage(store, options, Reporter(quiet=True))
    assert again["articles"] == 0 and len(load_events(store)) == 3


def test_changed_article_is_re_extracted(store):
    options = SimpleNamespace(batch_size=10, workers=1)
    extract_stage(store, options, Reporter(quiet=True))
    changed = Article(id="a1", text="Russia attacked Ukraine on Tuesday.", published=date(2021, 4, 22), language="en")
    upsert_articles(store, [changed])
    assert extract_stage(store, options, Reporter(quiet=True))["articles"] == 1
    assert [e.event_type for e in load_events(store, "doc_id = ?", ["a1"])] == ["ASSAULT"]


def test_events_command_exports_the_documented_schema(store, tmp_path):
    extract_stage(store, SimpleNamespace(batch_size=10, workers=1), Reporter(quiet=True))
    runner = CliRunner()
    result = runner.invoke(app, ["events", "--db", str(store.path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    first = next(r for r in records if r["doc_id"] == "a1")
    for key in ("event_id", "sentence_index", "sentence", "event_type", "mode", "context", "quad", "score",
                "cameo_root", "date", "date_precision", "modality", "quantity", "confidence"):  # fmt: skip
        assert key in first
    assert first["source"]["code"] == "RUS" and first["target"]["code"] == "GBR"
    assert first["date"] == "2021-04-20" and first["quantity"] == 10
    csv_out = runner.invoke(app, ["events", "--db", str(store.path), "--format", "csv"])
    assert "source_code" in csv_out.output.splitlines()[0]
    parquet = tmp_path / "events.parquet"
    assert (
        runner.invoke(app, ["events", "--db", str(store.path), "--format", "parquet", "--out", str(parquet)]).exit_code
        == 0
    )
    assert parquet.stat().st_size > 0


GSR_SAMPLE = """[
{
    "id": "DOC-1",
    "event": "DOCUMENT",
    "text": "",
},
{
    "id": "X-1",
    "source": [{"actorText": "Alpha", "code": "JAP"}],
    "target": [{"actorText": "Beta", "code": "USA"}],
    "event": "DISAPPROVE",
    "text": "Sentence one.",
},
{
    "id": "X-2",
    "source": [{"actorText": "A", "code": "FRA"}, {"actorText": "B", "code": "DEU"}],
    "target": "",
    "event": "CONSULT",
    "text": "Sentence two.",
}
]"""


def test_gsr_reader_maps_old_names_and_codes_and_expands_reciprocal_records(tmp_path):
    path = tmp_path / "gsr.txt"
    path.write_text(GSR_SAMPLE, encoding="utf-8")
    gold = read_gsr(path, frozenset({"JPN", "USA", "FRA", "DEU"}))
    assert [(g.text, g.types) for g in gold] == [("Sentence one.", {"ACCUSE"}), ("Sentence two.", {"CONSULT"})]
    assert gold[0].triples == {("JPN", "ACCUSE", "USA")}
    assert gold[1].triples == {("FRA", "CONSULT", "DEU"), ("DEU", "CONSULT", "FRA")}


def test_scores_types_and_triples(tmp_path):
    path = tmp_path / "gsr.txt"
    path.write_text(GSR_SAMPLE, encoding="utf-8")
    codes = frozenset({"JPN", "USA", "FRA", "DEU"})

    def fake_extract(texts):
        accuse = Event("e", "d", 0, texts[0], "ACCUSE", ActorRef("a", code="JPN"), ActorRef("b", code="EU"))
        return [[accuse], []]

    result = evaluate(read_gsr(path, codes), fake_extract, codes)
    assert result["type"]["precision"] == 1.0 and result["type"]["recall"] == 0.5
    assert result["triple"]["tp"] == 0 and result["triple"]["fp"] == 1  # EU counts as IGO, not USA
    assert result["per_category"]["ACCUSE"]["type"]["f1"] == 1.0


def test_process_pool_gives_the_same_events(store):
    summary = extract_stage(store, SimpleNamespace(batch_size=1, workers=2), Reporter(quiet=True))
    assert summary["articles"] == 2 and summary["events"] == 3
    assert len(load_events(store)) == 3
