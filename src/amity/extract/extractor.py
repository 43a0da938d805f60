"""The extract stage: read an article, find candidate pairs, score them, describe the kept ones.

Steps, each its own module: `reading` (sentences, places, relation words) -> `candidates`
(every pair a relation word can reach) -> `features` + `scoring` (the learned pair scorer
keeps the relations) -> description of each kept pair here (tier, event, dates, established,
officials, fields, organisations) -> `claims`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from amity.extract.candidates import Candidates, PairRecord, find_candidates
from amity.extract.claims import read_claims
from amity.extract.describe import describe
from amity.extract.features import FeatureMaker, vector
from amity.extract.lookup_cache import CachedGazetteer, cached, shared_gazetteer
from amity.extract.nlp import load_nlp
from amity.extract.officials import find_fields, find_officials, has_cooperation_cue
from amity.extract.places import Party
from amity.extract.reading import Reading, read
from amity.extract.scoring import PairScorer
from amity.gazetteer.index import Gazetteer
from amity.gazetteer.knowledge import KnowledgeIndex, load_knowledge
from amity.prefilter import prefilter, trigger_tiers
from amity.types import Article, Claim, Official, Place, Relation

_MAYORAL = ("Mayor", "Lord Mayor", "Governor", "Party Secretary", "Burgomaster")


@dataclass
class Examined:
    """An article's reading, its candidate pairs and each candidate's features."""

    reading: Reading
    found: Candidates
    features: list[dict[str, float]]


class Extractor:
    """The extract stage: `Extractor()(article)` fills article.relations and article.claims.

    `scorer` decides which candidate pairs are relations (default: the model shipped in
    amity/data/models; `amity train` rebuilds it); `knowledge` is the index of known pairs.
    """

    name = "extract"

    def __init__(
        self,
        gazetteer: Gazetteer | CachedGazetteer | None = None,
        scorer: PairScorer | None = None,
        knowledge: KnowledgeIndex | None = None,
    ):
        # look-ups remembered across sentences and articles (see lookup_cache)
        self.gazetteer = cached(gazetteer) if gazetteer is not None else shared_gazetteer()
        self.nlp = load_nlp()
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self._scorer = scorer

    @property
    def scorer(self) -> PairScorer:
        if self._scorer is None:  # loaded on first use: training examines without a model
            self._scorer = PairScorer.load()
        return self._scorer

    def __call__(self, article: Article) -> Article:
        article.relations, article.claims = self.find(article)
        return article

    def find(self, article: Article) -> tuple[list[Relation], list[Claim]]:
        """Relations and claims of an article; one the prefilter found irrelevant has none."""
        if article.relevant is False:
            return [], []
        examined = self.examine(article)
        decisions = self.scorer.decide([vector(f) for f in examined.features])
        kept = []
        for record, (score, keep) in zip(examined.found.records, decisions, strict=True):
            record.score = score
            if keep:
                kept.append(record)
        return self.describe(article, examined.reading, kept), self._claims(examined.reading)

    def examine(self, article: Article) -> Examined:
        """Read the article and list its candidate pairs with their features (no scoring)."""
        reading = read(article.full_text, self.nlp, self.gazetteer, article.url)
        article.country_mentions = dict(reading.country_counts)
        found = find_candidates(reading, self.gazetteer)
        maker = FeatureMaker(reading, found, self.gazetteer, self.knowledge)
        return Examined(reading, found, [maker.features(record) for record in found.records])

    def describe(self, article: Article, reading: Reading, records: list[PairRecord]) -> list[Relation]:
        """One relation per record, in the order given."""
        paired = [{r.a.name.casefold(), r.b.name.casefold()} for r in records]
        # read once per article, not once per pair
        qualifiers = _article_qualifiers(reading)
        officials = find_officials(reading.text, self.gazetteer.is_place_name) if records else []
        relations = [self._describe(reading, record, article, paired, qualifiers, officials) for record in records]
        return [r for r in relations if r is not None]

    # -- one relation -----------------------------------------------------------------------
    def _describe(
        self,
        reading: Reading,
        record: PairRecord,
        article: Article,
        paired: list[set[str]],
        qualifiers: dict[str, Party],
        article_officials: list[Official],
    ) -> Relation | None:
        a_place, b_place = self._place(record.a, qualifiers), self._place(record.b, qualifiers)
        stated = sorted(record.sentences)
        related = sorted(record.sentences | record.context)
        # relative dates ("on Sunday") are read against the publication date, which ingest
        # owns (from the page's metadata, else the text's own dateline or "Published" line)
        told = describe(reading, record.sentences, related, (record.a.name, record.b.name), article.published)
        tier = self._tier(reading, record, related, paired)
        paragraph_sentences = self._paragraph_sentences(reading, record, related)
        officials = self._officials(reading, a_place, b_place, record, article_officials)
        relation = Relation(
            a=a_place,
            b=b_place,
            tier=tier,
            event=told.event,
            event_date=told.event_date,
            established=told.established,
            anniversary=told.anniversary,
            officials=officials,
            fields=find_fields([reading.sentences[i].text for i in paragraph_sentences]),
            organizations=self._organizations(reading, paragraph_sentences),
            evidence=[reading.sentences[i].text.strip() for i in sorted({told.decisive, *stated[:2]})],
            confidence=self._confidence(record, len(related)),
        )
        return relation

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

    def _tier(self, reading: Reading, record: PairRecord, related: list[int], paired: list[set[str]]) -> str:
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
    def _ambiguous_tier(reading: Reading, record: PairRecord, paired: list[set[str]]) -> str:
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

    def _paragraph_sentences(self, reading: Reading, record: PairRecord, related: list[int]) -> list[int]:
        names = {record.a.name.casefold(), record.b.name.casefold()}
        paragraphs = {reading.sentences[i].paragraph for i in related}
        for sentence in reading.sentences:
            if names & {p.name.casefold() for p in sentence.parties}:
                paragraphs.add(sentence.paragraph)
        return [s.index for s in reading.sentences if s.paragraph in paragraphs]

    def _officials(
        self, reading: Reading, a: Place, b: Place, record: PairRecord, article_officials: list[Official]
    ) -> list[Official]:
        officials = [replace(o) for o in article_officials]  # attached to this pair's sides below
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
    def _confidence(record: PairRecord, mentions: int) -> float:
        """The pair scorer's probability; unscored, how sure the pairing rule is."""
        if record.score is not None:
            return round(record.score, 3)
        support = min(1.0, 0.85 + 0.05 * mentions)
        return round(min(0.99, record.confidence * support), 3)

    # -- claims -----------------------------------------------------------------------------
    def _claims(self, reading: Reading) -> list[Claim]:
        """Stated counts of relations: national, bilateral and local (see extract/claims/)."""
        return read_claims(reading, self.gazetteer)


def find_relations(article: Article, extractor: Extractor | None = None) -> list[Relation]:
    """The relations an article reports, without changing the article.

    Example: find_relations(make_article("Bor and Longyan signed a twinning agreement."))
    """
    extractor = extractor or _default_extractor()
    copy = Article(**{**article.__dict__, "relations": [], "claims": [], "errors": []})
    if copy.relevant is None:
        prefilter(copy)
    return extractor.find(copy)[0]


_EXTRACTOR: Extractor | None = None


def _default_extractor() -> Extractor:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR


def _norm(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


def _names_of(place: Place, record: PairRecord) -> set[str]:
    names = {place.name}
    if place.canonical:
        names.add(place.canonical)
    for party in (record.a, record.b):
        if party.name.casefold() == place.name.casefold():
            names.add(party.text)
    return names


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

