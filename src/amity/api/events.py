"""/api/events.atom and /api/events.json: the latest news events of the relations the
filters of /api/relations select, as a feed (amity.analysis.events)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from amity.analysis.events import FEED_MAX, atom_feed, json_feed, latest_events
from amity.api.deps import get_session
from amity.api.relations import Filters

router = APIRouter(prefix="/api", tags=["feeds"])
Limit = Annotated[int, Query(ge=1, le=FEED_MAX, description="At most this many events.")]


@router.get(
    "/events.atom",
    summary="The latest events as an Atom feed (filters as /api/relations)",
    response_class=Response,
    responses={200: {"description": "An Atom feed", "content": {"application/atom+xml": {}}}},
)
def events_atom(
    request: Request,
    filters: Filters,
    session: Annotated[Session, Depends(get_session)],
    limit: Limit = 50,
) -> Response:
    """Newest first; `event=suspension&country=RU`: suspensions involving Russia."""
    items = latest_events(session, filters.to_filter(), limit)
    body = atom_feed(items, str(request.url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/events.json", summary="The latest events as a JSON Feed (filters as /api/relations)")
def events_json(
    request: Request,
    filters: Filters,
    session: Annotated[Session, Depends(get_session)],
    limit: Limit = 50,
) -> Any:
    """JSON Feed 1.1; each item's `_amity` holds the event, both places and the article."""
    return json_feed(latest_events(session, filters.to_filter(), limit), str(request.url))
