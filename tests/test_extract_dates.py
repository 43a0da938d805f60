import datetime as dt

import pytest

from amity.extract.dates import date_in, find_dates

PUBLISHED = dt.date(2021, 12, 16)


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("held a conference on Dec 6 to celebrate", PUBLISHED, "2021-12-06"),
        ("On November 15, a letter of intent was signed", None, "--11-15"),
        ("signed on 3 March 2023 in Lyon", None, "2023-03-03"),
        ("the agreement signed last year", PUBLISHED, "2020"),
        ("will sign next month", PUBLISHED, "2022-01"),
        ("a visit this spring", dt.date(2024, 2, 1), "2024"),
        ("the delegation arrived yesterday", PUBLISHED, "2021-12-15"),
        ("signed last Friday", dt.date(2024, 5, 28), "2024-05-24"),
        ("on 2024-05-24 the mayors met", None, "2024-05-24"),
        ("in March 2019 the council voted", None, "2019-03"),
        ("on Dec 20 the mayors will meet", PUBLISHED, "2021-12-20"),
        ("signed the agreement last October", dt.date(2024, 11, 20), "2023-10"),
        ("the visit last March", dt.date(2024, 11, 20), "2024-03"),
        ("delegates visited from April 28 to 29, 2008", dt.date(2013, 5, 30), "2008-04-28"),
        ("signed on Sept. 15, 2008", None, "2008-09-15"),
        # a press release's "today (19th)" names the day of the month
        ("the delegation visited the city hall today (19th)", dt.date(2023, 12, 21), "2023-12-19"),
        # the calendar date wins over the weekday that only hints at it
        ("the signing is set for Wednesday, December 11th", dt.date(2013, 12, 4), "2013-12-11"),
        # a bare month is the nearest such month
        ("the August visit includes a ceremony", dt.date(2018, 6, 13), "2018-08"),
        ("the mayors met in March", dt.date(2018, 6, 13), "2018-03"),
    ],
)
def test_date_in_resolves_against_publication(text, published, expected):
    found = date_in(text, published, "future" if "will" in text else "past")
    assert found is not None and found.value == expected


def test_date_after_since_is_background():
    [mention] = [d for d in find_dates("twinned since March 1994", None)]
    assert mention.background
    assert date_in("twinned since March 1994", None) is None


def test_dateline_date_yields_to_the_event_date():
    text = "JEJU, Feb. 11 (Wire) — the two provinces on Monday celebrated"
    assert date_in(text, dt.date(2025, 2, 11)).value == "2025-02-10"


def test_a_late_december_date_in_a_january_article_is_last_year():
    assert date_in("signed on Dec 28", dt.date(2022, 1, 5)).value == "2021-12-28"


def test_dateline_dates_give_way_to_the_event_date():
    text = "KISUMU, Tuesday 12 March 2024 — A delegation arrived in Kisumu on Sunday for a visit"
    assert date_in(text, dt.date(2024, 3, 12)).value == "2024-03-10"
    assert date_in("KHABAROVSK, 6 November. Events were held on 2–3 November.", dt.date(2023, 11, 6)).value == "2023-11-03"


def test_day_of_month_only_reads_the_publication_month():
    assert date_in("the delegation visited from the 16th to the 18th", dt.date(2024, 10, 21)).value == "2024-10-16"
    assert date_in("signed on the 28th", dt.date(2024, 11, 3)).value == "2024-10-28"


def test_reporting_date_yields_to_the_event_date():
    text = "the city said in a statement on Tuesday that the project was launched last month"
    assert date_in(text, dt.date(2021, 9, 14)).value == "2021-08"
