"""amity: a sourced, geocoded registry of sister-city relations read from the news.

The public API is imported lazily, so `import amity` stays fast (spaCy loads only when an
article needs extracting):

    >>> import amity
    >>> articles = amity.extract_articles(amity.read_articles(["news/"]))  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amity.evaluate import score
    from amity.ingest import read_articles
    from amity.pipeline import extract_articles
    from amity.types import Article, Claim, Official, Place, Relation

_EXPORTS = {
    "Article": "amity.types",
    "Place": "amity.types",
    "Relation": "amity.types",
    "Official": "amity.types",
    "Claim": "amity.types",
    "read_articles": "amity.ingest",
    "extract_articles": "amity.pipeline",
    "score": "amity.evaluate",
}

__all__ = [
    "Article",
    "Claim",
    "Official",
    "Place",
    "Relation",
    "__version__",
    "extract_articles",
    "read_articles",
    "score",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("amity")
        except PackageNotFoundError:  # running from a source tree that is not installed
            value = "0+unknown"
        globals()[name] = value
        return value
    raise AttributeError(f"module 'amity' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
