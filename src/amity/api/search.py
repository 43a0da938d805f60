"""/api/search: places by prefix and fuzzy match, and relations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from amity.api.deps import get_session
from amity.api.schemas import SearchResult
from amity.registry import queries

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResult, summary="Search places and relations")
def search(
    session: Annotated[Session, Depends(get_session)],
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[^\x00]*$")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Any:
    """Places whose names start with `q` (any name they were seen under, case and accents
    ignored) or resemble it (rapidfuzz), best connected first; relations between the two
    sides of `A - B` (or `A and B`), else the best place's relations."""
    return queries.search(session, q, limit=limit)
