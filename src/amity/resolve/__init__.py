"""Resolve stage: tie each place name to a GeoNames entry of the gazetteer (`amity.gazetteer`)
with `Resolver` (resolver.py); `ResolveStage` (stage.py) runs it over an article's relations."""

from amity.resolve.resolver import PlaceContext, Resolver

__all__ = ["PlaceContext", "Resolver"]
