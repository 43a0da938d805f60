"""Reading an article into sentences with their places, relation words and parses."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from amity.extract.nlp import PLACES_KEY, lemmas_on_demand, place_suffixes
from amity.extract.places import Party, find_parties
from amity.gazetteer.index import Gazetteer
from amity.gazetteer.names import normalize
from amity.prefilter import excluded_spans, relation_triggers, trigger_tiers
from amity.resources import data_lines


@functools.cache
def _relation_word_alternation() -> str:
    """The relation words as one regex alternation, longest first."""
    words = sorted(data_lines("lexicons/relation_words.en.txt"), key=len, reverse=True)
    return "|".join(map(re.escape, words))


@functools.cache
def _relation_words() -> re.Pattern[str]:
    return re.compile(r"(?i)\b(" + _relation_word_alternation() + r")\b")


@functools.cache
def _relation_words_anywhere() -> re.Pattern[str]:
    """The relation words even inside other words ("ties" in "activities")."""
    return re.compile(r"(?i)(?:" + _relation_word_alternation() + r")")


def _has_relation_words(text: str) -> bool:
    """Relation talk outside names like "the Twin Cities" or "Sister Cities International"."""
    if not _relation_words_anywhere().search(text):
        return False  # blanking the exclusions below can only remove words, not bring any
    for start, end in excluded_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return bool(_relation_words().search(text))


_PARAGRAPH_BREAK = re.compile(r"\n+")


@dataclass
class Sentence:
    index: int
    paragraph: int
    span: Span  # from the cheap pass (sentences, entities, places)
    start: int  # character offset in the article text
    triggers: list[tuple[int, int, str]] = field(default_factory=list)  # sentence-relative chars
    parties: list[Party] = field(default_factory=list)
    parsed: Span | None = None  # only for sentences holding relation words
    relation_words: bool = (
        False  # "partnership", "ties": relation talk once the article is relevant
    )

    @functools.cached_property
    def text(self) -> str:  # read thousands of times per article; Span.text joins tokens
        return self.span.text

    @property
    def relation_tiers(self) -> list[str]:
        tiers = trigger_tiers()
        return [tiers[t[2]] for t in self.triggers if tiers[t[2]] != "none"]

    def trigger_tokens(self) -> list[tuple[int, int]]:
        """Relation words as doc token ranges (for distance checks in pairing)."""
        spans = []
        for start, end, _ in self.triggers:
            if trigger_tiers()[_] == "none":
                continue
            span = self.span.doc.char_span(
                self.span.start_char + start, self.span.start_char + end, alignment_mode="expand"
            )
            if span is not None:
                spans.append((span.start, span.end))
        return spans


@dataclass
class Reading:
    text: str
    sentences: list[Sentence]
    country_counts: Counter
    url: str | None = None  # where the article was published: a council's site names its owner
    site_town: Party | None = None  # a council site's own town that its text never names

    def paragraph_of(self, index: int) -> list[Sentence]:
        para = self.sentences[index].paragraph
        return [s for s in self.sentences if s.paragraph == para]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) pairs: one per non-empty line block."""
    found = []
    position = 0
    for piece in _PARAGRAPH_BREAK.split(text):
        offset = text.index(piece, position) if piece else position
        position = offset + len(piece)
        if piece.strip():
            found.append((offset, piece))
    return found


def read(text: str, nlp: Language, gazetteer: Gazetteer, url: str | None = None) -> Reading:
    """Cheap pass over every paragraph, full parse of the sentences with relation words."""
    hits = relation_triggers(text)
    sentences: list[Sentence] = []
    country_counts: Counter = Counter()
    pieces = paragraphs(text)
    # the cheap pass needs sentences, tags and entities; lemmas only matter in parsed sentences
    with nlp.select_pipes(disable=["parser", "lemmatizer"]):
        docs = list(nlp.pipe(p for _, p in pieces))
    full_names = _add_article_places(docs, gazetteer)
    people = _people_words(docs)
    for para_index, ((offset, _), doc) in enumerate(zip(pieces, docs, strict=True)):
        for place in doc.spans["amity_places"]:
            if place.label_ in ("country", "demonym"):
                code = gazetteer.country_code(place.text)
                if code:
                    country_counts[code] += 1
            elif place.label_ == "province":  # "Massachusetts" says US as clearly as "U.S." does
                regions = {iso2 for iso2, _name in gazetteer.admin1_of(place.text)}
                if len(regions) == 1:
                    country_counts[regions.pop()] += 1
        for span in doc.sents:
            start = offset + span.start_char
            end = offset + span.end_char
            sentence = Sentence(len(sentences), para_index, span, start)
            sentence.triggers = [(s - start, e - start, t) for s, e, t in hits if start <= s and e <= end]
            hypothetical = bool(sentence.triggers) and _hypothetical(span.text, sentence.triggers[0][0])
            if hypothetical:
                sentence.triggers = []  # "if Turku and Accra were sister cities, ...": no relation
            sentence.parties = [
                p for p in find_parties(span, gazetteer) if not _is_person_word(p, people, gazetteer)
            ]
            for party in sentence.parties:
                party.text = full_names.get(party.text, party.text)
                for note in party.notes:  # "Cambridge, MA" says US as clearly as "U.S." does
                    if note.startswith("region:"):
                        country_counts[note[7:]] += 1
            sentence.relation_words = not hypothetical and _has_relation_words(span.text)
            sentences.append(sentence)
    relevant = [s for s in sentences if s.relation_tiers]
    # the parse is read for tags, dependencies and lemmas only (events.py): NER and places
    # come from the cheap pass
    _parse(relevant, nlp)
    _drop_wire_datelines(sentences)
    reading = Reading(text, sentences, country_counts, url)
    reading.site_town = _unnamed_site_town(reading, gazetteer)
    return reading


def _parse(sentences: list[Sentence], nlp: Language) -> None:
    """Parse the relation sentences on what the cheap pass computed for them: its tokens, tags
    and tok2vec output (the parser reads `doc.tensor`), then the attribute ruler again (some of
    its rules read dependencies); lemmas are worked out when read (`lemma_of`). Each token
    goes through tok2vec and the tagger once. Against parsing each sentence's text afresh,
    the tags and parses differ only where the paragraph around a sentence changes the
    tok2vec output of its edge tokens: 13 of 9,947 tokens of news-dev's relation sentences,
    with the same output on every corpus (docs/scale.md, fourth session)."""
    if not sentences:
        return
    if any(len(s.span) == 0 or s.span.doc.tensor.shape[0] != len(s.span.doc) for s in sentences):
        _parse_afresh(sentences, nlp)  # a pipeline whose cheap pass left no tok2vec output
        return
    parser, ruler = nlp.get_pipe("parser"), nlp.get_pipe("attribute_ruler")
    tags = {}
    docs = []
    for sentence in sentences:
        span = sentence.span
        paragraph = span.doc
        if id(paragraph) not in tags:
            tags[id(paragraph)] = paragraph.to_array([TAG])
        spaces = [bool(t.whitespace_) for t in span]
        spaces[-1] = False  # the sentence's text, as the parse of `sentence.text` saw it
        doc = Doc(paragraph.vocab, words=[t.text for t in span], spaces=spaces)
        doc.from_array([TAG], tags[id(paragraph)][span.start : span.end])
        doc.tensor = paragraph.tensor[span.start : span.end]
        docs.append(doc)
    for sentence, doc in zip(sentences, parser.pipe(docs), strict=True):
        ruler(doc)
        lemmas_on_demand(doc, nlp)
        sentence.parsed = doc[:]


def _parse_afresh(sentences: list[Sentence], nlp: Language) -> None:
    """Each sentence's text through the whole pipeline but NER and places (their entities
    come from the cheap pass)."""
    with nlp.select_pipes(disable=["senter", "ner", "amity_place_ruler", "lemmatizer"]):
        for sentence, parsed in zip(sentences, nlp.pipe(s.text for s in sentences), strict=True):
            lemmas_on_demand(parsed, nlp)
            sentence.parsed = parsed[:]


# A condition contrary to fact: "if A and B were sister cities", "if only A had twinned".
_IF_CLAUSE = re.compile(r"(?i)\b(?:if|unless|suppose|imagine)\b")
_CONTRARY = re.compile(r"(?i)\b(?:were|had been|would|could|might)\b")


def _hypothetical(text: str, first_trigger: int) -> bool:
    """The relation words sit in a condition contrary to fact, not a statement."""
    head = text[:first_trigger]
    if_clause = None
    for match in _IF_CLAUSE.finditer(head):
        if_clause = match
    return if_clause is not None and bool(_CONTRARY.search(text, if_clause.end()))


_MONTH_WORDS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _is_dateline(span: Span, first: Party) -> bool:
    """'BOR. –', 'LYON —', 'KUCHING, Sept 14 —', 'Lyon, May 3 (Wire) —', 'Kanazawa:' open a news item;
    'Chen said Hubei, ...' does not."""
    doc = span.doc
    after = doc[first.qualifier_end : first.qualifier_end + 6]
    if not len(after) or after[0].text not in (",", ".", "(", "—", "–", "-", ":"):
        return False
    if doc[first.start].text.isupper() or after[0].text == ":":  # "Kanazawa: The city government said"
        return True
    return any(t.lower_.rstrip(".")[:4] in _MONTH_WORDS or t.text in ("—", "–") for t in after[1:])


# A news agency's mark after a dateline: "NANJING, Sept. 10 (Xinhua) --", "ASTANA. KAZINFORM –".
_WIRE = re.compile(
    r"\((?:Xinhua|AP|Reuters|AFP|Yonhap|Kyodo|Bernama|PTI|IANS|ANI|TASS|Anadolu|dpa|UzA|Trend)\)"
    r"|\b(?:KAZINFORM|XINHUA|YONHAP|BERNAMA|KYODO)\b"
)


def _drop_wire_datelines(sentences: list[Sentence]) -> None:
    """A wire story's dateline names where the reporter filed from, not a party: the Xinhua
    reporter in Chongqing writes of Fengdu County's ties, one in New York of Guangdong's."""
    for sentence in sentences[:12]:
        if sentence.span.start != 0 or not sentence.parties:
            continue
        first = sentence.parties[0]
        again = "repeated" in first.notes  # "CHANGSHA, Sept. 3 (Xinhua) -- Changsha and Kimhae ..."
        if first.start == 0 and not again and _is_dateline(sentence.span, first) and _WIRE.search(sentence.text[:80]):
            sentence.parties = sentence.parties[1:]
            return


def _site_owner(reading: Reading) -> Party | None:
    """"Sister Cities | Kanazawa City": the last segment of a page title names the site."""
    title = reading.sentences[0] if reading.sentences else None
    if title is None or title.paragraph != 0 or not title.parties:
        return None
    last = title.parties[-1]
    before = title.span.doc[max(0, last.start - 1) : last.start].text
    if before in ("|", "-", "–", "—", "::") and last.qualifier_end >= len(title.span.doc) - 2:
        return last
    return None


# Host names of public bodies and twinning sites: their name speaks for a place. A newspaper's
# name ("cebutimes", "derbyexpress") does not: it reports on others as often as on itself.
_OFFICIAL_HOST = re.compile(
    r"(?:^|[.-])(?:gov|govt|go|gob|gouv|gv|bel|lg|city|council|tc|cc|municipal)(?:[.-]|$)|legistar|sistercit|twinning|jumelage"
)


def _domain_labels(url: str | None) -> list[str]:
    """The words of an official URL's host name: "www.hertford-tc.gov.uk" -> [..., "hertford", ...]."""
    host = (urlsplit(url).hostname or "") if url else ""
    if not _OFFICIAL_HOST.search(host):
        return []
    return [w for label in host.split(".") for w in label.split("-") if len(w) >= 4]


def _squash(text: str) -> str:
    """A name as a host name writes it: the project's normal form, letters only."""
    return re.sub(r"[^a-z]", "", normalize(text))


def _url_owner(reading: Reading) -> Party | None:
    """A city whose name is a word of the page's host name: a council's own site
    ("springfield.legistar.com", "www.kanazawa.lg.jp", "fresnosistercity.org") speaks for it.
    The name must be at least five letters and begin the word, so "myberlin" or "dc" do not
    count; a long first word of the name may be the whole word ("daytona" for Daytona Beach)."""
    labels = _domain_labels(reading.url)
    if not labels:
        return None
    for sentence in reading.sentences:
        for party in sentence.parties:
            if party.kind != "city" or party.locator:
                continue
            words = [_squash(w) for w in party.name.split()]
            squashed = "".join(words)
            if len(squashed) >= 5 and any(label.startswith(squashed) for label in labels):
                return party
            if len(words) > 1 and len(words[0]) >= 6 and words[0] in labels:  # "daytona" for Daytona Beach
                return party
    return None


# A page in the first person about its links: "our French twin town", "our sister cities".
_FIRST_PERSON = re.compile(r"(?i)\bour\s+(?:[\w-]+\s+){0,3}?(?:twin|sister|partner|friendship)\b")
# What a council's host name adds to its town's name: "fresnosistercity", "sawbridgeworth-tc".
_SITE_WORDS = re.compile(r"(?:sistercit(?:y|ies)|twinning|jumelage|council|city|town)$")


def _unnamed_site_town(reading: Reading, gazetteer: Gazetteer) -> Party | None:
    """The town of an official site that speaks of "our twin towns" and never names itself:
    the first word of its host name ("www.sawbridgeworth-tc.gov.uk"), when GeoNames has a
    town of exactly that name (in the country of the domain when there are namesakes)."""
    labels = _domain_labels(reading.url)
    if not labels or not _FIRST_PERSON.search(reading.text) or _url_owner(reading) is not None:
        return None
    host = urlsplit(reading.url or "").hostname or ""
    tld = host.rsplit(".", 1)[-1].upper()
    for label in labels:
        word = label
        while (m := _SITE_WORDS.search(word)) and m.start() >= 5:
            word = word[: m.start()]
        if len(word) < 5:
            continue
        towns = [c for c in gazetteer.lookup(word, fuzzy=False) if c.match == "name" and c.kind == "city"]
        if towns:
            best = next((c for c in towns if c.country == {"UK": "GB"}.get(tld, tld)), towns[0])
            return Party(text=best.name, start=-1, end=-1, country=best.country, qualifier_end=-1)
    return None


def _people_words(docs) -> set[str]:
    """Words of multi-word personal names anywhere in the article ("Chen" of "Chen Ping")."""
    return {
        t.text
        for doc in docs
        for e in doc.ents
        if e.label_ == "PERSON" and len(e) > 1 and not any(w.lower_ in ("and", "&", ",") for w in e)
        for t in e
    }


def _is_person_word(party: Party, people: set[str], gazetteer: Gazetteer) -> bool:
    if party.end - party.start != 1 or party.text not in people:
        return False
    best = gazetteer.lookup(party.text)
    return not (best and best[0].match == "name" and best[0].population >= 100_000)


def _add_article_places(docs, gazetteer: Gazetteer) -> dict[str, str]:
    """A district the article has named in full ("Jongno District") is a place when it comes
    back bare ("Jongno and Dongcheng established ..."): the article is its own gazetteer."""
    short: dict[str, tuple[str, str]] = {}
    for doc in docs:
        for place in doc.spans[PLACES_KEY]:
            if (
                place.label_ in ("district", "county")
                and len(place) >= 2
                and place[-1].lower_ in place_suffixes()
            ):
                if not gazetteer.is_place_name(place[:-1].text):  # "Kilkenny" stays the town
                    short.setdefault(place[:-1].text, (place.text, place.label_))
    if not short:
        return {}
    for doc in docs:
        taken = {i for s in doc.spans[PLACES_KEY] for i in range(s.start, s.end)}
        added = []
        for name, (_full, label) in short.items():
            words = name.split()
            for i in range(len(doc) - len(words) + 1):
                if [t.text for t in doc[i : i + len(words)]] == words and not taken & set(range(i, i + len(words))):
                    added.append(Span(doc, i, i + len(words), label=label))
                    taken.update(range(i, i + len(words)))
        if added:
            doc.spans[PLACES_KEY] = sorted([*doc.spans[PLACES_KEY], *added], key=lambda s: s.start)
    return {name: full for name, (full, _label) in short.items()}


_HOST_TITLES = re.compile(r"(?i)mayor|council|leader|governor")


def find_anchor(reading: Reading) -> Party | None:
    """The host city: a web page's owner ("... | Toyama City"), a dateline ("BOR. –",
    "LYON —"), else the most mentioned city, a council or mayor counting double."""
    site = _site_owner(reading) or _url_owner(reading) or reading.site_town
    if site is not None:
        return site
    for sentence in reading.sentences[:12]:
        if sentence.span.start != 0 or not sentence.parties:
            continue
        first = sentence.parties[0]
        if first.start == 0 and first.kind == "city" and _is_dateline(sentence.span, first):
            return first
    counts: Counter = Counter()
    first_seen: dict[str, Party] = {}
    for sentence in reading.sentences:
        for party in sentence.parties:
            key = party.name.casefold()
            counts[key] += 1
            first_seen.setdefault(key, party)
    title = (
        reading.sentences[0] if reading.sentences and reading.sentences[0].paragraph == 0 else None
    )
    if title is not None and title.parties:  # a headline names its subject first
        counts[title.parties[0].name.casefold()] += 1
    # "the Mayor of Cheltenham", "Cheltenham Borough Council": each pattern holds one of the
    # _HOST_TITLES words, and is compiled anew for every name
    titled = first_seen if _HOST_TITLES.search(reading.text) else {}
    for key, party in titled.items():
        name = re.escape(party.name)
        counts[key] += 2 * len(re.findall(rf"(?i)\b(?:mayor|council|leader|governor) of {name}\b|\b{name}(?: \w+)? council\b", reading.text))
    if not counts:
        return None
    (key, count), *rest = counts.most_common(2) + [("", 0)]
    if count >= 3 and count > rest[0][1]:
        return first_seen[key]
    return None
