"""The dedup stage on hand-written articles: copies found, look-alikes kept apart, events counted once."""

import dataclasses
from datetime import date

import numpy as np
import pytest

from detente.dedup.canonical import load_canonical_events
from detente.dedup.settings import load_settings
from detente.dedup.signatures import lead_text, load_features
from detente.dedup.stage import dedup_stage, default_embedder
from detente.dedup.stories import load_stories
from detente.pipeline import RunOptions
from detente.progress import Reporter
from detente.records import Article
from detente.store import Store
from detente.store.articles import article_listing, upsert_articles
from detente.store.events import load_events, replace_events
from tests.support import make_event

EXPULSION = (
    "Poland expelled twelve Russian diplomats on Tuesday, accusing them of spying for Moscow's military "
    "intelligence service. The foreign ministry in Warsaw said the diplomats had 72 hours to leave the "
    "country. Foreign Minister Radoslaw Sikorski said the decision followed a long investigation by the "
    "internal security agency. Russia's embassy called the move a hostile act and promised a response."
)
EXPULSION_REWRITE = (
    "Warsaw has ordered 12 diplomats from the Russian embassy out of Poland, saying they worked for the GRU "
    "military intelligence agency. Officials gave the group 72 hours to depart. Radoslaw Sikorski, the "
    "foreign minister, told reporters on Tuesday the step came after months of inquiries by Polish "
    "counter-intelligence. Moscow vowed retaliation."
)
EXPULSION_FRENCH = (
    "La Pologne a expulsé 12 diplomates russes mardi, les accusant d'espionnage pour le renseignement "
    "militaire de Moscou. Le ministère des Affaires étrangères à Varsovie a donné aux diplomates 72 heures "
    "pour quitter le pays. Le ministre Radoslaw Sikorski a déclaré que la décision faisait suite à une "
    "longue enquête. L'ambassade de Russie a promis une réponse."
)
# Same actors, same week, another event: must stay apart from the expulsion.
CONSULATE = (
    "Poland ordered the closure of the Russian consulate in Krakow on Thursday after a fire at a shopping "
    "centre that investigators blamed on saboteurs paid by Moscow. Foreign Minister Radoslaw Sikorski said "
    "the 3 remaining staff must leave by the end of the month. Russia said it would close the Polish "
    "consulate in Kaliningrad in return."
)
TALKS = (
    "Poland and Russia held talks in Geneva on Thursday about the return of war graves and the status of "
    "the consulate in Gdansk. Foreign Minister Radoslaw Sikorski described the meeting as businesslike. "
    "No agreement was reached, but both sides said experts would meet again to discuss the 40 graves."
)
RUSSIA_RESPONDS = (
    "Russia expelled twelve Polish diplomats on Thursday in response to Warsaw's decision earlier this week, "
    "the foreign ministry in Moscow said. The diplomats were given 72 hours to leave. Foreign Minister "
    "Sergei Lavrov said Moscow had no choice after Poland's hostile act against its embassy."
)


# When copies appear the same day the most complete one is canonical: the original is the longest here.
assert len(EXPULSION) > max(len(EXPULSION_REWRITE), len(EXPULSION_FRENCH))


def _article(doc_id, text, day, source, title, language="en"):
    return Article(id=doc_id, text=text, title=title, source=source, published=day, language=language)


TUESDAY = date(2024, 3, 5)
ARTICLES = [
    _article("pap-1", EXPULSION, TUESDAY, "pap.example", "Poland expels 12 Russian diplomats"),
    _article("wire-1", EXPULSION, TUESDAY, "wire.example", "Poland expels 12 Russian diplomats"),
    _article(
        "daily-1",
        EXPULSION.replace("promised a response.", "promised a response. This story has been updated."),
        date(2024, 3, 6),
        "daily.example",
        "Poland expels Russian diplomats (updated)",
    ),
    _article("post-1", EXPULSION_REWRITE, TUESDAY, "post.example", "Warsaw orders Russian envoys out"),
    _article("monde-1", EXPULSION_FRENCH, TUESDAY, "monde.example", "La Pologne expulse 12 diplomates", "fr"),
    _article("post-2", CONSULATE, date(2024, 3, 7), "post.example", "Poland shuts Russian consulate"),
    _article("pap-2", TALKS, date(2024, 3, 7), "pap.example", "Poland and Russia hold talks"),
    _article("tass-1", RUSSIA_RESPONDS, date(2024, 3, 7), "tass.example", "Russia expels 12 Polish diplomats"),
]


def _run(store):
    return dedup_stage(store, RunOptions(), Reporter(quiet=True))


def _links(store):
    return {row["id"]: (row["duplicate_of"], row["dup_kind"]) for row in article_listing(store) if row["duplicate_of"]}


@pytest.fixture(scope="module")
def deduped(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("dedup") / "store.duckdb")
    upsert_articles(store, ARTICLES)
    summary = _run(store)
    return store, summary


def test_exact_near_rewrite_and_translation_found(deduped):
    store, summary = deduped
    assert _links(store) == {
        "wire-1": ("pap-1", "exact"),
        "daily-1": ("pap-1", "near"),
        "post-1": ("pap-1", "rewrite"),
        "monde-1": ("pap-1", "rewrite"),
    }
    assert summary["articles"] == len(ARTICLES)


def test_same_actors_same_week_other_events_stay_apart(deduped):
    store, _ = deduped
    story_of = {row["id"]: row["story_id"] for row in article_listing(store)}
    assert len({story_of["pap-1"], story_of["post-2"], story_of["pap-2"]}) == 3
    assert story_of["post-1"] == story_of["monde-1"] == story_of["pap-1"]


def test_retaliation_joins_the_story_but_is_no_copy(deduped):
    # The retaliation mirrors the expulsion (cosine 0.96) but names another day: one development,
    # two events. (Stories need actor codes; the resolver finds POL and RUS in both leads.)
    store, _ = deduped
    listing = {row["id"]: row for row in article_listing(store)}
    assert listing["tass-1"]["duplicate_of"] is None
    assert listing["tass-1"]["story_id"] == listing["pap-1"]["story_id"]


def test_stories_have_titles_and_dates(deduped):
    store, _ = deduped
    stories = {story.story_id: story for story in load_stories(store)}
    main = next(story for story in stories.values() if "pap-1" in story.doc_ids)
    assert main.title == "Poland expels 12 Russian diplomats"
    assert (main.first_date, main.last_date) == (TUESDAY, date(2024, 3, 7))
    assert sorted(main.doc_ids) == ["daily-1", "monde-1", "pap-1", "post-1", "tass-1", "wire-1"]
    assert main.main_actors[:2] == ["POL", "RUS"]


def test_rerun_changes_nothing(deduped):
    store, _ = deduped
    before = article_listing(store)
    summary = _run(store)
    assert summary["articles"] == 0
    assert article_listing(store) == before


def test_incremental_batch_joins_existing_groups_and_stories(tmp_path):
    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, ARTICLES[:1] + ARTICLES[5:])
    _run(store)
    story_before = {row["id"]: row["story_id"] for row in article_listing(store)}["pap-1"]
    upsert_articles(store, ARTICLES[1:5])
    summary = _run(store)
    assert summary["articles"] == 4
    listing = {row["id"]: row for row in article_listing(store)}
    assert {doc: listing[doc]["duplicate_of"] for doc in ("wire-1", "daily-1", "post-1", "monde-1")} == dict.fromkeys(
        ("wire-1", "daily-1", "post-1", "monde-1"), "pap-1"
    )
    assert {listing[doc]["story_id"] for doc in ("pap-1", "wire-1", "daily-1", "post-1", "monde-1")} == {story_before}


def test_earlier_copy_arriving_later_becomes_canonical(tmp_path):
    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, [ARTICLES[2]])  # the updated copy, published a day later
    _run(store)
    upsert_articles(store, [ARTICLES[0]])
    _run(store)
    assert _links(store) == {"daily-1": ("pap-1", "near")}


def _event(event_id, doc_id, source, target, event_type, day, precision="day"):
    return make_event(event_id, doc_id, day, source, target, event_type, precision=precision)


def test_event_mentions_across_copies_and_story_count_once(tmp_path):
    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, ARTICLES)
    wednesday = date(2024, 3, 6)
    mentions = [
        _event("m1", "pap-1", "POL", "RUS", "SANCTION", TUESDAY),
        _event("m2", "wire-1", "POL", "RUS", "SANCTION", TUESDAY),
        _event("m3", "post-1", "POL", "RUS", "SANCTION", TUESDAY),
        # The updated copy dates the expulsion only by its publication a day later.
        _event("m4", "daily-1", "POL", "RUS", "SANCTION", wednesday, precision="publication"),
        _event("m5", "pap-1", "RUS", "POL", "THREATEN", TUESDAY),
        _event("m6", "pap-2", "POL", "RUS", "CONSULT", date(2024, 3, 7)),
        _event("m7", "post-2", "POL", "RUS", "SANCTION", date(2024, 3, 7)),
    ]
    with store.transaction() as con:
        replace_events(con, [], mentions)
    _run(store)
    canonical = {tuple(item.mention_ids): item for item in load_canonical_events(store)}
    expulsion = canonical[("m1", "m2", "m3", "m4")]
    assert (expulsion.num_articles, expulsion.num_sources) == (4, 4)
    assert expulsion.event.event_id == "m1"
    assert set(canonical) == {("m1", "m2", "m3", "m4"), ("m5",), ("m6",), ("m7",)}
    by_mention = {event.event_id: event.canonical_id for event in load_events(store)}
    assert by_mention["m1"] == by_mention["m4"] == expulsion.canonical_id
    assert by_mention["m7"] != expulsion.canonical_id


def test_mentions_extracted_after_dedup_are_linked_on_the_next_run(tmp_path):
    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, ARTICLES[:2])
    _run(store)
    with store.transaction() as con:
        replace_events(
            con,
            [],
            [
                _event("x1", "pap-1", "POL", "RUS", "SANCTION", TUESDAY),
                _event("x2", "wire-1", "POL", "RUS", "SANCTION", TUESDAY),
            ],
        )
    _run(store)
    (only,) = load_canonical_events(store)
    assert only.num_articles == 2 and only.mention_ids == ["x1", "x2"]


def test_changed_canonical_copy_is_unlinked_and_its_copies_regrouped(tmp_path):
    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, ARTICLES[:3])
    _run(store)
    changed = _article("pap-1", TALKS, TUESDAY, "pap.example", "Corrected: Poland and Russia hold talks")
    upsert_articles(store, [changed])
    summary = _run(store)
    assert summary["articles"] == 3  # the changed article and the two copies that pointed at it
    assert _links(store) == {"daily-1": ("wire-1", "near")}


def test_supplied_features_are_used_and_stale_ones_recomputed(deduped, tmp_path):
    # Features computed elsewhere (as the Ray workers do) are taken as they are; the one computed
    # from an older text of its article is not, and only that article reaches the embedder.
    computed_store, _ = deduped
    supplied = load_features(computed_store, [article.id for article in ARTICLES])
    changed = _article("pap-2", TALKS + " Experts meet again in May.", date(2024, 3, 7), "pap.example", "Talks")
    asked: list[list[str]] = []
    embedded: list[str] = []
    embed = default_embedder(load_settings())

    def feature_source(articles):
        asked.append(sorted(article.id for article in articles))
        return supplied

    def recording_embedder(texts):
        embedded.extend(texts)
        return embed(texts)

    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, [changed if article.id == "pap-2" else article for article in ARTICLES])
    options = RunOptions(extra={"dedup_features": feature_source, "dedup_embedder": recording_embedder})
    dedup_stage(store, options, Reporter(quiet=True))
    assert asked == [sorted(article.id for article in ARTICLES)]
    assert embedded == [lead_text(changed, load_settings().embedding.lead_words)]
    assert _links(store) == _links(computed_store)
    assert load_features(store, ["pap-2"])["pap-2"].text_hash == changed.text_hash


def test_batches_in_replaced_worker_processes_match_one_process(deduped, tmp_path):
    # Four batches of two, in spawned workers replaced after two batches each: the same copies
    # and stories as the whole corpus done in this process, from the features supplied.
    in_process, _ = deduped
    store = Store(tmp_path / "store.duckdb")
    upsert_articles(store, ARTICLES)
    supplied = NudgedFeatures(in_process.path)
    options = RunOptions(extra={"dedup_batch_size": 2, "dedup_worker_articles": 4, "dedup_features": supplied})
    summary = dedup_stage(store, options, Reporter(quiet=True))
    assert summary["articles"] == len(ARTICLES)
    assert _links(store) == _links(in_process)
    assert _story_groups(store) == _story_groups(in_process)
    ids = [article.id for article in ARTICLES]
    stored, expected, computed = load_features(store, ids), supplied(ARTICLES), load_features(in_process, ids)
    english = [doc for doc in ids if expected[doc].embedding is not None]
    assert len(english) == len(ids) - 1
    # stored at half precision
    assert all(np.array_equal(stored[doc].embedding, _half(expected[doc].embedding)) for doc in english)
    assert not any(np.array_equal(stored[doc].embedding, computed[doc].embedding) for doc in english)


class NudgedFeatures:
    """Another store's features with slightly moved embeddings, so a test sees which were used.
    A class, not a closure: the dedup stage's worker processes get it pickled."""

    def __init__(self, path):
        self.path = path

    def __call__(self, articles):
        found = load_features(Store(self.path), [article.id for article in articles])
        return {doc: dataclasses.replace(found[doc], embedding=_nudged(found[doc].embedding)) for doc in found}


def _nudged(vector):
    if vector is None:  # articles not in English carry no embedding
        return None
    moved = vector + np.float32(1e-2)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def _half(vector):
    return vector.astype(np.float16).astype(np.float32)


def _story_groups(store):
    return sorted(sorted(story.doc_ids) for story in load_stories(store))
