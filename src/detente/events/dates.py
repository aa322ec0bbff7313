"""Event dates from relative expressions, resolved against the publication date.

"on April 15", "last March", "on Tuesday", "seven years ago", "in 2014", "yesterday" each give a
date and a precision (day, month or year); with no expression the publication date is used and the
precision says "publication". Month and year precision dates are the first day of the period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from detente.events.quantities import number_value
from detente.records import DatePrecision

HISTORICAL_AFTER_DAYS = 365

_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_COUNT = r"(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("month_day", rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?"),
        ("day_month", rf"\b{_DAY}\s+{_MONTH}\b(?:,?\s+{_YEAR})?"),
        ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("month_year", rf"\b(?:in\s+|of\s+)?{_MONTH}\s+{_YEAR}\b"),
        ("last_month_name", rf"\b(?P<which>last|this|next)\s+{_MONTH}(?!\s+\d)\b"),
        ("in_month", rf"\b(?:in|since|during|early|late|mid-?)\s+{_MONTH}(?!\s+\d)\b"),
        ("ago", rf"\b{_COUNT}\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b"),
        ("last_unit", r"\b(?P<which>last|this|next)\s+(?P<unit>week|month|year)\b"),
        ("weekday", rf"\b(?P<which>last\s+|next\s+|on\s+)?{_WEEKDAY}\b"),
        ("relative_day", r"\b(?P<word>yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening)\b"),
        ("year", rf"\b(?:in|since|during|of|by|until)\s+{_YEAR}\b"),
    )
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    date: date
    precision: DatePrecision


def _recent(
    candidate_month: int, candidate_day: int, published: date, year: int | None, forward: bool = False
) -> date | None:
    """A month/day without a year means its latest occurrence not (much) after publication — or,
    for a planned event (``forward``), its next occurrence not (much) before it."""
    guess_year = year if year is not None else published.year
    try:
        found = date(guess_year, candidate_month, candidate_day)
    except ValueError:
        return None
    if year is None and not forward and found > published + timedelta(days=7):
        found = found.replace(year=guess_year - 1)
    if year is None and forward and found < published - timedelta(days=7):
        found = found.replace(year=guess_year + 1)
    return found


def _months_back(published: date, months: int) -> date:
    index = published.year * 12 + published.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _resolve(
    kind: str, match: re.Match[str], published: date, forward: bool = False
) -> tuple[date, DatePrecision] | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    month = _MONTHS.get((groups.get("month") or "").lower()) if kind != "iso" else int(groups["month"])
    if kind in ("month_day", "day_month", "iso"):
        found = _recent(month or 0, int(groups["day"]), published, year, forward) if month else None
        return (found, "day") if found else None
    if kind == "month_year" and month and year:
        return date(year, month, 1), "month"
    if kind in ("last_month_name", "in_month") and month:
        which = (groups.get("which") or "").lower()
        candidate = date(published.year, month, 1)
        if which == "next" or (forward and which != "last"):
            candidate = candidate if month >= published.month else date(published.year + 1, month, 1)
        elif candidate > published or (which == "last" and month == published.month):
            candidate = date(published.year - 1, month, 1)
        return candidate, "month"
    if kind == "ago":
        count = number_value(groups["count"]) or 1
        unit = groups["unit"].lower()
        if unit in ("day", "week"):
            return published - timedelta(days=count * (7 if unit == "week" else 1)), "day"
        if unit == "month":
            return _months_back(published, count), "month"
        years = count * (10 if unit == "decade" else 1)
        return date(published.year - years, 1, 1), "year"
    if kind == "last_unit":
        step = {"last": -1, "this": 0, "next": 1}[groups["which"].lower()]
        unit = groups["unit"].lower()
        if unit == "year":
            return date(published.year + step, 1, 1), "year"
        if unit == "month":
            return _months_back(published, -step), "month"
        return None  # "last week" names no day; the publication date stays the better guess
    if kind == "weekday":
        weekday = _WEEKDAYS[groups["weekday"].lower()]
        which = (groups.get("which") or "").strip().lower()
        if which == "next":
            return published + timedelta(days=(weekday - published.weekday()) % 7 or 7), "day"
        back = (published.weekday() - weekday) % 7
        if which == "last" and back == 0:
            back = 7
        return published - timedelta(days=back), "day"
    if kind == "relative_day":
        offset = {"yesterday": -1, "tomorrow": 1}.get(groups["word"].lower(), 0)
        return published + timedelta(days=offset), "day"
    if kind == "year" and year:
        return date(year, 1, 1), "year"
    return None


def find_dates(text: str, published: date, forward: bool = False) -> list[DateMention]:
    """Every date expression in ``text``, earlier patterns winning where two overlap; ``forward``
    reads dates without a year as the next occurrence (the text speaks of a planned event)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            resolved = _resolve(kind, match, published, forward)
            if resolved:
                taken.append((match.start(), match.end()))
                found.append(DateMention(match.start(), match.end(), *resolved))
    return sorted(found, key=lambda mention: mention.start)


def event_date(
    text: str,
    published: date | None,
    anchor: int = 0,
    scope: tuple[int, int] | None = None,
    forward: bool = False,
) -> tuple[date | None, DatePrecision]:
    """The date of an event whose trigger is at ``anchor`` in ``text``.

    A date inside the trigger's clause (``scope``) is preferred; then the nearest one.
    """
    if published is None:
        return None, "publication"
    mentions = find_dates(text, published, forward)
    if not mentions:
        return published, "publication"
    if scope is not None:
        inside = [m for m in mentions if scope[0] <= m.start and m.end <= scope[1]]
        mentions = inside or mentions
    nearest = min(mentions, key=lambda m: _distance(m, anchor))
    return nearest.date, nearest.precision


def _distance(mention: DateMention, anchor: int) -> int:
    """Characters from the trigger; a date before it counts triple, as English puts the time
    adverbial after the verb ("After talks on Monday, they signed the deal on Wednesday")."""
    if mention.start >= anchor:
        return mention.start - anchor
    return 3 * max(0, anchor - mention.end)


def period_end(day: date, precision: DatePrecision) -> date:
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def is_historical(day: date | None, precision: DatePrecision, published: date | None) -> bool:
    """True when the whole period named is more than a year before publication."""
    if day is None or published is None or precision == "publication":
        return False
    return (published - period_end(day, precision)).days > HISTORICAL_AFTER_DAYS
