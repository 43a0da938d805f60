"""Read-only queries over the registry, returning plain dicts (JSON-ready) for the CLI and API.

    show(session, "Changchun")            the place(s) named so, each with partners, timeline, sources
    relations(session, country="CN", ...)  one row per relation, filtered
    stats(session)                         counts of articles, places, relations, events, sources

Example:
    >>> from amity.registry import open_registry
    >>> from amity.registry.queries import relations
    >>> with open_registry("sqlite:///:memory:").session() as session:
    ...     relations(session, status="active")
    []
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sqlalchemy import Select, and_, distinct, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from amity.registry.merge import normalise_name
from amity.registry.review import review_dict
from amity.registry.models import (
    ArticleRow,
    ClaimRow,
    EventRow,
    PlaceNameRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
)

RELATION_COLUMNS = (
    "id",
    "a",
    "a_country",
    "b",
    "b_country",
    "tier",
    "status",
    "established",
    "established_conflict",
    "first_seen",
    "last_seen",
    "last_event",
    "events",
    "sources",
)
SOURCES = ("news", "wikipedia-list", "wikidata")
_NAME_COUNTRY = re.compile(r"^(.*?)\s*,\s*([A-Za-z]{2})$")


def place_dict(place: PlaceRow) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "kind": place.kind,
        "parent": place.parent,
    }


def find_places(session: Session, query: str) -> list[PlaceRow]:
    """Places matching `query`: a geonameid ("1833747"), "name, CC", or a name as written or
    canonical (case and accents ignored). Most connected first."""
    query = query.strip()
    country = None
    if query.isdigit():
        condition = PlaceRow.geonameid == int(query)
    else:
        match = _NAME_COUNTRY.match(query)
        if match:
            query, country = match.group(1), match.group(2).upper()
        names = select(PlaceNameRow.place_id).where(
            PlaceNameRow.search_name == normalise_name(query)
        )
        condition = PlaceRow.id.in_(names)
        if country:
            condition = and_(condition, PlaceRow.country == country)
    places = list(session.scalars(select(PlaceRow).where(condition)))
    degree = _degrees(session, [p.id for p in places])
    return sorted(places, key=lambda p: (-degree.get(p.id, 0), p.id))


def _degrees(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    counts: dict[int, int] = defaultdict(int)
    for column in (RelationRow.place_a_id, RelationRow.place_b_id):
        for place_id, n in session.execute(
            select(column, func.count()).where(column.in_(ids)).group_by(column)
        ):
            counts[place_id] += n
    return counts


def show(session: Session, query: str) -> list[dict[str, Any]]:
    """Each place matching `query` with its partners; each partner with the relation's
    status, tier, established year (and conflicts), news timeline (date, event, evidence,
    officials, fields, organisations, article) and registry sources.

    Example:
        >>> show(session, "Changchun")[0]["partners"][0]["partner"]["name"]  # doctest: +SKIP
        'Ulsan'
    """
    return [place_view(session, place) for place in find_places(session, query)]


def place_view(session: Session, place: PlaceRow) -> dict[str, Any]:
    """One place with its names and partners (as `show` returns each match)."""
    rels = session.scalars(
        select(RelationRow)
        .where(or_(RelationRow.place_a_id == place.id, RelationRow.place_b_id == place.id))
        .options(
            selectinload(RelationRow.place_a),
            selectinload(RelationRow.place_b),
            selectinload(RelationRow.references),
            selectinload(RelationRow.reviews),
            selectinload(RelationRow.events).selectinload(EventRow.article),
            selectinload(RelationRow.events).selectinload(EventRow.officials),
            selectinload(RelationRow.events).selectinload(EventRow.organisations),
            selectinload(RelationRow.events).selectinload(EventRow.fields),
        )
    ).all()
    partners = [_partner(place, rel) for rel in rels]
    partners.sort(key=lambda p: (p["news"] == [], p["partner"]["name"].casefold()))
    return {
        "place": place_dict(place),
        "names": [n.name for n in place.names],
        "partners": partners,
    }


def _partner(place: PlaceRow, rel: RelationRow) -> dict[str, Any]:
    other = rel.place_b if rel.place_a_id == place.id else rel.place_a
    timeline = sorted(rel.events, key=lambda e: (e.sort_date or "9999", e.id))
    return {
        "relation_id": rel.id,
        "partner": place_dict(other),
        "tier": rel.tier,
        "status": rel.status,
        "established": rel.established,
        "established_conflict": rel.established_conflict,
        "first_seen": _iso(rel.first_seen),
        "last_seen": _iso(rel.last_seen),
        "sources": _sources(bool(rel.events), [r.source for r in rel.references]),
        "review": rel.review,
        "reviews": [review_dict(r) for r in rel.reviews],
        "news": [_event(e) for e in timeline],
        "references": [
            {"source": r.source, "start_year": r.start_year, "end_year": r.end_year, "raw": r.raw}
            for r in rel.references
        ],
    }


def _event(event: EventRow) -> dict[str, Any]:
    article = event.article
    return {
        "event": event.type,
        "tier": event.tier,
        "event_date": event.date,
        "date_precision": event.date_precision,
        "sort_date": event.sort_date,
        "established": event.established,
        "anniversary": event.anniversary,
        "confidence": event.confidence,
        "evidence": event.evidence,
        "officials": [{"name": o.name, "role": o.role, "of": o.of} for o in event.officials],
        "fields": [f.name for f in event.fields],
        "organizations": [o.name for o in event.organisations],
        "article": {
            "id": article.id,
            "external_id": article.external_id,
            "title": article.title,
            "url": article.url,
            "published": _iso(article.published),
            "source": article.source,
        },
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _sources(has_news: bool, references: list[str]) -> list[str]:
    found = ["news"] if has_news else []
    return found + sorted(set(references))


def relations(
    session: Session,
    *,
    country: str | None = None,
    since: int | None = None,
    status: str | None = None,
    tier: str | None = None,
    source: str | None = None,
    place: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Relations, one dict per pair (keys: RELATION_COLUMNS), ordered by place names.

    :param country: ISO2 code of either side.
    :param since: a year: relations with a fact dated in or after it (news event,
        established year, registry start/end year).
    :param status: proposed | active | suspended | terminated | unknown.
    :param tier: sister | friendly.
    :param source: news | wikipedia-list | wikidata: relations with evidence from it.
    :param place: a place query as in `show` (either side).
    :param limit: at most this many rows.

    Example:
        >>> relations(session, country="CN", since=2020, status="active")  # doctest: +SKIP
    """
    a, b = aliased(PlaceRow), aliased(PlaceRow)
    events = (
        select(func.count(EventRow.id))
        .where(EventRow.relation_id == RelationRow.id)
        .scalar_subquery()
    )
    query: Select[Any] = (
        select(RelationRow, a, b, events.label("events"))
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
    )
    if country:
        query = query.where(or_(a.country == country.upper(), b.country == country.upper()))
    if status:
        query = query.where(RelationRow.status == status)
    if tier:
        query = query.where(RelationRow.tier == tier)
    if since is not None:
        query = query.where(
            or_(
                RelationRow.last_event >= f"{since:04d}-01-01",
                RelationRow.established >= since,
            )
        )
    if source == "news":
        query = query.where(
            select(EventRow.id).where(EventRow.relation_id == RelationRow.id).exists()
        )
    elif source:
        query = query.where(
            select(ReferenceRow.id)
            .where(ReferenceRow.relation_id == RelationRow.id, ReferenceRow.source == source)
            .exists()
        )
    if place:
        ids = [p.id for p in find_places(session, place)]
        query = query.where(or_(RelationRow.place_a_id.in_(ids), RelationRow.place_b_id.in_(ids)))
    query = query.order_by(a.name, b.name, RelationRow.id)
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    refs: dict[int, set[str]] = defaultdict(set)
    ids = [row[0].id for row in rows]
    for chunk in range(0, len(ids), 5000):
        for relation_id, ref_source in session.execute(
            select(ReferenceRow.relation_id, ReferenceRow.source).where(
                ReferenceRow.relation_id.in_(ids[chunk : chunk + 5000])
            )
        ):
            refs[relation_id].add(ref_source)
    return [
        {
            "id": rel.id,
            "a": pa.name,
            "a_country": pa.country,
            "b": pb.name,
            "b_country": pb.country,
            "tier": rel.tier,
            "status": rel.status,
            "established": rel.established,
            "established_conflict": rel.established_conflict,
            "first_seen": _iso(rel.first_seen),
            "last_seen": _iso(rel.last_seen),
            "last_event": rel.last_event,
            "events": n_events,
            "sources": _sources(n_events > 0, list(refs.get(rel.id, ()))),
        }
        for rel, pa, pb, n_events in rows
    ]


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
