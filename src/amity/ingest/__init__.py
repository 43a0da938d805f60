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

from amity.datelines import find_published
from amity.ingest.decode import decode_bytes
from amity.ingest.html import article_from_html, looks_like_html
from amity.ingest.readers import (
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    read_article_file,
    read_articles,
)
from amity.ingest.text import (
    MAX_TEXT_CHARS,
    article_from_text,
    clean_text,
    content_hash,
    guess_language,
    guess_title,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "MAX_TEXT_CHARS",
    "article_from_html",
    "article_from_text",
    "clean_text",
    "content_hash",
    "decode_bytes",
    "find_published",
    "guess_language",
    "guess_title",
    "looks_like_html",
    "read_article_file",
    "read_articles",
]
