"""Resolve stage: tie both places of every relation to GeoNames, using the article's context.

Requires: Article.relations whose places carry what the text said of them (name, stated
country/admin1, kind, parent) and Article.country_mentions. Assigns: Place.geonameid,
canonical, country, admin1, lat, lon, kind, parent, confidence, unresolved. Relations whose
two spellings turn out to be one pair are merged. A side that does not resolve keeps its
name (and country when known): the relation is never dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from amity.gazetteer.index import distance_km
from amity.gazetteer.knowledge import KnowledgeIndex, load_knowledge, name_key
from amity.resolve.resolver import PlaceContext, Resolver
from amity.types import Article, Place, Relation


class ResolveStage:
    name = "resolve"

    def __init__(self, resolver: Resolver | None = None, knowledge: KnowledgeIndex | None = None):
        self.resolver = resolver or Resolver()
        self.knowledge = knowledge if knowledge is not None else load_knowledge()

    def __call__(self, article: Article) -> Article:
        resolved = self.resolve_sides(
            [(relation.a, relation.b) for relation in article.relations],
            article.country_mentions,
            article.text or "",
        )
        for relation, (a, b) in zip(article.relations, resolved, strict=True):
            relation.a, relation.b = a, b
        article.relations = merge_same_pairs(article.relations)
        return article

    def resolve_sides(
        self, sides: list[tuple[Place, Place]], counts: dict[str, int], text: str = ""
    ) -> list[tuple[Place, Place]]:
        """Every (a, b) of one article resolved, in order (nothing merged or dropped)."""
        resolved = [self.resolve_pair(a, b, counts, text) for a, b in sides]
        # Second pass: every side again, now knowing where the article's other places are
        # (a confident place anchors its namesake-prone neighbours: "Bethlehem" among Haifa
        # and Nazareth is the Palestinian one).
        anchors = [
            (name_key(place.name), place.lat, place.lon)
            for pair in resolved
            for place in pair
            if place.geonameid is not None
            and place.lat is not None
            and place.confidence >= ANCHOR_CONFIDENCE
        ]
        if anchors:
            resolved = [self.resolve_pair(a, b, counts, text, anchors) for a, b in sides]
        return _one_place_per_name(sides, resolved)

    def resolve_pair(
        self,
        a: Place,
        b: Place,
        counts: dict[str, int],
        text: str = "",
        anchors: list[tuple[str, float, float]] | None = None,
    ) -> tuple[Place, Place]:
        """Resolve each side, then again with the partner's country as context; a pair the
        knowledge index lists in one pair of countries picks the namesakes in them ("Hackney"
        with Suresnes is the London borough, not the Australian suburb), and those near the
        list's points, when the text states no other country. `anchors` are (name key, lat,
        lon) of the article's confidently resolved places; a side is never anchored by its
        own name."""
        near_a = _nearby(a, anchors)
        near_b = _nearby(b, anchors)
        first_b = self.resolve_place(b, counts, None, text, near_b)
        resolved_a = self.resolve_place(a, counts, first_b.country, text, near_a)
        resolved_b = self.resolve_place(b, counts, resolved_a.country, text, near_b)
        known = {pair for pair in self.knowledge.countries(a.name, b.name) if all(pair)}
        if len(known) > 1:
            # several namesake pairs are known: keep those that fit a side the text states
            stated = [(a.country, 0), (b.country, 1)]
            for country, side in stated:
                if country:
                    known = {pair for pair in known if pair[side] == country} or known
        if _one_namesake(a, b, resolved_a, resolved_b):
            # Perth with Perth, Warminster with Warminster: a place is not its own twin, so
            # the second side is its next namesake (a country the article names, the partner's
            # last), not a relation dropped as a place paired with itself.
            resolved_b = self.resolve_place(
                b, counts, resolved_a.country, text, near_b, not_ids={resolved_a.geonameid}
            )
        if len(known) == 1:
            countries = known.pop()
            points_a, points_b = self.knowledge.points(a.name, b.name, countries)
            resolved_a = self._known_namesake(a, resolved_a, countries[0], counts, text, near_a, points_a)
            resolved_b = self._known_namesake(b, resolved_b, countries[1], counts, text, near_b, points_b)
        return resolved_a, resolved_b

    def _known_namesake(
        self, place: Place, resolved: Place, country: str, counts, text="", nearby=(), points=()
    ) -> Place:
        """The side again, in the known pair's country and pulled toward the point the list
        gives it (Glendale with Higashiosaka is Glendale, California), unless the text
        states another country."""
        if not place.unresolved or (place.country and place.country != country):
            return resolved
        if resolved.country == country and not points:
            return resolved
        stated = replace(place, country=place.country or country)
        again = self.resolve_place(stated, counts, None, text, nearby, points)
        return again if again.geonameid is not None else resolved

    def resolve_place(
        self,
        place: Place,
        counts: dict[str, int],
        partner: str | None,
        text: str = "",
        nearby=(),
        known=(),
        not_ids=frozenset(),
    ) -> Place:
        if not place.unresolved:
            return place
        context = PlaceContext(
            country=place.country,
            admin1=place.admin1,
            partner_country=partner,
            article_countries=counts,
            kind=place.kind if place.kind != "city" else None,
            parent=place.parent,
            article_text=text,
            nearby=list(nearby),
            known_points=list(known),
            not_ids=frozenset(not_ids),
            twinned_in=self.knowledge.namesake_countries(place.name),
        )
        resolved = self.resolver.resolve(place.name, context)
        if place.written and place.written != place.name and not _GENERIC_LEAD.match(place.written):
            # "Valencia City" is GeoNames' own alternate name of the Philippine Valencia; "City
            # of Cambridge" is plain English (and an alternate name of a small namesake)
            as_written = self.resolver.resolve(place.written, context)
            if as_written.geonameid is not None and as_written.confidence >= resolved.confidence:
                resolved = as_written
        resolved.name = place.name  # extract already cleaned it ("Salt Lake City" keeps "City")
        resolved.written = place.written
        return resolved


_GENERIC_LEAD = re.compile(r"^\s*(?:the\s+)?(?:city|town|municipality|village)\s+of\s", re.I)
ANCHOR_CONFIDENCE = 0.7  # a resolved place this sure of itself places its neighbours


def _one_namesake(a: Place, b: Place, resolved_a: Place, resolved_b: Place) -> bool:
    """Both sides, of one name and no stated country for the second, resolved to one place."""
    return (
        resolved_a.geonameid is not None
        and resolved_a.geonameid == resolved_b.geonameid
        and b.unresolved
        and not b.country
        and name_key(a.name) == name_key(b.name)
    )


def _nearby(place: Place, anchors) -> list[tuple[float, float]]:
    if not anchors:
        return []
    own = name_key(place.name)
    return [(lat, lon) for key, lat, lon in anchors if key != own]


NEIGHBOUR_KM = 30.0  # twins are almost never this close (32 of 25,917 listed pairs); a district and its own city are


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


def _one_place_per_name(sides: list[tuple[Place, Place]], resolved: list[tuple[Place, Place]]) -> list[tuple[Place, Place]]:
    """One name is one place in an article ("Kilkenny ... twinned with Formigine ... also with
    Malvern in England"): a side the text does not place itself takes the article's most
    confident reading of its name, unless the pair is two namesakes (Warminster, Warminster)."""

    def unplaced(place: Place) -> bool:
        return place.country is None and place.admin1 is None

    best: dict[str, Place] = {}
    for (a, b), pair in zip(sides, resolved, strict=True):
        for written, place in zip((a, b), pair, strict=True):
            key = name_key(place.name)
            if unplaced(written) and place.geonameid is not None and (key not in best or place.confidence > best[key].confidence):
                best[key] = place
    out = []
    for (a, b), pair in zip(sides, resolved, strict=True):
        namesakes = name_key(pair[0].name) == name_key(pair[1].name)
        sides_out = []
        for written, place in zip((a, b), pair, strict=True):
            chosen = best.get(name_key(place.name))
            if chosen is not None and not namesakes and unplaced(written) and chosen.geonameid != place.geonameid:
                place = replace(chosen, name=place.name, written=place.written)
            sides_out.append(place)
        out.append((sides_out[0], sides_out[1]))
    return out
