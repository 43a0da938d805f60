"""The multilingual reader's place filters and pairing rules, one invented sentence each:
one-character countries, the story's host in conference reports, bracketed lists,
abbreviations, postal-only names, person names, German nouns before a city, names the
gazetteer lacks written again, and places inside a bracketed address.

Every text here is invented for the test.
"""

from __future__ import annotations

import pytest

from amity.languages.extractor import MultilingualExtractor, candidates, story_host
from amity.languages.lexicon import load_lexicon
from amity.languages.places import PlaceFinder
from amity.languages.reading import read
from amity.types import Article


@pytest.fixture(scope="module")
def finders(gazetteer):
    cache: dict[str, PlaceFinder] = {}

    def get(language: str) -> PlaceFinder:
        if language not in cache:
            cache[language] = PlaceFinder(gazetteer, load_lexicon(language))
        return cache[language]

    return get


@pytest.fixture(scope="module")
def extractor(gazetteer):
    return MultilingualExtractor(gazetteer, scorer=False)


def places(finder: PlaceFinder, text: str, url: str | None = None) -> list[tuple[str, str | None]]:
    return [(m.name, m.country) for m in finder.find(text, url) if not m.is_country]


def examine(extractor, language: str, title: str, body: str, url: str | None = None):
    article = Article(id="t", title=title, text=f"{title}\n\n{body}", url=url, language=language)
    return extractor.examine(article)


def pair_names(reading, found, rule: str | None = None) -> set[frozenset[str]]:
    return {
        frozenset((reading.parties[c.a].name, reading.parties[c.b].name))
        for c in found
        if rule is None or rule in c.rules
    }


def test_a_one_character_country_needs_a_neighbour(finders):
    finder = finders("zh")
    found = finder.find("本报11月19日电 19日,在昆明举行的大会上")
    assert "JP" not in {m.country for m in found if m.is_country}  # 日 of 19日 is a day
    found = finder.find("中日两国的城市")
    assert {"CN", "JP"} <= {m.country for m in found if m.is_country}


def test_the_venue_of_a_conference_is_no_host(extractor):
    reading, found = examine(
        extractor,
        "zh",
        "国际友好城市大会签署多份协议",
        "在成都举行的大会上,大连市与日本北九州市、青岛市与韩国大邱市签署建立友好城市关系协议书。"
        "成都市表示欢迎。成都是大会的举办地。",
    )
    assert reading.host_and_source()[1] == "count"
    assert story_host(reading) is None
    pairs = pair_names(reading, found, "coord")
    assert frozenset(("大连", "北九州")) in pairs and frozenset(("青岛", "大邱")) in pairs
    assert not any("成都" in pair for pair in pair_names(reading, found, "host"))


def test_a_municipality_word_opens_the_name(finders):
    assert ("Felgueiras", "PT") in places(finders("pt"), "Concelho de Felgueiras – Protocolos de Geminação")


def test_an_initial_opens_a_name_and_ends_no_sentence(extractor):
    reading, _ = examine(
        extractor,
        "pt",
        "Concelho de Felgueiras",
        "Acordos de geminação em vigor:\n- desde 2003 – S. João da Madeira (Portugal)",
    )
    last = reading.sentences[-1]
    assert last.text.strip().startswith("- desde 2003 – S. João")
    assert [(reading.parties[k].name, reading.parties[k].best.country) for k in last.parties] == [("São João da Madeira", "PT")]


def test_postal_only_names_function_words_and_people_are_no_places(finders):
    names = [n for n, _ in places(finders("pt"), "A Câmara Municipal organizou o Dia do Município de Guimarães.")]
    assert "Municipal" not in names and "Dia" not in names and "Guimarães" in names
    names = [n for n, _ in places(finders("es"), "El alcalde firmó con la alcaldesa Carolina Mejía en Sevilla.")]
    assert "Carolina" not in names and "Mejía" not in names and "Sevilla" in names


def test_a_country_before_bracketed_names_states_theirs(finders):
    found = places(finders("ru"), "Делегации прибыли из Китайской Народной Республики (Харбин, Далянь) и США (Денвер).")
    assert ("Харбин", "CN") in found and ("Далянь", "CN") in found and ("Денвер", "US") in found


def test_a_state_in_brackets_after_a_country_is_no_party(finders):
    names = [n for n, _ in places(finders("uk"), "Гості приїхали з Фресно (США, Каліфорнія) та Батумі (Грузія).")]
    assert "Фресно" in names and "Батумі" in names and "Каліфорнія" not in names


def test_a_german_noun_may_stand_before_a_city(finders):
    found = places(finders("de"), "Die Gemeinde schickt Lehrer in die Millionenmetropole Krasnodar am Kuban.")
    assert ("Krasnodar", "RU") in found


def test_a_country_adjective_qualifies_only_the_name_right_after_it(finders):
    found = places(finders("de"), "Stadt Brilon begrüßt italienische Gäste\nBrilon: Freundschaft mit der italienischen Stadt Tropea.")
    assert found.count(("Brilon", "DE")) == 2 and ("Tropea", "IT") in found


def test_a_word_of_the_page_address_is_read_as_the_place(finders):
    text = "Die Partnerschaft zwischen Wels und Saki ruht seit dem Frühjahr."
    assert "Wels" not in [n for n, _ in places(finders("de"), text)]  # "Wels" is also a fish
    assert "Wels" in [n for n, _ in places(finders("de"), text, "https://example.at/oberoesterreich/wels/artikel")]


def test_a_marked_unknown_name_is_a_place_wherever_it_is_written(finders):
    found = places(finders("ja"), "韓国の慶尚南道金海市の代表団が来日した。金海市の市長は宗像市で講演した。")
    assert found.count(("金海", "KR")) == 2


def test_places_in_a_bracketed_address_are_not_a_pair(extractor):
    reading, found = examine(
        extractor,
        "ja",
        "杭州市・浜松市が姉妹都市に",
        "両市の市長は浜名湖畔のホテル(静岡県浜松市・湖西市)で杭州市と浜松市の友好都市協定に署名した。",
    )
    pairs = pair_names(reading, found, "coord")
    assert frozenset(("杭州", "浜松")) in pairs and frozenset(("浜松", "湖西")) not in pairs


def test_two_places_around_a_relation_word_are_their_own_pair(extractor):
    reading, found = examine(
        extractor,
        "ru",
        "Дружба продолжается",
        "Делегация посетила Минск, а потом Минск снова. Гродно – город-побратим нашего города Брест.",
    )
    between = pair_names(reading, found, "between")
    assert between == {frozenset(("Гродно", "Брест"))}
    assert not any("Минск" in pair and ("Гродно" in pair or "Брест" in pair) for pair in pair_names(reading, found, "host"))


def test_the_host_is_not_paired_with_a_domestic_foreign_coordination(extractor):
    reading, found = examine(
        extractor,
        "ru",
        "Сергиев Посад и китайский Вэйхай стали городами-побратимами",
        "Сергиев Посад подписал соглашение о побратимстве с Вэйхаем. "
        "Такие же бумаги скрепили подписями Ступино и Циндао.",
    )
    assert frozenset(("Ступино", "Циндао")) in pair_names(reading, found)
    assert not any("Циндао" in pair and "Сергиев Посад" in pair for pair in pair_names(reading, found))


def test_candidates_of_an_article_without_relation_words_are_none(extractor):
    reading, _ = examine(extractor, "fr", "Une fête à Lyon", "La ville de Lyon accueille Marseille pour un match.")
    assert candidates(reading) == []


def test_reading_keeps_no_state_between_articles(gazetteer):
    finder = PlaceFinder(gazetteer, load_lexicon("de"))
    lexicon = load_lexicon("de")
    with_url = read("Wels und Saki", 0, lexicon, finder, "https://example.at/wels/x")
    without = read("Wels und Saki", 0, lexicon, finder, None)
    assert "Wels" in {p.name for p in with_url.parties.values()}
    assert "Wels" not in {p.name for p in without.parties.values()}


def test_a_dated_list_line_gives_the_year_a_tie_began(extractor):
    from amity.languages.extractor import describe

    reading, found = examine(
        extractor,
        "pt",
        "Concelho de Felgueiras – Protocolos de Geminação",
        "Acordos de geminação em vigor:\n- 2 de maio de 2001 – Boa Vista (Cabo Verde)",
    )
    (listed,) = [c for c in found if "host_list" in c.rules]
    relation = describe(reading, listed, None)
    assert relation.established == 2001 and relation.event == "mention"


# -- big cities are places; what tuned word lists once did, general rules do ----------------


@pytest.mark.parametrize(
    ("language", "title", "body", "pair"),
    [
        ("ja", "大阪とメルボルンが姉妹都市に", "大阪とメルボルンは1978年に姉妹都市提携を結んだ。", ("大阪", "メルボルン")),
        ("ja", "静岡とオマハが姉妹都市に", "静岡と米国のオマハは姉妹都市提携を結んだ。", ("静岡", "オマハ")),
        ("es", "Madrid y Buenos Aires, ciudades hermanas", "Madrid y Buenos Aires firmaron un hermanamiento en 1980.", ("Madrid", "Buenos Aires")),
        ("fr", "Paris et Rome", "Paris et Rome sont jumelées depuis 1956.", ("Paris", "Rome")),
        ("zh", "黑龙江省与阿穆尔州结为友好省州", "黑龙江省与俄罗斯阿穆尔州签署友好省州关系协议。", ("黑龙江", "阿穆尔")),
    ],
)
def test_big_cities_and_provinces_are_places_in_a_plain_twinning_sentence(extractor, language, title, body, pair):
    reading, found = examine(extractor, language, title, body)
    assert frozenset(pair) in pair_names(reading, found, "coord")


def test_a_province_name_is_read_whole_not_as_the_county_inside_it(finders):
    found = [(m.name, m.kind, m.country) for m in finders("zh").find("黑龙江省大庆市与俄罗斯阿穆尔州")]
    assert ("黑龙江", "province", "CN") in found and ("阿穆尔", "province", "RU") in found
    assert not any(name in ("龙江", "穆尔") for name, _, _ in found)


def test_a_name_after_a_building_or_town_part_word_is_no_partner(finders):
    text = "Die Gäste aus Dreux besuchten den Stadtteil Gesundbrunnen und feierten am Abend im Steinhaus."
    assert places(finders("de"), text) == [("Dreux", "FR")]


def test_a_place_inside_another_name_is_no_place(finders):
    found = finders("ja").find("奈良ホテルで奈良県と陝西省が友好提携を結んだ。北京週報によれば")
    assert [m.text for m in found if m.name == "奈良"] == ["奈良県"]  # not the hotel
    assert "北京" not in {m.name for m in found}


def test_a_korean_council_stands_for_its_city_and_hanja_glosses_are_skipped(finders):
    found = finders("ko").find("충남 아산시의회는 중국 산둥 성(山東省) 룽청(榮成)시 대표단과 우호교류 협정을 맺었다.")
    by_name = {m.name: m for m in found}
    assert by_name["아산"].qualified and by_name["아산"].country == "KR"  # 충남 qualifies it
    assert by_name["산둥"].kind == "province" and by_name["룽청"].country == "CN"


def test_a_country_after_a_place_states_it_everywhere_the_name_is_written(extractor):
    reading, _ = examine(
        extractor,
        "es",
        "Valencia y Maracay celebran su hermanamiento",
        "La ciudad de Valencia, Venezuela, firmó un hermanamiento con Maracay.",
    )
    # Spanish news prefers Spain's Valencia; the text says which, title included
    assert [m.country for m in reading.mentions if m.name == "Valencia"] == ["VE", "VE"]


def test_a_known_title_place_is_the_host_before_a_name_the_gazetteer_lacks(extractor):
    reading, _ = examine(
        extractor, "es", "Una delegación de Xalupa visita Sevilla", "La ciudad de Xalupa (México) firmó un hermanamiento con Sevilla."
    )
    assert reading.parties[reading.host()].name == "Sevilla"


def test_places_in_a_bracketed_address_are_no_parties(extractor):
    reading, found = examine(
        extractor,
        "ja",
        "大津市と九江市が友好都市に",
        "会議は琵琶湖(滋賀県大津市・草津市)で開かれ、大津市と中国の九江市が友好都市協定に署名した。",
    )
    assert "草津" not in {p.name for p in reading.parties.values()}
    assert frozenset(("大津", "九江")) in pair_names(reading, found, "coord")


def test_a_city_before_a_verb_is_the_host_of_its_story(extractor):
    reading, found = examine(
        extractor, "ru", "Саратов может разорвать побратимство с Далласом", "Саратов может прекратить побратимские связи с Далласом."
    )
    assert frozenset(("Саратов", "Даллас")) in pair_names(reading, found, "host")


# ordinary words that the gazetteer also knows as a big place: listed as no place bare
# (CJK and Korean read them as the place with a suffix: 지난시, 위해시)
ORDINARY_WORDS = {
    ("de", "der"),  # the article (Der: Győr)
    ("it", "città"),  # city (Chita)
    ("pt", "os"), ("pt", "capital"),  # the; the capital (Capital, VE)
    ("zh", "联合"),  # joint (Lianhe)
    ("ja", "コロナ"), ("ko", "코로나"),  # the virus (Corona, US)
    ("ko", "나가"), ("ko", "위해"), ("ko", "지난"), ("ko", "한중"),  # go out; for; last; Korea-China
}


def test_no_lexicon_lists_a_real_city_or_province_as_no_place(gazetteer, finders):
    """not_places is for words (mayor, city hall, the); a name the gazetteer reads as a
    province or a city of 100,000 or more is handled by a rule, not hidden in a list, unless
    it is an ordinary word of the language (ORDINARY_WORDS)."""
    from amity.languages import SUPPORTED

    listed = []
    for language in SUPPORTED:
        for word in load_lexicon(language).not_places:
            for candidate in gazetteer.lookup(word, fuzzy=False)[:3]:
                if candidate.kind == "province" or (candidate.population or 0) >= 100_000:
                    listed.append((language, word))
    assert set(listed) <= ORDINARY_WORDS, set(listed) - ORDINARY_WORDS
    assert [m.name for m in finders("ko").find("중국 지난시와 위해시") if not m.is_country] == ["지난", "위해"]


def test_a_region_after_a_comma_locates_the_place_and_is_no_party(extractor):
    reading, found = examine(
        extractor,
        "es",
        "Un nuevo hermanamiento",
        "El alcalde de San Sebastián de los Reyes, Madrid, firmó el hermanamiento con Arcos de la Frontera.",
    )
    names = {p.name for p in reading.parties.values()}
    assert {"San Sebastián de los Reyes", "Arcos de la Frontera"} <= names and "Madrid" not in names
    assert pair_names(reading, found) == {frozenset(("San Sebastián de los Reyes", "Arcos de la Frontera"))}
