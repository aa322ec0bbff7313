"""On the example corpus, the planted tit-for-tat expulsions are linked action → response, and the
relations stage stores what the Python index and linker compute over all events at once."""

from datetime import date
from pathlib import Path

import pytest

from detente.pipeline import RunOptions, run_pipeline
from detente.progress import Reporter
from detente.relations.reciprocity import find_links
from detente.relations.stage import counted_events, relations_stage
from detente.store import Store
from tests.support import python_relations, stored_relations

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"

PLANTED = [
    # (action source, target, day), (response source, target, day)
    (("USA", "RUS", date(2018, 3, 26)), ("RUS", "USA", date(2018, 3, 29))),  # 60 for 60, St Petersburg consulate
    (("USA", "RUS", date(2021, 4, 15)), ("RUS", "USA", date(2021, 4, 16))),  # ten for ten
    (("CZE", "RUS", date(2021, 4, 12)), ("RUS", "CZE", date(2021, 4, 18))),  # Vrbetice: 18, then 20
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("tft") / "corpus.duckdb")
    run_pipeline([str(CORPUS)], store, RunOptions(workers=1), Reporter(quiet=True))
    return store


@pytest.fixture(scope="module")
def links(store):
    return find_links(counted_events(store))


@pytest.mark.parametrize(("action", "response"), PLANTED, ids=lambda value: f"{value[0]}-{value[1]}")
def test_planted_expulsion_and_its_answer_are_linked(links, action, response):
    def key(event):
        return (event.source.code, event.target.code if event.target else None)

    found = [
        link
        for link in links
        if key(link.action) == action[:2] and key(link.response) == response[:2]
        and link.action.mode == link.response.mode == "expel"
        and abs((link.action.date - action[2]).days) <= 3 and abs((link.response.date - response[2]).days) <= 3
    ]  # fmt: skip
    assert found, f"no link {action} → {response}"
    assert found[0].confidence >= 0.6


def test_stage_stores_the_python_series_of_every_pair_and_the_links_of_all_events(store):
    summary = relations_stage(store, RunOptions(), Reporter(quiet=True))
    dyads, points, links = python_relations(store)
    assert len(points) > dyads > 1 and len(links) >= len(PLANTED)
    assert summary == {"dyads": dyads, "points": len(points), "reciprocity_links": len(links)}
    assert stored_relations(store) == (points, links)  # floats compared exactly
