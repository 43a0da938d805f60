"""Polite HTTP GETs for `amity watch`: conditional requests, timeouts, a size limit, an
identifying User-Agent and a delay between two requests to one host.

A failure never raises: it comes back as a `Fetched` with `error` set, which the watcher
logs and retries later with backoff.

Example:
    >>> fetcher = Fetcher()  # doctest: +SKIP
    >>> fetched = fetcher.get("https://example.org/feed.xml", etag='"abc"')  # doctest: +SKIP
    >>> fetched.not_modified  # doctest: +SKIP
    True
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from amity import __version__

USER_AGENT = f"amity/{__version__} (sister-city news reader; polls RSS/Atom feeds politely)"
MAX_BYTES = 5 * 1024 * 1024
"""A feed or page larger than this is refused (a news page is well under 1 MB)."""


@dataclass
class Fetched:
    url: str
    status: int | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One HTTP client for the whole watch: connections are reused, hosts are spaced."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = 20.0,
        max_bytes: int = MAX_BYTES,
        host_delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.timeout, self.max_bytes, self.host_delay = timeout, max_bytes, host_delay
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}  # host -> when the last request to it started
        self._lock = threading.Lock()
        self.client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=5,
        )

    def close(self) -> None:
        self.client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET `url`, conditionally when `etag` or `last_modified` (of the last 200) is given."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_for_host(url)
        deadline = self.clock() + self.timeout * 3  # a server trickling bytes cannot hold us
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                fetched = Fetched(
                    url=str(response.url),
                    status=response.status_code,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                    content_type=response.headers.get("Content-Type"),
                )
                if response.status_code == 304:
                    return fetched
                if response.status_code >= 400:
                    fetched.error = f"HTTP {response.status_code}"
                    return fetched
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    fetched.error = f"larger than {self.max_bytes:,} bytes ({int(declared):,})"
                    return fetched
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        fetched.error = f"larger than {self.max_bytes:,} bytes"
                        return fetched
                    if self.clock() > deadline:
                        fetched.error = f"too slow: not complete after {self.timeout * 3:.0f} s"
                        return fetched
                    chunks.append(chunk)
                fetched.body = b"".join(chunks)
                return fetched
        except httpx.HTTPError as exc:
            return Fetched(url=url, error=f"{type(exc).__name__}: {exc}".strip(": "))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            last = self._last.get(host)
            now = self.clock()
            if last is not None and now - last < self.host_delay:
                self.sleep(self.host_delay - (now - last))
            self._last[host] = self.clock()
