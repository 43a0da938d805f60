"""The corpus that every mode (one process, --workers 2, Spark local[2]) must read the same:
the seeds, news-dev and 300 BBC articles; its single-process extraction is computed once per
test run and shared by tests/test_parallel.py and tests/test_spark.py."""

from __future__ import annotations

import functools
from pathlib import Path

from shared_paths import require_shared

BBC_ARTICLES = 300


def corpus_paths(directory: Path) -> list[str]:
    """The three inputs: the seeds (text files), news-dev (JSONL), 300 BBC articles (JSONL,
    cut to a file under `directory`)."""
    seeds = require_shared("corpus/seeds")
    news_dev = require_shared("corpus/news-dev/articles.jsonl")
    bbc = require_shared("corpus/bbc/bbc-2225.jsonl")
    cut = directory / "bbc-300.jsonl"
    if not cut.exists():
        with bbc.open(encoding="utf-8") as source:
            lines = [next(source) for _ in range(BBC_ARTICLES)]
        cut.write_text("".join(lines), encoding="utf-8")
    return [str(seeds), str(news_dev), str(cut)]


@functools.cache
def single_process(paths: tuple[str, ...]) -> tuple:
    """(JSON lines, Articles) of the classic path: extract_articles(read_articles(paths))."""
    from amity.ingest import read_articles
    from amity.pipeline import extract_articles

    articles = list(extract_articles(read_articles(list(paths))))
    return tuple(article.to_json() for article in articles), tuple(articles)


def relations_by_article(articles) -> dict[str, list[dict]]:
    return {a.id: [r.to_dict() for r in a.relations] for a in articles if a.relations}


def registry_content(url: str) -> tuple:
    """A registry's relations (without row ids) and its article counts by status."""
    import json

    from amity.registry import open_registry
    from amity.registry.queries import RelationFilter, relations, stats

    with open_registry(url) as registry, registry.session() as session:
        rows = relations(session, RelationFilter(), sort="a")
        articles = stats(session)["articles"]
    cleaned = sorted(json.dumps(_unordered(row), sort_keys=True, default=str) for row in rows)
    return cleaned, articles


def _unordered(row: dict) -> dict:
    """The row without ids, its two sides in name order: which side is `a` follows the place
    rows' ids, so the order in which articles were stored."""
    row = {k: v for k, v in row.items() if not k.endswith("id")}
    a = {k: v for k, v in row.items() if k == "a" or k.startswith("a_")}
    b = {k: v for k, v in row.items() if k == "b" or k.startswith("b_")}
    if (str(row["a"]), str(row.get("a_country"))) > (str(row["b"]), str(row.get("b_country"))):
        row.update({"b" + k[1:]: v for k, v in a.items()})
        row.update({"a" + k[1:]: v for k, v in b.items()})
    return row
