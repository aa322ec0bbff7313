"""Boilerplate removal on hand-written noisy articles (tests/data/ingest/clean_cases.yaml)."""

from pathlib import Path

import pytest
import yaml

from detente.clean.document import clean_document
from detente.clean.learned import LearnedBoilerplate, line_key
from detente.records import RawDocument

CASES = yaml.safe_load((Path(__file__).parent / "data" / "ingest" / "clean_cases.yaml").read_text(encoding="utf-8"))[
    "cases"
]


def _clean(text, **fields):
    return clean_document(RawDocument(origin="test", id="t", text=text, metadata={"format": "text"}, **fields))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_removes_exactly_the_boilerplate(case):
    result = _clean(case["text"])
    removed = [line.line for line in result.removed if line.reason != "title"]
    assert sorted(removed) == sorted(case["boilerplate"])
    assert result.article.title == case["text"].splitlines()[0]
    for line in result.article.text.splitlines():
        assert line not in case["boilerplate"]


def test_precision_and_recall_over_all_cases():
    removed_right = removed_wrong = missed = 0
    for case in CASES:
        expected = set(case["boilerplate"])
        removed = {line.line for line in _clean(case["text"]).removed if line.reason != "title"}
        removed_right += len(removed & expected)
        removed_wrong += len(removed - expected)
        missed += len(expected - removed)
    assert removed_right / (removed_right + removed_wrong) >= 0.95
    assert removed_right / (removed_right + missed) >= 0.95


def test_glued_caption_is_split_from_the_paragraph_after_it():
    text = (
        "Headline about talks\n"
        "Leaders shake hands before the meeting. (Photo: AFP / VNA)Moscow (VNA) – Russia and Laos signed a visa deal."
    )
    result = _clean(text)
    assert result.article.text == "Moscow (VNA) – Russia and Laos signed a visa deal."
    assert [(line.reason, line.line) for line in result.removed if line.reason != "title"] == [
        ("caption", "Leaders shake hands before the meeting. (Photo: AFP / VNA)")
    ]


def test_each_removed_line_has_a_reason():
    result = _clean(CASES[0]["text"])
    reasons = {line.reason for line in result.removed}
    assert {"comment-form", "anti-spam", "share-widget", "teaser", "counter"} <= reasons


def test_sentences_that_mention_widget_words_stay():
    text = (
        "Trade headline\n"
        "Russia and China share a long border and a growing trade relationship.\n"
        "Follow-up talks are planned, officials said.\n"
        "Comments by the minister were broadcast on state television."
    )
    assert _clean(text).article.text.count("\n") == 2


def test_a_long_paragraph_ending_in_a_credit_keeps_its_text():
    paragraph = " ".join(["The delegation travelled on to Minsk for a further round of talks with officials."] * 8)
    result = _clean(f"Headline\n{paragraph} (Photo: Reuters)")
    assert result.article.text == paragraph
    assert [line.reason for line in result.removed if line.reason != "title"] == ["credit"]


def test_learned_lines_are_removed_for_their_source_only():
    text = "Headline\nThe Northern Ledger is read in 40 countries\nMinisters met in Oslo on Monday to discuss fishing."
    learned = LearnedBoilerplate({"Northern Ledger": {line_key("The Northern Ledger is read in 40 countries")}})
    mine = clean_document(
        RawDocument("t", "a", text=text, source="Northern Ledger", metadata={"format": "text"}), learned
    )
    other = clean_document(
        RawDocument("t", "b", text=text, source="Other Outlet", metadata={"format": "text"}), learned
    )
    assert [line.reason for line in mine.removed if line.reason != "title"] == ["learned-boilerplate"]
    assert "read in 40 countries" in other.article.text


def test_html_is_extracted_then_cleaned():
    html = """<html><head><title>Oslo talks | Northern Ledger</title>
    <meta property="og:site_name" content="Northern Ledger">
    <meta property="article:published_time" content="2019-05-06T09:00:00Z"></head>
    <body><article><h1>Norway and Russia discuss Arctic fishing</h1>
    <p>Norwegian and Russian officials met in Oslo on Monday to set fishing quotas for the Barents Sea.</p>
    <p>Chia sẻ</p>
    <p>The two countries have managed the cod stock together for decades, despite tensions elsewhere.</p>
    <p>Read more: Arctic council meets in Finland</p></article></body></html>"""
    result = clean_document(RawDocument(origin="page.html", id="page", html=html))
    article = result.article
    assert article.source == "Northern Ledger"
    assert str(article.published) == "2019-05-06"
    assert article.date_source == "html"
    assert "Chia sẻ" not in article.text and "Arctic council" not in article.text
    assert article.text.startswith("Norwegian and Russian officials")
