"""One article: its text cut into segments with the evidence sentences marked, and the
facts read from it (`get_article`).

Example:
    >>> get_article(session, 1)["segments"][0]  # doctest: +SKIP
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from amity.registry.models import ArticleRow, EventRow, RelationRow
from amity.registry.queries.common import iso, place_dict


def split_evidence(text: str, sentences: dict[str, list[int]]) -> list[dict[str, Any]]:
    """Cut `text` into segments, marking each evidence sentence found in it:
    [{"text": ..., "evidence": bool, "relations": [relation ids]}]. A sentence is found
    verbatim, else with any run of whitespace matching any other; unfound ones are skipped.

    Example:
        >>> split_evidence("A. B twins C. D.", {"B twins C.": [7]})
        [{'text': 'A. ', 'evidence': False, 'relations': []}, {'text': 'B twins C.', 'evidence': True, 'relations': [7]}, {'text': ' D.', 'evidence': False, 'relations': []}]
    """
    spans: list[tuple[int, int, list[int]]] = []
    for sentence, relation_ids in sentences.items():
        sentence = sentence.strip()
        if not sentence:
            continue
        start = text.find(sentence)
        if start >= 0:
            spans.append((start, start + len(sentence), relation_ids))
            continue
        pattern = r"\s+".join(re.escape(word) for word in sentence.split())
        match = re.search(pattern, text)
        if match:
            spans.append((match.start(), match.end(), relation_ids))
    spans.sort()
    segments: list[dict[str, Any]] = []
    position = 0
    for start, end, relation_ids in spans:
        if start < position:  # overlapping sentences: extend the previous mark
            if segments and segments[-1]["evidence"] and end > position:
                segments[-1]["text"] += text[position:end]
                segments[-1]["relations"] = sorted(
                    set(segments[-1]["relations"]) | set(relation_ids)
                )
                position = end
            continue
        if start > position:
            segments.append({"text": text[position:start], "evidence": False, "relations": []})
        segments.append(
            {"text": text[start:end], "evidence": True, "relations": sorted(set(relation_ids))}
        )
        position = end
    if position < len(text):
        segments.append({"text": text[position:], "evidence": False, "relations": []})
    return segments


def get_article(session: Session, article_id: int) -> dict[str, Any] | None:
    """The article with this id: metadata, its text cut into segments with the evidence
    sentences marked (`split_evidence`), and the facts read from it; None when there is none.
    Articles stored before the text was kept have `segments` built from the evidence alone."""
    article = session.get(ArticleRow, article_id)
    if article is None:
        return None
    events = session.scalars(
        select(EventRow)
        .where(EventRow.article_id == article.id)
        .options(
            selectinload(EventRow.relation).selectinload(RelationRow.place_a),
            selectinload(EventRow.relation).selectinload(RelationRow.place_b),
        )
        .order_by(EventRow.id)
    ).all()
    sentences: dict[str, list[int]] = {}
    for event in events:
        for sentence in event.evidence or []:
            sentences.setdefault(sentence, []).append(event.relation_id)
    text = article.text
    if text is None:
        text = "\n".join(sentences)
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "url": article.url,
        "published": iso(article.published),
        "source": article.source,
        "language": article.language,
        "status": article.status,
        "error": article.error,
        "ingested_at": article.ingested_at.isoformat() + "Z",
        "has_text": article.text is not None,
        "segments": split_evidence(text, sentences),
        "facts": [
            {
                "relation_id": event.relation_id,
                "a": place_dict(event.relation.place_a),
                "b": place_dict(event.relation.place_b),
                "event": event.type,
                "tier": event.tier,
                "event_date": event.date,
                "established": event.established,
                "evidence": event.evidence,
            }
            for event in events
        ],
    }
