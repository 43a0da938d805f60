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
_COPYRIGHT_HINTS = ("copyright", "(c)", "all rights reserved")  # for _could_hold
_COPYRIGHT_OTHER_HINTS = ("©", "版权所有")
_ICP_OTHER_HINTS = ("公网安备",)  # the other ICP forms hold "icp"
_CASE_FOLDS = (("ı", "i"), ("İ", "i"), ("ſ", "s"), ("\u212a", "k"))
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？\"”’)]\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_EIGHT_WORDS = re.compile(r"\w+(?:\W+\w+){7}")  # found in a line iff it has 8 _WORDs or more
# Separators that page tables and lists glue to words ("Chungju JC↔Taichung JC",
# "Kuopio│Finland"): arrows, bars, box-drawing lines and bullets. spaCy keeps many of them
# inside one token, so the place finder would never see "Taichung".
_SEPARATOR = re.compile(
    r"<-->|<->|<=>|-->|<--|->|<-|=>|"
    r"[\u2190-\u21ff\u27f0-\u27ff\u2900-\u297f\u2b00-\u2b2f\u2500-\u257f|\uff5c\u00a6•▪●◦‣]"
)
_SEPARATOR_HINTS = ("<", "->", "=>", "|")  # what an ASCII line needs for _SEPARATOR to match
# A line made only of table rules and box-drawing characters: a separator, not a menu item.
_RULE = re.compile(r"^[\s\u2500-\u259f|+=_~\-:.]*$")
_TABLE_CELL = re.compile(r"[\u2502\u2503\u2506\u2507\u250a\u250b\u2551]")
# A list entry: "Jiangyin, China (2008)", "Enfield in England,", "Vác (1991)".
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b"
_ENTRY_COMMA = re.compile(rf"[^\W\d_][\w.'’)-]*,\s*(?!{_MONTH})[^\W\d_]|[,;]\s*$", re.I)
_ENTRY_YEAR = re.compile(r"\(\s*(?:1[5-9]|20)\d\d\s*\)")
_WEEKDAY_OR_MONTH = re.compile(rf"^(?:{_WEEKDAY}|{_MONTH})", re.I)

_ASCII_LETTER = re.compile(r"[A-Za-z]")
_CJK_LETTER = re.compile(r"[\uac00-\ud7af\u3040-\u30ff\u4e00-\u9fff]")
_EN_FUNCTION_WORDS = ("the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "was")
_EN_FUNCTION_WORDS_NEEDED = len(_EN_FUNCTION_WORDS) * 0.6
# A function word as a whole _WORD in any ASCII letter case: what `w.lower() == word` finds,
# as only ASCII words lower-case to these (re.I would also match "ı" for "i").
_EN_FUNCTION_WORD = re.compile(
    r"(?<!\w)(?:"
    + "|".join("".join(f"[{c.upper()}{c}]" for c in word) for word in _EN_FUNCTION_WORDS)
    + r")(?!\w)"
)


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
    lines = [
        _space_separators(line.rstrip())
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    # "blank", "rule" (table rule), "drop" (menu-like), "soft" (a dropped descriptive list
    # item), "short", "entry" (a list or table entry: kept), "keep"
    kinds = [_classify(line) for line in lines]
    seen_content = False
    cut = len(lines)
    for i, line in enumerate(lines):
        if kinds[i] == "keep" and _is_paragraph(line):
            seen_content = True
        elif seen_content and (_RELATED.match(line.strip()) or _footer_starts(lines, kinds, i)):
            cut = i
            break
    lines, kinds = lines[:cut], kinds[:cut]
    solid = [i for i, k in enumerate(kinds) if k not in ("blank", "rule")]
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
        if kind in ("keep", "short", "entry"):
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
    if sample.isascii():  # no CJK possible: skip the per-character count (most English news)
        if not _ASCII_LETTER.search(sample):
            return None
        return _english_or_none(sample)
    if not _CJK_LETTER.search(sample):  # no CJK: the count below would give 0 (and None
        return _english_or_none(sample)  # for no letters, as _english_or_none does)
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
    return _english_or_none(sample)


def _english_or_none(sample: str) -> str | None:
    found: set[str] = set()
    for match in _EN_FUNCTION_WORD.finditer(sample):  # stops once enough are found
        found.add(match.group().lower())
        if len(found) >= _EN_FUNCTION_WORDS_NEEDED:
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
    says so; empty text gives an Article with an error, and so does a stated `published`
    after tomorrow (`future_date_error`). NUL characters are removed.

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
        date = find_published(cleaned)
        if date is None and not _same_lines(cleaned, text):  # the raw page had more lines
            date = find_published(text)
    if title is None:
        title = guess_title(cleaned)
    if not cleaned.strip():
        errors.append(StageError(STAGE, source, "no article text (empty input)"))
    if published is not None and (refusal := future_date_error(date, id)):
        article = error_article(id, source, refusal)
        article.title, article.url = (title.strip() if title else None), url or None
        return article
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


def _same_lines(cleaned: str, text: str) -> bool:
    """Cleaning only tidied blank lines and trailing spaces: a date search in the raw text
    would see the same lines, so it cannot find what the cleaned text did not give."""
    if len(cleaned) > len(text):
        return False
    return [line.rstrip() for line in cleaned.splitlines() if line.strip()] == [
        line.rstrip() for line in text.splitlines() if line.strip()
    ]


def future_date_error(published: dt.date | None, id: str) -> str | None:
    """Why a stated publication date is refused, or None: a date after tomorrow (one day of
    slack for time zones) would put the article's facts after every real one and pin the
    relation's status, so the article is refused rather than stored.

    Example:
        >>> future_date_error(dt.date(9999, 12, 31), "a1")[:45]
        "article 'a1': publication date 9999-12-31 is "
    """
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    if published is None or published <= tomorrow:
        return None
    return (
        f"article {id!r}: publication date {published.isoformat()} is in the future "
        f"(after {tomorrow.isoformat()}): refused"
    )


def article_failed(article: Article) -> bool:
    """Failed: unreadable, or a stage after ingest recorded an error (ingest warnings such as
    truncation do not fail an article that has text)."""
    if not article.errors:
        return False
    return not article.text or any(e.stage != "ingest" for e in article.errors)


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


def _could_hold(
    line: str, ascii_hints: tuple[str, ...], other_hints: tuple[str, ...] | None = None
) -> bool:
    """False when `line` holds none of `ascii_hints` (lower case, matched as re.I matches
    them) nor of `other_hints` (non-ASCII text, matched as is), so that a pattern that needs
    one of them cannot match it: these scans run on every line of every article, and `in` is
    many times faster than a regex without a literal prefix. With `other_hints` None a
    non-ASCII line is always scanned (a character class may match it)."""
    if line.isascii():
        lowered = line.lower()
    elif other_hints is None:
        return True
    elif any(hint in line for hint in other_hints):
        return True
    else:  # re.I also matches "ı" and "İ" for "i", "ſ" for "s" and the Kelvin sign for "k"
        for special, plain in _CASE_FOLDS:  # str.replace: str.translate is slow on non-ASCII
            if special in line:
                line = line.replace(special, plain)
        lowered = line.lower()
    return any(hint in lowered for hint in ascii_hints)


def _space_separators(line: str) -> str:
    """'JC↔Taichung' -> 'JC ↔ Taichung': a separator glued to a (non-CJK) word gets spaces."""
    if not _could_hold(line, _SEPARATOR_HINTS) or not _SEPARATOR.search(line):
        return line

    def spaced(match: re.Match[str]) -> str:
        start, end = match.span()
        before = " " if start > 0 and _glues(line[start - 1]) else ""
        after = " " if end < len(line) and _glues(line[end]) else ""
        return before + match.group() + after

    return _SEPARATOR.sub(spaced, line)


def _glues(char: str) -> bool:
    return char.isalnum() and not _is_cjk(char) or char in ".,;:)]}\"'’”"


def _is_cjk(char: str) -> bool:
    return (
        "\u3040" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uf900" <= char <= "\ufaff"
    )


def _is_entry(body: str) -> bool:
    """A list or table entry that names something ("Jiangyin, China (2008)", "Enfield in
    England,", "│ Kuopio │ Finland │") rather than a menu item ("About Us", "Contact")."""
    body = body.strip()
    if _TABLE_CELL.search(body) and len(_WORD.findall(body)) >= 2:
        return True
    if _WEEKDAY_OR_MONTH.match(body):  # "May 3, 2024", "Monday, June 2": datelines, not entries
        return False
    return bool(_ENTRY_COMMA.search(body) or _ENTRY_YEAR.search(body))


def _descriptive(body: str) -> bool:
    """'Hot springs resort city' describes the line before it; 'About Us' is a menu item."""
    words = _WORD.findall(body)
    return len(words) >= 3 and any(len(w) >= 4 and w.islower() for w in words[1:])


def _classify(line: str) -> str:
    stripped = _collapse_spaces(line.strip())
    if not stripped:
        return "blank"
    has_words = _WORD.search(stripped) is not None  # words are counted only where it matters
    if not has_words and _RULE.match(stripped):
        return "rule"
    if _BULLET.match(line):
        body = _BULLET.sub("", line)
        if len(_WORD.findall(body)) <= 6 and not _SENTENCE_END.search(body):
            if _is_entry(body):
                return "entry"
            return "soft" if _descriptive(body) else "drop"
    if (
        _WIDGET.match(stripped)
        or _IMAGE_FILE.match(stripped)
        or _BREADCRUMB.match(stripped)
        or (_could_hold(stripped, ("icp",), _ICP_OTHER_HINTS) and _ICP.search(stripped))
        or _CSS_TOKENS.match(stripped)
        or (_has_copyright(stripped) and len(_WORD.findall(stripped)) <= 25)
        or not has_words
    ):
        return "drop"
    if len(stripped) <= 40 and len(_WORD.findall(stripped)) <= 3:
        return "entry" if _is_entry(stripped) else "short"
    return "keep"


def _menu_like(line: str) -> bool:
    return (
        len(line.strip()) <= 50 and len(_WORD.findall(line)) <= 5 and not _SENTENCE_END.search(line)
    )


def _is_paragraph(line: str) -> bool:
    return bool(_EIGHT_WORDS.search(line)) or (len(line.strip()) >= 40 and not line.isascii())


def _collapse_spaces(line: str) -> str:
    """`_SPACES.sub(" ", line)`, without the regex pass when every space is one plain space."""
    if "  " not in line and "\t" not in line and "\u00a0" not in line and "\u3000" not in line:
        return line
    return _SPACES.sub(" ", line)


def _has_copyright(line: str) -> bool:
    return _could_hold(line, _COPYRIGHT_HINTS, _COPYRIGHT_OTHER_HINTS) and bool(
        _COPYRIGHT.search(line)
    )


def _footer_starts(lines: list[str], kinds: list[str], i: int) -> bool:
    """A copyright line after which nothing looks like a paragraph."""
    if not _has_copyright(lines[i]):
        return False
    return not any(
        kinds[j] == "keep" and len(_WORD.findall(lines[j])) > 15 for j in range(i + 1, len(lines))
    )


def _is_cjk_heading(line: str) -> bool:
    han = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
    return 6 <= han and len(line) <= 60 and not _SENTENCE_END.search(line)
