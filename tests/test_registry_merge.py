"""amity.registry.merge: place identity, event dates, status and established year (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from amity.registry.merge import (
    EventFact,
    ReferenceFact,
    date_precision,
    normalise_name,
    place_key,
    sort_date,
    summarise,
)


def event(
    type_, date=None, *, tier="sister", seen=None, established=None, anniversary=None, source=""
):
    return EventFact(type_, tier, date, seen, established, anniversary, source)


def test_merge_normalise_name_ignores_case_accents_and_punctuation():
    assert normalise_name("Saint-Étienne") == normalise_name("saint etienne") == "saint etienne"
    assert normalise_name(None) == ""


def test_merge_place_key_prefers_geonameid_else_name_country_parent():
    assert place_key(1833747, "Ulsan", "KR") == "gn:1833747"
    assert place_key(None, "Soviet District", "by", "Minsk") == "name:soviet district|BY|minsk"


@pytest.mark.parametrize(
    ("date", "precision"),
    [
        ("2024-05-24", "day"),
        ("2024-05", "month"),
        ("2024", "year"),
        ("--11-15", "month-day"),
        (None, None),
        ("soon", None),
    ],
)
def test_merge_date_precision(date, precision):
    assert date_precision(date) == precision


@pytest.mark.parametrize(
    ("date", "published", "expected"),
    [
        ("2024-05-24", None, "2024-05-24"),
        ("2024-05", None, "2024-05-01"),
        ("2024", None, "2024-01-01"),
        ("--05-24", dt.date(2024, 5, 28), "2024-05-24"),
        ("--11-15", dt.date(2024, 3, 1), "2023-11-15"),  # not after publication
        ("--11-15", None, None),
    ],
)
def test_merge_sort_date(date, published, expected):
    assert sort_date(date, published) == expected


@pytest.mark.parametrize(
    ("type_", "status"),
    [
        ("proposal", "proposed"),
        ("intent", "proposed"),
        ("agreement", "active"),
        ("anniversary", "active"),
        ("exchange", "active"),
        ("mention", "active"),
        ("suspension", "suspended"),
        ("termination", "terminated"),
    ],
)
def test_merge_status_of_each_event_type(type_, status):
    assert summarise([event(type_, "2020-01-01")], []).status == status


def test_merge_status_comes_from_the_latest_dated_event_not_the_last_stored():
    events = [
        event("suspension", "2023-06-01"),
        event("intent", "2019-01-01"),
        event("agreement", "2021-03-03"),
    ]
    summary = summarise(events, [])
    assert summary.status == "suspended"
    assert summary.last_event == "2023-06-01"


def test_merge_undated_event_sits_at_its_article_date():
    events = [
        event("agreement", "2021-03-03"),
        event("termination", None, seen=dt.date(2024, 1, 2)),
    ]
    assert summarise(events, []).status == "terminated"


def test_merge_no_facts_is_unknown():
    assert summarise([], []).status == "unknown"


def test_merge_reference_rows_active_until_end_year():
    assert summarise([], [ReferenceFact("wikipedia-list")]).status == "active"
    assert summarise([], [ReferenceFact("wikidata", 1990, 2022)]).status == "terminated"
    # news after the registry's end year wins
    later = [event("agreement", "2024-02-02")]
    assert summarise(later, [ReferenceFact("wikidata", 1990, 2022)]).status == "active"


def test_merge_conflicting_established_years_are_kept_and_flagged():
    events = [
        event("anniversary", "2024-05-24", established=1994, source="article:1"),
        event("mention", "2023-01-01", established=1994, source="article:2"),
    ]
    summary = summarise(events, [ReferenceFact("wikidata", 1993)])
    assert summary.established == 1994  # two sources against one
    assert summary.established_conflict == [
        {"year": 1993, "sources": ["wikidata"]},
        {"year": 1994, "sources": ["article:1", "article:2"]},
    ]


def test_merge_established_implied_by_anniversary():
    summary = summarise([event("anniversary", "2024-05-24", anniversary=30)], [])
    assert summary.established == 1994
    assert summary.established_conflict is None


def test_merge_established_from_earliest_agreement_when_nothing_is_stated():
    events = [event("agreement", "2022-06-02"), event("agreement", "2019-05-01")]
    assert summarise(events, []).established == 2019


def test_merge_tier_and_seen_dates():
    events = [
        event("agreement", "2019-01-01", tier="friendly", seen=dt.date(2019, 1, 3)),
        event("agreement", "2023-01-01", tier="sister", seen=dt.date(2023, 1, 5)),
    ]
    summary = summarise(events, [])
    assert summary.tier == "sister"
    assert (summary.first_seen, summary.last_seen) == (dt.date(2019, 1, 3), dt.date(2023, 1, 5))
