"""Resolve stage: tie each place name to a GeoNames entry (see gazetteer.py, resolver.py)."""

from amity.resolve.gazetteer import Candidate, Gazetteer, load_gazetteer
from amity.resolve.resolver import PlaceContext, Resolver

__all__ = ["Candidate", "Gazetteer", "PlaceContext", "Resolver", "load_gazetteer"]
