"""The bundled sample articles in examples/articles/ (what `bash scripts/demo.sh` runs on).

They are invented for amity (see examples/README.md), never copied from ../shared.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from amity.ingest import read_articles
from amity.pipeline import extract_articles

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"

# id -> publication date that ingest must find (dateline, JSONL field or HTML meta tag)
PUBLISHED = {
    "briefs-kuching-kunming-intent": dt.date(2023, 9, 14),
    "briefs-bristol-hannover-exchange": dt.date(2024, 7, 2),
    "briefs-wagga-nordlingen-agreement": dt.date(2023, 11, 20),
    "edinburgh-krakow-anniversary": dt.date(2025, 5, 19),
    "galway-moncton-proposal": dt.date(2023, 10, 11),
    "nagasaki-saint-paul-exchange": dt.date(2024, 4, 3),
    "turku-saint-petersburg-suspension": dt.date(2022, 3, 3),
    "twin-cities-marathon-negative": dt.date(2024, 10, 7),
}
# positive id -> the pair the article is about (either order; accents and "St." ignored)
PAIRS = {
    # the article's Kuching side signs as "Kuching North City Commission": that authority
    # (Kuching North) or the city (Kuching) are both right
    "briefs-kuching-kunming-intent": (("Kuching", "Kuching North"), "Kunming"),
    "briefs-bristol-hannover-exchange": ("Bristol", "Hannover"),
    "briefs-wagga-nordlingen-agreement": ("Wagga Wagga", "Nördlingen"),
    "edinburgh-krakow-anniversary": ("Edinburgh", "Kraków"),
    "galway-moncton-proposal": ("Galway", "Moncton"),
    "nagasaki-saint-paul-exchange": ("Nagasaki", "Saint Paul"),
    "turku-saint-petersburg-suspension": ("Turku", "Saint Petersburg"),
}
NEGATIVE = {"twin-cities-marathon-negative"}
POSITIVE = sorted(PAIRS)
assert set(PAIRS) | NEGATIVE == set(PUBLISHED)


def _norm(name: str) -> str:
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return name.replace("st. ", "saint ").replace("st ", "saint ").strip()


@pytest.fixture(scope="module")
def extracted(gazetteer):
    """Every example article after the full pipeline, by id (gazetteer sets the cache dir)."""
    return {article.id: article for article in extract_articles(read_articles([EXAMPLES]))}


def test_examples_ingest_without_errors():
    articles = list(read_articles([EXAMPLES]))
    assert sorted(article.id for article in articles) == sorted(PUBLISHED)
    for article in articles:
        assert article.errors == [], article.id
        assert len(article.text.split()) >= 80, article.id
        assert article.published == PUBLISHED[article.id], article.id


def test_examples_html_boilerplate_is_dropped():
    (article,) = read_articles([EXAMPLES / "edinburgh-krakow-anniversary.html"])
    assert "Kraków" in article.text
    for boilerplate in ("Cookie settings", "All rights reserved", "Bin collections", "Subscribe"):
        assert boilerplate.casefold() not in article.text.casefold()


def test_examples_run_through_the_pipeline_without_errors(extracted):
    assert sorted(extracted) == sorted(PUBLISHED)
    for article in extracted.values():
        assert article.errors == [], article.id


@pytest.mark.parametrize("article_id", POSITIVE)
def test_examples_positive_article_yields_a_relation(extracted, article_id):
    relations = extracted[article_id].relations
    assert relations, f"{article_id}: no relation extracted"
    found = [{_norm(r.a.name), _norm(r.b.name)} for r in relations]
    first, second = PAIRS[article_id]
    accepted = [{_norm(a), _norm(second)} for a in (first if isinstance(first, tuple) else (first,))]
    assert any(pair in found for pair in accepted), found


@pytest.mark.parametrize("article_id", sorted(NEGATIVE))
def test_examples_negative_article_yields_no_relation(extracted, article_id):
    relations = [f"{r.a.name} - {r.b.name}" for r in extracted[article_id].relations]
    assert relations == []
