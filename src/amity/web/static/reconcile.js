/* The reconciliation page: /api/reconcile as a count per category and the rows of one
 * category, with the evidence sentence and article of every pair only the news knows.
 * Stored text reaches the page through textContent and attributes only (map/dom.js). */

import { el, getJSON, isHttpUrl, placeLabel, plural } from "./map/dom.js";

const CATEGORIES = [
  ["new", "new in the news", "Reported in the news and absent from every reference: what the references lack."],
  ["known", "known", "In the news and listed by a reference, with the established year each gives."],
  ["ended", "ended in the news", "Suspended or terminated in the news, still listed as active by a reference."],
  ["year_conflicts", "year conflicts", "The news and a reference give different established years."],
  ["one_sided", "one-sided", "Listed on one city's Wikidata item only (P190 on A, not on B)."],
  ["doubtful", "doubtful reference rows", "A place that did not resolve, coordinates over 50 km from the resolved place, or a place paired with itself or its own province."],
  ["claims", "claimed vs known", "Counts the articles state, beside the relations the registry holds: the gap is what it still lacks."],
];
const PAGE = 200; // rows shown at a time

const page = { ready: false, report: null, category: null, shown: 0 };
window.amityPage = page;

function placeLink(place) {
  return el("a", { href: `/places/${Number(place.id)}`, class: "place", text: placeLabel(place) });
}

function pair(a, b) {
  return el("span", { class: "pair" }, placeLink(a), " – ", placeLink(b));
}

function articleLinks(article) {
  const links = el("span", { class: "links" });
  if (!article) return links;
  if (Number.isInteger(article.id)) links.append(el("a", { href: `/articles/${article.id}`, class: "article-link", text: article.title || "article" }));
  if (article.published) links.append(` · ${article.published}`);
  if (isHttpUrl(article.url)) links.append(" · ", el("a", { href: article.url.trim(), class: "source-link", rel: "noopener noreferrer nofollow", target: "_blank", text: "source" }));
  return links;
}

function meta(...parts) {
  return el("div", { class: "meta", text: parts.filter(Boolean).join(" · ") });
}

function years(entry) {
  const standing = entry.year || {};
  const news = (standing.news || []).map((y) => y.year).join(", ") || "none";
  const reference = Object.entries(standing.reference || {}).map(([source, year]) => `${source}: ${year ?? "none"}`).join(", ");
  return `established — news: ${news}; ${reference || "references: none"} (${standing.standing || "unknown"})`;
}

const ROWS = {
  new(entry) {
    const evidence = entry.evidence || {};
    const row = el("li", { class: "row", "data-relation": entry.id },
      pair(entry.a, entry.b),
      meta(entry.tier || "tier unknown", entry.status, entry.established && `since ${entry.established}`, evidence.event && `${evidence.event}${evidence.date ? ` ${evidence.date}` : ""}`));
    if (evidence.sentence) row.append(el("blockquote", { class: "evidence", text: evidence.sentence }));
    row.append(articleLinks(evidence.article));
    return row;
  },
  known(entry) {
    return el("li", { class: "row", "data-relation": entry.id }, pair(entry.a, entry.b), meta(entry.status, years(entry)));
  },
  ended(entry) {
    const evidence = entry.evidence || {};
    const row = el("li", { class: "row", "data-relation": entry.id }, pair(entry.a, entry.b),
      meta(`${entry.status} in the news`, `listed as active by ${(entry.listed_active_in || []).join(", ")}`));
    if (evidence.sentence) row.append(el("blockquote", { class: "evidence", text: evidence.sentence }));
    row.append(articleLinks(evidence.article));
    return row;
  },
  year_conflicts(entry) {
    return ROWS.known(entry);
  },
  one_sided(entry) {
    return el("li", { class: "row", "data-relation": entry.relation_id }, pair(entry.a, entry.b), meta(entry.source, entry.start_year && `from ${entry.start_year}`));
  },
  doubtful(entry) {
    return el("li", { class: "row", "data-relation": entry.relation_id }, pair(entry.a, entry.b), meta(entry.source, ...(entry.reasons || [])));
  },
  claims(entry) {
    const gap = entry.gap === null || entry.gap === undefined ? "" : entry.gap > 0 ? `${entry.gap.toLocaleString("en")} not in the registry` : "none missing";
    const claimed = entry.claimed === null || entry.claimed === undefined ? "?" : `${entry.at_least ? "at least " : ""}${entry.claimed.toLocaleString("en")}`;
    return el("li", { class: "row" },
      el("div", { class: "claim", text: `${entry.subject || "?"}${entry.partner ? ` with ${entry.partner}` : ""} (${entry.scope}): claimed ${claimed}, known ${entry.known ?? "?"}` }),
      meta(gap),
      el("blockquote", { class: "evidence", text: entry.text || "" }),
      articleLinks(entry.article));
  },
};

function showCategory(name) {
  page.category = name;
  page.shown = 0;
  for (const button of document.querySelectorAll("#categories button")) {
    button.setAttribute("aria-selected", String(button.dataset.category === name));
  }
  const [, , note] = CATEGORIES.find(([key]) => key === name);
  document.getElementById("category-note").textContent = note;
  document.getElementById("rows").replaceChildren(el("ol", { class: `category-rows ${name}` }));
  more();
  writeUrl();
}

function more() {
  const rows = page.report[page.category] || [];
  const list = document.querySelector("#rows ol");
  document.querySelector("#rows .more")?.remove();
  for (const entry of rows.slice(page.shown, page.shown + PAGE)) list.append(ROWS[page.category](entry));
  page.shown = Math.min(rows.length, page.shown + PAGE);
  if (!rows.length) list.replaceChildren(el("li", { class: "empty", text: "Nothing in this category." }));
  if (page.shown < rows.length) {
    document.getElementById("rows").append(el("button", { type: "button", class: "more", text: `Show ${Math.min(PAGE, rows.length - page.shown)} more of ${(rows.length - page.shown).toLocaleString("en")}`, onclick: more }));
  }
}

function writeUrl() {
  const params = new URLSearchParams();
  const against = document.querySelector("select[name=against]").value;
  if (against !== "all") params.set("against", against);
  if (page.category && page.category !== "new") params.set("category", page.category);
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
}

async function load() {
  page.ready = false;
  const against = document.querySelector("select[name=against]").value;
  const status = document.getElementById("status");
  status.textContent = "Reconciling… (this reads every relation)";
  let report;
  try {
    report = await getJSON(`/api/reconcile?against=${encodeURIComponent(against)}`);
  } catch (error) {
    status.textContent = `Could not reconcile: ${error.message}.`;
    document.body.dataset.ready = "error";
    return;
  }
  page.report = report;
  const counts = report.counts;
  const box = document.getElementById("categories");
  box.replaceChildren();
  for (const [key, label] of CATEGORIES) {
    box.append(el("button", { type: "button", role: "tab", class: `category ${key}`, "data-category": key, onclick: () => showCategory(key) },
      el("span", { class: "num", text: (counts[key] || 0).toLocaleString("en") }), el("span", { text: label })));
  }
  status.textContent = `${plural(counts.news_relations, "relation")} from the news, ${plural(counts.reference_only, "relation")} only in the references (${report.against.join(", ")}).`;
  const wanted = new URLSearchParams(location.search).get("category");
  showCategory(CATEGORIES.some(([key]) => key === wanted) ? wanted : page.category || "new");
  page.ready = true;
  document.body.dataset.ready = "true";
}

const params = new URLSearchParams(location.search);
const select = document.querySelector("select[name=against]");
if (["all", "wikipedia-list", "wikidata"].includes(params.get("against"))) select.value = params.get("against");
select.addEventListener("change", () => load().then(writeUrl));
document.getElementById("reconcile-form").addEventListener("submit", (event) => event.preventDefault());
load();
