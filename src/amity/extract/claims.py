"""National aggregate claims: "China has established more than 2,800 pairs of sister cities
with more than 130 countries", "Japan has over 1,700 sister-city ties"."""

from __future__ import annotations

import functools
from collections.abc import Callable

import regex

from amity.resources import data_table
from amity.types import Claim

_QUANT = r"(?P<{q}>more than|over|nearly|almost|about|around|some|at least|close to|upwards of)?\s*"
_NUMBER = r"(?P<{n}>\d{{1,3}}(?:,\d{{3}})+|\d+)"
_RELATION_WORDS = (
    r"(?:pairs?\s+of\s+)?(?:(?:sister|twin|friendship|friendly|partner)[\s-]"
    r"(?:cit(?:y|ies)|towns?|provinces?|states?|relationships?|relations|ties|agreements?|partnerships?)"
    r"(?:\s+and\s+(?:cities|provinces|towns))?(?:\s+(?:relationships?|relations|ties|agreements?))?|"
    r"pairs?\s+of\s+(?:sister|friendship|friendly|twin)\s+\w+(?:\s+and\s+\w+)?|"
    r"partnerships|pairs)"
)
CLAIM_RE = regex.compile(
    _QUANT.format(q="q1")
    + _NUMBER.format(n="pairs")
    + r"\s+"
    + _RELATION_WORDS
    + r"(?:[^.;]{0,60}?\b(?:with|in)\s+"
    + _QUANT.format(q="q2")
    + _NUMBER.format(n="countries")
    + r"\s+(?:foreign\s+)?countries)?",
    regex.IGNORECASE,
)
# "the number of friendly province and city pairs ... has exceeded 100"
NUMBER_OF_RE = regex.compile(
    r"(?i)\bnumber of [^.;]{0,60}?\b(?:pairs|sister[- ]cit(?:y|ies)|twin towns|partnerships|friendship cities)\b[^.;]{0,80}?"
    r"\b(?P<verb>has exceeded|exceeded|has surpassed|surpassed|has topped|topped|has reached|reached|stands at|totals|is)\s+"
    r"(?P<q1>more than|over)?\s*(?P<pairs>\d{1,3}(?:,\d{3})+|\d+)"
)


@functools.cache
def _subject_bodies() -> tuple[tuple[regex.Pattern, str], ...]:
    """Organisations that speak for a country's twinning network (data/lexicons/claim_subjects.txt)."""
    return tuple((regex.compile(rf"(?i)\b{regex.escape(row[0])}\b"), row[1]) for row in data_table("lexicons/claim_subjects.txt"))


def _number(text: str | None) -> int | None:
    return int(text.replace(",", "")) if text else None


def _subject(sentence: str, before: str, country_codes_in: Callable[[str], list[str]]) -> str | None:
    countries = country_codes_in(before)
    if countries:
        return countries[0]
    for pattern, code in _subject_bodies():
        if pattern.search(sentence):
            return code
    return None


def find_claims(sentence: str, country_codes_in: Callable[[str], list[str]], default_subject: str | None = None) -> list[Claim]:
    """Aggregate counts of relations in one sentence ("China has established more than 2,800
    pairs of sister cities with more than 130 countries"). The subject is the first country
    named before the count, else a national body named in the sentence ("Sister Cities
    International" speaks for the US), else `default_subject`; a count with no national
    subject ("Coventry has more than 25 twin towns") is not a national claim and is skipped."""
    claims = []
    subject = default_subject
    for m in CLAIM_RE.finditer(sentence):
        pairs = _number(m.group("pairs"))
        if pairs is None or pairs < 2 or 1900 <= pairs <= 2100 and "," not in m.group("pairs"):
            continue  # a single pair, or a year ("2019 sister cities" does not occur)
        subject = _subject(sentence, sentence[: m.start()], country_codes_in) or subject
        if subject is None:
            continue
        claim = Claim(subject=subject, text=m.group(0).strip())
        if m.group("q1"):
            claim.pairs_min = pairs
        else:
            claim.pairs = pairs
        countries = _number(m.group("countries"))
        if countries is not None:
            if m.group("q2"):
                claim.countries_min = countries
            else:
                claim.countries = countries
        claims.append(claim)
    for m in NUMBER_OF_RE.finditer(sentence):
        subject = _subject(sentence, sentence[: m.start("pairs")], country_codes_in) or default_subject
        if subject is None:
            continue
        pairs = _number(m.group("pairs"))
        at_least = m.group("q1") or m.group("verb").endswith(("exceeded", "surpassed", "topped"))
        claims.append(Claim(subject=subject, text=m.group(0).strip(), pairs_min=pairs if at_least else None, pairs=None if at_least else pairs))
    return claims
