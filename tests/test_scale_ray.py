"""The Ray runner on a local Ray instance gives the same events and relations as a local run."""

from pathlib import Path

import pytest

from detente.pipeline import RunOptions, run_pipeline
from detente.progress import Reporter
from detente.store import Store
from detente.store.events import load_events

ray = pytest.importorskip("ray")
CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def _events(store: Store) -> list[tuple]:
    return sorted(
        (e.doc_id, e.sentence_index, e.event_type, e.mode, e.source.code, e.target.code if e.target else None,
         e.date, e.modality, e.quantity, e.canonical_id)
        for e in load_events(store)
    )  # fmt: skip


def _relations(store: Store) -> list[tuple]:
    with store.reader() as con:
        return con.execute(
            "SELECT actor_a, actor_b, period_start, n_events, round(index_value, 6) FROM relation_points ORDER BY ALL"
        ).fetchall()


@pytest.mark.xdist_group("heavy")
def test_ray_local_run_equals_single_process_run(tmp_path):
    from detente.scale.ray_runner import run_with_ray

    local = Store(tmp_path / "local.duckdb")
    run_pipeline([str(CORPUS)], local, RunOptions(workers=1), Reporter(quiet=True))
    distributed = Store(tmp_path / "ray.duckdb")
    options = RunOptions(workers=2, extra={"parquet_dir": str(tmp_path / "shards")})
    try:
        summaries = run_with_ray([str(CORPUS)], distributed, options, Reporter(quiet=True))
    finally:
        ray.shutdown()
    assert list(tmp_path.joinpath("shards").glob("*.parquet"))
    assert summaries["ray"]["ingested"] > 0 and summaries["ray"]["events"] > 0
    assert _events(distributed) == _events(local)
    assert _relations(distributed) == _relations(local)
    assert _relations(local)
