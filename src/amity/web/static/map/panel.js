/* The place panel: partners (news-sourced first) with a dated, sourced timeline each. */

import { el, isHttpUrl, placeLabel, plural } from "./dom.js";

/** "sister", or why the tier is not known: registry lists such as Wikipedia's give none. */
export function tierText(partner) {
  if (partner.tier) return partner.tier;
  const onlyReference = partner.sources.length > 0 && !partner.sources.includes("news");
  return onlyReference ? "tier unknown (reference list)" : "tier unknown";
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

function partnerSection(partner, openPlace) {
  const other = partner.partner;
  const name = el("button", { type: "button", class: "partner-name", text: placeLabel(other) });
  name.addEventListener("click", () => openPlace(other.id, { fit: true }));
  const meta = [tierText(partner), partner.status];
  if (partner.established) meta.push(`since ${partner.established}`);
  if (partner.review) meta.push(`reviewed: ${partner.review}`);
  if (other.lat === null || other.lon === null) meta.push("not on the map (no coordinates)");
  const section = el(
    "section",
    { class: `partner status-${partner.status}${partner.news.length ? " in-news" : ""}`, "data-relation": partner.relation_id },
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
      section.append(el("div", { class: "reference", text: `${ref.source}: ${ref.start_year || "year unknown"}–${ref.end_year || ""}` }));
    }
  }
  for (const review of partner.reviews || []) {
    const text = `review ${review.created_at.slice(0, 10)}: ${review.verdict}${review.corrected ? " " + JSON.stringify(review.corrected) : ""}${review.note ? " — " + review.note : ""}`;
    section.append(el("div", { class: "review", text }));
  }
  return section;
}

/** The panel's content for a /api/places/{id} view. */
export function placeContent(view, openPlace) {
  const place = view.place;
  const partners = view.partners.slice().sort((p, q) => (q.news.length > 0) - (p.news.length > 0));
  const inNews = partners.filter((p) => p.news.length).length;
  const summary = [plural(view.partners.length, "partner")];
  if (inNews) summary.push(`${inNews} in the news`);
  if (place.admin1) summary.push(place.admin1);
  const body = [
    el("h2", { id: "panel-title" }, el("a", { href: `/places/${place.id}`, text: placeLabel(place) })),
    el("p", { class: "meta", text: summary.join(" · ") }),
  ];
  if (view.names.length > 1) body.push(el("p", { class: "note", text: `also seen as: ${view.names.join(", ")}` }));
  const list = el("div", { class: "partners" });
  for (const partner of partners) list.append(partnerSection(partner, openPlace));
  body.push(list);
  return body;
}
