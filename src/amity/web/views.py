"""The HTML pages: the map (/), the stats page (/stats), a place (/places/{id}) and an
article with its evidence marked (/articles/{id}), plus /static.

Pages render through Jinja2Templates, which escape every value; data for scripts is
embedded with `|tojson`, and stored text is never marked `|safe`. A place page and
/api/places/{id} are the same query (`queries.get_place`), likewise articles. A browser
gets an HTML error page (error.html) for any error outside /api; the API stays JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from amity.registry import queries

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


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "map.html", {"config": _config(request)})


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "stats.html", {"config": _config(request)})


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
