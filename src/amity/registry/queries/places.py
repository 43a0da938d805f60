"""A place with its partners: each relation's status, tier, dates, the dated news timeline
(events with evidence, officials and article) and registry sources (`show`, `get_place`).

Example:
    >>> show(session, "Changchun")[0]["partners"][0]["partner"]["name"]  # doctest: +SKIP
    'Ulsan'
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from amity.registry.models import (
    EventRow,
    PlaceNameRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
    ReviewRow,
)
from amity.registry.queries.common import find_places, iso, place_dict, sources_list
from amity.registry.review import review_dict


def show(session: Session, query: str) -> list[dict[str, Any]]:
    """Each place matching `query` (a name, "name, CC" or a geonameid) with its partners;
    each partner with the relation's status, tier, established year (and conflicts), news
    timeline (date, event, evidence, officials, fields, organisations, article) and
    registry sources."""
    return [place_view(session, place) for place in find_places(session, query)]


def get_place(session: Session, place_id: int) -> dict[str, Any] | None:
    """The place with this id as `show` gives each match; None when there is none.

    Example:
        >>> get_place(session, 1)["partners"][0]["news"][0]["evidence"]  # doctest: +SKIP
    """
    rows = session.execute(
        select(*_PLACE, PlaceNameRow.name)
        .outerjoin(PlaceNameRow, PlaceNameRow.place_id == PlaceRow.id)
        .where(PlaceRow.id == place_id)
        .order_by(PlaceNameRow.id)
    ).all()
    if not rows:
        return None
    place = dict(zip(_PLACE_KEYS, rows[0][: len(_PLACE_KEYS)], strict=True))
    names = [row[-1] for row in rows if row[-1] is not None]
    return _view(session, place, names)


def place_view(session: Session, place: Any) -> dict[str, Any]:
    """One place (a PlaceRow, or any object with its attributes) with its names and
    partners (news-backed partners first, then by name)."""
    names = session.scalars(
        select(PlaceNameRow.name).where(PlaceNameRow.place_id == place.id).order_by(PlaceNameRow.id)
    )
    return _view(session, place_dict(place), list(names))


def _view(session: Session, place: dict[str, Any], names: list[str]) -> dict[str, Any]:
    other_id = case(
        (RelationRow.place_a_id == place["id"], RelationRow.place_b_id),
        else_=RelationRow.place_a_id,
    )
    rows = session.execute(
        select(*_RELATION, *_OTHER)
        .join(_OTHER_PLACE, _OTHER_PLACE.id == other_id)
        .where(or_(RelationRow.place_a_id == place["id"], RelationRow.place_b_id == place["id"]))
    ).all()
    partners = partner_views(session, rows)
    partners.sort(key=lambda p: (p["news"] == [], p["partner"]["name"].casefold()))
    return {"place": place, "names": names, "partners": partners}


# A relation row as partner_views reads it: the relation's columns, how many events and
# reviews it has (their lists are read only when there are some: most relations come from
# a reference list and have neither), then the partner's place columns.
_PLACE_KEYS = ("id", "name", "country", "admin1", "geonameid", "lat", "lon", "kind", "parent")
_PLACE = tuple(getattr(PlaceRow, key) for key in _PLACE_KEYS)
_OTHER_PLACE = aliased(PlaceRow, name="other")
_OTHER = tuple(getattr(_OTHER_PLACE, key) for key in _PLACE_KEYS)


def _count(table: Any) -> Any:
    return (
        select(func.count(table.id))
        .where(table.relation_id == RelationRow.id)
        .correlate(RelationRow)
        .scalar_subquery()
    )


_RELATION = (
    RelationRow.id,
    RelationRow.tier,
    RelationRow.status,
    RelationRow.established,
    RelationRow.established_conflict,
    RelationRow.first_seen,
    RelationRow.last_seen,
    RelationRow.review,
    _count(EventRow),
    _count(ReviewRow),
)


def partner_views(session: Session, rows: list[Any]) -> list[dict[str, Any]]:
    """Each row (the _RELATION columns, then the partner's _PLACE_KEYS) as a partner entry:
    the other place, the relation's facts, news timeline, registry sources and reviews.
    Plain columns, one query per kind of list for all the rows together."""
    ids = [row[0] for row in rows]
    references = _grouped(session, ReferenceRow, ids)
    reviews = _grouped(session, ReviewRow, [row[0] for row in rows if row[9]])
    events = _events(session, [row[0] for row in rows if row[8]])
    width = len(_RELATION)
    views = []
    for row in rows:
        rid, tier, status, established, conflict, first_seen, last_seen, review = row[:8]
        refs = references.get(rid, [])
        timeline = sorted(events.get(rid, []), key=lambda e: (e.sort_date or "9999", e.id))
        views.append(
            {
                "relation_id": rid,
                "partner": dict(zip(_PLACE_KEYS, row[width:], strict=True)),
                "tier": tier,
                "status": status,
                "established": established,
                "established_conflict": conflict,
                "first_seen": iso(first_seen),
                "last_seen": iso(last_seen),
                "sources": sources_list(bool(timeline), [r.source for r in refs]),
                "review": review,
                "reviews": [review_dict(r) for r in reviews.get(rid, [])],
                "news": [_event(e) for e in timeline],
                "references": [
                    {
                        "source": r.source,
                        "start_year": r.start_year,
                        "end_year": r.end_year,
                        "raw": r.raw,
                    }
                    for r in refs
                ],
            }
        )
    return views


def _grouped(session: Session, table: Any, relation_ids: list[int]) -> dict[int, list[Any]]:
    """Rows of `table` (references or reviews) of these relations, by relation, in id order."""
    found: dict[int, list[Any]] = defaultdict(list)
    if relation_ids:
        for row in session.execute(
            select(table.__table__).where(table.relation_id.in_(relation_ids)).order_by(table.id)
        ):
            found[row.relation_id].append(row)
    return found


def _events(session: Session, relation_ids: list[int]) -> dict[int, list[EventRow]]:
    """The news events of these relations (with article, officials, organisations and
    fields), by relation."""
    found: dict[int, list[EventRow]] = defaultdict(list)
    if relation_ids:
        for event in session.scalars(
            select(EventRow)
            .where(EventRow.relation_id.in_(relation_ids))
            .order_by(EventRow.id)
            .options(
                selectinload(EventRow.article),
                selectinload(EventRow.officials),
                selectinload(EventRow.organisations),
                selectinload(EventRow.fields),
            )
        ):
            found[event.relation_id].append(event)
    return found


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
            "published": iso(article.published),
            "source": article.source,
        },
    }
