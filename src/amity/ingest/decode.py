"""Bytes to text: BOMs, UTF-8, then charset-normalizer; binary input is refused."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

from amity.errors import BadInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF"),
    (b"SQLite format 3", "SQLite"),
)
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 256 * 1024
_MAX_CONTROL_RATIO = 0.01
# bytes below 0x20 that no text encoding without NULs uses (ESC is ISO-2022's shift)
_CONTROL_BYTES = bytes(b for b in range(1, 0x20) if b not in b"\t\n\v\f\r\x1b")
_FEW_NULS = 8  # stray NULs in a short text are dropped, not taken for binary data
# Control characters (category Cc) other than NUL and the whitespace ones, which text holds.
_CONTROL_CHARS = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
_ASCII_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F])  # its ASCII part
_ASCII_BYTES = bytes(range(0x80))


def decode_bytes(data: bytes, source: str) -> str:
    """Decode the bytes of one input to text, or raise BadInput naming `source`.

    Order: a byte-order mark (UTF-8/16/32), then strict UTF-8, then a `<meta charset>` an
    HTML page declares, then cp1252 when the non-ASCII bytes stand alone (accented Latin
    letters), then charset-normalizer. For single-byte Latin guesses cp1252 is
    preferred (charset-normalizer often says cp1250 for short Western text); a multi-byte or
    non-Latin guess (GB18030, Shift-JIS, cp1251, …) is kept. Known binary signatures (PDF,
    PNG, ZIP, …), more than a few NUL bytes (without a UTF-16/32 BOM) and text full of
    control or undecodable characters (`check_text`) are refused as binary; a few stray
    NULs are dropped, as they are from JSONL and API text.

    Example:
        >>> decode_bytes("café".encode("cp1252"), "menu.txt")
        'café'
    """
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return check_text(data.decode(encoding), source)
            except UnicodeDecodeError as exc:
                raise BadInput(source, f"invalid {encoding} text: {exc.reason}") from None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise BadInput(source, f"binary file ({kind}), not text")
    if b"\x00" in data[:_SNIFF_BYTES]:
        text = _utf16_without_bom(data)
        if text is not None:
            return check_text(text, source)
        sample = data[:_SNIFF_BYTES]
        if _too_many_nuls(sample.count(0), len(sample)):
            raise BadInput(source, "binary file (contains NUL bytes), not text")
        data = data.replace(b"\x00", b"")  # a few stray NULs in text: dropped, as the API does
    sample = data[:_SNIFF_BYTES]
    if len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > len(sample) * _MAX_CONTROL_RATIO:
        raise BadInput(source, "binary file (control characters), not text")
    try:
        return check_text(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    declared = _HTML_CHARSET.search(data[:4096])
    if declared:
        try:
            return check_text(data.decode(declared.group(1).decode("ascii")), source)
        except (LookupError, UnicodeDecodeError):
            pass
    if _isolated_high_bytes(data[:_SNIFF_BYTES]):
        try:
            return check_text(data.decode("cp1252"), source)
        except UnicodeDecodeError:
            return check_text(data.decode("latin-1"), source)
    import charset_normalizer  # only for bytes that are neither UTF-8 nor plain Latin

    best = charset_normalizer.from_bytes(data[: 4 * 1024 * 1024]).best()
    if best is None:
        raise BadInput(source, "undecodable bytes: no text encoding fits")
    encoding = best.encoding
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise BadInput(source, f"undecodable bytes (guessed {encoding})") from None
    if _is_single_byte(encoding) and _mostly_latin(text):
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return check_text(text, source)


def _too_many_nuls(count: int, length: int) -> bool:
    return count > max(_FEW_NULS, length * _MAX_CONTROL_RATIO)


def _isolated_high_bytes(sample: bytes) -> bool:
    """True for Latin text with a few accented letters: its non-ASCII bytes stand alone,
    while multi-byte (GB18030, Big5, Shift-JIS) and Cyrillic/Greek/Arabic text put them in runs.
    charset-normalizer misreads short Western text ("Straße" in cp1252) as Chinese."""
    high = [i for i, byte in enumerate(sample) if byte >= 0x80]
    if not high:
        return False
    marks = set(high)
    paired = sum(1 for i in high if i - 1 in marks or i + 1 in marks)
    return paired / len(high) < 0.2


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if odd / half > 0.3 and even / half < 0.05:
        encoding = "utf-16-le"
    elif even / half > 0.3 and odd / half < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_single_byte(encoding: str) -> bool:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return False
    probe = bytes(range(0x80, 0x100))
    try:
        return len(probe.decode(info.name, errors="replace")) == len(probe)
    except Exception:
        return False


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and ord(c) > 0x7F]
    if not letters:
        return True
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters) > 0.8


def check_text(text: str, source: str) -> str:
    """`text` without NUL characters, or BadInput when it looks like binary data decoded as
    text: more NULs than a few stray ones (over 8 and over 1%), over 1% other control
    characters (tab and line breaks are text), or over 1% characters that no text holds
    (unassigned code points, surrogates, U+FFFD).

    Files (`decode_bytes`), JSONL strings and the API's article text all pass here, so a
    few stray NULs are dropped and binary data is refused the same way everywhere.

    Example:
        >>> check_text("Lyon\x00 and Birmingham", "a.txt")
        'Lyon and Birmingham'
    """
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return text
    if _too_many_nuls(sample.count("\x00"), len(sample)):
        raise BadInput(source, "binary file (contains NUL bytes), not text")
    # C-speed byte counts and one category look-up per distinct non-ASCII character, not a
    # Python loop over every character: this runs for every article, relevant or not.
    data = sample.encode("utf-8", "surrogatepass")
    controls = len(data) - len(data.translate(None, _ASCII_CONTROL_BYTES))
    junk = 0
    if not sample.isascii():  # removing the ASCII bytes leaves whole UTF-8 sequences
        others = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        for char, count in Counter(others).items():
            if char <= "\x9f":  # C1 controls, the rest of _CONTROL_CHARS
                controls += count
            elif char == "\ufffd" or unicodedata.category(char) in ("Cn", "Cs"):
                junk += count
    if controls / len(sample) > _MAX_CONTROL_RATIO:
        raise BadInput(source, "binary file (control characters), not text")
    if junk / len(sample) > _MAX_CONTROL_RATIO:
        raise BadInput(source, "binary file (undecodable characters), not text")
    return text.replace("\x00", "")
