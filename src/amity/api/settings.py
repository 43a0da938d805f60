"""Settings of the web app: which registry, the write token, limits, the optional tile layer."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amity.pipeline import Pipeline
    from amity.registry import Registry

TOKEN_ENV = "AMITY_API_TOKEN"
TILES_ENV = "AMITY_TILE_URL"
CACHE_ENV = "AMITY_RESPONSE_CACHE"  # "0" turns the response cache off (benchmarks)


@dataclass
class Settings:
    """What `create_app` needs.

    :param database_url: the registry (default: `$AMITY_DATABASE_URL`, else sqlite:///amity.db).
    :param api_token: the Bearer token writes need; None (and "") disables every write.
    :param max_body_bytes: larger request bodies are refused with 413.
    :param tile_url: an XYZ tile URL template drawn under the world outline when set (and the
        browser is online), e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; off by default.
    :param registry: an already open registry (tests); `database_url` is then ignored.
    :param pipeline: the pipeline `POST /api/articles` runs (default: built on first use).
    :param warm_map: build the unfiltered map layer in the background at start-up.
    :param response_cache: serve read-only GETs from memory per registry version, with ETags
        (amity.api.caching); `cache_max_bytes` bounds it, and writes by other processes show
        within `cache_check_seconds`.

    Example:
        >>> Settings.from_env(database_url="sqlite:///amity.db").max_body_bytes
        1000000
    """

    database_url: str | None = None
    api_token: str | None = None
    max_body_bytes: int = 1_000_000
    tile_url: str | None = None
    registry: Registry | None = None
    pipeline: Pipeline | None = None
    warm_map: bool = True
    response_cache: bool = True
    cache_max_bytes: int = 64_000_000
    cache_check_seconds: float = 0.5

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from AMITY_API_TOKEN, AMITY_TILE_URL and AMITY_RESPONSE_CACHE, then
        `overrides`."""
        values: dict[str, object] = {
            "api_token": os.environ.get(TOKEN_ENV) or None,
            "tile_url": os.environ.get(TILES_ENV) or None,
            "response_cache": os.environ.get(CACHE_ENV, "1") != "0",
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
