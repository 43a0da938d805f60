/* The anniversaries view: /api/anniversaries for a window (from, within, round), the dated
 * ones first. The window is in the URL (?from=2024-05-01&within=60), so a view can be shared. */

import { el, getJSON, placeLabel } from "./map/dom.js";

const page = { ready: false, items: [] };
window.amityPage = page;

const form = document.getElementById("window-form");

function ordinal(n) {
  const tens = n % 100, last = n % 10;
  const suffix = tens >= 11 && tens <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[last] || "th";
  return `${n}${suffix}`;
}

function placeLink(place) {
  return el("a", { href: `/places/${Number(place.id)}`, text: placeLabel(place) });
}

function item(entry) {
  const relation = entry.relation;
  const when = entry.date
    ? el("time", { class: "date", datetime: entry.date, text: entry.date })
    : el("span", { class: "date year-only", text: `in ${entry.year}` });
  const how = entry.date_from === "founding" ? "the day of the founding agreement" : entry.date_from === "anniversary" ? "the day an earlier anniversary was celebrated" : "day unknown";
  return el("li", { class: "anniversary", "data-relation": relation.id },
    when, " ",
    el("b", { class: "years", text: `${ordinal(entry.years)} anniversary` }), " of ",
    el("span", { class: "pair" }, placeLink(relation.a), " – ", placeLink(relation.b)),
    el("div", { class: "meta", text: [`established ${relation.established}`, relation.tier || "tier unknown", relation.status, how, `sources: ${(relation.sources || []).join(", ")}`].join(" · ") }));
}

function readForm() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  params.set("from", String(data.get("from")));
  params.set("within", String(data.get("within")));
  if (data.get("round")) params.set("round", String(data.get("round")));
  return params;
}

async function load() {
  page.ready = false;
  const params = readForm();
  history.replaceState(null, "", `?${params}`);
  const summary = document.getElementById("summary");
  const list = document.getElementById("anniversaries");
  summary.textContent = "Loading…";
  let items;
  try {
    items = await getJSON(`/api/anniversaries?${params}`);
  } catch (error) {
    list.replaceChildren();
    summary.textContent = `Could not list the anniversaries: ${error.message}.`;
    document.body.dataset.ready = "error";
    return;
  }
  page.items = items;
  const dated = items.filter((i) => i.date).length;
  const end = new Date(`${params.get("from")}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + Number(params.get("within")));
  summary.textContent = items.length
    ? `${items.length.toLocaleString("en")} ${items.length === 1 ? "anniversary" : "anniversaries"} from ${params.get("from")} to ${end.toISOString().slice(0, 10)}: ${dated.toLocaleString("en")} on a known day, ${(items.length - dated).toLocaleString("en")} with the year only.`
    : `No round anniversary from ${params.get("from")} to ${end.toISOString().slice(0, 10)}. Only relations with a known established year can have one; try a longer window.`;
  list.replaceChildren(...items.map(item));
  page.ready = true;
  document.body.dataset.ready = "true";
}

(function start() {
  const params = new URLSearchParams(location.search);
  const from = /^\d{4}-\d{2}-\d{2}$/.test(params.get("from") || "") ? params.get("from") : new Date().toISOString().slice(0, 10);
  form.elements.namedItem("from").value = from;
  const within = form.elements.namedItem("within");
  const days = params.get("within");
  if (days && /^\d+$/.test(days)) {
    if (!Array.from(within.options).some((o) => o.value === days)) within.append(el("option", { value: days, text: `${days} days` }));
    within.value = days;
  }
  if (["5", "10"].includes(params.get("round"))) form.elements.namedItem("round").value = params.get("round");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  for (const name of ["within", "round"]) form.elements.namedItem(name).addEventListener("change", load);
  load();
})();
