"""A response cache for the read-only API: each GET is computed once per registry version,
then served from memory with an ETag (a conditional request gets 304 and no body) and
`Cache-Control: no-cache` (browsers keep the response and ask whether it is still current).

Whole-registry aggregates (`/api/stats`) and the map layer (`/api/relations.geojson`, about
0.9 MB, gzipped once per version here) are the costly ones; lists, places and searches that
many people ask for are next. Invalidation: the version is `registry_version` (the highest
id of every table: it moves on every write, from any process) read at most every
`check_seconds`, and at once after any commit in this process (an Engine "commit" event).
So a write through this server shows at once, one by another process (an `amity ingest`,
another worker) within `check_seconds`.

Plain ASGI middleware, the outermost layer, so a hit costs no routing or validation:
`add_response_cache(app)` (called last by amity.api.create_app) adds it as
`Settings.response_cache` says.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy import Engine, event

# GET routes whose responses depend on the registry alone (and the query string)
CACHED_PREFIXES = ("/api/relations", "/api/places/", "/api/search", "/api/stats", "/api/articles/")
# ... and whole-registry analyses that take seconds (the reconcile and network pages)
CACHED_PREFIXES += ("/api/reconcile", "/api/network")
CACHE_CONTROL = b"public, no-cache"
_GZIP_MIN_BYTES = 1000

_local_commits = 0  # commits made in this process, on any registry


@event.listens_for(Engine, "commit")
def _count_commit(_connection: Any) -> None:
    global _local_commits
    _local_commits += 1


@dataclass
class _Entry:
    status: int
    headers: list[tuple[bytes, bytes]]  # from the route, less length and encoding
    body: bytes
    gzipped: bytes | None
    etag: bytes

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


class ResponseCache:
    """Serve GET responses of CACHED_PREFIXES from memory per registry version (LRU, at most
    `max_bytes` of bodies), with ETag / If-None-Match (304) and Cache-Control."""

    def __init__(
        self, app: Any, *, max_bytes: int = 64_000_000, check_seconds: float = 0.5
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.check_seconds = check_seconds
        self._entries: OrderedDict[tuple[str, bytes], _Entry] = OrderedDict()
        self._bytes = 0
        self._version: Any = None
        self._checked = (float("-inf"), -1)  # (monotonic time, local commits) of the last read
        self._pending: dict[tuple[str, bytes], asyncio.Future[None]] = {}
        self.hits = self.misses = 0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(CACHED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        version = await self._current_version(scope)
        key = (scope["path"], scope.get("query_string", b""))
        entry = self._entries.get(key)
        while entry is None and key in self._pending:  # the same request is being computed
            await asyncio.shield(self._pending[key])
            entry = self._entries.get(key)
        if entry is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            await _respond(entry, scope, send, b"hit")
            return
        self.misses += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending[key] = done
        try:
            entry = await self._compute(scope, receive)
            if entry.status == 200 and version == self._version:
                self._store(key, entry)
        finally:
            del self._pending[key]
            done.set_result(None)
        await _respond(entry, scope, send, b"miss")

    async def _current_version(self, scope: dict) -> Any:
        checked_at, commits = self._checked
        now = time.monotonic()
        if now - checked_at >= self.check_seconds or commits != _local_commits:
            registry = scope["app"].state.registry
            self._checked = (now, _local_commits)
            version = await anyio.to_thread.run_sync(_read_version, registry)
            if version != self._version:
                self._version = version
                self._entries.clear()
                self._bytes = 0
        return self._version

    async def _compute(self, scope: dict, receive: Any) -> _Entry:
        """Run the route with no Accept-Encoding or If-None-Match (this layer answers those)
        and keep its whole response."""
        headers = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"accept-encoding", b"if-none-match")
        ]
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: dict) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app({**scope, "headers": headers}, receive, keep)
        body = b"".join(chunks)
        kept = [
            (name, value)
            for name, value in started.get("headers", [])
            if name.lower()
            not in (b"content-length", b"content-encoding", b"etag", b"cache-control", b"vary")
        ]
        status = started.get("status", 500)
        if status != 200:
            return _Entry(status, kept, body, None, b"")
        gzipped = None
        if len(body) >= _GZIP_MIN_BYTES:
            gzipped = await anyio.to_thread.run_sync(_gzip, body)
        etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        return _Entry(status, kept, body, gzipped, etag)

    def _store(self, key: tuple[str, bytes], entry: _Entry) -> None:
        if entry.size > self.max_bytes // 4:
            return
        self._entries[key] = entry
        self._bytes += entry.size
        while self._bytes > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size


def add_response_cache(app: Any) -> None:
    """Wrap `app` (a FastAPI app whose state holds `settings`) in a ResponseCache, unless
    `settings.response_cache` is off. Call it after every other add_middleware."""
    settings = app.state.settings
    if settings.response_cache:
        app.add_middleware(
            ResponseCache,
            max_bytes=settings.cache_max_bytes,
            check_seconds=settings.cache_check_seconds,
        )


def _read_version(registry: Any) -> Any:
    from amity.registry.queries import registry_version

    with registry.session() as session:
        return registry_version(session)


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


def _header(scope: dict, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return b""


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    tags = [t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")]
    return b"*" in tags or etag in tags


async def _respond(entry: _Entry, scope: dict, send: Any, how: bytes) -> None:
    if entry.status != 200:
        headers = [*entry.headers, (b"content-length", str(len(entry.body)).encode())]
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})
        return
    common = [
        (b"etag", entry.etag),
        (b"cache-control", CACHE_CONTROL),
        (b"vary", b"Accept-Encoding"),
        (b"x-cache", how),  # hit or miss: for benchmarks and curious people
    ]
    if _matches(_header(scope, b"if-none-match"), entry.etag):
        await send({"type": "http.response.start", "status": 304, "headers": common})
        await send({"type": "http.response.body", "body": b""})
        return
    body, headers = entry.body, [*entry.headers, *common]
    if entry.gzipped is not None and b"gzip" in _header(scope, b"accept-encoding").lower():
        body = entry.gzipped
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
