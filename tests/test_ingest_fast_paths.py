"""The cheap paths that every article takes give what the plain scans give.

Ingest runs on every article, relevant or not, so its scans skip work they can prove useless
(lines without a year, ASCII lines without the characters a pattern needs, a per-character
loop replaced by regexes). Each test compares the fast function with the plain scan it
replaced, written out here, on generated text rich in the characters that matter (years,
month names, separators, "ı"/"ſ" that re.I matches for "i"/"s", controls, CJK).
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from amity import datelines, prefilter
from amity.ingest import decode, text

PIECES = [
    "2024-05-08", "May 8, 2024", "8 May 2024", "16.11.2023", "11/16/2023", "2019年5月3日",
    "Sept. 14th, 2021", "ſept 3, 2020", "APRIL 1 1999", "Updated : ", "Published: ", "\n",
    "\n\n", "BEIJING, ", " /PRNewswire/ -- ", "1913", "(c) 2024", "All rights reserved",
    "copyright", "ICP 123456", "公网安备", "<->", "->", "|", "│", "↔", "  ", "\t", "\u00a0",
    "The", "the", "of", "and", "to", "ın", "İs", "a", "was", "with", "that", "for", "on",
    "Twin towns", "sister-city", "한국", "カナ", "漢字", "\x01", "\x85", "\ufffd", "\u0378", "ş",
    "• Home", "Share", "Related stories", "10:30 GMT", "-", " ", ".", ",",
    "in 2004", "3rd ", "2nd", "Dec.,", " of ", "٣", "12/", "2021", "-3", "/0", "ſT", "MAY",
    "copyrıght", "ALL RİGHTS RESERVED", "İCP 1234567", "\u212a", "©", "£",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)


def plain_dates(value: str):
    """`datelines._iter_dates` as it was: every pattern over the whole text."""
    seen, found = set(), []
    for kind, pattern in datelines._PATTERNS:
        for m in pattern.finditer(value):
            if m.start() not in seen and (date := datelines._to_date(kind, m)) is not None:
                seen.add(m.start())
                found.append((m.start(), m.end(), date))
    return sorted(found, key=lambda item: item[0])


@settings(max_examples=200, deadline=None)
@given(texts)
def test_dates_found_line_by_line_are_the_whole_text_scan(value):
    assert datelines._iter_dates(value) == plain_dates(value)


def plain_check(value: str) -> tuple[int, int]:
    controls = junk = 0
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\t\n\r\f\v\x00":
            controls += 1
        elif category in ("Cn", "Cs") or char == "\ufffd":
            junk += 1
    return controls, junk


@settings(max_examples=200, deadline=None)
@given(texts)
def test_check_text_refuses_what_the_character_loop_refused(value):
    controls, junk = plain_check(value)
    refused = bool(value) and (
        decode._too_many_nuls(value.count("\x00"), len(value))
        or controls / len(value) > decode._MAX_CONTROL_RATIO
        or junk / len(value) > decode._MAX_CONTROL_RATIO
    )
    try:
        decode.check_text(value, "generated")
    except Exception:
        assert refused
    else:
        assert not refused


def plain_language(sample: str) -> str | None:
    letters = [c for c in sample[:5000] if c.isalpha()]
    if not letters:
        return None
    hangul = sum(1 for c in letters if "\uac00" <= c <= "\ud7af")
    kana = sum(1 for c in letters if "\u3040" <= c <= "\u30ff")
    han = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff")
    if (hangul + kana + han) / len(letters) > 0.3:
        if hangul > han:
            return "ko"
        return "ja" if kana > 0.1 * (kana + han) else "zh"
    words = {w.lower() for w in text._WORD.findall(sample[:5000])}
    needed = len(text._EN_FUNCTION_WORDS) * 0.6
    return "en" if sum(w in words for w in text._EN_FUNCTION_WORDS) >= needed else None


@settings(max_examples=200, deadline=None)
@given(texts)
def test_language_guess_is_the_character_count(value):
    assert text.guess_language(value) == plain_language(value)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_line_shortcuts_match_the_regexes(value):
    for line in value.split("\n"):
        stripped = line.strip()
        assert text._has_copyright(stripped) == bool(text._COPYRIGHT.search(stripped))
        assert text._collapse_spaces(line) == text._SPACES.sub(" ", line)
        assert text._is_paragraph(line) == (
            len(text._WORD.findall(line)) >= 8 or (len(stripped) >= 40 and not line.isascii())
        )
        spaced = text._space_separators(line)
        assert (spaced == line) or text._SEPARATOR.search(line)
        if text._ICP.search(stripped):
            assert text._could_hold(stripped, ("icp",))


@settings(max_examples=200, deadline=None)
@given(texts)
def test_fold_is_the_character_table(value):
    table = str.maketrans(
        {"-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u00a0": " ", "\u2019": "'",
         "\n": " ", "\t": " ", "\r": " "}
    )  # fmt: skip
    lowered = value.lower()
    if len(lowered) != len(value):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in value)
    assert prefilter.fold(value) == lowered.translate(table)


def test_a_run_of_irrelevant_articles_imports_neither_spacy_nor_trafilatura(tmp_path):
    """Start-up stays small: an irrelevant JSONL article never needs the model, the HTML
    extractor, the registry's database layer, the charset guesser or a process pool, so a
    whole `amity extract` run does not import them."""
    path = tmp_path / "plain.jsonl"
    path.write_text(
        '{"id": "p1", "text": "The council met on Tuesday to discuss the new bus timetable."}\n'
    )
    code = (
        "import sys; from amity.cli import app\n"
        f"app(['extract', '-w', '1', {str(path)!r}, '-o', {str(tmp_path / 'out.jsonl')!r}],"
        " standalone_mode=False)\n"
        "heavy = ('spacy', 'trafilatura', 'thinc', 'sqlalchemy', 'charset_normalizer',"
        " 'concurrent.futures.process')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert '"id": "p1"' in (tmp_path / "out.jsonl").read_text()
