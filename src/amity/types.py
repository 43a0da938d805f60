"""Shared data types: the Article that every stage reads and writes, and what it holds.

Field names follow ../shared/spec/extraction-output.md (`a`, `b`, `tier`, `event`,
`event_date`, `established`, `evidence`) so that JSON output needs no renaming.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

Tier = Literal["sister", "friendly"]
Event = Literal[
    "proposal",
    "intent",
    "agreement",
    "anniversary",
    "exchange",
    "suspension",
    "termination",
    "mention",
]
PlaceKind = Literal["city", "district", "county", "province", "region"]
# the registry's vocabularies: the CLI's choices, the API's query parameters and request
# bodies, and the database's CHECK constraints are all built from these
RelationStatus = Literal["proposed", "active", "suspended", "terminated", "unknown"]
ArticleStatus = Literal["ok", "irrelevant", "failed"]
ReferenceSource = Literal["wikipedia-list", "wikidata"]  # registries imported beside the news
Source = Literal["news", "wikipedia-list", "wikidata"]  # where a relation's evidence comes from
Verdict = Literal["confirm", "correct", "reject"]  # a person's review of a relation
ReviewFilter = Literal["confirm", "correct", "reject", "none"]  # "none": never reviewed
RelationSort = Literal["a", "b", "established", "last_event", "status", "id"]  # list orders

EVENTS: tuple[str, ...] = get_args(Event)
TIERS: tuple[str, ...] = get_args(Tier)
RELATION_STATUSES: tuple[str, ...] = get_args(RelationStatus)
ARTICLE_STATUSES: tuple[str, ...] = get_args(ArticleStatus)
REFERENCE_SOURCES: tuple[str, ...] = get_args(ReferenceSource)
SOURCES: tuple[str, ...] = get_args(Source)
REVIEW_VERDICTS: tuple[str, ...] = get_args(Verdict)
REVIEW_FILTERS: tuple[str, ...] = get_args(ReviewFilter)
RELATION_SORTS: tuple[str, ...] = get_args(RelationSort)
assert SOURCES == ("news", *REFERENCE_SOURCES)
assert REVIEW_FILTERS == (*REVIEW_VERDICTS, "none")


@dataclass
class StageError:
    """A failure of one stage on one article; the batch goes on."""

    stage: str
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: [{self.stage}] {self.message}"


@dataclass
class Place:
    """One side of a relation: a city, district, county, province or region.

    `name` is the name as the article writes it (generic suffixes such as "City" removed);
    `canonical` is the GeoNames name when resolved. `geonameid` is None when the
    gazetteer could not tie the name to an entry: the relation is still reported.
    """

    name: str
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    kind: PlaceKind = "city"
    parent: str | None = None
    canonical: str | None = None
    confidence: float = 0.0
    unresolved: bool = True
    written: str | None = None  # the full name as written, when it differs ("Valencia City")
    # Where lat/lon come from when not from the place's own GeoNames point: "centroid" (a
    # region or admin area: population-weighted centre of its cities), "postal" (GeoNames
    # postal codes), "seat" (a county placed at its seat town), "parent" (a district at
    # its city). Absent (None) for a GeoNames point or no coordinates.
    coord_source: str | None = None

    def key(self) -> str:
        """Identity used to merge mentions of the same place inside one article."""
        if self.geonameid is not None:
            return f"gn:{self.geonameid}"
        return f"name:{self.name.casefold()}|{self.country or ''}|{self.parent or ''}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["lat"] is not None:
            data["lat"] = round(data["lat"], 5)
            data["lon"] = round(data["lon"], 5)
        data["confidence"] = round(self.confidence, 3)
        if data["coord_source"] is None:
            del data["coord_source"]
        return data


@dataclass
class Official:
    name: str
    role: str
    of: str | None = None


@dataclass
class Relation:
    a: Place
    b: Place
    tier: Tier = "sister"
    event: Event = "mention"
    event_date: str | None = None
    established: int | None = None
    anniversary: int | None = None
    officials: list[Official] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    confidence: float = 0.5

    def pair_key(self) -> tuple[str, str]:
        """Unordered identity of the pair."""
        return tuple(sorted((self.a.key(), self.b.key())))  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["a"] = self.a.to_dict()
        data["b"] = self.b.to_dict()
        data["confidence"] = round(self.confidence, 3)
        return data


@dataclass
class Claim:
    """A stated count of twinning relations, e.g. "more than 2,800 pairs of sister cities".

    `scope` is national (a country's total; `subject` ISO2), bilateral (between `subject`, an
    ISO2, and `partner`, an ISO2 or a region as written: "Africa", "SCO countries") or local (a
    city's or province's own count; `subject` the place as written). `pairs` is an exact count,
    `pairs_min` a lower bound ("more than", "over", "surpassing"); likewise the countries.
    """

    subject: str | None
    text: str
    pairs: int | None = None
    pairs_min: int | None = None
    countries: int | None = None
    countries_min: int | None = None
    scope: str = "national"
    partner: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in asdict(self).items()
            if v is not None or k in ("subject", "text", "scope")
        }


@dataclass
class Article:
    """One news item as it moves through the stages.

    ingest assigns id, text, title, published, url, source, content_hash;
    prefilter assigns relevant and trigger_hits; extract assigns relations and claims;
    resolve fills in the places of the relations. Any stage may append to errors.
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str = ""
    content_hash: str = ""
    language: str | None = None
    relevant: bool | None = None
    trigger_hits: list[tuple[int, int, str]] = field(default_factory=list)
    country_mentions: dict[str, int] = field(default_factory=dict)  # ISO2 -> mentions (extract)
    relations: list[Relation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    errors: list[StageError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not errors: "language 'nl' is not read"

    @property
    def full_text(self) -> str:
        """Title and body as one string: the title often names the pair."""
        if self.title and not self.text.startswith(self.title):
            return f"{self.title}\n\n{self.text}"
        return self.text

    def to_dict(self) -> dict[str, Any]:
        """The extraction-output contract (one JSON object per article)."""
        data: dict[str, Any] = {
            "id": self.id,
            "published": self.published.isoformat() if self.published else None,
            "relations": [r.to_dict() for r in self.relations],
            "claims": [c.to_dict() for c in self.claims],
        }
        if self.title:
            data["title"] = self.title
        if self.errors:
            data["errors"] = [asdict(e) for e in self.errors]
        if self.notes:
            data["notes"] = list(self.notes)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
