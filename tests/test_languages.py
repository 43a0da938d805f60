"""The multilingual reader (amity.languages): language id, lexicons, dates, places, pairs,
routing, and a Chinese and an English report of one pair merging in the registry.

Every text here is invented for the test.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from amity.cli import app
from amity.languages import SUPPORTED, detect_language
from amity.languages.dates import find_dates
from amity.languages.lexicon import load_lexicon
from amity.languages.places import PlaceFinder, _base_forms
from amity.pipeline import default_pipeline
from amity.types import Article

ZH_ARTICLE = Article(
    id="zh-invented",
    title="长春市与韩国蔚山市签署友好城市协议",
    text=(
        "长春市与韩国蔚山市签署友好城市协议\n\n"
        "2024年5月24日,长春市与韩国蔚山市在长春签署缔结友好城市关系协议书。"
        "两市市长出席签约仪式,并表示将在经贸、文化等领域开展交流与合作。"
    ),
    published=dt.date(2024, 5, 25),
)
EN_ARTICLE = Article(
    id="en-invented",
    title="Ulsan and Changchun become sister cities",
    text=(
        "Ulsan and Changchun become sister cities\n\n"
        "ULSAN, May 24 (Invented News) - The South Korean city of Ulsan and the Chinese city of "
        "Changchun signed a sister city agreement on Friday, the mayors of both cities said. "
        "The two cities will cooperate in trade, culture and education."
    ),
    published=dt.date(2024, 5, 25),
)
RU_ARTICLE = Article(
    id="ru-invented",
    title="Саратов и Даллас стали городами-побратимами",
    text=(
        "Саратов и Даллас стали городами-побратимами\n\n"
        "Мэры Саратова и Далласа подписали соглашение о побратимстве 12 марта 2024 года. "
        "Города планируют обмениваться делегациями школьников."
    ),
    published=dt.date(2024, 3, 13),
)
NL_ARTICLE = Article(
    id="nl-invented",
    title="Utrecht en Brno vieren hun stedenband",
    text=(
        "De gemeente Utrecht en de Tsjechische stad Brno vieren dit jaar hun stedenband. "
        "Een delegatie uit Brno bezoekt volgende week het stadhuis, waar de burgemeester "
        "de gasten ontvangt. Er staan ook concerten, tentoonstellingen en een fietstocht op het "
        "programma, en scholen uit beide steden wisselen leerlingen uit."
    ),
)


@pytest.fixture(scope="session")
def pipeline(gazetteer):
    return default_pipeline()


@pytest.fixture(scope="session")
def run(pipeline):
    def go(article: Article) -> Article:
        copy = Article(**{**article.__dict__, "relations": [], "claims": [], "errors": [], "notes": []})
        return pipeline(copy)

    return go


def test_languages_are_identified_by_script_and_model():
    assert detect_language("长春市与韩国蔚山市缔结友好城市关系").language == "zh"
    assert detect_language("鴨川市とマニトワック市は姉妹都市提携を結んだ。").language == "ja"
    assert detect_language("사천시와 용인시가 자매결연 협약을 체결했다.").language == "ko"
    assert detect_language("Сергиев Посад и Вэйхай стали городами-побратимами.").language == "ru"
    assert detect_language("La commune a scellé son jumelage avec une ville allemande.").language == "fr"
    assert detect_language("1234 5678").language == "und"


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_language_has_a_lexicon(language):
    lexicon = load_lexicon(language)
    assert lexicon.language == language
    assert set(lexicon.relation.values()) <= {"sister", "friendly", "ambiguous"}
    assert any(lexicon.events[e] for e in ("agreement", "anniversary"))
    assert len(lexicon.countries) > 200  # CLDR names via scripts/build_language_countries.py
    assert lexicon.anniversary and lexicon.dates


@pytest.mark.parametrize(
    ("language", "text", "published", "expected"),
    [
        ("zh", "双方于2024年5月24日签署协议", None, "2024-05-24"),
        ("zh", "今(11)日正式签约", dt.date(2024, 10, 11), "2024-10-11"),
        ("zh", "上月28日举行庆典", dt.date(2011, 11, 3), "2011-10-28"),
        ("ko", "2024년 5월 24일 협약을 체결했다", None, "2024-05-24"),
        ("ko", "25일 협약을 체결했다", dt.date(2021, 2, 25), "2021-02-25"),
        ("ja", "令和5年11月21日に宣言", None, "2023-11-21"),
        ("ja", "7月30日に式典", None, "--07-30"),
        ("ru", "подписали 24 мая 2024 года", None, "2024-05-24"),
        ("uk", "10 травня підписали договір", dt.date(2023, 6, 1), "2023-05-10"),
        ("fr", "le vendredi 17 mars", None, "--03-17"),
        ("de", "am 24. Mai 2024 unterzeichnet", None, "2024-05-24"),
        ("it", "sabato 8 ottobre la cerimonia", dt.date(2016, 10, 1), "2016-10-08"),
        ("es", "el 4 de junio de 2025", None, "2025-06-04"),
        ("pt", "em 13 de julho de 1996", None, "1996-07-13"),
    ],
)
def test_dates_in_each_language(language, text, published, expected):
    found = find_dates(text, load_lexicon(language), published)
    assert found and found[0].value == expected


def test_russian_and_ukrainian_case_endings_have_base_forms():
    assert "Ростов-на-Дону" in _base_forms("Ростова-на-Дону", "ru")
    assert "Сергиев Посад" in _base_forms("Сергиевым Посадом", "ru")
    assert "Городец" in _base_forms("Городца", "ru")
    assert "Умань" in _base_forms("Умані", "uk")
    assert _base_forms("Lyon", "fr") == ["Lyon"]


def test_native_script_places_with_stated_countries(gazetteer):
    finder = PlaceFinder(gazetteer, load_lexicon("zh"))
    mentions = [m for m in finder.find("长春市与韩国蔚山市缔结友好城市关系30周年") if not m.is_country]
    assert [(m.name, m.country) for m in mentions] == [("长春", "CN"), ("蔚山", "KR")]
    # a name the gazetteer lacks is kept when a country is written before it
    unknown = [m for m in finder.find("贵阳市与乌拉圭里维拉市签署意向书") if not m.is_country]
    assert ("里维拉", "UY") in [(m.name, m.country) for m in unknown]


def test_a_chinese_article_is_read(run):
    article = run(ZH_ARTICLE)
    assert article.language == "zh" and not article.errors
    (relation,) = article.relations
    assert {relation.a.canonical, relation.b.canonical} == {"Changchun", "Ulsan"}
    assert {relation.a.name, relation.b.name} == {"长春", "蔚山"}  # names as written
    assert relation.event == "agreement" and relation.event_date == "2024-05-24"
    assert "签署" in relation.evidence[0]  # the evidence is in its own language


def test_a_russian_article_is_read(run):
    article = run(RU_ARTICLE)
    assert article.language == "ru"
    pairs = [{r.a.canonical, r.b.canonical} for r in article.relations]
    assert {"Saratov", "Dallas"} in pairs


def test_an_unsupported_language_gets_a_note_not_an_error(run):
    article = run(NL_ARTICLE)
    assert article.errors == [] and article.relations == []
    assert article.notes and "'nl' is not read" in article.notes[0]
    assert "notes" in json.loads(article.to_json())


def test_english_articles_take_the_english_path_unchanged(run, gazetteer):
    english = default_pipeline("en")
    copy = Article(**{**EN_ARTICLE.__dict__, "relations": [], "claims": [], "errors": [], "notes": []})
    assert run(EN_ARTICLE).to_json() == english(copy).to_json()


def test_chinese_and_english_reports_merge_into_one_relation(tmp_path, pipeline):
    from sqlalchemy import func, select

    from amity.registry import open_registry
    from amity.registry.models import EventRow, RelationRow
    from amity.registry.store import ingest

    registry = open_registry(f"sqlite:///{tmp_path / 'ml.db'}")
    try:
        summary = ingest(registry, [ZH_ARTICLE, EN_ARTICLE], pipeline=pipeline)
        assert summary.relevant == 2, summary
        with registry.session() as session:
            assert session.scalar(select(func.count()).select_from(RelationRow)) == 1
            articles = session.scalar(select(func.count(func.distinct(EventRow.article_id))))
            assert articles == 2  # one relation, two sources
    finally:
        registry.close()


def test_cli_lang_option(tmp_path, gazetteer):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "zh1", "title": ZH_ARTICLE.title, "text": ZH_ARTICLE.text}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["relations"]
    bad = CliRunner().invoke(app, ["extract", str(path), "--lang", "xx"])
    assert bad.exit_code == 2
