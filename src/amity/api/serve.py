"""Run the app with uvicorn, in one process or in `workers` processes.

Several workers need the app as an import string: each worker process calls
`app_from_env()`, which opens the registry named by AMITY_DATABASE_URL (`serve` sets it).
Each worker keeps its own response cache (amity.api.caching); writes made through one show
in the others within `Settings.cache_check_seconds`.

Example:
    >>> serve("sqlite:///amity.db", port=8000, workers=2)  # doctest: +SKIP
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from amity.api.settings import Settings
from amity.registry import ENV_VAR


def app_from_env() -> FastAPI:
    """The app over $AMITY_DATABASE_URL with the token and tile layer of the environment
    (an app factory for `uvicorn --factory`, one per worker)."""
    from amity.api import create_app

    return create_app(Settings.from_env(database_url=os.environ.get(ENV_VAR)))


def serve(
    database_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    access_log: bool = False,
) -> None:
    """Serve the registry at `database_url` until interrupted. The caller opens (and so
    migrates) the registry first: workers then only open it."""
    import uvicorn

    os.environ[ENV_VAR] = database_url
    uvicorn.run(
        "amity.api.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        log_level="warning",
        access_log=access_log,
    )
