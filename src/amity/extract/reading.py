"""Reading an article into sentences with their places, relation words and parses."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Span

from amity.extract.places import Party, find_parties
from amity.prefilter import excluded_spans, relation_triggers, trigger_tiers
from amity.resolve.gazetteer import Gazetteer
from amity.resources import data_lines


@functools.cache
def _relation_words() -> re.Pattern[str]:
    words = sorted(data_lines("lexicons/relation_words.en.txt"), key=len, reverse=True)
    return re.compile(r"(?i)\b(" + "|".join(map(re.escape, words)) + r")\b")


def _has_relation_words(text: str) -> bool:
    """Relation talk outside names like "the Twin Cities" or "Sister Cities International"."""
    for start, end in excluded_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return bool(_relation_words().search(text))


_PARAGRAPH_BREAK = re.compile(r"\n+")
_DATELINE = re.compile(r"^\s*(?P<city>[A-Z][A-Za-z\u00C0-\u024F'’ .-]{1,40}?)\s*(?:,|\.|\(|–|—| -)")


@dataclass
class Sentence:
    index: int
    paragraph: int
    span: Span  # from the cheap pass (sentences, entities, places)
    start: int  # character offset in the article text
    triggers: list[tuple[int, int, str]] = field(default_factory=list)  # sentence-relative chars
    parties: list[Party] = field(default_factory=list)
    parsed: Span | None = None  # only for sentences holding relation words
    relation_words: bool = False  # "partnership", "ties": relation talk once the article is relevant

    @property
    def text(self) -> str:
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


def read(text: str, nlp: Language, gazetteer: Gazetteer) -> Reading:
    """Cheap pass over every paragraph, full parse of the sentences with relation words."""
    hits = relation_triggers(text)
    sentences: list[Sentence] = []
    country_counts: Counter = Counter()
    pieces = paragraphs(text)
    with nlp.select_pipes(disable=["parser"]):
        docs = list(nlp.pipe(p for _, p in pieces))
    for para_index, ((offset, _), doc) in enumerate(zip(pieces, docs, strict=True)):
        for place in doc.spans["amity_places"]:
            if place.label_ in ("country", "demonym"):
                code = gazetteer.country_code(place.text)
                if code:
                    country_counts[code] += 1
        for span in doc.sents:
            start = offset + span.start_char
            end = offset + span.end_char
            sentence = Sentence(len(sentences), para_index, span, start)
            sentence.triggers = [(s - start, e - start, t) for s, e, t in hits if start <= s and e <= end]
            sentence.parties = find_parties(span, gazetteer)
            sentence.relation_words = _has_relation_words(span.text)
            sentences.append(sentence)
    relevant = [s for s in sentences if s.relation_tiers]
    with nlp.select_pipes(disable=["senter"]):
        parsed_docs = nlp.pipe(s.text for s in relevant)
        for sentence, parsed in zip(relevant, parsed_docs, strict=True):
            sentence.parsed = parsed[:]
    return Reading(text, sentences, country_counts)


def find_anchor(reading: Reading) -> Party | None:
    """The host city: a dateline ("BOR. –", "LYON —"), else the most mentioned city."""
    for sentence in reading.sentences[:12]:
        if sentence.span.start != 0 or not sentence.parties:
            continue
        first = sentence.parties[0]
        if first.start == 0 and _DATELINE.match(sentence.text) and first.kind == "city":
            return first
    counts: Counter = Counter()
    first_seen: dict[str, Party] = {}
    for sentence in reading.sentences:
        for party in sentence.parties:
            key = party.name.casefold()
            counts[key] += 1
            first_seen.setdefault(key, party)
    if not counts:
        return None
    (key, count), *rest = counts.most_common(2) + [("", 0)]
    if count >= 3 and count > rest[0][1]:
        return first_seen[key]
    return None
