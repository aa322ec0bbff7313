import json

import pytest

from detente.errors import ConfigError
from detente.scale.bench import run_bench, save_result, story_sizes
from detente.store import Store
from detente.store.db import insert_rows


def test_bench_times_the_chosen_stages_and_keeps_the_figures(tmp_path):
    result = run_bench(40, workers=1, ratio=False, stages=("ingest", "events"))
    assert [timing.stage for timing in result.stages] == ["ingest", "events"]
    assert all(timing.docs == 40 and timing.words > 40 * 10 for timing in result.stages)
    assert result.peak_rss_mb > 0
    assert set(result.phase_peaks_mb) == {"synth", "ingest", "events", "accuracy"}
    assert all(peak > 0 for peak in result.phase_peaks_mb.values())
    assert result.pipeline_peak_mb() == max(result.phase_peaks_mb["ingest"], result.phase_peaks_mb["events"])
    assert {phase for _, phase, _ in result.memory_trace} <= set(result.phase_peaks_mb) and result.memory_trace
    assert result.accuracy.keys() == {"events"}  # no stories stage, nothing to score copies with
    assert result.accuracy["events"]["planted"] >= 40 and result.accuracy["events"]["recall"] > 0.5
    path = save_result(result, tmp_path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["n"] == 40 and saved["stages"][0]["docs_per_s"] > 0
    assert saved["phase_peak_rss_mb"].keys() == result.phase_peaks_mb.keys()
    plot = path.with_suffix(".svg").read_text(encoding="utf-8")
    assert plot.startswith("<svg") and plot.count("<polyline") == len({phase for _, phase, _ in result.memory_trace})


@pytest.mark.parametrize("stages", [("ingest", "parsing"), ("events",)])
def test_bench_refuses_unknown_or_unfed_stages(stages):
    with pytest.raises(ConfigError):
        run_bench(10, stages=stages)


def test_story_sizes_count_stories_and_the_largest(tmp_path):
    store = Store(tmp_path / "sizes.duckdb")
    assert story_sizes(store) == {"count": 0, "largest": 0}
    with store.transaction() as con:
        rows = [("a", "story-1"), ("b", "story-1"), ("c", "story-1"), ("d", "story-2")]
        insert_rows(con, "story_articles", None, rows)
    assert story_sizes(store) == {"count": 2, "largest": 3}
