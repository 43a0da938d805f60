"""`RelationFilter`: the one description of "which relations" that every relation view takes.

The CLI (`amity relations`), the API (`/api/relations`, `/api/relations.geojson`), the
search's relation list and exports build a `RelationFilter` and hand it to
`relation_conditions`, which turns it into SQL, so the same filters always select the same
relations (as Datasette builds every table view from one Filters object).

Example:
    >>> RelationFilter(country="cn", year_from=2020).country
    'CN'
    >>> RelationFilter(year_from=2000, year_to=1990)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for RelationFilter
    ...
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    false,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy import column as sql_column
from sqlalchemy.orm import Session

from amity.registry.models import EventRow, PlaceNameRow, PlaceRow, ReferenceRow, RelationRow
from amity.registry.queries.common import find_places
from amity.registry.queries.names import search_keys
from amity.types import Event, RelationStatus, ReviewFilter, Source, Tier

# No NUL characters: PostgreSQL cannot take them in text.
FilterText = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
Year = Annotated[int, Field(ge=0, le=9999)]


class RelationFilter(BaseModel):
    """Which relations: every given field must hold (AND); None means "any".

    :param place_id: either side is this place (registry id).
    :param place: either side is a place called so (as in `amity show`: a name, "name, CC"
        or a geonameid).
    :param country: ISO2 code of either side (any case).
    :param tier: sister | friendly.
    :param status: proposed | active | suspended | terminated | unknown.
    :param event: has a news event of this type (intent, agreement, anniversary, ...).
    :param year_from: with a fact dated in or after this year: the established year, a news
        event or a registry's start year (`amity relations --since`).
    :param year_to: ... in or before this year.
    :param q: part of either place's name (case and accents ignored; % and _ are literal).
    :param source: news | wikipedia-list | wikidata: with evidence from it.
    :param review: the latest review verdict (confirm | correct | reject), or none.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    place_id: Annotated[int, Field(ge=1, le=2**31 - 1, description="Either side.")] | None = None
    place: Annotated[FilterText, Field(description="A place name (either side).")] | None = None
    country: (
        Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO2 code of either side.")]
        | None
    ) = None
    tier: Tier | None = None
    status: RelationStatus | None = None
    event: Annotated[Event, Field(description="Has a news event of this type.")] | None = None
    year_from: (
        Annotated[
            Year,
            Field(
                description="A fact dated in or after this year (established, news, registry "
                "start); not after year_to (422)."
            ),
        ]
        | None
    ) = None
    year_to: (
        Annotated[
            Year, Field(description="A fact dated in or before this year; not before year_from.")
        ]
        | None
    ) = None
    q: Annotated[FilterText, Field(description="Part of either place's name.")] | None = None
    source: Annotated[Source, Field(description="With evidence from this source.")] | None = None
    review: (
        Annotated[ReviewFilter, Field(description="The latest review verdict, or none.")] | None
    ) = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_any(cls, data: Any) -> Any:
        # an empty form field (?country=) means "any", as in the web page's selects
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != ""}
        return data

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @model_validator(mode="after")
    def _years_in_order(self) -> RelationFilter:
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise ValueError("year_from must not be after year_to")
        return self

    def given(self) -> dict[str, Any]:
        """The fields that are set, e.g. {"country": "CN"}."""
        return self.model_dump(exclude_none=True)

    def key(self) -> tuple[tuple[str, Any], ...]:
        """A hashable, order-independent form (for caches)."""
        return tuple(sorted(self.given().items()))


def as_filter(filters: RelationFilter | None = None, **fields: Any) -> RelationFilter:
    """`filters`, or a RelationFilter of `fields` (None values ignored); not both."""
    given = {k: v for k, v in fields.items() if v is not None}
    if filters is None:
        return RelationFilter(**given)
    if given:
        raise TypeError("give a RelationFilter or filter fields, not both")
    return filters


def relation_conditions(session: Session, filters: RelationFilter) -> list[Any]:
    """The WHERE conditions of `filters` over `relation` (AND-ed; no join needed).

    Place conditions (place, country, q) read the place ids first and test place_a_id /
    place_b_id against them: two index look-ups OR-ed, where an OR of two IN (subquery)
    tests would test every relation. Events and references in a year range are
    IN (subquery), evaluated once."""
    f = filters
    where: list[Any] = []
    if f.place_id is not None:
        where.append(
            or_(RelationRow.place_a_id == f.place_id, RelationRow.place_b_id == f.place_id)
        )
    if f.place:
        ids = [p.id for p in find_places(session, f.place)]
        where.append(_either_side_in(session, ids))
    if f.country:
        in_country = select(PlaceRow.id).where(PlaceRow.country == f.country)
        where.append(_touching(session, in_country, indexed=True))
    if f.tier:
        where.append(RelationRow.tier == f.tier)
    if f.status:
        where.append(RelationRow.status == f.status)
    if f.event:
        where.append(
            RelationRow.id.in_(select(EventRow.relation_id).where(EventRow.type == f.event))
        )
    if f.year_from is not None or f.year_to is not None:
        where.append(_dated_between(f.year_from or 0, 9999 if f.year_to is None else f.year_to))
    if f.q:
        # any of the forms search_keys gives (as written, in Latin letters, St/Saint)
        keys = search_keys(f.q)
        like = [
            PlaceNameRow.search_name.like(f"%{_like_escape(key)}%", escape="\\") for key in keys
        ]
        # a q of punctuation alone (nothing left once normalised) names no place
        names = select(PlaceNameRow.place_id).where(or_(*like) if like else false()).distinct()
        where.append(_touching(session, names))
    # place conditions select few relations: SQLite's planner would still drive the query
    # from a whole reference list given as IN (subquery) (24k ids: 20 ms instead of 3)
    narrowed = bool(f.place_id or f.place or f.country or f.q)
    if f.source == "news":
        where.append(RelationRow.id.in_(select(EventRow.relation_id)))
    elif f.source:
        listed = select(ReferenceRow.relation_id).where(ReferenceRow.source == f.source)
        if narrowed:  # a few relations, each checked by one index probe
            where.append(listed.where(ReferenceRow.relation_id == RelationRow.id).exists())
        else:  # a reference list can hold every relation: read it once
            where.append(RelationRow.id.in_(listed))
    if f.review == "none":
        where.append(RelationRow.review.is_(None))
    elif f.review:
        where.append(RelationRow.review == f.review)
    return where


def _dated_between(low: int, high: int) -> Any:
    """A fact in [low, high]: the established year, a news event, or a registry start year.

    IN (subquery) is evaluated once (an index range each: ix_event_sort_date_relation_id,
    ix_reference_relation_start_year_relation_id); a correlated EXISTS would run once per
    relation."""
    return or_(
        and_(RelationRow.established >= low, RelationRow.established <= high),
        RelationRow.id.in_(
            select(EventRow.relation_id).where(
                EventRow.sort_date >= f"{low:04d}-01-01", EventRow.sort_date <= f"{high:04d}-12-31"
            )
        ),
        RelationRow.id.in_(
            select(ReferenceRow.relation_id).where(
                ReferenceRow.start_year >= low, ReferenceRow.start_year <= high
            )
        ),
    )


_INLINE_PLACE_IDS = 5000


def _touching(session: Session, place_ids: Select[Any], *, indexed: bool = False) -> Any:
    """The relations with either side in `place_ids` (a subquery of place ids; `indexed`
    when it is one index look-up, as places of a country are).

    SQLite answers `place_a_id IN (subquery) OR place_b_id IN (subquery)` with two index
    look-ups (its MULTI-INDEX OR: ix_relation_place_b_id and the (place_a_id, place_b_id)
    key), running the subquery once per side: an indexed one stays in SQL, another (a scan
    of the names) is read once and given as one JSON parameter. PostgreSQL would test every
    relation against a subquery: up to _INLINE_PLACE_IDS places are read first and given as
    arrays (a BitmapOr of the two indexes); more, and it is a UNION of the two look-ups."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite and indexed:
        return or_(RelationRow.place_a_id.in_(place_ids), RelationRow.place_b_id.in_(place_ids))
    if sqlite:
        return _either_side_in(session, list(session.scalars(place_ids)))
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
    """place_a_id or place_b_id in `ids` (two index look-ups OR-ed). On PostgreSQL both
    sides name one array parameter, sent once: psycopg writes an integer list out element
    by element (a country's 1,700 places: 6.6 ms of CPU per query as two parameters, 4.1
    as one)."""
    if session.get_bind().dialect.name == "postgresql":
        places = bindparam(None, value=sorted(set(ids)), type_=ARRAY(Integer))
        return or_(RelationRow.place_a_id == any_(places), RelationRow.place_b_id == any_(places))
    return or_(
        ids_in(session, ids, RelationRow.place_a_id), ids_in(session, ids, RelationRow.place_b_id)
    )


def ids_in(session: Session, ids: list[int], column: Any = RelationRow.id) -> Any:
    """`column` IN `ids` as one parameter: on PostgreSQL an array (`= ANY(%(ids)s)`), on
    SQLite, past a few ids, a JSON array read by json_each. Thousands of separate parameters
    cost more to render, bind and plan (in SQLAlchemy and in the database) than the index
    look-ups they feed."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return column == any_(literal(sorted(set(ids)), ARRAY(Integer)))
    if dialect == "sqlite" and len(ids) > _FEW_IDS:
        return column.in_(_JSON_IDS.params(ids=json.dumps(sorted(set(ids)))))
    return column.in_(ids)


_FEW_IDS = 20
_JSON_IDS = select(sql_column("value", Integer)).select_from(
    func.json_each(bindparam("ids", type_=String))
)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
