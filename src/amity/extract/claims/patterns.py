"""Patterns of counted relations: relation words, quantifiers ("more than"), units ("pairs of
sister cities"), the words around a count that say it is not a standing relation, regions and
national bodies that may be a count's subject."""

from __future__ import annotations

import functools

import regex

from amity.extract.claims.numbers import NUMBER, ORDINAL
from amity.resources import data_table

# -- relation words -----------------------------------------------------------------------------

AT_LEAST = (
    r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|some|well\s+over|no\s+fewer\s+than|"
    r"(?:has\s+|have\s+)?(?:surpass|exceed|top|pass)(?:e[sd]|ed|s|ing|ped|ping)?|beyond"
)
_ABOUT = r"nearly|almost|about|around|approximately|roughly|close\s+to|just\s+under|a\s+total\s+of|totall?ing"
QUANT = rf"(?:(?P<{{q}}>{AT_LEAST})|(?:{_ABOUT}))?\s*"
MODIFIERS = (
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
AFTER_STOP = regex.compile(
    r"(?i)^[\s-]*(?:meetings?|conferences?|forums?|summits?|festivals?|exchanges?|delegations?|visits?|"
    r"events?|programs?|programmes?|days?|weeks?|anniversar(?:y|ies)|awards?|games|associations?|"
    r"committees?|councils?|commissions?|international|cup|project|projects|students?|schools?|"
    r"conventions?|congress|ceremony|ceremonies|tours?|trips?|fairs?|expos?)\b"
)
BEFORE_STOP = regex.compile(
    r"(?i)(?:\b(?:the|these|those|both|each|every|per|of\s+the|all)\s+|\bnew\s+|\bfirst\s+|"
    r"\b(?:of|to|for|from|with|and|among)\s+(?:its|their|his|her|our)\s+)$"
)
NEW = regex.compile(
    r"(?i)^\s*(?:new|newly|additional|more|further|potential|prospective|possible|proposed|planned)\b"
)

COUNT_RE = regex.compile(
    rf"(?<![\w$€£¥%.-])(?:{QUANT.format(q='q1')})(?P<n>{NUMBER})\s+(?P<rel>{MODIFIERS}(?:(?P<strong>{REL_STRONG})|(?P<weak>{REL_WEAK})))\b",
    regex.IGNORECASE,
)
ORDINAL_RE = regex.compile(
    rf"(?P<ord>{ORDINAL})\s+(?P<rel>{MODIFIERS}(?:{REL_STRONG}|(?:(?:overseas|international|intl\.?|foreign|global)\s+)+(?:cit(?:y|ies)|towns?|partners?)|partner\s+cit(?:y|ies)))\b",
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
COUNTRIES_RE = regex.compile(
    rf"(?i)^[^.;]{{0,60}}?\b(?:with|in|from|across|spanning|covering)\s+(?:counterparts\s+in\s+)?(?:the\s+)?"
    rf"{QUANT.format(q='q2')}(?P<n>{NUMBER})\s+(?:(?:different|foreign|other)\s+)?(?P<adj>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+)?"
    r"(?:countries|nations)"
)
# "Lille has 9", "Nancy has 4" after a count in the same passage
ELLIPSIS_RE = regex.compile(
    rf"(?P<subject>\b[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})\s+(?:now\s+|currently\s+|also\s+)?(?:has|have|had|boasts)\s+"
    rf"(?:{QUANT.format(q='q1')})(?P<n>{NUMBER})(?=\s*(?:[;,.:)]|$|\s+(?:in|across|around|worldwide|abroad|overseas|spread)\b))"
)
POSSESSION = regex.compile(
    r"(?i)\b(?:has|have|had|boasts?|maintains?|counts?|are|were|exist|totals?|spans?|spanning|numbers?|includes?|comprises?)\s+"
    r"(?:(?:now|currently|already|also)\s+)?(?:(?:more\s+than|over|some|about|around|nearly|almost|at\s+least)\s+)?$"
)
EVENT_COUNT = regex.compile(
    r"(?i)\b(?<!has\s)(?<!have\s)(?:entered\s+into|signed|inked|concluded|announced|unveiled|sealed)\s+(?:\w+\s+)?$"
)
PAST_TIME = regex.compile(
    r"(?i)\b(?:in|during)\s+(?:the\s+)?(?:19|20)\d\d(?:s|['’]s)?\b|\bon\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\blast\s+(?:week|month|year)\b|\b(?:at|during)\s+the\s+(?:\w+\s+){0,3}(?:ceremony|conference|forum|summit|meeting|event)\b"
)
PRONOUN = regex.compile(
    r"(?i)\b(?:it|its|his\s+city|her\s+city|their\s+city|our\s+city|the\s+city|this\s+city|the\s+town|this\s+town|"
    r"the\s+municipality|the\s+province|the\s+county|the\s+prefecture|the\s+district|the\s+capital)(?:['’]s)?\s*$"
)
CLAUSE_BREAK = regex.compile(
    r"(?i)[;:]|\b(?:that|which|while|whereas|who|when|because|although|but)\b|,\s+and\b"
)
VERB_GAP = regex.compile(
    r"(?i)^(?:['’]s\s+)?[\s,]*(?:(?:[\w’'-]+\s+){0,4}?)"
    r"(?:has|have|had|now\s+has|boasts?|counts?|maintains?|enjoys?|holds?|established|formed|signed|built|"
    r"is|are|was|were|claims?|lists?)\b"
)

# regions a bilateral count may be with ("African countries" -> "Africa")
REGIONS = {
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
REGION_RE = regex.compile(
    r"\b(?:"
    + "|".join(
        regex.escape(k).replace(r"\ ", r"\s+") for k in sorted(REGIONS, key=len, reverse=True)
    )
    + r")\b",
    regex.IGNORECASE,
)
# "SCO countries", "ASEAN member states", "BRICS nations": a bloc as written
BLOC_RE = regex.compile(
    r"\b(?P<bloc>[A-Z]{2,7}(?:\+\d)?\s+(?:countries|nations|member\s+states|member\s+countries|states))\b"
)
CAPS_RUN = regex.compile(
    r"(?:[A-Z][\w’'.&-]*|D\.C\.)(?:(?:\s+|\s*,\s*(?=D\.C\.))(?:[A-Z][\w’'.&-]*|D\.C\.|(?:of|de|del|da|do|upon|on|la|le|al|el)(?=\s+[A-Z])))*"
)
LEADING_WORDS = {
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
NOT_PLACES = {
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
def subject_bodies() -> tuple[tuple[regex.Pattern, str], ...]:
    """Organisations that speak for a country's twinning network (data/lexicons/claim_subjects.txt)."""
    return tuple(
        (regex.compile(rf"(?i)\b{regex.escape(row[0])}\b"), row[1])
        for row in data_table("lexicons/claim_subjects.txt")
    )
