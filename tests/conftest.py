"""Shared fixtures."""

from __future__ import annotations

import os

import pytest

# --- gazetteer (amity.resolve) ----------------------------------------------------------


@pytest.fixture(scope="session")
def gazetteer(request):
    """The real GeoNames gazetteer, built once into pytest's cache dir and reused by later
    runs (about 15 s cold). AMITY_CACHE_DIR, when set, wins."""
    from amity.resolve.gazetteer import load_gazetteer

    if not os.environ.get("AMITY_CACHE_DIR"):
        os.environ["AMITY_CACHE_DIR"] = str(request.config.cache.mkdir("amity-gazetteer"))
    load_gazetteer.cache_clear()
    return load_gazetteer()


@pytest.fixture(scope="session")
def resolver(gazetteer):
    from amity.resolve import Resolver

    return Resolver(gazetteer)


# --- end gazetteer ------------------------------------------------------------------------
