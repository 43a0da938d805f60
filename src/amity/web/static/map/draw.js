/* What the three canvases draw: relation lines (summed between countries at world zoom,
 * density-shaded when zoomed in), lines in the news and the selected place's partners on
 * top, then places and their labels. `scene` is the app's state (see app.js). */

import { greatCircle, median, PathStore, projectX, projectY, WORLD } from "./geo.js";
import { LabelPlacer, positions, tracePaths } from "./layers.js";
import { placeLabel } from "./dom.js";

export const COLOURS = {
  base: "#1f5f8b", // relations from reference lists
  dimmed: "#8d9ba6", // every line but the selected place's
  highlight: "#e0115f", // the selected place's partner lines
  status: { active: "#1b9e77", proposed: "#7570b3", suspended: "#e6ab02", terminated: "#d95f02", unknown: "#6f6f6f" },
};
export const AGGREGATE_BELOW_ZOOM = 4; // sum lines between countries below this zoom
const AGGREGATE_ABOVE = 1500; // ... when more lines than this are shown
const DENSITY_GROUPS = 12; // lines stroked in this many passes, so overlaps darken

/** The cached great-circle path of a line (by relation id) in `scene.paths`. */
export function pathIndex(scene, line) {
  let index = scene.pathByRelation.get(line.id);
  if (index === undefined) {
    const a = scene.placeById.get(line.a), b = scene.placeById.get(line.b);
    index = scene.paths.add(greatCircle(a.lat, a.lon, b.lat, b.lon));
    scene.pathByRelation.set(line.id, index);
  }
  return index;
}

export function aggregating(scene, zoom) {
  return zoom < AGGREGATE_BELOW_ZOOM && scene.shown.length > AGGREGATE_ABOVE;
}

/** Lines shown, summed per pair of countries: [{key, count, path}], heaviest last. */
function countryEdges(scene) {
  if (scene.edges && scene.edges.version === scene.version) return scene.edges.list;
  if (!scene.centres) {
    const byCountry = new Map();
    for (const place of scene.allPlaces.values()) {
      if (!place.c) continue;
      if (!byCountry.has(place.c)) byCountry.set(place.c, { lats: [], lons: [] });
      byCountry.get(place.c).lats.push(place.lat);
      byCountry.get(place.c).lons.push(place.lon);
    }
    scene.centres = new Map();
    for (const [code, { lats, lons }] of byCountry) scene.centres.set(code, [median(lats), median(lons)]);
    scene.edgePaths = new PathStore(4096);
    scene.edgePathByKey = new Map();
  }
  const counts = new Map();
  for (const line of scene.shown) {
    if (line.news) continue;
    const ca = scene.placeById.get(line.a).c, cb = scene.placeById.get(line.b).c;
    if (!ca || !cb || ca === cb) continue;
    const key = ca < cb ? `${ca}|${cb}` : `${cb}|${ca}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const list = [];
  for (const [key, count] of counts) {
    let path = scene.edgePathByKey.get(key);
    if (path === undefined) {
      const [ca, cb] = key.split("|");
      const a = scene.centres.get(ca), b = scene.centres.get(cb);
      path = scene.edgePaths.add(greatCircle(a[0], a[1], b[0], b[1]));
      scene.edgePathByKey.set(key, path);
    }
    list.push({ key, count, path });
  }
  list.sort((p, q) => p.count - q.count);
  scene.edges = { version: scene.version, list };
  return list;
}

/** The lines layer: reference-list lines, summed or density-shaded; faded while a place is selected. */
export function drawBase(scene, ctx, view) {
  const selected = scene.selection !== null;
  ctx.strokeStyle = selected ? COLOURS.dimmed : COLOURS.base;
  ctx.lineCap = "round";
  if (aggregating(scene, view.zoom)) {
    const edges = countryEdges(scene);
    const top = Math.log(1 + (edges.length ? edges[edges.length - 1].count : 1));
    for (const edge of edges) {
      const weight = Math.log(1 + edge.count) / top; // 0..1
      ctx.lineWidth = 0.6 + 5 * weight;
      ctx.globalAlpha = (0.12 + 0.55 * weight) * (selected ? 0.35 : 1);
      ctx.beginPath();
      tracePaths(ctx, view, scene.edgePaths, [edge.path]);
      ctx.stroke();
    }
    scene.drawn = { mode: "countries", edges: edges.length };
  } else {
    const many = scene.shown.length > 2000;
    const alpha = many ? Math.min(0.5, 0.05 * 2 ** ((view.zoom - 4) / 1.5)) : 0.5;
    ctx.lineWidth = view.zoom < 6 ? 0.8 : 1;
    ctx.globalAlpha = alpha * (selected ? 0.35 : 1);
    const groups = Array.from({ length: many ? DENSITY_GROUPS : 1 }, () => []);
    let i = 0;
    for (const line of scene.shown) if (!line.news) groups[i++ % groups.length].push(pathIndex(scene, line));
    let traced = 0;
    for (const group of groups) {
      ctx.beginPath();
      traced += tracePaths(ctx, view, scene.paths, group);
      ctx.stroke();
    }
    scene.drawn = { mode: "lines", lines: traced };
  }
  ctx.globalAlpha = 1;
}

function dash(status, tier) {
  if (status === "suspended" || status === "terminated") return [6, 4];
  return tier === "friendly" ? [2, 3] : [];
}

/** The top layer: lines in the news (by status), then the selected place's partner lines. */
export function drawTop(scene, ctx, view) {
  const selection = scene.selection;
  ctx.lineCap = "round";
  for (const line of scene.shown) {
    if (!line.news) continue;
    const path = [pathIndex(scene, line)];
    ctx.globalAlpha = selection ? 0.3 : 1;
    ctx.setLineDash([]);
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 4;
    ctx.beginPath();
    tracePaths(ctx, view, scene.paths, path);
    ctx.stroke();
    ctx.strokeStyle = COLOURS.status[line.s] || COLOURS.status.unknown;
    ctx.setLineDash(dash(line.s, line.t));
    ctx.lineWidth = 2.2;
    ctx.beginPath();
    tracePaths(ctx, view, scene.paths, path);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  if (!selection) return;
  for (const [colour, width] of [["#fff", 5], [COLOURS.highlight, 2.6]]) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    for (const partner of selection.partners) {
      ctx.setLineDash(colour === "#fff" ? [] : dash(partner.status, partner.tier));
      ctx.beginPath();
      tracePaths(ctx, view, selection.paths, [partner.path]);
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

export function radius(n, zoom) {
  const zoomFactor = Math.max(0.75, Math.min(1.8, 0.45 + 0.18 * zoom));
  return Math.min(12, (0.9 + Math.sqrt(n) * 0.5) * zoomFactor);
}

function circles(ctx, view, items, fill, stroke, lineWidth) {
  ctx.beginPath();
  for (const [x0, y0, r] of items) {
    for (const [x, y] of positions(view, x0, y0, r)) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }
  ctx.fillStyle = fill;
  ctx.fill();
  if (stroke) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = lineWidth;
    ctx.stroke();
  }
}

/** The places layer: dots (small places) and circles (sized by partners), then labels by
 * importance: the selected place, its partners, places in the news, then the biggest hubs. */
export function drawPlaces(scene, ctx, view) {
  const dots = [], rings = [];
  for (const place of scene.places) {
    const r = radius(place.n, view.zoom);
    (r < 2.4 ? dots : rings).push([place.x, place.y, r]);
  }
  ctx.globalAlpha = scene.selection ? 0.45 : 0.75;
  circles(ctx, view, dots, "#23405a");
  ctx.globalAlpha = scene.selection ? 0.55 : 0.92;
  circles(ctx, view, rings, "#fbfcfd", "#23405a", 0.8);
  ctx.globalAlpha = 1;
  const news = scene.places.filter((p) => p.news);
  circles(ctx, view, news.map((p) => [p.x, p.y, Math.max(3.5, radius(p.n, view.zoom))]), "#fff", "#b34700", 2);

  const selection = scene.selection;
  if (selection) {
    const partners = selection.partners.map((p) => [p.x, p.y, 4]);
    circles(ctx, view, partners, "#fff", COLOURS.highlight, 2.2);
    circles(ctx, view, [[selection.x, selection.y, 7]], COLOURS.highlight, "#fff", 2);
  }

  const budget = Math.min(140, Math.round((view.width * view.height) / 14000));
  const placer = new LabelPlacer(ctx, budget + (selection ? selection.partners.length + 1 : 0));
  const labelled = new Set();
  const label = (x0, y0, text, r, font, colour) => {
    for (const [x, y] of positions(view, x0, y0, 0)) {
      if (x < 0 || x > view.width || y < 0 || y > view.height) continue;
      if (placer.place(text, x, y, r, font, colour)) labelled.add(text);
    }
  };
  if (selection) {
    label(selection.x, selection.y, placeLabel(selection.place), 7, "700 13px system-ui, sans-serif", "#7a0030");
    for (const partner of selection.partners) label(partner.x, partner.y, partner.name, 4, "600 11px system-ui, sans-serif", "#7a0030");
  }
  for (const place of news) label(place.x, place.y, place.name, 4, "600 11px system-ui, sans-serif", "#7a3300");
  if (!selection) {
    for (const place of scene.byImportance) {
      if (placer.boxes.length >= placer.budget) break;
      const big = place.n >= 20;
      label(place.x, place.y, place.name, radius(place.n, view.zoom), `${big ? 600 : 400} ${big ? 12 : 11}px system-ui, sans-serif`, "#1d2a33");
    }
  }
  scene.labels = Array.from(labelled);
}

/** Places within `reach` px of a container point, nearest first: [{place, distance}]. */
export function placesNear(scene, view, containerX, containerY, reach) {
  const wx = (containerX - view.offset.x + view.origin.x) / view.scale;
  const wy = (containerY - view.offset.y + view.origin.y) / view.scale;
  const found = [];
  for (const place of scene.places) {
    let dx = (wx - place.x) % WORLD;
    if (dx > WORLD / 2) dx -= WORLD;
    if (dx < -WORLD / 2) dx += WORLD;
    const distance = Math.hypot(dx * view.scale, (wy - place.y) * view.scale);
    if (distance <= Math.max(reach, radius(place.n, view.zoom) + 2)) found.push({ place, distance });
  }
  return found.sort((p, q) => p.distance - q.distance);
}

export function projectPlace(place) {
  place.x = projectX(place.lon);
  place.y = projectY(place.lat);
  return place;
}
