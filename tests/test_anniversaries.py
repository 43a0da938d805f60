"""Anniversaries (amity.analysis.anniversaries, `amity anniversaries`, /api/anniversaries)
on the seeds + news-dev registry (analysis_registry)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amity.analysis.anniversaries import anniversaries, is_round
from amity.api import Settings, create_app
from amity.cli import app
from amity.registry import open_registry
from analysis_registry import news_registry_url


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return news_registry_url(tmp_path_factory)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def named(items, a, b):
    return [i for i in items if {i["relation"]["a"]["name"], i["relation"]["b"]["name"]} == {a, b}]


def test_anniversaries_cli_lists_changchun_ulsan_30th(url):
    result = run("anniversaries", "--from", "2024-05-01", "--within", "60d", "--db", url)
    assert result.exit_code == 0, result.output
    assert "Changchun (CN)" in result.stdout and "Ulsan (KR)" in result.stdout
    assert "2024-05-24" in result.stdout and "30th" in result.stdout
    result = run(
        "anniversaries", "--from", "2024-05-01", "--within", "60d", "--db", url, "-f", "json"
    )
    (item,) = named(json.loads(result.stdout), "Changchun", "Ulsan")
    # the day is that of the 30th-anniversary celebration (24 May 2024) in the seed
    assert (item["years"], item["date"], item["date_from"]) == (30, "2024-05-24", "anniversary")
    assert item["relation"]["established"] == 1994


def test_anniversaries_window_and_rounding(url):
    with open_registry(url) as registry, registry.session() as session:
        # a known day outside the window: not listed
        assert not named(anniversaries(session, dt.date(2024, 6, 1), 30), "Changchun", "Ulsan")
        # Binzhou–Goyang (1996): the 25th in 2021, the 30th in 2026, nothing round in 2024
        assert named(anniversaries(session, dt.date(2021, 1, 1), 364), "Binzhou", "Goyang-si")
        assert not named(anniversaries(session, dt.date(2024, 1, 1), 365), "Binzhou", "Goyang-si")
        # --round 10 drops the 25th; --round 5 keeps it
        assert not named(
            anniversaries(session, dt.date(2021, 1, 1), 364, 10), "Binzhou", "Goyang-si"
        )
        assert named(anniversaries(session, dt.date(2021, 1, 1), 364, 5), "Binzhou", "Goyang-si")
        found = anniversaries(session, dt.date(2024, 5, 1), 60)
    assert found and all(is_round(i["years"]) for i in found)
    dated = [i["date"] for i in found if i["date"]]
    assert dated == sorted(dated) and all("2024-05-01" <= d <= "2024-06-30" for d in dated)
    # the dated ones come first, then those whose day is unknown
    assert [i["date"] is None for i in found] == sorted(i["date"] is None for i in found)


def test_is_round():
    assert [n for n in range(0, 101) if is_round(n)] == [
        10,
        20,
        25,
        30,
        40,
        50,
        60,
        70,
        75,
        80,
        90,
        100,
    ]
    assert not is_round(-10)


def test_anniversaries_cli_rejects_bad_input(url):
    assert run("anniversaries", "--from", "May 2024", "--db", url).exit_code == 2
    assert run("anniversaries", "--within", "two months", "--db", url).exit_code == 2


def test_anniversaries_api(url):
    with open_registry(url) as registry:
        with TestClient(create_app(Settings(registry=registry))) as client:
            response = client.get("/api/anniversaries", params={"from": "2024-05-01", "within": 60})
            assert response.status_code == 200
            (item,) = named(response.json(), "Changchun", "Ulsan")
            assert item["years"] == 30
            assert client.get("/api/anniversaries", params={"from": "soon"}).status_code == 422


def test_anniversaries_on_each_backend(registry):
    """web_data's Changchun–Ulsan (agreed 1994, 30th celebrated on 24 May 2024), on
    SQLite and PostgreSQL."""
    import web_data

    web_data.fill(registry)
    with registry.session() as session:
        found = anniversaries(session, dt.date(2024, 5, 1), 60)
        (item,) = named(found, "Changchun", "Ulsan")
        assert (item["years"], item["date"]) == (30, "2024-05-24")
        assert not anniversaries(session, dt.date(2024, 6, 1), 30)
