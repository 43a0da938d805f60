"""/api/anniversaries: round anniversaries in a window (amity.analysis.anniversaries)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from amity.analysis.anniversaries import anniversaries
from amity.api.deps import get_session
from amity.api.schemas import IsoDate

router = APIRouter(prefix="/api", tags=["analysis"])


@router.get("/anniversaries", summary="Round anniversaries due in a window")
def due_anniversaries(
    session: Annotated[Session, Depends(get_session)],
    start: Annotated[
        IsoDate | None, Query(alias="from", description="First day (default today).")
    ] = None,
    within: Annotated[int, Query(ge=0, le=3660, description="Days in the window.")] = 90,
    round: Annotated[
        int | None, Query(ge=1, le=100, description="Every Nth year (default 10s, 25, 75).")
    ] = None,
) -> Any:
    """Relations whose established year makes a round anniversary between `from` and
    `from + within` days: `years`, `year`, `date` (when the founding day is known) and
    `date_from` (founding | anniversary), with the relation and both places."""
    return anniversaries(session, start, within, round)
