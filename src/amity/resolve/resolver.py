"""Pick one GeoNames entry for a place name, using what the article says around it.

Evidence, strongest first: stated country > stated admin1 > parent city > countries the
article mentions > population. A twin is rarely in its partner's country, so that
country gets a mild penalty (US-US and CN-CN pairs exist, so only mild).

Example:
    >>> Resolver().resolve("Bor", PlaceContext(country="RS")).geonameid
    792456
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from amity.resolve import names
from amity.resolve.gazetteer import Candidate, Gazetteer, distance_km, load_gazetteer
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
PARENT_RADIUS_KM = 80.0
FUZZY_ARTICLE_COUNTRIES = 3  # a misspelling is searched for in this many named countries  # a district lies within this distance of its parent city
MATCH_CONFIDENCE = {"name": 0.95, "alternate": 0.9, "variant": 0.8, "fuzzy": 0.55}

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
                found = self._match(qualified[0], self._qualify(context, *qualified[1:]), False)
        if found is None:
            found = self._match(name, context, fuzzy=True)
        if found is not None:
            return found
        kind, country, _, parent = self._evidence(name, context)
        qualified = split_qualifier(name)
        if parent is None and qualified is not None:
            inner = self._qualify(context, *qualified[1:])
            kind, country, _, parent = self._evidence(qualified[0], inner)
            context = inner
        return self._unresolved(written_name(name), country, kind, parent, context)

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
        if how == "parent":
            found.parent = found.parent or qualifier
            found.kind = found.kind or "district"
        elif (cc := gaz.country_code(qualifier)) is not None:
            found.country = found.country or cc
        elif gaz.admin1_of(qualifier, context.country):
            found.admin1 = found.admin1 or qualifier
        else:
            found.parent = found.parent or qualifier
        return found

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
        scored = sorted(
            ((self._score(c, context, kind, country, regions, parent), c) for c in candidates),
            key=lambda item: -item[0],
        )
        best_score, best = scored[0]
        rivals = [s for s, c in scored[1:] if (c.geonameid, c.name) != (best.geonameid, best.name)]
        margin = best_score - rivals[0] if rivals else 3.0
        confidence = MATCH_CONFIDENCE.get(best.match, 0.5) * (0.55 + 0.15 * min(margin, 3.0))
        if best.kind == "province" and kind not in ("province", "region"):
            kind = "province"
        return Place(
            name=shown if kind not in ("province", "region") else name.strip(),
            country=best.country,
            admin1=best.admin1,
            geonameid=best.geonameid,
            lat=best.lat if best.kind == "city" else None,
            lon=best.lon if best.kind == "city" else None,
            kind=kind,
            parent=(parent.name if parent else context.parent)
            if kind in ("district", "county")
            else None,
            canonical=best.name,
            confidence=round(min(1.0, confidence), 3),
            unresolved=False,
        )

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
        if kind in ("district", "county"):
            found = [c for c in found if c.kind == "city"]
        if kind == "county":
            # "Cobb County" is not the city of Cobb: a county takes its own name only.
            found = [c for c in found if c.match in ("name", "alternate")]
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

    def _score(self, c: Candidate, context: PlaceContext, kind: str, country, regions, parent):
        score = math.log10(max(c.population, 0) + 10)
        if c.match == "name":
            score += PRIMARY_NAME_BONUS
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
        wants_region = kind in ("province", "region")
        if c.kind == "country":
            score -= COUNTRY_AS_PLACE_PENALTY
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
        )


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


def _inside(c: Candidate, parent: Candidate) -> bool:
    """Same place, or within the parent's admin1 and near it."""
    if c.country != parent.country:
        return False
    if c.lat is None or parent.lat is None:
        return c.admin1 == parent.admin1
    return distance_km(c.lat, c.lon, parent.lat, parent.lon) <= PARENT_RADIUS_KM
