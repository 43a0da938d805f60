"""Which country a coordinate lies in, offline: the country of the nearest gazetteer place.

No country polygons ship with amity. The packages that offer them were measured against
the nearest-place approach and rejected (docs/geocoding.md#reference-checks): a bitmap
(coordinates2country) answers nothing for Lagos, Strasbourg, Geneva or Taipei, and a
simplified-polygon package (geo-intel-offline, 4 MB) nothing for coastal Lagos, "-99" for
France, at 0.12 s a lookup. The gazetteer's own places (every city of 500+ people, and
the postal places when the index holds them) are dense enough: a twin town's listed point
is its own centre, a few km from a gazetteer place of its country.

So the answer is an approximation, and says so: `country_at` gives the country of the
nearest place within `LOCATE_KM`, else None (open sea, or no place near); `has_country_near`
tells whether a given country has any place within `BORDER_KM`, so that a point a few km
from a border is not said to lie across it.

Example:
    >>> locator = CountryLocator.from_gazetteer(load_gazetteer())  # doctest: +SKIP
    >>> locator.country_at(6.4561, 3.3936)  # doctest: +SKIP
    'NG'
"""

from __future__ import annotations

import math
import sqlite3
from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial import cKDTree

if TYPE_CHECKING:
    from amity.gazetteer.index import Gazetteer

EARTH_KM = 6371.0088
LOCATE_KM = 30.0  # a listed point farther than this from every gazetteer place: no answer
BORDER_KM = 15.0  # a country with a place this near the point may well be where it lies


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _chord(km: float) -> float:
    """The straight-line distance (unit sphere) of a great-circle distance in km."""
    return 2 * math.sin(min(km / EARTH_KM, math.pi) / 2)


_LOADED: dict[str, CountryLocator] = {}


def _city_points(path: str) -> list[tuple[float, float, str]]:
    """(lat, lon, ISO2) of the GeoNames cities in a gazetteer index file."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(
            "SELECT lat, lon, country FROM places"
            " WHERE kind = 'city' AND geonameid IS NOT NULL AND lat IS NOT NULL"
            " AND country IS NOT NULL"
        ).fetchall()


class CountryLocator:
    """Nearest-place country lookups over (lat, lon, ISO2) points; a k-d tree on the unit
    sphere, so one lookup is a few microseconds."""

    def __init__(self, points: list[tuple[float, float, str]]):
        lats, lons, countries = zip(*points, strict=True) if points else ((), (), ())
        self.countries = np.array(countries, dtype=object)
        self._tree = cKDTree(_unit_vectors(np.array(lats, float), np.array(lons, float)))

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> CountryLocator:
        """The GeoNames cities of the gazetteer index, read once per index file. Not its
        countries and regions (centroids), nor postal places (no geonameid; their US
        military post offices abroad would put Singapore in the US)."""
        path = str(gazetteer.path)
        if path not in _LOADED:
            _LOADED[path] = cls(_city_points(path))
        return _LOADED[path]

    def __len__(self) -> int:
        return len(self.countries)

    def nearest(self, lat: float, lon: float) -> tuple[str, float] | None:
        """(ISO2, km) of the nearest place, or None when there is none."""
        if not len(self.countries):
            return None
        chord, index = self._tree.query(_unit_vectors(np.array([lat]), np.array([lon]))[0])
        km = 2 * EARTH_KM * math.asin(min(1.0, chord / 2))
        return str(self.countries[index]), km

    def country_at(self, lat: float, lon: float) -> str | None:
        """The country of the nearest place within LOCATE_KM of the point, else None."""
        found = self.nearest(lat, lon)
        return found[0] if found and found[1] <= LOCATE_KM else None

    def has_country_near(self, lat: float, lon: float, country: str, km: float = BORDER_KM) -> bool:
        """Whether `country` has a place within `km` of the point."""
        point = _unit_vectors(np.array([lat]), np.array([lon]))[0]
        return any(
            self.countries[i] == country for i in self._tree.query_ball_point(point, _chord(km))
        )
