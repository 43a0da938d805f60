"""Gazetteer look-ups remembered for the whole process: the callers' side of the cache.

An article names the same places many times ("Bor", "Longyan", "China"), and a stream of
news names the same few thousand places again and again; each `Gazetteer.lookup` is a few
SQLite queries, and one that falls through to fuzzy matching scans every name of a country.
The extract and resolve stages therefore share one `CachedGazetteer`, which answers a
question asked before from memory. The answers are the gazetteer's own (it is read-only and
its methods are pure), so results do not change; lists are copied on the way out so that no
caller can alter a remembered answer.

Example:
    >>> gazetteer = shared_gazetteer()  # doctest: +SKIP
    >>> gazetteer.lookup("Longyan")[0].country  # doctest: +SKIP
    'CN'
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from amity.gazetteer.index import EXTRACTION_SOURCES, Gazetteer, load_gazetteer

MAX_REMEMBERED = 100_000
"""Answers kept per method (least recently used dropped first): a long stream's memory stays
bounded at some tens of MB."""

_REMEMBERED = ("lookup", "is_place_name", "country_code", "country_codes_in", "admin1_of", "iso2")


class CachedGazetteer:
    """A Gazetteer whose pure look-ups (`_REMEMBERED`) are answered from memory when asked
    before; every other attribute is the wrapped gazetteer's."""

    def __init__(self, gazetteer: Gazetteer, max_remembered: int = MAX_REMEMBERED):
        self.gazetteer = gazetteer
        self._caches: list[Any] = []
        for name in _REMEMBERED:
            remembered = functools.lru_cache(max_remembered)(getattr(gazetteer, name))
            self._caches.append(remembered)
            setattr(self, name, _copying(remembered))

    def __getattr__(self, name: str) -> Any:  # only called for what __init__ did not set
        return getattr(self.gazetteer, name)

    def cache_info(self) -> dict[str, Any]:
        """Hits and misses per remembered method (for benchmarks)."""
        return {
            name: cache.cache_info() for name, cache in zip(_REMEMBERED, self._caches, strict=True)
        }


def _copying(remembered: Callable[..., Any]) -> Callable[..., Any]:
    def answer(*args: Any, **kwargs: Any) -> Any:
        value = remembered(*args, **kwargs)
        return list(value) if isinstance(value, list) else value

    return answer


def cached(gazetteer: Gazetteer | CachedGazetteer) -> CachedGazetteer:
    """`gazetteer`'s extraction view (EXTRACTION_SOURCES) with remembered look-ups (itself
    when it is one already)."""
    if isinstance(gazetteer, CachedGazetteer):
        return gazetteer
    return CachedGazetteer(gazetteer.restricted(EXTRACTION_SOURCES))


@functools.cache
def shared_gazetteer() -> CachedGazetteer:
    """The process's gazetteer (`load_gazetteer()`), as extraction sees it (cities, regions,
    countries: EXTRACTION_SOURCES), with remembered look-ups, shared by the place ruler and
    the extractor. The resolver sees every tier."""
    return CachedGazetteer(load_gazetteer().restricted(EXTRACTION_SOURCES))


@functools.cache
def shared_resolution_gazetteer() -> CachedGazetteer:
    """The process's whole gazetteer (every tier: admin areas, postal places) with remembered
    look-ups, for the resolver."""
    return CachedGazetteer(load_gazetteer())
