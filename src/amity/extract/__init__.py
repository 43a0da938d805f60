"""Extract stage: every city pair an article reports, with tier, event, dates, people and fields.

Requires: Article.text/title/published and Article.relevant (prefilter).
Assigns: Article.relations (places resolved to GeoNames) and Article.claims.

Only relevant articles are read. The cheap pass (NER + place ruler, no parser) runs over the
whole article; only sentences that hold relation vocabulary are parsed, for modality and
negation. `find_relations(article)` is pure; `Extractor.__call__` writes the result.
"""

from __future__ import annotations

from amity.extract.extractor import Extractor, find_relations

__all__ = ["Extractor", "find_relations"]
