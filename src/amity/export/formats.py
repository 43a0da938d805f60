"""Writers of the export formats: each takes export rows (amity.export.rows) and yields the
file in pieces (str, or bytes for Parquet), so the API streams it and the CLI writes it
without holding every relation.

    csv       FLAT_COLUMNS, one line per relation
    jsonl     one export row (nested places) per line
    geojson   a FeatureCollection: one LineString per relation with both places located,
              then one Point per place (properties: the place's fields, partner count)
    graphml   nodes = places, edges = relations, with their fields as attributes (the
              XML written as it streams, each place's node before its first edge)
    parquet   FLAT_COLUMNS as a table (pyarrow, installed with the `spark` extra)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape

from amity.export.rows import FLAT_COLUMNS, PLACE_FIELDS, RELATION_FIELDS, flat

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "geojson": "application/geo+json",
    "graphml": "application/graphml+xml",
    "parquet": "application/vnd.apache.parquet",
    "quickstatements": "text/plain; charset=utf-8",
}
BATCH = 2000
# one encoder for every row (json.dumps with options builds a new one per call)
_to_json = json.JSONEncoder(ensure_ascii=False).encode


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
        yield _to_json(row) + "\n"


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
        yield ("" if first else ",") + "\n" + _to_json(line)
        first = False
    for place in places.values():
        point = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": {k: place[k] for k in ("id", *PLACE_FIELDS, "partners")},
        }
        yield ("" if first else ",") + "\n" + _to_json(point)
        first = False
    yield "\n]}\n"


# GraphML, written as it streams: every key declared up front, a place's <node> the first
# time it appears, then its relation's <edge> (GraphML allows them interleaved).
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_NODE_KEYS = {
    "geonameid": "long",
    "name": "string",
    "country": "string",
    "admin1": "string",
    "lat": "double",
    "lon": "double",
}
_EDGE_KEYS = {
    "relation_id": "long",
    "tier": "string",
    "status": "string",
    "established": "long",
    "first_event": "string",
    "last_event": "string",
    "first_seen": "string",
    "last_seen": "string",
    "events": "long",
    "sources": "string",
}
# characters XML 1.0 cannot carry at all (control characters), dropped from text
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _graphml_keys() -> str:
    lines = [
        f'  <key id="{what[0]}_{name}" for="{what}" attr.name="{name}" attr.type="{kind}" />\n'
        for what, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS))
        for name, kind in keys.items()
    ]
    return "".join(lines)


def _graphml_data(prefix: str, values: dict[str, Any]) -> str:
    """<data> elements of the values that are not None (GraphML has no null), lists
    joined by ";", text escaped."""
    out = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = ";".join(map(str, value))
        if isinstance(value, str):
            text = escape(_NOT_XML.sub("", value), {"\r": "&#13;"})
        else:
            text = repr(value) if isinstance(value, float) else str(value)
        out.append(f'      <data key="{prefix}_{name}">{text}</data>\n')
    return "".join(out)


def write_graphml(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Nodes = places ("p<id>", with PLACE_FIELDS), edges = relations (relation_id and the
    relation's fields), undirected; read back by networkx.read_graphml and Gephi."""
    yield _GRAPHML_HEAD + _graphml_keys() + '  <graph edgedefault="undirected">\n'
    written: set[int] = set()
    parts: list[str] = []
    for n, row in enumerate(rows, 1):
        for place in (row["a"], row["b"]):
            if place["id"] not in written:
                written.add(place["id"])
                data = _graphml_data("n", {k: place[k] for k in PLACE_FIELDS})
                parts.append(f'    <node id="p{place["id"]}">\n{data}    </node>\n')
        edge = {"relation_id": row["id"], **{k: row[k] for k in RELATION_FIELDS[1:]}}
        data = _graphml_data("e", edge)
        parts.append(
            f'    <edge source="p{row["a"]["id"]}" target="p{row["b"]["id"]}">\n{data}    </edge>\n'
        )
        if n % BATCH == 0:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "  </graph>\n</graphml>\n"


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
