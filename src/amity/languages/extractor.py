"""The extract stage for the ten other languages: candidates by pairing rules, then
tier, event, date and established from the lexicon; places leave as written, with the
country the text states, for the resolve stage (amity.resolve) to tie to GeoNames.

Pairing rules over relation sentences (a sentence with a relation word):
- `coord`: two places joined by a coordinator (X与Y, X와 Y, X und Y, entre X et Y, X-Y);
- `host`: the story's own place (named in the title, else the most named) with a place of a
  relation sentence;
- `both`: "the two cities" (两市, 양 도시, les deux villes) after a pair was named;
- `cooccur`: any two places of a relation sentence (a wide net for the scorer).
`PairRules` decides which candidates are relations; `benchmarks/crossval_ml.py` measures it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from amity.gazetteer.index import Gazetteer, load_gazetteer
from amity.languages.dates import find_dates
from amity.languages.lexicon import EVENT_ORDER, Lexicon, load_lexicon
from amity.languages.places import SUFFIX_KINDS, Mention, PlaceFinder
from amity.languages.reading import Reading, Sentence, read
from amity.types import Article, Place, Relation

KIND_OF = {"city": "city", "county": "county", "district": "district", "province": "province", "region": "region"}


@dataclass
class Candidate:
    a: str  # party keys, a < b
    b: str
    rules: set[str] = field(default_factory=set)
    sentences: set[int] = field(default_factory=set)
    score: float | None = None
    distance: int = 99  # sentences to the nearest relation sentence


class MultilingualExtractor:
    """`MultilingualExtractor()(article)` fills article.relations for an article whose
    `language` is one of amity.languages.SUPPORTED."""

    name = "extract"

    def __init__(self, gazetteer: Gazetteer | None = None, scorer=None):
        """`scorer`: a languages.scoring.PairScorer; None loads the shipped model; False
        keeps what the pairing rules alone keep."""
        self.gazetteer = gazetteer or load_gazetteer()
        if scorer is None:
            from amity.gazetteer.knowledge import load_knowledge
            from amity.languages.scoring import PairScorer

            scorer = PairScorer.load(knowledge=load_knowledge())
        self.scorer = scorer or None
        self._finders: dict[str, PlaceFinder] = {}

    def __call__(self, article: Article) -> Article:
        article.relations = self.find(article)
        article.claims = []
        return article

    def finder(self, language: str) -> PlaceFinder:
        if language not in self._finders:
            self._finders[language] = PlaceFinder(self.gazetteer, load_lexicon(language))
        return self._finders[language]

    def examine(self, article: Article) -> tuple[Reading, list[Candidate]]:
        lexicon = load_lexicon(article.language or "")
        title = article.title or ""
        text = article.full_text
        title_length = len(title) + 2 if title and text.startswith(title + "\n\n") else 0
        if title and not title_length and text.startswith(title):
            title_length = len(title)
        reading = read(text, title_length, lexicon, self.finder(lexicon.language), article.url)
        article.country_mentions = dict(reading.countries)
        return reading, candidates(reading)

    def find(self, article: Article) -> list[Relation]:
        reading, found = self.examine(article)
        if self.scorer is not None:
            kept = self.scorer.keep(reading, found)
        else:
            kept = [c for c in found if keep_by_rules(reading, c)]
        return [describe(reading, c, article.published) for c in kept]


# -- candidates ---------------------------------------------------------------------------


def candidates(reading: Reading) -> list[Candidate]:
    """Every pair a rule proposes; none in an article without a relation sentence."""
    found: dict[tuple[str, str], Candidate] = {}
    relation_at = [s.index for s in reading.sentences if s.relation]
    if not relation_at:
        return []
    host = story_host(reading)
    listed = _list_items(reading)
    last_pair: tuple[str, str] | None = None

    def add(a: str, b: str, rule: str, sentence: Sentence) -> None:
        if a == b or _contained(reading, a, b) or _same_place(reading, a, b):
            return
        key = (min(a, b), max(a, b))
        candidate = found.setdefault(key, Candidate(*key))
        candidate.rules.add(rule)
        candidate.sentences.add(sentence.index)
        distance = min(abs(sentence.index - i) for i in relation_at)
        candidate.distance = min(candidate.distance, distance)

    for sentence in reading.sentences:
        keys = list(dict.fromkeys(sentence.parties))
        distance = min(abs(sentence.index - i) for i in relation_at)
        coordinated = _coordinated(reading, sentence)
        if sentence.relation:
            for a, b in coordinated:
                add(a, b, "coord", sentence)
                last_pair = (a, b)
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    add(a, b, "cooccur", sentence)
            between = _linked_between(sentence, keys, host, coordinated)
            if between:
                add(*between, "between", sentence)
                last_pair = between
            elif host is not None:
                for b in _host_partners(reading, sentence, keys, host, coordinated):
                    add(host, b, "host", sentence)
            if len(keys) < 2 and last_pair and any(w in sentence.text.casefold() for w in reading.lexicon.both):
                add(*last_pair, "both", sentence)
            continue
        for a, b in coordinated:
            add(a, b, "coord_near" if distance <= 2 else "coord_far", sentence)
            last_pair = (a, b)
        if host is not None and (distance <= 2 or sentence.index in listed):
            for b in _host_partners(reading, sentence, keys, host, coordinated):
                add(host, b, "host_list" if sentence.index in listed else "host_near", sentence)
    return list(found.values())


def _linked_between(sentence: Sentence, keys: list[str], host: str | None, coordinated) -> tuple[str, str] | None:
    """Two places, neither the host, with the relation word between them and nothing
    else named: "Высоке-Мазовецке – город побратим нашего города Высокое", "Донецк стал
    побратимом Симферополю". The sentence speaks of that pair, not of the host."""
    if len(keys) != 2 or host in keys or coordinated:
        return None
    first = next(m for k, m in zip(sentence.parties, sentence.places, strict=True) if k == keys[0])
    last = [m for k, m in zip(sentence.parties, sentence.places, strict=True) if k == keys[1]][-1]
    lo, hi = first.end - sentence.start, last.start - sentence.start
    if any(lo <= offset < hi for offset, _ in sentence.tiers):
        return keys[0], keys[1]
    return None


def _host_partners(reading: Reading, sentence: Sentence, keys: list[str], host: str, coordinated) -> list[str]:
    """The places of a sentence the host may be paired with. In a sentence without the
    host, a place of the host's country coordinated with a foreign one is another pair
    ("города Ступино и Циндао" in a Russian town's story); foreign places coordinated
    with each other stay a list of the host's partners ("Jablonec nad Nisou und Jelenia
    Góra" in Bautzen's)."""
    if host in keys:
        return keys
    home = reading.parties[host].best.country
    paired = set()
    for a, b in coordinated:
        ca, cb = reading.parties[a].best.country, reading.parties[b].best.country
        if ca and cb and ca != cb and home in (ca, cb):
            paired |= {a, b}
    return [k for k in keys if k not in paired]


def story_host(reading: Reading) -> str | None:
    """The host, unless it is only the most named place of a story that states several
    pairs without it: a conference report (签署8份协议: 兴安盟与东方省、大庆市与忠州市) is
    held somewhere, and that venue is no party to the pairs signed there."""
    if "story_host" not in reading.memo:
        reading.memo["story_host"] = _story_host(reading)
    return reading.memo["story_host"]


def _story_host(reading: Reading) -> str | None:
    host, source = reading.host_and_source()
    if host is None or source != "count":
        return host
    pairs = {
        frozenset(pair)
        for sentence in reading.sentences
        if sentence.relation
        for pair in _coordinated(reading, sentence)
        if host not in pair
    }
    return None if len(pairs) >= 2 else host


def _same_place(reading: Reading, a: str, b: str) -> bool:
    """One place read twice (コンコード of two Concords in one country): no pair."""
    pa, pb = reading.parties[a], reading.parties[b]
    ca, cb = pa.best.country, pb.best.country
    return pa.name == pb.name and (ca == cb or not ca or not cb)


def _list_items(reading: Reading) -> set[int]:
    """Short lines after a relation sentence that ends with a colon: a partner list."""
    items: set[int] = set()
    for sentence in reading.sentences:
        if not (sentence.relation and sentence.text.rstrip().endswith((":", "："))):
            continue
        for following in reading.sentences[sentence.index + 1 : sentence.index + 40]:
            if len(following.text) > 200:
                break
            items.add(following.index)
    return items


def _coordinated(reading: Reading, sentence: Sentence) -> list[tuple[str, str]]:
    """Neighbouring places joined only by a coordinator (and qualifiers of the second)."""
    pairs = []
    places = sentence.places
    for k, (first, second) in enumerate(zip(places, places[1:], strict=False)):
        if _in_brackets(reading.text, sentence.start, first.start):
            continue  # "(静岡県浜松市・湖西市)": where something is, not a pair
        if _joins(_gap(reading, first, second), reading.lexicon):
            a, b = sentence.parties[k], sentence.parties[k + 1]
            if a != b:
                pairs.append((a, b))
    return pairs


def _in_brackets(text: str, start: int, position: int) -> bool:
    before = text[start:position]
    return before.count("(") + before.count("（") > before.count(")") + before.count("）")


def _gap(reading: Reading, first: Mention, second: Mention) -> str:
    """The text between two places without the countries and provinces that qualify the
    second (중국 산서성 운성시와 한국 경기도 의왕시 -> "와")."""
    gap = list(reading.text[first.end : second.start])
    for mention in reading.mentions:
        if first.end <= mention.start and mention.end <= second.start:
            for i in range(mention.start - first.end, mention.end - first.end):
                gap[i] = " "
    text = "".join(gap)
    lexicon = reading.lexicon
    if not (lexicon.cjk or lexicon.language == "ko"):  # "Каширой и китайским городом Шоугуан"
        words = [w for w in text.split() if w.casefold() not in lexicon.city_words and not any(w.casefold().startswith(a) for a in lexicon.country_adjectives)]
        text = " ".join(words)
    suffixes = [s for s in reading.lexicon.suffixes if SUFFIX_KINDS.get(s) == "province"]
    if suffixes and (reading.lexicon.cjk or reading.lexicon.language == "ko"):
        text = re.sub(rf"[\w]+(?:{'|'.join(map(re.escape, suffixes))})(?=\s)", " ", text)
    return text


def _joins(gap: str, lexicon: Lexicon) -> bool:
    stripped = gap.strip(" ,、　()（）\n")
    if lexicon.cjk or lexicon.language == "ko":
        return stripped in lexicon.coordinators or stripped in ("-", "–", "・", "·", "/")
    words = stripped.casefold().split()
    return (len(words) == 1 and words[0] in lexicon.coordinators) or stripped in ("-", "–", "/")


def _contained(reading: Reading, a: str, b: str) -> bool:
    """A place and the province it lies in are never a pair (安徽 and 合肥)."""
    pa, pb = reading.parties[a].best, reading.parties[b].best
    for outer, inner in ((pa, pb), (pb, pa)):
        if outer.kind in ("province", "region") and inner.kind not in ("province", "region"):
            if outer.country == inner.country and inner.admin1 and outer.candidates:
                if inner.admin1 == outer.candidates[0].name or inner.admin1 == outer.candidates[0].admin1:
                    return True
    # the text writes the province right before the place somewhere (安徽合肥市, 경기도 용인시)
    return frozenset((a, b)) in _written_inside(reading)


def _written_inside(reading: Reading) -> set[frozenset[str]]:
    """Party pairs whose first is a province written right before the second, once per article."""
    if "written_inside" not in reading.memo:
        from amity.languages.reading import _party_key

        key_of = {id(m): key for key, party in reading.parties.items() for m in party.mentions}
        pairs = set()
        for first, second in zip(reading.mentions, reading.mentions[1:], strict=False):
            if first.kind in ("province", "region") and second.start >= first.end and not reading.text[first.end : second.start].strip():
                keys = (key_of.get(id(first), _party_key(first)), key_of.get(id(second), _party_key(second)))
                pairs.add(frozenset(keys))
        reading.memo["written_inside"] = pairs
    return reading.memo["written_inside"]


def keep_by_rules(reading: Reading, candidate: Candidate) -> bool:
    """The rules alone (no scorer): a coordination, a 'both', or the host with a partner
    in a relation sentence that names at most a few places."""
    return bool(candidate.rules & {"coord", "between", "both", "host", "host_list"})


# -- description ----------------------------------------------------------------------------


def describe(reading: Reading, candidate: Candidate, published: dt.date | None) -> Relation:
    lexicon = reading.lexicon
    sentences = [reading.sentences[i] for i in sorted(candidate.sentences)]
    event, decisive = _event(sentences, lexicon, published)
    listed = _list_line_year(reading, candidate)
    host = story_host(reading)
    host_tie = host in (candidate.a, candidate.b) and not candidate.rules & {"coord", "between"}
    in_list = all(len(set(s.parties)) >= LIST_PLACES and host not in s.parties for s in sentences)
    if listed or (host_tie and in_list and event in ("intent", "agreement", "proposal")):
        # a partner in a list of the host's ties, the host not named in it ("угоди з 14
        # містами: A (Франція), B ...", "- 10 de julho de 1993 – Pont Sainte Maxence"): the
        # tie is mentioned, not signed now ("贵阳市…与A、B、C等10个城市签署" names the host)
        event, decisive = "mention", None
    event_date = _event_date(reading, decisive, sentences, published, event)
    partner_years = _partner_years(reading, candidate) or ([listed] if listed else [])
    established = _established(sentences, lexicon, event, event_date, published, partner_years)
    return Relation(
        a=_place(reading, candidate.a),
        b=_place(reading, candidate.b),
        tier=_tier(sentences, lexicon),  # type: ignore[arg-type]
        event=event,  # type: ignore[arg-type]
        event_date=event_date,
        established=established[0],
        anniversary=established[1],
        evidence=[s.text.strip() for s in sentences[:3]],
        confidence=round(candidate.score, 3) if candidate.score is not None else 0.8,
    )


LIST_PLACES = 4  # a sentence naming this many places is a list


def _list_line_year(reading: Reading, candidate: Candidate) -> int | None:
    """The year on the partner's own line of a list under a heading ("- 13 de julho de
    1996 – Boa Vista (Cabo Verde)"): when that tie began."""
    if "host_list" not in candidate.rules:
        return None
    for index in sorted(candidate.sentences):
        sentence = reading.sentences[index]
        if sentence.relation or len(set(sentence.parties)) != 1:
            continue
        years = _LINE_YEAR.findall(sentence.text)
        if len(years) == 1:
            return int(years[0])
    return None


_LINE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _place(reading: Reading, key: str) -> Place:
    party = reading.parties[key]
    best = party.best
    return Place(
        name=party.name,
        country=best.country,  # stated, or the gazetteer's pick (home namesakes first)
        kind=KIND_OF.get(best.kind, "city"),  # type: ignore[arg-type]
        written=best.text if best.text != party.name else None,
    )


def _partner_years(reading: Reading, candidate: Candidate) -> list[int]:
    """A year in brackets right after a partner in a list: 정읍시(1999년), Dakar (1980)."""
    years = []
    for sentence in (reading.sentences[i] for i in sorted(candidate.sentences)):
        for key, mention in zip(sentence.parties, sentence.places, strict=True):
            if key in (candidate.a, candidate.b):
                match = _BRACKET_YEAR.match(reading.text, mention.end)
                if match:
                    years.append(int(match.group(1)))
    return years


_BRACKET_YEAR = re.compile(r"\s?[(（]\s*((?:19|20)\d\d)\s*[년年]?\s*[)）]")


def _tier(sentences: list[Sentence], lexicon: Lexicon) -> str:
    votes = Counter(tier for s in sentences for _, tier in s.tiers)
    if not votes:
        return "sister"
    if votes["sister"] and votes["sister"] >= votes["friendly"]:
        return "sister"
    if votes["friendly"] > votes["sister"]:
        return "friendly"
    return "sister"


def _event(sentences: list[Sentence], lexicon: Lexicon, published=None) -> tuple[str, Sentence | None]:
    """The strongest event of the pair's sentences; a title that names the pair decides."""
    best: tuple[int, str, Sentence] | None = None
    for sentence in sentences:
        event = sentence_event(sentence.text, lexicon, published)
        if event is None:
            continue
        rank = EVENT_ORDER.index(event) - (100 if sentence.title else 0)
        if best is None or rank < best[0]:
            best = (rank, event, sentence)
    if best is None:
        return "mention", sentences[0] if sentences else None
    return best[1], best[2]


def sentence_event(text: str, lexicon: Lexicon, published=None) -> str | None:
    """The strongest event a sentence states. A memorandum signed is an intent; a
    signing in a year long past is where the tie began (a mention, not news)."""
    lowered = text.casefold()
    found = [
        event
        for event in EVENT_ORDER
        if (_anniversary(text, lexicon) is not None if event == "anniversary" else any(_has(lowered, w, lexicon) for w in lexicon.events.get(event, ())))
    ]
    if "intent" in found and "agreement" in found:
        found.remove("agreement")
    if "agreement" in found and _past_year(text, lexicon, published):
        found.remove("agreement")
    return found[0] if found else None


def _past_year(text: str, lexicon: Lexicon, published) -> bool:
    for pattern in lexicon.established:
        match = pattern.search(text)
        if match and match.groupdict().get("year"):
            year = int(match.group("year"))
            return published is None or year < published.year - 1
    return False


def _has(lowered: str, word: str, lexicon: Lexicon) -> bool:
    if lexicon.cjk or lexicon.language == "ko":
        return word in lowered
    return re.search(r"(?<![^\W\d_])" + re.escape(word), lowered) is not None


def _anniversary(text: str, lexicon: Lexicon) -> int | None:
    for pattern in lexicon.anniversary:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 8) : match.start()]
            if any(word in before for word in lexicon.anniversary_not_before):
                continue
            n = int(match.group("n"))
            if 1 <= n <= 150:
                return n
    return None


def _event_date(reading: Reading, decisive: Sentence | None, sentences: list[Sentence], published, event: str) -> str | None:
    if event == "mention":
        return None
    order = ([decisive] if decisive else []) + [s for s in sentences if s is not decisive]
    for sentence in order:
        dates = find_dates(sentence.text, reading.lexicon, published)
        if dates:
            return dates[0].value
    return None


def _established(sentences: list[Sentence], lexicon: Lexicon, event: str, event_date: str | None, published, partner_years=()) -> tuple[int | None, int | None]:
    for year in partner_years:
        return year, None
    n = next((k for k in (_anniversary(s.text, lexicon) for s in sentences) if k), None)
    year = int(event_date[:4]) if event_date and event_date[:4].isdigit() else (published.year if published else None)
    for sentence in sentences:
        if len(set(sentence.parties)) > 2:
            continue  # a list: each partner has its own year (below)
        for pattern in lexicon.established:
            match = pattern.search(sentence.text)
            if match and match.groupdict().get("year"):
                if n and published and int(match.group("year")) >= published.year - 1:
                    return published.year - n, n  # "50 ans de jumelage ... en 2024": the year of the feast
                return int(match.group("year")), None
    if n:
        return (year - n if year else None), n
    if event == "agreement":
        if event_date and event_date[:4].isdigit():
            return int(event_date[:4]), None
        return (published.year if published else None), None
    return None, None
