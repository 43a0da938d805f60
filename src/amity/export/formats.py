"""Writers of the export formats: each takes export rows (amity.export.rows) and yields the
file in pieces (str, or bytes for Parquet), so the API streams it and the CLI writes it
without holding every relation. GraphML is the exception: networkx builds the graph first.

    csv       FLAT_COLUMNS, one line per relation
    jsonl     one export row (nested places) per line
    geojson   a FeatureCollection: one LineString per relation with both places located,
              then one Point per place (properties: the place's fields, partner count)
    graphml   nodes = places, edges = relations, with their fields as attributes
    parquet   FLAT_COLUMNS as a table (pyarrow, installed with the `spark` extra)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from amity.export.rows import FLAT_COLUMNS, PLACE_FIELDS, flat

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "geojson": "application/geo+json",
    "graphml": "application/graphml+xml",
    "parquet": "application/vnd.apache.parquet",
    "quickstatements": "text/plain; charset=utf-8",
}
BATCH = 2000


def write_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FLAT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(flat(row))
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_jsonl(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _relation_properties(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "a": row["a"]["name"],
        "b": row["b"]["name"],
        **{k: row[k] for k in row if k not in ("id", "a", "b")},
    }


def write_geojson(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Lines first, as they stream; the points (one per place) after them."""
    places: dict[int, dict[str, Any]] = {}
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for row in rows:
        a, b = row["a"], row["b"]
        for place in (a, b):
            if place["lat"] is not None and place["lon"] is not None:
                known = places.setdefault(place["id"], {**place, "partners": 0})
                known["partners"] += 1
        if None in (a["lat"], a["lon"], b["lat"], b["lon"]):
            continue
        line = {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]],
            },
            "properties": _relation_properties(row),
        }
        yield ("" if first else ",") + "\n" + json.dumps(line, ensure_ascii=False)
        first = False
    for place in places.values():
        point = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": {k: place[k] for k in ("id", *PLACE_FIELDS, "partners")},
        }
        yield ("" if first else ",") + "\n" + json.dumps(point, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _attributes(values: dict[str, Any]) -> dict[str, Any]:
    """GraphML takes str, int, float and bool; None is left out, lists joined by ";"."""
    out = {}
    for key, value in values.items():
        if isinstance(value, list):
            value = ";".join(map(str, value))
        if value is not None:
            out[key] = value
    return out


def build_graph(rows: Iterable[dict[str, Any]]) -> Any:
    """A networkx Graph: node = place id ("p<id>"), edge = relation."""
    import networkx as nx

    graph = nx.Graph()
    for row in rows:
        for place in (row["a"], row["b"]):
            graph.add_node(f"p{place['id']}", **_attributes({k: place[k] for k in PLACE_FIELDS}))
        edge = {k: row[k] for k in row if k not in ("a", "b")}
        edge["relation_id"] = edge.pop("id")
        graph.add_edge(f"p{row['a']['id']}", f"p{row['b']['id']}", **_attributes(edge))
    return graph


def write_graphml(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    import networkx as nx

    for line in nx.generate_graphml(build_graph(rows)):
        yield line + "\n"


def write_parquet(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """Row groups of BATCH relations, each yielded as soon as it is written."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError("Parquet needs pyarrow: pip install 'amity[spark]'") from error
    schema = pa.schema(
        [
            (
                c,
                pa.int64()
                if c in _INT_COLUMNS
                else pa.float64()
                if c.endswith(("_lat", "_lon"))
                else pa.string(),
            )
            for c in FLAT_COLUMNS
        ]
    )
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(flat(row))
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
                yield _drain(sink)
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    yield _drain(sink)


_INT_COLUMNS = {"id", "a_id", "b_id", "a_geonameid", "b_geonameid", "established", "events"}


def _drain(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data


WRITERS = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
    "graphml": write_graphml,
    "parquet": write_parquet,
}
