"""The gazetteer: GeoNames places and their names, the one name normaliser, and the knowledge
index of known twin pairs. Extract, resolve and the registry's reference import all use it.

- `index.py`: `Gazetteer`, look-ups over the SQLite index built on first use (`build.py`);
- `names.py`: `normalize` (case, accents, ß/ø/æ, punctuation), generic words, romanisation keys;
- `knowledge.py`: `KnowledgeIndex` of Wikipedia's twin-town lists (package data, MIT licence).
"""

from amity.gazetteer.index import Candidate, Gazetteer, distance_km, load_gazetteer
from amity.gazetteer.knowledge import KnowledgeIndex, load_knowledge, name_key
from amity.gazetteer.names import normalize

__all__ = [
    "Candidate",
    "Gazetteer",
    "KnowledgeIndex",
    "distance_km",
    "load_gazetteer",
    "load_knowledge",
    "name_key",
    "normalize",
]
