"""The ingest stage: batches, idempotency, updates, learned boilerplate, and kill -9 safety."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from detente.ingest.stage import ingest_stage
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.store import Store
from detente.store.articles import get_article
from tests.ingest_support import PARAGRAPH, article_text

ROOT = Path(__file__).resolve().parents[1]


def _ingest(store, paths, batch_size=4):
    return ingest_stage(store, [str(path) for path in paths], RunOptions(batch_size=batch_size), Reporter(quiet=True))


def _count(store, sql="SELECT count(*) FROM articles"):
    with store.reader() as con:
        return con.execute(sql).fetchone()[0]


def test_reingesting_the_same_input_changes_nothing(tmp_path):
    for number in range(10):
        (tmp_path / f"a{number}.txt").write_text(article_text(number))
    store = Store(tmp_path / "db.duckdb")
    first = _ingest(store, [tmp_path])
    assert (first["ingested"], first["unchanged"], first["skipped"]) == (10, 0, 0)
    second = _ingest(store, [tmp_path], batch_size=3)
    assert (second["ingested"], second["updated"], second["unchanged"]) == (0, 0, 10)
    assert _count(store) == 10


def test_changed_content_updates_and_keeps_the_old_version(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article_text(1))
    store = Store(tmp_path / "db.duckdb")
    _ingest(store, [path])
    path.write_text(article_text(1) + "\nA correction was added to this story on Tuesday.\n")
    summary = _ingest(store, [path])
    assert summary["updated"] == 1
    assert "correction" in get_article(store, "a").text
    assert _count(store, "SELECT count(*) FROM article_versions WHERE id = 'a'") == 1


def test_non_english_articles_are_stored_with_their_language(tmp_path):
    french = (
        "La Norvège et la Russie ont discuté lundi des quotas de pêche en mer de Barents, selon un "
        "communiqué du ministère norvégien des Affaires étrangères publié après la réunion."
    )
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "fr", "text": french}) + "\n" + json.dumps({"id": "en", "text": PARAGRAPH}) + "\n"
    )
    store = Store(tmp_path / "db.duckdb")
    summary = _ingest(store, [feed])
    assert summary["non_english"] == 1
    assert get_article(store, "fr").language == "fr"


def test_learned_boilerplate_applies_across_batches_and_to_earlier_articles(tmp_path):
    promo = "Listen to the Arctic Post podcast every Friday"
    feed = tmp_path / "feed.jsonl"
    with feed.open("w") as out:
        for number in range(6):
            text = f"{PARAGRAPH} Round {number} ended.\n{promo}\nDelegates will meet again in round {number + 1}."
            out.write(json.dumps({"id": f"p{number}", "text": text, "source": "Arctic Post"}) + "\n")
        out.write(json.dumps({"id": "other", "text": f"{PARAGRAPH}\n{promo}", "source": "Other Outlet"}) + "\n")
    store = Store(tmp_path / "db.duckdb")
    summary = _ingest(store, [feed], batch_size=2)  # the threshold (3 articles) is crossed in batch 2
    assert summary["recleaned"] == 2
    for number in range(6):
        assert promo not in get_article(store, f"p{number}").text
    assert promo in get_article(store, "other").text
    again = _ingest(store, [feed], batch_size=5)
    assert (again["unchanged"], again["updated"], again["recleaned"]) == (7, 0, 0)


def test_exact_copies_count_once_for_learning(tmp_path):
    feed = tmp_path / "feed.jsonl"
    text = f"{PARAGRAPH}\nA short line that only this story has"
    feed.write_text("".join(json.dumps({"id": f"c{n}", "text": text, "source": "Wire"}) + "\n" for n in range(4)))
    store = Store(tmp_path / "db.duckdb")
    _ingest(store, [feed])
    assert "only this story has" in get_article(store, "c3").text


def test_a_big_sources_recurring_news_sentence_is_not_learned_but_its_template_line_is(tmp_path):
    lead = "Moscow expelled two Estonian diplomats on Monday."
    promo = "Sign up for the Baltic Ledger morning briefing"
    feed = tmp_path / "feed.jsonl"
    with feed.open("w") as out:
        for number in range(200):  # the lead recurs in 3 of 200 articles (1.5 %), the promo in 1 of 4
            lines = [lead if number % 80 == 0 else f"Talks in round {number} ended without a deal."]
            lines.append(f"Officials said round {number} would not be the last before the summer.")
            if number % 4 == 0:
                lines.append(promo)
            out.write(json.dumps({"id": f"b{number}", "text": "\n".join(lines), "source": "Baltic Ledger"}) + "\n")
    store = Store(tmp_path / "db.duckdb")
    _ingest(store, [feed], batch_size=50)
    assert all(lead in get_article(store, f"b{number}").text for number in (0, 80, 160))
    assert all(promo not in get_article(store, f"b{number}").text for number in range(0, 200, 4))


_KILL_SCRIPT = """
import sys
from detente.ingest.stage import ingest_stage
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.store import Store

class Announcer(Reporter):
    def debug(self, message):
        print(message, flush=True)

ingest_stage(Store(sys.argv[1]), [sys.argv[2]], RunOptions(batch_size=5), Announcer(quiet=False, verbose=True))
"""


def test_kill_minus_nine_loses_at_most_the_batch_in_flight(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(400):
        (corpus / f"d{number:03}.txt").write_text(article_text(number))
    db = tmp_path / "db.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(db), str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 3 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        committed += line.startswith("ingest batch")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert committed >= 3, "the subprocess did not get through three batches"
    store = Store(db)
    stored = _count(store)
    assert stored % 5 == 0 and stored >= committed * 5
    assert _count(store, "SELECT count(*) FROM articles WHERE text = '' OR text IS NULL") == 0
    summary = _ingest(store, [corpus], batch_size=50)  # the next run completes the job
    assert summary["ingested"] == 400 - stored and summary["unchanged"] == stored
