"""Build src/amity/web/static/data/world-110m.geojson, the map's offline base layer.

Source: Natural Earth 1:110m Admin 0 countries (public domain), as the TopoJSON
`countries-110m.json` of the npm package world-atlas@2.0.2 (ISC). Get it once with

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world.py package/countries-110m.json

The TopoJSON arcs are decoded here (delta-encoded, quantized) into a GeoJSON
FeatureCollection of country (Multi)Polygons with a `name` property, coordinates rounded to
2 decimals. The output is committed; this script only needs rerunning to change it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/amity/web/static/data/world-110m.geojson"


def decode_arcs(topology: dict) -> list[list[list[float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, 2), round(y * sy + ty, 2)])
        arcs.append(points)
    return arcs


def ring(arcs: list[list[list[float]]], indexes: list[int]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return unwrap(points)


def unwrap(points: list[list[float]]) -> list[list[float]]:
    """Rings crossing the antimeridian (Russia, Fiji, Antarctica) jump from 180 to -180,
    which a flat map draws as a band across the world; continue them past ±180 instead."""
    shift = 0.0
    out = [points[0]] if points else []
    for (x0, _), (x1, y1) in zip(points, points[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append([round(x1 + shift, 2), y1])
    return out


def geometry(arcs: list, geom: dict) -> dict | None:
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(arcs, r) for r in geom["arcs"]]}
    if geom["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[ring(arcs, r) for r in polygon] for polygon in geom["arcs"]],
        }
    return None


def main(path: str) -> None:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        shape = geometry(arcs, geom)
        if shape is not None:
            name = (geom.get("properties") or {}).get("name")
            features.append({"type": "Feature", "properties": {"name": name}, "geometry": shape})
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas@2.0.2",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {len(features)} countries to {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "countries-110m.json")
