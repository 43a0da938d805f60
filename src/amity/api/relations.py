"""/api/relations: the filtered, paginated list; one relation; reviews (write)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy.orm import Session

from amity.api.auth import require_token
from amity.api.deps import get_session
from amity.api.schemas import (
    EventType,
    RelationPage,
    Review,
    ReviewIn,
    ShortText,
    Sort,
    Status,
    Tier,
)
from amity.registry import queries
from amity.registry.review import InvalidReview, NotFound, record_review, review_dict

router = APIRouter(prefix="/api", tags=["relations"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="The relation id.")]
Year = Annotated[int | None, Query(ge=0, le=9999)]


class RelationFilters:
    """The filters `/api/relations` and `/api/relations.geojson` share."""

    def __init__(
        self,
        place_id: Annotated[
            int | None, Query(ge=1, le=2**31 - 1, description="Either side.")
        ] = None,
        place: Annotated[ShortText | None, Query(description="A place name (either side).")] = None,
        country: Annotated[
            str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO2 code of either side.")
        ] = None,
        tier: Tier | None = None,
        status: Status | None = None,
        event: Annotated[
            EventType | None, Query(description="Has a news event of this type.")
        ] = None,
        year_from: Year = None,
        year_to: Year = None,
        q: Annotated[ShortText | None, Query(description="Part of either place's name.")] = None,
        source: Annotated[str | None, Query(pattern=r"^(news|wikipedia-list|wikidata)$")] = None,
        review: Annotated[str | None, Query(pattern=r"^(confirm|correct|reject|none)$")] = None,
    ) -> None:
        if year_from is not None and year_to is not None and year_from > year_to:
            raise HTTPException(422, "year_from must not be after year_to")
        self.values: dict[str, Any] = {
            "place_id": place_id,
            "place": place,
            "country": country,
            "tier": tier,
            "status": status,
            "event": event,
            "year_from": year_from,
            "year_to": year_to,
            "q": q,
            "source": source,
            "review": review,
        }

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if v not in (None, "")}


@router.get(
    "/relations", response_model=RelationPage, summary="List relations (filtered, paginated)"
)
def list_relations(
    filters: Annotated[RelationFilters, Depends()],
    session: Annotated[Session, Depends(get_session)],
    sort: Sort = "a",
    limit: Annotated[int, Query(ge=1, le=queries.RELATIONS_MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Relations, one per pair, with place details, dates, event count, sources and the
    latest review verdict. Filter by place, country, tier, status, event type, a year range
    (a fact dated in it) and free text; sort by `a`, `b`, `established`, `last_event`,
    `status` or `id` (prefix `-` to reverse)."""
    return queries.list_relations(session, sort=sort, limit=limit, offset=offset, **filters.given())


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
