"""/api/export: the relations as a file, streamed (amity.export); the filters of
/api/relations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from amity.api.relations import Filters
from amity.export import MEDIA_TYPES, stream

router = APIRouter(prefix="/api", tags=["exports"])

ExportFormat = Literal["csv", "jsonl", "geojson", "graphml", "parquet", "quickstatements"]


@router.get(
    "/export",
    summary="Download the relations (csv, jsonl, geojson, graphml, parquet, quickstatements)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file, in the media type of its format",
            "content": {media.split(";")[0]: {} for media in MEDIA_TYPES.values()},
        }
    },
)
def export_relations(
    request: Request,
    filters: Filters,
    format: Annotated[ExportFormat, Query(description="The file format.")] = "csv",
) -> StreamingResponse:
    """One row per relation matching the filters (as /api/relations): both places
    (geonameid, name, country, admin1, lat, lon), tier, status, established, first and
    last event, sources. Streamed as it is read, a chunk of relations at a time."""
    relation_filter = filters.to_filter()
    registry = request.app.state.registry

    def pieces():  # type: ignore[no-untyped-def]
        # its own session: the response outlives the request's dependencies
        with registry.session() as session:
            for piece in stream(session, format, relation_filter):
                yield piece.encode("utf-8") if isinstance(piece, str) else piece

    extension = {"quickstatements": "qs.txt"}.get(format, format)
    return StreamingResponse(
        pieces(),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="relations.{extension}"'},
    )
