"""The tables `amity spark extract` writes, and reading them back into Articles.

Three tables, each a directory of Parquet (or JSON lines) part files under the output
directory; `docs/spark.md` documents every column.

- `relations/`: one row per relation found (the article's id, url, title, published, both
  places with geonameid, country, admin1, lat, lon and kind, tier, event, event_date,
  established, confidence, evidence, officials, ...);
- `articles/`: one row per article that passed the prefilter (with its text and claims), so
  that `amity ingest --from-parquet` stores what `amity ingest` would have stored;
- `errors/`: one row per error of an article (unreadable input, a failing stage).

Rows carry `input` (the file, or DataFrame partition, the article came from), `position`
(the unit's place in that input) and `part` (the article's place in the unit, almost always
0): sorting by them gives input order. Nothing here imports pyspark; reading uses pyarrow.

Example:
    >>> from amity.spark.tables import read_extraction
    >>> articles = list(read_extraction("out/"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from amity.types import Article, Claim, Official, Place, Relation, StageError

PLACE_FIELDS = (
    ("name", "string"),
    ("canonical", "string"),
    ("written", "string"),
    ("geonameid", "bigint"),
    ("country", "string"),
    ("admin1", "string"),
    ("lat", "double"),
    ("lon", "double"),
    ("kind", "string"),
    ("parent", "string"),
    ("confidence", "double"),
    ("unresolved", "boolean"),
    ("coord_source", "string"),
)
ORIGIN = "input string, position bigint, part int"
ARTICLE_KEYS = "article_id string, url string, title string, published date, content_hash string"
RELATIONS_SCHEMA = ", ".join(
    [
        ORIGIN,
        ARTICLE_KEYS,
        "relation_index int",
        *(f"{side}_{name} {kind}" for side in "ab" for name, kind in PLACE_FIELDS),
        "tier string, event string, event_date string, established int, anniversary int",
        "confidence double, evidence array<string>",
        "officials array<struct<name: string, role: string, of: string>>",
        "fields array<string>, organizations array<string>",
    ]
)
ARTICLES_SCHEMA = f"{ORIGIN}, {ARTICLE_KEYS}, source string, language string, text string, claims string, relations int"
ERRORS_SCHEMA = f"{ORIGIN}, article_id string, url string, source string, stage string, error_source string, message string"
TABLES = {"relations": RELATIONS_SCHEMA, "articles": ARTICLES_SCHEMA, "errors": ERRORS_SCHEMA}


def article_rows(
    article: Article, input: str, position: int, part: int
) -> Iterator[tuple[str, tuple]]:
    """("relations" | "articles" | "errors", row) for one extracted article: nothing for an
    irrelevant article without errors."""
    origin = (input, position, part)
    keys = (article.id, article.url, article.title, article.published, article.content_hash or None)
    for index, relation in enumerate(article.relations):
        places = tuple(
            value for place in (relation.a, relation.b) for value in _place_values(place)
        )
        yield (
            "relations",
            (
                *origin,
                *keys,
                index,
                *places,
                relation.tier,
                relation.event,
                relation.event_date,
                relation.established,
                relation.anniversary,
                float(relation.confidence),
                list(relation.evidence),
                [(o.name, o.role, o.of) for o in relation.officials],
                list(relation.fields),
                list(relation.organizations),
            ),
        )
    if article.relevant and article.text:
        claims = json.dumps([c.to_dict() for c in article.claims], ensure_ascii=False)
        yield (
            "articles",
            (
                *origin,
                *keys,
                article.source,
                article.language,
                article.text,
                claims,
                len(article.relations),
            ),
        )
    for error in article.errors:
        yield (
            "errors",
            (
                *origin,
                article.id,
                article.url,
                article.source,
                error.stage,
                error.source,
                error.message,
            ),
        )


def _place_values(place: Place) -> tuple:
    return tuple(getattr(place, name) for name, _ in PLACE_FIELDS)


def read_extraction(directory: str | Path) -> Iterator[Article]:
    """The Articles an `amity spark extract` output directory holds, in input order: each
    relevant article with its text, relations and claims, and each failed article with its
    errors, ready for `amity.registry.store.ingest(..., extract=False)`."""
    from amity.errors import BadInput

    root = Path(directory)
    if not (root / "relations").is_dir() or not (root / "articles").is_dir():
        raise BadInput(
            str(root), "not an 'amity spark extract' output (no relations/ and articles/)"
        )
    articles: dict[tuple, Article] = {}
    for row in _rows(root / "articles"):
        key = (row["input"], row["position"], row["part"])
        article = Article(
            id=row["article_id"],
            text=row["text"] or "",
            title=row["title"],
            published=row["published"],
            url=row["url"],
            source=row["source"] or "",
            content_hash=row["content_hash"] or "",
            language=row["language"],
            relevant=True,
        )
        article.claims = [Claim(**claim) for claim in json.loads(row["claims"] or "[]")]
        articles[key] = article
    relations: dict[tuple, list[tuple[int, Relation]]] = defaultdict(list)
    for row in _rows(root / "relations"):
        key = (row["input"], row["position"], row["part"])
        relations[key].append((row["relation_index"], _relation(row)))
    for key, found in relations.items():
        if key in articles:
            articles[key].relations = [
                relation for _, relation in sorted(found, key=lambda x: x[0])
            ]
    if (root / "errors").is_dir():
        for row in _rows(root / "errors"):
            key = (row["input"], row["position"], row["part"])
            if key not in articles:
                articles[key] = Article(
                    id=row["article_id"], text="", url=row["url"], source=row["source"] or ""
                )
            error = StageError(row["stage"], row["error_source"], row["message"])
            articles[key].errors.append(error)
    for key in sorted(articles, key=lambda k: (k[0] or "", k[1] or 0, k[2] or 0)):
        yield articles[key]


def _rows(directory: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    files = sorted(p for p in directory.rglob("*.parquet") if not p.name.startswith((".", "_")))
    for path in files:
        yield from pq.read_table(path).to_pylist()


def _relation(row: dict[str, Any]) -> Relation:
    def place(side: str) -> Place:
        # .get: output written before a column existed (coord_source) still reads back
        values = {name: row.get(f"{side}_{name}") for name, _ in PLACE_FIELDS}
        return Place(**values)

    return Relation(
        a=place("a"),
        b=place("b"),
        tier=row["tier"],
        event=row["event"],
        event_date=row["event_date"],
        established=row["established"],
        anniversary=row["anniversary"],
        officials=[Official(**official) for official in row["officials"] or []],
        fields=list(row["fields"] or []),
        organizations=list(row["organizations"] or []),
        evidence=list(row["evidence"] or []),
        confidence=row["confidence"],
    )
