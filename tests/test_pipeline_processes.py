"""Stages in a process of their own (``RunOptions.stage_processes``, as the CLI runs them) store
the same rows and hand their warnings and counters back to the caller's reporter."""

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from detente.errors import InputError
from detente.ingest.skips import SKIPPED_COUNTER
from detente.pipeline import STAGES, RunOptions, run_pipeline
from detente.progress import Reporter
from detente.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
PER_DOCUMENT = [stage for stage in STAGES if stage[0] in {"ingest", "events"}]


def _run(tmp_path, name, inputs, own_processes):
    store = Store(tmp_path / f"{name}.duckdb")
    reporter = Reporter(quiet=True)
    options = RunOptions(workers=1, stage_processes=own_processes)
    summaries = run_pipeline([str(path) for path in inputs], store, options, reporter, PER_DOCUMENT)
    with store.reader() as con:
        articles = con.execute("SELECT id, title, text FROM articles ORDER BY id").fetchall()
        events = con.execute("SELECT event_id, event_type, source_code, target_code FROM events ORDER BY 1").fetchall()
    return summaries, reporter, articles, events


def test_own_process_stages_store_the_same_and_report_back(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(CORPUS, inputs)
    (inputs / "broken.json").write_text("{not json")
    here = _run(tmp_path, "here", [inputs], own_processes=False)
    apart = _run(tmp_path, "apart", [inputs], own_processes=True)
    summaries, reporter, articles, events = apart
    # the events stage's other figures are a timing and hits of this process's sentence cache
    assert [summaries["events"][key] for key in ("articles", "events")] == [
        here[0]["events"][key] for key in ("articles", "events")
    ]
    assert summaries["ingest"] == here[0]["ingest"] and articles == here[2] and events == here[3]
    assert summaries["ingest"]["skipped"] == 1 and summaries["events"]["events"] > 10
    assert reporter.warnings == here[1].warnings and "broken.json" in reporter.warnings[0]
    assert reporter.counters[SKIPPED_COUNTER] == 1


def test_input_error_survives_the_trip_between_processes():
    error = pickle.loads(pickle.dumps(InputError("feed.jsonl", "not JSON")))
    assert (str(error), error.path, error.problem) == ("feed.jsonl: not JSON", "feed.jsonl", "not JSON")


def test_a_whole_run_imports_neither_pyarrow_nor_scipy(tmp_path):
    # Each is imported for one convenience and costs every process that imports it (pyarrow.dataset
    # about 90 MB resident, SciPy 47 MB): writes go through `unnest`, MinHash banding is numpy.
    script = (
        "import sys\n"
        "from detente.pipeline import run_pipeline\n"
        "from detente.progress import Reporter\n"
        "from detente.store import Store\n"
        f"run_pipeline([{str(CORPUS)!r}], Store({str(tmp_path / 'run.duckdb')!r}), reporter=Reporter(quiet=True))\n"
        "print(sorted(name for name in ('pyarrow', 'scipy') if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
