"""What an article says happened to one pair: its event, the event's date and the year the
relationship was established.

`describe(reading, stated, related, names, published)` reads the sentences that state the
pair (`stated`) and those about it (`related`: anaphora, both names), resolved against the
publication date. The event comes from the cues in extract/events.py; dates from
extract/dates.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from amity.extract import dates as dates_mod
from amity.extract.events import EventCue, anniversary_of_the_tie, classify_sentence, strongest
from amity.extract.reading import Reading, Sentence


@dataclass(frozen=True)
class Description:
    event: str
    event_date: str | None
    established: int | None
    anniversary: int | None
    decisive: int  # the sentence that best states the event (evidence)


def describe(
    reading: Reading,
    stated: Iterable[int],
    related: Iterable[int],
    names: tuple[str, str],
    published: dt.date | None,
) -> Description:
    """Event, event date and established year of one pair."""
    stated = set(stated)
    related = sorted(set(related) | stated)
    events: list[tuple[str, int, int]] = []  # (event, sentence index, cue start)
    established_stated: int | None = None
    # "Busan has sister ties with Shimonoseki, Fukuoka, Osaka and Nagasaki. ... between the two
    # regions": a pair named only inside a crowd is not what a later "the two" refers to
    crowded = all(len({p.name.casefold() for p in reading.sentences[i].parties}) >= 4 for i in stated) if stated else False
    for index in related:
        sentence = reading.sentences[index]
        span = sentence.parsed or sentence.span
        parties = {p.name.casefold() for p in sentence.parties if p.kind in ("city", "district", "county") and not p.venue and not p.locator}
        named = {n.casefold() for n in names} & {p.name.casefold() for p in sentence.parties}
        third = len(named) == 1 and bool(parties - {n.casefold() for n in names})
        for event, cue in classify_sentence(span):
            if crowded and index not in stated:
                continue
            if third and event != "mention":
                continue  # "Luoyang has suspended its ties with Okayama" is not Okayama-Hsinchu's news
            if event in ("agreement", "intent") and (_is_old(sentence.text, published) or _listing(sentence) or _history(reading, index, published)):
                event = "mention"  # a tie signed long ago, or one of a city's listed partners
            elif event == "agreement" and _PERFECT.search(sentence.text) and dates_mod.date_in(sentence.text, published) is None and any(
                _listing(other) for other in reading.paragraph_of(index) if other.index != index
            ):
                event = "mention"  # "Pisa has twinned with Acre" beside a list of other cities' twins: examples
            elif event == "proposal" and (_is_old(sentence.text, published) or _history(reading, index, published)):
                event = "mention"  # "Lund and Aarhus first agreed in 1991 to form ...": how it began
            elif event == "exchange" and (_listing(sentence) or _dated_long_ago(sentence.text, published)):
                event = "mention"  # "a delegation visited Harbin in January 2006" on a 2013 page: history
            if event in ("suspension", "termination") and _motion_failed(reading.text, sentence.text):
                event = "mention"  # "the resolution to suspend ... failed 3-6": nothing changed
            events.append((event, index, cue.start))
        others = tuple(p.name for p in sentence.parties if p.name.casefold() not in {n.casefold() for n in names})
        established_stated = established_stated or _stated_establishment(sentence.text, names, others) or _signed_last(sentence.text, published)
    event = strongest([e for e, _, _ in events])
    # a headline naming the pair states the news ("UB Mayor proposes sisterhood with Tokyo"); a
    # body sentence only overrides it with an ending or a suspension
    headline = [e for e, i, _ in events if i in stated and reading.sentences[i].paragraph == 0 and e not in ("mention", "exchange")]
    if headline and event not in ("termination", "suspension"):
        event = strongest(headline)
    decisive = _decisive(reading, [i for e, i, _ in events if e == event], stated, published)
    event_date = None if event == "mention" else _event_date(reading, decisive, event, published, related)
    anniversary, established = _establishment(reading, related, event, event_date, published, established_stated, names)
    return Description(event, event_date, established, anniversary, decisive)


_ORDINALS = {
    "first": 1, "fifth": 5, "tenth": 10, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25,
    "thirtieth": 30, "thirty-fifth": 35, "fortieth": 40, "forty-fifth": 45, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "seventy-fifth": 75, "hundredth": 100,
}  # fmt: skip
_ANNIVERSARY = re.compile(
    r"(?i)\b(?:(?P<n>\d{1,3})(?:st|nd|rd|th)|(?P<word>" + "|".join(_ORDINALS) + r"))\s+"
    r"(?:\w+\s+){0,3}?(?:anniversary|jubilee)|"
    r"\b(?P<years>\d{1,3})\s+years\s+(?:of|as)\s+(?:\w+\s+){0,2}(?:twinning|sister|friendship|partnership|twin|ties|friendly|cooperation)|"
    r"\b(?P<span>\d{1,3})-year(?:-|\s+)(?:long\s+|old\s+)?(?:[\w-]+\s+){0,2}?(?:twinning|sister|friendship|partnership|relationship|ties|twinship|bond)\b"
)
_ESTABLISHED = re.compile(
    r"(?i)\b(?:established|set up|formed|forged|signed|twinned|twin|began|begun|started|inked|concluded|"
    r"became|linking|linked|paired|partnered|dates? back|dating back|dates? from|dating from|"
    r"(?:sister|twin|partner|friendship|friendly)[- ](?:cit(?:y|ies)|towns?|states?|provinces?|regions?|districts?|counties)|"
    r"twinning|partners|ties|relationship|relations|partnership|links?|agreement|affiliation)\b"
    r"(?P<between>[^.;]{0,60}?)\b(?:in|since|back in|as early as|to|from|on|the year)\s+(?:[A-Z]\w+\s+\d{1,2}\s+\()?"
    r"(?:(?:" + dates_mod.MONTHS + r")\s+(?:\d{1,2},?\s+)?(?:of\s+)?)?(?P<year>(?:19|20)\d{2})\b"
)
_NOT_ESTABLISHING = re.compile(r"(?i)\b(initiative|talks|negotiat\w*|discuss\w*|contacts?|idea|process|effort|plans?|proposal|letter of intent|memorandum)\b")


def _decisive(reading: Reading, candidates: list[int], stated: set[int], published) -> int:
    """The sentence that best states the event: one naming the pair, dated, not the title."""
    if not candidates:
        return min(stated)

    def rank(index: int) -> tuple[int, int, int, int]:
        sentence = reading.sentences[index]
        found = dates_mod.date_in(sentence.text, published)
        dated = found is not None and not (published and _is_old(found.text, published))
        return (index not in stated, not dated, sentence.paragraph == 0, index)

    return min(candidates, key=rank)


def _related_day(reading: Reading, related: list[int], published) -> str | None:
    """The first recent day-level date in the other sentences about the pair."""
    for index in related:
        found = dates_mod.date_in(reading.sentences[index].text, published)
        if found is None or found.precision != "day" or found.reporting or reading.sentences[index].paragraph == 0:
            continue
        if _header_line(reading.sentences[index].text, published) or found.start < dates_mod.dateline_end(reading.sentences[index].text):
            continue
        if published is None or (found.value and not found.value.startswith("--") and not _is_old(found.text, published)):
            return found.value
    return None


def _event_date(reading: Reading, decisive: int, event: str, published, related: list[int] = ()) -> str | None:
    sentence = reading.sentences[decisive]
    prefer = "future" if event == "proposal" and re.search(r"(?i)\b(will|next|upcoming|scheduled|to be signed)\b", sentence.text) else "past"
    found = dates_mod.date_in(sentence.text, published, prefer)
    reported = None
    if found is not None and event in ("exchange", "anniversary") and published and _is_old(found.text, published):
        found = None  # "a visit ... the two cities signed the agreement last October": the tie's date
    if found is not None and found.reporting:  # "said an official statement yesterday"
        reported, found = found, None
    if found is not None and found.precision == "day":
        return found.value
    # "This year marks the 30th anniversary ... On May 24, Mayor X attended": a neighbour's day
    if event == "exchange" and (found is None or found.precision == "year") and _several_years(sentence.text):
        return None  # "delegation visits (1996, 1997, 2000)": a history of visits, no one date
    since = _recent_background(sentence.text, published)
    if found is None and since is not None:
        # "Since March 31, Huai'an had donated ...": the sentence dates itself; no neighbour's day
        return since.value if event == "exchange" else None
    dateline = None
    for neighbour in reading.paragraph_of(decisive) + _adjacent(reading, decisive):
        if neighbour.index == decisive or abs(neighbour.index - decisive) > 1 or _header_line(neighbour.text, published):
            continue  # a page's date line ("2015-10-08 18:17:32") is when it was posted
        near = dates_mod.date_in(neighbour.text, published, prefer)
        if near is not None and near.start < dates_mod.dateline_end(neighbour.text):
            dateline = dateline or near  # "NEW YORK, May 17 (Xinhua) --": the report's day
            continue
        if near is not None and event in ("exchange", "anniversary") and published and _is_old(near.text, published):
            continue
        if near is not None and near.precision == "day" and (
            found is None or dates_mod.year_of(near.value) in (None, dates_mod.year_of(found.value))
        ):
            return near.value
    if found is not None:
        return found.value
    if event in ("agreement", "intent", "anniversary", "exchange"):
        lead = _related_day(reading, related, published) or _lead_date(reading, published)
        if lead is not None:
            return lead
    if event == "proposal" and prefer == "past":
        lead = _related_day(reading, related, published)  # "On January 5, the mayor ... proposed"
        if lead is not None:
            return lead
    if dateline is not None:
        return dateline.value
    return reported.value if reported is not None else None


def _establishment(reading, related, event, event_date, published, stated, names=("", "")):
    anniversary, when = None, None
    # "... signed the agreement. October 19 will mark the 30th anniversary of our relationship."
    nearby = {i for r in related for i in (r - 1, r + 1) if 0 <= i < len(reading.sentences) and not reading.sentences[i].parties}
    pair = {n.casefold() for n in names}
    for index in [*related, *sorted(nearby - set(related))]:
        text = reading.sentences[index].text
        parties = {p.name.casefold() for p in reading.sentences[index].parties}
        if parties - pair and not pair <= parties:
            continue  # "Nort-sur-Erdre ... will celebrate 10 years of twinning" with Piedrabuena
        for m in _ANNIVERSARY.finditer(text):
            number = int(m.group("n") or m.group("years") or m.group("span") or _ORDINALS[m.group("word").lower()])
            if number > 100 or not anniversary_of_the_tie(text, EventCue("anniversary", m.start(), m.end(), m.group(0))):
                continue  # "the 400th anniversary of the festival"
            anniversary = number
            ahead = "future" if re.search(r"(?i)\b(will|upcoming|next)\b", text) else "past"
            dated = dates_mod.date_in(text, published, ahead)
            when = dates_mod.year_of(dated.value) if dated is not None else None
            break
        if anniversary is not None:
            break
    if event in ("proposal", "intent"):
        return anniversary, None
    if stated:
        return anniversary, stated
    if anniversary is not None:
        year = when or (dates_mod.year_of(event_date) if event == "anniversary" else None) or (published.year if published else None)
        if year:
            return anniversary, year - anniversary
    return anniversary, None


_OLD_YEAR = re.compile(r"(?i)\b(?:in|since|back in)\s+(?:(?:" + dates_mod.MONTHS + r")\s+(?:of\s+)?)?((?:19|20)\d{2})\b")


def _is_old(text: str, published) -> bool:
    """'established sister-city ties in 1994' (or "in October 1983", "last October") in a 2024
    article is background, not news: its date is half a year or more before publication."""
    if published is None:
        return bool(re.search(r"\b(19\d{2}|20[01]\d)\b", " ".join(_OLD_YEAR.findall(text)))) and not re.search(r"(?i)\b(today|this (week|month|year)|on \w+ \d)", text)
    years = [int(y) for y in _OLD_YEAR.findall(text)] + [int(y) * 10 for y in re.findall(r"\bthe\s+((?:19|20)\d)0s\b", text)]
    if years and max(years) < published.year - 1:  # (a decade "the 1970s" counts by its first year)
        return True
    for mention in dates_mod.find_dates(text, published):
        if mention.reporting or mention.value is None or not re.match(r"^\d{4}", mention.value):
            continue
        year, month = int(mention.value[:4]), int(mention.value[5:7] or 0) if len(mention.value) >= 7 else 0
        if mention.precision == "year":
            if year < published.year:
                return True
        elif (published.year - year) * 12 + published.month - month >= 6:
            return True
    return False


_IN_PARENS = r"\(\s*(?:(?:since|established|est\.|twinned|signed|founded|from|affiliated)\s+(?:in\s+)?)?"
_PARENTHESISED_YEAR = re.compile(_IN_PARENS + r"(?:19|20)\d{2}\s*\)")
_PERFECT = re.compile(r"(?i)\b(has|have)\s+(\w+\s+)?(established|signed|formed|forged|set up|concluded|twinned|partnered)\b")


def _listing(sentence: Sentence) -> bool:
    """A sentence listing a city's partners ("X has established sister city relationships with
    A, B (1982), C (1983) and D") reports no new agreement."""
    if len(_PARENTHESISED_YEAR.findall(sentence.text)) >= 2:
        return True
    names = {p.name.casefold() for p in sentence.parties}
    if _PARTNER_COUNT.search(sentence.text):
        return True  # "Wuhan has established friendly-city ties with 98 cities"
    return len(names) >= 4 and bool(_PERFECT.search(sentence.text))


_PARTNER_COUNT = re.compile(
    r"(?i)\bwith\s+(?:more than\s+|over\s+|some\s+|about\s+|nearly\s+|almost\s+)?\d+\s+(?:[\w-]+\s+){0,3}?"
    r"(?:cities|towns|provinces|municipalities|regions|partners|counties|states|localities)\b"
)


_MOTION = re.compile(r"(?i)\b(motion|resolution|ordinance|proposal|moved|bill|petition)\b")
_DEFEAT = re.compile(r"(?i)\b(motion|resolution|ordinance|proposal|bill|it)\s+(failed|fell|was (defeated|rejected|voted down|lost|withdrawn)|did not pass)\b|\b(voted down|defeated the|rejected the (motion|resolution|proposal))\b")


def _motion_failed(article_text: str, sentence: str) -> bool:
    """A suspension or ending that was only moved, in an article that says the motion failed."""
    return bool(_MOTION.search(sentence)) and bool(_DEFEAT.search(article_text))


_SINCE_YEAR = re.compile(r"(?i)\b(?:since|from|dating from|established in|signed in|twinned in)\s+(?:\w+\s+\d{1,2},?\s+)?(?P<year>(?:19|20)\d{2})\b")
_AFFILIATION = re.compile(r"(?i)\b(?:date of (?:affiliation|twinning|agreement)|affiliated|twinned|established|since)\s*:\s*(?:[A-Za-z]+\.?\s+\d{1,2},?\s+)?(?P<year>(?:19|20)\d{2})\b")


_LISTED_YEAR = re.compile(r"(?:[^();.]|\.(?!\s)|\([^()\d]{1,25}\)){0,45}?" + _IN_PARENS + r"(?P<year>(?:19|20)\d{2})\s*\)")
_WITH_PARTNER = re.compile(r"\b(?i:with)\s+(?:the\s+)?(?:(?i:city|town|county|province|canton|district|municipality|region|prefecture|state|village|borough|commune) of\s+)?([A-Z][\w'’-]+)")


def _stated_establishment(text: str, names: tuple[str, str] = ("", ""), others: tuple[str, ...] = ()) -> int | None:
    """The year a sentence says the relation began: "sister cities since 1979", "the
    relationship, established in 1992", "Date of affiliation: May 20, 1967". In a list of
    partners ("Toruń, since 1978, and Pau, since 1982") the year after the partner's name wins."""
    lowered = text.casefold()
    present = [n for n in names if n and n.casefold() in lowered]
    for name in present:
        for found in re.finditer(re.escape(name.casefold()), lowered):
            at = found.start()
            if re.search(r"[A-Z][a-z]+\s+$", text[max(0, at - 20) : at]):
                continue  # "George Washington's Ancestral Home (since 2006)": another name
            listed = _LISTED_YEAR.match(text, at + len(name))
            between = listed.group(0).casefold() if listed else ""
            if listed and not any(o and o.casefold() in between and not re.match(r"\s+and\s+" + re.escape(o.casefold()), between) for o in others):
                return int(listed.group("year"))  # "Kuala Lumpur, Malaysia (1989);", "Nanjing and Jiangsu, China (2001)"
    if len(_PARENTHESISED_YEAR.findall(text)) >= 2 and len(present) == 2:
        return None  # a list of partners with years: an unlisted year is not this partner's
    if len(present) < 2 and any(w.group(1).casefold() in {o.casefold() for o in others} for w in _WITH_PARTNER.finditer(text)):
        return None  # "With Kochi, Surabaya agreed ... since 1997" is Kochi's year, not Seattle's
    for name in present:
        at = lowered.find(name.casefold())
        m = _SINCE_YEAR.search(text, at + len(name))
        if m and m.start() - at < 90 and not any(n and n.casefold() in lowered[at + len(name) : m.start()] for n in names):
            later = [p for p in re.finditer(r"\b[A-Z][\w-]+", text[at + len(name) : m.start()])]
            if len(later) <= 6 and not _NOT_ESTABLISHING.search(text[at : m.start()]):
                return int(m.group("year"))
    m = _AFFILIATION.search(text)
    if m:
        return int(m.group("year"))
    if len(present) == 2:
        m = _LEADING_YEAR.search(text) or _AGREED_IN.search(text)
        if m and (m.group("since") or _TIE_VERB.search(m.group("rest"))) and _TIE_NOUN.search(m.group("rest")):
            return int(m.group("year"))  # "Since 1988, Tours has kept a twinning link with Luxor"
    for m in _ESTABLISHED.finditer(text):
        if _NOT_ESTABLISHING.search(m.group("between")) or _NOT_ESTABLISHING.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        if any(other and other.casefold() in m.group(0).casefold() for other in others):
            continue
        partner = _WITH_PARTNER.search(m.group(0))
        if partner and not any(n and n.casefold().startswith(partner.group(1).casefold()) for n in names):
            continue  # "signed an agreement with Shimonoseki in 1976": another partner's year  # "signed an agreement with Shimonoseki in 1976": another partner's year
        return int(m.group("year"))
    return None


_LEADING_YEAR = re.compile(
    r"(?i)(?:^\W*|[-—–:]\s+)(?:(?P<since>since)|in|back in)\s+(?:(?:" + dates_mod.MONTHS + r")\s+(?:\d{1,2},?\s+)?(?:of\s+)?)?"
    r"(?P<year>(?:19|20)\d{2}),?\s+(?P<rest>[^.;]{0,160})"
)
_AGREED_IN = re.compile(r"(?i)\b(?P<since>)agreed\s+in\s+(?P<year>(?:19|20)\d{2})\s+(?P<rest>to\s+(?:form|establish|become|create|twin)[^.;]{0,60})")
_TIE_VERB = re.compile(r"(?i)\b(signed|established|entered|formed|became|twinned|forged|set up|inked|concluded|launched|adopted|agreed|paired|partnered|linked)\b")
_TIE_NOUN = re.compile(r"(?i)\b(sister|twin\w*|partner\w*|friendship|relationship|jumelage|ties)\b")
_SIGNED_LAST = re.compile(r"(?i)\b(?:signed|established|became|set up|formed|forged)\b[^.;]{0,60}?\b(?P<when>last\s+(?:year|" + dates_mod._FULL_MONTHS + r"))\b")


def _signed_last(text: str, published) -> int | None:
    """"the towns signed their twinning pact last March": the year it began."""
    m = _SIGNED_LAST.search(text)
    if m is None or published is None or _NOT_ESTABLISHING.search(m.group(0)):
        return None
    found = dates_mod.find_dates(m.group("when"), published)
    return dates_mod.year_of(found[0].value) if found else None


_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?", re.I)


def _header_line(text: str, published) -> bool:
    """A page's date line ("2015-10-08 18:17:32", "Createdd 2005-10-19 Hit 6322", "Posted on
    May 3, 2019 at 9:15 AM"): a date and at most a few words."""
    mentions = dates_mod.find_dates(text, published)
    if not mentions and not re.search(r"\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b", text):
        return False
    rest = _CLOCK.sub(" ", text)
    for mention in mentions:
        rest = rest.replace(mention.text, " ")
    rest = re.sub(r"\b(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b", " ", rest)
    return len(re.findall(r"[A-Za-z]{2,}", rest)) <= 4


def _dated_long_ago(text: str, published) -> bool:
    """The sentence's own date is long before publication ("visited Harbin in January 2006")."""
    found = dates_mod.date_in(text, published)
    return found is not None and _is_old(text[max(0, found.start - 8) : found.end], published)


_YEARS = re.compile(r"\b(?:19|20)\d{2}\b")


def _several_years(text: str) -> bool:
    return len(set(_YEARS.findall(text))) >= 3


def _recent_background(text: str, published):
    """A recent "since March 31" in the sentence (a tie's "since 1994" is old, not this)."""
    for mention in dates_mod.find_dates(text, published):
        if mention.background and mention.precision in ("day", "month") and not mention.reporting:
            if published is None or not _is_old(mention.text, published):
                return mention
    return None


def _history(reading: Reading, index: int, published) -> bool:
    """An undated signing told after "Between 1979 and 1981, volunteers ..." in the same
    paragraph of a 2012 page: the story of how the tie began, not news."""
    sentence = reading.sentences[index]
    if published is None or sentence.paragraph == 0 or dates_mod.date_in(sentence.text, published) is not None:
        return False
    for back in range(index - 1, max(-1, index - 4), -1):
        earlier = reading.sentences[back]
        if earlier.paragraph != sentence.paragraph:
            break
        years = [int(y) for y in _YEARS.findall(earlier.text)]
        if years:
            return max(years) < published.year - 1
        if any(re.search(r"\d", d.text) for d in dates_mod.find_dates(earlier.text, published)):
            return False  # "On May 5 ...": a dated account of now
    return False


def _adjacent(reading: Reading, index: int) -> list[Sentence]:
    return [reading.sentences[i] for i in (index - 1, index + 1) if 0 <= i < len(reading.sentences)]


def _lead_date(reading: Reading, published) -> str | None:
    """A news lead dates its event once ("On June 2, ...", "... toured the port on Monday"):
    the first day-level date of the first body paragraph, else an opening "On June 2"."""
    body = [s for s in reading.sentences if s.paragraph > 0 and len(s.text.split()) >= 4 and not _header_line(s.text, published)]
    lead = [s for s in body if s.paragraph == body[0].paragraph] if body else []
    for sentence in lead:
        found = dates_mod.date_in(sentence.text, published)
        if found is not None and found.precision in ("day", "month") and not found.reporting:
            return found.value
    for sentence in reading.sentences[:8]:
        found = dates_mod.date_in(sentence.text, published)
        if found is not None and found.precision == "day" and sentence.text.lstrip().lower().startswith(("on ", found.text.lower())):
            return found.value
    return None
