"""Merging rules, as pure functions: place identity, event dates, and a relation's summary
(tier, status, established year, conflicts, first/last seen) from its timeline.

Nothing here touches the database; store.py and reference.py call these and write.

Status from the latest fact on the timeline (a news event at its date, else at its article's
date; a registry's start year, end year):

    proposal, intent                              -> proposed
    agreement, anniversary, exchange, mention     -> active
    suspension                                    -> suspended
    termination (or a registry's end year)        -> terminated
    a registry row with no end year               -> active
    nothing                                       -> unknown

Established year: explicit years stated in news ("established in 1994") and registry start
years; when none is stated, a year implied by an anniversary ("30th anniversary" on
2024-05-24 -> 1994); when none of those, the year of the earliest dated agreement. When the
stated/implied years disagree, the most supported (then earliest) is `established` and every
candidate with its sources is kept in `established_conflict`: flagged, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

STATUS_OF_EVENT = {
    "proposal": "proposed",
    "intent": "proposed",
    "agreement": "active",
    "anniversary": "active",
    "exchange": "active",
    "mention": "active",
    "suspension": "suspended",
    "termination": "terminated",
}

_FULL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(text: str | None) -> str:
    """Case-, accent- and punctuation-insensitive form of a name: "Saint-Étienne" -> "saint etienne"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).replace("_", " ").split())


def place_key(
    geonameid: int | None, name: str, country: str | None, parent: str | None = None
) -> str:
    """Identity of a place: "gn:<geonameid>", else "name:<normalised name>|<country>|<parent>".

    Example:
        >>> place_key(None, "Saint-Étienne", "FR")
        'name:saint etienne|FR|'
    """
    if geonameid is not None:
        return f"gn:{geonameid}"
    return f"name:{normalise_name(name)}|{(country or '').upper()}|{normalise_name(parent)}"


def date_precision(date: str | None) -> str | None:
    """ "2024-05-24" -> "day", "2024-05" -> "month", "2024" -> "year", "--05-24" -> "month-day"."""
    if not date:
        return None
    if _MONTH_DAY.match(date):
        return "month-day"
    match = _FULL.match(date)
    if not match:
        return None
    return "day" if match.group(3) else "month" if match.group(2) else "year"


def sort_date(date: str | None, published: dt.date | None) -> str | None:
    """A full ISO date to order the timeline by, or None.

    "2024-05" -> "2024-05-01"; "2024" -> "2024-01-01"; "--11-15" takes the year of
    `published` (the year before when that would put it after publication).

    Example:
        >>> sort_date("--11-15", dt.date(2024, 3, 1))
        '2023-11-15'
    """
    if not date:
        return None
    match = _FULL.match(date)
    if match:
        year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
        return f"{year}-{month}-{day}"
    match = _MONTH_DAY.match(date)
    if match and published is not None:
        candidate = f"{published.year:04d}-{match.group(1)}-{match.group(2)}"
        if candidate > published.isoformat():
            candidate = f"{published.year - 1:04d}-{match.group(1)}-{match.group(2)}"
        return candidate
    return None


@dataclass
class EventFact:
    """What the summary needs of one news event."""

    type: str
    tier: str | None
    sort_date: str | None  # from the event's own date
    seen: dt.date | None  # the article's published date, else its ingestion date
    established: int | None = None
    anniversary: int | None = None
    source: str = ""  # e.g. "article:12", for established_conflict


@dataclass
class ReferenceFact:
    source: str  # wikipedia-list | wikidata
    start_year: int | None = None
    end_year: int | None = None


@dataclass
class Summary:
    tier: str | None = None
    status: str = "unknown"
    established: int | None = None
    established_conflict: list[dict[str, Any]] | None = None
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    last_event: str | None = None  # latest date on the timeline (YYYY-MM-DD)
    timeline: list[tuple[str, str]] = field(default_factory=list)  # (date, status), sorted


def summarise(events: list[EventFact], references: list[ReferenceFact]) -> Summary:
    """The relation's tier, status, established year and dates from all its facts.

    `events` are in the order they were stored; a later one wins a tie on the timeline.

    Example:
        >>> summarise([EventFact("intent", "sister", "2023-11-15", None)], []).status
        'proposed'
    """
    summary = Summary()
    # (date, rank, status): a registry row without dates sorts first, so any dated fact wins.
    items: list[tuple[str, int, str]] = []
    for rank, ref in enumerate(references):
        if ref.start_year is not None:
            items.append((f"{ref.start_year:04d}-01-01", rank, "active"))
        else:
            items.append(("", rank, "active"))
        if ref.end_year is not None:
            items.append((f"{ref.end_year:04d}-12-31", rank, "terminated"))
    base = len(references)
    seen_dates = [e.seen for e in events if e.seen is not None]
    for rank, event in enumerate(events, start=base):
        when = event.sort_date or (event.seen.isoformat() if event.seen else "")
        items.append((when, rank, STATUS_OF_EVENT.get(event.type, "active")))
    if items:
        items.sort()
        summary.status = items[-1][2]
        dated = [date for date, _, _ in items if date]
        summary.last_event = dated[-1] if dated else None
        summary.timeline = [(date, status) for date, _, status in items]

    tiered = sorted(
        (
            (e.sort_date or (e.seen.isoformat() if e.seen else ""), i, e.tier)
            for i, e in enumerate(events)
            if e.tier
        )
    )
    summary.tier = tiered[-1][2] if tiered else None
    if seen_dates:
        summary.first_seen, summary.last_seen = min(seen_dates), max(seen_dates)
    summary.established, summary.established_conflict = established_year(events, references)
    return summary


def established_year(
    events: list[EventFact], references: list[ReferenceFact]
) -> tuple[int | None, list[dict[str, Any]] | None]:
    """(year, conflict): see the module docstring. `conflict` is None when sources agree."""
    sources: dict[int, list[str]] = defaultdict(list)
    for event in events:
        if event.established is not None:
            sources[event.established].append(event.source or "news")
        elif event.anniversary and event.sort_date:
            implied = int(event.sort_date[:4]) - event.anniversary
            sources[implied].append(f"{event.source or 'news'} (anniversary)")
    for ref in references:
        if ref.start_year is not None:
            sources[ref.start_year].append(ref.source)
    if not sources:
        agreements = sorted(
            e.sort_date for e in events if e.type == "agreement" and e.sort_date is not None
        )
        return (int(agreements[0][:4]) if agreements else None), None
    support = Counter({year: len(names) for year, names in sources.items()})
    year = sorted(support, key=lambda y: (-support[y], y))[0]
    if len(sources) == 1:
        return year, None
    conflict = [{"year": y, "sources": sorted(set(sources[y]))} for y in sorted(sources)]
    return year, conflict
