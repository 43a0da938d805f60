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
    for index in related:
        sentence = reading.sentences[index]
        span = sentence.parsed or sentence.span
        for event, cue in classify_sentence(span):
            if event in ("agreement", "intent") and (_is_old(sentence.text, published) or _listing(sentence)):
                event = "mention"  # a tie signed long ago, or one of a city's listed partners
            if event in ("suspension", "termination") and _motion_failed(reading.text, sentence.text):
                event = "mention"  # "the resolution to suspend ... failed 3-6": nothing changed
            events.append((event, index, cue.start))
        others = tuple(p.name for p in sentence.parties if p.name.casefold() not in {n.casefold() for n in names})
        established_stated = established_stated or _stated_establishment(sentence.text, names, others) or _signed_last(sentence.text, published)
    event = strongest([e for e, _, _ in events])
    # a headline naming the pair states the news ("UB Mayor proposes sisterhood with Tokyo"); a
    # body sentence only overrides it with an ending or a suspension
    headline = [e for e, i, _ in events if i in stated and reading.sentences[i].paragraph == 0 and e != "mention"]
    if headline and event not in ("termination", "suspension"):
        event = strongest(headline)
    decisive = _decisive(reading, [i for e, i, _ in events if e == event], stated, published)
    event_date = None if event == "mention" else _event_date(reading, decisive, event, published, related)
    anniversary, established = _establishment(reading, related, event, event_date, published, established_stated)
    return Description(event, event_date, established, anniversary, decisive)


_ORDINALS = {
    "first": 1, "fifth": 5, "tenth": 10, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25,
    "thirtieth": 30, "thirty-fifth": 35, "fortieth": 40, "forty-fifth": 45, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "seventy-fifth": 75, "hundredth": 100,
}  # fmt: skip
_ANNIVERSARY = re.compile(
    r"(?i)\b(?:(?P<n>\d{1,3})(?:st|nd|rd|th)|(?P<word>" + "|".join(_ORDINALS) + r"))\s+"
    r"(?:\w+\s+){0,3}?(?:anniversary|jubilee)|"
    r"\b(?P<years>\d{1,3})\s+years\s+(?:of|as)\s+(?:\w+\s+){0,2}(?:twinning|sister|friendship|partnership|twin|ties|friendly|cooperation)"
)
_ESTABLISHED = re.compile(
    r"(?i)\b(?:established|set up|formed|forged|signed|twinned|twin|began|started|inked|concluded|"
    r"became|linking|linked|paired|partnered|dates? back|dating back|dates? from|dating from|"
    r"(?:sister|twin|partner|friendship|friendly)[- ](?:cit(?:y|ies)|towns?|states?|provinces?|regions?|districts?|counties)|"
    r"twinning|partners|ties|relationship|relations|partnership|links?|agreement|affiliation)\b"
    r"(?P<between>[^.;]{0,60}?)\b(?:in|since|back in|as early as|to|from|on)\s+(?:[A-Z]\w+\s+\d{1,2}\s+\()?"
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
    for neighbour in reading.paragraph_of(decisive) + _adjacent(reading, decisive):
        if neighbour.index == decisive or abs(neighbour.index - decisive) > 1:
            continue
        near = dates_mod.date_in(neighbour.text, published, prefer)
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
    return reported.value if reported is not None else None


def _establishment(reading, related, event, event_date, published, stated):
    anniversary, when = None, None
    for index in related:
        text = reading.sentences[index].text
        for m in _ANNIVERSARY.finditer(text):
            number = int(m.group("n") or m.group("years") or _ORDINALS[m.group("word").lower()])
            if number > 100 or not anniversary_of_the_tie(text, EventCue("anniversary", m.start(), m.end(), m.group(0))):
                continue  # "the 400th anniversary of the festival"
            anniversary = number
            dated = dates_mod.date_in(text, published)
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


_PARENTHESISED_YEAR = re.compile(r"\(\s*(?:19|20)\d{2}\s*\)")
_PERFECT = re.compile(r"(?i)\b(has|have)\s+(\w+\s+)?(established|signed|formed|forged|set up|concluded|twinned|partnered)\b")


def _listing(sentence: Sentence) -> bool:
    """A sentence listing a city's partners ("X has established sister city relationships with
    A, B (1982), C (1983) and D") reports no new agreement."""
    if len(_PARENTHESISED_YEAR.findall(sentence.text)) >= 2:
        return True
    names = {p.name.casefold() for p in sentence.parties}
    return len(names) >= 4 and bool(_PERFECT.search(sentence.text))


_MOTION = re.compile(r"(?i)\b(motion|resolution|ordinance|proposal|moved|bill|petition)\b")
_DEFEAT = re.compile(r"(?i)\b(motion|resolution|ordinance|proposal|bill|it)\s+(failed|fell|was (defeated|rejected|voted down|lost|withdrawn)|did not pass)\b|\b(voted down|defeated the|rejected the (motion|resolution|proposal))\b")


def _motion_failed(article_text: str, sentence: str) -> bool:
    """A suspension or ending that was only moved, in an article that says the motion failed."""
    return bool(_MOTION.search(sentence)) and bool(_DEFEAT.search(article_text))


_SINCE_YEAR = re.compile(r"(?i)\b(?:since|from|dating from|established in|signed in|twinned in)\s+(?:\w+\s+\d{1,2},?\s+)?(?P<year>(?:19|20)\d{2})\b")
_AFFILIATION = re.compile(r"(?i)\b(?:date of (?:affiliation|twinning|agreement)|affiliated|twinned|established|since)\s*:\s*(?:[A-Za-z]+\.?\s+\d{1,2},?\s+)?(?P<year>(?:19|20)\d{2})\b")


_LISTED_YEAR = re.compile(r"[^();.]{0,45}?\(\s*(?P<year>(?:19|20)\d{2})\s*\)")
_WITH_PARTNER = re.compile(r"\bwith\s+(?:the\s+)?(?:(?:city|town|county|province) of\s+)?([A-Z][\w'’-]+)")


def _stated_establishment(text: str, names: tuple[str, str] = ("", ""), others: tuple[str, ...] = ()) -> int | None:
    """The year a sentence says the relation began: "sister cities since 1979", "the
    relationship, established in 1992", "Date of affiliation: May 20, 1967". In a list of
    partners ("Toruń, since 1978, and Pau, since 1982") the year after the partner's name wins."""
    lowered = text.casefold()
    for name in names:
        at = lowered.find(name.casefold()) if name else -1
        if at < 0:
            continue
        listed = _LISTED_YEAR.match(text, at + len(name))
        if listed and not any(o and o.casefold() in listed.group(0).casefold() for o in others):
            return int(listed.group("year"))  # "Kuala Lumpur, Malaysia (1989);"
        m = _SINCE_YEAR.search(text, at + len(name))
        if m and m.start() - at < 90 and not any(n and n.casefold() in lowered[at + len(name) : m.start()] for n in names):
            later = [p for p in re.finditer(r"\b[A-Z][\w-]+", text[at + len(name) : m.start()])]
            if len(later) <= 6 and not _NOT_ESTABLISHING.search(text[at : m.start()]):
                return int(m.group("year"))
    m = _AFFILIATION.search(text)
    if m:
        return int(m.group("year"))
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


_SIGNED_LAST = re.compile(r"(?i)\b(?:signed|established|became|set up|formed|forged)\b[^.;]{0,60}?\b(?P<when>last\s+(?:year|" + dates_mod._FULL_MONTHS + r"))\b")


def _signed_last(text: str, published) -> int | None:
    """"the two cities signed a sister city agreement last October": the year it began."""
    m = _SIGNED_LAST.search(text)
    if m is None or published is None or _NOT_ESTABLISHING.search(m.group(0)):
        return None
    found = dates_mod.find_dates(m.group("when"), published)
    return dates_mod.year_of(found[0].value) if found else None


def _adjacent(reading: Reading, index: int) -> list[Sentence]:
    return [reading.sentences[i] for i in (index - 1, index + 1) if 0 <= i < len(reading.sentences)]


def _lead_date(reading: Reading, published) -> str | None:
    """A news lead dates its event once ("On June 2, ...", "... toured the port on Monday"):
    the first day-level date of the first body paragraph, else an opening "On June 2"."""
    body = [s for s in reading.sentences if s.paragraph > 0]
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
