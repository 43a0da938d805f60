"""Reviews: a person confirms, corrects or rejects a relation; the review is stored and shown.

    record_review(session, relation_id, "correct", corrected={"status": "terminated"})

A `correct` review sets the relation's tier, status and/or established year to the values
given (the values before are kept on the review row), and later ingests keep them: the
relation is summarised from its facts again, then the latest correction is applied on top.
`relation.review` holds the latest verdict, so a rejected relation can be told apart (the
map draws it faded). The caller commits.

Example:
    >>> from amity.registry import open_registry
    >>> with open_registry("sqlite:///:memory:").session() as session:
    ...     record_review(session, 1, "confirm")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.errors import AmityError
from amity.registry import now
from amity.registry.models import RELATION_STATUSES, REVIEW_VERDICTS, RelationRow, ReviewRow

CORRECTABLE = ("tier", "status", "established")
TIERS = ("sister", "friendly")


class NotFound(AmityError, LookupError):
    """No row with that id."""


class InvalidReview(AmityError, ValueError):
    """An unknown verdict or a correction that is not allowed."""


def check_correction(corrected: dict[str, Any] | None) -> dict[str, Any]:
    """The correction, validated: only tier, status and established, with allowed values."""
    corrected = dict(corrected or {})
    unknown = set(corrected) - set(CORRECTABLE)
    if unknown:
        raise InvalidReview(
            f"cannot correct {', '.join(sorted(unknown))}; only {', '.join(CORRECTABLE)}"
        )
    if "tier" in corrected and corrected["tier"] not in TIERS:
        raise InvalidReview(f"tier must be one of {', '.join(TIERS)}")
    if "status" in corrected and corrected["status"] not in RELATION_STATUSES:
        raise InvalidReview(f"status must be one of {', '.join(RELATION_STATUSES)}")
    if "established" in corrected:
        year = corrected["established"]
        if year is not None and (not isinstance(year, int) or not 1000 <= year <= 2100):
            raise InvalidReview("established must be a year between 1000 and 2100, or null")
    return corrected


def record_review(
    session: Session,
    relation_id: int,
    verdict: str,
    *,
    corrected: dict[str, Any] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> ReviewRow:
    """Store a review of relation `relation_id` and apply it; the caller commits.

    :param verdict: confirm | correct | reject.
    :param corrected: for `correct`, the new values of tier, status and/or established.
    :raises NotFound: no such relation.
    :raises InvalidReview: an unknown verdict or a bad correction.
    """
    if verdict not in REVIEW_VERDICTS:
        raise InvalidReview(f"verdict must be one of {', '.join(REVIEW_VERDICTS)}")
    relation = session.get(RelationRow, relation_id)
    if relation is None:
        raise NotFound(f"no relation {relation_id}")
    corrected = check_correction(corrected)
    if verdict == "correct" and not corrected:
        raise InvalidReview("a 'correct' review needs at least one corrected value")
    if verdict != "correct" and corrected:
        raise InvalidReview("corrected values are only allowed with the 'correct' verdict")
    review = ReviewRow(
        relation_id=relation.id,
        verdict=verdict,
        corrected=corrected or None,
        before={k: getattr(relation, k) for k in CORRECTABLE},
        note=note,
        reviewer=reviewer,
        created_at=now(),
    )
    session.add(review)
    relation.review = verdict
    for key, value in corrected.items():
        setattr(relation, key, value)
    session.flush()
    return review


def apply_latest_review(session: Session, relation: RelationRow) -> None:
    """Apply the latest correction (if the latest review is one) to a freshly summarised row."""
    latest = session.scalars(
        select(ReviewRow)
        .where(ReviewRow.relation_id == relation.id)
        .order_by(ReviewRow.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return
    relation.review = latest.verdict
    if latest.verdict == "correct":
        for key, value in (latest.corrected or {}).items():
            setattr(relation, key, value)


def review_dict(review: ReviewRow) -> dict[str, Any]:
    return {
        "id": review.id,
        "relation_id": review.relation_id,
        "verdict": review.verdict,
        "corrected": review.corrected,
        "before": review.before,
        "note": review.note,
        "reviewer": review.reviewer,
        "created_at": review.created_at.isoformat() + "Z",
    }
