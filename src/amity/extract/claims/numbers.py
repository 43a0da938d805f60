"""Numbers as news writes them: "27", "2,800", "two dozen", "thirty-one", "11th", "first"."""

from __future__ import annotations

import regex

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINAL_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
}
_UNIT_ORDINALS = {"first": 1, **{k: v for k, v in _ORDINAL_WORDS.items() if v < 10}}

_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN_WORD = "|".join(_TENS)
_WORD_NUMBER = (
    rf"(?:(?:{_TEN_WORD})(?:[-\s](?:{'|'.join(k for k, v in _UNITS.items() if v < 10)}))?|{_UNIT_WORD}|an?)"
    r"(?:\s+(?:dozen|hundred))?"
)
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?![\d.,]\d)|\b(?:{_WORD_NUMBER})\b)"
ORDINAL = (
    r"(?:\b\d+(?:st|nd|rd|th)\b|\b(?:(?:"
    + _TEN_WORD
    + r")[-\s](?:"
    + "|".join(_UNIT_ORDINALS)
    + r")|"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r")\b)"
)


def parse_number(text: str | None) -> int | None:
    """ "2,800" -> 2800, "twenty-seven" -> 27, "two dozen" -> 24, "a hundred" -> 100."""
    if not text:
        return None
    text = text.strip().casefold()
    if regex.fullmatch(r"[\d,]+", text):
        return int(text.replace(",", ""))
    words = regex.split(r"[-\s]+", text)
    total = 0
    for word in words:
        if word in ("a", "an"):
            total = total or 1
        elif word in _UNITS:
            total += _UNITS[word]
        elif word in _TENS:
            total += _TENS[word]
        elif word == "dozen":
            total = (total or 1) * 12
        elif word == "hundred":
            total = (total or 1) * 100
        else:
            return None
    return total or None


def parse_ordinal(text: str) -> int | None:
    """ "11th" -> 11, "fourteenth" -> 14, "twenty-fifth" -> 25."""
    text = text.strip().casefold()
    digits = regex.match(r"(\d+)(?:st|nd|rd|th)$", text)
    if digits:
        return int(digits.group(1))
    if text in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[text]
    if text in _UNIT_ORDINALS:
        return _UNIT_ORDINALS[text]
    parts = regex.split(r"[-\s]+", text)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNIT_ORDINALS:
        return _TENS[parts[0]] + _UNIT_ORDINALS[parts[1]]
    return None
