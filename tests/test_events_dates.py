from datetime import date

import pytest

from detente.events.dates import event_date, is_historical
from detente.events.extract import extract_text
from detente.events.quantities import number_value

PUBLISHED = date(2021, 4, 22)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met on April 15.", (date(2021, 4, 15), "day")),
        ("They met on 15 April 2019.", (date(2019, 4, 15), "day")),
        ("They met on December 3.", (date(2020, 12, 3), "day")),  # later in the year: last year's
        ("They met last March.", (date(2021, 3, 1), "month")),
        ("They met in June.", (date(2020, 6, 1), "month")),
        ("They met in March 2014.", (date(2014, 3, 1), "month")),
        ("They met on Tuesday.", (date(2021, 4, 20), "day")),
        ("They met on Thursday.", (date(2021, 4, 22), "day")),
        ("They met last Thursday.", (date(2021, 4, 15), "day")),
        ("They met seven years ago.", (date(2014, 1, 1), "year")),
        ("They met three days ago.", (date(2021, 4, 19), "day")),
        ("They met two months ago.", (date(2021, 2, 1), "month")),
        ("They met in 2014.", (date(2014, 1, 1), "year")),
        ("They met last year.", (date(2020, 1, 1), "year")),
        ("They met yesterday.", (date(2021, 4, 21), "day")),
        ("They met today.", (date(2021, 4, 22), "day")),
        ("They met.", (PUBLISHED, "publication")),
        ("They met last week.", (PUBLISHED, "publication")),
    ],
)
def test_relative_dates(text, expected):
    assert event_date(text, PUBLISHED) == expected


def test_without_publication_date_nothing_is_resolved():
    assert event_date("They met yesterday.", None) == (None, "publication")


def test_date_nearest_the_trigger_wins():
    text = "After talks on Monday, they signed the deal on Wednesday."
    assert event_date(text, PUBLISHED, anchor=text.index("signed")) == (date(2021, 4, 21), "day")


def test_historical_means_more_than_a_year_before_publication():
    assert is_historical(date(2014, 1, 1), "year", PUBLISHED)
    assert not is_historical(date(2020, 1, 1), "year", PUBLISHED)  # 2020 ends within the year
    assert not is_historical(PUBLISHED, "publication", PUBLISHED)
    assert is_historical(date(2019, 3, 1), "month", PUBLISHED)


@pytest.mark.parametrize(
    ("text", "value"),
    [("ten", 10), ("40", 40), ("1,200", 1200), ("2.5 million", 2_500_000), ("twenty-five", 25), ("several", 3)],
)
def test_number_words(text, value):
    assert number_value(text) == value


def test_not_a_number():
    assert number_value("diplomats") is None


def test_planned_events_read_dates_without_a_year_forward():
    text = "Russia plans to host a summit with China in June. Russia expelled two British diplomats in June."
    planned, done = sorted(extract_text(text, date(2014, 3, 24)), key=lambda event: event.sentence_index)
    assert (planned.modality, planned.date) == ("intended", date(2014, 6, 1))
    assert (done.modality, done.date) == ("asserted", date(2013, 6, 1))
