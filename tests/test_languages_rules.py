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
