/* amity map: every relation as a curved line on one canvas, places sized by partner count,
 * a side panel per place with partners and a dated, sourced timeline, search and filters.
 *
 * All stored text (names, evidence, titles, URLs) is untrusted: it is only ever set with
 * textContent / attributes on DOM nodes, never innerHTML; Leaflet tooltips get DOM nodes;
 * only http(s) URLs become links. */
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("amity-config").textContent || "{}");
  const STATUS_COLOURS = {
    active: "#1b9e77",
    proposed: "#7570b3",
    suspended: "#e6ab02",
    terminated: "#d95f02",
    unknown: "#8c8c8c",
  };
  const CURVE_STEPS = 8;
  const started = performance.now();
  const state = {
    places: new Map(), // id -> {id, name, c, n, lat, lon}
    markers: new Map(), // id -> circleMarker
    lines: [],
    lineCount: 0,
    markerCount: 0,
    ready: false,
    firstPaintMs: null,
    openPlaceId: null,
    timings: {},
  };
  window.amity = state;

  // --- helpers -------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function isHttpUrl(value) {
    if (typeof value !== "string") return false;
    const trimmed = value.trim();
    if (!/^https?:\/\/[^\s"'<>`]+$/i.test(trimmed)) return false;
    try {
      const url = new URL(trimmed);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch (error) {
      return false;
    }
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  function setStatus(text) {
    document.getElementById("status-line").textContent = text;
  }

  function placeLabel(place) {
    return place.country || place.c ? `${place.name} (${place.country || place.c})` : place.name;
  }

  // --- the map -------------------------------------------------------------------------
  const map = L.map("map", {
    preferCanvas: true,
    worldCopyJump: false,
    minZoom: 2,
    maxZoom: 12,
    zoomSnap: 0.5,
    attributionControl: true,
  }).setView([25, 10], 2);
  map.attributionControl.setPrefix(false);
  map.createPane("outline").style.zIndex = 200;
  map.createPane("lines").style.zIndex = 410;
  map.createPane("highlight").style.zIndex = 420;
  map.createPane("places").style.zIndex = 430;
  const outlineRenderer = L.canvas({ pane: "outline" });
  const placeRenderer = L.canvas({ pane: "places", tolerance: 3 });
  state.map = map;

  if (config.tileUrl && navigator.onLine) {
    L.tileLayer(config.tileUrl, { maxZoom: 12, attribution: "© map tile providers" }).addTo(map);
  }

  fetch("/static/data/world-110m.geojson")
    .then((r) => r.json())
    .then((world) => {
      L.geoJSON(world, {
        renderer: outlineRenderer,
        pane: "outline",
        interactive: false,
        style: { color: "#b7c0c7", weight: 0.6, fillColor: "#eef1f3", fillOpacity: 1 },
      }).addTo(map);
      map.attributionControl.addAttribution("Natural Earth (public domain)");
    })
    .catch((error) => console.warn("world outline:", error.message));

  function radius(n) {
    return Math.min(14, 2 + Math.sqrt(n) * 1.3);
  }

  // Every relation is drawn by one canvas layer in a single pass per style (a native
  // quadratic curve each): tens of thousands of L.polyline objects would each be projected,
  // hit-tested and drawn on their own. Places stay Leaflet circle markers on an L.canvas()
  // renderer, so that they are clickable.
  const CurvesLayer = L.Layer.extend({
    initialize(options) {
      L.setOptions(this, options);
      this._items = [];
      this.drawn = 0;
    },
    setItems(items) {
      this._items = items;
      if (this._map) this._redraw();
      return this;
    },
    onAdd(map) {
      this._canvas = L.DomUtil.create("canvas", "amity-curves leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      map.getPane(this.options.pane).appendChild(this._canvas);
      map.on("moveend resize zoomend viewreset", this._redraw, this);
      this._redraw();
    },
    onRemove(map) {
      map.off("moveend resize zoomend viewreset", this._redraw, this);
      this._canvas.remove();
    },
    _redraw() {
      const map = this._map;
      if (!map) return;
      const size = map.getSize();
      const pad = this.options.padding;
      const width = Math.round(size.x * (1 + 2 * pad));
      const height = Math.round(size.y * (1 + 2 * pad));
      const offset = L.point(-size.x * pad, -size.y * pad).round();
      const ratio = window.devicePixelRatio || 1;
      const canvas = this._canvas;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint(offset));
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, -offset.x * ratio, -offset.y * ratio);
      ctx.clearRect(offset.x, offset.y, width, height);
      ctx.lineWidth = this.options.weight;
      const groups = new Map();
      for (const item of this._items) {
        const key = `${item.colour}|${item.dash ? 1 : 0}|${item.opacity}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = []));
        group.push(item);
      }
      const left = offset.x, top = offset.y, right = offset.x + width, bottom = offset.y + height;
      let drawn = 0;
      for (const group of groups.values()) {
        const style = group[0];
        ctx.strokeStyle = style.colour;
        ctx.globalAlpha = style.opacity;
        ctx.setLineDash(style.dash ? [3, 3] : []);
        ctx.beginPath();
        for (const item of group) {
          const a = map.latLngToContainerPoint(item.a);
          const b = map.latLngToContainerPoint(item.b);
          const c = map.latLngToContainerPoint(item.c);
          if (Math.max(a.x, b.x, c.x) < left || Math.min(a.x, b.x, c.x) > right) continue;
          if (Math.max(a.y, b.y, c.y) < top || Math.min(a.y, b.y, c.y) > bottom) continue;
          ctx.moveTo(a.x, a.y);
          ctx.quadraticCurveTo(c.x, c.y, b.x, b.y);
          drawn++;
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      this.drawn = drawn;
    },
  });

  function control(a, b) {
    // the control point of the curve from a to b, bulging left of the direction of travel
    // (in degrees; the canvas draws a quadratic curve through the projected points)
    const dx = b[1] - a[1];
    const dy = b[0] - a[0];
    return [(a[0] + b[0]) / 2 + dx * 0.2, (a[1] + b[1]) / 2 - dy * 0.2];
  }

  function curveItem(a, b, status, tier, review) {
    return {
      a: L.latLng(a[0], a[1]),
      b: L.latLng(b[0], b[1]),
      c: L.latLng(...control(a, b)),
      colour: STATUS_COLOURS[status] || STATUS_COLOURS.unknown,
      dash: tier === "friendly",
      opacity: review === "reject" ? 0.12 : 0.45,
    };
  }

  const lineLayer = new CurvesLayer({ pane: "lines", padding: 0.3, weight: 1 }).addTo(map);
  const highlightLayer = new CurvesLayer({ pane: "highlight", padding: 0.3, weight: 2.5 }).addTo(map);
  const placeLayer = L.layerGroup().addTo(map);

  function tooltipFor(place) {
    return () => el("span", { text: `${placeLabel(place)} · ${place.n} partner${place.n === 1 ? "" : "s"}` });
  }

  function draw(data) {
    placeLayer.clearLayers();
    state.places.clear();
    state.markers.clear();
    state.lines = [];
    const byId = state.places;
    for (const feature of data.features) {
      if (feature.geometry.type !== "Point") continue;
      const [lon, lat] = feature.geometry.coordinates;
      byId.set(feature.id, { id: feature.id, name: feature.properties.name, c: feature.properties.c, n: feature.properties.n, lat, lon });
    }
    for (const feature of data.features) {
      if (feature.geometry.type !== "LineString") continue;
      const [[lon1, lat1], [lon2, lat2]] = feature.geometry.coordinates;
      const p = feature.properties;
      state.lines.push(curveItem([lat1, lon1], [lat2, lon2], p.s, p.t, p.r));
    }
    lineLayer.setItems(state.lines);
    const places = Array.from(byId.values()).sort((p, q) => q.n - p.n);
    for (const place of places.reverse()) {
      const marker = L.circleMarker([place.lat, place.lon], {
        renderer: placeRenderer,
        pane: "places",
        radius: radius(place.n),
        color: "#234",
        weight: 0.8,
        fillColor: "#f5f7f9",
        fillOpacity: 0.9,
      });
      marker.bindTooltip(tooltipFor(place), { direction: "top", sticky: false });
      marker.on("click", () => openPlace(place.id));
      placeLayer.addLayer(marker);
      state.markers.set(place.id, marker);
    }
    state.lineCount = state.lines.length;
    state.linesDrawn = lineLayer.drawn;
    state.markerCount = state.markers.size;
    setStatus(`${state.lineCount.toLocaleString()} relations · ${state.markerCount.toLocaleString()} places`);
  }

  function filterQuery() {
    const form = document.getElementById("filters");
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form).entries()) {
      if (String(value).trim() !== "") params.set(key, String(value).trim());
    }
    return params;
  }

  async function load() {
    setStatus("Loading relations…");
    const params = filterQuery();
    try {
      const data = await getJSON(`/api/relations.geojson?${params}`);
      state.timings.fetched = performance.now() - started;
      draw(data);
      state.timings.drawn = performance.now() - started;
      if (!state.ready) fillCountries(data);
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          // since navigation start: HTML, scripts, the layer fetch, drawing and one paint
          if (state.firstPaintMs === null) state.firstPaintMs = performance.now();
          state.ready = true;
          document.body.dataset.ready = "true";
        }),
      );
    } catch (error) {
      setStatus(`Could not load the relations: ${error.message}`);
      state.ready = true;
      document.body.dataset.ready = "error";
    }
  }

  function fillCountries(data) {
    const select = document.querySelector("#filters select[name=country]");
    const codes = new Set();
    for (const feature of data.features) if (feature.properties.c) codes.add(feature.properties.c);
    for (const code of Array.from(codes).sort()) select.append(el("option", { value: code, text: code }));
  }

  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  document.getElementById("filters").addEventListener("reset", () => setTimeout(load, 0));

  // --- legend --------------------------------------------------------------------------
  (function legend() {
    const box = document.getElementById("legend");
    for (const [status, colour] of Object.entries(STATUS_COLOURS)) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = colour;
      box.append(el("div", {}, swatch, status));
    }
    box.append(el("div", { class: "note", text: "dashed: friendship tier · faded: rejected in review" }));
  })();

  // --- the place panel -----------------------------------------------------------------
  const panel = document.getElementById("panel");
  const panelBody = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", closePanel);

  function closePanel() {
    panel.hidden = true;
    state.openPlaceId = null;
    highlightLayer.setItems([]);
  }

  function highlightPlace(view) {
    const here = view.place;
    const items = [];
    if (here.lat !== null && here.lon !== null) {
      for (const partner of view.partners) {
        const there = partner.partner;
        if (there.lat === null || there.lon === null) continue;
        const item = curveItem([here.lat, here.lon], [there.lat, there.lon], partner.status, partner.tier, partner.review);
        item.opacity = 1;
        items.push(item);
      }
    }
    highlightLayer.setItems(items);
  }

  function timelineItem(event) {
    const when = event.event_date || event.sort_date || "undated";
    const item = el("li", { class: "event" }, el("span", { class: "date", text: when }), " ", el("b", { text: event.event }));
    if (event.anniversary) item.append(` (${event.anniversary}th anniversary)`);
    for (const sentence of event.evidence || []) item.append(el("blockquote", { class: "evidence", text: sentence }));
    const article = event.article || {};
    const links = el("div", { class: "links" });
    if (Number.isInteger(article.id)) {
      links.append(el("a", { href: `/articles/${article.id}`, class: "article-link", text: article.title || "article" }));
    }
    if (article.published) links.append(` · ${article.published}`);
    if (isHttpUrl(article.url)) {
      links.append(" · ", el("a", { href: article.url.trim(), rel: "noopener noreferrer nofollow", target: "_blank", class: "source-link", text: "source" }));
    }
    item.append(links);
    return item;
  }

  function partnerSection(partner) {
    const other = partner.partner;
    const name = el("button", { type: "button", class: "partner-name", text: placeLabel(other) });
    name.addEventListener("click", () => openPlace(other.id, true));
    const meta = [partner.tier || "?", partner.status];
    if (partner.established) meta.push(`since ${partner.established}`);
    if (partner.review) meta.push(`reviewed: ${partner.review}`);
    const section = el(
      "section",
      { class: `partner status-${partner.status}`, "data-relation": partner.relation_id },
      el("h3", {}, name),
      el("div", { class: "meta", text: meta.join(" · ") }),
      el("div", { class: "sources", text: `sources: ${partner.sources.join(", ") || "none"}` }),
    );
    const list = el("ol", { class: "timeline" });
    const firstDated = partner.news.find((e) => e.event_date || e.sort_date);
    const firstYear = firstDated ? Number(String(firstDated.event_date || firstDated.sort_date).slice(0, 4)) : null;
    if (partner.established && firstYear !== partner.established) {
      // the establishment year as the first entry, unless a news event of that year opens the timeline
      list.append(el("li", { class: "event established" }, el("span", { class: "date", text: String(partner.established) }), " ", el("b", { text: "established" })));
    }
    for (const event of partner.news) list.append(timelineItem(event));
    if (list.children.length) section.append(list);
    for (const ref of partner.references) {
      if (ref.start_year || ref.end_year) {
        section.append(el("div", { class: "reference", text: `${ref.source}: ${ref.start_year || "?"}–${ref.end_year || ""}` }));
      }
    }
    for (const review of partner.reviews || []) {
      const text = `review ${review.created_at.slice(0, 10)}: ${review.verdict}${review.corrected ? " " + JSON.stringify(review.corrected) : ""}${review.note ? " — " + review.note : ""}`;
      section.append(el("div", { class: "review", text }));
    }
    return section;
  }

  async function openPlace(id, fly) {
    state.openPlaceId = id;
    panel.hidden = false;
    panelBody.replaceChildren(el("p", { text: "Loading…" }));
    let view;
    try {
      view = await getJSON(`/api/places/${encodeURIComponent(id)}`);
    } catch (error) {
      panelBody.replaceChildren(el("p", { text: `Could not load the place: ${error.message}` }));
      return;
    }
    if (state.openPlaceId !== id) return;
    const place = view.place;
    const body = [
      el("h2", { id: "panel-title" }, el("a", { href: `/places/${place.id}`, text: placeLabel(place) })),
      el("p", { class: "meta", text: `${view.partners.length} partner${view.partners.length === 1 ? "" : "s"}${place.admin1 ? " · " + place.admin1 : ""}` }),
    ];
    if (view.names.length > 1) body.push(el("p", { class: "note", text: `also seen as: ${view.names.join(", ")}` }));
    const list = el("div", { class: "partners" });
    for (const partner of view.partners) list.append(partnerSection(partner));
    body.push(list);
    panelBody.replaceChildren(...body);
    highlightPlace(view);
    if (fly && place.lat !== null) map.flyTo([place.lat, place.lon], Math.max(map.getZoom(), 4), { duration: 0.5 });
  }
  state.openPlace = openPlace;
  state.markerPoint = (id) => {
    const marker = state.markers.get(id);
    if (!marker) return null;
    const point = map.latLngToContainerPoint(marker.getLatLng());
    const box = map.getContainer().getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  };

  // --- search with autocomplete --------------------------------------------------------
  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  let searchTimer = null;
  let searchSerial = 0;
  let active = -1;

  function choose(place) {
    results.hidden = true;
    input.value = place.name;
    openPlace(place.id, true);
  }

  function showResults(found) {
    results.replaceChildren();
    active = -1;
    for (const place of found.places) {
      const item = el("li", { role: "option", class: "search-result", "data-place": place.id },
        el("span", { class: "name", text: placeLabel(place) }),
        el("span", { class: "count", text: `${place.partners} partner${place.partners === 1 ? "" : "s"}` }));
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
    clearTimeout(searchTimer);
    const query = input.value.trim();
    if (!query) {
      results.hidden = true;
      return;
    }
    searchTimer = setTimeout(async () => {
      const serial = ++searchSerial;
      try {
        const found = await getJSON(`/api/search?q=${encodeURIComponent(query)}&limit=8`);
        if (serial === searchSerial) showResults(found);
      } catch (error) {
        console.warn("search:", error.message);
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

  load();
})();
