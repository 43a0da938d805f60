/* amity stats page: totals, relations per year (canvas), a country × country matrix and
 * the top hubs (SVG). Labels are set with textContent only. */
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  window.amityStats = { ready: false };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function totals(data) {
    const box = document.getElementById("totals");
    const t = data.totals;
    const items = [
      ["relations", t.relations.total],
      ["places", t.places.total],
      ["countries", t.places.countries],
      ["news events", t.events.total],
      ["articles", t.articles.total],
      ["news + registry", t.relations.news_and_reference],
    ];
    for (const [label, value] of items) {
      const cell = el("div", undefined, "box");
      cell.append(el("div", (value || 0).toLocaleString(), "num"), el("div", label));
      box.append(cell);
    }
  }

  const REGIONS = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region" }) : null;
  function countryName(code) {
    try {
      return (REGIONS && /^[A-Z]{2}$/.test(code) && REGIONS.of(code)) || code;
    } catch (error) {
      return code;
    }
  }

  // Every year of the range gets a slot (zero when nothing happened), so neither series
  // draws a ramp across years with no data; news events have their own axis on the right.
  function perYear(data) {
    const canvas = document.getElementById("per-year");
    const ctx = canvas.getContext("2d");
    const W = canvas.width, H = canvas.height, left = 44, right = 44, bottom = 24, top = 12;
    ctx.clearRect(0, 0, W, H);
    ctx.font = "11px system-ui, sans-serif";
    const byYear = new Map(data.per_year.filter((r) => r.year >= 1900).map((r) => [r.year, r]));
    const t = data.totals.relations.total || 0;
    const dated = data.per_year.reduce((sum, r) => sum + (r.established || r.registry_start || 0), 0);
    document.getElementById("per-year-unknown").textContent =
      `Year unknown: ${(t - dated).toLocaleString("en")} of ${t.toLocaleString("en")} relations (reference lists such as Wikipedia's give no year).`;
    if (!byYear.size) {
      ctx.fillStyle = "#556";
      ctx.fillText("No dated relations yet.", left, H / 2);
      return;
    }
    const first = Math.min(...byYear.keys()), last = Math.max(...byYear.keys());
    const span = last - first + 1;
    const rows = Array.from({ length: span }, (_, i) => byYear.get(first + i) || { year: first + i, established: 0, registry_start: 0, news_events: 0 });
    const relations = (r) => (r.established || 0) + (r.registry_start || 0);
    const nice = (m) => Math.ceil(Math.max(1, m) / 4) * 4; // four whole-number steps
    const maxRelations = nice(Math.max(...rows.map(relations)));
    const maxNews = nice(Math.max(...rows.map((r) => r.news_events)));
    const bw = (W - left - right) / span;
    const yLeft = (v) => H - bottom - ((H - bottom - top) * v) / maxRelations;
    const yRight = (v) => H - bottom - ((H - bottom - top) * v) / maxNews;
    ctx.strokeStyle = "#e1e6ea";
    for (let i = 0; i <= 4; i++) {
      const y = top + ((H - bottom - top) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(W - right, y);
      ctx.stroke();
      ctx.fillStyle = "#1b6e55";
      ctx.fillText(String(Math.round((maxRelations * (4 - i)) / 4)), 4, y + 4);
      ctx.fillStyle = "#b34700";
      ctx.fillText(String(Math.round((maxNews * (4 - i)) / 4)), W - right + 6, y + 4);
    }
    rows.forEach((r, i) => {
      const x = left + i * bw;
      ctx.fillStyle = "#1b9e77";
      ctx.fillRect(x, yLeft(r.established || 0), Math.max(1, bw - 1), H - bottom - yLeft(r.established || 0));
      if (r.registry_start) {
        ctx.fillStyle = "#8fd1bd";
        ctx.fillRect(x, yLeft(relations(r)), Math.max(1, bw - 1), yLeft(r.established || 0) - yLeft(relations(r)));
      }
    });
    // news events: a dot per year with events, joined only between neighbouring years
    ctx.strokeStyle = ctx.fillStyle = "#d95f02";
    ctx.lineWidth = 2;
    rows.forEach((r, i) => {
      if (!r.news_events) return;
      const x = left + (i + 0.5) * bw, y = yRight(r.news_events);
      const next = rows[i + 1];
      if (next && next.news_events) {
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + bw, yRight(next.news_events));
        ctx.stroke();
      }
      ctx.beginPath();
      ctx.arc(x, y, 3, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.lineWidth = 1;
    ctx.fillStyle = "#556";
    const step = Math.max(1, Math.ceil(span / 12 / 5) * 5);
    for (let year = Math.ceil(first / step) * step; year <= last; year += step) {
      ctx.fillText(String(year), left + (year - first) * bw, H - 6);
    }
  }

  function colour(n, max) {
    // a sequential blue scale on a square-root axis (a few big pairs do not wash out the rest)
    const shade = n ? 0.12 + 0.88 * Math.sqrt(n / max) : 0;
    return n ? `rgba(31,95,139,${shade.toFixed(3)})` : "#f4f6f8";
  }

  function matrix(data) {
    const { countries, counts } = data.matrix;
    const max = Math.max(1, ...counts.flat());
    const scale = document.getElementById("matrix-scale");
    const bar = svg("svg", { width: 220, height: 12, class: "bar", role: "img", "aria-label": `colour scale from 1 to ${max}` });
    for (let i = 0; i < 20; i++) {
      const n = Math.max(1, Math.round(max * ((i + 1) / 20) ** 2));
      bar.append(svg("rect", { x: i * 11, y: 0, width: 11, height: 12, fill: colour(n, max) }));
    }
    scale.replaceChildren(el("span", "1"), bar, el("span", max.toLocaleString("en")), el("span", "relations (square-root scale; grey: none)", "note"));
    const cell = 34, pad = 44, size = pad + cell * countries.length + 4;
    const root = svg("svg", { width: size, height: size, role: "img", "aria-label": "Relations between countries" });
    countries.forEach((code, i) => {
      const rowLabel = svg("text", { x: 4, y: pad + i * cell + cell / 2 + 4 }, code);
      rowLabel.append(svg("title", {}, countryName(code)));
      const columnLabel = svg("text", { x: pad + i * cell + 8, y: pad - 8 }, code);
      columnLabel.append(svg("title", {}, countryName(code)));
      root.append(rowLabel, columnLabel);
      countries.forEach((other, j) => {
        const n = counts[i][j];
        const rect = svg("rect", { x: pad + j * cell, y: pad + i * cell, width: cell - 1, height: cell - 1, fill: colour(n, max) });
        rect.append(svg("title", {}, `${countryName(code)} × ${countryName(other)}: ${n}`));
        root.append(rect);
        if (n) {
          const dark = Math.sqrt(n / max) > 0.45;
          root.append(svg("text", { x: pad + j * cell + cell / 2, y: pad + i * cell + cell / 2 + 3, "text-anchor": "middle", class: dark ? "count light" : "count" }, n));
        }
      });
    });
    document.getElementById("matrix").append(root);
  }

  function hubs(data) {
    const rows = data.hubs;
    const bar = 20, labelWidth = 220, width = 900;
    const root = svg("svg", { width, height: rows.length * bar + 10, role: "img", "aria-label": "Places with most partners" });
    const max = Math.max(1, ...rows.map((r) => r.partners));
    rows.forEach((row, i) => {
      const y = 4 + i * bar;
      const link = svg("a", { href: `/places/${Number(row.id)}` });
      link.append(svg("text", { x: 0, y: y + 14 }, row.country ? `${row.name} (${row.country})` : row.name));
      root.append(link);
      const w = ((width - labelWidth - 60) * row.partners) / max;
      root.append(svg("rect", { x: labelWidth, y, width: Math.max(1, w), height: bar - 5, fill: "#1b9e77" }));
      root.append(svg("text", { x: labelWidth + w + 6, y: y + 13 }, row.partners));
    });
    document.getElementById("hubs").append(root);
  }

  // the reconciliation counts: slower (every relation against every reference), so apart
  const CATEGORIES = [
    ["new", "new in the news"],
    ["known", "known to a reference"],
    ["ended", "ended in the news, listed active"],
    ["year_conflicts", "year conflicts"],
    ["one_sided", "one-sided (Wikidata)"],
    ["doubtful", "doubtful reference rows"],
    ["claims", "claimed counts"],
  ];
  window.amityStats.reconcileReady = false;
  fetch("/api/reconcile?counts_only=true")
    .then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json();
    })
    .then((data) => {
      const box = document.getElementById("reconcile-counts");
      box.replaceChildren();
      for (const [key, label] of CATEGORIES) {
        const cell = document.createElement("a");
        cell.className = `box category ${key}`;
        cell.href = `/reconcile?category=${key}`;
        cell.dataset.category = key;
        cell.append(el("div", (data.counts[key] || 0).toLocaleString("en"), "num"), el("div", label));
        box.append(cell);
      }
      window.amityStats.reconcile = data.counts;
      window.amityStats.reconcileReady = true;
    })
    .catch((error) => {
      document.getElementById("reconcile-counts").textContent = `Could not reconcile: ${error.message}`;
    });

  fetch("/api/stats")
    .then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json();
    })
    .then((data) => {
      totals(data);
      perYear(data);
      matrix(data);
      hubs(data);
      window.amityStats.ready = true;
      document.body.dataset.ready = "true";
    })
    .catch((error) => {
      document.getElementById("totals").textContent = `Could not load the statistics: ${error.message}`;
      document.body.dataset.ready = "error";
    });
})();
