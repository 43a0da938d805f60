/* DOM helpers. All stored text (names, evidence, titles, URLs) is untrusted: it is only
 * ever set with textContent / attributes on DOM nodes, never innerHTML, and only http(s)
 * URLs become links. */

export function el(tag, attrs, ...children) {
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

export function isHttpUrl(value) {
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

const FIELD_NAMES = {
  year_from: "the first year",
  year_to: "the last year",
  country: "the country",
  tier: "the tier",
  status: "the status",
  source: "the source",
  q: "the search text",
};

/** An error a person can read, from the API's {"detail": ...} (a string or a list). */
export class ApiError extends Error {
  constructor(status, detail) {
    let text;
    if (typeof detail === "string") text = detail;
    else if (Array.isArray(detail)) {
      text = detail
        .map((item) => {
          const field = (item.loc || []).slice(-1)[0];
          return `${FIELD_NAMES[field] || field || "a value"}: ${item.msg || "not valid"}`;
        })
        .join("; ");
    }
    super(text || (status >= 500 ? "the server failed" : `the request was refused (${status})`));
    this.status = status;
  }
}

/** GET url as JSON; init: fetch's options (`{}` to send no extra header, so that a request
 * the page preloaded is reused). */
export async function getJSON(url, init = { headers: { Accept: "application/json" } }) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, "the server cannot be reached");
  }
  if (!response.ok) {
    let detail = null;
    try {
      detail = (await response.json()).detail;
    } catch (error) {
      // not JSON: keep the status
    }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

const REGIONS = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region" }) : null;

/** "Germany" for "DE" (the browser's own list); the code itself when it is not a region. */
export function countryName(code) {
  if (!code || !/^[A-Z]{2}$/.test(code)) return code || "";
  try {
    return (REGIONS && REGIONS.of(code)) || code;
  } catch (error) {
    return code;
  }
}

export function placeLabel(place) {
  const code = place.country || place.c;
  return code ? `${place.name} (${code})` : place.name;
}

export function plural(n, word) {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
}
