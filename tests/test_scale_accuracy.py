import json
from datetime import date

import pytest
from typer.testing import CliRunner

from detente.cli.app import app
from detente.errors import DetenteError
from detente.records import Article
from detente.scale.accuracy import accuracy_against_gold
from detente.store import Store
from detente.store.articles import upsert_articles
from detente.store.db import insert_rows

runner = CliRunner()
ACCUSE = {"source": "USA", "type": "ACCUSE", "target": "RUS", "date": "2020-01-02"}
SANCTION = {"source": "RUS", "type": "SANCTION", "target": "USA", "date": "2020-01-04"}
GOLD = [
    {"id": "a", "events": [ACCUSE]},
    {"id": "a-x", "events": [ACCUSE], "duplicate_of": "a", "dup_kind": "exact"},
    {"id": "b", "events": [SANCTION]},
    {"id": "b-r", "events": [SANCTION], "duplicate_of": "b", "dup_kind": "rewrite"},
    {"id": "c", "events": [{"source": "CHN", "type": "AGREE", "target": "JPN", "date": "2020-01-03"}]},
    {
        "id": "m",  # mutual: either direction is right; background cooperation has no date
        "events": [
            {"source": "RUS", "type": "CONSULT", "target": "USA", "date": "2020-01-06"},
            {"source": "RUS", "type": "COOPERATE", "target": "USA", "date": None},
        ],
    },
    {"id": "dropped", "events": [ACCUSE]},  # the cleaner kept no text: not counted
]


def _event(event_id: str, doc_id: str, source: str, event_type: str, target: str | None, day: date):
    return (event_id, doc_id, 0, "A sentence.", event_type, source, target, day)


@pytest.fixture
def scored_store(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(entry) + "\n" for entry in GOLD), encoding="utf-8")
    store = Store(tmp_path / "run.duckdb")
    stored = ("a", "a-x", "b", "b-r", "c", "m")
    upsert_articles(store, [Article(id=doc, text=f"Text of {doc}.", language="en") for doc in stored])
    with store.transaction() as con:
        columns = ["event_id", "doc_id", "sentence_index", "sentence", "event_type"]
        columns += ["source_code", "target_code", "event_date"]
        insert_rows(con, "events", columns, [
            _event("e1", "a", "USA", "ACCUSE", "RUS", date(2020, 1, 2)),
            _event("e2", "a", "USA", "SUPPORT", "RUS", date(2020, 1, 2)),  # not planted
            _event("e3", "a-x", "USA", "ACCUSE", "RUS", date(2020, 1, 2)),
            _event("e4", "b", "RUS", "SANCTION", "USA", date(2020, 1, 5)),  # a day off
            _event("e5", "c", "CHN", "REJECT", "JPN", date(2020, 1, 3)),  # right pair, wrong type
            _event("e6", "c", "CHN", "REQUEST", None, date(2020, 1, 3)),  # no target: not dyadic
            _event("e7", "m", "USA", "CONSULT", "RUS", date(2020, 1, 6)),
            _event("e8", "m", "RUS", "CONSULT", "USA", date(2020, 1, 6)),  # the same meeting
            _event("e9", "m", "USA", "COOPERATE", "RUS", date(2020, 1, 7)),
        ])  # fmt: skip
        insert_rows(con, "duplicates", None, [("a-x", "a", "exact", 1.0), ("c", "b", "near", 0.6)])
        insert_rows(con, "story_articles", None, [("a", "s1"), ("a-x", "s1"), ("b", "s2"), ("c", "s2"), ("b-r", "s3")])
    return store, gold


def test_scores_events_copies_and_stories_against_the_planted_gold(scored_store):
    store, gold = scored_store
    scores = accuracy_against_gold(store, gold)
    assert scores["events"] == {
        "planted": 7,
        "found": 7,
        "matched": 5,
        "precision": 0.7143,
        "recall": 0.7143,
        "f1": 0.7143,
        "dyad_recall": 0.8333,
        "date_exact": 0.75,
    }
    assert scores["copies"] == {
        "exact": {"planted": 1, "grouped": 1, "recall": 1.0},
        "rewrite": {"planted": 1, "grouped": 0, "recall": 0.0},
        "links": 2,
        "link_precision": 0.5,
    }
    assert scores["stories"] == {"copy_recall": 0.5, "pairs": 2, "pair_precision": 0.5, "pair_recall": 0.5}
    assert accuracy_against_gold(store, gold, stories=False).keys() == {"events"}


def test_a_missing_or_foreign_gold_file_is_named(scored_store, tmp_path):
    store, _ = scored_store
    with pytest.raises(DetenteError, match="no such gold file"):
        accuracy_against_gold(store, tmp_path / "absent.jsonl")
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"id": "a", "events": "none"}\n', encoding="utf-8")
    with pytest.raises(DetenteError, match=r"foreign\.jsonl: not a gold file"):
        accuracy_against_gold(store, foreign)


def test_the_accuracy_command_prints_the_scores(scored_store):
    store, gold = scored_store
    shown = runner.invoke(app, ["accuracy", str(gold), "--db", str(store.path)])
    assert shown.exit_code == 0, shown.output
    assert "precision 0.7143, recall 0.7143" in shown.output
    assert "exact 1/1, rewrite 0/1; links right 0.5" in shown.output
    as_json = runner.invoke(app, ["accuracy", str(gold), "--db", str(store.path), "--json"])
    assert json.loads(as_json.output) == accuracy_against_gold(store, gold)
    missing = runner.invoke(app, ["accuracy", str(gold.with_name("absent.jsonl")), "--db", str(store.path)])
    assert missing.exit_code != 0 and "absent.jsonl: no such gold file" in str(missing.exception)
