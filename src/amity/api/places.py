"""/api/places/{id}: a place with its partners, timelines and sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from sqlalchemy.orm import Session

from amity.api.deps import get_session
from amity.api.schemas import PlaceDetail
from amity.registry import queries

router = APIRouter(prefix="/api", tags=["places"])


@router.get(
    "/places/{place_id}", response_model=PlaceDetail, summary="A place, its partners and timelines"
)
def get_place(
    place_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: Annotated[Session, Depends(get_session)],
) -> Any:
    """The place, every name it was seen under, and each partner with the relation's status,
    tier, established year, dated news timeline (event, evidence sentences, article) and
    registry sources."""
    found = queries.get_place(session, place_id)
    if found is None:
        raise HTTPException(404, f"no place {place_id}")
    return found
