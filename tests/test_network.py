"""Network analytics and partner suggestions (amity.analysis.network, `amity network`,
/api/network) on a small hand-made network, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import networkx as nx
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amity.analysis.network import louvain, network, relation_graph, suggest_partners
from amity.api import Settings, create_app
from amity.cli import app
from amity.registry.queries import RelationFilter
from amity.registry.reference import ReferencePair, import_pairs
from amity.types import Place

COORDS = {"CN": (40.0, 120.0), "KR": (36.0, 128.0), "RU": (55.0, 83.0), "US": (30.0, -95.0)}
COORDS["FR"] = (45.7, 4.8)
PLACES = {
    "Changchun": ("CN", 1), "Harbin": ("CN", 2), "Shenyang": ("CN", 3), "Ulsan": ("KR", 4),
    "Busan": ("KR", 5), "Novosibirsk": ("RU", 6), "Houston": ("US", 7), "Lyon": ("FR", 8),
}  # fmt: skip
PAIRS = [
    ("Changchun", "Ulsan"),
    ("Changchun", "Novosibirsk"),
    ("Ulsan", "Houston"),
    ("Novosibirsk", "Houston"),  # Houston: partner of two of Changchun's partners
    ("Ulsan", "Lyon"),  # Lyon: of one
    ("Busan", "Harbin"),  # Busan: in KR (where Changchun has a partner), twinned with
    ("Busan", "Shenyang"),  # two Chinese cities
]


def place(name):
    country, geonameid = PLACES[name]
    lat, lon = COORDS[country]
    return Place(name, country, None, 9_900_000 + geonameid, lat + geonameid / 10, lon,
                 canonical=name, unresolved=False)  # fmt: skip


def fill(registry):
    pairs = [ReferencePair(place(a), place(b), f"{a}~{b}", {}, start_year=1990) for a, b in PAIRS]
    import_pairs(registry, pairs, "wikipedia-list")
    with registry.session() as session:
        graph = relation_graph(session)
    return {graph.nodes[n]["name"]: n for n in graph}


def test_partner_suggestions_ranked_with_reasons(registry):
    ids = fill(registry)
    with registry.session() as session:
        found = suggest_partners(session, ids["Changchun"])
    names = [item["place"]["name"] for item in found]
    assert names == ["Houston", "Busan", "Lyon"]
    assert [item["score"] for item in found] == [2.0, 1.0, 1.0]
    assert not {"Ulsan", "Novosibirsk", "Changchun"} & set(names)  # none already a partner
    assert found[0]["reasons"] == ["twinned with 2 of its partners: Novosibirsk, Ulsan"]
    assert found[1]["reasons"] == ["in KR, where it has 1 partner(s), and twinned with 2 place(s) in CN"]  # fmt: skip
    with registry.session() as session:
        assert suggest_partners(session, 10**6) == []  # not in the network


def test_network_hubs_decades_communities(registry):
    fill(registry)
    with registry.session() as session:
        report = network(session, top=3)
    assert (report["places"], report["relations"]) == (8, 7)
    hubs = [(h["name"], h["partners"]) for h in report["hubs"]]
    assert hubs == [("Ulsan", 3), ("Busan", 2), ("Changchun", 2)]  # ties by name
    assert report["per_decade"] == [{"decade": 1990, "relations": 7}]
    members = sum(c["size"] for c in report["communities"])
    assert 0 < members <= 8 and len(report["communities"]) <= 3


def test_network_cli_and_api(registry):
    ids = fill(registry)
    result = CliRunner().invoke(app, ["network", "--suggest", "Changchun", "--db", registry.url])
    assert result.exit_code == 0, result.output
    assert "Houston (US)" in result.stdout and "twinned with 2 of its partners" in result.stdout
    result = CliRunner().invoke(app, ["network", "--top", "2", "-f", "json", "--db", registry.url])
    assert len(json.loads(result.stdout)["hubs"]) == 2
    result = CliRunner().invoke(app, ["network", "--suggest", "Atlantis", "--db", registry.url])
    assert result.exit_code == 1
    with TestClient(create_app(Settings(registry=registry))) as client:
        response = client.get("/api/network/suggestions", params={"place_id": ids["Changchun"]})
        assert [i["place"]["name"] for i in response.json()] == ["Houston", "Busan", "Lyon"]
        assert client.get("/api/network/suggestions", params={"place_id": 10**6}).status_code == 404
        assert client.get("/api/network", params={"top": 1}).json()["relations"] == 7


def test_louvain_finds_two_cliques_the_same_each_time():
    graph = nx.complete_graph(6)
    graph.add_edges_from(nx.complete_graph(range(6, 12)).edges)
    graph.add_edge(0, 6)  # one bridge
    found = sorted(sorted(c) for c in louvain(graph, seed=3))
    assert found == [list(range(6)), list(range(6, 12))]
    for seed in (3, 4):
        runs = [
            sorted(sorted(c) for c in louvain(nx.gnm_random_graph(60, 150, 1), seed)) for _ in "ab"
        ]
        assert runs[0] == runs[1]  # seeded: repeatable


def test_relation_graph_kept_until_the_registry_changes(registry):
    ids = fill(registry)
    with registry.session() as session:
        first = relation_graph(session)
        assert relation_graph(session) is first  # same registry state: the same graph
        korea = relation_graph(session, RelationFilter(country="KR"))
        assert korea is not first and korea.number_of_edges() == 5  # Ulsan 3, Busan 2
    lyon_harbin = ReferencePair(place("Lyon"), place("Harbin"), "Lyon~Harbin", {}, start_year=2001)
    import_pairs(registry, [lyon_harbin], "wikipedia-list")
    with registry.session() as session:
        after = relation_graph(session)
    assert after is not first and after.has_edge(ids["Lyon"], ids["Harbin"])
    assert not first.has_edge(ids["Lyon"], ids["Harbin"])
