"""Dates in a sentence, resolved against the publication date.

Published 2021-12-16 + "on Dec 6" -> 2021-12-06; no publication date -> "--12-06";
"last year" -> 2020; "next month" -> 2022-01; "this spring" -> 2022. A date after
"since", "until", "established in" or inside a duration ("for 30 years") is not the date
of the event and is marked `background`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from amity.datelines import MONTH_NUMBERS

MONTHS = r"(?:" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
"""A month name or abbreviation ("Sept.", "October"), from the one month table in datelines."""
_MONTHS = MONTHS
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_FULL_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"
_SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}

_DATE_RE = re.compile(
    rf"""(?xi)
    (?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b)
  | (?P<mdy>\b(?P<m1>{_MONTHS})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<y1>\d{{4}})\b)?)
  | (?P<dmy>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTHS})\b(?:,?\s+(?P<y2>\d{{4}})\b)?)
  | (?P<my>\b(?P<m3>{_MONTHS})\s+(?:of\s+)?(?P<y3>\d{{4}})\b)
  | (?P<rel>\b(?:(?:today|yesterday|tomorrow)(?!\s*\(\s*\d)|this\s+(?:week|month|year)
        |(?:last|next|this|earlier\s+this|later\s+this|past|over\s+the)\s+(?:week|weekend|month|year|{_WEEKDAYS}|spring|summer|autumn|fall|winter|{_FULL_MONTHS}))\b)
  | (?P<wd>\b(?:on\s+)?(?:{_WEEKDAYS})\b)
  | (?P<nth>\b(?:(?:on|from|since)\s+the\s+|(?:today|yesterday|tomorrow)\s*\(\s*)(?P<d5>\d{{1,2}})(?:st|nd|rd|th)\b\)?)
  | (?P<year>\b(?:in|on|during|of)\s+(?P<y4>(?:19|20)\d{{2}})\b(?![-/.]\d))
  | (?P<bare>\b(?:in|the|early|late|mid-?|during|until|by)\s+(?:(?:early|late|mid-?)\s*)?(?P<m6>{_FULL_MONTHS})\b(?!\s+(?:of\s+)?\d))
    """
)
_BACKGROUND_BEFORE = re.compile(
    r"(?i)\b(since|until|till|before|as early as|dates back to|back in|way back in)\s*(in|on|the)?\s*$"
)


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    value: str | None  # contract form: YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD
    precision: str  # day | month | year
    background: bool  # since/until/established ...: not the event's own date
    reporting: bool = False  # "the city said on Tuesday": when it was told, not when it happened


def _month_number(text: str) -> int:
    return MONTH_NUMBERS.get(text.strip().rstrip(".").lower(), 1)


def _pick_year(month: int, day: int, published: dt.date, prefer: str) -> int:
    year = published.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return year
    if prefer == "past" and candidate > published + dt.timedelta(days=7):
        return year - 1
    if prefer == "future" and candidate < published - dt.timedelta(days=7):
        return year + 1
    return year


def _format(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None and month and day:
        return f"--{month:02d}-{day:02d}"
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _relative(text: str, published: dt.date | None, prefer: str) -> tuple[str | None, str]:
    if published is None:
        return None, "day"
    words = text.lower().split()
    unit = words[-1]
    if unit == "today":
        return published.isoformat(), "day"
    if unit in ("yesterday", "tomorrow"):
        delta = -1 if unit == "yesterday" else 1
        return (published + dt.timedelta(days=delta)).isoformat(), "day"
    shift = {"last": -1, "past": -1, "next": 1, "over": -1}.get(words[0], 0)
    if unit == "year":
        return f"{published.year + shift:04d}", "year"
    if unit == "month":
        month = published.month + shift
        year = published.year + (month - 1) // 12
        return f"{year:04d}-{(month - 1) % 12 + 1:02d}", "month"
    if unit == "week":
        return None, "day"
    if unit in MONTH_NUMBERS:  # "last October": the gold reads it as last year's once it is past
        month = MONTH_NUMBERS[unit]
        year = published.year
        if shift < 0 and month >= published.month - 1:
            year -= 1
        elif shift > 0 and month <= published.month:
            year += 1
        return f"{year:04d}-{month:02d}", "month"
    if unit in _SEASONS:
        year = published.year + shift
        return f"{year:04d}", "year"
    if unit == "weekend":  # "over the weekend" in a Monday paper: the Saturday just before
        back = (published.weekday() - 5) % 7 or 7
        return (published - dt.timedelta(days=back if shift <= 0 else -((5 - published.weekday()) % 7))).isoformat(), "day"
    # weekday: "last Friday" / "on Tuesday" -> the closest such day on or before publication
    # (after it, for "next Tuesday" or planned events)
    target = _WEEKDAY_INDEX[unit]
    if shift > 0 or prefer == "future":
        ahead = (target - published.weekday()) % 7 or (7 if shift > 0 else 0)
        return (published + dt.timedelta(days=ahead)).isoformat(), "day"
    back = (published.weekday() - target) % 7
    if shift < 0 and back == 0:
        back = 7  # "last Monday" in a Monday paper is a week ago
    return (published - dt.timedelta(days=back)).isoformat(), "day"


_WEEKDAY_INDEX = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_REPORTING = re.compile(r"(?i)\b(said|says|announced|announcement|statement|told|reported|confirmed|according)\b[^.;]{0,25}$")


def find_dates(text: str, published: dt.date | None, prefer: str = "past") -> list[DateMention]:
    """Every date in a sentence with its resolved value.

    Example: find_dates("signed on Dec 6", dt.date(2021, 12, 16))[0].value == "2021-12-06"
    """
    return list(_find_dates(text, published, prefer))


# describe reads the same sentences' dates again for every pair (about twice per sentence on
# news-dev); the answer depends on the three arguments only, and DateMention is frozen
@functools.lru_cache(maxsize=4096)
def _find_dates(text: str, published: dt.date | None, prefer: str) -> tuple[DateMention, ...]:
    found = []
    for m in _DATE_RE.finditer(text):
        background = bool(_BACKGROUND_BEFORE.search(text[max(0, m.start() - 40) : m.start()]))
        kind = m.lastgroup
        value, precision = None, "day"
        if m.group("iso"):
            value = _format(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("mdy") or m.group("dmy"):
            month = _month_number(m.group("m1") or m.group("m2"))
            day = int(m.group("d1") or m.group("d2"))
            if not 1 <= day <= 31:
                continue
            year_text = m.group("y1") or m.group("y2")
            year = int(year_text) if year_text else None
            if year is None and published is not None:
                year = _pick_year(month, day, published, prefer)
            value = _format(year, month, day)
        elif m.group("my"):
            value, precision = (
                _format(int(m.group("y3")), _month_number(m.group("m3")), None),
                "month",
            )
        elif m.group("rel") or m.group("wd"):
            phrase = (m.group("rel") or m.group("wd")).lower().removeprefix("on ").strip()
            value, precision = _relative(phrase, published, prefer)
        elif m.group("nth"):
            day = int(m.group("d5"))
            if published is None or not 1 <= day <= 31:
                continue
            month, year = published.month, published.year
            if day > published.day + 3:  # "on the 28th" in a paper of the 3rd: last month
                month, year = (month - 1, year) if month > 1 else (12, year - 1)
            value = _format(year, month, day)
        elif m.group("year"):
            value, precision = m.group("y4"), "year"
        elif m.group("bare"):  # "in August", "the August visit": the nearest such month
            if published is None:
                continue
            month = MONTH_NUMBERS[m.group("m6").lower()]
            ahead = month - published.month
            year = published.year
            if prefer == "past" and ahead > 3:
                year -= 1
            elif prefer == "future" and ahead < -1:
                year += 1
            elif prefer == "past" and ahead < -8:
                year += 1
            value, precision = f"{year:04d}-{month:02d}", "month"
        if kind and value:
            reporting = bool(_REPORTING.search(text[max(0, m.start() - 60) : m.start()]))
            found.append(DateMention(m.group(0), m.start(), m.end(), value, precision, background, reporting))
    return tuple(found)


_DATELINE_START = re.compile(r"^\s*[A-Z][A-Z .'’-]{1,40}\b(?:,|\.)")
_DATELINE_END = re.compile(r"\s(?:—|–|--|-)\s|\)\s*(?:—|–|--|-)|^[^.]{0,60}?\d{4}\.\s")


def dateline_end(text: str) -> int:
    """Where a dateline ("KISUMU, Tuesday 12 March 2024 —", "KHABAROVSK, 6 November.") ends,
    or 0 when the sentence does not open with one."""
    if not _DATELINE_START.match(text):
        return 0
    m = _DATELINE_END.search(text[:90])
    if m:
        return m.end()
    m = re.match(r"^\s*[A-Z][A-Z .'’-]{1,40},[^.]{0,40}?\d{1,2}\s+\w+\.", text)
    return m.end() if m else 0


def best_date(mentions: list[DateMention], text: str = "") -> DateMention | None:
    """The most precise foreground date (first one on ties). A dateline's date ("JEJU, Feb. 11
    (Wire) — ... on Monday") only counts when the sentence has no other date; a date the
    report was made on ("said on Tuesday") only when there is no other."""
    rank = {"day": 0, "month": 1, "year": 2}
    foreground = [d for d in mentions if not d.background]
    if text and len(foreground) > 1:
        end = dateline_end(text)
        body = [d for d in foreground if d.start >= end]
        if body:
            foreground = body
    if not foreground:
        return None
    # "on Wednesday, December 11th": the calendar date names the day the weekday only hints at
    return min(foreground, key=lambda d: (d.reporting, rank[d.precision], _weekday_only(d), d.start))


def _weekday_only(mention: DateMention) -> bool:
    return bool(re.fullmatch(r"(?i)(?:on\s+)?(?:" + _WEEKDAYS + r")", mention.text.strip()))


def date_in(text: str, published: dt.date | None, prefer: str = "past") -> DateMention | None:
    """The event date a sentence gives, if any."""
    return _date_in(text, published, prefer)


@functools.lru_cache(maxsize=4096)
def _date_in(text: str, published: dt.date | None, prefer: str) -> DateMention | None:
    return best_date(find_dates(text, published, prefer), text)


def year_of(value: str | None) -> int | None:
    if value and re.match(r"^\d{4}", value):
        return int(value[:4])
    return None
