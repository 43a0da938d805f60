"""Wikidata QuickStatements for the news-sourced relations Wikidata lacks.

For each active relation with news evidence and no Wikidata row (`amity import wikidata`),
whose two places both have a QID, two lines (P190 "twinned administrative body" on each
item), tab-free QuickStatements v1 with `|` separators:

    Qa|P190|Qb|P580|+1994-00-00T00:00:00Z/9|S854|"https://article"|S813|+2024-05-28T00:00:00Z/11

P580 (start time, year precision) only when the established year is known; S854 is the
URL of the article that gave the established year (else the earliest article with a URL)
and S813 (retrieved) the day amity read it. A relation none of whose articles has a URL
is left out: Wikidata statements need a reference.

QIDs come only from the Wikidata import: each SPARQL row names a city's item and its
GeoNames id (P1566), and a place with that geonameid gets that QID. Nothing is guessed; a
place no imported row names has no QID, and its relations are left out.

Example:
    >>> for line in quickstatements(session, RelationFilter(country="KR")):  # doctest: +SKIP
    ...     print(line, end="")
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.registry.models import ArticleRow, EventRow, PlaceRow, ReferenceRow, RelationRow
from amity.registry.queries.filters import RelationFilter, relation_conditions

_QID = re.compile(r"(Q\d+)$")


def wikidata_qids(session: Session) -> dict[int, str]:
    """geonameid -> QID, from the imported Wikidata rows (their P1566 values)."""
    qids: dict[int, str] = {}
    for raw in session.scalars(select(ReferenceRow.raw).where(ReferenceRow.source == "wikidata")):
        for binding in raw if isinstance(raw, list) else []:
            for side in ("city", "twin"):
                item = (binding.get(side) or {}).get("value") or ""
                geonames = (binding.get(f"{side}Geonames") or {}).get("value") or ""
                match = _QID.search(item)
                if match and geonames.isdigit():
                    qids.setdefault(int(geonames), match.group(1))
    return qids


def _quoted(url: str) -> str:
    # a QuickStatements string is "..." within |-separated fields
    return '"' + url.replace('"', "%22").replace("|", "%7C") + '"'


def quickstatements(session: Session, filters: RelationFilter | None = None) -> Iterator[str]:
    """The lines (each ending in a newline), relation by relation in id order."""
    qids = wikidata_qids(session)
    if not qids:
        return
    in_wikidata = select(ReferenceRow.relation_id).where(ReferenceRow.source == "wikidata")
    a, b = PlaceRow.__table__.alias("a"), PlaceRow.__table__.alias("b")
    query = (
        select(RelationRow.id, RelationRow.established, a.c.geonameid, b.c.geonameid)
        .join(a, RelationRow.place_a_id == a.c.id)
        .join(b, RelationRow.place_b_id == b.c.id)
        .where(
            RelationRow.status == "active",
            RelationRow.id.in_(select(EventRow.relation_id)),
            RelationRow.id.not_in(in_wikidata),
            a.c.geonameid.is_not(None),
            b.c.geonameid.is_not(None),
            *relation_conditions(session, filters or RelationFilter()),
        )
        .order_by(RelationRow.id)
    )
    for rid, established, gid_a, gid_b in session.execute(query).all():
        if gid_a not in qids or gid_b not in qids:  # tested here: thousands of QIDs
            continue
        source = _source(session, rid, established)
        if source is None:
            continue
        url, retrieved = source
        start = f"|P580|+{established:04d}-00-00T00:00:00Z/9" if established else ""
        reference = f"|S854|{_quoted(url)}|S813|+{retrieved}T00:00:00Z/11"
        qa, qb = qids[gid_a], qids[gid_b]
        yield f"{qa}|P190|{qb}{start}{reference}\n"
        yield f"{qb}|P190|{qa}{start}{reference}\n"


def _source(session: Session, relation_id: int, established: int | None) -> Any:
    """(url, retrieved day) of the article to cite, or None when no article has a URL."""
    rows = session.execute(
        select(EventRow.established, EventRow.anniversary, EventRow.sort_date, ArticleRow.url)
        .add_columns(ArticleRow.ingested_at)
        .join(ArticleRow, EventRow.article_id == ArticleRow.id)
        .where(EventRow.relation_id == relation_id, ArticleRow.url.is_not(None))
        .order_by(EventRow.sort_date.is_(None), EventRow.sort_date, EventRow.id)
    ).all()
    if not rows:
        return None

    def gives_year(row: Any) -> bool:
        implied = int(row[2][:4]) - row[1] if row[1] and row[2] else None
        return established is not None and established in (row[0], implied)

    chosen = next((row for row in rows if gives_year(row)), rows[0])
    return chosen[3], chosen[4].date().isoformat()
