"""Resolve stage: tie both places of every relation to GeoNames, using the article's context.

Requires: Article.relations whose places carry what the text said of them (name, stated
country/admin1, kind, parent) and Article.country_mentions. Assigns: Place.geonameid,
canonical, country, admin1, lat, lon, kind, parent, confidence, unresolved. Relations whose
two spellings turn out to be one pair are merged. A side that does not resolve keeps its
name (and country when known): the relation is never dropped.
"""

from __future__ import annotations

from dataclasses import replace

from amity.resolve.gazetteer import distance_km
from amity.resolve.knowledge import KnowledgeIndex, load_knowledge
from amity.resolve.resolver import PlaceContext, Resolver
from amity.types import Article, Place, Relation


class ResolveStage:
    name = "resolve"

    def __init__(self, resolver: Resolver | None = None, knowledge: KnowledgeIndex | None = None):
        self.resolver = resolver or Resolver()
        self.knowledge = knowledge if knowledge is not None else load_knowledge()

    def __call__(self, article: Article) -> Article:
        for relation in article.relations:
            relation.a, relation.b = self.resolve_pair(
                relation.a, relation.b, article.country_mentions
            )
        article.relations = merge_same_pairs(article.relations)
        return article

    def resolve_pair(self, a: Place, b: Place, counts: dict[str, int]) -> tuple[Place, Place]:
        """Resolve each side, then again with the partner's country as context; a pair the
        knowledge index lists in one pair of countries picks the namesakes in them ("Hackney"
        with Suresnes is the London borough, not the Australian suburb) when the text states
        no country of its own."""
        first_b = self.resolve_place(b, counts, None)
        resolved_a = self.resolve_place(a, counts, first_b.country)
        resolved_b = self.resolve_place(b, counts, resolved_a.country)
        known = {pair for pair in self.knowledge.countries(a.name, b.name) if all(pair)}
        if len(known) == 1:
            country_a, country_b = known.pop()
            resolved_a = self._known_namesake(a, resolved_a, country_a, counts)
            resolved_b = self._known_namesake(b, resolved_b, country_b, counts)
        return resolved_a, resolved_b

    def _known_namesake(self, place: Place, resolved: Place, country: str, counts: dict[str, int]) -> Place:
        if place.country or resolved.country == country or not place.unresolved:
            return resolved
        again = self.resolve_place(replace(place, country=country), counts, None)
        return again if again.geonameid is not None else resolved

    def resolve_place(self, place: Place, counts: dict[str, int], partner: str | None) -> Place:
        if not place.unresolved:
            return place
        context = PlaceContext(
            country=place.country,
            admin1=place.admin1,
            partner_country=partner,
            article_countries=counts,
            kind=place.kind if place.kind != "city" else None,
            parent=place.parent,
        )
        resolved = self.resolver.resolve(place.name, context)
        if place.written and place.written != place.name:
            # "Valencia City" is GeoNames' own alternate name of the Philippine Valencia
            as_written = self.resolver.resolve(place.written, context)
            if as_written.geonameid is not None and as_written.confidence >= resolved.confidence:
                resolved = as_written
        resolved.name = place.name  # extract already cleaned it ("Salt Lake City" keeps "City")
        resolved.written = place.written
        return resolved


NEIGHBOUR_KM = 20.0  # twins are never this close; a district and its own city are


def _neighbours(a: Place, b: Place) -> bool:
    """Helsinki and its Kalasatama district, Minneapolis and Saint Paul: not a twinning."""
    if None in (a.lat, a.lon, b.lat, b.lon) or a.country != b.country:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) < NEIGHBOUR_KM


def merge_same_pairs(relations: list[Relation]) -> list[Relation]:
    """Two spellings of one pair ("Minsk Soviet District", "Sovetsky District") -> one relation;
    a 'pair' of one place with itself, or of two neighbours in one country, is dropped."""
    kept: dict[tuple[str, str], Relation] = {}
    for relation in relations:
        key = relation.pair_key()
        if key[0] == key[1] or _neighbours(relation.a, relation.b):
            continue
        if key in kept:
            existing = kept[key]
            existing.evidence.extend(e for e in relation.evidence if e not in existing.evidence)
            existing.confidence = max(existing.confidence, relation.confidence)
            continue
        kept[key] = relation
    return list(kept.values())
