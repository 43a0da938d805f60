"""Registries that a whole test module shares (one per backend), for read-only tests:
filling one per test is what made the API tests slow.

    @pytest.fixture(scope="module", params=BACKENDS)
    def shared(request, tmp_path_factory):
        yield from module_registry(request, tmp_path_factory)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

_numbers = itertools.count(1)


def module_registry(request: Any, tmp_path_factory: Any) -> Iterator[Any]:
    """An open, empty registry on `request.param` ("sqlite" or "postgresql"), dropped after
    the module; PostgreSQL runs on the session's `pg_server`."""
    from amity.registry import open_registry
    from conftest import _pg_admin

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'amity.db'}"
        server = None
    else:
        server = request.getfixturevalue("pg_server")
        name = f"amity_shared_{os.getpid()}_{next(_numbers)}"
        _pg_admin(server, f"CREATE DATABASE {name}")
        url = f"postgresql+psycopg://{server['user']}@{server['host']}:{server['port']}/{name}"
    registry = open_registry(url)
    try:
        yield registry
    finally:
        registry.close()
        if server is not None:
            _pg_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
