"""/api/relations: the filtered, paginated list; one relation; reviews (write)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import ConfigDict
from sqlalchemy.orm import Session

from amity.api.auth import require_token
from amity.api.deps import get_session
from amity.api.schemas import RelationPage, Review, ReviewIn, Sort
from amity.registry import queries
from amity.registry.queries import RelationFilter
from amity.registry.review import InvalidReview, NotFound, record_review, review_dict

router = APIRouter(prefix="/api", tags=["relations"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="The relation id.")]


class RelationQuery(RelationFilter):
    """`RelationFilter` read from the query string (other parameters, such as `sort` and
    `limit`, sit beside it): `/api/relations` and `/api/relations.geojson` take it."""

    model_config = ConfigDict(extra="ignore")

    def to_filter(self) -> RelationFilter:
        return RelationFilter(**self.given())


def _blank_is_any(schema: dict[str, Any]) -> None:
    """Declare in OpenAPI what RelationFilter does: an empty value (`?country=`, as a web
    form's "any" option sends) means "any"."""
    choices = schema.get("anyOf") or [
        {k: schema.pop(k) for k in list(schema) if k not in ("title", "description")}
    ]
    schema["anyOf"] = [*choices, {"type": "string", "maxLength": 0}]


for _field in RelationQuery.model_fields.values():
    _field.json_schema_extra = _blank_is_any
RelationQuery.model_rebuild(force=True)


Filters = Annotated[RelationQuery, Query()]


@router.get(
    "/relations", response_model=RelationPage, summary="List relations (filtered, paginated)"
)
def list_relations(
    filters: Filters,
    session: Annotated[Session, Depends(get_session)],
    sort: Sort = "a",
    limit: Annotated[int, Query(ge=1, le=queries.RELATIONS_MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Relations, one per pair, with place details, dates, event count, sources and the
    latest review verdict. Filter by place, country, tier, status, event type, a year range
    (a fact dated in it) and free text; sort by `a`, `b`, `established`, `last_event`,
    `status` or `id` (prefix `-` to reverse)."""
    return queries.list_relations(
        session, filters.to_filter(), sort=sort, limit=limit, offset=offset
    )


@router.get("/relations/{relation_id}", summary="One relation with its timeline and reviews")
def get_relation(relation_id: Id, session: Annotated[Session, Depends(get_session)]) -> Any:
    """The relation seen from place `a`: partner `b`, status, tier, established year, the
    news timeline with evidence and articles, registry sources and reviews."""
    found = queries.get_relation(session, relation_id)
    if found is None:
        raise HTTPException(404, f"no relation {relation_id}")
    return found


@router.post(
    "/relations/{relation_id}/review",
    response_model=Review,
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Confirm, correct or reject a relation (needs the token)",
)
def review_relation(
    relation_id: Id, body: ReviewIn, session: Annotated[Session, Depends(get_session)]
) -> Any:
    """Store a person's review. `correct` sets tier, status and/or established (kept over
    later extraction); `reject` marks the relation (the map fades it)."""
    corrected = body.corrected.model_dump(exclude_unset=True) if body.corrected else None
    try:
        review = record_review(
            session,
            relation_id,
            body.verdict,
            corrected=corrected,
            note=body.note,
            reviewer=body.reviewer,
        )
        result = review_dict(review)
        session.commit()
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    except InvalidReview as error:
        raise HTTPException(422, str(error)) from error
    return result
