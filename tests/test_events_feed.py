"""The events feed (/api/events.atom, /api/events.json; amity.analysis.events) read by a
feed reader's parser (feedparser), on SQLite and PostgreSQL (web_data's registry)."""

from __future__ import annotations

import feedparser
import pytest
from fastapi.testclient import TestClient

import web_data
from amity.analysis.events import latest_events
from amity.api import Settings, create_app
from amity.registry.queries import RelationFilter
from conftest import BACKENDS
from shared_registry import module_registry


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, tmp_path_factory):
    for registry in module_registry(request, tmp_path_factory):
        web_data.fill(registry)
        with TestClient(create_app(Settings(registry=registry))) as client:
            client.registry = registry
            yield client


def test_events_atom_read_by_feedparser(client):
    response = client.get("/api/events.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    with client.registry.session() as session:
        events = latest_events(session)
    assert [e.id for e in feed.entries] == [f"tag:amity,2026:event/{e['id']}" for e in events]
    titles = [e.title for e in feed.entries]
    assert "Changchun – Ulsan: anniversary (sister)" in titles
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    # article text is data: escaped in the XML, never markup
    assert b"<script>" not in response.content and b"<img" not in response.content


def test_events_feed_filters(client):
    feed = feedparser.parse(client.get("/api/events.atom", params={"country": "KR"}).content)
    assert feed.entries and all("Ulsan" in e.title for e in feed.entries)
    only = client.get("/api/events.json", params={"event": "anniversary"}).json()
    assert only["version"] == "https://jsonfeed.org/version/1.1"
    assert only["items"] and all(i["_amity"]["event"] == "anniversary" for i in only["items"])
    assert len(client.get("/api/events.json", params={"limit": 1}).json()["items"]) == 1
    assert client.get("/api/events.atom", params={"country": "KOR"}).status_code == 422
    with client.registry.session() as session:
        assert not latest_events(session, RelationFilter(country="ZW"))
