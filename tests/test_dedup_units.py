"""Pieces of the dedup stage: facts, MinHash, the rewrite rules, canonical grouping."""

from datetime import date

import numpy as np

from detente.dedup.canonical import group_mentions
from detente.dedup.facts import TextFacts, extract_facts, facts_disagree
from detente.dedup.minhash import band_keys, banding, estimated_jaccard, shingles, signature
from detente.dedup.rewrite import PairEvidence, rewrite_score, same_story
from detente.dedup.settings import load_settings
from detente.dedup.stories import assign_stories, refresh_stories
from detente.records import ActorRef, Article, Event
from detente.store import Store
from detente.store.articles import upsert_articles

SETTINGS = load_settings()


def test_facts_agree_across_languages():
    english = extract_facts(
        "Officials said on March 3 that 1,500 troops and twelve tanks had left Kherson.", SETTINGS.facts
    )
    french = extract_facts(
        "Les responsables ont dit le 3 mars que 1 500 soldats et 12 chars avaient quitté Kherson.", SETTINGS.facts
    )
    assert english.numbers == french.numbers == {"1500", "12"}
    assert english.dates == french.dates == {"03-03"}
    assert "kher" in english.names & french.names


def test_years_are_not_facts_and_weekdays_are():
    found = extract_facts("In 2021 the talks resumed on Friday.", SETTINGS.facts)
    assert found.numbers == frozenset()
    assert found.dates == {"weekday:5"}


def test_different_days_disagree():
    tuesday = TextFacts(frozenset(), frozenset({"weekday:2"}), frozenset())
    thursday = TextFacts(frozenset(), frozenset({"weekday:4"}), frozenset())
    calendar = TextFacts(frozenset(), frozenset({"03-05"}), frozenset())
    assert facts_disagree(tuesday, thursday)
    assert not facts_disagree(tuesday, calendar)  # a weekday and a calendar day are not compared


def test_minhash_separates_near_copies_from_other_texts():
    base = " ".join(f"word{i}" for i in range(300))
    edited = base.replace("word150", "changed") + " one more closing sentence here"
    other = " ".join(f"term{i}" for i in range(300))
    sig_base, sig_edit, sig_other = (signature(text, SETTINGS.minhash) for text in (base, edited, other))
    assert estimated_jaccard(sig_base, sig_edit) > SETTINGS.minhash.near_min_jaccard
    assert estimated_jaccard(sig_base, sig_other) < 0.1
    assert set(band_keys(sig_base, SETTINGS.minhash)) & set(band_keys(sig_edit, SETTINGS.minhash))
    assert sig_base.dtype == np.uint32


def test_minhash_estimates_jaccard_without_bias():
    generator = np.random.default_rng(7)
    vocabulary = np.array([f"w{i}" for i in range(3000)])
    errors = []
    for _ in range(200):
        words = generator.choice(vocabulary, 300)
        other = words.copy()
        changed = generator.integers(0, 300, generator.integers(0, 150))
        other[changed] = generator.choice(vocabulary, len(changed))
        first, second = " ".join(words), " ".join(other)
        grams_a, grams_b = (shingles(text, SETTINGS.minhash.shingle_words) for text in (first, second))
        exact = len(grams_a & grams_b) / len(grams_a | grams_b)
        errors.append(estimated_jaccard(*(signature(text, SETTINGS.minhash) for text in (first, second))) - exact)
    # 128 hashes: a standard error of at most 0.044 per pair; over 200 pairs a bias of 0.01 would show
    assert abs(np.mean(errors)) < 0.01 and np.std(errors) < 0.045


def test_banding_minimises_the_missed_and_false_candidates():
    assert banding(128, 0.4) == (32, 4)  # P(candidate) = 1 - (1 - J^4)^32
    assert banding(64, 0.7) == (8, 8)
    bands, rows = banding(128, 0.4)
    assert 1 - (1 - 0.64**rows) ** bands > 0.99 and 1 - (1 - 0.2**rows) ** bands < 0.05


def _evidence(**values):
    defaults = {"days": 0, "cosine": 0.85, "actors": 1.0, "facts": 1.0, "shared_facts": 2, "names": 0.5}
    return PairEvidence(**{**defaults, **values})


def test_rewrite_rules():
    assert rewrite_score(_evidence(), SETTINGS.rewrite) is not None
    assert rewrite_score(_evidence(days=5), SETTINGS.rewrite) is None  # too far apart
    assert rewrite_score(_evidence(facts=0.0), SETTINGS.rewrite) is None  # other figures
    assert rewrite_score(_evidence(actors=0.2), SETTINGS.rewrite) is None  # other actors
    assert rewrite_score(_evidence(cosine=0.4), SETTINGS.rewrite) is None  # other subject
    assert rewrite_score(_evidence(contradicts=True), SETTINGS.rewrite) is None
    assert rewrite_score(_evidence(cosine=None, names=0.6), SETTINGS.rewrite) is not None  # translation
    assert rewrite_score(_evidence(cosine=None, shared_facts=1), SETTINGS.rewrite) is None


def test_story_needs_shared_actors_and_subject():
    assert same_story(_evidence(days=5, cosine=0.7), SETTINGS.stories)
    assert not same_story(_evidence(days=5, cosine=0.3), SETTINGS.stories)
    assert not same_story(_evidence(actors=None), SETTINGS.stories)


def _mention(event_id, doc_id, day, precision="day", event_type="SANCTION", source="USA", target="RUS"):
    return Event(
        event_id=event_id,
        doc_id=doc_id,
        sentence_index=0,
        sentence="",
        event_type=event_type,
        source=ActorRef(text=source, code=source),
        target=ActorRef(text=target, code=target),
        date=day,
        date_precision=precision,
    )


def test_canonical_groups_count_articles_and_sources():
    story = {"d1": "s1", "d2": "s1", "d3": "s1", "d4": "s2"}
    sources = {"d1": "wire", "d2": "wire", "d3": "paper", "d4": "paper"}
    published = {"d1": date(2021, 4, 15), "d2": date(2021, 4, 15), "d3": date(2021, 4, 17), "d4": date(2021, 4, 15)}
    mentions = [
        _mention("e1", "d1", date(2021, 4, 15)),
        _mention("e2", "d2", date(2021, 4, 15)),
        _mention("e3", "d3", date(2021, 4, 17), precision="publication"),  # two days later, undated
        _mention("e4", "d3", date(2021, 4, 16), event_type="ACCUSE"),
        _mention("e5", "d4", date(2021, 4, 15)),  # same key, other story: another event
        _mention("e6", "d1", date(2021, 4, 15), source="RUS", target="USA"),
    ]
    grouped = {tuple(item.mention_ids): item for item in group_mentions(mentions, story, sources, published, 3)}
    assert set(grouped) == {("e1", "e2", "e3"), ("e4",), ("e5",), ("e6",)}
    main = grouped[("e1", "e2", "e3")]
    assert (main.num_articles, main.num_sources, main.event.event_id) == (3, 2, "e1")
    assert main.doc_ids == ["d1", "d2", "d3"]
    again = {
        tuple(item.mention_ids): item.canonical_id for item in group_mentions(mentions, story, sources, published, 3)
    }
    assert again[("e1", "e2", "e3")] == main.canonical_id


def test_a_story_stops_growing_after_its_span(tmp_path):
    store = Store(tmp_path / "span.duckdb")
    start = date(2024, 3, 1)
    days = {"wire-1": start, "wire-2": date(2024, 3, 11), "wire-3": date(2024, 3, 21), "wire-4": None}
    articles = [Article(id=doc, text="A lead.", title=doc, source="Wire", published=day) for doc, day in days.items()]
    upsert_articles(store, articles)
    with store.transaction() as con:
        first = assign_stories(con, [("wire-1", start)], [], max_span_days=14)
        refresh_stories(con, first, main_actors=3)
        # day 10 links to the story: it joins; day 20 links to both: the story began too long ago
        joined = assign_stories(con, [("wire-2", date(2024, 3, 11))], [("wire-2", "wire-1")], max_span_days=14)
        refresh_stories(con, joined, main_actors=3)
        later = assign_stories(
            con, [("wire-3", date(2024, 3, 21))], [("wire-3", "wire-1"), ("wire-3", "wire-2")], max_span_days=14
        )
        refresh_stories(con, later, main_actors=3)
        undated = assign_stories(con, [("wire-4", None)], [("wire-4", "wire-1")], max_span_days=14)
        story_of = dict(con.execute("SELECT doc_id, story_id FROM story_articles").fetchall())
    assert joined == first and story_of["wire-2"] == story_of["wire-1"]
    assert later.isdisjoint(first) and story_of["wire-3"] != story_of["wire-1"]
    assert undated == first and story_of["wire-4"] == story_of["wire-1"]  # no date: nothing to judge by


def test_a_chain_within_one_batch_stops_at_the_span_too(tmp_path):
    store = Store(tmp_path / "chain.duckdb")
    days = {f"wire-{n}": date(2024, 3, 1 + 5 * n) for n in range(5)}  # every five days
    articles = [Article(id=doc, text="A lead.", title=doc, source="Wire", published=day) for doc, day in days.items()]
    upsert_articles(store, articles)
    # each links to the one before it (the last pair given the other way round), and one link
    # reaches back from the fourth to the first
    pairs = [
        ("wire-1", "wire-0"),
        ("wire-2", "wire-1"),
        ("wire-3", "wire-2"),
        ("wire-3", "wire-4"),
        ("wire-3", "wire-0"),
    ]
    with store.transaction() as con:
        changed = assign_stories(con, list(days.items()), pairs, max_span_days=14)
        refresh_stories(con, changed, main_actors=3)
        members = con.execute(
            "SELECT list(doc_id ORDER BY doc_id) FROM story_articles GROUP BY story_id ORDER BY 1"
        ).fetchall()
        spans = con.execute("SELECT max(last_date - first_date) FROM stories").fetchone()[0]
    assert [row[0] for row in members] == [["wire-0", "wire-1", "wire-2"], ["wire-3", "wire-4"]]
    assert len(changed) == 2 and spans <= 14
