/* The network page: a country × country heatmap with its colour scale (/api/stats'
 * matrix, for 10 to 50 countries), then the slower network report (/api/network: each
 * country's hub, relations per decade, Louvain communities). SVG, text via textContent. */

import { countryName, el, getJSON, placeLabel, plural } from "./map/dom.js";

const SVG = "http://www.w3.org/2000/svg";
const page = { ready: false, networkReady: false, matrix: null };
window.amityPage = page;

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// ColorBrewer YlGnBu (9 classes): light yellow for few relations to dark blue for many
const STOPS = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"];
const EMPTY = "#f1f3f5";

function mix(a, b, f) {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `rgb(${pa.map((v, i) => Math.round(v + (pb[i] - v) * f)).join(",")})`;
}

/** A colour for a fraction t of the scale (0: light, 1: dark). */
function colourAt(t) {
  const x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  return mix(STOPS[i], STOPS[i + 1], x - i);
}

/** Where count n sits on the chosen scale between 1 and max (0..1). */
function positionFor(kind, max) {
  const top = Math.max(2, max);
  return {
    linear: (n) => (n - 1) / (top - 1),
    sqrt: (n) => (Math.sqrt(n) - 1) / (Math.sqrt(top) - 1),
    log: (n) => Math.log(n) / Math.log(top),
  }[kind];
}

/** The inverse: the count at fraction t of the scale. */
function countAt(kind, max, t) {
  const top = Math.max(2, max);
  const n = { linear: 1 + t * (top - 1), sqrt: (1 + t * (Math.sqrt(top) - 1)) ** 2, log: Math.exp(t * Math.log(top)) }[kind];
  return Math.max(1, Math.round(n));
}

function drawScale(kind, max) {
  const width = 260, steps = 26;
  const bar = svg("svg", { width: width + 24, height: 32, class: "scale-bar", role: "img", "aria-label": `colour scale from 1 to ${max}, ${kind}` });
  for (let i = 0; i < steps; i++) {
    bar.append(svg("rect", { x: 12 + (i * width) / steps, y: 0, width: width / steps + 0.5, height: 14, fill: colourAt(0.08 + (0.92 * (i + 0.5)) / steps) }));
  }
  for (const t of [0, 0.5, 1]) {
    const x = 12 + t * width;
    bar.append(svg("line", { x1: x, x2: x, y1: 14, y2: 19, stroke: "#556" }));
    bar.append(svg("text", { x, y: 30, "text-anchor": "middle" }, (t === 1 ? max : countAt(kind, max, t)).toLocaleString("en")));
  }
  const none = svg("svg", { width: 14, height: 14, "aria-hidden": "true" });
  none.append(svg("rect", { width: 14, height: 14, fill: EMPTY, stroke: "#ccd" }));
  document.getElementById("heatmap-scale").replaceChildren(
    el("span", { text: "relations" }), bar, none, el("span", { class: "note", text: `none · ${kind === "sqrt" ? "square-root" : kind === "log" ? "logarithmic" : "linear"} scale` }));
}

function drawHeatmap() {
  const { countries, counts, country_totals: totals } = page.matrix;
  const kind = document.querySelector("select[name=scale]").value;
  const max = Math.max(1, ...counts.flat());
  const position = positionFor(kind, max);
  const colourOf = (n) => (n ? colourAt(0.08 + 0.92 * position(n)) : EMPTY);
  page.max = max;
  drawScale(kind, max);
  const cell = countries.length > 30 ? 16 : countries.length > 20 ? 22 : 30;
  const left = 150, top = 44;
  const size = [left + cell * countries.length + 4, top + cell * countries.length + 4];
  const root = svg("svg", { width: size[0], height: size[1], role: "img", "aria-label": "Relations between countries", class: "heatmap-svg" });
  countries.forEach((code, i) => {
    const row = svg("a", { href: `/?country=${encodeURIComponent(code)}` });
    row.append(svg("text", { x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end", class: "row-label" }, `${countryName(code)} (${code})`));
    row.append(svg("title", {}, `${countryName(code)}: ${totals[i].toLocaleString("en")} relations — show on the map`));
    root.append(row);
    const column = svg("text", { x: left + i * cell + cell / 2, y: top - 8, "text-anchor": "middle", class: "column-label" }, code);
    column.append(svg("title", {}, countryName(code)));
    root.append(column);
    countries.forEach((other, j) => {
      const n = counts[i][j];
      const rect = svg("rect", { x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1, fill: colourOf(n), "data-count": n, "data-pair": `${code}|${other}` });
      rect.append(svg("title", {}, `${countryName(code)} × ${countryName(other)}: ${n.toLocaleString("en")}`));
      root.append(rect);
      if (n && cell >= 22) {
        const dark = position(n) > 0.5;
        root.append(svg("text", { x: left + j * cell + cell / 2, y: top + i * cell + cell / 2 + 3, "text-anchor": "middle", class: dark ? "count light" : "count" }, n > 9999 ? `${Math.round(n / 1000)}k` : n));
      }
    });
  });
  document.getElementById("heatmap").replaceChildren(root);
}

async function loadMatrix() {
  page.ready = false;
  const size = document.querySelector("select[name=size]").value;
  const status = document.getElementById("heatmap-status");
  try {
    const stats = await getJSON(`/api/stats?matrix_size=${encodeURIComponent(size)}&hubs=1`);
    page.matrix = stats.matrix;
  } catch (error) {
    status.textContent = `Could not load the matrix: ${error.message}.`;
    document.body.dataset.ready = "error";
    return;
  }
  drawHeatmap();
  const { countries } = page.matrix;
  status.textContent = countries.length ? `${countries.length} countries with most relations.` : "No relations yet.";
  page.ready = true;
  document.body.dataset.ready = "true";
}

async function loadNetwork() {
  const status = document.getElementById("network-status");
  let report;
  try {
    report = await getJSON("/api/network?top=30");
  } catch (error) {
    status.textContent = `Could not compute the network: ${error.message}.`;
    return;
  }
  const hubs = document.getElementById("country-hubs");
  hubs.replaceChildren(...report.hubs_by_country.map((hub) =>
    el("li", {}, el("a", { href: `/places/${Number(hub.id)}`, text: placeLabel(hub) }), ` · ${plural(hub.partners, "partner")}`)));
  const decades = report.per_decade;
  const box = document.getElementById("decades");
  if (!decades.length) box.replaceChildren(el("p", { class: "note", text: "No established years known." }));
  else {
    const max = Math.max(...decades.map((d) => d.relations));
    const chart = svg("svg", { width: 60 + decades.length * 46, height: 160, role: "img", "aria-label": "Relations established per decade" });
    decades.forEach((d, i) => {
      const h = (110 * d.relations) / max;
      chart.append(svg("rect", { x: 30 + i * 46, y: 130 - h, width: 38, height: Math.max(1, h), fill: "#1d91c0" }));
      chart.append(svg("text", { x: 49 + i * 46, y: 126 - h, "text-anchor": "middle" }, d.relations.toLocaleString("en")));
      chart.append(svg("text", { x: 49 + i * 46, y: 148, "text-anchor": "middle" }, `${d.decade}s`));
    });
    box.replaceChildren(chart);
  }
  document.getElementById("communities").replaceChildren(...report.communities.slice(0, 12).map((c) => {
    const countries = Object.entries(c.countries).map(([code, n]) => `${countryName(code)} ${n}`).join(", ");
    return el("li", {}, el("b", { text: plural(c.size, "place") }), ` · ${countries} · hubs: `, ...c.hubs.slice(0, 3).flatMap((h, i) => [i ? ", " : "", el("a", { href: `/places/${Number(h.id)}`, text: h.name })]));
  }));
  status.textContent = `${plural(report.places, "place")}, ${plural(report.relations, "relation")}.`;
  page.networkReady = true;
}

const form = document.getElementById("matrix-form");
const params = new URLSearchParams(location.search);
if (/^\d+$/.test(params.get("size") || "")) form.elements.namedItem("size").value = params.get("size");
if (["sqrt", "log", "linear"].includes(params.get("scale"))) form.elements.namedItem("scale").value = params.get("scale");
function writeUrl() {
  history.replaceState(null, "", `?size=${form.elements.namedItem("size").value}&scale=${form.elements.namedItem("scale").value}`);
}
form.elements.namedItem("size").addEventListener("change", () => loadMatrix().then(writeUrl));
form.elements.namedItem("scale").addEventListener("change", () => {
  drawHeatmap();
  writeUrl();
});
form.addEventListener("submit", (event) => event.preventDefault());
loadMatrix().then(loadNetwork);
