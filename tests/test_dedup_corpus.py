"""The example corpus end to end: every planted copy found, no false link, hard negatives apart."""

from itertools import chain
from pathlib import Path

import pytest
import yaml

from detente.dedup.stage import dedup_stage
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.store import Store
from detente.store.articles import article_listing

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
GOLD = [ROOT / "tests" / "gold" / "corpus" / f"{part}.yaml" for part in ("a", "b")]

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir() or not all(path.is_file() for path in GOLD), reason="example corpus not present"
)


def _gold() -> tuple[list[dict], list[list[str]]]:
    loaded = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in GOLD]
    links = list(chain.from_iterable(part.get("links") or [] for part in loaded))
    negatives = list(chain.from_iterable(part.get("hard_negatives") or [] for part in loaded))
    return links, negatives


@pytest.fixture(scope="module")
def listing(tmp_path_factory):
    from detente.events.stage import extract_stage
    from detente.ingest.stage import ingest_stage

    store = Store(tmp_path_factory.mktemp("corpus") / "store.duckdb")
    options = RunOptions(workers=1)
    reporter = Reporter(quiet=True)
    ingest_stage(store, [str(CORPUS)], options, reporter)
    extract_stage(store, options, reporter)
    dedup_stage(store, options, reporter)
    return {row["id"]: row for row in article_listing(store)}


def _pairs(listing: dict[str, dict]) -> set[frozenset[str]]:
    return {frozenset((doc, row["duplicate_of"])) for doc, row in listing.items() if row["duplicate_of"]}


def test_planted_copies_found_without_false_links(listing):
    links, _ = _gold()
    gold = {frozenset((link["doc"], link["duplicate_of"])) for link in links}
    # Pairs, not direction: copies published the same day point at the most complete one.
    assert _pairs(listing) == gold
    for link in links:
        row = listing[link["doc"]]
        kind = row["dup_kind"] or listing[link["duplicate_of"]]["dup_kind"]
        assert kind == link["kind"], link


def test_hard_negatives_are_neither_copies_nor_one_story(listing):
    _, negatives = _gold()
    for first, second in negatives:
        assert frozenset((first, second)) not in _pairs(listing)
        assert listing[first]["story_id"] != listing[second]["story_id"], (first, second)


def test_copies_share_a_story(listing):
    links, _ = _gold()
    for link in links:
        assert listing[link["doc"]]["story_id"] == listing[link["duplicate_of"]]["story_id"]
