"""Read-only views of the registry as plain, JSON-ready dicts: the one read path of the CLI,
the API, the web pages and exports. Modules mirror amity.api:

    filters    RelationFilter: which relations (every relation view takes one)
    relations  list_relations (a page, API), relations (every match as flat rows, CLI and
               exports), get_relation
    places     show (by name, CLI), get_place (by id, API and pages)
    articles   get_article (text with the evidence marked), split_evidence
    search     search (places by any name, prefix and fuzzy; their relations)
    stats      stats (counts, CLI), overview (the stats page's aggregates)
    geojson    relations_geojson (the map layer), relations_geojson_bytes (cached)
    version    registry_version (a stamp that changes on every write)

Example:
    >>> from amity.registry import open_registry
    >>> from amity.registry.queries import RelationFilter, relations
    >>> with open_registry("sqlite:///:memory:").session() as session:
    ...     relations(session, RelationFilter(status="active"))
    []
"""

from __future__ import annotations

from amity.registry.queries.articles import get_article, split_evidence
from amity.registry.queries.common import find_places, place_dict
from amity.registry.queries.filters import RelationFilter, relation_conditions
from amity.registry.queries.geojson import relations_geojson, relations_geojson_bytes
from amity.registry.queries.places import get_place, place_view, show
from amity.registry.queries.relations import (
    RELATION_COLUMNS,
    RELATION_SORTS,
    RELATIONS_MAX_LIMIT,
    get_relation,
    iter_relations,
    list_relations,
    relations,
)
from amity.registry.queries.search import search
from amity.registry.queries.stats import overview, stats
from amity.registry.queries.version import registry_version
from amity.types import SOURCES

__all__ = [
    "RELATIONS_MAX_LIMIT",
    "RELATION_COLUMNS",
    "RELATION_SORTS",
    "SOURCES",
    "RelationFilter",
    "find_places",
    "get_article",
    "get_place",
    "get_relation",
    "iter_relations",
    "list_relations",
    "overview",
    "place_dict",
    "place_view",
    "registry_version",
    "relation_conditions",
    "relations",
    "relations_geojson",
    "relations_geojson_bytes",
    "search",
    "show",
    "split_evidence",
    "stats",
]
