"""Dates in text of another language, resolved against the publication date.

CJK writes dates as numbers with markers (2024年5月24日, 2024년 5월 24일, 令和5年11月21日,
今(11)日, 上月28日); the alphabetic languages day-month-year with month names from the
lexicon (24 мая 2024, le 24 mai 2024, 24. Mai 2024, 24.05.2024). A date without its year takes the
publication's; without a publication date it is `--MM-DD`; a day alone needs the publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from amity.languages.lexicon import Lexicon


@dataclass(frozen=True)
class FoundDate:
    start: int
    value: str  # YYYY-MM-DD, YYYY-MM, --MM-DD


def find_dates(text: str, lexicon: Lexicon, published: dt.date | None) -> list[FoundDate]:
    """Every date in `text`, in text order."""
    if lexicon.dates.get("style") == "cjk":
        found = _cjk_dates(text, lexicon, published)
    else:
        found = _dmy_dates(text, lexicon, published)
    return sorted(found, key=lambda d: d.start)


def _cjk_dates(text: str, lexicon: Lexicon, published: dt.date | None) -> list[FoundDate]:
    y, m = re.escape(lexicon.dates["year_marker"]), re.escape(lexicon.dates["month_marker"])
    d = "|".join(re.escape(x) for x in lexicon.dates["day_marker"])
    eras = lexicon.dates.get("eras", {})
    era = "|".join(re.escape(e) for e in eras)
    year = rf"(?:(?P<era>{era})?(?P<year>\d{{1,4}})\s*{y}\s*)" if era else rf"(?:(?P<year>\d{{4}})\s*{y}\s*)"
    pattern = re.compile(
        rf"(?P<last>上月|上個月|지난달)?{year}?(?:(?P<month>\d{{1,2}})\s*{m}\s*)?"
        rf"(?:今\s*[(（]\s*)?(?P<day>\d{{1,2}})\s*(?:[)）]\s*)?(?:{d})(?![\d])"
    )
    out: list[FoundDate] = []
    for match in pattern.finditer(text):
        if match.groupdict().get("era"):
            year_value = eras[match.group("era")] + int(match.group("year"))
        else:
            year_value = int(match.group("year")) if match.group("year") else None
        month = int(match.group("month")) if match.group("month") else None
        day = int(match.group("day"))
        if match.group("last") and published and month is None:
            first = published.replace(day=1) - dt.timedelta(days=1)
            year_value, month = first.year, first.month
        value = _resolve(year_value, month, day, published)
        if value:
            out.append(FoundDate(match.start(), value))
    # a year and month alone: 2024年10月
    for match in re.finditer(rf"(?P<year>(?:19|20)\d\d)\s*{y}\s*(?P<month>\d{{1,2}})\s*{m}(?!\s*\d)", text):
        if not any(f.start == match.start() for f in out):
            out.append(FoundDate(match.start(), f"{match.group('year')}-{int(match.group('month')):02d}"))
    return out


def _dmy_dates(text: str, lexicon: Lexicon, published: dt.date | None) -> list[FoundDate]:
    months = lexicon.dates.get("months", [])
    out: list[FoundDate] = []
    if months:
        alternatives = "|".join(
            f"(?P<m{i}>{'|'.join(re.escape(n) for n in sorted(names, key=len, reverse=True))})"
            for i, names in enumerate(months, start=1)
        )
        pattern = re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:er|\.|º|°)?\s+(?:de\s+)?(?:{alternatives})[^\W\d]*\.?(?:\s+(?:de\s+)?(?P<year>(?:19|20)\d\d))?(?!\d)",
            re.IGNORECASE,
        )
        for match in pattern.finditer(text):
            month = next(i for i in range(1, 13) if match.group(f"m{i}"))
            year = int(match.group("year")) if match.group("year") else None
            value = _resolve(year, month, int(match.group("day")), published, day_only=False)
            if value:
                out.append(FoundDate(match.start(), value))
    for match in re.finditer(r"\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d\d)\b", text):
        value = _resolve(int(match.group("year")), int(match.group("month")), int(match.group("day")), published)
        if value:
            out.append(FoundDate(match.start(), value))
    return out


def _resolve(year: int | None, month: int | None, day: int, published: dt.date | None, day_only: bool = True) -> str | None:
    if month is None:
        if not published:
            return None
        year, month = published.year, published.month
        if day > published.day + 1:  # "on the 28th" told on the 3rd: last month
            first = published.replace(day=1) - dt.timedelta(days=1)
            year, month = first.year, first.month
    if year is None:
        if published is None:
            return f"--{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
        year = published.year
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
