"""Pydantic models of the API: request bodies (validated strictly) and responses.

Field names follow the registry's (`a`, `b`, `tier`, `event`, `event_date`, `established`,
`evidence`). Nested facts whose shape is documented in docs/api.md are typed loosely
(`dict[str, Any]`) so that the OpenAPI schema stays readable.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from amity.registry.queries.relations import RELATION_SORTS
from amity.types import Event, Tier, Verdict
from amity.types import RelationStatus as Status

# No NUL characters anywhere: PostgreSQL cannot store them in text.
ShortText = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=500_000)]
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00\s]*$")]
EventType = Event  # the vocabularies (Status, Tier, Verdict, Event) are amity.types'
# "a", "-a", "b", ...: a key of RELATION_SORTS, "-" first to reverse
Sort = Literal[tuple(s for key in RELATION_SORTS for s in (key, f"-{key}"))]  # type: ignore[valid-type]


class Place(BaseModel):
    id: int
    name: str
    country: str | None
    admin1: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    kind: str
    parent: str | None


class RelationItem(BaseModel):
    id: int
    a: Place
    b: Place
    tier: str | None
    status: str
    established: int | None
    established_conflict: list[dict[str, Any]] | None
    first_seen: str | None
    last_seen: str | None
    last_event: str | None
    events: int
    sources: list[str]
    review: str | None


class RelationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[RelationItem]


class Partner(BaseModel):
    relation_id: int
    partner: Place
    tier: str | None
    status: str
    established: int | None
    established_conflict: list[dict[str, Any]] | None
    first_seen: str | None
    last_seen: str | None
    sources: list[str]
    review: str | None
    reviews: list[dict[str, Any]]
    news: list[dict[str, Any]] = Field(description="The dated timeline: event, evidence, article.")
    references: list[dict[str, Any]]


class PlaceDetail(BaseModel):
    place: Place
    names: list[str]
    partners: list[Partner]


class Segment(BaseModel):
    text: str
    evidence: bool
    relations: list[int]


class ArticleDetail(BaseModel):
    id: int
    external_id: str | None
    title: str | None
    url: str | None
    published: str | None
    source: str | None
    language: str | None
    status: str
    error: str | None
    ingested_at: str
    has_text: bool
    segments: list[Segment] = Field(
        description="The text in order; segments with evidence=true are evidence sentences."
    )
    facts: list[dict[str, Any]]


class SearchPlace(Place):
    partners: int
    score: float
    match: Literal["exact", "prefix", "alternate", "fuzzy"] = Field(
        description="exact or prefix: a name the registry saw; alternate: a GeoNames name "
        "(exonym, other spelling or script); fuzzy: a name resembling the query."
    )


class SearchResult(BaseModel):
    query: str
    places: list[SearchPlace]
    relations: list[dict[str, Any]]


class ArticleIn(BaseModel):
    """One article to ingest: plain `text` (kept as text, never rendered as HTML) or an
    `html` page (its body text is extracted)."""

    model_config = ConfigDict(extra="forbid")

    text: LongText | None = None
    html: LongText | None = None
    id: ShortText | None = None
    title: Annotated[str, StringConstraints(max_length=1000)] | None = None
    url: Url | None = None
    published: dt.date | None = None
    source: ShortText | None = None


class ArticleStored(BaseModel):
    status: Literal["ok", "irrelevant", "failed", "skipped"]
    article_id: int | None
    relations_new: list[int]
    relations_updated: list[int]
    events: int
    error: str | None


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: Tier | None = None
    status: Status | None = None
    established: Annotated[int, Field(ge=1000, le=2100)] | None = None


class ReviewIn(BaseModel):
    """A person's verdict on a relation. `correct` needs `corrected` values."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    corrected: Correction | None = None
    note: Annotated[str, StringConstraints(max_length=5000, pattern=r"^[^\x00]*$")] | None = None
    reviewer: ShortText | None = None


class Review(BaseModel):
    id: int
    relation_id: int
    verdict: Verdict
    corrected: dict[str, Any] | None
    before: dict[str, Any] | None
    note: str | None
    reviewer: str | None
    created_at: str


class Problem(BaseModel):
    detail: Any
