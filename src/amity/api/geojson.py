"""/api/relations.geojson: the compact map layer (points, then lines)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from amity.api.deps import get_session
from amity.api.relations import Filters
from amity.registry import queries

router = APIRouter(prefix="/api", tags=["map"])


@router.get(
    "/relations.geojson",
    summary="Relations as GeoJSON lines and places as points",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def relations_geojson(
    filters: Filters,
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """A FeatureCollection: Point features (places: `name`, country `c`, partner count `n`),
    then LineString features (relations: place ids `a`/`b`, status `s`, tier `t`,
    established `e`, review `r`). Takes the filters of `/api/relations`."""
    body = queries.relations_geojson_bytes(session, filters.to_filter())
    return Response(body, media_type="application/geo+json")
