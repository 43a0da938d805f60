"""A feed of news events: the latest dated facts about the relations a `RelationFilter`
selects, as Atom or JSON Feed, so that a reader can follow "suspensions involving Russia"
(`event=suspension&country=RU`) or "agreements in Vietnam" (`event=agreement&country=VN`).

    latest_events(session, filters, limit)   newest first (by the article's publication
                                             day, else the day amity stored it)
    atom_feed(events, self_url)              Atom 1.0 XML (text escaped by ElementTree)
    json_feed(events, self_url)              JSON Feed 1.1

With `event` set, only events of that type are listed (not every event of the relations
that have one).

Example:
    >>> items = latest_events(session, RelationFilter(country="RU", event="suspension"))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from amity.registry.models import ArticleRow, EventRow, PlaceRow, RelationRow
from amity.registry.queries.filters import RelationFilter, relation_conditions

ATOM = "http://www.w3.org/2005/Atom"
FEED_MAX = 200


def latest_events(
    session: Session, filters: RelationFilter | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The `limit` newest events of the matching relations, each with both place names,
    the event's type, tier and date, its first evidence sentence and its article."""
    filters = filters or RelationFilter()
    a, b = aliased(PlaceRow), aliased(PlaceRow)
    day = func.coalesce(ArticleRow.published, func.date(ArticleRow.ingested_at))
    query = (
        select(
            EventRow.id,
            EventRow.relation_id,
            EventRow.type,
            EventRow.tier,
            EventRow.date,
            EventRow.evidence,
            a.name,
            a.country,
            b.name,
            b.country,
            ArticleRow.id,
            ArticleRow.url,
            ArticleRow.title,
            ArticleRow.published,
            ArticleRow.ingested_at,
        )
        .join(RelationRow, EventRow.relation_id == RelationRow.id)
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
        .join(ArticleRow, EventRow.article_id == ArticleRow.id)
        .where(*relation_conditions(session, filters))
        .order_by(day.desc(), EventRow.id.desc())
        .limit(max(1, min(limit, FEED_MAX)))
    )
    if filters.event:
        query = query.where(EventRow.type == filters.event)
    found = []
    for row in session.execute(query):
        published, ingested = row[13], row[14]
        found.append(
            {
                "id": row[0],
                "relation_id": row[1],
                "event": row[2],
                "tier": row[3],
                "date": row[4],
                "sentence": (row[5] or [None])[0],
                "a": {"name": row[6], "country": row[7]},
                "b": {"name": row[8], "country": row[9]},
                "article": {"id": row[10], "url": row[11], "title": row[12]},
                "updated": _timestamp(published, ingested),
            }
        )
    return found


def _timestamp(published: dt.date | None, ingested: dt.datetime) -> str:
    if published is not None:
        return f"{published.isoformat()}T00:00:00Z"
    return ingested.replace(microsecond=0).isoformat() + "Z"


def _title(item: dict[str, Any]) -> str:
    tier = f" ({item['tier']})" if item["tier"] else ""
    return f"{item['a']['name']} – {item['b']['name']}: {item['event']}{tier}"


def atom_feed(items: list[dict[str, Any]], self_url: str, title: str = "amity events") -> bytes:
    """Atom 1.0; entry ids are tag URIs of the event ids, links go to the articles."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    updated = max((i["updated"] for i in items), default="1970-01-01T00:00:00Z")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "amity"
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:amity,2026:event/{item['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _title(item)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = item["updated"]
        if item["article"]["url"]:
            ET.SubElement(entry, f"{{{ATOM}}}link", href=item["article"]["url"])
        summary = item["sentence"] or item["article"]["title"] or ""
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def json_feed(items: list[dict[str, Any]], self_url: str, title: str = "amity events") -> dict:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `_amity` holds the event itself."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "feed_url": self_url,
        "items": [
            {
                "id": f"tag:amity,2026:event/{item['id']}",
                "title": _title(item),
                "content_text": item["sentence"] or item["article"]["title"] or "",
                "date_published": item["updated"],
                **({"url": item["article"]["url"]} if item["article"]["url"] else {}),
                "_amity": item,
            }
            for item in items
        ],
    }
