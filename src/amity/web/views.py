"""The HTML pages: the map (/), the stats page (/stats), a place (/places/{id}) and an
article with its evidence marked (/articles/{id}), plus /static.

Pages render through Jinja2Templates, which escape every value; data for scripts is
embedded with `|tojson`, and stored text is never marked `|safe`. A place page and
/api/places/{id} are the same query (`queries.get_place`), likewise articles.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from amity.api.deps import get_session
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


def _config(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"tileUrl": settings.tile_url, "writes": bool(settings.api_token)}


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "map.html", {"config": _config(request)})


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request) -> Any:
    return templates.TemplateResponse(request, "stats.html", {"config": _config(request)})


@router.get("/places/{place_id}", response_class=HTMLResponse)
def place_page(
    request: Request,
    place_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: Annotated[Session, Depends(get_session)],
) -> Any:
    found = queries.get_place(session, place_id)
    if found is None:
        raise HTTPException(404, f"no place {place_id}")
    return templates.TemplateResponse(request, "place.html", {"view": found})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: Annotated[Session, Depends(get_session)],
) -> Any:
    found = queries.get_article(session, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return templates.TemplateResponse(request, "article.html", {"article": found})


def mount(app: FastAPI) -> None:
    """Add the pages and /static to `app`."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
