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
import threading
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    and_,
    any_,
    distinct,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session, aliased, selectinload

from amity.registry.merge import normalise_name
from amity.registry.models import (
    ArticleRow,
    ClaimRow,
    EventRow,
    PlaceNameRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
)
from amity.registry.review import review_dict

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


# --- browsing: the API and the web map ----------------------------------------------------
# Paginated relation lists, one place or article by id, search, chart aggregates and the
# compact map layer. Everything is aggregated in SQL so that a registry of ~100k relations
# answers in milliseconds; results are plain JSON-ready dicts like the rest of this module.

RELATION_SORTS = {
    "a": "a.name",
    "b": "b.name",
    "established": "established",
    "last_event": "last_event",
    "status": "status",
    "id": "id",
}
RELATIONS_MAX_LIMIT = 500
# sorting by place name: up to SORT_FEW matches (SORT_MATCHES_FIRST when they belong to a
# few places) are sorted, more are met by walking places in name order
SORT_FEW = 2_000
SORT_MATCHES_FIRST = 25_000


def _relation_filters(
    session: Session,
    a: Any,
    b: Any,
    *,
    place_id: int | None = None,
    place: str | None = None,
    country: str | None = None,
    tier: str | None = None,
    status: str | None = None,
    event: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    q: str | None = None,
    source: str | None = None,
    review: str | None = None,
    walk: bool = False,
) -> list[Any]:
    """WHERE conditions shared by `list_relations`, `relations_geojson` and counts.

    They only read `relation` columns (no join needed). Place conditions (place, country,
    q) read the place ids first and test place_a_id / place_b_id against them: two index
    look-ups OR-ed, where an OR of two IN (subquery) tests would test every relation.
    Events and references in a year range are IN (subquery), evaluated once.
    `walk=True` keeps tier and status off their indexes (see `list_relations`)."""
    where: list[Any] = []
    if place_id is not None:
        where.append(or_(RelationRow.place_a_id == place_id, RelationRow.place_b_id == place_id))
    if place:
        ids = [p.id for p in find_places(session, place)]
        where.append(_either_side_in(session, ids))
    if country:
        in_country = select(PlaceRow.id).where(PlaceRow.country == country.upper())
        where.append(_touching(session, in_country))
    if walk:  # the caller walks places in name order: keep SQLite off the tier/status index
        if tier:
            where.append(RelationRow.tier.concat("") == tier)
        if status:
            where.append(RelationRow.status.concat("") == status)
    else:
        if tier:
            where.append(RelationRow.tier == tier)
        if status:
            where.append(RelationRow.status == status)
    if event:
        where.append(RelationRow.id.in_(select(EventRow.relation_id).where(EventRow.type == event)))
    if year_from is not None or year_to is not None:
        # a fact in the range: the established year, a news event, or a registry start year
        low, high = year_from or 0, year_to or 9999
        # IN (subquery) is evaluated once (an index range each: ix_event_sort_date_relation_id,
        # ix_reference_relation_start_year_relation_id); a correlated EXISTS would run once
        # per relation. An OR, not a UNION: PostgreSQL then tests it while walking places in
        # name order, instead of joining every match first
        where.append(
            or_(
                and_(RelationRow.established >= low, RelationRow.established <= high),
                RelationRow.id.in_(
                    select(EventRow.relation_id).where(
                        EventRow.sort_date >= f"{low:04d}-01-01",
                        EventRow.sort_date <= f"{high:04d}-12-31",
                    )
                ),
                RelationRow.id.in_(
                    select(ReferenceRow.relation_id).where(
                        ReferenceRow.start_year >= low, ReferenceRow.start_year <= high
                    )
                ),
            )
        )
    if q:
        needle = f"%{_like_escape(normalise_name(q))}%"
        names = (
            select(PlaceNameRow.place_id)
            .where(PlaceNameRow.search_name.like(needle, escape="\\"))
            .distinct()
        )
        where.append(_touching(session, names))
    if source == "news":
        where.append(RelationRow.id.in_(select(EventRow.relation_id)))
    elif source:
        where.append(
            RelationRow.id.in_(
                select(ReferenceRow.relation_id).where(ReferenceRow.source == source)
            )
        )
    if review == "none":
        where.append(RelationRow.review.is_(None))
    elif review:
        where.append(RelationRow.review == review)
    return where


_INLINE_PLACE_IDS = 5000


def _touching(session: Session, place_ids: Select[Any]) -> Any:
    """The relations with either side in `place_ids` (a subquery of place ids).

    Up to _INLINE_PLACE_IDS places are read first and given as lists, which both backends
    answer with two index look-ups (ix_relation_place_b_id and the (place_a_id, place_b_id)
    key) OR-ed together; more, and it is a UNION of the two look-ups in SQL."""
    ids = list(session.scalars(place_ids.limit(_INLINE_PLACE_IDS + 1)))
    if len(ids) <= _INLINE_PLACE_IDS:
        return _either_side_in(session, ids)
    return RelationRow.id.in_(
        union(
            select(RelationRow.id).where(RelationRow.place_a_id.in_(place_ids)),
            select(RelationRow.id).where(RelationRow.place_b_id.in_(place_ids)),
        )
    )


def _either_side_in(session: Session, ids: list[int]) -> Any:
    """place_a_id or place_b_id in `ids`; on PostgreSQL as one array parameter
    (`= ANY(%(ids)s)`): thousands of separate parameters cost more to bind and plan than the
    index look-ups they feed."""
    if session.get_bind().dialect.name == "postgresql":
        array = literal(sorted(set(ids)), ARRAY(Integer))
        return or_(RelationRow.place_a_id == any_(array), RelationRow.place_b_id == any_(array))
    return or_(RelationRow.place_a_id.in_(ids), RelationRow.place_b_id.in_(ids))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_relations(
    session: Session,
    *,
    sort: str = "a",
    limit: int = 50,
    offset: int = 0,
    **filters: Any,
) -> dict[str, Any]:
    """One page of relations: {"total", "limit", "offset", "items": [...]} (items as in
    `relations`, plus place ids and the review verdict).

    :param filters: place_id, place, country, tier, status, event (an event type: intent,
        agreement, anniversary, ...), year_from/year_to (a fact dated in the range), q
        (part of either place's name), source, review (confirm|correct|reject|none).
    :param sort: a key of RELATION_SORTS, "-" first for descending ("-established").
    :param limit: page size, at most RELATIONS_MAX_LIMIT.

    Example:
        >>> list_relations(session, country="CN", year_from=1990, sort="-established")  # doctest: +SKIP
    """
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in RELATION_SORTS:
        raise ValueError(f"sort must be one of {', '.join(RELATION_SORTS)} (prefix - to reverse)")
    limit = max(1, min(int(limit), RELATIONS_MAX_LIMIT))
    offset = max(0, int(offset))
    a, b = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
    where = _relation_filters(session, a, b, **filters)
    total = session.scalar(select(func.count()).select_from(RelationRow).where(*where))
    # 1. the page's ids: only `relation` (plus the places when sorting by name), no
    # per-row work; 2. the rows, event counts and sources of those ids alone
    rel: Any = RelationRow
    page = select(RelationRow.id)
    dialect = session.get_bind().dialect.name
    place_a_id, place_b_id = RelationRow.place_a_id, RelationRow.place_b_id
    if key in ("a", "b") and total > SORT_MATCHES_FIRST and dialect == "sqlite":
        # many matches: walking the sorted side's places in name order meets a page of them
        # soon. SQLite's statistics have no histograms, so it would rather take
        # ix_relation_status for status=active (90% of relations), or walk the other side,
        # and sort them all: keep it off those indexes (`x || ''`, `x + 0` are not indexed)
        where = _relation_filters(session, a, b, walk=True, **filters)
        if key == "a":
            place_b_id = place_b_id + 0
        else:
            place_a_id = place_a_id + 0
    few = total <= SORT_FEW or (
        total <= SORT_MATCHES_FIRST and any(filters.get(k) for k in ("place_id", "place", "q"))
    )
    if key in ("a", "b") and where and few and dialect == "postgresql":
        # PostgreSQL walks places in name order (ix_place_name) when it expects to meet a
        # page of matches early, which holds for matches spread over many places; but the
        # relations of one place (or a few: place, q) can sit at the end of the walk, and
        # sorting few matches is cheap anyway: then fence the matches off and sort them
        rel = (
            select(RelationRow.id, RelationRow.place_a_id, RelationRow.place_b_id)
            .where(*where)
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        page = select(rel.c.id)
        where = []
    column = {
        "a": a.name,
        "b": b.name,
        "established": RelationRow.established,
        "last_event": RelationRow.last_event,
        "status": RelationRow.status,
        "id": RelationRow.id,
    }[key]
    ordering = [column.desc() if descending else column.asc()]
    if key in ("established", "last_event"):
        ordering.insert(0, column.is_(None))  # unknown years last, both ways
    if key == "a":
        ordering.append(b.name.desc() if descending else b.name.asc())
    ordering.append(rel.id if rel is RelationRow else rel.c.id)
    if key in ("a", "b"):
        if rel is not RelationRow:
            place_a_id, place_b_id = rel.c.place_a_id, rel.c.place_b_id
        page = page.join(a, place_a_id == a.id).join(b, place_b_id == b.id)
    ids = list(session.scalars(page.where(*where).order_by(*ordering).limit(limit).offset(offset)))
    rows = []
    n_events: dict[int, int] = {}
    refs: dict[int, set[str]] = defaultdict(set)
    if ids:
        found = {
            row[0].id: row
            for row in session.execute(
                select(RelationRow, a, b)
                .join(a, RelationRow.place_a_id == a.id)
                .join(b, RelationRow.place_b_id == b.id)
                .where(RelationRow.id.in_(ids))
            )
        }
        rows = [found[i] for i in ids if i in found]
        n_events = dict(
            session.execute(  # type: ignore[arg-type]
                select(EventRow.relation_id, func.count())
                .where(EventRow.relation_id.in_(ids))
                .group_by(EventRow.relation_id)
            ).all()
        )
        for relation_id, ref_source in session.execute(
            select(ReferenceRow.relation_id, ReferenceRow.source).where(
                ReferenceRow.relation_id.in_(ids)
            )
        ):
            refs[relation_id].add(ref_source)
    items = [
        {
            "id": rel.id,
            "a": place_dict(pa),
            "b": place_dict(pb),
            "tier": rel.tier,
            "status": rel.status,
            "established": rel.established,
            "established_conflict": rel.established_conflict,
            "first_seen": _iso(rel.first_seen),
            "last_seen": _iso(rel.last_seen),
            "last_event": rel.last_event,
            "events": n_events.get(rel.id, 0),
            "sources": _sources(rel.id in n_events, list(refs.get(rel.id, ()))),
            "review": rel.review,
        }
        for rel, pa, pb in rows
    ]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def get_place(session: Session, place_id: int) -> dict[str, Any] | None:
    """The place with this id: names, partners, each partner's timeline (events with
    evidence and article) and registry sources; None when there is none.

    Example:
        >>> get_place(session, 1)["partners"][0]["news"][0]["evidence"]  # doctest: +SKIP
    """
    place = session.get(PlaceRow, place_id)
    return None if place is None else place_view(session, place)


def get_relation(session: Session, relation_id: int) -> dict[str, Any] | None:
    """One relation as seen from its first place (a partner entry of `get_place`), plus
    both places; None when there is none."""
    rel = session.get(RelationRow, relation_id)
    if rel is None:
        return None
    view = _partner(rel.place_a, rel)
    view["a"] = place_dict(rel.place_a)
    view["b"] = view.pop("partner")
    return view


def split_evidence(text: str, sentences: dict[str, list[int]]) -> list[dict[str, Any]]:
    """Cut `text` into segments, marking each evidence sentence found in it:
    [{"text": ..., "evidence": bool, "relations": [relation ids]}]. A sentence is found
    verbatim, else with any run of whitespace matching any other; unfound ones are skipped.

    Example:
        >>> split_evidence("A. B twins C. D.", {"B twins C.": [7]})
        [{'text': 'A. ', 'evidence': False, 'relations': []}, {'text': 'B twins C.', 'evidence': True, 'relations': [7]}, {'text': ' D.', 'evidence': False, 'relations': []}]
    """
    spans: list[tuple[int, int, list[int]]] = []
    for sentence, relation_ids in sentences.items():
        sentence = sentence.strip()
        if not sentence:
            continue
        start = text.find(sentence)
        if start >= 0:
            spans.append((start, start + len(sentence), relation_ids))
            continue
        pattern = r"\s+".join(re.escape(word) for word in sentence.split())
        match = re.search(pattern, text)
        if match:
            spans.append((match.start(), match.end(), relation_ids))
    spans.sort()
    segments: list[dict[str, Any]] = []
    position = 0
    for start, end, relation_ids in spans:
        if start < position:  # overlapping sentences: extend the previous mark
            if segments and segments[-1]["evidence"] and end > position:
                segments[-1]["text"] += text[position:end]
                segments[-1]["relations"] = sorted(
                    set(segments[-1]["relations"]) | set(relation_ids)
                )
                position = end
            continue
        if start > position:
            segments.append({"text": text[position:start], "evidence": False, "relations": []})
        segments.append(
            {"text": text[start:end], "evidence": True, "relations": sorted(set(relation_ids))}
        )
        position = end
    if position < len(text):
        segments.append({"text": text[position:], "evidence": False, "relations": []})
    return segments


def get_article(session: Session, article_id: int) -> dict[str, Any] | None:
    """The article with this id: metadata, its text cut into segments with the evidence
    sentences marked (`split_evidence`), and the facts read from it; None when there is none.
    Articles stored before the text was kept have `segments` built from the evidence alone."""
    article = session.get(ArticleRow, article_id)
    if article is None:
        return None
    events = session.scalars(
        select(EventRow)
        .where(EventRow.article_id == article.id)
        .options(
            selectinload(EventRow.relation).selectinload(RelationRow.place_a),
            selectinload(EventRow.relation).selectinload(RelationRow.place_b),
        )
        .order_by(EventRow.id)
    ).all()
    sentences: dict[str, list[int]] = {}
    for event in events:
        for sentence in event.evidence or []:
            sentences.setdefault(sentence, []).append(event.relation_id)
    text = article.text
    if text is None:
        text = "\n".join(sentences)
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "url": article.url,
        "published": _iso(article.published),
        "source": article.source,
        "language": article.language,
        "status": article.status,
        "error": article.error,
        "ingested_at": article.ingested_at.isoformat() + "Z",
        "has_text": article.text is not None,
        "segments": split_evidence(text, sentences),
        "facts": [
            {
                "relation_id": event.relation_id,
                "a": place_dict(event.relation.place_a),
                "b": place_dict(event.relation.place_b),
                "event": event.type,
                "tier": event.tier,
                "event_date": event.date,
                "established": event.established,
                "evidence": event.evidence,
            }
            for event in events
        ],
    }


# Search keeps every distinct place name in memory, sorted (prefix matches by bisection) with
# the places seen under it, built once per generation of the place_name table (its row count
# and highest id); fuzzy matches of a query are remembered for that generation too.
@dataclass
class _NameIndex:
    stamp: tuple[Any, ...]
    names: list[str]  # distinct search names, sorted (code point order)
    places: list[tuple[int, ...]]  # the place ids of each name
    fuzzy: dict[str, list[tuple[int, float]]] = field(default_factory=dict)


_NAME_INDEX: dict[str, _NameIndex] = {}
_NAME_INDEX_LOCK = threading.Lock()
_FUZZY_CACHE_SIZE = 1024


def _name_index(session: Session) -> _NameIndex:
    stamp = tuple(session.execute(select(func.count(), func.max(PlaceNameRow.id))).one())
    url = str(session.get_bind().engine.url)
    cached = _NAME_INDEX.get(url)
    if cached is None or cached.stamp != stamp:
        by_name: dict[str, set[int]] = defaultdict(set)
        for name, place_id in session.execute(
            select(PlaceNameRow.search_name, PlaceNameRow.place_id)
        ):
            by_name[name].add(place_id)
        names = sorted(by_name)
        cached = _NameIndex(stamp, names, [tuple(sorted(by_name[n])) for n in names])
        with _NAME_INDEX_LOCK:
            _NAME_INDEX[url] = cached
    return cached


def _fuzzy_matches(index: _NameIndex, needle: str, limit: int) -> list[tuple[int, float]]:
    """(place id, WRatio score) of the `limit` names most like `needle` (score >= 80)."""
    from rapidfuzz import fuzz, process

    key = f"{limit}\x00{needle}"
    found = index.fuzzy.get(key)
    if found is None:
        found = [
            (place_id, float(score))
            for _name, score, i in process.extract(
                needle, index.names, scorer=fuzz.WRatio, limit=limit, score_cutoff=80
            )
            for place_id in index.places[i]
        ]
        with _NAME_INDEX_LOCK:
            if len(index.fuzzy) >= _FUZZY_CACHE_SIZE:
                index.fuzzy.pop(next(iter(index.fuzzy)))
            index.fuzzy[key] = found
    return found


def _search_places(
    session: Session, query: str, limit: int, *, top_only: bool = False
) -> list[tuple[int, float, str]]:
    """(place id, score 0-100, how) for `query`: prefix matches first, then fuzzy ones.
    With `top_only` the caller keeps the `limit` best scores only: fuzzy matches (at most 90)
    never beat prefix ones (at least 93), so with `limit` prefix matches they are skipped."""
    needle = normalise_name(query)
    if not needle:
        return []
    index = _name_index(session)
    found: dict[int, tuple[float, str]] = {}
    # the names starting with the needle are one slice of the sorted list; the shortest
    # (best scored) first, up to 200 places and the rest of the last length (same score)
    start = bisect_left(index.names, needle)
    end = bisect_left(index.names, needle[:-1] + chr(ord(needle[-1]) + 1), lo=start)
    seen, last_length = 0, 0
    for i in sorted(range(start, end), key=lambda i: len(index.names[i])):
        name = index.names[i]
        if seen >= 200 and len(name) != last_length:
            break
        last_length = len(name)
        score = 100.0 if name == needle else 95.0 - min(len(name) - len(needle), 20) * 0.1
        for place_id in index.places[i]:
            seen += 1
            if score > found.get(place_id, (0.0, ""))[0]:
                found[place_id] = (score, "exact" if name == needle else "prefix")
    if len(needle) >= 3 and not (top_only and len(found) >= limit):
        for place_id, score in _fuzzy_matches(index, needle, limit * 3):
            if place_id not in found:
                found[place_id] = (min(score, 90.0), "fuzzy")
    return [(pid, score, how) for pid, (score, how) in found.items()]


def search(session: Session, query: str, *, limit: int = 10) -> dict[str, Any]:
    """Places whose names start with `query` or resemble it (rapidfuzz), most relevant and
    best connected first, and relations: those between the two sides of a query like
    "Changchun - Ulsan" (or "and", "/", "&"), else those of the best-matching place.

    Example:
        >>> search(session, "ulsa")["places"][0]["name"]  # doctest: +SKIP
        'Ulsan'
    """
    limit = max(1, min(limit, 50))
    sides = [s for s in re.split(r"\s+(?:-|–|—|/|&|and)\s+", query.strip(), maxsplit=1) if s]
    scored = _search_places(session, sides[0] if len(sides) == 2 else query, limit, top_only=True)
    degree = _degrees(session, [pid for pid, _, _ in scored])
    scored.sort(key=lambda t: (-t[1], -degree.get(t[0], 0), t[0]))
    scored = scored[:limit]
    rows = {
        p.id: p
        for p in session.scalars(select(PlaceRow).where(PlaceRow.id.in_([t[0] for t in scored])))
    }
    places = [
        {
            **place_dict(rows[pid]),
            "partners": degree.get(pid, 0),
            "score": round(score, 1),
            "match": how,
        }
        for pid, score, how in scored
        if pid in rows
    ]
    relation_filter: dict[str, Any] = {}
    if len(sides) == 2 and places:
        others = [pid for pid, _, _ in _search_places(session, sides[1], limit)]
        first = [p["id"] for p in places]
        relation_filter = {"pairs": (first, others)}
    elif places:
        relation_filter = {"place_id": places[0]["id"]}
    found_relations: list[dict[str, Any]] = []
    if "pairs" in relation_filter:
        first, others = relation_filter["pairs"]
        if others:
            rels = session.scalars(
                select(RelationRow)
                .where(
                    or_(
                        and_(RelationRow.place_a_id.in_(first), RelationRow.place_b_id.in_(others)),
                        and_(RelationRow.place_b_id.in_(first), RelationRow.place_a_id.in_(others)),
                    )
                )
                .limit(limit)
            ).all()
            found_relations = [_relation_brief(r) for r in rels]
    elif relation_filter:
        found_relations = list_relations(session, limit=limit, **relation_filter)["items"]
        found_relations = [
            {k: item[k] for k in ("id", "a", "b", "tier", "status", "established")}
            for item in found_relations
        ]
    return {"query": query, "places": places, "relations": found_relations}


def _relation_brief(rel: RelationRow) -> dict[str, Any]:
    return {
        "id": rel.id,
        "a": place_dict(rel.place_a),
        "b": place_dict(rel.place_b),
        "tier": rel.tier,
        "status": rel.status,
        "established": rel.established,
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


def _compact(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in properties.items() if v is not None}


def registry_version(session: Session) -> tuple[Any, ...]:
    """A stamp that changes whenever relations, events, references or reviews change
    (highest ids and the relation count): cheap, and enough to invalidate cached views."""
    from amity.registry.models import ReviewRow

    return tuple(
        session.execute(
            select(
                select(func.max(RelationRow.id)).scalar_subquery(),
                select(func.count()).select_from(RelationRow).scalar_subquery(),
                select(func.max(EventRow.id)).scalar_subquery(),
                select(func.max(ReferenceRow.id)).scalar_subquery(),
                select(func.max(ReviewRow.id)).scalar_subquery(),
                select(func.max(PlaceRow.id)).scalar_subquery(),
            )
        ).one()
    )


_GEOJSON_CACHE: dict[tuple[Any, ...], bytes] = {}


def relations_geojson_bytes(session: Session, **filters: Any) -> bytes:
    """`relations_geojson` serialised compactly (UTF-8 JSON), cached until the registry
    changes (`registry_version`): the full map layer is built once, then served from memory.

    Example:
        >>> relations_geojson_bytes(session)[:30]  # doctest: +SKIP
        b'{"type":"FeatureCollection","f'
    """
    import json

    key = (
        str(session.get_bind().engine.url),
        registry_version(session),
        tuple(sorted(filters.items())),
    )
    body = _GEOJSON_CACHE.get(key)
    if body is None:
        data = relations_geojson(session, **filters)
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(_GEOJSON_CACHE) >= 16:
            _GEOJSON_CACHE.pop(next(iter(_GEOJSON_CACHE)))
        _GEOJSON_CACHE[key] = body
    return body


def relations_geojson(session: Session, **filters: Any) -> dict[str, Any]:
    """The map layer: a GeoJSON FeatureCollection of Point features (places with
    coordinates: id, name, country, partner count `n`) followed by LineString features
    (relations whose two places have coordinates: id, place ids `a`/`b`, status `s`, tier
    `t`, established `e`, review `r`). Coordinates are rounded to 3 decimals and property
    names are short: 26k relations come to about 3 MB (about 0.6 MB gzipped).

    :param filters: as in `list_relations`.

    Example:
        >>> relations_geojson(session, status="active")["features"][0]["geometry"]  # doctest: +SKIP
    """
    a, b = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
    where = _relation_filters(session, a, b, **filters)
    rows = session.execute(
        select(
            RelationRow.id,
            RelationRow.status,
            RelationRow.tier,
            RelationRow.established,
            RelationRow.review,
            a.id,
            a.lon,
            a.lat,
            b.id,
            b.lon,
            b.lat,
        )
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
        .where(
            *where, a.lat.is_not(None), a.lon.is_not(None), b.lat.is_not(None), b.lon.is_not(None)
        )
        .order_by(RelationRow.id)
    ).all()
    degree: dict[int, int] = defaultdict(int)
    lines = []
    for rid, status, tier, est, review, a_id, a_lon, a_lat, b_id, b_lon, b_lat in rows:
        degree[a_id] += 1
        degree[b_id] += 1
        lines.append(
            {
                "type": "Feature",
                "id": rid,
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(a_lon, 3), round(a_lat, 3)],
                        [round(b_lon, 3), round(b_lat, 3)],
                    ],
                },
                "properties": _compact(
                    {"a": a_id, "b": b_id, "s": status, "t": tier, "e": est, "r": review}
                ),
            }
        )
    points = []
    ids = list(degree)
    for chunk in range(0, len(ids), 5000):
        for place in session.execute(
            select(PlaceRow.id, PlaceRow.name, PlaceRow.country, PlaceRow.lon, PlaceRow.lat).where(
                PlaceRow.id.in_(ids[chunk : chunk + 5000])
            )
        ):
            points.append(
                {
                    "type": "Feature",
                    "id": place.id,
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(place.lon, 3), round(place.lat, 3)],
                    },
                    "properties": {"name": place.name, "c": place.country, "n": degree[place.id]},
                }
            )
    points.sort(key=lambda f: f["id"])
    return {
        "type": "FeatureCollection",
        "features": points + lines,
        "counts": {"places": len(points), "relations": len(lines)},
    }
