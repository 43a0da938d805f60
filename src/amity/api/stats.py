"""/api/stats: counts and chart aggregates, computed in the database."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from amity.api.deps import get_session
from amity.registry import queries

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats", summary="Counts, relations per year, country matrix, top hubs")
def stats(
    session: Annotated[Session, Depends(get_session)],
    matrix_size: Annotated[int, Query(ge=1, le=50)] = 15,
    hubs: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Any:
    """`totals` (as `amity stats`), `per_year` (established years, registry start years and
    news events per year), `matrix` (relations between the top countries), `hubs` (places
    with most partners) and every `countries` code."""
    return queries.overview(session, matrix_size=matrix_size, hubs=hubs)
