"""The offline gazetteer: GeoNames places and Natural Earth regions and countries.

``files`` reads the built tables and the curated entries, ``index_file`` the
name index on disk, ``normalize`` makes spellings of one name compare equal,
``query`` reads the text of a query, ``plan`` decides the steps of its search,
``index`` searches and ranks, ``explain`` says why a place won, ``shapes``
holds the polygons and ``demonyms`` the adjectives of countries;
``countries`` reads a country however a dataset names it (ISO codes, names,
FIPS), ``borders`` measures how far points lie outside their country, and
``hierarchy`` looks for a name inside its admin units, with the fallbacks.
:class:`~geo.gazetteer.core.Gazetteer` puts them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import attach

_NAMES = {
    "BBox": "options",
    "Demonyms": "demonyms",
    "Explanation": "explain",
    "Gazetteer": "core",
    "default_demonyms": "demonyms",
    "default_gazetteer": "core",
}
# The name keys are geo.gazetteer.normalize.normalize: a package name ``normalize``
# would be the function or the submodule depending on what was imported first.
__all__ = ["BBox", "Demonyms", "Explanation", "Gazetteer", "default_demonyms", "default_gazetteer"]
__getattr__, __dir__ = attach(__name__, _NAMES)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from geo.gazetteer.core import Gazetteer, default_gazetteer
    from geo.gazetteer.demonyms import Demonyms, default_demonyms
    from geo.gazetteer.explain import Explanation
    from geo.gazetteer.options import BBox
