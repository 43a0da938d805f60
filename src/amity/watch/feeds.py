"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed with feedparser: entries and saved feed files.

feedparser is only ever given bytes (never a URL: amity does the fetching, see
`amity.watch.fetch`), and it sanitises the HTML of summaries and contents.

Example:
    >>> feed = b'<rss version="2.0"><channel><title>T</title><item><title>Lyon and Birmingham'
    >>> feed += b' renew their twinning</title><link>https://example.org/a</link></item></channel></rss>'
    >>> [entry.url for entry in parse_feed(feed).entries]
    ['https://example.org/a']
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from amity.types import Article

_BLOCK_END = re.compile(r"(?i)<\s*(?:br|/p|/div|/li|/h[1-6]|/blockquote)\b[^>]*>")


@dataclass
class FeedEntry:
    """One item of a feed: where the article is, and what the feed says about it."""

    id: str
    url: str | None
    title: str | None
    published: dt.date | None
    html: str  # the entry's content or summary (often a teaser only)


@dataclass
class ParsedFeed:
    entries: list[FeedEntry] = field(default_factory=list)
    error: str | None = None  # set when the document is not a readable feed
    warning: str | None = None  # set when it is malformed but entries could be read loosely


def parse_feed(data: bytes) -> ParsedFeed:
    """The entries of an RSS or Atom document; `error` when it is not one (malformed XML with
    no entry, an HTML error page, an empty body). A malformed feed from which feedparser's
    loose parser still reads entries gives them, with `warning` set."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        if parsed.get("bozo"):
            return ParsedFeed(error=f"malformed feed: {parsed.get('bozo_exception')}")
        if not parsed.get("version"):
            return ParsedFeed(error="not an RSS or Atom feed")
        return ParsedFeed()
    warning = None
    if (
        parsed.get("bozo")
        and type(parsed.get("bozo_exception")).__name__ != "CharacterEncodingOverride"
    ):
        warning = f"malformed feed, read loosely: {parsed.get('bozo_exception')}"
    entries = []
    for number, entry in enumerate(parsed.entries, 1):
        url = (entry.get("link") or "").strip() or None
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else entry.get("summary", "")
        entries.append(
            FeedEntry(
                id=str(entry.get("id") or url or number),
                url=url,
                title=(entry.get("title") or "").strip() or None,
                published=_entry_date(entry),
                html=html or "",
            )
        )
    return ParsedFeed(entries, warning=warning)


def articles_from_feed(data: bytes, stem: str, source: str) -> Iterator[Article]:
    """A saved feed file's articles: each entry's own content (or summary), title, link and
    date; nothing is fetched. Ids are the entries' ids (guid, Atom id), else their links."""
    from amity.ingest.text import article_from_text, error_article

    feed = parse_feed(data)
    if feed.error:
        yield error_article(stem, source, feed.error)
        return
    if not feed.entries:
        yield error_article(stem, source, "feed has no entries")
        return
    for number, entry in enumerate(feed.entries, 1):
        where = f"{source}:entry {number}"
        text = fragment_text(entry.html) or entry.title or ""
        article = article_from_text(
            text, id=entry.id, source=where, title=entry.title, url=entry.url
        )
        complete_from_entry(article, entry)
        yield article


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed summary), one line per paragraph or break."""
    if "<" not in html:
        return html.strip()
    import lxml.html
    from lxml.etree import ParserError

    marked = _BLOCK_END.sub(lambda match: match.group(0) + "\n", html)
    try:
        return lxml.html.fragment_fromstring(marked, create_parent="div").text_content().strip()
    except (ParserError, ValueError):
        return ""


def complete_from_entry(article: Article, entry: FeedEntry) -> Article:
    """Fill what the page did not say from the feed entry: title, URL, publication date."""
    article.title = article.title or entry.title
    article.url = article.url or entry.url
    if article.published is None:
        today = dt.date.today()
        if entry.published is not None and entry.published <= today + dt.timedelta(days=1):
            article.published = entry.published
    return article


def _entry_date(entry: dict) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None
