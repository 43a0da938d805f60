"""Plain text to Article: boilerplate stripping, title, language guess, content hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from amity.datelines import find_published, parse_date
from amity.types import Article, StageError

STAGE = "ingest"
MAX_TEXT_CHARS = 2_000_000
"""Longer article texts are cut to this many characters and a StageError is recorded."""

_BULLET = re.compile(r"^\s*[•·▪▫◦‣●○■□►▶»\-*+]\s*")
_WIDGET = re.compile(
    r"^[\W_]*(?:print|share|email|e-mail|tweet|comment|comments|subscribe|close|menu|search|"
    r"top|back to top|gotop|more|next|previous|prev|login|log in|sign in|sign up|register|"
    r"font size|text size|fonts?\s*:.*|a\+\s*a\s*a-.*|[+-]?\s*a\s*[+-]|"
    r"(?:share (?:on|via) )?(?:facebook|twitter|weibo|wechat|linkedin|whatsapp|fackbook))"
    r"(?:[\s|/]+(?:print|share|email|facebook|twitter|fackbook|weibo|wechat|linkedin|a\+|a-|a))*[\W_]*$",
    re.I,
)
_CSS_TOKENS = re.compile(r"^(?:[a-z]+-[a-z-]+\s*)+$")
_IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|svg|tiff?)$", re.I)
_BREADCRUMB = re.compile(r"^(?:home|homepage|首页|main page)\s*(?:>|›|»|/|\|)", re.I)
_RELATED = re.compile(
    r"^[\W_]*(?:related (?:stories|articles|news|posts|content|links|reading|coverage)|"
    r"read more|more stories|more news|you may also like|recommended(?: stories)?|"
    r"also read|further reading|相关新闻|相关阅读)[\W_]*$",
    re.I,
)
_COPYRIGHT = re.compile(r"^[\W_]*(?:copyright\b|©|\(c\)\s*\d)|all rights reserved|版权所有", re.I)
_ICP = re.compile(r"ICP[备证]?\s*\d{6,}|[京沪粤浙苏鲁]ICP|公网安备", re.I)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？\"”’)]\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")

_EN_FUNCTION_WORDS = ("the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "was")


def content_hash(text: str) -> str:
    """A stable fingerprint of the text: NFC, whitespace collapsed, sha256, first 16 hex digits.

    Example:
        >>> content_hash("Twin  towns\\n") == content_hash("Twin towns")
        True
    """
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def clean_text(text: str) -> str:
    """Remove the navigation and footer lines of a web page rendered as plain text.

    Conservative: drops short bullet menu items, runs of lines of at most three words, share
    and font-size widgets, breadcrumbs, image file names, copyright/licence footers, and a
    "Related Stories" section with everything after it. Paragraphs are kept as written
    (only trailing spaces and runs of blank lines are tidied).

    Example:
        >>> clean_text("• HOME\\n• NEWS\\nTwo towns signed a twinning pact on Monday.")
        'Two towns signed a twinning pact on Monday.'
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kinds = [_classify(line) for line in lines]  # "blank", "drop", "short", "keep"
    seen_content = False
    cut = len(lines)
    for i, line in enumerate(lines):
        if kinds[i] == "keep" and _is_paragraph(line):
            seen_content = True
        elif seen_content and (_RELATED.match(line.strip()) or _footer_starts(lines, kinds, i)):
            cut = i
            break
    lines, kinds = lines[:cut], kinds[:cut]
    solid = [i for i, k in enumerate(kinds) if k != "blank"]
    for n, i in enumerate(solid):
        if kinds[i] != "short":
            continue
        neighbours = [solid[n - 1]] if n > 0 else []
        neighbours += [solid[n + 1]] if n + 1 < len(solid) else []
        if any(kinds[j] in ("short", "drop") for j in neighbours):
            kinds[i] = "drop_run"
    for n, i in enumerate(solid):  # a menu item of four or five words between menu items
        if 0 < n < len(solid) - 1 and kinds[i] == "keep" and _menu_like(lines[i]):
            if kinds[solid[n - 1]].startswith("drop") and kinds[solid[n + 1]].startswith("drop"):
                kinds[i] = "drop_run"
    kept: list[str] = []
    for line, kind in zip(lines, kinds, strict=True):
        if kind in ("keep", "short"):
            kept.append(line)
        elif kind == "blank" and kept and kept[-1] != "":
            kept.append("")
    return "\n".join(kept).strip()


def guess_title(text: str) -> str | None:
    """The first substantial line (three words or more, not a dateline), if it is short
    enough to be a headline; otherwise None.

    Example:
        >>> guess_title("Updated: 2024-05-28\\nTwo towns become twins\\nThe mayors met.")
        'Two towns become twins'
    """
    for line in text.split("\n"):
        stripped = line.strip()
        if _classify(stripped) not in ("keep", "short") or len(_WORD.findall(stripped)) < 3:
            if _is_cjk_heading(stripped):
                return stripped
            continue
        if find_published(stripped) and len(_WORD.findall(stripped)) <= 8:
            continue
        if len(stripped) > 200 or len(_WORD.findall(stripped)) > 30:
            return None
        return _SPACES.sub(" ", stripped)
    return None


def guess_language(text: str) -> str | None:
    """A cheap language guess: "en" when most common English function words occur,
    "zh", "ja" or "ko" when CJK characters dominate, else None.

    Example:
        >>> guess_language("The mayor of the town said that the pact was signed in May, and "
        ...                "that it is a gift to all of us, with a visit on the way.")
        'en'
    """
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None
    hangul = sum(1 for c in letters if "\uac00" <= c <= "\ud7af")
    kana = sum(1 for c in letters if "\u3040" <= c <= "\u30ff")
    han = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff")
    if (hangul + kana + han) / len(letters) > 0.3:
        if hangul > han:
            return "ko"
        return "ja" if kana > 0.1 * (kana + han) else "zh"
    words = {w.lower() for w in _WORD.findall(sample)}
    if sum(1 for w in _EN_FUNCTION_WORDS if w in words) >= len(_EN_FUNCTION_WORDS) * 0.6:
        return "en"
    return None


def article_from_text(
    text: str,
    *,
    id: str,
    source: str,
    title: str | None = None,
    published: dt.date | str | None = None,
    url: str | None = None,
) -> Article:
    """An Article from plain text, cleaned of web-page boilerplate (see `clean_text`).

    The title, when not given, is the first substantial line; `published`, when not
    given, comes from a dateline in the text (`find_published`), and a string is parsed.
    Text longer than MAX_TEXT_CHARS is truncated at a line or word break and a StageError
    says so; empty text gives an Article with an error.

    Example:
        >>> a = article_from_text("Twin towns meet\\nDate: 2024-05-08\\nThe mayors met.",
        ...                       id="t1", source="t1.txt")
        >>> a.title, a.published.isoformat()
        ('Twin towns meet', '2024-05-08')
    """
    errors: list[StageError] = []
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    if len(text) > MAX_TEXT_CHARS:
        errors.append(StageError(STAGE, source, _truncation_message(len(text))))
        text = _truncate(text, MAX_TEXT_CHARS)
    cleaned = clean_text(text)
    date = coerce_published(published, source, errors)
    if published is None or date is None:
        date = find_published(cleaned) or find_published(text)
    if title is None:
        title = guess_title(cleaned)
    if not cleaned.strip():
        errors.append(StageError(STAGE, source, "no article text (empty input)"))
    return Article(
        id=id,
        text=cleaned,
        title=title.strip() if title else None,
        published=date,
        url=url or None,
        source=source,
        content_hash=content_hash(cleaned) if cleaned else "",
        language=guess_language(cleaned),
        errors=errors,
    )


def error_article(id: str, source: str, message: str) -> Article:
    """An empty Article that only carries an ingest error (the batch goes on)."""
    return Article(id=id, text="", source=source, errors=[StageError(STAGE, source, message)])


def coerce_published(value: dt.date | str | None, source: str, errors: list[StageError]):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        errors.append(StageError(STAGE, source, f"unreadable published date {str(value)[:40]!r}"))
    return parsed


def _truncation_message(length: int) -> str:
    return f"text of {length:,} characters truncated to the first {MAX_TEXT_CHARS:,}"


def _truncate(text: str, limit: int) -> str:
    head = text[:limit]
    for sep in ("\n", " "):
        at = head.rfind(sep)
        if at > limit * 0.9:
            return head[:at]
    return head


def _classify(line: str) -> str:
    stripped = _SPACES.sub(" ", line.strip())
    if not stripped:
        return "blank"
    words = _WORD.findall(stripped)
    if _BULLET.match(line):
        body = _BULLET.sub("", line)
        if len(_WORD.findall(body)) <= 6 and not _SENTENCE_END.search(body):
            return "drop"
    if (
        _WIDGET.match(stripped)
        or _IMAGE_FILE.match(stripped)
        or _BREADCRUMB.match(stripped)
        or _ICP.search(stripped)
        or _CSS_TOKENS.match(stripped)
        or (_COPYRIGHT.search(stripped) and len(words) <= 25)
        or not words
    ):
        return "drop"
    if len(words) <= 3 and len(stripped) <= 40:
        return "short"
    return "keep"


def _menu_like(line: str) -> bool:
    return (
        len(_WORD.findall(line)) <= 5 and len(line.strip()) <= 50 and not _SENTENCE_END.search(line)
    )


def _is_paragraph(line: str) -> bool:
    return len(_WORD.findall(line)) >= 8 or (len(line.strip()) >= 40 and not line.isascii())


def _footer_starts(lines: list[str], kinds: list[str], i: int) -> bool:
    """A copyright line after which nothing looks like a paragraph."""
    if not _COPYRIGHT.search(lines[i]):
        return False
    return not any(
        kinds[j] == "keep" and len(_WORD.findall(lines[j])) > 15 for j in range(i + 1, len(lines))
    )


def _is_cjk_heading(line: str) -> bool:
    han = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
    return 6 <= han and len(line) <= 60 and not _SENTENCE_END.search(line)
