"""Doubtful reference rows: the one definition, used by `amity import` (which stores each
row's reasons in `reference_relation.doubts`) and by `amity reconcile` (which reports them).

A reason is a string "kind: detail". Kinds:

- `coordinates`: the row's coordinates lie in another country than the resolved place
  (Lagos, Portugal listed at Lagos, Nigeria's point), or, when the name resolved nowhere,
  than the row's own country column;
- `far`: the coordinates are more than DOUBTFUL_KM from the resolved place (same country);
- `country`: the row's country column disagrees with the resolved place, or, when the
  name resolved nowhere in that country, the coordinates and the name agree on a place
  in another one;
- `unresolved`: a side the gazetteer does not know;
- `self`: a place paired with itself; `own province`: a place paired with its province.

`coordinates`, `country`, `self` and `own province` say the reference itself is wrong
(`REFERENCE_ERRORS`); `far` and `unresolved` say the reference and the gazetteer disagree,
which may be either's fault. Which country a point lies in is approximated by the nearest
gazetteer city (amity.registry.locate).

Example:
    >>> checks = ReferenceChecks(load_gazetteer())  # doctest: +SKIP
    >>> lagos = resolver.resolve("Lagos", PlaceContext(country="PT"))  # doctest: +SKIP
    >>> checks.side("Lagos", "PT", 6.4561, 3.3936, lagos)  # doctest: +SKIP
    ['coordinates: Lagos listed at (6.46, 3.39), in NG; the place is in PT']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any

from amity.gazetteer.index import TERRITORIES
from amity.registry.merge import normalise_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from amity.gazetteer.index import Gazetteer
    from amity.types import Place

DOUBTFUL_KM = 50.0
REFERENCE_ERRORS = ("coordinates", "country", "self", "own province")
KINDS = ("coordinates", "far", "country", "unresolved", "self", "own province")
_REGION_KINDS = ("province", "region", "county", "area")
# GeoNames gives these territories codes of their own; a list that names the sovereign state
# ("Mariehamn, Finland", "Guam, United States", "Kourou, France") is not wrong for that.
_SOVEREIGN = {
    **{territory: state for state, codes in TERRITORIES.items() for territory in codes},
    "UM": "US",  # uninhabited: no place for the resolver to find, but a list may name one
    "EH": "MA",  # disputed: the list and GeoNames file places either way
}
# the coordinate columns of one reference row, per source: (name, lat, lon) of each side
_WIKIPEDIA_SIDES = (("city1", "lat1", "lng1"), ("city2", "lat2", "lng2"))


def kind_of(reason: str) -> str:
    """ "far: X listed 391 km from Y" -> "far"."""
    return reason.split(":", 1)[0]


def is_reference_error(reasons: Iterable[str]) -> bool:
    """Whether any reason says the reference row itself is wrong."""
    return any(kind_of(reason) in REFERENCE_ERRORS for reason in reasons)


def same_state(a: str | None, b: str | None) -> bool:
    """ISO2 codes of one country, counting a territory as its sovereign's ("RE", "FR")."""
    return a == b or (
        a is not None and b is not None and _SOVEREIGN.get(a, a) == _SOVEREIGN.get(b, b)
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def _fields(place: Place | Mapping[str, Any]) -> Mapping[str, Any]:
    return asdict(place) if is_dataclass(place) else place  # type: ignore[arg-type]


def unresolved_doubts(*places: Place | Mapping[str, Any]) -> list[str]:
    found = []
    for place in map(_fields, places):
        if place["geonameid"] is None:
            found.append(f"unresolved: {place['name']} ({place['country'] or '?'})")
    return found


def pair_doubts(
    a: Place | Mapping[str, Any],
    b: Place | Mapping[str, Any],
    listed_apart_km: float | None = None,
) -> list[str]:
    """A place paired with itself, or with the province it lies in. Two sides resolved to
    one place whose listed points lie more than DOUBTFUL_KM apart are two namesakes (the
    resolver's mistake, a `far` side), not a place with itself."""
    a, b = _fields(a), _fields(b)
    reasons = []
    if a["country"] == b["country"]:
        same_id = a["geonameid"] is not None and a["geonameid"] == b["geonameid"]
        if listed_apart_km is not None and listed_apart_km > DOUBTFUL_KM:
            same_id = False
        if same_id or normalise_name(a["name"]) == normalise_name(b["name"]):
            reasons.append(f"self: {a['name']} with itself")
        for place, other in ((a, b), (b, a)):
            if (
                other["kind"] in _REGION_KINDS
                and place["admin1"]
                and normalise_name(place["admin1"]) == normalise_name(other["name"])
            ):
                reasons.append(f"own province: {place['name']} in {other['name']}")
    return reasons


class ReferenceChecks:
    """The checks that need the gazetteer: where a listed point lies, and what is there."""

    def __init__(self, gazetteer: Gazetteer):
        from amity.registry.locate import CountryLocator

        self.gazetteer = gazetteer
        self.locator = CountryLocator.from_gazetteer(gazetteer)

    def elsewhere(self, lat: float, lon: float, country: str | None) -> str | None:
        """The country the point lies in, when that is clearly not `country`."""
        here = self.locator.country_at(lat, lon)
        if here is None or country is None or same_state(here, country):
            return None
        return None if self.locator.has_country_near(lat, lon, country) else here

    def namesake_at(self, name: str, lat: float, lon: float) -> Any | None:
        """The nearest gazetteer place called `name` within DOUBTFUL_KM of the point."""
        near = []
        for candidate in self.gazetteer.lookup(name, None, fuzzy=False):
            if candidate.lat is not None:
                km = haversine_km(candidate.lat, candidate.lon, lat, lon)
                if km <= DOUBTFUL_KM:
                    near.append((km, candidate))
        return min(near, key=lambda item: item[0])[1] if near else None

    def side(
        self,
        name: str,
        listed_country: str | None,
        lat: float | None,
        lon: float | None,
        chosen: Place,
    ) -> list[str]:
        """Reasons to doubt one side of a row: `name`, `listed_country` (ISO2) and the point
        as the row gives them, `chosen` the place the resolver picked for them."""
        if chosen.unresolved or chosen.geonameid is None or chosen.lat is None:
            reasons = [f"unresolved: {name} ({listed_country or '?'})"]
            if lat is None or lon is None:
                return reasons
            here = self.elsewhere(lat, lon, listed_country)
            if here is not None:
                namesake = self.namesake_at(name, lat, lon)
                if namesake is not None and namesake.country == here:
                    reasons.append(
                        f"country: {name} listed in {listed_country}; the coordinates and the "
                        f"name give {namesake.name}, {here}"
                    )
                else:
                    reasons.append(
                        f"coordinates: {name} listed at ({lat:.2f}, {lon:.2f}), in {here}; "
                        f"the row says {listed_country}"
                    )
            return reasons
        reasons = []
        if listed_country and not same_state(chosen.country, listed_country):
            reasons.append(
                f"country: {name} listed in {listed_country}; the place is in {chosen.country}"
            )
        if lat is None or lon is None:
            return reasons
        here = self.elsewhere(lat, lon, chosen.country)
        if here is not None:
            reasons.append(
                f"coordinates: {name} listed at ({lat:.2f}, {lon:.2f}), in {here}; "
                f"the place is in {chosen.country}"
            )
        else:
            km = haversine_km(chosen.lat, chosen.lon, lat, lon)
            if km > DOUBTFUL_KM:
                reasons.append(f"far: {name} listed {km:.0f} km from {chosen.canonical or name}")
        return reasons


def count_doubts(rows: Iterable[list[str] | None]) -> dict[str, Any]:
    """{"checked", "doubtful", "reference_errors", "by_kind"} over stored reasons (None: a
    row imported before the checks existed)."""
    checked = doubtful = errors = 0
    by_kind: Counter[str] = Counter()
    for reasons in rows:
        if reasons is None:
            continue
        checked += 1
        doubtful += bool(reasons)
        errors += is_reference_error(reasons)
        by_kind.update({kind_of(reason) for reason in reasons})
    return {
        "checked": checked,
        "doubtful": doubtful,
        "reference_errors": errors,
        "by_kind": {kind: by_kind[kind] for kind in KINDS if by_kind[kind]},
    }


def apart_km(*points: tuple[float | None, float | None]) -> float | None:
    """km between the two listed points of a row, None when one is missing."""
    (lat1, lon1), (lat2, lon2) = points
    if None in (lat1, lon1, lat2, lon2):
        return None
    return haversine_km(lat1, lon1, lat2, lon2)  # type: ignore[arg-type]


def stored_doubt_counts(session: Session) -> dict[str, Any]:
    """`count_doubts` over the registry's reference rows (`amity stats`)."""
    from sqlalchemy import select

    from amity.registry.models import ReferenceRow

    return count_doubts(session.scalars(select(ReferenceRow.doubts)))


# --- rows stored before the checks existed (reconcile) ---------------------------------


def _row_points(ref: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of each side as the reference row gives them."""
    raw = ref["raw"]
    points = []
    if ref["source"] == "wikipedia-list" and isinstance(raw, dict):
        for name, lat, lon in _WIKIPEDIA_SIDES:
            try:
                points.append((raw[name], float(raw[lat]), float(raw[lon])))
            except (KeyError, TypeError, ValueError):
                pass
    elif ref["source"] == "wikidata" and isinstance(raw, list) and raw:
        from amity.registry.reference import _point

        for side in ("city", "twin"):
            label = raw[0].get(f"{side}Label", {}).get("value")
            lat, lon = _point(raw[0].get(f"{side}Coord", {}).get("value"))
            if lat is not None:
                points.append((label, lat, lon))
    return points


def _km(place: Mapping[str, Any], point: tuple[str, float, float]) -> float:
    return haversine_km(place["lat"], place["lon"], point[1], point[2])


def row_doubts(ref: Mapping[str, Any]) -> list[str]:
    """Reasons to doubt a stored reference row from its places and raw row alone (no
    gazetteer: no `coordinates` or `country` reasons). `ref`: {"source", "raw", "a", "b"},
    places as dicts of name, country, admin1, geonameid, lat, lon, kind."""
    a, b = ref["a"], ref["b"]
    reasons = unresolved_doubts(a, b)
    points = _row_points(ref)
    if len(points) == 2 and None not in (a["lat"], b["lat"]):
        # each listed point belongs to the nearer assignment of the two sides
        straight = _km(a, points[0]) + _km(b, points[1])
        crossed = _km(a, points[1]) + _km(b, points[0])
        pairs = zip((a, b), points if straight <= crossed else points[::-1], strict=True)
        for place, point in pairs:
            km = _km(place, point)
            if place["geonameid"] is not None and km > DOUBTFUL_KM:
                reasons.append(f"far: {point[0]} listed {km:.0f} km from {place['name']}")
    return reasons + pair_doubts(a, b)
