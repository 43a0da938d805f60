"""Anniversaries: relations whose established year makes a round anniversary in a window.

`anniversaries(session, start=date(2024, 5, 1), days=60)` lists, for every relation with an
established year, each round anniversary (10, 20, 25, 30, 40, 50, 60, 70, 75, ...; with
`round_to=5` every fifth year, `round_to=10` every tenth) that falls between `start` and
`start + days`. The day is known when the news dated the founding agreement (an
`agreement` event in the established year, to the day) — `date_from: "founding"` — or an
anniversary celebration on a day (`date_from: "anniversary"`: the day it was celebrated,
which is often, not always, the founding day). Otherwise only the year is known: the
relation is listed when its anniversary year overlaps the window, with `date` None.

Example:
    >>> import datetime as dt
    >>> due = anniversaries(session, start=dt.date(2024, 5, 1), days=60)  # doctest: +SKIP
    >>> due[0]["years"], due[0]["date"]  # doctest: +SKIP
    (30, '2024-05-24')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analysis.reconcile import items_of
from amity.registry.models import EventRow, RelationRow
from amity.registry.queries.filters import RelationFilter, relation_conditions

_DAY_PRECISION = ("day", "month-day")
_CHUNK = 5000


def is_round(years: int, round_to: int | None = None) -> bool:
    """Whether `years` is an anniversary worth listing.

    >>> [n for n in range(1, 80) if is_round(n)]
    [10, 20, 25, 30, 40, 50, 60, 70, 75]
    >>> [n for n in range(1, 21) if is_round(n, 5)]
    [5, 10, 15, 20]
    """
    if years <= 0:
        return False
    if round_to:
        return years % round_to == 0
    return years % 10 == 0 or years % 25 == 0


def anniversaries(
    session: Session,
    start: dt.date | None = None,
    days: int = 90,
    round_to: int | None = None,
    filters: RelationFilter | None = None,
) -> list[dict[str, Any]]:
    """Round anniversaries between `start` (default today) and `start + days`, dated ones
    first in date order, then the year-only ones by year and name. Each item: the
    relation (`relation`: both places, tier, status, established), `years`, `year`,
    `date` (YYYY-MM-DD or None) and `date_from` (founding | anniversary | None)."""
    start = start or dt.date.today()
    end = start + dt.timedelta(days=max(0, days))
    where = relation_conditions(session, filters) if filters else []
    due: dict[int, list[int]] = {}  # relation id -> anniversary years in the window's years
    query = select(RelationRow.id, RelationRow.established).where(
        RelationRow.established.is_not(None), *where
    )
    for rid, established in session.execute(query):
        years = [y for y in range(start.year, end.year + 1) if is_round(y - established, round_to)]
        if years:
            due[rid] = years
    if not due:
        return []
    ids = list(due)
    days_known: dict[int, tuple[str, str]] = {}
    for first in range(0, len(ids), _CHUNK):  # SQLite: at most 32,766 parameters
        days_known.update(_founding_days(session, ids[first : first + _CHUNK]))
    items = {item["id"]: item for item in items_of(session, ids)}
    found = []
    for rid, years in due.items():
        item = items[rid]
        month_day, date_from = days_known.get(rid, (None, None))
        for year in years:
            date = _on(year, month_day) if month_day else None
            if date is not None and not start <= date <= end:
                continue
            found.append(
                {
                    "relation": {
                        "id": rid,
                        "a": item["a"],
                        "b": item["b"],
                        "tier": item["tier"],
                        "status": item["status"],
                        "established": item["established"],
                        "sources": item["sources"],
                    },
                    "years": year - item["established"],
                    "year": year,
                    "date": date.isoformat() if date else None,
                    "date_from": date_from if date else None,
                }
            )
    found.sort(
        key=lambda f: (
            f["date"] is None,
            f["date"] or "",
            f["year"],
            f["relation"]["a"]["name"],
            f["relation"]["b"]["name"],
        )
    )
    return found


def _on(year: int, month_day: str) -> dt.date:
    month, day = int(month_day[:2]), int(month_day[3:5])
    if (month, day) == (2, 29):  # a 29 February founding is kept on the 28th in common years
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def _founding_days(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Month and day ("MM-DD") of each relation's founding, with where it came from: a
    day-precise agreement in the established year, else a day-precise anniversary event
    whose number and date imply the established year."""
    found: dict[int, tuple[str, str]] = {}
    query = (
        select(
            EventRow.relation_id,
            EventRow.type,
            EventRow.sort_date,
            EventRow.anniversary,
            RelationRow.established,
        )
        .join(RelationRow, EventRow.relation_id == RelationRow.id)
        .where(
            EventRow.relation_id.in_(ids),
            EventRow.type.in_(("agreement", "anniversary")),
            EventRow.date_precision.in_(_DAY_PRECISION),
            EventRow.sort_date.is_not(None),
        )
        .order_by(EventRow.id)
    )
    for rid, type_, sort_date, anniversary, established in session.execute(query):
        year, month_day = int(sort_date[:4]), sort_date[5:10]
        if type_ == "agreement" and year == established:
            found[rid] = (month_day, "founding")  # wins over a celebration
        elif (
            type_ == "anniversary"
            and anniversary
            and year - anniversary == established
            and found.get(rid, ("", ""))[1] != "founding"
        ):
            found.setdefault(rid, (month_day, "anniversary"))
    return found
