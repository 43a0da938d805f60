"""The ingest stage: text, HTML and JSONL files, directories, globs and stdin → Article.

Assigns: id, text, title, published, url, source, content_hash, language, errors.
Requires: nothing (it is the first stage).

Decisions:
- Bad input never raises out of `read_articles`/`read_article_file`: it becomes an Article
  with empty text and a StageError("ingest", <input>, <message>), and the batch goes on.
- Huge input is truncated, not rejected: a text/HTML file is read up to MAX_FILE_BYTES
  (16 MB) and an article's text is cut to MAX_TEXT_CHARS (2,000,000 characters) at a
  line break; either cut records a StageError saying so. A JSONL line over MAX_LINE_BYTES
  is skipped with an error and the following lines are read.
- `language` is a cheap guess: "en" when most common English function words occur,
  "zh"/"ja"/"ko" when CJK script dominates, else None.

Example:
    >>> from amity.ingest import read_articles
    >>> articles = list(read_articles(["news/"]))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

# Names are loaded on first use (PEP 562), so that `amity.ingest.text` (content_hash,
# article_failed), which the registry needs, does not import trafilatura and lxml.
_EXPORTS = {
    "find_published": "amity.datelines",
    "decode_bytes": "amity.ingest.decode",
    "article_from_html": "amity.ingest.html",
    "looks_like_html": "amity.ingest.html",
    "MAX_FILE_BYTES": "amity.ingest.readers",
    "MAX_LINE_BYTES": "amity.ingest.readers",
    "article_from_record": "amity.ingest.readers",
    "read_article_file": "amity.ingest.readers",
    "read_articles": "amity.ingest.readers",
    "MAX_TEXT_CHARS": "amity.ingest.text",
    "article_failed": "amity.ingest.text",
    "article_from_text": "amity.ingest.text",
    "clean_text": "amity.ingest.text",
    "content_hash": "amity.ingest.text",
    "guess_language": "amity.ingest.text",
    "guess_title": "amity.ingest.text",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'amity.ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
