"""Whole-registry aggregates: `stats` (counts, as `amity stats` prints them) and `overview`
(the stats page: relations per year, a country x country matrix, the best-connected places).

Both read every relation; the API serves them from its response cache, computed once per
registry version (amity.api.caching).

Example:
    >>> stats(session)["relations"]["total"]  # doctest: +SKIP
    25917
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, aliased

from amity.registry.models import (
    ArticleRow,
    ClaimRow,
    EventRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
)
from amity.registry.queries.common import place_dict


def stats(session: Session) -> dict[str, Any]:
    """Counts: articles by status, places (resolved or not), relations by status, tier and
    source (news only, registry only, both), conflicts, events by type, registry rows by
    source, claims, and the ten countries with most relations.

    Example:
        >>> stats(session)["relations"]["total"]  # doctest: +SKIP
        25917
    """

    def grouped(column: Any, *where: Any) -> dict[str, int]:
        query = select(column, func.count()).group_by(column)
        for condition in where:
            query = query.where(condition)
        return {str(k): n for k, n in session.execute(query).all()}

    has_news = select(EventRow.id).where(EventRow.relation_id == RelationRow.id).exists()
    has_ref = select(ReferenceRow.id).where(ReferenceRow.relation_id == RelationRow.id).exists()
    count = lambda *where: session.scalar(  # noqa: E731
        select(func.count()).select_from(RelationRow).where(*where)
    )
    a, b = aliased(PlaceRow), aliased(PlaceRow)
    country_counts: dict[str, int] = defaultdict(int)
    for place in (a, b):
        column = a.country if place is a else b.country
        join_on = RelationRow.place_a_id == a.id if place is a else RelationRow.place_b_id == b.id
        for code, n in session.execute(
            select(column, func.count())
            .select_from(RelationRow)
            .join(place, join_on)
            .group_by(column)
        ):
            country_counts[code or "?"] += n
    top = sorted(country_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "articles": {
            "total": session.scalar(select(func.count()).select_from(ArticleRow)),
            **grouped(ArticleRow.status),
        },
        "places": {
            "total": session.scalar(select(func.count()).select_from(PlaceRow)),
            "resolved": session.scalar(
                select(func.count()).select_from(PlaceRow).where(PlaceRow.geonameid.is_not(None))
            ),
            "countries": session.scalar(select(func.count(distinct(PlaceRow.country)))),
        },
        "relations": {
            "total": count(),
            "by_status": grouped(RelationRow.status),
            "by_tier": grouped(func.coalesce(RelationRow.tier, "unknown")),
            "news_only": count(has_news, ~has_ref),
            "reference_only": count(~has_news, has_ref),
            "news_and_reference": count(has_news, has_ref),
            "established_conflicts": count(RelationRow.established_conflict.is_not(None)),
        },
        "events": {
            "total": session.scalar(select(func.count()).select_from(EventRow)),
            "by_type": grouped(EventRow.type),
        },
        "references": grouped(ReferenceRow.source),
        "claims": session.scalar(select(func.count()).select_from(ClaimRow)),
        "top_countries": dict(top),
    }


def overview(session: Session, *, matrix_size: int = 15, hubs: int = 20) -> dict[str, Any]:
    """Aggregates for the stats page: `stats` plus relations per year (established year,
    news events per year), a country x country matrix of the `matrix_size` countries with
    most relations, and the `hubs` places with most partners.

    Example:
        >>> overview(session)["hubs"][0]["name"]  # doctest: +SKIP
    """
    a, b = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
    established = {
        year: n
        for year, n in session.execute(
            select(RelationRow.established, func.count())
            .where(RelationRow.established.is_not(None))
            .group_by(RelationRow.established)
        )
    }
    start_years = {
        year: n
        for year, n in session.execute(
            select(ReferenceRow.start_year, func.count(distinct(ReferenceRow.relation_id)))
            .where(ReferenceRow.start_year.is_not(None))
            .group_by(ReferenceRow.start_year)
        )
    }
    event_year = func.substr(EventRow.sort_date, 1, 4)
    events_by_year = {
        int(year): n
        for year, n in session.execute(
            select(event_year, func.count())
            .where(EventRow.sort_date.is_not(None))
            .group_by(event_year)
        )
        if year and year.isdigit()
    }
    years = sorted(set(established) | set(events_by_year))
    per_year = [
        {
            "year": year,
            "established": established.get(year, 0),
            "registry_start": start_years.get(year, 0),
            "news_events": events_by_year.get(year, 0),
        }
        for year in years
    ]
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for code_a, code_b, n in session.execute(
        select(a.country, b.country, func.count())
        .select_from(RelationRow)
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
        .group_by(a.country, b.country)
    ):
        key = tuple(sorted((code_a or "?", code_b or "?")))
        pairs[key] += n  # type: ignore[index]
    totals: dict[str, int] = defaultdict(int)
    for (code_a, code_b), n in pairs.items():
        totals[code_a] += n
        if code_b != code_a:
            totals[code_b] += n
    countries = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:matrix_size]
    matrix = [
        [pairs.get(tuple(sorted((row, column))), 0) for column in countries]  # type: ignore[call-overload]
        for row in countries
    ]
    degree: dict[int, int] = defaultdict(int)
    for column in (RelationRow.place_a_id, RelationRow.place_b_id):
        for place_id, n in session.execute(select(column, func.count()).group_by(column)):
            degree[place_id] += n
    top = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:hubs]
    rows = {
        p.id: p
        for p in session.scalars(select(PlaceRow).where(PlaceRow.id.in_([t[0] for t in top])))
    }
    return {
        "totals": stats(session),
        "per_year": per_year,
        "matrix": {
            "countries": countries,
            "counts": matrix,
            "country_totals": [totals[c] for c in countries],
        },
        "hubs": [{**place_dict(rows[pid]), "partners": n} for pid, n in top],
        "countries": sorted(totals),
    }
