/* Geometry for the map, in "world pixels at zoom 0": Web Mercator scaled to a 256 px wide
 * world (what Leaflet's EPSG3857 projects to at zoom 0). Multiply by 2^zoom for any zoom.
 *
 * Lines follow the great circle between their ends, with longitudes unwrapped (they may run
 * past ±180°), so Seoul–Los Angeles crosses the Pacific and the map can draw each line once
 * per visible copy of the world. */

const D2R = Math.PI / 180;
const MAX_LAT = 85.0511287798;
export const WORLD = 256; // the world's width in pixels at zoom 0

export function projectX(lon) {
  return ((lon + 180) / 360) * WORLD;
}

export function projectY(lat) {
  const phi = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * D2R;
  return (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * WORLD;
}

/** The points [lat, lon] of the great circle from (lat1, lon1) to (lat2, lon2), one about
 * every 3° of arc, longitudes continuous from lon1 (so they may leave [-180, 180]). */
export function greatCircle(lat1, lon1, lat2, lon2) {
  const p1 = lat1 * D2R, l1 = lon1 * D2R, p2 = lat2 * D2R, l2 = lon2 * D2R;
  const h = Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin((l2 - l1) / 2) ** 2;
  const d = 2 * Math.asin(Math.min(1, Math.sqrt(h))); // angular distance
  let lon2u = lon2;
  while (lon2u - lon1 > 180) lon2u -= 360;
  while (lon2u - lon1 < -180) lon2u += 360;
  const steps = Math.max(1, Math.min(60, Math.ceil(d / D2R / 3)));
  if (steps === 1 || Math.sin(d) < 1e-9) return [[lat1, lon1], [lat2, lon2u]];
  const x1 = Math.cos(p1) * Math.cos(l1), y1 = Math.cos(p1) * Math.sin(l1), z1 = Math.sin(p1);
  const x2 = Math.cos(p2) * Math.cos(l2), y2 = Math.cos(p2) * Math.sin(l2), z2 = Math.sin(p2);
  const points = [[lat1, lon1]];
  let previous = lon1;
  for (let i = 1; i <= steps; i++) {
    const f = i / steps;
    const a = Math.sin((1 - f) * d) / Math.sin(d);
    const b = Math.sin(f * d) / Math.sin(d);
    const x = a * x1 + b * x2, y = a * y1 + b * y2, z = a * z1 + b * z2;
    const lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / D2R;
    let lon = Math.atan2(y, x) / D2R;
    while (lon - previous > 180) lon -= 360;
    while (lon - previous < -180) lon += 360;
    points.push([lat, lon]);
    previous = lon;
  }
  return points;
}

/** Paths packed for drawing: xy (zoom-0 pixels), start/count per path, and its box. */
export class PathStore {
  constructor(capacity) {
    this.xy = new Float32Array(capacity * 8);
    this.used = 0;
    this.start = [];
    this.count = [];
    this.box = []; // [minX, minY, maxX, maxY]
  }

  add(points) {
    const need = this.used + points.length * 2;
    if (need > this.xy.length) {
      const bigger = new Float32Array(Math.max(need, this.xy.length * 2));
      bigger.set(this.xy);
      this.xy = bigger;
    }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const start = this.used;
    for (const [lat, lon] of points) {
      const x = projectX(lon), y = projectY(lat);
      this.xy[this.used++] = x;
      this.xy[this.used++] = y;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    this.start.push(start);
    this.count.push(points.length);
    this.box.push([minX, minY, maxX, maxY]);
    return this.start.length - 1;
  }
}

/** The median of numbers (a country's centre that overseas territories do not pull away). */
export function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
