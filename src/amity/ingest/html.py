"""HTML to Article: trafilatura for the body, htmldate (guarded) for the date."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from amity.datelines import find_published
from amity.ingest.decode import decode_bytes
from amity.ingest.text import article_from_text, clean_text
from amity.types import Article

# lxml, trafilatura and htmldate (with py3langid and numpy) take most of a second to import:
# they are imported where an HTML page is read, so a JSONL run of plain text never pays it.

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|h[1-6]|li|ul|table|meta|title|script|article)\b[^>]*>", re.I
)
_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "noscript",
    "form",
    "template",
    "iframe",
    "svg",
)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre", "dd", "dt", "td", "th", "table", "ul", "ol"}  # fmt: skip


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document or is dense with common tags.

    Example:
        >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
        True
    """
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


def article_from_html(
    html: str | bytes, *, id: str, source: str, url: str | None = None
) -> Article:
    """An Article from an HTML page.

    Body text: `trafilatura.extract` (no comments, favouring precision), else a plain lxml
    extraction without script/style/nav/header/footer, cleaned like plain text. A page nested
    deeper than libxml2's limit (256 levels), whose tree would lose everything below it, is
    read by the standard library's streaming `html.parser` instead. Title:
    trafilatura's metadata, else og:title or <title>. Published: htmldate without its
    extensive text search (meta tags, structured data, URL), else a dateline in the text,
    else htmldate's extensive search if its answer is not a copyright-footer year or a
    bare 1 January; dates after today are never taken.

    Example:
        >>> page = "<html><head><title>Two towns twin</title></head><body><p>Two towns twin.</p></body></html>"
        >>> article_from_html(page, id="p1", source="p1.html").title
        'Two towns twin'
    """
    if isinstance(html, bytes):
        html = decode_bytes(html, source)
    if not html.strip():
        return article_from_text("", id=id, source=source, url=url)
    if _too_deep(html):  # lxml (and so trafilatura) would silently drop the deep part
        text: str | None = clean_text(_streamed_text(html))
    else:
        text = _extract_body(html, url)
    title, meta_url = _extract_title(html, url)
    if text is None:
        text = clean_text(_fallback_text(html))
    published = _find_html_date(html, text, url)
    article = article_from_text(
        text, id=id, source=source, title=title, published=published, url=url or meta_url
    )
    return article


def _extract_body(html: str, url: str | None) -> str | None:
    import trafilatura

    try:
        text = trafilatura.extract(
            html, url=url, include_comments=False, favor_precision=True, include_tables=True
        )
    except Exception:  # trafilatura fails on some malformed markup; fall back to lxml
        return None
    return text if text and text.strip() else None


def _extract_title(html: str, url: str | None) -> tuple[str | None, str | None]:
    import trafilatura

    title = meta_url = None
    try:
        meta = trafilatura.extract_metadata(html, default_url=url)
    except Exception:
        meta = None
    if meta is not None:
        title, meta_url = meta.title, meta.url
    if not title:
        title = _lxml_title(html)
    return (title.strip() if title and title.strip() else None), meta_url


def _lxml_title(html: str) -> str | None:
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return None
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = [v.strip() for v in root.xpath(xpath) if isinstance(v, str) and v.strip()]
        if found:
            return found[0]
    return None


def _fallback_text(html: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return re.sub(r"<[^>]+>", " ", html)
    for element in list(root.iter(*_DROP_TAGS)):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _too_deep(html: str) -> bool:
    """True when libxml2 stops building the tree at its depth limit (it does so silently,
    leaving an error in the parser's log)."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        lxml.html.fromstring(html, parser=parser)
    except Exception:
        return False
    return any("Excessive depth" in error.message for error in parser.error_log)


class _TextCollector(HTMLParser):
    """Text of a page in one pass, at any nesting depth: no tree is built."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0  # inside script, style, nav, ...

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _DROP_TAGS or tag == "title":
            self.dropping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS or tag == "title":
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data)


def _streamed_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = [" ".join(line.split()) for line in "".join(collector.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _find_html_date(html: str, text: str, url: str | None) -> dt.date | None:
    from htmldate import find_date

    today = dt.date.today()
    try:
        meta = _to_date(find_date(html, url=url, original_date=True, extensive_search=False))
    except Exception:
        meta = None
    if meta and meta <= today and not _copyright_only(meta, html):
        return meta
    in_text = find_published(text, today=today)
    if in_text:
        return in_text
    try:
        guess = _to_date(find_date(html, url=url, original_date=True, extensive_search=True))
    except Exception:
        return None
    if guess and guess <= today and not _copyright_only(guess, html):
        return guess
    return None


def _to_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _copyright_only(value: dt.date, html: str) -> bool:
    """True when htmldate's answer is just a year, as a footer "© 2023" gives (→ 2023-01-01)."""
    if (value.month, value.day) != (1, 1):
        return False
    full_forms = (value.isoformat(), value.strftime("%Y/%m/%d"), f"January 1, {value.year}", f"1 January {value.year}", f"Jan. 1, {value.year}", f"Jan 1, {value.year}")  # fmt: skip
    if any(form in html for form in full_forms):
        return False
    return True
