/* What the three canvases draw: relation lines (summed between countries at world zoom,
 * density-shaded when zoomed in), lines in the news and the selected place's partners on
 * top, then places and their labels. `scene` is the app's state (see app.js). */

import { greatCircle, median, PathStore, projectX, projectY, WORLD } from "./geo.js";
import { copies, LabelPlacer, positions, tracePaths } from "./layers.js";
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
const WIDE_NEWS_LINES = 200; // news lines drawn wide with a casing up to this many
const HAIRLINE = 1.8; // country-pair lines thinner than this are drawn 1 px wide

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
  // a pair of countries as one number (their indexes in scene.centres' order), not a string
  // built per line: 24,000 template strings and string-keyed look-ups were most of this
  const codes = Array.from(scene.centres.keys());
  const index = new Map(codes.map((code, i) => [code, i]));
  const counts = new Map();
  for (const line of scene.shown) {
    if (line.news) continue;
    const ia = index.get(scene.placeById.get(line.a).c), ib = index.get(scene.placeById.get(line.b).c);
    if (ia === undefined || ib === undefined || ia === ib) continue;
    const key = ia < ib ? ia * 4096 + ib : ib * 4096 + ia;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const list = [];
  for (const [pair, count] of counts) {
    const ca = codes[Math.floor(pair / 4096)], cb = codes[pair % 4096];
    const key = `${ca}|${cb}`;
    let path = scene.edgePathByKey.get(key);
    if (path === undefined) {
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
    const fade = selected ? 0.35 : 1;
    // most country pairs have a few relations: their lines, under HAIRLINE px, are drawn
    // 1 px wide (the canvas's fast path) with the ink made up in opacity, batched by
    // opacity; only the heavy pairs are stroked wide, one by one
    const thin = new Map(); // opacity step -> paths
    for (const edge of edges) {
      const weight = Math.log(1 + edge.count) / top; // 0..1
      const width = 0.6 + 5 * weight;
      const alpha = (0.12 + 0.55 * weight) * fade;
      if (width < HAIRLINE) {
        const step = Math.round(Math.min(1, alpha * width) * 40);
        if (!thin.has(step)) thin.set(step, []);
        thin.get(step).push(edge.path);
        continue;
      }
      ctx.lineWidth = width;
      ctx.globalAlpha = alpha;
      ctx.beginPath();
      tracePaths(ctx, view, scene.edgePaths, [edge.path]);
      ctx.stroke();
    }
    ctx.lineWidth = 1;
    for (const [step, paths] of thin) {
      ctx.globalAlpha = step / 40;
      ctx.beginPath();
      tracePaths(ctx, view, scene.edgePaths, paths);
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

/** The top layer: lines in the news (by status), then the selected place's partner lines.
 * A wide line costs the canvas a path of its outline; a thousand news lines with casings
 * were most of a first paint, so beyond WIDE_NEWS_LINES they are drawn 1 px wide. */
export function drawTop(scene, ctx, view) {
  const selection = scene.selection;
  ctx.lineCap = "round";
  const groups = new Map(); // "status|dash" -> path indices
  const casing = []; // every news line's path
  for (const line of scene.shown) {
    if (!line.news) continue;
    const index = pathIndex(scene, line);
    casing.push(index);
    const key = `${line.s}|${line.t === "friendly" ? "friendly" : ""}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(index);
  }
  ctx.globalAlpha = selection ? 0.3 : 1;
  if (casing.length <= WIDE_NEWS_LINES) {
    // a white casing and a 2.2 px line each: wide strokes are costly, one at a time is cheapest
    for (const [key, indices] of groups) {
      const [status, tier] = key.split("|");
      for (const index of indices) {
        strokeGroup(ctx, view, scene.paths, [index], "#fff", 4, []);
        strokeGroup(ctx, view, scene.paths, [index], COLOURS.status[status] || COLOURS.status.unknown, 2.2, dash(status, tier));
      }
    }
  } else {
    // many: 1 px lines (the canvas's fast path), twice, one pixel apart, one stroke per
    // status, solid (a dash pattern leaves the fast path too)
    const byStatus = new Map();
    for (const [key, indices] of groups) {
      const status = key.split("|")[0];
      byStatus.set(status, (byStatus.get(status) || []).concat(indices));
    }
    for (const [status, indices] of byStatus) {
      for (const shift of [0, 0.8]) {
        ctx.translate(shift, shift);
        strokeGroup(ctx, view, scene.paths, indices, COLOURS.status[status] || COLOURS.status.unknown, 1, []);
        ctx.translate(-shift, -shift);
      }
    }
  }
  scene.drawnNews = casing.length;
  ctx.globalAlpha = 1;
  if (!selection) return;
  const byDash = new Map();
  for (const partner of selection.partners) {
    const key = dash(partner.status, partner.tier).join(",");
    if (!byDash.has(key)) byDash.set(key, { dash: dash(partner.status, partner.tier), paths: [] });
    byDash.get(key).paths.push(partner.path);
  }
  strokeGroup(ctx, view, selection.paths, selection.partners.map((p) => p.path), "#fff", 5, []);
  for (const group of byDash.values()) strokeGroup(ctx, view, selection.paths, group.paths, COLOURS.highlight, 2.6, group.dash);
  ctx.setLineDash([]);
}

function strokeGroup(ctx, view, store, indices, colour, width, lineDash) {
  if (!indices.length) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.setLineDash(lineDash);
  ctx.beginPath();
  tracePaths(ctx, view, store, indices);
  ctx.stroke();
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

/** Most important first: GeoNames population (Paris before Houffalize, whatever their
 * partner counts), then partners; places of unknown size after, by partners. */
export function importance(p, q) {
  return q.pop - p.pop || q.n - p.n;
}

const DOT_COLOUR = "#56697a"; // #23405a at 75% over the land: dots are drawn opaque

/** Small places as two crossed rectangles (an octagon at this size; under 3 px a square):
 * fillRect is the one shape the canvas rasterises without building a path; tens of
 * thousands of arcs cost ten times as much (docs/web.md, "Speed"). When the whole world is
 * narrower than the canvas (world zoom: two or three copies in view), the dots of one copy
 * are drawn once on a canvas of their own and that is copied to each world copy: half to a
 * third of the fillRect calls, which were the largest part of a first paint's scripting. */
function dots(ctx, view, items, colour) {
  const shifts = copies(view, 0, WORLD);
  if (shifts.length < 2 || view.worldWidth > view.width || typeof OffscreenCanvas === "undefined") {
    ctx.fillStyle = colour;
    for (const [x0, y0, r] of items) {
      for (const [x, y] of positions(view, x0, y0, r)) dot(ctx, x, y, r);
    }
    return;
  }
  const W = view.worldWidth, ratio = view.ratio;
  const sheet = new OffscreenCanvas(Math.ceil(W * ratio), Math.ceil(view.height * ratio));
  const sheetCtx = sheet.getContext("2d");
  sheetCtx.setTransform(ratio, 0, 0, ratio, 0, 0);
  sheetCtx.fillStyle = colour;
  for (const [x0, y0, r] of items) {
    const y = y0 * view.scale - view.origin.y;
    if (y < -r || y > view.height + r) continue;
    const x = x0 * view.scale; // in [0, W): one copy of the world
    dot(sheetCtx, x, y, r);
    // a dot across the copy's edge: its other part shows at the other side of the sheet
    if (x < r) dot(sheetCtx, x + W, y, r);
    else if (x > W - r) dot(sheetCtx, x - W, y, r);
  }
  for (const shift of shifts) ctx.drawImage(sheet, shift - view.origin.x, 0, W, view.height);
}

function dot(ctx, x, y, r) {
  if (r < 1.5) {
    ctx.fillRect(x - r, y - r, 2 * r, 2 * r); // under 3 px a square reads as a dot
    return;
  }
  const e = 1.2 * r;
  ctx.fillRect(x - r, y - e / 2, 2 * r, e);
  ctx.fillRect(x - e / 2, y - r, e, 2 * r);
}

/** The places layer: dots (small places) and circles (sized by partners), then labels by
 * importance: the selected place, its partners, places in the news, then the biggest
 * places (population, then partners), each only where it overlaps no label placed before. */
export function drawPlaces(scene, ctx, view) {
  const small = [], rings = [];
  for (const place of scene.places) {
    const r = radius(place.n, view.zoom);
    (r < 2.4 ? small : rings).push([place.x, place.y, r]);
  }
  ctx.globalAlpha = scene.selection ? 0.6 : 1;
  dots(ctx, view, small, DOT_COLOUR);
  ctx.globalAlpha = scene.selection ? 0.55 : 0.92;
  circles(ctx, view, rings, "#fbfcfd", "#23405a", 0.8);
  ctx.globalAlpha = 1;
  const news = scene.places.filter((p) => p.news);
  const newsRings = news.map((p) => [p.x, p.y, Math.max(3.5, radius(p.n, view.zoom))]);
  if (news.length <= WIDE_NEWS_LINES) circles(ctx, view, newsRings, "#fff", "#b34700", 2);
  else dots(ctx, view, newsRings.map(([x, y]) => [x, y, 2.5]), "#b34700"); // cheaper, as news lines

  const selection = scene.selection;
  if (selection) {
    const partners = selection.partners.map((p) => [p.x, p.y, 4]);
    circles(ctx, view, partners, "#fff", COLOURS.highlight, 2.2);
    circles(ctx, view, [[selection.x, selection.y, 7]], COLOURS.highlight, "#fff", 2);
  }

  const budget = Math.min(140, Math.round((view.width * view.height) / 14000));
  const placer = new LabelPlacer(ctx, budget + (selection ? selection.partners.length + 1 : 0));
  const labelled = new Set();
  const placed = new Set(); // place ids with a label: each place gets one
  const label = (id, x0, y0, text, r, font, colour) => {
    if (placed.has(id)) return;
    for (const [x, y] of positions(view, x0, y0, 0)) {
      if (x < 0 || x > view.width || y < 0 || y > view.height) continue;
      if (placer.place(text, x, y, r, font, colour)) {
        labelled.add(text);
        placed.add(id);
      }
    }
  };
  if (selection) {
    label(selection.place.id, selection.x, selection.y, placeLabel(selection.place), 7, "700 13px system-ui, sans-serif", "#7a0030");
    for (const partner of selection.partners) label(partner.id, partner.x, partner.y, partner.name, 4, "600 11px system-ui, sans-serif", "#7a0030");
  }
  for (const place of news) label(place.id, place.x, place.y, place.name, 4, "600 11px system-ui, sans-serif", "#7a3300");
  if (!selection) {
    let tried = 0; // places that fall in view; past a few times the budget, labels are crowded anyway
    for (const place of scene.byImportance) {
      if (placer.boxes.length >= placer.budget || tried > 8 * placer.budget) break;
      if (positions(view, place.x, place.y, 0).some(([x, y]) => x >= 0 && x <= view.width && y >= 0 && y <= view.height)) tried++;
      const big = place.pop >= 1_000_000 || (!place.pop && place.n >= 20);
      label(place.id, place.x, place.y, place.name, radius(place.n, view.zoom), `${big ? 600 : 400} ${big ? 12 : 11}px system-ui, sans-serif`, "#1d2a33");
    }
  }
  scene.labels = Array.from(labelled);
  scene.labelBoxes = placer.boxes;
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
