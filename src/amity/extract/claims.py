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

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from amity.extract.reading import find_anchor
from amity.resources import data_table
from amity.types import Claim

if TYPE_CHECKING:
    from amity.extract.reading import Reading
    from amity.resolve.gazetteer import Gazetteer

# -- numbers ------------------------------------------------------------------------------------

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


# -- relation words -----------------------------------------------------------------------------

_AT_LEAST = (
    r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|some|well\s+over|no\s+fewer\s+than|"
    r"(?:has\s+|have\s+)?(?:surpass|exceed|top|pass)(?:e[sd]|ed|s|ing|ped|ping)?|beyond"
)
_ABOUT = r"nearly|almost|about|around|approximately|roughly|close\s+to|just\s+under|a\s+total\s+of|totall?ing"
QUANT = rf"(?:(?P<{{q}}>{_AT_LEAST})|(?:{_ABOUT}))?\s*"
_MODIFIERS = (
    r"(?:(?:active|official|formal|formally|established|existing|international|intl\.?|foreign|overseas|"
    r"global|other|current|different|official|permanent|such|separate|registered|bilateral|"
    r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?=\s+(?:sister|twin|friendship|friendly|partner|cities|towns|"
    r"municipalities|communities)))\s+)*"
)
_UNIT = (
    r"(?:cit(?:y|ies)|towns?|provinces?|states?|regions?|municipalit(?:y|ies)|communit(?:y|ies)|"
    r"prefectures?|count(?:y|ies)|districts?|ports?|villages?)"
)
_KIND = (
    r"(?:sister|twin|twinned|twinning|friendship|friendly|partner|brother|fraternal|sibling|amity)"
)
_LINK = r"(?:relationships?|relations|ties|agreements?|partnerships?|links|pacts?|arrangements|pairs|MoUs?|bonds)"
REL_STRONG = (
    rf"(?:{_KIND}[\s-]+{_UNIT}(?:\s+(?:and|or|&|/)\s+(?:{_KIND}[\s-]+)?{_UNIT})?(?:\s+{_LINK})?"
    rf"|pairs?\s+of\s+(?:(?:{_KIND}|international|friendly)[\s-]+)?{_UNIT}"
    rf"(?:,?\s+(?:and|or|&)\s+(?:{_KIND}[\s-]+)?{_UNIT})?"
    rf"|(?:town[\s-])?twinning\s+(?:{_LINK}|schemes)|twinnings|twin\s+towns"
    rf"|sisters?(?=\s+(?:between|with|in|across|around|worldwide|abroad)\b))"
)
REL_WEAK = r"(?:partnerships|pairs|siblings|twins|partner\s+cities|partner\s+towns)"
_AFTER_STOP = regex.compile(
    r"(?i)^[\s-]*(?:meetings?|conferences?|forums?|summits?|festivals?|exchanges?|delegations?|visits?|"
    r"events?|programs?|programmes?|days?|weeks?|anniversar(?:y|ies)|awards?|games|associations?|"
    r"committees?|councils?|commissions?|international|cup|project|projects|students?|schools?|"
    r"conventions?|congress|ceremony|ceremonies|tours?|trips?|fairs?|expos?)\b"
)
_BEFORE_STOP = regex.compile(
    r"(?i)(?:\b(?:the|these|those|both|each|every|per|of\s+the|all)\s+|\bnew\s+|\bfirst\s+|"
    r"\b(?:of|to|for|from|with|and|among)\s+(?:its|their|his|her|our)\s+)$"
)
_NEW = regex.compile(
    r"(?i)^\s*(?:new|newly|additional|more|further|potential|prospective|possible|proposed|planned)\b"
)

COUNT_RE = regex.compile(
    rf"(?<![\w$€£¥%.-])(?:{QUANT.format(q='q1')})(?P<n>{NUMBER})\s+(?P<rel>{_MODIFIERS}(?:(?P<strong>{REL_STRONG})|(?P<weak>{REL_WEAK})))\b",
    regex.IGNORECASE,
)
ORDINAL_RE = regex.compile(
    rf"(?P<ord>{ORDINAL})\s+(?P<rel>{_MODIFIERS}(?:{REL_STRONG}|(?:(?:overseas|international|intl\.?|foreign|global)\s+)+(?:cit(?:y|ies)|towns?|partners?)|partner\s+cit(?:y|ies)))\b",
    regex.IGNORECASE,
)
# "relationships with 27 cities", "twinned with more than 300 cities", "ties with eight cities"
WITH_RE = regex.compile(
    rf"\b(?P<rel>(?:{_KIND}[\s-]+{_UNIT}\s+)?(?:relations(?:hips?)?|relationships?|ties|links|partnerships?)|twinned|paired|partnered|twinning)\b"
    rf"(?:\s+(?:have|has)\s+been\s+\w+)?\s+with\s+(?:counterparts\s+in\s+)?(?:{QUANT.format(q='q1')})(?P<n>{NUMBER})\s+"
    rf"(?:(?:other|more|different|foreign|overseas|international|partner|municipal|local|[A-Z][a-z]+)\s+)?"
    r"(?P<unit>cities|towns|municipalities|provinces|regions|localities|communities|counterparts|places|"
    r"prefectures|states|partners|districts|counties|cities\s+and\s+(?:provinces|regions|states))\b",
    regex.IGNORECASE,
)
# "the number of friendly province and city pairs ... has exceeded 100"
NUMBER_OF_RE = regex.compile(
    r"(?i)\bnumber\s+of\s+[^.;]{0,60}?\b(?:pairs|sister[- ]cit(?:y|ies)|twin\s+towns|partnerships|friendship\s+cities|"
    r"(?:sister|friendship|friendly|twin)[- ]\w+\s+(?:relationships|relations|ties))\b[^.;]{0,60}?"
    r"\b(?P<verb>has\s+exceeded|exceeded|exceeding|has\s+surpassed|surpassed|surpassing|has\s+topped|topped|topping|"
    r"has\s+reached|reached|reaching|stands\s+at|stood\s+at|totals|totalled|totaled|is|was|rose\s+to|has\s+risen\s+to|"
    r"grew\s+to|has\s+grown\s+to|increased\s+to|hit|hitting)\s+"
    r"(?:(?P<q1>more\s+than|over)\s+)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
)
_COUNTRIES_RE = regex.compile(
    rf"(?i)^[^.;]{{0,60}}?\b(?:with|in|from|across|spanning|covering)\s+(?:counterparts\s+in\s+)?(?:the\s+)?"
    rf"{QUANT.format(q='q2')}(?P<n>{NUMBER})\s+(?:(?:different|foreign|other)\s+)?(?P<adj>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+)?"
    r"(?:countries|nations)"
)
# "Lille has 9", "Nancy has 4" after a count in the same passage
_ELLIPSIS_RE = regex.compile(
    rf"(?P<subject>\b[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})\s+(?:now\s+|currently\s+|also\s+)?(?:has|have|had|boasts)\s+"
    rf"(?:{QUANT.format(q='q1')})(?P<n>{NUMBER})(?=\s*(?:[;,.:)]|$|\s+(?:in|across|around|worldwide|abroad|overseas|spread)\b))"
)
_POSSESSION = regex.compile(
    r"(?i)\b(?:has|have|had|boasts?|maintains?|counts?|are|were|exist|totals?|spans?|spanning|numbers?|includes?|comprises?)\s+"
    r"(?:(?:now|currently|already|also)\s+)?(?:(?:more\s+than|over|some|about|around|nearly|almost|at\s+least)\s+)?$"
)
_EVENT_COUNT = regex.compile(
    r"(?i)\b(?<!has\s)(?<!have\s)(?:entered\s+into|signed|inked|concluded|announced|unveiled|sealed)\s+(?:\w+\s+)?$"
)
_PAST_TIME = regex.compile(
    r"(?i)\b(?:in|during)\s+(?:the\s+)?(?:19|20)\d\d(?:s|['’]s)?\b|\bon\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\blast\s+(?:week|month|year)\b|\b(?:at|during)\s+the\s+(?:\w+\s+){0,3}(?:ceremony|conference|forum|summit|meeting|event)\b"
)
_PRONOUN = regex.compile(
    r"(?i)\b(?:it|its|his\s+city|her\s+city|their\s+city|our\s+city|the\s+city|this\s+city|the\s+town|this\s+town|"
    r"the\s+municipality|the\s+province|the\s+county|the\s+prefecture|the\s+district|the\s+capital)(?:['’]s)?\s*$"
)
_CLAUSE_BREAK = regex.compile(
    r"(?i)[;:]|\b(?:that|which|while|whereas|who|when|because|although|but)\b|,\s+and\b"
)
_VERB_GAP = regex.compile(
    r"(?i)^(?:['’]s\s+)?[\s,]*(?:(?:[\w’'-]+\s+){0,4}?)"
    r"(?:has|have|had|now\s+has|boasts?|counts?|maintains?|enjoys?|holds?|established|formed|signed|built|"
    r"is|are|was|were|claims?|lists?)\b"
)

# regions a bilateral count may be with ("African countries" -> "Africa")
_REGIONS = {
    "africa": "Africa",
    "african": "Africa",
    "asia": "Asia",
    "asian": "Asia",
    "central asia": "Central Asia",
    "central asian": "Central Asia",
    "southeast asia": "Southeast Asia",
    "southeast asian": "Southeast Asia",
    "south asia": "South Asia",
    "south asian": "South Asia",
    "east asia": "East Asia",
    "east asian": "East Asia",
    "europe": "Europe",
    "european": "Europe",
    "eastern europe": "Eastern Europe",
    "eastern european": "Eastern Europe",
    "central europe": "Central Europe",
    "central european": "Central Europe",
    "latin america": "Latin America",
    "latin american": "Latin America",
    "south america": "South America",
    "south american": "South America",
    "north america": "North America",
    "north american": "North America",
    "middle east": "Middle East",
    "middle eastern": "Middle East",
    "arab": "Arab countries",
    "nordic": "Nordic countries",
    "caribbean": "Caribbean",
    "pacific island": "Pacific Islands",
    "pacific": "Pacific",
    "oceania": "Oceania",
    "balkan": "Balkans",
    "balkans": "Balkans",
    "the americas": "Americas",
    "americas": "Americas",
    "mediterranean": "Mediterranean",
}
_REGION_RE = regex.compile(
    r"\b(?:"
    + "|".join(
        regex.escape(k).replace(r"\ ", r"\s+") for k in sorted(_REGIONS, key=len, reverse=True)
    )
    + r")\b",
    regex.IGNORECASE,
)
# "SCO countries", "ASEAN member states", "BRICS nations": a bloc as written
_BLOC_RE = regex.compile(
    r"\b(?P<bloc>[A-Z]{2,7}(?:\+\d)?\s+(?:countries|nations|member\s+states|member\s+countries|states))\b"
)
_CAPS_RUN = regex.compile(
    r"(?:[A-Z][\w’'.&-]*|D\.C\.)(?:(?:\s+|\s*,\s*(?=D\.C\.))(?:[A-Z][\w’'.&-]*|D\.C\.|(?:of|de|del|da|do|upon|on|la|le|al|el)(?=\s+[A-Z])))*"
)
_LEADING_WORDS = {
    "the",
    "so",
    "at",
    "among",
    "to",
    "in",
    "on",
    "by",
    "as",
    "for",
    "with",
    "today",
    "now",
    "currently",
    "also",
    "meanwhile",
    "however",
    "this",
    "that",
    "since",
    "after",
    "before",
    "while",
    "but",
    "and",
    "according",
    "under",
    "data",
    "far",
    "date",
    "there",
    "here",
    "besides",
    "moreover",
    "furthermore",
    "overall",
    "altogether",
    "thus",
    "yesterday",
    "last",
    "recently",
    "presently",
    "present",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "mayor",
    "governor",
    "president",
    "chairman",
    "councillor",
    "cllr",
    "said",
    "says",
    "then",
    "if",
    "when",
    "its",
    "his",
    "her",
    "their",
    "our",
    "it",
    "we",
    "they",
    "he",
    "she",
    "some",
    "more",
    "many",
    "most",
    "several",
    "other",
    "all",
    "each",
    "one",
    "about",
    "over",
    "nearly",
    "almost",
    "around",
    "approximately",
    "roughly",
    "only",
    "just",
    "these",
    "those",
    "both",
    "every",
    "such",
    "no",
    "what",
    "which",
    "who",
    "where",
    "how",
    "why",
    "a",
    "an",
}
_NOT_PLACES = {
    "sister",
    "cities",
    "city",
    "twin",
    "friendship",
    "international",
    "mayor",
    "council",
}


@functools.cache
def _subject_bodies() -> tuple[tuple[regex.Pattern, str], ...]:
    """Organisations that speak for a country's twinning network (data/lexicons/claim_subjects.txt)."""
    return tuple(
        (regex.compile(rf"(?i)\b{regex.escape(row[0])}\b"), row[1])
        for row in data_table("lexicons/claim_subjects.txt")
    )


@dataclass
class Mention:
    """A place, country or region named in a sentence (character offsets in the sentence)."""

    start: int
    end: int
    name: str
    country: str | None = None  # ISO2 when the mention is a country or its demonym
    region: str | None = None  # "Africa" for "Africa"/"African"
    known: bool = True  # a place the gazetteer or the reading knows

    @property
    def national(self) -> bool:
        return self.country is not None


@dataclass
class _Count:
    start: int  # where the count phrase starts (the number or quantifier)
    end: int
    number_start: int
    value: int
    at_least: bool
    text: str
    kind: str  # count | ordinal | with | number_of | ellipsis
    weak: bool = False


def _clean_subject(name: str) -> str:
    name = name.strip().strip(",.;:").strip()
    name = regex.sub(r"['’]s$", "", name)
    if regex.match(r"(?i)the\s", name):
        name = name[4:]
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


class ClaimReader:
    """Reads the claims of one article sentence by sentence, remembering what a pronoun or an
    elided count ("Lille has 9") refers to."""

    def __init__(
        self,
        country_codes_in: Callable[[str], list[str]],
        is_place: Callable[[str], bool] | None = None,
        anchor: str | None = None,
    ):
        self.country_codes_in = country_codes_in
        self.is_place = is_place
        self.anchor = anchor
        self.previous: list[list[Mention]] = []  # mentions of the sentences read so far
        self.previous_texts: list[str] = []
        self.last_claim_index = -10  # sentence index of the last claim
        self.last_subject: tuple[str, str | None] | None = None  # (scope, subject)

    # -- mentions ---------------------------------------------------------------------------
    def mentions(self, text: str, places: Sequence[tuple[int, int, str]] = ()) -> list[Mention]:
        found: list[Mention] = []
        masked = text
        for pattern, _code in _subject_bodies():  # "Chinese People's Association ..." is a body
            for m in pattern.finditer(masked):
                masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
        for m in _REGION_RE.finditer(masked):
            if not m.group(0)[0].isupper():
                continue
            found.append(
                Mention(m.start(), m.end(), m.group(0), region=_REGIONS[_norm(m.group(0))])
            )
            masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
        for start, end, name in places:
            if not any(x.start < end and start < x.end for x in found):
                code = self._country_of(name)
                if code is not None:
                    found.append(Mention(start, end, name, country=code))
                else:
                    found.append(Mention(start, end, _clean_subject(name)))
        for m in _CAPS_RUN.finditer(masked):
            words = m.group(0)
            offset = m.start()
            # drop leading function words ("So far, Nantong", "Among them")
            while True:
                first = regex.match(r"[\w’'.&-]+", words)
                if not first or first.group(0).casefold().rstrip(".") not in _LEADING_WORDS:
                    break
                rest = regex.match(r"[\w’'.&-]+\s*", words)
                offset += rest.end()
                words = words[rest.end() :]
            words = words.rstrip(".-&'’") if not words.endswith("D.C.") else words
            if not words:
                continue
            self._add_run(found, words, offset)
        found.sort(key=lambda x: x.start)
        return found

    def _country_of(self, words: str) -> str | None:
        codes = self.country_codes_in(words)
        if len(codes) != 1:
            return None
        bare = regex.sub(r"['’]s$", "", words.strip())
        # the whole run must be the country ("China", "Israeli", "the United States"), not a
        # place that contains one ("Mexico City", "Washington, D.C.")
        if self.is_place is not None and len(bare.split()) > 1:
            tail = bare.split()[-1]
            if tail.casefold() in ("city", "province", "county", "state", "prefecture", "d.c."):
                return None
        return codes[0]

    def _add_run(self, found: list[Mention], words: str, offset: int) -> None:
        end = offset + len(words)
        if any(x.start < end and offset < x.end for x in found):
            return
        # split a hyphenated compound: "China-Central Asia", "Serbian-Chinese"
        if "-" in words and all(part[:1].isupper() for part in words.split("-") if part):
            position = offset
            parts = words.split("-")
            if len(parts) == 2 and all(
                self.country_codes_in(p) or _REGION_RE.fullmatch(p.strip()) for p in parts
            ):
                for part in parts:
                    self._add_run(found, part, position)
                    position += len(part) + 1
                return
        code = self._country_of(words)
        if code is not None:
            found.append(Mention(offset, end, words, country=code))
            return
        # the longest known place that starts the run ("Izumisano Mayor Chiyomatsu")
        tokens = words.split()
        for n in range(len(tokens), 0, -1):
            name = " ".join(tokens[:n])
            if name.casefold() in _NOT_PLACES:
                continue
            stop = offset + len(name)
            if self.is_place is None or self.is_place(_clean_subject(name)):
                found.append(
                    Mention(offset, stop, _clean_subject(name), known=self.is_place is not None)
                )
                return
        found.append(Mention(offset, end, _clean_subject(words), known=False))

    # -- reading ----------------------------------------------------------------------------
    def read(
        self,
        text: str,
        places: Sequence[tuple[int, int, str]] = (),
        default_subject: str | None = None,
    ) -> list[Claim]:
        """The claims of one sentence; `places` are (start, end, name) of places the reading
        found in it."""
        mentions = self.mentions(text, places) if regex.search(r"\d|[A-Za-z]", text) else []
        counts = self._counts(text)
        claims: list[Claim] = []
        previous_subject: tuple[str, str | None, str | None] | None = None
        for count in counts:
            if (
                count.kind == "ellipsis"
                and not claims
                and self.last_claim_index < len(self.previous) - 1
            ):
                continue  # "Tiberias has 4" only right after a count of relations
            found = self._subject(text, count, mentions, previous_subject, default_subject)
            if found is None:
                continue
            scope, subject, partner, explicit = found
            if partner is not None and scope == "national":
                scope = "bilateral"
            if (
                count.weak
                and not (scope == "bilateral" and explicit)
                and not claims
                and not _POSSESSION.search(text[: count.start])
            ):
                continue  # "across 46 partnerships" of a programme; "Tiberias has 10 siblings" is a count
            if (
                count.weak
                and scope == "local"
                and regex.search(r"(?i)\b(?:partnerships|pairs)\b", count.text)
                and self.is_place is not None
                and not self.is_place(subject)
                and not regex.search(r"(?i)\b(?:sister|twin|twinn|friendship|friendly)", text)
            ):
                continue  # "Acme has 40 partnerships": not a place's relations
            if (
                count.kind in ("count", "with")
                and _EVENT_COUNT.search(text[: count.start])
                and _PAST_TIME.search(text)
            ):
                continue  # "In the 1970s the City entered into two Sister City relationships"
            if scope != "local" and partner is None and not explicit:
                partner = self._discourse_partner(subject)
            if partner is not None and scope == "national":
                scope = "bilateral"
            claim = Claim(
                subject=subject,
                text=count.text,
                scope=scope,
                partner=partner if scope == "bilateral" else None,
            )
            if count.at_least:
                claim.pairs_min = count.value
            else:
                claim.pairs = count.value
            countries = _COUNTRIES_RE.match(text[count.end :]) if count.kind != "ordinal" else None
            if countries:
                value = parse_number(countries.group("n"))
                if value is not None and value >= 1:
                    if countries.group("q2"):
                        claim.countries_min = value
                    else:
                        claim.countries = value
            claims.append(claim)
            previous_subject = (scope, subject, claim.partner)
        self.previous.append(mentions)
        self.previous_texts.append(text)
        if claims:
            self.last_claim_index = len(self.previous) - 1
        return claims

    def _counts(self, text: str) -> list[_Count]:
        counts: list[_Count] = []

        def overlaps(start: int, end: int) -> bool:
            return any(c.start < end and start < c.end for c in counts)

        consumed = 0
        for m in COUNT_RE.finditer(text):
            if m.start() < consumed:
                continue  # the "and two Friendship Cities" of a sum already read
            value = parse_number(m.group("n"))
            if value is None or _is_year(m.group("n"), value) or value < 2 and not m.group("q1"):
                continue
            if (
                _BEFORE_STOP.search(text[: m.start("n")])
                and not m.group("q1")
                or _NEW.match(m.group("rel"))
            ):
                continue
            rest = text[m.end() :]
            if _AFTER_STOP.match(rest) or regex.match(r"^\s+International\b", rest):
                continue
            end = m.end()
            # "three Sister Cities, and two Friendship Cities"
            more = regex.match(
                rf"(?i)^,?\s+(?:and|plus)\s+(?P<n>{NUMBER})\s+{_MODIFIERS}(?:{REL_STRONG})\b", rest
            )
            if more and parse_number(more.group("n")):
                value += parse_number(more.group("n"))
                end += more.end()
                consumed = end
            counts.append(
                _Count(
                    m.start(),
                    end,
                    m.start("n"),
                    value,
                    bool(m.group("q1")),
                    text[m.start() : end].strip(),
                    "count",
                    weak=bool(m.group("weak")),
                )
            )
        for m in ORDINAL_RE.finditer(text):
            value = parse_ordinal(m.group("ord"))
            if value is None or value < 2 or overlaps(m.start(), m.end()):
                continue
            if _AFTER_STOP.match(text[m.end() :]) or regex.match(
                r"^\s+International\b", text[m.end() :]
            ):
                continue
            counts.append(
                _Count(m.start(), m.end(), m.start(), value, False, m.group(0), "ordinal")
            )
        for m in WITH_RE.finditer(text):
            value = parse_number(m.group("n"))
            if (
                value is None
                or value < 2
                or _is_year(m.group("n"), value)
                or overlaps(m.start("n"), m.end())
            ):
                continue
            if regex.search(r"(?i)\bnew\s+(?:\w+\s+){0,3}$", text[: m.start()]):
                continue
            if regex.match(
                rf"(?i)^(?:/\w+)?,?\s+and\s+{NUMBER}\s+(?:\w+\s+)?(?:cities|towns|provinces|states|regions|municipalities|counties|prefectures)\b",
                text[m.end() :],
            ):
                continue  # "with 410 provinces/states and 1,520 cities": no one count of pairs
            counts.append(
                _Count(
                    m.start(),
                    m.end(),
                    m.start("n"),
                    value,
                    bool(m.group("q1")),
                    text[m.start() : m.end()],
                    "with",
                )
            )
        for m in NUMBER_OF_RE.finditer(text):
            if overlaps(m.start("n"), m.end("n")):
                continue
            value = parse_number(m.group("n"))
            if value is None:
                continue
            at_least = (
                bool(m.group("q1"))
                or regex.search(r"(?i)exceed|surpass|top", m.group("verb")) is not None
            )
            counts.append(
                _Count(m.start(), m.end(), m.start("n"), value, at_least, m.group(0), "number_of")
            )
        for m in _ELLIPSIS_RE.finditer(text):
            value = parse_number(m.group("n"))
            if (
                value is None
                or value < 2
                or overlaps(m.start("n"), m.end("n"))
                or _is_year(m.group("n"), value)
            ):
                continue
            counts.append(
                _Count(
                    m.start(),
                    m.end(),
                    m.start("n"),
                    value,
                    bool(m.group("q1")),
                    m.group(0),
                    "ellipsis",
                )
            )
        counts.sort(key=lambda c: c.start)
        return counts

    # -- subjects ---------------------------------------------------------------------------
    def _subject(
        self,
        text: str,
        count: _Count,
        mentions: list[Mention],
        previous: tuple[str, str | None, str | None] | None,
        default_subject: str | None,
    ) -> tuple[str, str, str | None, bool] | None:
        """(scope, subject, partner, explicit) of a count, or None."""
        before = text[: count.number_start if count.kind != "with" else count.start]
        after = text[count.end :]
        partner, pair = self._partner(text, count, mentions)
        if pair is not None:  # "between China and Russia", "China-Central Asia"
            return ("bilateral", pair[0], pair[1], True)
        if count.kind == "ellipsis":
            subject = next((x for x in mentions if x.start >= count.start), None)
            if subject is None or subject.region or not (subject.known or previous):
                return None
            return self._as_subject(subject, partner, text, explicit=True)
        # a possessive right before the count: "Guangzhou's 100th friendship city"
        owner = regex.search(r"(?P<name>\S[^,;]*?)['’]s\s+(?:\w+\s+)?$", before)
        if owner:
            mention = next(
                (
                    x
                    for x in reversed(mentions)
                    if x.end <= owner.end("name") + 2 and x.end >= owner.end("name") - 1
                ),
                None,
            )
            if mention is not None and not mention.region:
                return self._as_subject(mention, partner, text, explicit=True)
        if regex.search(r"(?i)\b(?:its|their|his|her)\s+(?:\w+\s+)?$", before):
            resolved = self._resolve_pronoun(text, count, mentions)
            if resolved is not None:
                return self._as_subject(resolved, partner, text, explicit=True)
        # "the ninth sister city of Leeds"
        of = regex.match(r"^\s+(?:of|for)\s+", after)
        if of:
            mention = next((x for x in mentions if x.start == count.end + of.end()), None)
            if mention is not None and not mention.region:
                return self._as_subject(mention, partner, text, explicit=True)
        # the nearest place or country before the count in its clause
        clause_start = 0
        for b in _CLAUSE_BREAK.finditer(before):
            clause_start = b.end()
        clause = before[clause_start:]
        pronoun = _PRONOUN.search(
            regex.sub(
                r"(?i)\s+(?:now|currently|already|also|so\s+far|to\s+date)?\s*(?:has|have|had)\s+(?:\w+\s+){0,3}$",
                "",
                clause,
            ).rstrip()
        )
        candidates = [
            x
            for x in mentions
            if x.end <= len(before)
            and x.start >= clause_start
            and not x.region
            and (x.known or x.national or _VERB_GAP.match(before[x.end :]))
        ]
        if pronoun and not candidates:
            resolved = self._resolve_pronoun(text, count, mentions)
            if resolved is not None:
                return self._as_subject(resolved, partner, text, explicit=True)
        if candidates:
            return self._as_subject(candidates[-1], partner, text, explicit=True)
        # a country after the count: "... relationships exist in Australia"
        inside = regex.match(
            r"(?i)^\s+(?:\w+\s+){0,2}?(?:in|across|throughout)\s+(?:the\s+)?", after
        )
        if inside:
            mention = next(
                (x for x in mentions if x.start == count.end + inside.end() and x.national), None
            )
            if mention is not None:
                return ("national", mention.country, partner, True)
        for pattern, code in _subject_bodies():
            if pattern.search(text):
                return ("national", code, partner, False)
        if previous is not None:  # "..., including more than 160 pairs with African countries"
            scope, subject, _partner = previous
            if scope == "local":
                return ("local", subject, None, True)
            return ("national", subject, partner, True)
        if default_subject:
            return ("national", default_subject, partner, False)
        return None

    def _as_subject(
        self, mention: Mention, partner: str | None, text: str, explicit: bool
    ) -> tuple[str, str, str | None, bool]:
        if mention.national:
            return (
                "national",
                mention.country,
                partner if partner != mention.country else None,
                explicit,
            )
        return ("local", mention.name, None, explicit)

    def _resolve_pronoun(self, text: str, count: _Count, mentions: list[Mention]) -> Mention | None:
        """ "his city has ...", "it has ...", "Mexicali is its 11th": the first place of the
        sentence that is not the one the count is about, else of the sentences before."""
        for mention in mentions:
            if mention.start >= count.start or mention.region:
                continue
            gap = text[mention.end : count.start]
            if regex.match(
                r"(?i)^\s*(?:is|was|becomes|became|as|will\s+become|has\s+become)\s+(?:its|their|his|her)\b",
                gap,
            ):
                continue  # "Mexicali is its 11th Sister City": Mexicali is the partner
            if mention.known or mention.national:
                return mention
        for earlier in reversed(self.previous[-3:]):
            local = [x for x in earlier if x.known and not x.national and not x.region]
            if local:
                return local[0]
        if self.anchor:
            return Mention(0, 0, self.anchor)
        return None

    def _partner(
        self, text: str, count: _Count, mentions: list[Mention]
    ) -> tuple[str | None, tuple[str, str] | None]:
        """The other side of a count: (partner, None) or (None, (subject, partner)) when the
        sentence names both sides ("between China and Russia")."""
        clause_end = len(text)
        stop = regex.search(
            r"[;]|,\s+(?:among\s+which|including|of\s+which|while|whereas|and)\b", text[count.end :]
        )
        if stop:
            clause_end = count.end + stop.start()
        window = text[count.end : clause_end]
        # between X and Y / X-Y (countries or regions)
        scope_text = text[:clause_end]
        between = regex.search(
            r"(?i)\bbetween\s+(?:the\s+)?(?:(?:places|cities|towns|communities|municipalities|local\s+authorities|local\s+governments)\s+in\s+)?(?P<a>[\w .'-]+?)\s+and\s+(?P<b>[\w .'-]+?)(?=[\s,.;]|$)",
            scope_text,
        )
        sides: list[Mention] = []
        if between:
            sides = [
                x
                for x in mentions
                if between.start() <= x.start < between.end() + 20 and (x.national or x.region)
            ][:2]
        if len(sides) < 2:
            for x, y in zip(mentions, mentions[1:], strict=False):
                gap = text[x.end : y.start]
                if (
                    gap in ("-", "–")
                    and (x.national or x.region)
                    and (y.national or y.region)
                    and x.end <= count.start + 400
                ):
                    sides = [x, y]
                    break
        if len(sides) == 2 and any(s.national for s in sides):
            first, second = sides if sides[0].national else sides[::-1]
            other = second.country or second.region
            if other and other != first.country:
                return None, (first.country, other)
        # with (the) (N) African countries / with SCO countries / with Russia
        partner = None
        with_region = regex.search(
            rf"(?i)\bwith\s+(?:counterparts\s+in\s+)?(?:the\s+)?(?:(?:{_AT_LEAST})\s+)?(?:{NUMBER}\s+)?(?P<region>{_REGION_RE.pattern})\s+(?:countries|nations|cities|states|partners)",
            window,
        ) or regex.search(
            rf"(?i)\bwith\s+(?:the\s+)?(?:{NUMBER}\s+)?(?P<region>{_REGION_RE.pattern})\s+(?:countries|nations)",
            text[: count.start],
        )
        if with_region:
            partner = _REGIONS[_norm(with_region.group("region"))]
        bloc = _BLOC_RE.search(window)
        if (
            partner is None
            and bloc
            and regex.search(r"(?i)\bwith\s+(?:the\s+)?$", window[: bloc.start()])
        ):
            partner = regex.sub(r"\s+", " ", bloc.group("bloc"))
        if partner is None:
            for x in mentions:
                if count.end <= x.start < clause_end and x.national:
                    lead = text[count.end : x.start]
                    if regex.search(r"(?i)\bwith\s+(?:the\s+)?$", lead) and not regex.search(
                        r"\d", lead[-30:]
                    ):
                        partner = x.country
                        break
        return partner, None

    def _discourse_partner(self, subject: str) -> str | None:
        """A count given without its other side, right after the article named the pair of
        sides ("Japan and Brazil plan more sister cities ... 58 pairs ...")."""
        for mentions, text in zip(
            reversed(self.previous[-3:]), reversed(self.previous_texts[-3:]), strict=True
        ):
            for x, y in zip(mentions, mentions[1:], strict=False):
                gap = text[x.end : y.start]
                if not regex.fullmatch(r"\s*(?:and|-|–)\s*", gap):
                    continue
                sides = {x.country or x.region, y.country or y.region}
                if subject in sides and None not in sides and len(sides) == 2:
                    return (sides - {subject}).pop()
        return None


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _is_year(raw: str, value: int) -> bool:
    return 1800 <= value <= 2100 and "," not in raw and raw.isdigit()


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
