"""/api/network: hubs, decades, communities; partner suggestions (amity.analysis.network)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy.orm import Session

from amity.analysis.network import network, suggest_partners
from amity.api.deps import get_session
from amity.registry.models import PlaceRow

router = APIRouter(prefix="/api/network", tags=["analysis"])


@router.get("", summary="Hubs, relations per year and decade, Louvain communities")
def network_report(
    session: Annotated[Session, Depends(get_session)],
    top: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Any:
    """`hubs` (most partners), `hubs_by_country` (each country's best-connected place),
    `per_year` and `per_decade` (established years), `communities` (Louvain, seeded)."""
    return network(session, top=top)


@router.get(
    "/suggestions",
    summary="Partner suggestions for a place, with reasons",
    responses={404: {"description": "No place with this id"}},
)
def partner_suggestions(
    session: Annotated[Session, Depends(get_session)],
    place_id: Annotated[int, Query(ge=1, le=2**31 - 1, description="The place id.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Any:
    """Places that are not yet partners of `place_id`, ranked: partners of its partners,
    and places of the country pairs it keeps choosing; each with `score` and `reasons`."""
    if session.get(PlaceRow, place_id) is None:
        raise HTTPException(404, f"no place {place_id}")
    return suggest_partners(session, place_id, limit=limit)
