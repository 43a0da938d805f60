/* amity map: every relation on one world map that repeats past ±180°, lines along great
 * circles (summed between countries at world zoom), places sized by partners and labelled
 * by importance, a panel per place with a dated, sourced timeline, search, filters, a time
 * slider, and the whole view in the URL (?place=…&country=…&at=zoom/lat/lon).
 *
 * Modules under static/map/: geo (projection, great circles), layers (canvas layers),
 * draw (what is drawn), panel (the place panel), dom (DOM and fetch helpers). */

import { greatCircle, PathStore, projectX, projectY, WORLD } from "./map/geo.js";
import { CanvasLayer, drawOutline, outlinePath } from "./map/layers.js";
import { AGGREGATE_BELOW_ZOOM, COLOURS, drawBase, drawPlaces, drawTop, importance, pathIndex, placesNear, projectPlace } from "./map/draw.js";
import { countryName, el, getJSON, placeLabel, plural } from "./map/dom.js";
import { placeContent } from "./map/panel.js";

const config = JSON.parse(document.getElementById("amity-config").textContent || "{}");
const FILTERS = ["country", "tier", "status", "source", "year_from", "year_to"];
const started = performance.now();

// The scene: what is loaded and shown. window.amity exposes it to the browser tests.
const scene = {
  allPlaces: new Map(), // every place seen so far (for country centres)
  placeById: new Map(), // places of the current result
  places: [], // ... as a list
  byImportance: [], // ... most partners first
  lines: [], // relations of the current result: {id, a, b, s, t, e, r, news}
  shown: [], // lines the time slider lets through
  paths: new PathStore(30000), // great-circle paths by relation (pathByRelation)
  pathByRelation: new Map(),
  version: 0, // bumped whenever `shown` changes
  selection: null, // {place, x, y, partners: [...], paths}
  labels: [],
  drawn: {},
};
const state = {
  scene,
  ready: false,
  firstPaintMs: null,
  openPlaceId: null,
  lineCount: 0, // relations in the current result
  shownCount: 0, // ... the time slider lets through
  markerCount: 0,
  timings: {},
  message: null,
};
window.amity = state;

function setStatus(text) {
  document.getElementById("status-line").textContent = text;
}

// --- the map --------------------------------------------------------------------------
const initialZoom = Math.max(1, Math.min(2, Math.log2(window.innerWidth / WORLD)));
const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5, preferCanvas: true }).setView([25, 10], initialZoom);
map.attributionControl.setPrefix(false);
map.createPane("outline").style.zIndex = 200;
map.createPane("lines").style.zIndex = 410;
map.createPane("top").style.zIndex = 420;
map.createPane("places").style.zIndex = 430;
state.map = map;

if (config.tileUrl && navigator.onLine) {
  L.tileLayer(config.tileUrl, { maxZoom: 12, attribution: "© map tile providers" }).addTo(map);
}

// the land outline: one Path2D drawn per world copy (the map goes on past ±180°)
let outline = null;
const outlineStyle = { stroke: "#aab5bd", weight: 0.6, fill: "#eef1f3" };
const outlineLayer = new CanvasLayer((ctx, view) => drawOutline(ctx, view, outline, outlineStyle), { pane: "outline", zoomAnimated: true }).addTo(map);
fetch("/static/data/world-110m.geojson")
  .then((r) => r.json())
  .then((world) => {
    outline = outlinePath(world, (lon, lat) => [projectX(lon), projectY(lat)]);
    outlineLayer.redraw();
    map.attributionControl.addAttribution("Natural Earth (public domain)");
    state.timings.outline = performance.now() - started;
  })
  .catch((error) => console.warn("world outline:", error.message));

const baseLayer = new CanvasLayer((ctx, view) => drawBase(scene, ctx, view), { pane: "lines" }).addTo(map);
const topLayer = new CanvasLayer((ctx, view) => drawTop(scene, ctx, view), { pane: "top" }).addTo(map);
const placeLayer = new CanvasLayer((ctx, view) => drawPlaces(scene, ctx, view), { pane: "places" }).addTo(map);
const layers = { base: baseLayer, top: topLayer, places: placeLayer };
state.layers = layers;

function redraw() {
  for (const [name, layer] of Object.entries(layers)) {
    layer.redraw();
    state.timings[`${name}Ms`] = Math.round(layer.drawMs);
  }
}

// --- loading a result -----------------------------------------------------------------
/** The compact layer (amity.web.layer: columns, not GeoJSON features) as the scene. */
function setResult(data) {
  const P = data.places, R = data.lines, codes = data.codes;
  scene.placeById = new Map();
  for (let i = 0; i < P.id.length; i++) {
    const place = projectPlace({ id: P.id[i], name: P.name[i], c: P.c[i], n: P.n[i], pop: P.pop[i] || 0, lat: P.lat[i], lon: P.lon[i], news: false });
    scene.placeById.set(place.id, place);
    if (!scene.allPlaces.has(place.id)) scene.allPlaces.set(place.id, place);
  }
  const news = new Set(data.news);
  const code = (list, i) => (i === null || i === undefined ? null : list[i]);
  scene.lines = new Array(R.id.length);
  for (let i = 0; i < R.id.length; i++) {
    const id = R.id[i];
    const line = { id, a: R.a[i], b: R.b[i], s: code(codes.s, R.s[i]) || "unknown", t: code(codes.t, R.t[i]), e: R.e[i], r: code(codes.r, R.r[i]), news: news.has(id) };
    if (line.news) scene.placeById.get(line.a).news = scene.placeById.get(line.b).news = true;
    scene.lines[i] = line;
  }
  scene.places = Array.from(scene.placeById.values()).sort((p, q) => p.n - q.n);
  scene.byImportance = scene.places.slice().sort(importance);
  state.lineCount = scene.lines.length;
  state.markerCount = scene.places.length;
  state.newsCount = news.size;
  slider.configure(scene.lines);
}

/** The layer's address for these filters: the page preloads the unfiltered one. */
function layerUrl(params) {
  const query = params.toString();
  return query ? `/map/layer.json?${query}` : "/map/layer.json";
}

function applySlider() {
  const { until, unknown } = slider.value();
  scene.shown = scene.lines.filter((line) => (line.e === null ? unknown : until === null || line.e <= until));
  scene.version++;
  state.shownCount = scene.shown.length;
  const parts = [scene.shown.length === scene.lines.length ? plural(scene.lines.length, "relation") : `${scene.shown.length.toLocaleString("en")} of ${plural(scene.lines.length, "relation")}`];
  parts.push(plural(scene.places.length, "place"));
  if (state.newsCount) parts.push(`${state.newsCount.toLocaleString("en")} in the news`);
  setStatus(parts.join(" · "));
  redraw();
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters")).entries()) {
    if (String(value).trim() !== "") params.set(key, String(value).trim());
  }
  return params;
}

function showMessage(text, withClear) {
  const box = document.getElementById("message");
  state.message = text;
  if (!text) {
    box.hidden = true;
    return;
  }
  const children = [el("p", { text })];
  if (withClear) children.push(el("button", { type: "button", text: "Clear the filters", onclick: () => resetFilters() }));
  box.replaceChildren(...children);
  box.hidden = false;
}

const EMPTY = { places: { id: [] }, lines: { id: [] }, news: [], codes: {}, countries: {} };
function clearResult() {
  setResult(EMPTY);
  applySlider();
}

let loadSerial = 0;
async function load({ fit = false } = {}) {
  const serial = ++loadSerial;
  const params = filterParams();
  const from = Number(params.get("year_from")), to = Number(params.get("year_to"));
  if (params.get("year_from") && params.get("year_to") && from > to) {
    clearResult();
    showMessage(`The years are the wrong way round: ${from} is after ${to}.`, true);
    setStatus("No relations shown");
    return finishLoad(serial, "error");
  }
  setStatus("Loading relations…");
  updateDownloads(params);
  let data;
  try {
    data = await getJSON(layerUrl(params), {}); // no extra headers: the preloaded request
  } catch (error) {
    if (serial !== loadSerial) return;
    clearResult();
    showMessage(`Could not load the relations: ${error.message}.`, params.toString() !== "");
    setStatus("No relations shown");
    return finishLoad(serial, "error");
  }
  if (serial !== loadSerial) return;
  state.timings.fetched = performance.now() - started;
  setResult(data);
  state.timings.result = performance.now() - started;
  if (!countriesFilled && !params.toString()) fillCountries(data);
  state.timings.countries = performance.now() - started;
  applySlider();
  state.timings.drawn = performance.now() - started;
  if (!scene.lines.length) {
    const hint = params.has("year_from") || params.has("year_to") || params.has("tier")
      ? " Years and tiers are known only for some relations: the Wikipedia list gives neither."
      : "";
    showMessage(`No relation matches these filters.${hint}`, true);
  } else {
    showMessage(null);
    if (fit) fitResult(params.get("country"));
  }
  finishLoad(serial, "true");
}

// --- downloads: every format of /api/export, for the filters of the current view ---------
const EXPORT_FORMATS = [
  ["csv", "CSV", "a table: both places, tier, status, years, sources"],
  ["jsonl", "JSON lines", "one relation per line"],
  ["geojson", "GeoJSON", "lines and points, for GIS tools"],
  ["graphml", "GraphML", "a graph for Gephi or networkx"],
  ["parquet", "Parquet", "for pandas, Spark, DuckDB"],
  ["quickstatements", "QuickStatements", "Wikidata edits for news pairs Wikidata lacks"],
];
function updateDownloads(params) {
  const list = document.getElementById("download-links");
  list.replaceChildren(...EXPORT_FORMATS.map(([format, name, what]) => {
    const query = new URLSearchParams(params);
    query.set("format", format);
    return el("li", {}, el("a", { href: `/api/export?${query}`, download: "", class: "download", "data-format": format, text: name }), ` · ${what}`);
  }));
}

function finishLoad(serial, ready) {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (serial !== loadSerial) return;
      // since navigation start: HTML, scripts, the layer fetch, drawing and one paint
      if (state.firstPaintMs === null) state.firstPaintMs = performance.now();
      state.ready = true;
      document.body.dataset.ready = ready;
    }),
  );
}

// --- fitting the view -------------------------------------------------------------------
function panelPadding() {
  const panel = document.getElementById("panel");
  if (panel.hidden) return { paddingTopLeft: [30, 30], paddingBottomRight: [30, 30] };
  const box = panel.getBoundingClientRect(), mapBox = map.getContainer().getBoundingClientRect();
  if (box.width >= mapBox.width * 0.9) return { paddingTopLeft: [20, 20], paddingBottomRight: [20, mapBox.bottom - box.top + 20] };
  return { paddingTopLeft: [30, 30], paddingBottomRight: [mapBox.right - box.left + 20, 30] };
}

/** Zoom to the result: the chosen country's places, or every place of the result. */
function fitResult(country) {
  let places = scene.places;
  if (country) places = places.filter((p) => p.c === country.toUpperCase());
  if (!places.length) return;
  fitPoints(places.map((p) => [p.lat, p.lon]));
}

function fitPoints(points) {
  if (points.length === 1) {
    map.setView(points[0], Math.max(map.getZoom(), 6));
    return;
  }
  map.fitBounds(L.latLngBounds(points), { ...panelPadding(), maxZoom: 7 });
}

/** Pan so that a place is not under the panel (or the bottom sheet on phones). */
function keepVisible(latlng) {
  const panel = document.getElementById("panel");
  if (panel.hidden) return;
  const point = map.latLngToContainerPoint(latlng);
  const box = panel.getBoundingClientRect(), mapBox = map.getContainer().getBoundingClientRect();
  const x = mapBox.left + point.x, y = mapBox.top + point.y;
  if (x < box.left - 10 || x > box.right || y < box.top - 10 || y > box.bottom) return;
  if (box.width >= mapBox.width * 0.9) map.panBy([0, y - (box.top - mapBox.top) / 2]);
  else map.panBy([x - (box.left - mapBox.left) / 2, 0]);
}

// --- the place panel --------------------------------------------------------------------
const panel = document.getElementById("panel");
const panelBody = document.getElementById("panel-body");
document.getElementById("panel-close").addEventListener("click", closePanel);

function closePanel() {
  panel.hidden = true;
  state.openPlaceId = null;
  scene.selection = null;
  redraw();
  writeUrl();
}

function select(view) {
  const here = view.place;
  if (here.lat === null || here.lon === null) {
    scene.selection = null;
    return;
  }
  const origin = projectPlace({ lat: here.lat, lon: here.lon });
  const paths = new PathStore(view.partners.length * 32 + 8);
  const partners = [];
  for (const partner of view.partners) {
    const there = partner.partner;
    if (there.lat === null || there.lon === null) continue;
    const path = paths.add(greatCircle(here.lat, here.lon, there.lat, there.lon));
    partners.push({ ...projectPlace({ lat: there.lat, lon: there.lon }), id: there.id, name: there.name, path, status: partner.status, tier: partner.tier });
  }
  scene.selection = { place: here, x: origin.x, y: origin.y, partners, paths };
}

/** Open place `id` in the panel and highlight its partners. fit: zoom to it and its partners. */
async function openPlace(id, { fit = false } = {}) {
  state.openPlaceId = id;
  closePicker();
  panel.hidden = false;
  panelBody.replaceChildren(el("p", { text: "Loading…" }));
  let view;
  try {
    view = await getJSON(`/api/places/${encodeURIComponent(id)}`);
  } catch (error) {
    if (state.openPlaceId === id) panelBody.replaceChildren(el("p", { text: `Could not load the place: ${error.message}.` }));
    return;
  }
  if (state.openPlaceId !== id) return;
  panelBody.replaceChildren(...placeContent(view, openPlace));
  panelBody.scrollTop = 0;
  select(view);
  redraw();
  writeUrl();
  const here = view.place;
  if (here.lat === null) return;
  if (fit) {
    // partners on the near side of the antimeridian, so the view spans the shortest way
    const points = [[here.lat, here.lon]];
    for (const p of view.partners) {
      if (p.partner.lat === null) continue;
      let lon = p.partner.lon;
      while (lon - here.lon > 180) lon -= 360;
      while (lon - here.lon < -180) lon += 360;
      points.push([p.partner.lat, lon]);
    }
    fitPoints(points);
  } else {
    keepVisible(L.latLng(here.lat, here.lon));
  }
}
state.openPlace = openPlace;

// --- clicks, hover, the picker for places on top of each other ---------------------------
const tooltip = el("div", { class: "map-tooltip", hidden: true });
const picker = el("div", { class: "picker", hidden: true, role: "listbox", "aria-label": "Places here" });
map.getContainer().append(tooltip, picker);
L.DomEvent.disableClickPropagation(picker);
L.DomEvent.disableScrollPropagation(picker);

function closePicker() {
  picker.hidden = true;
}

function near(point, reach) {
  return placeLayer.view ? placesNear(scene, placeLayer.view, point.x, point.y, reach) : [];
}

map.on("click", (event) => {
  closePicker();
  const found = near(event.containerPoint, 6);
  if (!found.length) return;
  const [first, second] = found;
  // the nearest centre wins when it is clearly nearest; otherwise a list to choose from
  if (first.distance <= 3 || !second || second.distance - first.distance >= 3) {
    openPlace(first.place.id);
    return;
  }
  picker.replaceChildren(el("div", { class: "picker-title", text: "Several places here:" }));
  for (const { place } of found.slice(0, 8)) {
    picker.append(el("button", { type: "button", class: "picker-item", "data-place": place.id, text: `${placeLabel(place)} · ${plural(place.n, "partner")}`, onclick: () => openPlace(place.id) }));
  }
  picker.style.left = `${Math.min(event.containerPoint.x + 8, map.getSize().x - 240)}px`;
  picker.style.top = `${Math.min(event.containerPoint.y + 8, map.getSize().y - 40 - 28 * Math.min(found.length, 8))}px`;
  picker.hidden = false;
});

let hoverFrame = null;
map.on("mousemove", (event) => {
  if (hoverFrame) return;
  hoverFrame = requestAnimationFrame(() => {
    hoverFrame = null;
    const found = near(event.containerPoint, 5);
    map.getContainer().classList.toggle("over-place", found.length > 0);
    if (!found.length) {
      tooltip.hidden = true;
      return;
    }
    const place = found[0].place;
    tooltip.textContent = `${placeLabel(place)} · ${plural(place.n, "partner")}${found.length > 1 ? ` (+${found.length - 1} near)` : ""}`;
    tooltip.style.left = `${event.containerPoint.x + 12}px`;
    tooltip.style.top = `${event.containerPoint.y - 28}px`;
    tooltip.hidden = false;
  });
});
map.on("mouseout movestart", () => (tooltip.hidden = true));
map.on("zoomstart", closePicker);

// --- the time slider ----------------------------------------------------------------------
const slider = (() => {
  const box = document.getElementById("timeline");
  const range = document.getElementById("year-slider");
  const output = document.getElementById("year-out");
  const unknown = document.getElementById("year-unknown");
  const unknownCount = document.getElementById("unknown-count");
  const knownCount = document.getElementById("known-count");
  let years = [];
  let wanted = null; // a year from the URL, applied once the data is in

  function value() {
    const year = Number(range.value);
    return { until: years.length && year < years[years.length - 1] ? year : null, unknown: unknown.checked };
  }

  function label() {
    const { until } = value();
    output.textContent = until === null ? "all years" : String(until);
  }

  function configure(lines) {
    const known = lines.filter((l) => l.e !== null).map((l) => l.e);
    years = Array.from(new Set(known)).sort((a, b) => a - b);
    unknownCount.textContent = (lines.length - known.length).toLocaleString("en");
    knownCount.textContent = `year known for ${known.length.toLocaleString("en")}`;
    box.hidden = years.length < 2;
    if (years.length) {
      range.min = String(years[0]);
      range.max = String(years[years.length - 1]);
      const keep = wanted !== null ? wanted : range.dataset.moved ? Number(range.value) : years[years.length - 1];
      range.value = String(Math.max(years[0], Math.min(keep, years[years.length - 1])));
      wanted = null;
    }
    label();
  }

  function changed() {
    range.dataset.moved = "1";
    label();
    applySlider();
    writeUrl();
  }
  range.addEventListener("input", changed);
  unknown.addEventListener("change", changed);
  return {
    value,
    configure,
    restore(params) {
      if (params.get("until")) wanted = Number(params.get("until"));
      if (params.get("unknown") === "0") unknown.checked = false;
    },
    params() {
      const { until } = value();
      const out = {};
      if (until !== null) out.until = String(until);
      if (!unknown.checked) out.unknown = "0";
      return out;
    },
  };
})();

// --- filters ------------------------------------------------------------------------------
const form = document.getElementById("filters");
let countriesFilled = false;

/** The country filter: "Germany (DE) · 4,483" (relations touching it), from a whole layer. */
function fillCountries(data) {
  const select = form.querySelector("select[name=country]");
  const counts = new Map(Object.entries(data.countries));
  const current = select.value;
  const options = Array.from(counts, ([code, n]) => ({ code, n, name: countryName(code) })).sort((p, q) => p.name.localeCompare(q.name, "en"));
  select.replaceChildren(el("option", { value: "", text: "any" }));
  for (const { code, n, name } of options) {
    select.append(el("option", { value: code, text: `${name} (${code}) · ${n.toLocaleString("en")}` }));
  }
  if (current && !counts.has(current)) select.append(el("option", { value: current, text: `${countryName(current)} (${current})` }));
  select.value = current;
  countriesFilled = true;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  document.body.classList.remove("filters-open");
  load({ fit: true }).then(writeUrl);
});
function resetFilters() {
  form.reset(); // the "reset" listener below reloads
}
form.addEventListener("reset", () =>
  setTimeout(() => {
    document.body.classList.remove("filters-open");
    load().then(() => {
      map.setView([25, 10], initialZoom);
      writeUrl();
    });
  }, 0),
);
document.getElementById("filters-toggle").addEventListener("click", () => {
  const open = document.body.classList.toggle("filters-open");
  document.getElementById("filters-toggle").setAttribute("aria-expanded", String(open));
});

// --- the URL holds the view ------------------------------------------------------------------
function writeUrl() {
  const params = filterParams();
  if (state.openPlaceId !== null) params.set("place", String(state.openPlaceId));
  for (const [key, value] of Object.entries(slider.params())) params.set(key, value);
  const centre = map.getCenter().wrap();
  params.set("at", `${map.getZoom()}/${centre.lat.toFixed(3)}/${centre.lng.toFixed(3)}`);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}
map.on("moveend", () => {
  if (state.ready) writeUrl();
});

function readUrl() {
  const params = new URLSearchParams(location.search);
  for (const name of FILTERS) {
    const field = form.elements.namedItem(name);
    const value = params.get(name);
    if (!field || !value) continue;
    if (field.tagName === "SELECT" && !Array.from(field.options).some((o) => o.value === value)) {
      field.append(el("option", { value, text: name === "country" ? `${countryName(value)} (${value})` : value }));
    }
    field.value = value;
  }
  slider.restore(params);
  const at = /^(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(params.get("at") || "");
  if (at) map.setView([Number(at[2]), Number(at[3])], Number(at[1]), { animate: false });
  const place = Number(params.get("place"));
  return { place: Number.isInteger(place) && place > 0 ? place : null, at: Boolean(at), filtered: FILTERS.some((f) => params.get(f)) };
}

// --- legend -----------------------------------------------------------------------------------
(function legend() {
  const box = document.getElementById("legend-body");
  const row = (colour, text, width) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colour;
    swatch.style.height = `${width || 3}px`;
    return el("div", {}, swatch, text);
  };
  box.append(row(COLOURS.base, "relations from reference lists (darker: more)"));
  box.append(el("div", { class: "note", text: `zoom < ${AGGREGATE_BELOW_ZOOM}: summed per pair of countries` }));
  const statuses = el("div", { class: "legend-statuses" }, "in the news: ");
  for (const [status, colour] of Object.entries(COLOURS.status)) {
    const swatch = el("span", { class: "swatch short" });
    swatch.style.background = colour;
    statuses.append(el("span", { class: "legend-status" }, swatch, status));
  }
  box.append(statuses);
  box.append(row(COLOURS.highlight, "the selected place's partners", 4));
  box.append(el("div", { class: "note", text: "dotted: friendship tier · dashed: suspended, terminated" }));
  if (window.matchMedia("(max-width: 640px)").matches) document.getElementById("legend").open = false;
})();

// --- search with autocomplete ------------------------------------------------------------------
(function search() {
  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  let timer = null, serial = 0, active = -1;

  function choose(place) {
    results.hidden = true;
    input.value = place.name;
    openPlace(place.id, { fit: true });
  }

  function show(found) {
    results.replaceChildren();
    active = -1;
    for (const place of found.places) {
      const item = el("li", { role: "option", class: "search-result", "data-place": place.id },
        el("span", { class: "name", text: placeLabel(place) }),
        el("span", { class: "count", text: plural(place.partners, "partner") }));
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(place);
      });
      item.place = place;
      results.append(item);
    }
    if (!found.places.length) results.append(el("li", { class: "empty", text: "No place found" }));
    results.hidden = false;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      results.hidden = true;
      return;
    }
    timer = setTimeout(async () => {
      const mine = ++serial;
      try {
        const found = await getJSON(`/api/search?q=${encodeURIComponent(query)}&limit=8`);
        if (mine === serial) show(found);
      } catch (error) {
        if (mine === serial) {
          results.replaceChildren(el("li", { class: "empty", text: `Search failed: ${error.message}` }));
          results.hidden = false;
        }
      }
    }, 120);
  });
  input.addEventListener("keydown", (event) => {
    const items = Array.from(results.querySelectorAll("li.search-result"));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!items.length) return;
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      items.forEach((item, i) => item.classList.toggle("active", i === active));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const item = items[Math.max(active, 0)];
      if (item) choose(item.place);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  input.addEventListener("blur", () => setTimeout(() => (results.hidden = true), 150));
})();

// --- for the browser tests: where things are, what is drawn ------------------------------------
state.markerPoint = (id) => {
  const place = scene.placeById.get(id);
  if (!place) return null;
  const view = placeLayer.view;
  const box = map.getContainer().getBoundingClientRect();
  const size = map.getSize();
  const y = place.y * view.scale - view.origin.y + view.offset.y;
  let best = null;
  for (let k = -2; k <= 2; k++) {
    const x = place.x * view.scale - view.origin.x + view.offset.x + k * view.worldWidth;
    if (x >= 0 && x <= size.x && (best === null || Math.abs(x - size.x / 2) < Math.abs(best - size.x / 2))) best = x;
  }
  return best === null ? null : { x: box.left + best, y: box.top + y };
};
state.pixelAt = (layer, pageX, pageY) => {
  const box = map.getContainer().getBoundingClientRect();
  return layers[layer].pixelAt(pageX - box.left, pageY - box.top);
};
state.layerState = () => ({
  colours: COLOURS,
  selected: scene.selection ? scene.selection.place.id : null,
  highlighted: scene.selection ? scene.selection.partners.map((p) => p.id) : [],
  dimmed: scene.selection !== null,
  drawn: scene.drawn,
  labels: scene.labels.slice(),
  labelBoxes: (scene.labelBoxes || []).map((box) => box.map((v) => Math.round(v))),
});
state.relationPath = (aId, bId) => {
  const line = scene.lines.find((l) => (l.a === aId && l.b === bId) || (l.a === bId && l.b === aId));
  if (!line) return null;
  const store = scene.paths, index = pathIndex(scene, line);
  const points = [];
  for (let j = store.start[index]; j < store.start[index] + store.count[index] * 2; j += 2) {
    points.push(map.unproject([store.xy[j], store.xy[j + 1]], 0));
  }
  return points.map((p) => [p.lat, p.lng]);
};

// --- start ---------------------------------------------------------------------------------------
const initial = readUrl();
load({ fit: initial.filtered && !initial.at }).then(() => {
  if (initial.place !== null) openPlace(initial.place, { fit: !initial.at });
  if (initial.filtered && !countriesFilled) {
    // the country list comes from the whole registry, not from a filtered first view
    getJSON(layerUrl(new URLSearchParams()), {}).then(fillCountries).catch(() => {});
  }
});
