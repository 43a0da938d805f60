"""Reconciliation: where the news and the reference registries (Wikipedia's list, Wikidata)
agree, and where they do not.

`reconcile(session, against=("wikipedia-list", "wikidata"))` returns one JSON-ready dict:

- `new`: relations reported in news and absent from every reference in `against`, with
  the latest evidence sentence and its article;
- `known`: news relations a reference lists, with the established year by source and its
  standing: match (news and a reference give the same year), conflict, reference-silent
  (the reference gives none, as Wikipedia's list never does), news-silent, unknown;
- `ended`: suspended or terminated in news, listed as active (no end year) in a reference;
- `year_conflicts`: the `known` entries whose news and reference years differ;
- `one_sided`: Wikidata pairs stated on one city's item only (P190 on A, not on B);
- `doubtful`: reference rows with a place that did not resolve, coordinates in another
  country or more than DOUBTFUL_KM from the resolved place, a country column that disagrees
  with it, or a pair of a place with itself or its own province (amity.registry.doubts);
- `claims`: every count an article states beside the relations the registry holds for its
  subject (the gap is what the registry still lacks);
- `counts`: the size of each list, plus the news relations and reference-only relations.

Reads every relation once (bulk queries, no ORM objects); nothing is written.

Example:
    >>> report = reconcile(session, against=("wikipedia-list",))  # doctest: +SKIP
    >>> report["counts"]["new"]  # doctest: +SKIP
    57
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from amity.registry.doubts import DOUBTFUL_KM, haversine_km, row_doubts  # noqa: F401 (re-exported)
from amity.registry.models import (
    ArticleRow,
    ClaimRow,
    EventRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
)
from amity.registry.queries.common import degrees, find_places
from amity.registry.queries.relations import relation_items
from amity.types import REFERENCE_SOURCES

ENDED_STATUSES = ("suspended", "terminated")
CATEGORIES = ("new", "known", "ended", "year_conflicts", "one_sided", "doubtful", "claims")
_PLACE_COLUMNS = ("id", "name", "country", "admin1", "geonameid", "lat", "lon", "kind")


def against_sources(against: str) -> tuple[str, ...]:
    """ "all" or one reference source name -> the sources to reconcile against."""
    if against == "all":
        return REFERENCE_SOURCES
    if against not in REFERENCE_SOURCES:
        raise ValueError(f"against must be all or one of {', '.join(REFERENCE_SOURCES)}")
    return (against,)


def reconcile(session: Session, against: Iterable[str] = REFERENCE_SOURCES) -> dict[str, Any]:
    """The standing of every relation against the references `against` (see module doc)."""
    sources = tuple(against)
    for source in sources:
        against_sources(source)  # validates
    references = _reference_rows(session, sources)
    by_relation: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for ref in references:
        by_relation[ref["relation_id"]].append(ref)
    events = _news_events(session)
    news_ids = sorted(events)
    items = {item["id"]: item for item in items_of(session, news_ids)}

    new, known, ended, conflicts = [], [], [], []
    for rid in news_ids:
        item = items.get(rid)
        if item is None:
            continue
        entry = _relation_entry(item)
        entry["evidence"] = _latest_evidence(events[rid])
        refs = by_relation.get(rid, [])
        if not refs:
            new.append(entry)
            continue
        entry["references"] = {
            ref["source"]: {"start_year": ref["start_year"], "end_year": ref["end_year"]}
            for ref in refs
        }
        entry["year"] = _year_standing(events[rid], refs)
        known.append(entry)
        if entry["year"]["standing"] == "conflict":
            conflicts.append(entry)
        listed_active = [ref["source"] for ref in refs if ref["end_year"] is None]
        if item["status"] in ENDED_STATUSES and listed_active:
            ended.append({**entry, "listed_active_in": sorted(set(listed_active))})

    one_sided = [_reference_entry(ref) for ref in references if _one_sided(ref)]
    doubtful = []
    for ref in references:
        reasons = doubts(ref)
        if reasons:
            doubtful.append({**_reference_entry(ref), "reasons": reasons})
    claims = claimed_vs_known(session)
    reference_only = len({ref["relation_id"] for ref in references} - set(events))
    report = {
        "against": list(sources),
        "new": new,
        "known": known,
        "ended": ended,
        "year_conflicts": conflicts,
        "one_sided": one_sided,
        "doubtful": doubtful,
        "claims": claims,
    }
    report["counts"] = {
        "news_relations": len(news_ids),
        **{name: len(report[name]) for name in CATEGORIES},
        "reference_only": reference_only,
    }
    return report


def items_of(session: Session, ids: list[int], chunk: int = 5000) -> list[dict[str, Any]]:
    """`relation_items` in chunks (SQLite takes at most 32,766 parameters a statement)."""
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), chunk):
        found.extend(relation_items(session, ids[start : start + chunk]))
    return found


def _relation_entry(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "a": {k: item["a"][k] for k in _PLACE_COLUMNS},
        "b": {k: item["b"][k] for k in _PLACE_COLUMNS},
        "tier": item["tier"],
        "status": item["status"],
        "established": item["established"],
        "sources": item["sources"],
    }


def _news_events(session: Session) -> dict[int, list[dict[str, Any]]]:
    """Every news event with its article, grouped by relation (in stored order)."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    query = (
        select(
            EventRow.relation_id,
            EventRow.type,
            EventRow.date,
            EventRow.sort_date,
            EventRow.established,
            EventRow.anniversary,
            EventRow.evidence,
            ArticleRow.id,
            ArticleRow.url,
            ArticleRow.title,
            ArticleRow.published,
        )
        .join(ArticleRow, EventRow.article_id == ArticleRow.id)
        .order_by(EventRow.id)
    )
    for row in session.execute(query):
        rid, type_, date, sort_date, established, anniversary, evidence = row[:7]
        article_id, url, title, published = row[7:]
        found[rid].append(
            {
                "type": type_,
                "date": date,
                "sort_date": sort_date,
                "established": established,
                "anniversary": anniversary,
                "evidence": evidence or [],
                "article": {
                    "id": article_id,
                    "url": url,
                    "title": title,
                    "published": published.isoformat() if published else None,
                },
            }
        )
    return found


def _latest_evidence(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The latest event's type, date, first evidence sentence and article."""
    event = max(events, key=lambda e: e["sort_date"] or "")
    return {
        "event": event["type"],
        "date": event["date"],
        "sentence": event["evidence"][0] if event["evidence"] else None,
        "article": event["article"],
    }


def news_years(events: list[dict[str, Any]]) -> dict[int, list[int]]:
    """Established years the news gives: {year: [article ids]} (stated, or implied by an
    anniversary's number and date)."""
    years: dict[int, list[int]] = defaultdict(list)
    for event in events:
        if event["established"] is not None:
            years[event["established"]].append(event["article"]["id"])
        elif event["anniversary"] and event["sort_date"]:
            implied = int(event["sort_date"][:4]) - event["anniversary"]
            years[implied].append(event["article"]["id"])
    return years


def _year_standing(events: list[dict[str, Any]], refs: list[dict[str, Any]]) -> dict[str, Any]:
    news = news_years(events)
    reference = {ref["source"]: ref["start_year"] for ref in refs}
    given = {year for year in reference.values() if year is not None}
    if news and given:
        standing = "match" if set(news) == given else "conflict"
    elif news:
        standing = "reference-silent"
    elif given:
        standing = "news-silent"
    else:
        standing = "unknown"
    return {
        "standing": standing,
        "news": [{"year": y, "articles": sorted(set(ids))} for y, ids in sorted(news.items())],
        "reference": reference,
    }


def _reference_rows(session: Session, sources: tuple[str, ...]) -> list[dict[str, Any]]:
    """Reference rows of `sources` with both places of their relation."""
    a, b = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
    query = (
        select(
            ReferenceRow.id,
            ReferenceRow.relation_id,
            ReferenceRow.source,
            ReferenceRow.start_year,
            ReferenceRow.end_year,
            ReferenceRow.raw,
            ReferenceRow.doubts,
            *(getattr(a, c) for c in _PLACE_COLUMNS),
            *(getattr(b, c) for c in _PLACE_COLUMNS),
        )
        .join(RelationRow, ReferenceRow.relation_id == RelationRow.id)
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
        .where(ReferenceRow.source.in_(sources))
        .order_by(ReferenceRow.id)
    )
    width = len(_PLACE_COLUMNS)
    rows = []
    for row in session.execute(query):
        rows.append(
            {
                "reference_id": row[0],
                "relation_id": row[1],
                "source": row[2],
                "start_year": row[3],
                "end_year": row[4],
                "raw": row[5],
                "doubts": row[6],  # None: imported before the checks (migration 0006)
                "a": dict(zip(_PLACE_COLUMNS, row[7 : 7 + width], strict=True)),
                "b": dict(zip(_PLACE_COLUMNS, row[7 + width :], strict=True)),
            }
        )
    return rows


def _reference_entry(ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "relation_id": ref["relation_id"],
        "reference_id": ref["reference_id"],
        "source": ref["source"],
        "a": ref["a"],
        "b": ref["b"],
        "start_year": ref["start_year"],
        "end_year": ref["end_year"],
    }


def _one_sided(ref: dict[str, Any]) -> bool:
    """A Wikidata pair whose P190 statements all point one way (on A's item, not on B's)."""
    if ref["source"] != "wikidata" or not isinstance(ref["raw"], list):
        return False
    directions = set()
    for binding in ref["raw"]:
        city, twin = (binding.get(k, {}).get("value") for k in ("city", "twin"))
        directions.add((city, twin))
    return len(directions) == 1


def doubts(ref: dict[str, Any]) -> list[str]:
    """Why a reference row is doubtful (empty: it is not): the reasons `amity import`
    stored with the row, else those its places and raw row give (amity.registry.doubts)."""
    stored = ref.get("doubts")
    return list(stored) if stored is not None else row_doubts(ref)


def claimed_vs_known(session: Session) -> list[dict[str, Any]]:
    """Every count an article states, beside the relations the registry holds for its
    subject: a country (national), a country and a partner country (bilateral), or a place
    (local). `known` is None when the subject cannot be read as one."""
    claims = session.execute(
        select(ClaimRow, ArticleRow.url, ArticleRow.title)
        .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
        .order_by(ClaimRow.id)
    ).all()
    country_names: Any = None
    found = []
    for claim, url, title in claims:
        known: int | None = None
        subject = claim.subject or ""
        if claim.scope in ("national", "bilateral") and len(subject) == 2 and subject.isalpha():
            partner = None
            if claim.scope == "bilateral" and claim.partner:
                if country_names is None:
                    from amity.registry.reference import PlaceResolver

                    country_names = PlaceResolver()
                partner = country_names.country(claim.partner)
            if claim.scope == "national" or partner:
                known = _country_relations(session, subject.upper(), partner)
        elif claim.scope == "local" and subject:
            places = find_places(session, subject)
            if places:
                known = degrees(session, [places[0].id]).get(places[0].id, 0)
        claimed = claim.pairs if claim.pairs is not None else claim.pairs_min
        found.append(
            {
                "text": claim.text,
                "scope": claim.scope,
                "subject": claim.subject,
                "partner": claim.partner,
                "claimed": claimed,
                "at_least": claim.pairs is None and claim.pairs_min is not None,
                "known": known,
                "gap": None if known is None or claimed is None else claimed - known,
                "article": {"id": claim.article_id, "url": url, "title": title},
            }
        )
    return found


def _country_relations(session: Session, country: str, partner: str | None) -> int:
    """Relations with a side in `country` (and, given `partner`, the other in it)."""
    a, b = aliased(PlaceRow), aliased(PlaceRow)
    query = (
        select(func.count())
        .select_from(RelationRow)
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
    )
    if partner is None:
        return session.scalar(query.where((a.country == country) | (b.country == country))) or 0
    both = ((a.country == country) & (b.country == partner)) | (
        (a.country == partner) & (b.country == country)
    )
    return session.scalar(query.where(both)) or 0


def report_lines(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The report as flat lines (category, relation_id, a, a_country, b, b_country, detail,
    article: its URL, else its title): `amity reconcile --format csv` and its tables."""
    lines: list[tuple[Any, ...]] = []

    def add(category: str, rid: Any, a: dict, b: dict, detail: str, url: str | None) -> None:
        lines.append(
            (category, rid, a["name"], a["country"], b["name"], b["country"], detail, url or "")
        )

    for category in ("new", "known", "ended", "year_conflicts"):
        for entry in report[category]:
            evidence = entry["evidence"]
            if category == "new":
                detail = f"{evidence['event']} {evidence['date'] or ''}".strip()
            elif category == "ended":
                detail = (
                    f"{entry['status']} in news; active in {', '.join(entry['listed_active_in'])}"
                )
            else:
                year = entry["year"]
                news = ", ".join(str(y["year"]) for y in year["news"]) or "-"
                refs = ", ".join(
                    f"{s} {y if y is not None else '-'}" for s, y in year["reference"].items()
                )
                detail = f"established {year['standing']}: news {news}; {refs}"
            article = evidence["article"]
            add(
                category,
                entry["id"],
                entry["a"],
                entry["b"],
                detail,
                article["url"] or article["title"],
            )
    for entry in report["one_sided"]:
        add(
            "one_sided", entry["relation_id"], entry["a"], entry["b"], "P190 on one item only", None
        )
    for entry in report["doubtful"]:
        add(
            "doubtful",
            entry["relation_id"],
            entry["a"],
            entry["b"],
            "; ".join(entry["reasons"]),
            None,
        )
    for claim in report["claims"]:
        subject = {"name": claim["subject"] or "", "country": None}
        partner = {"name": claim["partner"] or "", "country": None}
        known = "?" if claim["known"] is None else claim["known"]
        more = "at least " if claim["at_least"] else ""
        detail = f"claimed {more}{claim['claimed']}, known {known}: {claim['text']}"
        add(
            "claims",
            None,
            subject,
            partner,
            detail,
            claim["article"]["url"] or claim["article"]["title"],
        )
    return lines


def reconcile_counts(
    session: Session, against: Iterable[str] = REFERENCE_SOURCES
) -> dict[str, int]:
    """The size of each reconciliation category against `against` (every reference by
    default), as `reconcile(...)["counts"]`: news_relations, new, known, ended,
    year_conflicts, one_sided, doubtful, claims, reference_only (`amity stats`)."""
    return reconcile(session, against)["counts"]
