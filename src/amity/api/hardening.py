"""The outermost layer of the app: security headers, HEAD for every GET route, an access log.

- Security headers on every response: a Content-Security-Policy that lets pages load
  scripts, styles, images, fonts and data from this server only (plus `data:` images and
  the tile server when `Settings.tile_url` is set), `frame-ancestors 'none'` (no framing;
  `X-Frame-Options: DENY` for older browsers), `X-Content-Type-Options: nosniff`,
  `Referrer-Policy: same-origin`. A response that sets its own policy keeps it (/docs
  allows its one inline script by hash: `inline_script_hashes`).
- HEAD is answered for every GET route (FastAPI routes are GET only): the request runs as
  GET and the body is dropped, the headers (Content-Length included) kept.
- One access log line per request on the `amity.access` logger (INFO), to stderr unless
  that logger has handlers of its own:
  `127.0.0.1:50123 "GET /api/stats HTTP/1.1" 200 1534 12.3ms`

Example:
    >>> policy = content_security_policy()
    >>> "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    True
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import sys
import time
from typing import Any
from urllib.parse import urlsplit

access_log = logging.getLogger("amity.access")

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def content_security_policy(
    *, script_hashes: tuple[str, ...] = (), tile_url: str | None = None
) -> str:
    """The policy: this server only, `data:` images, the tile server's origin if any."""
    images = ["'self'", "data:"]
    tiles = _origin(tile_url)
    if tiles:
        images.append(tiles)
    scripts = ["'self'", *(f"'{digest}'" for digest in script_hashes)]
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def inline_script_hashes(html: str) -> tuple[str, ...]:
    """CSP source hashes ("sha256-...") of the page's inline <script> elements."""
    return tuple(
        "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
    )


def _origin(url: str | None) -> str | None:
    """The origin of a tile URL: "https://{s}.tile.example.org/{z}/{x}/{y}.png" gives
    "https://*.tile.example.org"."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


class Hardening:
    """Plain ASGI middleware; see the module docstring."""

    def __init__(self, app: Any, tile_url: str | None = None) -> None:
        self.app = app
        policy = content_security_policy(tile_url=tile_url)
        self.headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]
        if not access_log.handlers:  # the server's operator may have configured it
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            access_log.addHandler(handler)
            access_log.setLevel(logging.INFO)
            access_log.propagate = False

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = time.perf_counter()
        status, size = 500, 0

        async def send_hardened(message: dict) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif message["type"] == "http.response.body":
                if head:
                    message = {**message, "body": b""}
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_hardened)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                client = scope.get("client") or ("-", 0)
                query = scope.get("query_string", b"").decode("latin-1")
                target = _printable(scope.get("path", "") + (f"?{query}" if query else ""))
                access_log.info(
                    '%s:%s "%s %s HTTP/%s" %d %d %.1fms',
                    client[0],
                    client[1],
                    "HEAD" if head else scope["method"],
                    target,
                    scope.get("http_version", "1.1"),
                    status,
                    size,
                    (time.perf_counter() - started) * 1000,
                )


def _printable(text: str) -> str:
    """The request target with control characters escaped: one request, one log line."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
