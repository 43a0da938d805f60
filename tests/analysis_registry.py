"""The registry the analysis tests read (test_reconcile, test_anniversaries): the seeds and
news-dev ingested, the packaged Wikipedia list and our small Wikidata result imported.
Ingesting news-dev takes a minute or two, so it is built once per test session (a SQLite
file) and shared; the tests only read it.

The Wikidata result (fixtures/analysis/wikidata_p190.json) holds Changchun–Ulsan from 1994
stated on both items, and Ulsan–Houston on Ulsan's item only, with Houston's point put
111 km north; its QIDs are placeholders (Q9000001...), not the cities' real items.
"""

from __future__ import annotations

from pathlib import Path

from shared_paths import FIXTURES, require_shared

WIKIDATA = FIXTURES / "analysis" / "wikidata_p190.json"
_built: dict[str, str] = {}


def news_registry_url(tmp_path_factory) -> str:
    """sqlite URL of the registry (built on the first call of the session)."""
    seeds = require_shared("corpus/seeds")
    news_dev = require_shared("corpus/news-dev/articles.jsonl")
    if "url" not in _built:
        from amity.ingest import read_articles
        from amity.registry import open_registry
        from amity.registry.reference import import_wikidata, import_wikipedia_list
        from amity.registry.store import ingest

        path: Path = tmp_path_factory.mktemp("analysis") / "amity.db"
        url = f"sqlite:///{path}"
        with open_registry(url) as registry:
            ingest(registry, read_articles([str(seeds), str(news_dev)]))
            import_wikipedia_list(registry)
            import_wikidata(registry, WIKIDATA)
        _built["url"] = url
    return _built["url"]
