"""A place with its partners: each relation's status, tier, dates, the dated news timeline
(events with evidence, officials and article) and registry sources (`show`, `get_place`).

Example:
    >>> show(session, "Changchun")[0]["partners"][0]["partner"]["name"]  # doctest: +SKIP
    'Ulsan'
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from amity.registry.models import EventRow, PlaceNameRow, PlaceRow, RelationRow
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
    place = session.get(PlaceRow, place_id)
    return None if place is None else place_view(session, place)


def place_view(session: Session, place: PlaceRow) -> dict[str, Any]:
    """One place with its names and partners (news-backed partners first, then by name)."""
    rels = session.scalars(
        select(RelationRow)
        .where(or_(RelationRow.place_a_id == place.id, RelationRow.place_b_id == place.id))
        .options(
            # the two places in the same query; the lists in one query each (a round trip
            # per relationship, not per relation)
            joinedload(RelationRow.place_a),
            joinedload(RelationRow.place_b),
            selectinload(RelationRow.references),
            selectinload(RelationRow.reviews),
            selectinload(RelationRow.events).selectinload(EventRow.article),
            selectinload(RelationRow.events).selectinload(EventRow.officials),
            selectinload(RelationRow.events).selectinload(EventRow.organisations),
            selectinload(RelationRow.events).selectinload(EventRow.fields),
        )
    ).all()
    partners = [partner_view(place, rel) for rel in rels]
    partners.sort(key=lambda p: (p["news"] == [], p["partner"]["name"].casefold()))
    names = session.scalars(
        select(PlaceNameRow.name).where(PlaceNameRow.place_id == place.id).order_by(PlaceNameRow.id)
    )
    return {
        "place": place_dict(place),
        "names": list(names),
        "partners": partners,
    }


def partner_view(place: PlaceRow, rel: RelationRow) -> dict[str, Any]:
    """`rel` seen from `place`: the other place, the relation's facts and timeline."""
    other = rel.place_b if rel.place_a_id == place.id else rel.place_a
    timeline = sorted(rel.events, key=lambda e: (e.sort_date or "9999", e.id))
    return {
        "relation_id": rel.id,
        "partner": place_dict(other),
        "tier": rel.tier,
        "status": rel.status,
        "established": rel.established,
        "established_conflict": rel.established_conflict,
        "first_seen": iso(rel.first_seen),
        "last_seen": iso(rel.last_seen),
        "sources": sources_list(bool(rel.events), [r.source for r in rel.references]),
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
            "published": iso(article.published),
            "source": article.source,
        },
    }
