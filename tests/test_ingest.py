"""Tests for amity.ingest and amity.datelines, on real files in tmp_path (no mocks).

Every article text below is invented for these tests; ../shared/corpus is only read at run
time by the seed test.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amity.datelines import find_published, parse_date
from amity.errors import BadInput
from amity.ingest import (
    MAX_TEXT_CHARS,
    article_from_html,
    article_from_text,
    clean_text,
    content_hash,
    decode_bytes,
    guess_language,
    read_article_file,
    read_articles,
)
from amity.ingest import readers as readers_module
from amity.types import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"

PARAGRAPH = (
    "The town of Amberley signed a sister city agreement with the port of Kestrel on Monday, "
    "and the two mayors said that the partnership is a gift for the people of both places."
)
CHINESE = (
    "两座城市于今年五月正式签署友好城市协议，双方将在经济、文化、教育等领域开展交流合作。"
    "市长表示，这是两市关系发展的重要里程碑，希望以此为契机推动更多青少年交流项目。"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def only(articles: list[Article]) -> Article:
    assert len(articles) == 1, articles
    return articles[0]


def messages(article: Article) -> str:
    return " | ".join(str(error) for error in article.errors)


# --- find_published -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated : 2024-05-28Source : Town office", dt.date(2024, 5, 28)),
        ("(example.com.cn)| Updated : 2021-12-16\n\nText.", dt.date(2021, 12, 16)),
        ("AMBERLEY, May 8, 2024 /PRNewswire/ -- The town said", dt.date(2024, 5, 8)),
        (" date 2024-05-08 AMBERLEY, May 8, 2024 /PRNewswire/ -- x", dt.date(2024, 5, 8)),
        ("Published: 3 March 2023\nThe council met.", dt.date(2023, 3, 3)),
        ("Two towns twin\n2023-11-16 10:31\nThe council met.", dt.date(2023, 11, 16)),
        ("Two towns twin\nNov. 16, 2023\nThe council met.", dt.date(2023, 11, 16)),
        ("Two towns twin\n16.11.2023\nThe council met.", dt.date(2023, 11, 16)),
        ("KESTREL, Norland, March 3, 2023 (Wire) — The port", dt.date(2023, 3, 3)),
        ("发布时间：2022年6月2日\n两市签约。", dt.date(2022, 6, 2)),
        ("Posted on 11/16/2023 by the town office", dt.date(2023, 11, 16)),
    ],
)
def test_find_published_reads_datelines(text, expected):
    assert find_published(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The steel plant was established in 1913 in the city and grew.",
        "Copyright 2023 Amberley Gazette. All rights reserved.",
        "© 2021-01-05 Amberley Gazette",
        "The twinning agreement was first signed on May 5, 1985 in the old town hall there.",
        "On November 15, a letter of intent was signed in the town hall.",
        "Updated: 2999-01-01",
        "Posted on 05/06/2023 by the town office",  # day and month order unknowable
        "Town Ground\n\nTuesday, 1 March\n\n2000 GMT\n\nReferee: A. Person",  # kick-off time
        "",
    ],
)
def test_find_published_returns_none_when_unsure(text):
    assert find_published(text) is None


def test_find_published_prefers_label_over_earlier_bare_date():
    text = "Town news\n2020-01-02\nUpdated: 2021-03-04\n" + PARAGRAPH
    assert find_published(text) == dt.date(2021, 3, 4)


def test_find_published_takes_labelled_date_beyond_the_head_only():
    filler = (PARAGRAPH + "\n") * 12
    assert find_published(filler + "Published: 2022-02-03\n") == dt.date(2022, 2, 3)
    assert find_published(filler + "2022-02-03\n") is None


def test_find_published_respects_today():
    assert find_published("Updated: 2024-05-28", today=dt.date(2024, 5, 1)) is None


def test_parse_date_forms():
    assert parse_date("2024-05-08T10:00:00Z") == dt.date(2024, 5, 8)
    assert parse_date("May 8, 2024") == dt.date(2024, 5, 8)
    assert parse_date("8 May 2024") == dt.date(2024, 5, 8)
    assert parse_date("not a date") is None


# --- content_hash, language -------------------------------------------------------------


def test_content_hash_is_short_hex_and_normalised():
    value = content_hash("Café  twins\n")
    assert len(value) == 16 and int(value, 16) >= 0
    assert value == content_hash("Cafe\u0301 twins")  # NFD and NFC agree
    assert value != content_hash("Cafe twins")


WHITESPACE = [" ", "  ", "\n", "\t", "\r\n", "\u00a0 ", "\u3000"]
WORD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1
)


@given(words=st.lists(WORD_TEXT, min_size=1, max_size=8), data=st.data())
def test_content_hash_stable_under_whitespace_changes(words, data):
    separators = [data.draw(st.sampled_from(WHITESPACE)) for _ in words]
    lead = data.draw(st.sampled_from(["", *WHITESPACE]))
    messy = lead + "".join(word + sep for word, sep in zip(words, separators, strict=True))
    assert content_hash(messy) == content_hash(" ".join(words))


def test_guess_language():
    assert guess_language(PARAGRAPH) == "en"
    assert guess_language(CHINESE) == "zh"
    assert guess_language("Die Stadt und die Partnerstadt feiern das Jubiläum.") is None
    assert guess_language("") is None


# --- decode_bytes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("The mayor of Zürich called the “twinning” café pact naïve – but welcome. " * 3, "cp1252"),
        ("Le maire de Nîmes a signé à Genève un accord de jumelage très réussi. " * 3, "latin-1"),
        (PARAGRAPH, "utf-16"),
        (PARAGRAPH + " Zürich", "utf-8-sig"),
        (CHINESE, "gb18030"),
        ("Город Бор подписал письмо о намерениях установить побратимские связи.", "cp1251"),
        ("Straße", "cp1252"),
        ("naïve café", "cp1252"),
        ("“Twins” – ok…", "cp1252"),
    ],
)
def test_decode_bytes_detects_encoding(text, encoding):
    assert decode_bytes(text.encode(encoding), "sample.txt") == text


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03binary\x00stuff", b"\x89PNG\r\n\x1a\n\x00\x00", b"%PDF-1.7\n%\xe2\xe3"],
)
def test_decode_bytes_refuses_binary_and_names_input(data):
    with pytest.raises(BadInput) as info:
        decode_bytes(data, "photo.bin")
    assert "photo.bin" in str(info.value)


# --- clean_text and article_from_text --------------------------------------------------


def test_clean_text_strips_rendered_page_boilerplate():
    text = (FIXTURES / "rendered_page.txt").read_text(encoding="utf-8")
    cleaned = clean_text(text)
    for gone in (
        "HOME",
        "Overview",
        "btn-search",
        "Search",
        "Home > News",
        "Print",
        "Fonts",
        "harbour_01.jpg",
        "Related Stories",
        "trade fair",
        "Copyright",
        "ICP",
    ):
        assert gone not in cleaned, gone
    assert "Northbridge signs letter of intent with Port Alder" in cleaned
    assert "Published: 3 March 2023" in cleaned
    assert "Partnership at a glance" in cleaned  # a subheading between paragraphs stays
    assert "known for its shipyards.\n\nMayor Ines Calloway" in cleaned


def test_clean_text_keeps_plain_article_intact():
    text = f"Amberley twins with Kestrel\n\n{PARAGRAPH}\n\nIn brief\n\n{PARAGRAPH}"
    assert clean_text(text) == text


def test_clean_text_keeps_sentence_bullets_and_chinese_paragraphs():
    text = f"• The two towns will exchange forty students every year.\n{CHINESE}\n{CHINESE}"
    assert clean_text(text) == text


def test_clean_text_keeps_partner_lists_and_tables():
    """List and table entries name places: they are not menu items (text invented)."""
    text = (
        "• Home\n• About Us\n• Contact\n\n"
        f"{PARAGRAPH}\n\n"
        "Sister Cities (and year of agreement)\n\n"
        "    Kestrel, Norland (2008)\n\n"
        "    Port Alder, Westmark (2015)\n\n"
        "Friendship City\n\n"
        "    Brisa, Ostland (2005)\n\n"
        "Twinned towns of Amberley;\n"
        "• Municipality of Varnholt in Norland,\n"
        "• Quillby in Westmark,\n"
        "┌──────────┬──────────┐\n"
        "│ Ostrava  │ Czechia  │\n"
        "├──────────┼──────────┤\n"
        "│ Lindholm │ Norland  │\n"
        "└──────────┴──────────┘\n"
    )
    cleaned = clean_text(text)
    for kept in ("Kestrel, Norland (2008)", "Port Alder, Westmark (2015)", "Friendship City",
                 "Brisa, Ostland (2005)", "• Municipality of Varnholt in Norland,",
                 "• Quillby in Westmark,", "│ Ostrava  │ Czechia  │", "│ Lindholm │ Norland  │"):
        assert kept in cleaned, kept
    for gone in ("Home", "About Us", "Contact", "┌", "├", "└"):
        assert gone not in cleaned, gone


def test_clean_text_keeps_a_heading_above_descriptive_items():
    text = (
        f"{PARAGRAPH}\n"
        "Norland Kestrel\n"
        "  • Hot springs resort city\n"
        "  • Advancement of tourism industry\n"
        "Westmark Port Alder\n"
        "  • Newly emerged industrial city\n"
    )
    cleaned = clean_text(text)
    assert "Norland Kestrel" in cleaned and "Westmark Port Alder" in cleaned


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Exchanges of Amberley JC↔Kestrel JC", "Exchanges of Amberley JC ↔ Kestrel JC"),
        ("Amberley→Kestrel, Kestrel<->Port Alder", "Amberley → Kestrel, Kestrel <-> Port Alder"),
        ("Amberley│Kestrel|Brisa｜Ostland", "Amberley │ Kestrel | Brisa ｜ Ostland"),
        ("Amberley • Kestrel", "Amberley • Kestrel"),
        ("Amberley–Kestrel twin-town link", "Amberley–Kestrel twin-town link"),
        ("北京→东京", "北京→东京"),
    ],
)
def test_clean_text_separates_glued_arrows_and_bars(line, expected):
    assert clean_text(f"{PARAGRAPH}\n{line} and more words here") == (
        f"{PARAGRAPH}\n{expected} and more words here"
    )


def test_article_from_text_sets_fields():
    text = "Updated: 2024-05-28\n\nAmberley and Kestrel become sister cities\n\n" + PARAGRAPH
    article = article_from_text(text, id="a1", source="a1.txt", url="https://example.org/a1")
    assert article.title == "Amberley and Kestrel become sister cities"
    assert article.published == dt.date(2024, 5, 28)
    assert article.language == "en"
    assert article.content_hash == content_hash(article.text)
    assert article.url == "https://example.org/a1" and article.errors == []


def test_article_from_text_given_values_win():
    article = article_from_text(
        "Updated: 2024-05-28\n" + PARAGRAPH,
        id="a",
        source="a",
        title="Given",
        published="2020-02-02",
    )
    assert (article.title, article.published) == ("Given", dt.date(2020, 2, 2))
    assert article_from_text(
        PARAGRAPH, id="a", source="a", published=dt.date(2021, 1, 2)
    ).published == dt.date(2021, 1, 2)


def test_article_from_text_long_first_line_is_not_a_title():
    assert article_from_text(PARAGRAPH * 2, id="a", source="a").title is None


def test_article_from_text_unreadable_date_is_recorded():
    article = article_from_text(PARAGRAPH, id="a", source="a.txt", published="sometime soon")
    assert article.published is None
    assert "a.txt" in messages(article) and "sometime soon" in messages(article)


def test_article_from_text_truncates_huge_text():
    line = "Amberley and Kestrel renewed their twinning pact again this year.\n"
    article = article_from_text(
        line * (MAX_TEXT_CHARS // len(line) + 100), id="big", source="big.txt"
    )
    assert len(article.text) <= MAX_TEXT_CHARS
    assert article.text.endswith("this year.")
    assert "truncated" in messages(article) and "big.txt" in messages(article)


# --- HTML -------------------------------------------------------------------------------


def test_article_from_html_uses_trafilatura_and_meta_date():
    article = only(read_article_file(FIXTURES / "twinning_page.html"))
    assert article.id == "twinning_page"
    assert article.title == "Riverton and Hallstadt mark ten years as sister cities"
    assert article.published == dt.date(2023, 9, 14)
    assert "linden tree" in article.text
    assert "do not read me" not in article.text and "Sport" not in article.text
    assert "All rights reserved" not in article.text
    assert article.errors == []


def test_article_from_html_ignores_copyright_footer_year():
    html = (FIXTURES / "copyright_only.html").read_bytes()
    article = article_from_html(html, id="lake", source="lake.html")
    assert article.published is None
    assert article.title == "Lakeside council news"
    assert "Marovia" in article.text


def test_article_from_html_prefers_dateline_to_footer():
    html = (
        "<html><head><title>Amberley news</title></head><body><div>"
        "<p>Published: 12 October 2022</p>"
        f"<p>{PARAGRAPH}</p><p>{PARAGRAPH.replace('Monday', 'Friday')}</p>"
        "</div><div>© 2024 Amberley Gazette</div></body></html>"
    )
    assert article_from_html(html, id="n", source="n.html").published == dt.date(2022, 10, 12)


def test_article_from_html_falls_back_to_lxml_for_tiny_pages():
    html = (
        "<html><head><title>Small page</title><style>p{color:red}</style></head><body>"
        "<nav>Home News Sport</nav><header>Site header</header>"
        "<p>Two small towns agreed to twin.</p><script>var secret = 1;</script>"
        "<footer>Contact us</footer></body></html>"
    )
    article = article_from_html(html.encode("utf-8"), id="tiny", source="tiny.html")
    assert "Two small towns agreed to twin." in article.text
    for gone in ("secret", "color", "Home News", "Site header", "Contact us"):
        assert gone not in article.text
    assert article.title == "Small page"


def test_article_from_html_decodes_declared_charset():
    html = (
        '<html><head><meta charset="windows-1252"><title>Zürich twins</title></head>'
        f"<body><p>{PARAGRAPH} Zürich café.</p></body></html>"
    ).encode("cp1252")
    article = article_from_html(html, id="z", source="z.html")
    assert "Zürich café" in article.text


# --- files, directories, globs, JSONL, stdin --------------------------------------------


def test_read_articles_sniffs_html_without_suffix(tmp_path):
    write(tmp_path / "page.dat", (FIXTURES / "twinning_page.html").read_text(encoding="utf-8"))
    article = only(list(read_articles([tmp_path / "page.dat"])))
    assert article.title.startswith("Riverton and Hallstadt")
    assert "<p>" not in article.text


def test_read_articles_text_file_id_and_source(tmp_path):
    path = write(tmp_path / "amberley-kestrel.txt", f"Amberley twins with Kestrel\n\n{PARAGRAPH}\n")
    article = only(list(read_articles([str(path)])))
    assert article.id == "amberley-kestrel"
    assert article.source == str(path)
    assert article.title == "Amberley twins with Kestrel"


def test_read_articles_directory_recursive_sorted_skips_hidden(tmp_path):
    write(tmp_path / "b.txt", PARAGRAPH)
    write(tmp_path / "a" / "z.txt", PARAGRAPH)
    write(tmp_path / "a" / "c.html", (FIXTURES / "twinning_page.html").read_text(encoding="utf-8"))
    write(tmp_path / ".hidden.txt", PARAGRAPH)
    write(tmp_path / ".git" / "x.txt", PARAGRAPH)
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF")
    ids = [a.id for a in read_articles([tmp_path])]
    assert ids == ["c", "z", "b"]


def test_read_articles_expands_globs_and_keeps_input_order(tmp_path):
    for name in ("n2.html", "n1.html", "other.txt"):
        write(tmp_path / "news" / name, f"<html><body><p>{PARAGRAPH}</p></body></html>")
    write(tmp_path / "first.txt", PARAGRAPH)
    paths = [
        tmp_path / "first.txt",
        str(tmp_path / "news" / "*.html"),
        tmp_path / "news" / "other.txt",
    ]
    assert [a.id for a in read_articles(paths)] == ["first", "n1", "n2", "other"]


def test_read_articles_glob_without_match_is_an_error(tmp_path):
    article = only(list(read_articles([str(tmp_path / "none" / "*.html")])))
    assert "no file matches" in messages(article) and "none" in messages(article)


def test_read_articles_jsonl(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "x1",
                "title": "Amberley and Kestrel",
                "text": PARAGRAPH,
                "published": "2024-01-02",
                "url": "https://example.org/x1",
            }
        ),
        "",
        "{not json",
        json.dumps({"title": "No body"}),
        json.dumps(["a", "list"]),
        json.dumps(
            {"html": f"<html><body><p>{PARAGRAPH}</p></body></html>", "published": "May 3, 2022"}
        ),
        json.dumps({"text": "Updated: 2023-07-08\n" + PARAGRAPH}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    articles = list(read_articles([path]))
    assert [a.id for a in articles] == ["x1", "batch:3", "batch:4", "batch:5", "batch:6", "batch:7"]
    first = articles[0]
    assert (first.title, first.published, first.url) == (
        "Amberley and Kestrel",
        dt.date(2024, 1, 2),
        "https://example.org/x1",
    )
    assert first.source == f"{path}:line 1" and first.errors == []
    bad = articles[1]
    assert bad.text == "" and len(bad.errors) == 1
    assert bad.errors[0].stage == "ingest"
    assert bad.errors[0].source == f"{path}:line 3"
    assert bad.errors[0].message.startswith("invalid JSON: ")
    assert "no 'text' or 'html'" in messages(articles[2]) and articles[2].title == "No body"
    assert "expected a JSON object" in messages(articles[3])
    assert "Amberley" in articles[4].text and articles[4].published == dt.date(2022, 5, 3)
    assert articles[5].published == dt.date(2023, 7, 8)


def test_read_articles_jsonl_bad_bytes_line_does_not_stop_the_file(tmp_path):
    good = json.dumps({"id": "ok", "text": PARAGRAPH}).encode()
    path = write(tmp_path / "mixed.ndjson", b"\xff\xfe\x00garbage\x00\n" + good + b"\n")
    articles = list(read_articles([path]))
    assert [a.id for a in articles] == ["mixed:1", "ok"]
    assert articles[0].errors and f"{path}:line 1" in messages(articles[0])


def test_read_articles_jsonl_overlong_line_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_LINE_BYTES", 200)
    long_line = json.dumps({"id": "long", "text": PARAGRAPH * 3})
    short_line = json.dumps({"id": "short", "text": "Amberley greets Kestrel."})
    path = write(tmp_path / "long.jsonl", long_line + "\n" + short_line + "\n")
    articles = list(read_articles([path]))
    assert [a.id for a in articles] == ["long:1", "short"]
    assert "skipped" in messages(articles[0])


def test_read_articles_huge_file_is_truncated_with_error(tmp_path, monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path / "huge.txt", (PARAGRAPH + "\n") * 50)
    article = only(list(read_articles([path])))
    assert 0 < len(article.text) <= 1000
    assert "huge.txt" in messages(article) and "only the beginning" in messages(article)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("empty.jsonl", b"\n\n", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "binary"),
    ],
)
def test_read_articles_bad_files_become_error_articles(tmp_path, name, content, expected):
    path = write(tmp_path / name, content)
    article = only(list(read_articles([path])))
    assert article.text == ""
    assert expected in messages(article)
    assert all(error.source == str(path) for error in article.errors)


def test_read_articles_missing_file_does_not_stop_batch(tmp_path):
    good = write(tmp_path / "good.txt", PARAGRAPH)
    articles = list(read_articles([tmp_path / "missing.txt", good]))
    assert [a.id for a in articles] == ["missing", "good"]
    assert "cannot read file" in messages(articles[0]) and "missing.txt" in messages(articles[0])


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, non-root"
)
def test_read_articles_unreadable_directory(tmp_path):
    locked = tmp_path / "locked"
    write(locked / "inside.txt", PARAGRAPH)
    write(tmp_path / "z.txt", PARAGRAPH)
    locked.chmod(0)
    try:
        articles = list(read_articles([tmp_path]))
    finally:
        locked.chmod(0o755)
    assert [a.id for a in articles] == ["locked", "z"]
    assert "cannot read directory" in messages(articles[0])


def test_read_articles_encodings_on_disk(tmp_path):
    text = "The mayor of Zürich called the “twinning” café pact naïve – but welcome. " * 3
    write(tmp_path / "a_cp1252.txt", text.encode("cp1252"))
    write(tmp_path / "b_utf16.txt", text.encode("utf-16"))
    write(tmp_path / "c_gb18030.txt", CHINESE.encode("gb18030"))
    articles = list(read_articles([tmp_path]))
    assert [a.text for a in articles] == [text.strip(), text.strip(), CHINESE]
    assert articles[2].language == "zh"


def test_read_articles_stdin_text_html_jsonl():
    text = only(
        list(read_articles(["-"], stdin=io.StringIO(f"Kestrel welcomes Amberley\n{PARAGRAPH}")))
    )
    assert (text.id, text.source, text.title) == ("stdin", "<stdin>", "Kestrel welcomes Amberley")
    html = only(
        list(
            read_articles(
                ["-"],
                stdin=io.BytesIO(
                    f"<!DOCTYPE html><html><body><p>{PARAGRAPH}</p></body></html>".encode()
                ),
            )
        )
    )
    assert "<p>" not in html.text and "Amberley" in html.text
    stream = io.BytesIO((json.dumps({"id": "j", "text": PARAGRAPH}) + "\n{bad\n").encode())
    jsonl = list(read_articles(["-"], stdin=stream))
    assert [a.id for a in jsonl] == ["j", "stdin:2"]
    assert jsonl[1].errors[0].source == "<stdin>:line 2"


def test_read_articles_stdin_binary_and_empty():
    assert "binary" in messages(
        only(list(read_articles(["-"], stdin=io.BytesIO(b"\x00\x01\x02\x03"))))
    )
    assert "empty" in messages(only(list(read_articles(["-"], stdin=io.StringIO("")))))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".bin", ""])
)
def test_read_articles_never_raises_on_arbitrary_bytes(tmp_path, data, suffix):
    path = write(tmp_path / f"random{suffix}", data)
    articles = list(read_articles([path, "-"], stdin=io.BytesIO(data)))
    assert articles
    for article in articles:
        assert isinstance(article, Article)
        assert article.text or article.errors


# --- the shared seed corpus -------------------------------------------------------------


def seed_path(number: str) -> Path:
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed corpus missing at {SEEDS}")
        pytest.skip(f"seed corpus not present at {SEEDS}")
    matches = sorted(SEEDS.glob(f"{number}_*.txt"))
    assert matches, f"no seed {number} in {SEEDS}"
    return matches[0]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("000", None),
        ("001", dt.date(2024, 5, 8)),
        ("002", None),
        ("003", dt.date(2024, 5, 28)),
        ("004", dt.date(2021, 12, 16)),
    ],
)
def test_seed_published_dates(number, expected):
    article = only(read_article_file(seed_path(number)))
    assert article.published == expected
    assert article.errors == []
    assert article.language == "en"


def test_seed_004_text_is_cleaned_but_keeps_paragraphs():
    raw = seed_path("004").read_text(encoding="utf-8")
    article = only(read_article_file(seed_path("004")))
    for gone in (
        "Useful Info",
        "Related Stories",
        "Marine Economy",
        "btn-search",
        "All rights reserved",
        "957.jpg",
    ):
        assert gone not in article.text, gone
    paragraphs = [p.strip() for p in raw.split("\n") if len(p.split()) >= 12 and "•" not in p]
    assert len(paragraphs) >= 5
    for paragraph in paragraphs:
        assert paragraph in article.text
    assert article.title and article.title in article.text
    assert len(article.title.split()) >= 3



def test_news_dev_place_names_survive_cleaning():
    """Every gold place name that a news-dev page holds is still in the cleaned text: partner
    lists and tables ("<City>, <Country> (2008)", "• <Town> in <Country>,") are not menus."""
    import re

    from shared_paths import require_shared

    folder = require_shared("corpus/news-dev")

    def records(name: str) -> dict[str, dict]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        return {record["id"]: record for record in map(json.loads, lines)}

    def holds(text: str, names: list[str]) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.I) for n in names)

    gold, pages = records("gold.jsonl"), records("articles.jsonl")
    lost = []
    for article in read_articles([folder / "articles.jsonl"]):
        page = (pages[article.id].get("title") or "") + "\n" + pages[article.id]["text"]
        record = gold[article.id]
        for relation in record["relations"] + record.get("optional", []):
            for side in ("a", "b"):
                names = relation[side]["names"]
                if holds(page, names) and not holds(article.full_text, names):
                    lost.append((article.id, names[0]))
    assert lost == []
