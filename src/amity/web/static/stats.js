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

  function perYear(data) {
    const canvas = document.getElementById("per-year");
    const ctx = canvas.getContext("2d");
    const rows = data.per_year.filter((r) => r.year >= 1900);
    const W = canvas.width, H = canvas.height, left = 44, bottom = 24, top = 10;
    ctx.clearRect(0, 0, W, H);
    if (!rows.length) {
      ctx.fillText("No dated relations yet.", left, H / 2);
      return;
    }
    const first = rows[0].year, last = rows[rows.length - 1].year;
    const span = Math.max(1, last - first + 1);
    const value = (r) => r.established || r.registry_start;
    const max = Math.max(1, ...rows.map(value), ...rows.map((r) => r.news_events));
    const bw = (W - left - 8) / span;
    const y = (v) => H - bottom - ((H - bottom - top) * v) / max;
    ctx.strokeStyle = "#ccd";
    ctx.fillStyle = "#556";
    ctx.font = "11px system-ui, sans-serif";
    for (let i = 0; i <= 4; i++) {
      const v = Math.round((max * i) / 4);
      ctx.beginPath();
      ctx.moveTo(left, y(v));
      ctx.lineTo(W, y(v));
      ctx.stroke();
      ctx.fillText(String(v), 4, y(v) + 4);
    }
    ctx.fillStyle = "#1b9e77";
    for (const r of rows) ctx.fillRect(left + (r.year - first) * bw, y(value(r)), Math.max(1, bw - 1), H - bottom - y(value(r)));
    ctx.strokeStyle = "#d95f02";
    ctx.lineWidth = 2;
    ctx.beginPath();
    rows.forEach((r, i) => {
      const x = left + (r.year - first + 0.5) * bw;
      if (i === 0) ctx.moveTo(x, y(r.news_events));
      else ctx.lineTo(x, y(r.news_events));
    });
    ctx.stroke();
    ctx.fillStyle = "#556";
    const step = Math.max(1, Math.ceil(span / 12 / 5) * 5);
    for (let year = Math.ceil(first / step) * step; year <= last; year += step) {
      ctx.fillText(String(year), left + (year - first) * bw, H - 6);
    }
  }

  function matrix(data) {
    const { countries, counts } = data.matrix;
    const cell = 30, pad = 40, size = pad + cell * countries.length + 4;
    const root = svg("svg", { width: size, height: size, role: "img", "aria-label": "Relations between countries" });
    const max = Math.max(1, ...counts.flat());
    countries.forEach((code, i) => {
      root.append(svg("text", { x: 4, y: pad + i * cell + cell / 2 + 4 }, code));
      root.append(svg("text", { x: pad + i * cell + 6, y: pad - 8 }, code));
      countries.forEach((other, j) => {
        const n = counts[i][j];
        const shade = n ? 0.12 + 0.88 * Math.sqrt(n / max) : 0;
        const rect = svg("rect", { x: pad + j * cell, y: pad + i * cell, width: cell - 1, height: cell - 1, fill: n ? `rgba(31,95,139,${shade.toFixed(3)})` : "#f4f6f8" });
        rect.append(svg("title", {}, `${code} × ${other}: ${n}`));
        root.append(rect);
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
