"""The HTML pages: the map (/), the stats page (/stats), a place (/places/{id}), an
article with its evidence marked (/articles/{id}), the analysis pages (/reconcile,
/anniversaries, /network), plus /static and the map's compact data layer (/map/layer.json,
amity.web.layer: ETag and gzip of its own).

Pages render through Jinja2Templates, which escape every value; data for scripts is
embedded with `|tojson`, and stored text is never marked `|safe`. A place page and
/api/places/{id} are the same query (`queries.get_place`), likewise articles. A browser
gets an HTML error page (error.html) for any error outside /api; the API stays JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from amity.registry import queries
from amity.registry.queries import RelationFilter
from amity.web.layer import cached_layer

WEB = resources.files("amity.web")
templates = Jinja2Templates(directory=str(WEB / "templates"))
router = APIRouter(include_in_schema=False)


def is_http_url(value: Any) -> bool:
    """True for an absolute http(s) URL with no whitespace: the only values made links."""
    if not isinstance(value, str):
        return False
    value = value.strip()
    return value.lower().startswith(("http://", "https://")) and not any(
        c.isspace() or c in "\"'<>`" for c in value
    )


templates.env.tests["http_url"] = is_http_url
assert templates.env.autoescape  # Jinja2Templates escapes by default; keep it that way


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's registry, closed after the response (the pages read the
    registry directly, as the API does: no import of amity.api)."""
    with request.app.state.registry.session() as session:
        yield session


def _config(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"tileUrl": settings.tile_url, "writes": bool(settings.api_token)}


MAP_FILTERS = ("country", "tier", "status", "source", "year_from", "year_to")  # form order


def layer_url(request: Request) -> str:
    """The layer address app.js will ask for first (the filters in the page's URL, in the
    form's order), so the page can preload it while its scripts load."""
    given = [(k, v.strip()) for k in MAP_FILTERS if (v := request.query_params.get(k, "").strip())]
    return "/map/layer.json" + (f"?{urlencode(given)}" if given else "")


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> Any:
    context = {"config": _config(request), "layer_url": layer_url(request)}
    return templates.TemplateResponse(request, "map.html", context)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "stats.html", {"config": _config(request)})


@router.get("/reconcile", response_class=HTMLResponse)
def reconcile_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "reconcile.html", {"config": _config(request)})


@router.get("/anniversaries", response_class=HTMLResponse)
def anniversaries_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "anniversaries.html", {"config": _config(request)})


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "network.html", {"config": _config(request)})


@router.get("/map/layer.json")
def map_layer(
    request: Request,
    filters: Annotated[RelationFilter, Query()],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The map's compact layer (amity.web.layer) for the filters of /api/relations, built
    once per registry version; a browser's conditional request gets 304 and no body."""
    layer = cached_layer(session, filters)
    headers = {"ETag": layer.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if layer.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"  # GZipMiddleware leaves an encoded body alone
        return Response(layer.gzipped, media_type="application/json", headers=headers)
    return Response(layer.body, media_type="application/json", headers=headers)


def _id(text: str) -> int | None:
    """A page's id from its URL: a positive 32-bit integer, else None (a 404 page)."""
    return int(text) if text.isdigit() and 1 <= int(text) <= 2**31 - 1 else None


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An HTML page for a browser's error (the API keeps answering JSON)."""
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


@router.get("/places/{place_id}", response_class=HTMLResponse)
def place_page(
    request: Request, place_id: str, session: Annotated[Session, Depends(get_session)]
) -> Any:
    found = queries.get_place(session, number) if (number := _id(place_id)) else None
    if found is None:
        return error_page(request, 404, f"There is no place {place_id} in this registry.")
    return templates.TemplateResponse(request, "place.html", {"view": found})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: str, session: Annotated[Session, Depends(get_session)]
) -> Any:
    found = queries.get_article(session, number) if (number := _id(article_id)) else None
    if found is None:
        return error_page(request, 404, f"There is no article {article_id} in this registry.")
    return templates.TemplateResponse(request, "article.html", {"article": found})


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the API, not a script's fetch)."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path in ("/api", "/openapi.json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def mount(app: FastAPI) -> None:
    """Add the pages and /static to `app`, and HTML error pages for browsers."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    json_errors = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)

    async def html_or_json(request: Request, exc: StarletteHTTPException) -> Any:
        if wants_html(request) and exc.status_code >= 400:
            messages = {404: "There is no page at this address.", 405: "This page cannot do that."}
            text = messages.get(exc.status_code, str(exc.detail))
            response = error_page(request, exc.status_code, text)
            for key, value in (exc.headers or {}).items():
                response.headers[key] = value
            return response
        return await json_errors(request, exc)

    app.add_exception_handler(StarletteHTTPException, html_or_json)
