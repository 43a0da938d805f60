"""Turn one article's reading into relations: pair, resolve, then describe each pair."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from amity.extract import dates as dates_mod
from amity.extract.claims import find_claims
from amity.extract.events import classify_sentence, strongest
from amity.extract.nlp import load_nlp
from amity.extract.officials import find_fields, find_officials, has_cooperation_cue
from amity.extract.pairs import RULE_CONFIDENCE, PairCandidate, pair_parties
from amity.extract.places import Party
from amity.extract.reading import Reading, Sentence, find_anchor, read
from amity.prefilter import find_triggers, prefilter, trigger_tiers
from amity.resolve.gazetteer import Gazetteer, load_gazetteer
from amity.types import Article, Claim, Official, Place, Relation

_LIST_ITEM = re.compile(r"^\s*(?:[■□●•◆◇▪▶*·\-–]|\d{1,2}[.)])\s*\S")
_TWO_PLACES = re.compile(r"(?i)\b(the two (cities|towns|municipalities|districts|provinces|regions)|both (cities|towns))\b")
_ANAPHORA = re.compile(
    r"(?i)\b(the two (cities|sides|municipalities|towns|provinces|regions|partners|districts)|"
    r"both (cities|sides|towns|municipalities)|their (sister|twin|friendship|partnership|relationship|ties|twinning)|"
    r"the (twinning|partnership|relationship|ties|link|pact|charter|sister[- ]city (relationship|ties|relations|agreement)|friendship city relationship)|"
    r"the ([\w-]+ )?(agreement|twinning agreement|partnership agreement))\b"
)
_ORDINALS = {
    "first": 1, "fifth": 5, "tenth": 10, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25,
    "thirtieth": 30, "thirty-fifth": 35, "fortieth": 40, "forty-fifth": 45, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "seventy-fifth": 75, "hundredth": 100,
}
_ANNIVERSARY = re.compile(
    r"(?i)\b(?:(?P<n>\d{1,3})(?:st|nd|rd|th)|(?P<word>" + "|".join(_ORDINALS) + r"))\s+"
    r"(?:\w+\s+){0,3}?(?:anniversary|jubilee)|"
    r"\b(?P<years>\d{1,3})\s+years\s+(?:of|as)\s+(?:\w+\s+){0,2}(?:twinning|sister|friendship|partnership|twin|ties|friendly|cooperation)"
)
_ESTABLISHED = re.compile(
    r"(?i)\b(?:established|set up|formed|forged|signed|twinned|twin|began|started|inked|concluded|"
    r"became|linking|linked|paired|partnered|dates? back|dating back|dates? from|dating from|"
    r"(?:sister|twin|partner|friendship|friendly)[- ](?:cit(?:y|ies)|towns?|states?|provinces?|regions?|districts?|counties)|"
    r"twinning|partners|ties|relationship|relations|partnership|link|agreement)\b"
    r"(?P<between>[^.;]{0,60}?)\b(?:in|since|back in|as early as|to|from)\s+(?:[A-Z]\w+\s+\d{1,2}\s+\()?(?P<year>(?:19|20)\d{2})\b"
)
_NOT_ESTABLISHING = re.compile(r"(?i)\b(initiative|talks|negotiat\w*|discuss\w*|contacts?|idea|process|effort|plans?|proposal|letter of intent|memorandum)\b")
_MAYORAL = ("Mayor", "Lord Mayor", "Governor", "Party Secretary", "Burgomaster")


@dataclass
class _PairRecord:
    """Everything the article says about one pair while it is being assembled."""

    a: Party
    b: Party
    confidence: float
    sentences: set[int] = field(default_factory=set)  # where the pair itself is stated
    context: set[int] = field(default_factory=set)  # anaphora and both-names sentences


class Extractor:
    """The extract stage: `Extractor()(article)` fills article.relations and article.claims."""

    name = "extract"

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.nlp = load_nlp()

    def __call__(self, article: Article) -> Article:
        article.relations, article.claims = self.find(article)
        return article

    def find(self, article: Article) -> tuple[list[Relation], list[Claim]]:
        if article.relevant is None:
            prefilter(article)
        if not article.relevant:
            return [], []
        reading = read(article.full_text, self.nlp, self.gazetteer)
        article.country_mentions = dict(reading.country_counts)
        records = self._pairs(reading)
        paired = [{r.a.name.casefold(), r.b.name.casefold()} for r in records]
        relations = [self._describe(reading, record, article, paired) for record in records]
        relations = [r for r in relations if r is not None]
        return relations, self._claims(reading)

    # -- pairs ------------------------------------------------------------------------------
    def _pairs(self, reading: Reading) -> list[_PairRecord]:
        anchor = find_anchor(reading)
        _expand_short_names(reading)
        records: dict[tuple[str, str], _PairRecord] = {}
        for sentence in reading.sentences:
            if sentence.relation_tiers:
                triggers = sentence.trigger_tokens()
            elif sentence.relation_words and len(sentence.parties) >= 2:
                triggers = []  # "partnership with X": enough for two named parties, not for one
            else:
                continue
            doc = sentence.span.doc
            for candidate in pair_parties(doc, sentence.parties, triggers, anchor):
                key = _name_key(candidate.a, candidate.b)
                if key[0] == key[1] or _nested(candidate):
                    continue
                record = records.get(key)
                if record is None:
                    record = records[key] = _PairRecord(candidate.a, candidate.b, candidate.confidence)
                record.confidence = max(record.confidence, candidate.confidence)
                record.sentences.add(sentence.index)
        self._anaphora_pairs(reading, records)
        self._listed_partners(reading, records, anchor)
        # sentences naming both places, and "the two cities" after a pair was named
        ordered = sorted(records.values(), key=lambda r: min(r.sentences))
        for sentence in reading.sentences:
            names = {p.name.casefold() for p in sentence.parties}
            for record in ordered:
                if {record.a.name.casefold(), record.b.name.casefold()} <= names:
                    record.context.add(sentence.index)
            if _ANAPHORA.search(sentence.text):
                before = [r for r in ordered if min(r.sentences | r.context | {10**9}) <= sentence.index]
                target = max(before, key=lambda r: max(i for i in r.sentences | r.context if i <= sentence.index), default=None)
                if target is None and len(ordered) == 1:
                    target = ordered[0]
                if target is not None:
                    target.context.add(sentence.index)
        return ordered

    @staticmethod
    def _anaphora_pairs(reading: Reading, records: dict[tuple[str, str], _PairRecord]) -> None:
        """"Since the two cities established friendly city relations in 2016": the two cities
        are the last two places named together before (often the headline)."""
        stated = {i for r in records.values() for i in r.sentences}
        for sentence in reading.sentences:
            if sentence.index in stated or not sentence.relation_tiers or not _TWO_PLACES.search(sentence.text):
                continue
            for back in range(sentence.index, max(-1, sentence.index - 8), -1):
                earlier = reading.sentences[back]
                names: list[Party] = []
                for party in earlier.parties:
                    if party.kind != "province" and party.name.casefold() not in {p.name.casefold() for p in names}:
                        names.append(party)
                if len(names) == 2:
                    a, b = names
                    key = _name_key(a, b)
                    record = records.get(key) or records.setdefault(key, _PairRecord(a, b, RULE_CONFIDENCE["anaphora"]))
                    record.sentences.add(sentence.index)
                    break
                if len(names) > 2:
                    break

    def _listed_partners(self, reading: Reading, records: dict[tuple[str, str], _PairRecord], anchor: Party | None) -> None:
        """A city hall page lists its partners under a heading: "Sister Cities ... ■ Buffalo
        (United States of America, New York State)". Each item pairs with the site's city."""
        if anchor is None:
            return
        heading_seen = False
        current: _PairRecord | None = None  # the item whose detail lines follow ("Date of affiliation: ...")
        for sentence in reading.sentences:
            text = sentence.text.strip()
            if sentence.relation_tiers and (text.endswith(":") or len(text.split()) <= 10) and not _LIST_ITEM.match(text):
                heading_seen, current = True, None
                continue
            if not heading_seen:
                continue
            if not _LIST_ITEM.match(text):
                if current is not None:
                    current.context.add(sentence.index)
                continue
            current = None
            party = self._item_place(sentence) or (sentence.parties[0] if sentence.parties else None)
            if party is None or party.name.casefold() == anchor.name.casefold():
                continue
            key = _name_key(anchor, party)
            current = records.get(key) or records.setdefault(key, _PairRecord(anchor, party, RULE_CONFIDENCE["anchor"]))
            current.sentences.add(sentence.index)

    def _item_place(self, sentence: Sentence) -> Party | None:
        """"■ Buffalo (United States ...)": a list item opens with its place even when the word
        is an ordinary one elsewhere (Buffalo, Reading, Nancy)."""
        words = [t for t in sentence.span if not t.is_punct and t.text not in "■□●•◆◇▪▶*·"]
        colon = next((t.i for t in sentence.span[:6] if t.text == ":"), None)
        if colon is not None:  # "- Sister City: Durham, North Carolina": the label is not the place
            words = [t for t in words if t.i > colon]
        if not words or not words[0].text[:1].isupper():
            return None
        end = words[0].i + 1
        while end < sentence.span.end and sentence.span.doc[end].text[:1].isupper() and end - words[0].i < 4:
            end += 1
        for stop in range(end, words[0].i, -1):
            text = sentence.span.doc[words[0].i : stop].text
            if self.gazetteer.is_place_name(text):
                return Party(text=text, start=words[0].i, end=stop, qualifier_end=stop)
        return None

    # -- one relation -----------------------------------------------------------------------
    def _describe(self, reading: Reading, record: _PairRecord, article: Article, paired: list[set[str]]) -> Relation | None:
        qualifiers = _article_qualifiers(reading)
        a_place, b_place = self._place(record.a, qualifiers), self._place(record.b, qualifiers)
        stated = sorted(record.sentences)
        related = sorted(record.sentences | record.context)
        # relative dates ("on Sunday") read against the publication date, else the dateline's
        published = article.published or _dateline_reference(reading)
        events: list[tuple[str, int, int]] = []  # (event, sentence index, cue start)
        established_stated: int | None = None
        for index in related:
            sentence = reading.sentences[index]
            span = sentence.parsed or sentence.span
            for event, cue in classify_sentence(span):
                if event == "agreement" and _is_old(sentence.text, published):
                    event = "mention"
                if event in ("suspension", "termination") and _motion_failed(reading.text, sentence.text):
                    event = "mention"  # "the resolution to suspend ... failed 3-6": nothing changed
                events.append((event, index, cue.start))
            established_stated = established_stated or _stated_establishment(sentence.text, (record.a.name, record.b.name))
        event = strongest([e for e, _, _ in events])
        decisive = self._decisive(reading, [i for e, i, _ in events if e == event], record, published)
        tier = self._tier(reading, record, related, paired)
        event_date = None if event == "mention" else self._event_date(reading, decisive, event, published)
        anniversary, established = self._establishment(reading, related, event, event_date, published, established_stated)
        paragraph_sentences = self._paragraph_sentences(reading, record, related)
        officials = self._officials(reading, a_place, b_place, record)
        relation = Relation(
            a=a_place,
            b=b_place,
            tier=tier,
            event=event,
            event_date=event_date,
            established=established,
            anniversary=anniversary,
            officials=officials,
            fields=find_fields([reading.sentences[i].text for i in paragraph_sentences]),
            organizations=self._organizations(reading, paragraph_sentences),
            evidence=[reading.sentences[i].text.strip() for i in sorted({decisive, *stated[:2]})],
            confidence=self._confidence(record, a_place, b_place, len(related)),
        )
        return relation

    @staticmethod
    def _decisive(reading: Reading, candidates: list[int], record: _PairRecord, published) -> int:
        """The sentence that best states the event: one naming the pair, dated, not the title."""
        if not candidates:
            return min(record.sentences)

        def rank(index: int) -> tuple[int, int, int, int]:
            sentence = reading.sentences[index]
            dated = dates_mod.date_in(sentence.text, published) is not None
            return (index not in record.sentences, not dated, sentence.paragraph == 0, index)

        return min(candidates, key=rank)

    @staticmethod
    def _place(party: Party, qualifiers: dict[str, Party]) -> Place:
        """The place as the article writes it; the resolve stage ties it to GeoNames."""
        known = qualifiers.get(party.name.casefold(), party)
        return Place(
            name=party.name,
            written=party.text if party.text != party.name else None,
            country=party.country or known.country,
            admin1=party.admin1 or known.admin1,
            kind=party.kind,  # type: ignore[arg-type]
            parent=party.parent or known.parent,
        )

    def _tier(self, reading: Reading, record: _PairRecord, related: list[int], paired: list[set[str]]) -> str:
        """The tier word nearest to the pair's names in the sentences that state the pair."""
        tiers = trigger_tiers()
        best: tuple[int, str] | None = None
        for index in sorted(record.sentences):
            sentence = reading.sentences[index]
            lowered = sentence.text.casefold()
            positions = [m.start() for p in (record.a, record.b) for m in re.finditer(re.escape(p.name.casefold()), lowered)]
            for start, _end, term in sentence.triggers:
                if tiers[term] == "none":
                    continue
                distance = min((abs(start - p) for p in positions), default=10**6)
                if best is None or distance < best[0]:
                    best = (distance, tiers[term])
        if best is not None:
            hint = best[1]
        else:
            votes = Counter(t for i in related for t in reading.sentences[i].relation_tiers)
            hint = votes.most_common(1)[0][0] if votes else "sister"
        if hint == "ambiguous":
            return self._ambiguous_tier(reading, record, paired)
        return hint

    @staticmethod
    def _ambiguous_tier(reading: Reading, record: _PairRecord, paired: list[set[str]]) -> str:
        """"friendship city" is how Chinese releases say sister city, unless the article sets it
        against pairs it calls sister cities: then it is the lower, friendly tier."""
        own = {record.a.name.casefold(), record.b.name.casefold()}
        uses_sister = False
        for sentence in reading.sentences:
            if "sister" not in sentence.relation_tiers:
                continue
            uses_sister = True
            names = {p.name.casefold() for p in sentence.parties}
            if any(len(pair & names) == 2 and pair != own for pair in paired):
                return "friendly"
        return "sister" if uses_sister else "friendly"

    def _event_date(self, reading: Reading, decisive: int, event: str, published) -> str | None:
        sentence = reading.sentences[decisive]
        prefer = "future" if event == "proposal" and re.search(r"(?i)\b(will|next|upcoming|scheduled|to be signed)\b", sentence.text) else "past"
        found = dates_mod.date_in(sentence.text, published, prefer)
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
            return _lead_date(reading, published)
        return None

    def _establishment(self, reading, related, event, event_date, published, stated):
        anniversary = None
        for index in related:
            m = _ANNIVERSARY.search(reading.sentences[index].text)
            if m:
                anniversary = int(m.group("n") or m.group("years") or _ORDINALS[m.group("word").lower()])
                break
        if event in ("proposal", "intent"):
            return anniversary, None
        if stated:
            return anniversary, stated
        if anniversary is not None and event == "anniversary":
            year = dates_mod.year_of(event_date) or (published.year if published else None)
            if year:
                return anniversary, year - anniversary
        return anniversary, None

    def _paragraph_sentences(self, reading: Reading, record: _PairRecord, related: list[int]) -> list[int]:
        names = {record.a.name.casefold(), record.b.name.casefold()}
        paragraphs = {reading.sentences[i].paragraph for i in related}
        for sentence in reading.sentences:
            if names & {p.name.casefold() for p in sentence.parties}:
                paragraphs.add(sentence.paragraph)
        return [s.index for s in reading.sentences if s.paragraph in paragraphs]

    def _officials(self, reading: Reading, a: Place, b: Place, record: _PairRecord) -> list[Official]:
        body = reading.text
        officials = find_officials(body, self.gazetteer.is_place_name)
        sides = {_norm(n): place for place in (a, b) for n in _names_of(place, record)}
        attached: list[Official] = []
        for official in officials:
            if official.of and _norm(official.of) in sides:
                official.of = sides[_norm(official.of)].name
                attached.append(official)
        served = {o.of for o in attached}
        unserved = [p.name for p in (a, b) if p.name not in served]
        for official in officials:
            if official.of is None and official.role in _MAYORAL and len(unserved) == 1:
                official.of = unserved.pop()
                attached.append(official)
        # people named without a place ("Board chair Jukka Heikkinen") in the sentences about
        # this pair belong to its story too
        related_text = " ".join(reading.sentences[i].text for i in record.sentences | record.context)
        paragraphs = {reading.sentences[i].paragraph for i in record.sentences | record.context}
        nearby = " ".join(s.text for s in reading.sentences if s.paragraph in paragraphs)
        for official in officials:
            if official in attached or (official.of and _norm(official.of) not in sides):
                continue
            if official.name in related_text or official.name in nearby:
                attached.append(official)
        return attached

    def _organizations(self, reading: Reading, sentence_indexes: list[int]) -> list[str]:
        found: list[str] = []
        for index in sentence_indexes:
            sentence = reading.sentences[index]
            if not (sentence.relation_tiers or has_cooperation_cue(sentence.text)):
                continue
            for ent in sentence.span.ents:
                if ent.label_ != "ORG" or "," in ent.text:
                    continue
                name = ent.text.removeprefix("the ").removeprefix("The ").strip()
                if len(name) < 3 or self.gazetteer.is_place_name(name) or name in found:
                    continue
                found.append(name)
        return found

    @staticmethod
    def _confidence(record: _PairRecord, a: Place, b: Place, mentions: int) -> float:
        """How sure the pairing rule is, raised by every further sentence about the pair."""
        support = min(1.0, 0.85 + 0.05 * mentions)
        return round(min(0.99, record.confidence * support), 3)

    # -- claims -----------------------------------------------------------------------------
    def _claims(self, reading: Reading) -> list[Claim]:
        """National aggregate counts, in sentences with any relation vocabulary (even inside a
        name such as "Sister Cities International")."""
        claims: list[Claim] = []
        for sentence in reading.sentences:
            if sentence.relation_tiers or sentence.relation_words or find_triggers(sentence.text):
                claims.extend(find_claims(sentence.text, self.gazetteer.country_codes_in))
        return claims


def find_relations(article: Article, extractor: Extractor | None = None) -> list[Relation]:
    """The relations an article reports, without changing the article.

    Example: find_relations(make_article("Bor and Longyan signed a twinning agreement."))
    """
    extractor = extractor or _default_extractor()
    copy = Article(**{**article.__dict__, "relations": [], "claims": [], "errors": []})
    return extractor.find(copy)[0]


_EXTRACTOR: Extractor | None = None


def _default_extractor() -> Extractor:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR


def _norm(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


def _names_of(place: Place, record: _PairRecord) -> set[str]:
    names = {place.name}
    if place.canonical:
        names.add(place.canonical)
    for party in (record.a, record.b):
        if party.name.casefold() == place.name.casefold():
            names.add(party.text)
    return names


def _name_key(a: Party, b: Party) -> tuple[str, str]:
    return tuple(sorted((a.name.casefold(), b.name.casefold())))  # type: ignore[return-value]


def _nested(candidate: PairCandidate) -> bool:
    """A district and its own parent city, or a city and its own province, are not a pair."""
    a, b = candidate.a, candidate.b
    return (
        (a.parent or "").casefold() == b.name.casefold()
        or (b.parent or "").casefold() == a.name.casefold()
        or (a.admin1 or "").casefold() == b.name.casefold()
        or (b.admin1 or "").casefold() == a.name.casefold()
    )


def _expand_short_names(reading: Reading) -> None:
    """A later "Hay" means the "Hay-on-Wye" named earlier: use the full hyphenated name."""
    full_names = {p.text for s in reading.sentences for p in s.parties}
    for sentence in reading.sentences:
        for party in sentence.parties:
            longer = [n for n in full_names if n != party.text and re.match(re.escape(party.text) + r"-", n)]
            if len(longer) == 1:
                party.text = longer[0]


def _article_qualifiers(reading: Reading) -> dict[str, Party]:
    """The most qualified mention of each name: 'Goyang, Gyeonggi province in South Korea'."""
    best: dict[str, Party] = {}
    for sentence in reading.sentences:
        names = [p.name.casefold() for p in sentence.parties]
        for party in sentence.parties:
            if names.count(party.name.casefold()) > 1:
                continue  # "Perth ... its namesake Perth in Western Australia": two places
            key = party.name.casefold()
            if key not in best or party.qualifiers > best[key].qualifiers:
                best[key] = party
    return best


def _is_old(text: str, published) -> bool:
    """'established sister-city ties in 1994' in a 2024 article is background, not news."""
    if published is None:
        return bool(re.search(r"\b(in|since)\s+(19\d{2}|20[01]\d)\b", text)) and not re.search(r"(?i)\b(today|this (week|month|year)|on \w+ \d)", text)
    years = [int(y) for y in re.findall(r"\b(?:in|since|back in)\s+((?:19|20)\d{2})\b", text)]
    return bool(years) and max(years) < published.year - 1


_MOTION = re.compile(r"(?i)\b(motion|resolution|ordinance|proposal|moved|bill|petition)\b")
_DEFEAT = re.compile(r"(?i)\b(motion|resolution|ordinance|proposal|bill|it)\s+(failed|fell|was (defeated|rejected|voted down|lost|withdrawn)|did not pass)\b|\b(voted down|defeated the|rejected the (motion|resolution|proposal))\b")


def _motion_failed(article_text: str, sentence: str) -> bool:
    """A suspension or ending that was only moved, in an article that says the motion failed."""
    return bool(_MOTION.search(sentence)) and bool(_DEFEAT.search(article_text))


_SINCE_YEAR = re.compile(r"(?i)\b(?:since|from|dating from|established in|signed in|twinned in)\s+(?:\w+\s+\d{1,2},?\s+)?(?P<year>(?:19|20)\d{2})\b")
_AFFILIATION = re.compile(r"(?i)\b(?:date of (?:affiliation|twinning|agreement)|affiliated|twinned|established|since)\s*:\s*(?:[A-Za-z]+\.?\s+\d{1,2},?\s+)?(?P<year>(?:19|20)\d{2})\b")


def _stated_establishment(text: str, names: tuple[str, str] = ("", "")) -> int | None:
    """The year a sentence says the relation began: "sister cities since 1979", "the
    relationship, established in 1992", "Date of affiliation: May 20, 1967". In a list of
    partners ("Toruń, since 1978, and Pau, since 1982") the year after the partner's name wins."""
    lowered = text.casefold()
    for name in names:
        at = lowered.find(name.casefold()) if name else -1
        if at < 0:
            continue
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
        return int(m.group("year"))
    return None


def _dateline_reference(reading: Reading):
    for sentence in reading.sentences[:6]:
        found = dates_mod.dateline_date(sentence.text)
        if found is not None:
            return found
    return None


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


