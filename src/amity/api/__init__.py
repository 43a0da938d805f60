"""The web app: a REST API over the registry and the map UI, both served by FastAPI.

    create_app(settings) -> FastAPI     routers: relations, places, articles, search, stats,
                                        geojson (under /api), the web pages (amity.web.views)
                                        and /static; OpenAPI docs at /docs (Swagger UI
                                        vendored under /static/vendor/swagger-ui: no CDN)

Routes only call `amity.registry.queries` (reads), `amity.registry.store` and
`amity.registry.review` (writes, behind `require_token`). Every 4xx is JSON in one shape,
`{"detail": "...", "errors": [{"loc", "msg", "type"}]}` (amity.api.errors); request bodies
over `Settings.max_body_bytes` get 413. The outermost layer (amity.api.hardening) adds the
security headers (CSP: this server only), answers HEAD and writes the access log.

Example:
    >>> from amity.api import Settings, create_app
    >>> app = create_app(Settings(database_url="sqlite:///:memory:"))
    >>> app.title
    'amity'
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from amity.api.caching import add_response_cache
from amity.api.deps import read_sessionmaker
from amity.api.errors import install_error_handlers
from amity.api.hardening import Hardening, content_security_policy, inline_script_hashes
from amity.api.limits import BodySizeLimit
from amity.api.settings import Settings

__all__ = ["Settings", "create_app"]


def _warm_map(registry: Any) -> None:
    from amity.web.layer import cached_layer  # the layer the map page loads first

    try:
        with registry.session() as session:
            cached_layer(session)
    except Exception:  # noqa: BLE001 - a cold cache is only slower
        pass


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app over the registry `settings` name (opened, and migrated, now).

    Example:
        >>> app = create_app(Settings.from_env(database_url="sqlite:///amity.db"))  # doctest: +SKIP
        >>> import uvicorn; uvicorn.run(app)  # doctest: +SKIP
    """
    from amity import __version__
    from amity.api import (
        anniversaries,
        articles,
        events,
        exports,
        geojson,
        network,
        places,
        reconcile,
        relations,
        search,
        stats,
    )
    from amity.registry import open_registry
    from amity.web import views

    settings = settings or Settings.from_env()
    owns_registry = settings.registry is None
    registry = settings.registry or open_registry(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        if settings.warm_map:  # build the full map layer while the first page loads
            threading.Thread(target=_warm_map, args=(registry,), daemon=True).start()
        yield
        if owns_registry:
            registry.close()

    app = FastAPI(
        title="amity",
        version=__version__,
        summary="Sister-city, twin-town and friendship-city relations read from the news, with sources.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's own /docs and /redoc load their scripts from CDNs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.read_sessions = read_sessionmaker(registry)  # amity.api.deps
    for module in (relations, geojson, places, articles, search, stats):
        app.include_router(module.router)
    for module in (reconcile, anniversaries, network, events, exports):  # amity.analysis
        app.include_router(module.router)
    install_error_handlers(app)  # before views.mount, which wraps them for browsers
    views.mount(app)

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        # Swagger UI from the package (swagger-ui-dist, vendored): works with no internet
        root = request.scope.get("root_path", "").rstrip("/")
        vendor = f"{root}/static/vendor/swagger-ui"
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/favicon-32x32.png",
            oauth2_redirect_url=None,
            # no badge from the online validator (validator.swagger.io)
            swagger_ui_parameters={"validatorUrl": None},
        )
        # the page starts Swagger UI with one inline script: allowed by its hash only
        hashes = inline_script_hashes(bytes(page.body).decode())
        page.headers["Content-Security-Policy"] = content_security_policy(script_hashes=hashes)
        return page

    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    add_response_cache(app)  # last: the outermost layer (amity.api.caching)
    # ... but for headers, HEAD and the access log, which must see cache hits too
    app.add_middleware(Hardening, tile_url=settings.tile_url)
    return app
