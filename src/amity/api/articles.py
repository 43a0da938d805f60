"""/api/articles: one article with its evidence marked; ingest one article (write)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from amity.api.auth import require_token
from amity.api.deps import get_session
from amity.api.schemas import ArticleDetail, ArticleIn, ArticleStored
from amity.registry import queries

router = APIRouter(prefix="/api", tags=["articles"])
_pipeline_lock = threading.Lock()


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    summary="An article with its evidence marked",
)
def get_article(
    article_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: Annotated[Session, Depends(get_session)],
) -> Any:
    """The article's metadata and text as segments in order; a segment with
    `evidence: true` is a sentence a fact was read from (`relations` lists which). Text is
    plain text: clients must display it as text, never as HTML."""
    found = queries.get_article(session, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.post(
    "/articles",
    response_model=ArticleStored,
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Ingest one article (needs the token)",
)
def post_article(
    body: ArticleIn, request: Request, session: Annotated[Session, Depends(get_session)]
) -> Any:
    """Run the pipeline (ingest, prefilter, extract, resolve) on one article and store it,
    as `amity ingest` does. An article already stored (same text) is `skipped`. Input that
    `amity ingest` would refuse (binary text, no text, a publication date after tomorrow)
    is refused with 422 and stored nowhere."""
    from amity.ingest import article_failed, article_from_record, content_hash
    from amity.registry.store import ingest_article

    if (body.text is None) == (body.html is None):
        raise HTTPException(
            422,
            [{"loc": ["body"], "msg": "give exactly one of 'text' and 'html'", "type": "invalid"}],
        )
    raw = body.text if body.text is not None else body.html
    assert raw is not None
    record = body.model_dump(exclude_none=True)
    # the same reading as a JSONL line of `amity ingest` (amity.ingest.article_from_record)
    article = article_from_record(
        record, default_id=f"api-{content_hash(raw)[:12]}", source=body.source or "api"
    )
    if article_failed(article):
        raise HTTPException(
            422,
            [
                {"loc": ["body"], "msg": error.message, "type": "refused"}
                for error in article.errors
            ],
        )
    settings = request.app.state.settings
    with _pipeline_lock:  # spaCy pipelines are not shared across threads
        if settings.pipeline is None:
            from amity.pipeline import default_pipeline

            settings.pipeline = default_pipeline()
        stored = ingest_article(session, article, settings.pipeline)
    return {
        "status": stored.status,
        "article_id": stored.article_id,
        "relations_new": sorted(stored.new_relations),
        "relations_updated": sorted(stored.updated_relations),
        "events": stored.events,
        "error": stored.error,
    }
