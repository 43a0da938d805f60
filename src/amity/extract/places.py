"""Place mentions in a sentence: which names are parties and which only qualify another.

"Goyang, Gyeonggi province in South Korea" is one party (Goyang) with two qualifiers;
"Changning District of Shanghai" is a district whose parent is Shanghai; "the Chinese city
of Longyan" gives Longyan a country. Parties are what pairs are made of.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from amity.extract.nlp import PLACES_KEY, region_abbreviations
from amity.gazetteer.index import Gazetteer

# Words that may sit between a party and its qualifiers without ending the qualifier zone.
_FILLER = {
    ",", "(", ")", "in", "of", "from", "a", "an", "the", "'s", "’s", "city", "town", "province",
    "state", "region", "county", "capital", "district", "prefecture", "port", "municipality",
    "country", "part", "located", "situated", "which", "is", "east", "west", "north", "south",
    "eastern", "western", "northern", "southern", "central", "northeast", "northwest", "southeast",
    "southwest", "northeastern", "northwestern", "southeastern", "southwestern", "coastal",
    "provincial", "-level", "level", "prefecture-level", "autonomous", "zhuang", "uygur", "hui",
}
# Words before a name that make the name a venue of the event rather than a party to it.
_VENUE_WORDS = {"in", "at", "to", "near", "across", "throughout", "around", "via"}
_LOCATOR_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "outside", "km", "kilometres", "kilometers", "miles", "suburbs", "outskirts"}


@dataclass
class Party:
    """A place that may be one side of a relation, as written in one sentence."""

    text: str
    start: int  # token index in the doc
    end: int
    kind: str = "city"
    country: str | None = None
    admin1: str | None = None
    parent: str | None = None
    qualifier_end: int = 0  # token index after the last qualifier
    venue: bool = False
    locator: bool = False  # "west of Shanghai": where a party lies, never a party itself
    notes: list[str] = field(default_factory=list)
    article: bool = False  # "The Hague": the article is part of the name

    @property
    def qualifiers(self) -> int:
        """How much the text says about where the place lies (country, region, parent)."""
        return (self.country is not None) + (self.admin1 is not None) + (self.parent is not None)

    @property
    def name(self) -> str:
        """The name as written, without a generic 'City' suffix or a leading article
        (unless the place is named with it: "The Hague")."""
        name = clean_name(self.text, self.kind)
        if self.article and self.text[:4].lower() == "the " and not name.lower().startswith("the "):
            name = self.text[:4].title() + name
        return name


# Countries whose first-level regions are named "X Region" (an oblast, viloyat, welayat):
# "Almaty Region" is not the city of Almaty.
_OBLAST_COUNTRIES = {"KZ", "UZ", "KG", "TJ", "TM", "RU", "UA", "BY"}


def _name_oblast(party: Party, gazetteer: Gazetteer) -> None:
    """"North Kazakhstan region" -> "North Kazakhstan Region" (in Kazakhstan): in these
    countries the word is part of the region's name."""
    stem, _, last = party.text.rpartition(" ")
    if last not in ("region", "oblast") or not stem:
        return
    countries = {iso2 for iso2, _name in gazetteer.admin1_of(stem)} | set(gazetteer.country_codes_in(stem))
    if countries & _OBLAST_COUNTRIES:
        party.text = f"{stem} Region"
        if len(countries) == 1:
            party.country = party.country or countries.pop()


@functools.lru_cache(maxsize=65536)  # Party.name reads it on every access, ~700 times an article
def clean_name(text: str, kind: str = "city") -> str:
    name = text.strip().strip(",.;:").strip()
    if name.isupper() and len(name) > 3:  # a dateline's "KUCHING"
        name = name.title()
    if name.lower().startswith("the "):
        name = name[4:]
    if name.endswith(("'s", "’s")):
        name = name[:-2]
    for prefix in (
        "State of ",
        "Province of ",
        "Prefecture of ",
        "City of ",
        "Town of ",
        "Municipality of ",
    ):
        if (
            name.startswith(prefix) and len(name) > len(prefix) + 2
        ):  # "State of Jalisco" -> "Jalisco"
            name = name[len(prefix) :]
    for suffix in (" district", " county", " province", " region", " oblast", " prefecture", " town", " village"):
        if (
            name.endswith(suffix) and len(name) > len(suffix) + 2
        ):  # lower case: generic, not part of the name
            name = name[: -len(suffix)]
    for suffix in (" Special Self-Governing Province", " Self-Governing Province", " Province", " Prefecture", " Oblast"):
        if kind == "province" and name.endswith(suffix) and len(name) > len(suffix) + 2:
            name = name[: -len(suffix)]
    if kind == "city":
        for suffix in (
            " Metropolitan City",
            " Special City",
            " City",
            " city",
            " Town",
            " Municipality",
            "-si",
            "-shi",
            " Shi",
        ):
            if (
                name.endswith(suffix)
                and len(name) > len(suffix) + 2
                and name not in _NAMES_WITH_CITY
            ):
                name = name[: -len(suffix)]
                break
    return name


# Names where "City" is part of the name, not a generic word (GeoNames primary names).
_NAMES_WITH_CITY = {
    "Salt Lake City", "Mexico City", "Kansas City", "Oklahoma City", "Quezon City", "Ho Chi Minh City",
    "Panama City", "Guatemala City", "Kuwait City", "Jersey City", "Carson City", "Vatican City",
    "Davao City", "Cebu City", "Iowa City", "Rapid City", "Sioux City", "Atlantic City", "Ocean City",
    "Traverse City", "Bay City", "Dodge City", "Johnson City", "Jefferson City", "Lake Havasu City",
    "Makati City", "Pasig City", "Taguig City", "Tacloban City", "Iloilo City", "Baguio City",
}


def find_parties(sent: Span, gazetteer: Gazetteer) -> list[Party]:
    """Parties of a sentence in order, each with the qualifiers the sentence gives it."""
    doc = sent.doc
    places = [s for s in doc.spans[PLACES_KEY] if sent.start <= s.start and s.end <= sent.end]
    parties: list[Party] = []
    pending_country: str | None = None  # "Russia's X", "the Chinese city of X"
    consumed: set[int] = set()
    for index, span in enumerate(places):
        if index in consumed:
            continue
        label = span.label_
        if label in ("country", "demonym"):
            code = gazetteer.country_code(span.text)
            nxt = places[index + 1] if index + 1 < len(places) else None
            if (
                code
                and nxt is not None
                and nxt.label_ not in ("country", "demonym")
                and _introduces(doc, span, nxt)
            ):
                pending_country = code
            continue
        party = Party(text=span.text, start=span.start, end=span.end, kind=_party_kind(span))
        party.article = span[0].lower_ == "the"  # the ruler keeps "the" only for "The Hague"
        _name_oblast(party, gazetteer)
        nxt = places[index + 1] if index + 1 < len(places) else None
        if nxt is not None and _hyphen_compound(doc, span, nxt, gazetteer):
            # "Friedrichshain-Kreuzberg": two parts of one district, not a pair
            party.text = doc[span.start : nxt.end].text
            party.end = nxt.end
            party.kind = "district"
            consumed.add(index + 1)
            span = doc[span.start : nxt.end]
        elif (
            nxt is not None
            and nxt.start == span.end
            and nxt.label_ == "city"
            and span.label_ == "city"
        ):
            # "San José Las Flores": two known names back to back are one longer name
            party.text = doc[span.start : nxt.end].text
            party.end = nxt.end
            consumed.add(index + 1)
            span = doc[span.start : nxt.end]
        if pending_country:
            party.country = pending_country
            pending_country = None
        party.venue = _is_venue(doc, span, sent.start)
        party.locator = _is_locator(doc, span, sent.start) or _is_heading_label(doc, span, sent.start)
        j = index + 1
        zone_end = span.end
        while j < len(places):
            q = places[j]
            gap = doc[zone_end : q.start]
            if zone_end == party.end and len(gap) and gap[0].lower_ in ("'s", "’s"):
                break  # "Perth's Russian twin town": what follows belongs to Perth, it does not place it
            after = places[j + 1] if j + 1 < len(places) else None
            next_is_city = after is not None and after.start == q.end + 1 and after.label_ == "city"
            if (
                q.label_ in ("country", "demonym")
                and q.end < len(doc)
                and doc[q.end].lower_ in ("'s", "’s")
                and (next_is_city or [t.text for t in gap] == [","])
                and not _located_in(doc, party, q)
            ):
                break  # "Abeokuta, Brazil's Salvador", "Jeonbuk State, China's Jiangsu": the next party's
            if not all(t.lower_ in _FILLER or (t.is_lower and t.is_alpha and t.lower_ in _FILLER) for t in gap):
                break
            if not _absorb(party, q, gazetteer, doc):
                break
            consumed.add(j)
            zone_end = q.end
            j += 1
        zone_end = _region_abbreviation(doc, party, zone_end)
        zone_end = _alias(doc, places, index, zone_end, consumed)
        party.qualifier_end = zone_end
        parties.append(party)
    parties = [p for p in parties if not p.locator]
    if sum(p.kind == "city" and not p.venue for p in parties) >= 2:
        # "Binzhou in East China's Shandong province ... with Goyang": the cities are the pair;
        # but "Nanjing and Jiangsu Province", "both Acre and Jericho", "as well as Aktobe
        # region and Gansu Province" name a province as a party of its own
        parties = [p for p in parties if p.kind not in ("province", "region") or _coordinated(doc, p, sent.start)]
    return _merge_repeats(_possessive_parents(doc, parties))


_COORDINATORS = {"and", "&", "with", "between", "both"}


def _coordinated(doc, party: Party, sent_start: int) -> bool:
    """A province joined to the others by "and"/"with"/"between"/"both"/"as well as", not
    one that places a city ("in Shandong province", "China's Shandong")."""
    i = party.start
    if i > sent_start and doc[i - 1].lower_ == "the":
        i -= 1
    if i <= sent_start:
        return False
    before = doc[i - 1].lower_
    if before in _COORDINATORS:
        return True
    return before == "as" and i - 2 > sent_start and doc[i - 2].lower_ == "well"


def _possessive_parents(doc, parties: list[Party]) -> list[Party]:
    """"Seoul's Gangnam": Seoul is Gangnam's parent, not a party of its own."""
    kept: list[Party] = []
    for index, party in enumerate(parties):
        nxt = parties[index + 1] if index + 1 < len(parties) else None
        if (
            party.kind == "city"
            and nxt is not None
            and nxt.kind in ("district", "county", "city")
            and party.qualifier_end < len(doc)
            and doc[party.qualifier_end].lower_ in ("'s", "’s")
            and nxt.start == party.qualifier_end + 1
            and nxt.parent is None
        ):
            nxt.parent = party.name
            nxt.kind = "district" if nxt.kind == "city" else nxt.kind
            continue
        kept.append(party)
    return kept


_KIND_NOUNS = {"city", "town", "province", "district", "county", "capital", "port", "municipality", "region", "state", "prefecture"}


def _introduces(doc, country: Span, place: Span) -> bool:
    """"Russia's X", "the Chinese city of X", "Chinese city X", "South Korea's port city of X"."""
    gap = [t.lower_ for t in doc[country.end : place.start]]
    if gap in (["'s"], ["’s"]):
        return True
    words = [w for w in gap if w not in ("'s", "’s", "of", "coastal", "industrial", "northern", "southern", "eastern", "western", "central")]
    return len(gap) <= 5 and len(words) == 1 and words[0] in _KIND_NOUNS


_ALIAS = re.compile(r"(?i)^\s*(?:,|\(|--|—|–)?\s*(?:then|formerly|previously|once|now|also|today|later)\b(?:\s+(?:known|romani[sz]ed|spelled|spelt|written|called|named)(?:\s+as)?)?\s*$")


def _alias(doc, places, index: int, zone_end: int, consumed: set[int]) -> int:
    """"Gwangju, then romanized as Kwangju", "Stalingrad, now Volgograd", "Jeonbuk -- then
    North Jeolla Province --": the second name is the same place."""
    for j in range(index + 1, min(index + 2, len(places))):
        q = places[j]
        if j in consumed or q.label_ in ("country", "demonym"):
            continue
        if q.start - zone_end <= 6 and _ALIAS.match(doc[zone_end : q.start].text):
            consumed.add(j)
            return q.end
    return zone_end


def _region_abbreviation(doc, party: Party, zone_end: int) -> int:
    """"Rockville, Md.", "Cambridge, MA 02139", "London, Ont.": a region written short."""
    if zone_end + 1 >= len(doc) or doc[zone_end].text != ",":
        return zone_end
    token = doc[zone_end + 1].text
    width = 2
    if (
        zone_end + 2 < len(doc) and doc[zone_end + 2].text == "."
    ):  # spaCy splits "Ont." into "Ont" "."
        token, width = token + ".", 3
    found = region_abbreviations().get(token) or region_abbreviations().get(token.rstrip("."))
    if found is None:
        return zone_end
    country, region = found
    party.country = party.country or country
    party.admin1 = party.admin1 or region
    party.notes.append(f"region:{country}")
    return zone_end + width


def _party_kind(span: Span) -> str:
    label = span.label_
    return label if label in ("district", "county", "province", "region") else "city"


def _absorb(party: Party, q: Span, gazetteer: Gazetteer, doc) -> bool:
    """Fold qualifier q into party; False when q is a party in its own right."""
    label = q.label_
    if label in ("country", "demonym"):
        code = gazetteer.country_code(q.text)
        if code and party.country in (None, code):
            party.country = code
            return True
        return False
    preceded_by_of = q.start > 0 and doc[q.start - 1].lower_ in ("of", "in")
    if (
        label == "province"
        and party.kind in ("city", "district", "county")
        and party.admin1 is None
    ):
        if doc[q.start - 1].lower_ not in ("and", "with", "&"):
            party.admin1 = clean_name(q.text, "province")
            return True
        return False
    after_comma = q.start > 0 and doc[q.start - 1].text == ","
    located = doc[q.start - 1].lower_ == "in" or (doc[q.start - 1].lower_ in ("'s", "’s") and _located_in(doc, party, q))
    if label == "city" and q.start > 0 and located and party.kind in ("city", "district", "county"):
        if party.parent is None and party.kind in ("district", "county"):
            party.parent = clean_name(q.text)
        return True  # "Koronadal City in South Cotabato": where the party lies, not a party
    right_after = after_comma and party.country is None and party.admin1 is None
    bracketed = q.start > 0 and doc[q.start - 1].text == "("
    if label == "city" and party.kind == "city" and (right_after or bracketed) and _region_of(party, q, gazetteer):
        party.admin1 = q.text  # "Seattle, Washington", "Seattle ( Washington , the USA )": a state
        return True
    if (
        label == "city"
        and party.kind in ("district", "county")
        and party.parent is None
        and (preceded_by_of or right_after)
    ):
        party.parent = clean_name(q.text)  # "Xihu District, Hangzhou City, Zhejiang Province"
        return True
    return False


def _located_in(doc, party: Party, q: Span) -> bool:
    """"Fengdu County in southwest China's Chongqing": the words after the party say where
    it lies, so a country's city that follows places it rather than being a new party."""
    return any(t.lower_ == "in" for t in doc[party.end : q.start])


def _region_of(party: Party, q: Span, gazetteer: Gazetteer) -> bool:
    """q names the state or province of one of the party's namesakes (Washington of Seattle)."""
    key = q.text.casefold()
    return any((c.admin1 or "").casefold() == key for c in gazetteer.lookup(party.text, fuzzy=False)[:5])


_VISIT_WORDS = {"visited", "visiting", "toured", "touring", "visit", "tour"}


def _is_venue(doc, span: Span, sent_start: int) -> bool:
    """'signed in the city hall in Bor', 'held in Wuhan', a dateline 'ROCKVILLE, Md. —':
    where the event happened, not who took part."""
    if (
        span.start == sent_start
        and span.end < len(doc)
        and doc[span.end].text in (",", "(")
        and span[0].text.isupper()
    ):
        return True
    window = [t.lower_ for t in doc[max(sent_start, span.start - 4) : span.start]]
    if not window:
        return False
    if window[-1] in _VENUE_WORDS or window[-1] in _VISIT_WORDS:
        return True
    # "in the city hall in Bor" / "at the town hall of X"
    return len(window) >= 2 and window[-1] == "of" and window[-2] in ("hall", "centre", "center")


def _hyphen_compound(doc, left: Span, right: Span, gazetteer: Gazetteer) -> bool:
    """Two names joined by a bare hyphen in one country are one place ("Friedrichshain-
    Kreuzberg"); "Changchun-Ulsan" (two countries) stays a pair."""
    if right.start != left.end + 1 or doc[left.end].text != "-" or doc[left.end].whitespace_:
        return False
    if doc[left.end - 1].whitespace_:
        return False
    a, b = gazetteer.lookup(left.text), gazetteer.lookup(right.text)
    return bool(a and b) and a[0].country == b[0].country


def _is_heading_label(doc, span: Span, sent_start: int) -> bool:
    """"Daqing: newly emerged industrial city": a table row's label, not a party; a long
    sentence after the colon makes it a dateline ("Kanazawa: The city government said ...")."""
    if not (span.start == sent_start and span.end < len(doc) and doc[span.end].text == ":"):
        return False
    sentence = doc[span.start].sent
    return sentence.end - span.end <= 12


def _is_locator(doc, span: Span, sent_start: int) -> bool:
    """'an industrial city west of Shanghai', 'near Paris', 'outside Lyon', 'the Ballard
    neighborhood', 'the Ohio city', 'Ohio city welcomes'."""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after in ("'s", "’s") and span.start > sent_start and doc[span.start - 1].lower_ == "the":
        return True  # "the Forest City's plants": a nickname, not a party
    if after in ("'s", "’s"):  # "one of Seoul's most prosperous districts"
        following = [t.lower_ for t in doc[span.end + 1 : span.end + 5]]
        if any(w in ("districts", "suburbs", "neighborhoods", "neighbourhoods", "wards", "boroughs") for w in following):
            return True
    if after in ("neighborhood", "neighbourhood", "suburb", "quarter", "area", "city's", "native") or (
        after == "city" and span.start > 0 and doc[span.start - 1].lower_ == "the"
    ):
        return True
    kinds = _KIND_NOUNS | {"village", "council"}
    if span.label_ == "province" and after in ("city", "town", "village", "council", "community", "municipality"):
        return True  # "Ohio city welcomes ...", "A New Mexico council": a place in it
    noun_end = span.end if span[-1].is_lower and span[-1].lower_ in kinds else span.end + 1
    if (
        span.start > sent_start
        and doc[span.start - 1].lower_ in ("a", "an", "one", "another", "any", "every")
        and (noun_end == span.end or after in kinds)
        and not (noun_end < len(doc) and doc[noun_end].pos_ in ("NOUN", "PROPN"))
    ):
        return True  # "a Cork village", "one Clare town", "a Rhode Island city": somewhere in it
    window = [t.lower_ for t in doc[max(sent_start, span.start - 3) : span.start]]
    if window and window[-1] in ("near", "outside", "beyond"):
        return True
    return len(window) >= 2 and window[-1] == "of" and window[-2] in _LOCATOR_WORDS


def _merge_repeats(parties: list[Party]) -> list[Party]:
    """'BOR. – ... in Bor': the same name twice in a sentence is one party."""
    seen: dict[str, Party] = {}
    merged: list[Party] = []
    for p in parties:
        key = p.name.casefold()
        if key in seen:
            first = seen[key]
            if first.text.isupper() and not p.text.isupper():  # prefer "Bor" to a "BOR." dateline
                first.text = p.text
            if (p.country, p.admin1) != (None, None) and (first.country, first.admin1) != (None, None):
                continue  # "Perth ... its namesake Perth in Western Australia": another place
            first.country = first.country or p.country
            first.admin1 = first.admin1 or p.admin1
            first.venue = first.venue and p.venue
            first.notes.append("repeated")  # named again as itself, not only as a dateline
            continue
        seen[key] = p
        merged.append(p)
    return merged
