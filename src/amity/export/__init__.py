"""Exports of the registry: one row per relation, for the user's own tools.

    export(session, "csv", output, filters)    write a file (CLI: amity export)
    stream(session, "geojson", filters)         the same file in pieces (API: /api/export)

Formats: csv, jsonl, geojson, graphml, parquet (amity.export.formats), and quickstatements
(amity.export.quickstatements: P190 statements for Wikidata). Rows come from `export_rows`
(amity.export.rows), selected by the same `RelationFilter` as /api/relations.

Example:
    >>> from amity.registry.queries import RelationFilter
    >>> with open("kr.geojson", "w") as out:  # doctest: +SKIP
    ...     export(session, "geojson", out, RelationFilter(country="KR"))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy.orm import Session

from amity.export.formats import MEDIA_TYPES, WRITERS
from amity.export.quickstatements import quickstatements
from amity.export.rows import FLAT_COLUMNS, export_rows
from amity.registry.queries.filters import RelationFilter

FORMATS = (*WRITERS, "quickstatements")
BINARY_FORMATS = ("parquet",)

__all__ = ["FLAT_COLUMNS", "FORMATS", "MEDIA_TYPES", "export", "export_rows", "stream"]


def stream(session: Session, format: str, filters: RelationFilter | None = None) -> Iterator[Any]:
    """The export in pieces: str, or bytes for the BINARY_FORMATS."""
    if format == "quickstatements":
        return quickstatements(session, filters)
    if format not in WRITERS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return WRITERS[format](export_rows(session, filters))


def export(
    session: Session, format: str, output: IO[Any], filters: RelationFilter | None = None
) -> None:
    """Write the export to `output` (a binary file for parquet, a text file otherwise)."""
    for piece in stream(session, format, filters):
        output.write(piece)
