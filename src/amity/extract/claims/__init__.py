"""Counts of twinning relations an article states (extraction-output contract, `claims`).

Three scopes:

- national: a country's total ("Japan now has 1,790 friendship city ties" -> subject JP,
  pairs 1790; "More than 450 twin town links exist in Canada" -> CA, pairs_min 450; "Seventy
  Dutch towns are twinned with more than 200 towns" -> NL, pairs_min 200);
- bilateral: between a country and another country or a region ("48 pairs of cities ...
  between Japan and Korea" -> JP, partner KR; "92 sister-city ties with partners in 12 African
  countries" -> CN, partner Africa, countries 12);
- local: a city's or province's own count ("Ningbo has set up sister-city ties with 31 cities
  in 19 countries" -> Ningbo, pairs 31; "Mexicali is its 11th Sister City";
  "Lyon has 14 sister cities; Lille has 9").

A count is read from a number (digits or words: "27", "two dozen", "more than 2,800") or an
ordinal ("its 11th sister city") next to relation words. Its subject is found by grammar: a
possessive ("Guangzhou's 100th friendship city"), "of X" after an ordinal, the nearest place or
country before the count in its clause ("28 provinces ... in China have established 166 ..."),
a pronoun ("it has", "his city has", "its 11th") resolved to the first place of the sentence or
of the sentences before, a country after the count ("... exist in Australia"), a national body
(data/lexicons/claim_subjects.txt), else the subject of the count before it in the sentence.
Counts of things that are not standing relations are skipped: "eight new partnerships", "the
two sister cities", "the 3rd sister city meeting", a single relation ("its first sister city").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import regex

from amity.extract.claims.numbers import parse_number, parse_ordinal
from amity.extract.claims.reader import ClaimReader
from amity.extract.reading import find_anchor
from amity.types import Claim

if TYPE_CHECKING:
    from amity.extract.reading import Reading
    from amity.gazetteer.index import Gazetteer

__all__ = ["ClaimReader", "dedupe", "find_claims", "parse_number", "parse_ordinal", "read_claims"]


def find_claims(
    sentence: str,
    country_codes_in: Callable[[str], list[str]],
    default_subject: str | None = None,
    is_place: Callable[[str], bool] | None = None,
) -> list[Claim]:
    """Counts of relations in one sentence read on its own, e.g. "Japan has set up more than
    1,700 pairs of sister cities with over 60 countries" -> national JP, pairs_min 1700,
    countries_min 60; "Coventry now has more than 25 twin towns" -> local
    Coventry, pairs_min 25. A count with no subject falls back to `default_subject`."""
    return ClaimReader(country_codes_in, is_place).read(sentence, default_subject=default_subject)


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per (scope, subject, partner, number): a headline often repeats the lead."""
    seen: set[tuple] = set()
    kept = []
    for claim in claims:
        sides = sorted(((claim.subject or "").casefold(), (claim.partner or "").casefold()))
        if claim.scope != "bilateral":
            sides = [(claim.subject or "").casefold(), ""]
        key = (claim.scope, *sides, claim.pairs if claim.pairs is not None else claim.pairs_min)
        if key in seen:
            continue
        seen.add(key)
        kept.append(claim)
    return kept


def read_claims(reading: Reading, gazetteer: Gazetteer) -> list[Claim]:
    """The claims of an article's reading, sentence by sentence (so that "it has ..." and
    "Lille has 9" find what they refer to), with the places the reading found in each. A line
    of hard-wrapped text that stops mid-sentence ("... twinned as partners between" / "Japan and
    Korea.") is read together with the next line."""
    anchor = find_anchor(reading)
    reader = ClaimReader(
        gazetteer.country_codes_in, gazetteer.is_place_name, anchor.name if anchor else None
    )
    claims: list[Claim] = []
    text, places, last = "", [], None
    for sentence in reading.sentences:
        if last is not None and not (
            sentence.paragraph == last.paragraph + 1
            and (
                regex.search(
                    r"(?i)\b(?:between|and|or|of|with|the|in|to|an?|for|from|by|on|at|as|has|have|its|their)$",
                    text,
                )
                or regex.match(r"[a-z]", sentence.text)
            )
            and len(text) < 1500
        ):
            claims.extend(reader.read(text, places))
            text, places = "", []
        offset = len(text) + 1 if text else 0
        text = f"{text} {sentence.text}" if text else sentence.text
        span = sentence.span
        doc = span.doc
        for party in sentence.parties:
            start = doc[party.start].idx - span.start_char
            end = doc[party.end - 1].idx + len(doc[party.end - 1]) - span.start_char
            places.append((offset + start, offset + end, span.text[start:end]))
        last = sentence
    if text:
        claims.extend(reader.read(text, places))
    return dedupe(claims)
