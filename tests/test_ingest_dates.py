"""Publication dates: metadata first, never today, estimated from the text as a last resort."""

from datetime import date, datetime

import pytest

from detente.clean.dates import estimate_published
from detente.clean.document import clean_document
from detente.ingest.fields import parse_date_value
from detente.records import RawDocument


def test_latest_past_absolute_date_wins():
    text = "The sanctions of 17 March 2014 were widened on July 29, 2014. Crimea was annexed in 2014-03-18."
    estimate = estimate_published(text, today=date(2024, 1, 1))
    assert estimate is not None
    assert estimate.day == date(2014, 7, 29)
    assert estimate.evidence == "July 29, 2014"


def test_dates_the_text_treats_as_future_do_not_count():
    text = (
        "Ministers met on March 2, 2021. The next round is scheduled for June 16, 2021, and the measures "
        "will expire on December 31, 2021."
    )
    assert estimate_published(text, today=date(2024, 1, 1)).day == date(2021, 3, 2)


def test_relative_words_do_not_count():
    assert estimate_published("Ministers met on Tuesday. Yesterday they left. Today they rest.") is None


def test_dates_after_today_never_count():
    assert estimate_published("Talks took place on June 1, 2030.", today=date(2025, 1, 1)) is None


def test_metadata_date_parsing_never_fills_in_today():
    assert parse_date_value("2021-06-16T10:00:00+02:00") == datetime(2021, 6, 16, 10, 0)
    assert parse_date_value("June 16, 2021") == datetime(2021, 6, 16)
    assert parse_date_value("June 16") is None
    assert parse_date_value("not a date") is None
    assert parse_date_value(1623837600) == datetime(2021, 6, 16, 10, 0)


def test_article_without_any_date_has_none():
    result = clean_document(RawDocument("t", "x", text="Ministers met on Tuesday to discuss trade."))
    assert result.article.published is None and result.article.date_source is None


def test_estimated_date_is_marked():
    text = "Headline\nMOSCOW, March 20, 2014 — Russia banned nine U.S. officials from entering the country."
    article = clean_document(RawDocument("t", "x", text=text, metadata={"format": "text"})).article
    assert (article.published, article.date_source) == (date(2014, 3, 20), "estimated")
    assert article.metadata["date_evidence"] == "March 20, 2014"


def test_metadata_date_beats_the_text():
    raw = RawDocument(
        "t", "x", text="Talks took place on May 3, 2019.", published=datetime(2019, 5, 4), date_source="metadata"
    )
    article = clean_document(raw).article
    assert (article.published, article.date_source) == (date(2019, 5, 4), "metadata")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mis à jour le 12 février 2015, les dirigeants ont signé à Minsk.", date(2015, 2, 12)),
        ("Am 3. März 2022 sagte der Kanzler, die Lage sei ernst.", date(2022, 3, 3)),
        ("Москва, 24 июня 2021 года. Посол вернулся.", date(2021, 6, 24)),
        ("Updated 15/03/2018 08:10 GMT. Britain acted on Wednesday.", date(2018, 3, 15)),
        ("Posted 03/15/2018. Washington acted.", date(2018, 3, 15)),
    ],
)
def test_dates_in_other_languages_and_numeric_forms_are_estimated(text, expected):
    assert estimate_published(text, today=date(2026, 1, 1)).day == expected


def test_numeric_date_that_could_be_either_month_is_not_guessed():
    assert estimate_published("Posted 03/04/2018. Nothing else.", today=date(2026, 1, 1)) is None
