"""National aggregate claims: "China has established more than 2,800 pairs of sister cities
with more than 130 countries", "Japan has over 1,700 sister-city ties"."""

from __future__ import annotations

from collections.abc import Callable

import regex

from amity.types import Claim

_QUANT = r"(?P<{q}>more than|over|nearly|almost|about|around|some|at least|close to|upwards of)?\s*"
_NUMBER = r"(?P<{n}>\d{{1,3}}(?:,\d{{3}})+|\d+)"
_RELATION_WORDS = (
    r"(?:pairs?\s+of\s+)?(?:(?:sister|twin|friendship|friendly|partner)[\s-]"
    r"(?:cit(?:y|ies)|towns?|provinces?|states?|relationships?|relations|ties|agreements?|partnerships?)"
    r"(?:\s+and\s+(?:cities|provinces|towns))?(?:\s+(?:relationships?|relations|ties|agreements?))?|"
    r"pairs?\s+of\s+(?:sister|friendship|friendly|twin)\s+\w+(?:\s+and\s+\w+)?)"
)
CLAIM_RE = regex.compile(
    _QUANT.format(q="q1")
    + _NUMBER.format(n="pairs")
    + r"\s+"
    + _RELATION_WORDS
    + r"(?:[^.;]{0,60}?\bwith\s+"
    + _QUANT.format(q="q2")
    + _NUMBER.format(n="countries")
    + r"\s+(?:foreign\s+)?countries)?",
    regex.IGNORECASE,
)


def _number(text: str | None) -> int | None:
    return int(text.replace(",", "")) if text else None


def find_claims(sentence: str, country_codes_in: Callable[[str], list[str]], default_subject: str | None) -> list[Claim]:
    """Aggregate counts of relations in one sentence. The subject is the first country the
    sentence names before the count, else `default_subject` (the article's main country)."""
    claims = []
    subject = default_subject
    for m in CLAIM_RE.finditer(sentence):
        pairs = _number(m.group("pairs"))
        if pairs is None or pairs < 2 or 1900 <= pairs <= 2100 and "," not in m.group("pairs"):
            continue  # a single pair, or a year ("2019 sister cities" does not occur)
        before = country_codes_in(sentence[: m.start()])
        if before:
            subject = before[0]
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
    return claims
