"""Place-name keys: normalisation, generic suffixes and romanisation squashing.

Every name goes into the gazetteer index, and every looked-up name comes out, through
`normalize`, so both sides compare equal regardless of case, accents and punctuation.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from importlib.resources import files

# Apostrophes sit inside words (Russian soft sign "Stavropol'", Wade-Giles "Ch'ongjin",
# "Xi'an"): dropping them keeps the word whole instead of splitting it.
_APOSTROPHES = re.compile(r"['’‘ʼʻ`´]")
_NON_WORD = re.compile(r"[^\w]+|_")
_SPACES = re.compile(r"\s+")

# Generic words that news adds to a place name and GeoNames leaves out. Order matters:
# longer phrases first. Hyphenated Korean/Japanese suffixes arrive as " si", " gun"...
# after normalisation, so they are listed in normalised form.
CITY_SUFFIXES = (
    " special city",
    " metropolitan city",
    " city",
    " town",
    " municipality",
    " shi",
    " si",
    " gun",
    " gu",
    " ku",
    " xian",
    " shiyu",
    " village",
    " machi",  # Japanese towns and villages: "Yugawara-machi", "Nagaizumi-cho", "Kariwa-mura"
    " cho",
    " mura",
    " eup",  # Korean towns and townships: "Buryeong-eup", "Sinwon-myeon"
    " myeon",
)
DISTRICT_SUFFIXES = (" new district", " district", " raion", " rayon", " county", " qu")
PROVINCE_SUFFIXES = (
    " special autonomous province",
    " autonomous region",
    " autonomous okrug",
    " autonomous oblast",
    " autonomous prefecture",
    " province",
    " oblast",
    " krai",
    " kray",
    " prefecture",
    " ken",  # Japanese prefectures: "Kanagawa-ken", "Osaka-fu"
    " fu",
    " region",
    " state",
    " do",
    " sheng",
    " voivodeship",
    " governorate",
    " department",
    " territory",
    " zizhiqu",
    " republic",
)
GENERIC_SUFFIXES = CITY_SUFFIXES + DISTRICT_SUFFIXES + PROVINCE_SUFFIXES
GENERIC_PREFIXES = (
    "the city of ",
    "city of ",
    "the town of ",
    "town of ",
    "the state of ",
    "state of ",
    "the province of ",
    "province of ",
    "the republic of ",
    "republic of ",
    # local authorities named before the place: "Canton of Guichen", "County Kildare"
    "the canton of ",
    "canton of ",
    "the county of ",
    "county of ",
    "the municipality of ",
    "municipality of ",
    "the borough of ",
    "borough of ",
    "the district of ",
    "district of ",
    "the commune of ",
    "commune of ",
    "the prefecture of ",
    "prefecture of ",
    "county ",
    "the ",
)
# Word swaps tried one at a time ("St. Petersburg" -> "saint petersburg").
WORD_SWAPS = {
    "st": "saint",
    "saint": "st",
    "ste": "sainte",
    "sainte": "ste",
    "mt": "mount",
    "mount": "mt",
    "ft": "fort",
    "fort": "ft",
    "san": "santo",
    "nizhniy": "nizhny",
}


# Accents are stripped only from alphabetic scripts (Latin, Greek, Cyrillic: below U+0530,
# and Latin/Greek Extended Additional, U+1E00-U+1FFF: Vietnamese "Mỹ", "Hải Dương"):
# decomposing Hangul syllables into jamo or kana into a base and a voicing mark would
# change the letters themselves, so those (and CJK) stay composed (NFKC).
_FOLD_BELOW = 0x530


def _folds(ch: str) -> bool:
    code = ord(ch)
    return code < _FOLD_BELOW or 0x1E00 <= code < 0x2000
# CJK and Korean administrative suffixes, written without a space: 长春市, 蔚山広域市,
# 울산광역시, 고양시, 渋谷区. Longest first.
CJK_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治区",
    "広域市",
    "광역시",
    "특별시",
    "特別市",
    "特别市",
    "市",
    "县",
    "縣",
    "県",
    "区",
    "區",
    "省",
    "州",
    "町",
    "村",
    "府",
    "都",
    "镇",
    "鎮",
    "시",
    "군",
    "구",
    "도",
    "읍",
    "면",
)


# Any character that _folds() refuses: one regex search instead of a call per character.
_UNFOLDED = re.compile(r"[^\u0000-\u052f\u1e00-\u1fff]")


def _fold(text: str) -> str:
    if text.isascii():
        return text
    if not _UNFOLDED.search(text):  # the common case (all(map(_folds, text))): one decomposition
        text = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        if _folds(ch):
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        elif not unicodedata.combining(ch) or ord(ch) >= 0x2E80:
            out.append(ch)
    return "".join(out)


# What normalize() does to ASCII: apostrophes go, every other non-alphanumeric is a space.
_ASCII_KEY = str.maketrans({c: None if c in "'`" else " " for c in map(chr, range(128)) if not c.isalnum()})


def normalize(text: str) -> str:
    """Casefold, strip accents, drop apostrophes, punctuation and hyphens to spaces."""
    if not text:
        return ""
    text = str(text)
    if text.isascii():  # most names: the same key by one translation (~3x faster)
        return " ".join(text.lower().translate(_ASCII_KEY).split())
    text = _fold(text)
    text = text.replace("ß", "ss").replace("ı", "i").replace("ø", "o").replace("đ", "d")
    text = text.replace("ł", "l").replace("æ", "ae").replace("œ", "oe").replace("þ", "th")
    text = _APOSTROPHES.sub("", text.casefold())
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def is_latin(text: str) -> bool:
    """True when every letter is Latin script (after accents are stripped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in decomposed if ch.isalpha())


def strip_suffix(key: str, suffixes: tuple[str, ...]) -> str | None:
    """The key without its generic suffix, or None when it has none."""
    if not (key[:-1] if key.endswith("\n") else key).endswith(suffixes):  # ($ allows a last newline)
        return None  # most keys: no regex search
    match = _suffix_pattern(suffixes).search(key)
    return key[: match.start()] if match else None


@functools.cache
def _suffix_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of `suffixes` after at least two characters. The leftmost match is
    the longest suffix, which is the one the tuples list first ("metropolitan city" before
    "city"); a million keys are stripped when the index is built."""
    return re.compile(rf"(?<=..)(?:{'|'.join(map(re.escape, suffixes))})$", re.DOTALL)


def strip_generic(key: str) -> str:
    """Remove generic prefixes and (repeatedly) suffixes: "hubei province" -> "hubei",
    "长春市" -> "长春"."""
    if key and ord(key[-1]) >= 0x2E80:
        for suffix in CJK_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                return key[: -len(suffix)].strip()
        return key
    if key.startswith(GENERIC_PREFIXES):  # rare: one test for all of them first
        for prefix in GENERIC_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                key = key[len(prefix) :]
                break
    while (shorter := strip_suffix(key, GENERIC_SUFFIXES)) is not None:
        key = shorter
    return key


def variants(key: str) -> list[str]:
    """Other keys to try for a normalised name, most faithful first; excludes `key`."""
    found: list[str] = []
    stripped = strip_generic(key)
    found.append(stripped)
    for base in (key, stripped):
        words = base.split(" ")
        for i, word in enumerate(words):
            if word in WORD_SWAPS:
                found.append(" ".join(words[:i] + [WORD_SWAPS[word]] + words[i + 1 :]))
    return [v for v in dict.fromkeys(found) if v and v != key]


@functools.cache
def _squash_rules() -> dict[str, list[tuple[re.Pattern[str], str]]]:
    """country -> ordered (pattern, replacement) rules from data/gazetteer/romanisation.csv."""
    path = files("amity.data").joinpath("gazetteer/romanisation.csv")
    rules: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            pattern = re.compile(row["pattern"])
            for country in row["countries"].split("|"):
                rules.setdefault(country, []).append((pattern, row["replacement"]))
    return rules


def squash_groups() -> list[tuple[str, ...]]:
    """Countries sharing one rule list, e.g. ("KR", "KP"): one squash key per group."""
    rules = _squash_rules()
    by_content: dict[tuple, list[str]] = {}
    for country, group_rules in rules.items():
        signature = tuple((p.pattern, r) for p, r in group_rules)
        by_content.setdefault(signature, []).append(country)
    return [tuple(countries) for countries in by_content.values()]


def squash(key: str, country: str | None) -> str:
    """A spelling-insensitive key: romanisation rules for the country, then no spaces.

    Without rules (or country) only spaces go, which still joins "Pogranic Nei" style
    splits and "Gyeonggi do" / "Gyeonggido".
    """
    key = strip_generic(key)
    for pattern, replacement in _squash_rules().get(country or "", ()):
        key = pattern.sub(replacement, key)
    return key.replace(" ", "")
