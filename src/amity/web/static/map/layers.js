/* Canvas layers for Leaflet: one <canvas> per layer, redrawn after every move or zoom by a
 * draw(ctx, view) function. Tens of thousands of lines and places drawn in a few batched
 * passes; L.polyline or L.circleMarker objects would each be projected, hit-tested and
 * drawn on their own. Everything is drawn once per visible copy of the world. */

import { WORLD } from "./geo.js";

export const CanvasLayer = L.Layer.extend({
  // zoomAnimated: scaled during a zoom animation (as Leaflet's own canvas renderer does)
  // rather than hidden until the zoom ends: the land outline, which should not flicker
  options: { pane: "overlayPane", padding: 0.2, zoomAnimated: false },

  initialize(draw, options) {
    L.setOptions(this, options);
    this._draw = draw;
    this.view = null;
  },

  onAdd(map) {
    const animated = this.options.zoomAnimated && map._zoomAnimated;
    this._canvas = L.DomUtil.create("canvas", `amity-canvas ${animated ? "leaflet-zoom-animated" : "leaflet-zoom-hide"}`);
    this._canvas.style.pointerEvents = "none";
    map.getPane(this.options.pane).appendChild(this._canvas);
    map.on("moveend resize viewreset", this.redraw, this);
    if (animated) map.on("zoomanim", this._animateZoom, this);
    this.redraw();
  },

  onRemove(map) {
    map.off("moveend resize viewreset", this.redraw, this);
    map.off("zoomanim", this._animateZoom, this);
    this._canvas.remove();
  },

  /** Leaflet's Renderer._updateTransform: the canvas drawn at (_center, _zoom) scaled and
   * moved to where it belongs at the animation's target. */
  _animateZoom(event) {
    const map = this._map;
    const scale = map.getZoomScale(event.zoom, this._zoom);
    const viewHalf = map.getSize().multiplyBy(0.5 + this.options.padding);
    const centre = map.project(this._center, event.zoom);
    const topLeft = viewHalf.multiplyBy(-scale).add(centre).subtract(map._getNewPixelOrigin(event.center, event.zoom));
    L.DomUtil.setTransform(this._canvas, topLeft, scale);
  },

  redraw() {
    const map = this._map;
    if (!map) return this;
    const size = map.getSize();
    const pad = this.options.padding;
    const width = Math.round(size.x * (1 + 2 * pad));
    const height = Math.round(size.y * (1 + 2 * pad));
    const offset = L.point(-size.x * pad, -size.y * pad).round(); // container px of canvas (0, 0)
    const ratio = window.devicePixelRatio || 1;
    const canvas = this._canvas;
    if (canvas.width !== width * ratio || canvas.height !== height * ratio) {
      // setting a canvas's size reallocates and clears it, even to the same size: only
      // when the map's size changed (clearRect below empties it otherwise)
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint(offset));
    this._center = map.getCenter();
    this._zoom = map.getZoom();
    const zoom = map.getZoom();
    const scale = 2 ** zoom;
    // absolute world pixels (at this zoom) of the canvas's top-left corner
    const origin = map.containerPointToLayerPoint(offset).add(map.getPixelOrigin());
    const ctx = canvas.getContext("2d");
    if (typeof ctx.reset === "function") ctx.reset(); // the drawing state, as a resize did
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    this.view = { zoom, scale, origin, offset, width, height, ratio, worldWidth: WORLD * scale };
    const begin = performance.now();
    this._draw(ctx, this.view);
    this.drawMs = performance.now() - begin; // reported by window.amity.timings
    return this;
  },

  /** The RGBA of the pixel under a container point (for tests: what is drawn where). */
  pixelAt(x, y) {
    const view = this.view;
    if (!view) return null;
    const px = Math.round((x - view.offset.x) * view.ratio);
    const py = Math.round((y - view.offset.y) * view.ratio);
    return Array.from(this._canvas.getContext("2d").getImageData(px, py, 1, 1).data);
  },
});

/** Shifts (in canvas px) of the world copies in which x-range [minX, maxX] (zoom-0 px) shows. */
export function copies(view, minX, maxX) {
  const shifts = [];
  const W = view.worldWidth;
  const left = minX * view.scale - view.origin.x;
  const right = maxX * view.scale - view.origin.x;
  const first = Math.ceil((-right) / W);
  const last = Math.floor((view.width - left) / W);
  for (let k = first; k <= last; k++) shifts.push(k * W);
  return shifts;
}

/** Append the paths `indices` of `store` (a geo.PathStore) to the current canvas path. */
export function tracePaths(ctx, view, store, indices) {
  const { scale, origin, height } = view;
  const xy = store.xy;
  let traced = 0;
  for (const i of indices) {
    const [minX, minY, maxX, maxY] = store.box[i];
    if (maxY * scale - origin.y < 0 || minY * scale - origin.y > height) continue;
    const start = store.start[i], end = start + store.count[i] * 2;
    for (const shift of copies(view, minX, maxX)) {
      const dx = shift - origin.x, dy = -origin.y;
      ctx.moveTo(xy[start] * scale + dx, xy[start + 1] * scale + dy);
      for (let j = start + 2; j < end; j += 2) ctx.lineTo(xy[j] * scale + dx, xy[j + 1] * scale + dy);
      traced++;
    }
  }
  return traced;
}

/** Canvas positions of a zoom-0 point in every visible world copy. */
export function positions(view, x0, y0, margin) {
  const y = y0 * view.scale - view.origin.y;
  if (y < -margin || y > view.height + margin) return [];
  const out = [];
  for (const shift of copies(view, x0, x0)) out.push(x0 * view.scale - view.origin.x + shift);
  return out.map((x) => [x, y]);
}

/** Greedy label placement: labels in priority order, each to the right of its place, else
 * to the left, else above; skipped when every spot overlaps a label placed before. */
export class LabelPlacer {
  constructor(ctx, budget) {
    this.ctx = ctx;
    this.budget = budget;
    this.boxes = [];
  }

  free(box) {
    for (const b of this.boxes) {
      if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) return false;
    }
    return true;
  }

  place(text, x, y, r, font, colour) {
    if (this.boxes.length >= this.budget) return false;
    const ctx = this.ctx;
    ctx.font = font;
    const w = ctx.measureText(text).width;
    const spots = [
      [x + r + 3, y - 7, x + r + 5 + w, y + 7],
      [x - r - 5 - w, y - 7, x - r - 3, y + 7],
      [x - w / 2 - 1, y - r - 17, x + w / 2 + 1, y - r - 3],
    ];
    const box = spots.find((spot) => this.free(spot));
    if (!box) return false;
    this.boxes.push(box);
    const baseline = box[1] + 11;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.strokeText(text, box[0] + 1, baseline);
    ctx.fillStyle = colour;
    ctx.fillText(text, box[0] + 1, baseline);
    return true;
  }
}

/** The world outline (GeoJSON polygons) as one Path2D per country in zoom-0 world pixels,
 * built once and drawn by drawOutline per world copy under a scaling transform: three
 * L.geoJSON copies cost Leaflet ~200 ms to project and draw on a first load (docs/web.md,
 * "Speed"). One path per country, filled even-odd as Leaflet does: holes (Lesotho in South
 * Africa) stay holes whatever the winding, and countries never cancel each other out. */
export function outlinePath(world, project) {
  const paths = [];
  let minX = Infinity, maxX = -Infinity;
  for (const feature of world.features) {
    const { type, coordinates } = feature.geometry;
    const polygons = type === "Polygon" ? [coordinates] : type === "MultiPolygon" ? coordinates : [];
    const path = new Path2D();
    for (const polygon of polygons) {
      for (const ring of polygon) {
        ring.forEach(([lon, lat], i) => {
          const [x, y] = project(lon, lat);
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (i === 0) path.moveTo(x, y);
          else path.lineTo(x, y);
        });
        path.closePath();
      }
    }
    paths.push(path);
  }
  return { paths, minX, maxX };
}

/** Draw an outlinePath filled and stroked in every visible world copy. */
export function drawOutline(ctx, view, outline, style) {
  if (!outline) return;
  const { scale, origin, ratio } = view;
  ctx.fillStyle = style.fill;
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = style.weight / scale; // in zoom-0 px: the transform scales it back
  for (const shift of copies(view, outline.minX, outline.maxX)) {
    ctx.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * (shift - origin.x), -ratio * origin.y);
    for (const path of outline.paths) {
      ctx.fill(path, "evenodd");
      ctx.stroke(path);
    }
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
}
