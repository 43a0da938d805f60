"""The registry as a network (networkx): places are nodes, relations edges.

    relation_graph(session, filters)     the Graph (node = place id, with name and country;
                                         the unfiltered one is kept per registry state)
    network(session, top=20)             hubs overall and per country, relations per
                                         established year and decade, Louvain communities
                                         (igraph's multilevel: networkx's took 21 s CPU on
                                         100k relations, igraph's 1.3 s)
    suggest_partners(session, place_id)  ranked cities that are not yet its partners, with
                                         the reason

Partner suggestions for a city X come from two signals, added into one score:
- *partners of its partners*: a city twinned with k of X's partners scores k (the cities
  X's partners are twinned with — friends of friends);
- *country-pair pattern*: a city in a country where X already has partners, which is
  itself twinned with cities of X's country, scores 0.5 per such tie (capped at 2): the
  country pair X keeps choosing, from the other side.

Example:
    >>> suggest_partners(session, place_id=9, limit=3)  # doctest: +SKIP
    [{"place": {...}, "score": 2.0, "reasons": ["twinned with 2 of its partners: Ulsan, ..."]}, ...]
"""

from __future__ import annotations

import random
import threading
import weakref
from collections import Counter, defaultdict
from typing import Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.registry.models import PlaceRow, RelationRow
from amity.registry.queries.common import place_dict
from amity.registry.queries.filters import RelationFilter, relation_conditions
from amity.registry.queries.version import registry_version

PATTERN_WEIGHT = 0.5
PATTERN_CAP = 2.0


def relation_graph(session: Session, filters: RelationFilter | None = None) -> nx.Graph:
    """Node = place id (attributes name, country), edge = relation (id, established).

    The unfiltered graph is built once per registry state (registry_version) of an open
    registry (its engine) and shared, so the API's suggestions for one place after another
    do not rebuild it: treat it as read-only."""
    if filters is not None and filters.given():
        return _build_graph(session, filters)
    engine, version = session.get_bind(), registry_version(session)
    with _GRAPHS_LOCK:
        kept = _GRAPHS.get(engine)
    if kept is not None and kept[0] == version:
        return kept[1]
    graph = _build_graph(session, None)
    with _GRAPHS_LOCK:
        _GRAPHS[engine] = (version, graph)
    return graph


# engine -> (registry version, graph); an entry goes with its engine
_GRAPHS: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], nx.Graph]] = (
    weakref.WeakKeyDictionary()
)
_GRAPHS_LOCK = threading.Lock()


def _build_graph(session: Session, filters: RelationFilter | None) -> nx.Graph:
    where = relation_conditions(session, filters) if filters else []
    graph = nx.Graph()
    edges = session.execute(
        select(
            RelationRow.id, RelationRow.place_a_id, RelationRow.place_b_id, RelationRow.established
        ).where(*where)
    ).all()
    places = {a for _, a, _, _ in edges} | {b for _, _, b, _ in edges}
    for pid, name, country in session.execute(select(PlaceRow.id, PlaceRow.name, PlaceRow.country)):
        if pid in places:
            graph.add_node(pid, name=name, country=country)
    for rid, a, b, established in edges:
        graph.add_edge(a, b, id=rid, established=established)
    return graph


_IGRAPH_RNG = threading.Lock()


def louvain(graph: nx.Graph, seed: int = 1) -> list[set[Any]]:
    """Louvain communities of `graph` (igraph's community_multilevel), repeatable for a
    seed: igraph draws from one process-wide generator, set to a seeded one meanwhile."""
    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    as_igraph = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    with _IGRAPH_RNG:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = as_igraph.community_multilevel().membership
        finally:
            igraph.set_random_number_generator(random)
    found: dict[int, set[Any]] = defaultdict(set)
    for node, community in zip(nodes, membership, strict=True):
        found[community].add(node)
    return list(found.values())


def _node(graph: nx.Graph, pid: int) -> dict[str, Any]:
    return {"id": pid, "name": graph.nodes[pid]["name"], "country": graph.nodes[pid]["country"]}


def network(
    session: Session, filters: RelationFilter | None = None, *, top: int = 20, seed: int = 1
) -> dict[str, Any]:
    """Hubs (most partners; overall and the top place per country), relations per
    established year and per decade, and the `top` largest Louvain communities (seeded, so
    repeatable), each with its size, countries and best-connected places."""
    graph = relation_graph(session, filters)
    degree = dict(graph.degree())
    ranked = sorted(degree, key=lambda p: (-degree[p], graph.nodes[p]["name"]))
    per_country: dict[str, int] = {}
    for pid in ranked:
        per_country.setdefault(graph.nodes[pid]["country"] or "?", pid)
    years = Counter(e for _, _, e in graph.edges(data="established") if e is not None)
    decades: Counter[int] = Counter()
    for year, n in years.items():
        decades[year // 10 * 10] += n
    communities = []
    if graph.number_of_edges():
        found = louvain(graph, seed)
        for members in sorted(found, key=len, reverse=True)[:top]:
            countries = Counter(graph.nodes[p]["country"] or "?" for p in members)
            best = sorted(members, key=lambda p: (-degree[p], graph.nodes[p]["name"]))[:5]
            communities.append(
                {
                    "size": len(members),
                    "countries": dict(countries.most_common(5)),
                    "hubs": [{**_node(graph, p), "partners": degree[p]} for p in best],
                }
            )
    return {
        "places": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "hubs": [{**_node(graph, p), "partners": degree[p]} for p in ranked[:top]],
        "hubs_by_country": [
            {**_node(graph, p), "partners": degree[p]}
            for _, p in sorted(per_country.items(), key=lambda kv: -degree[kv[1]])[:top]
        ],
        "per_year": [{"year": y, "relations": n} for y, n in sorted(years.items())],
        "per_decade": [{"decade": d, "relations": n} for d, n in sorted(decades.items())],
        "communities": communities,
    }


def suggest_partners(
    session: Session,
    place_id: int,
    *,
    limit: int = 10,
    graph: nx.Graph | None = None,
) -> list[dict[str, Any]]:
    """Cities that are not yet partners of `place_id`, ranked by score (see module doc),
    each with its reasons; [] for a place with no relation."""
    graph = graph if graph is not None else relation_graph(session)
    if place_id not in graph:
        return []
    partners = set(graph[place_id])
    home = graph.nodes[place_id]["country"]
    score: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    via: dict[int, list[int]] = defaultdict(list)
    for partner in partners:
        for candidate in graph[partner]:
            if candidate != place_id and candidate not in partners:
                via[candidate].append(partner)
    for candidate, through in via.items():
        score[candidate] += len(through)
        names = ", ".join(sorted(graph.nodes[p]["name"] for p in through)[:5])
        reasons[candidate].append(f"twinned with {len(through)} of its partners: {names}")
    partner_countries = Counter(graph.nodes[p]["country"] for p in partners)
    if home:
        for candidate in graph.nodes:
            country = graph.nodes[candidate]["country"]
            if candidate == place_id or candidate in partners or not country:
                continue
            if country == home or country not in partner_countries:
                continue
            ties = sum(1 for n in graph[candidate] if graph.nodes[n]["country"] == home)
            if ties:
                score[candidate] += min(PATTERN_WEIGHT * ties, PATTERN_CAP)
                reasons[candidate].append(
                    f"in {country}, where it has {partner_countries[country]} partner(s), "
                    f"and twinned with {ties} place(s) in {home}"
                )
    ranked = sorted(score, key=lambda c: (-score[c], graph.nodes[c]["name"]))[:limit]
    rows = {p.id: p for p in session.scalars(select(PlaceRow).where(PlaceRow.id.in_(ranked)))}
    return [
        {"place": place_dict(rows[c]), "score": round(score[c], 2), "reasons": reasons[c]}
        for c in ranked
    ]
