"""/api/reconcile: the news against the reference registries (amity.analysis.reconcile)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from amity.analysis.reconcile import against_sources, reconcile
from amity.api.deps import get_session

router = APIRouter(prefix="/api", tags=["analysis"])


@router.get("/reconcile", summary="News vs Wikipedia's list and Wikidata")
def reconcile_registry(
    session: Annotated[Session, Depends(get_session)],
    against: Annotated[
        Literal["all", "wikipedia-list", "wikidata"], Query(description="The reference(s).")
    ] = "all",
    counts_only: Annotated[
        bool, Query(description="Only `against` and `counts` (the stats page's summary).")
    ] = False,
) -> Any:
    """`counts` per category and the lists: `new` (in news, in no reference, with
    evidence and article), `known` (with the established year by source and its standing),
    `ended` (suspended or terminated in news, listed active), `year_conflicts`,
    `one_sided` (Wikidata P190 on one item only), `doubtful` reference rows (unresolved,
    > 50 km off, self or own-province pairs) and `claims` (claimed vs known counts)."""
    report = reconcile(session, against_sources(against))
    return {"against": report["against"], "counts": report["counts"]} if counts_only else report
