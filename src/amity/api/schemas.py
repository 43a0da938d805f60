"""Pydantic models of the API: request bodies (validated strictly) and responses.

Field names follow the registry's (`a`, `b`, `tier`, `event`, `event_date`, `established`,
`evidence`). Nested facts whose shape is documented in docs/api.md are typed loosely
(`dict[str, Any]`) so that the OpenAPI schema stays readable.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from amity.registry.queries.relations import RELATION_SORTS
from amity.types import Event, Tier, Verdict
from amity.types import RelationStatus as Status

# No NUL characters anywhere: PostgreSQL cannot store them in text.
ShortText = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=500_000)]
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00\s]*$")]


def _iso_date(value: Any) -> Any:
    # pydantic alone reads "0" or 0 as 1970-01-01 (a Unix time): OpenAPI says format: date
    if not isinstance(value, dt.date) and not (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        raise ValueError("a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
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
    `html` page (its body text is extracted); exactly one of them."""

    model_config = ConfigDict(
        extra="forbid",
        # exactly one of text and html, in the schema (post_article checks it)
        json_schema_extra={
            "oneOf": [
                {"required": [field], "properties": {field: {"type": "string"}}}
                for field in ("text", "html")
            ]
        },
    )

    text: LongText | None = None
    html: LongText | None = None
    id: ShortText | None = None
    title: Annotated[str, StringConstraints(max_length=1000)] | None = None
    url: Url | None = None
    published: IsoDate | None = None
    source: ShortText | None = None


class ArticleStored(BaseModel):
    status: Literal["ok", "irrelevant", "failed", "skipped"]
    article_id: int | None
    relations_new: list[int]
    relations_updated: list[int]
    events: int
    error: str | None


def _optional_not_null(schema: dict[str, Any]) -> None:
    for name in ("tier", "status"):  # left out: unchanged; never null (a relation has them)
        schema["properties"][name].pop("default", None)


class Correction(BaseModel):
    """New values: a field left out is not changed; `established: null` clears the year."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_optional_not_null)

    tier: Tier = None  # type: ignore[assignment]
    status: Status = None  # type: ignore[assignment]
    established: Annotated[int, Field(ge=1000, le=2100)] | None = None


class ReviewIn(BaseModel):
    """A person's verdict on a relation. `correct` needs `corrected` values; the other
    verdicts take none."""

    model_config = ConfigDict(
        extra="forbid",
        # what amity.registry.review.record_review checks, in the schema
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["verdict", "corrected"],
                    "properties": {
                        "verdict": {"const": "correct"},
                        "corrected": {"type": "object", "minProperties": 1},
                    },
                },
                {
                    "properties": {
                        "verdict": {"enum": [v for v in get_args(Verdict) if v != "correct"]},
                        "corrected": {
                            "anyOf": [{"type": "null"}, {"type": "object", "maxProperties": 0}]
                        },
                    }
                },
            ]
        },
    )

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
