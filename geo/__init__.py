"""eventmap's geo package: words → geometry.

Events from files (YAML, CSV/ACLED, GeoJSON, GeoParquet) or text, places
resolved with an offline gazetteer (GeoNames, Natural Earth) or an online
provider through a chain of wrappers (:mod:`geo.geocoders`), routes as
geodesics. ``geo`` never imports ``maps``.

Names are imported on first use (PEP 562), so ``import geo`` and a single
geocoding query do not pay for pandas and geopandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .errors import (
    AssetsMissingError,
    CacheError,
    EventmapError,
    FallbackWarning,
    GeocoderServiceError,
    GeocodingError,
    InputError,
    OutputError,
    UnresolvedPlaceError,
)

# name → submodule that defines it
_LAZY = {
    "KINDS": "events",
    "Event": "events",
    "PartialDate": "events",
    "PlaceRef": "events",
    "Quantity": "events",
    "Source": "events",
    "parse_date": "events",
    "parse_event": "events",
    "Explanation": "gazetteer",
    "Gazetteer": "gazetteer",
    "Place": "gazetteer",
    "default_gazetteer": "gazetteer",
    "COLUMNS": "readers",
    "events_frame": "readers",
    "read_events": "readers",
    "write_events": "readers",
    "PlaceResolver": "resolve",
    "ResolvedPlace": "resolve",
    "Unresolved": "resolve",
    "geodesic_route": "routes",
    "split_antimeridian": "routes",
    "OfflineGeocoder": "geocoders",
    "make_geocoder": "geocoders",
    "Extractor": "extract",
    "Demonyms": "demonyms",
    "default_demonyms": "demonyms",
}

__all__ = [
    "AssetsMissingError",
    "COLUMNS",
    "CacheError",
    "Demonyms",
    "Event",
    "EventmapError",
    "Explanation",
    "Extractor",
    "FallbackWarning",
    "Gazetteer",
    "GeocoderServiceError",
    "GeocodingError",
    "InputError",
    "KINDS",
    "OfflineGeocoder",
    "OutputError",
    "PartialDate",
    "Place",
    "PlaceRef",
    "PlaceResolver",
    "Quantity",
    "ResolvedPlace",
    "Source",
    "Unresolved",
    "UnresolvedPlaceError",
    "default_demonyms",
    "default_gazetteer",
    "events_frame",
    "geodesic_route",
    "make_geocoder",
    "parse_date",
    "parse_event",
    "read_events",
    "split_antimeridian",
    "write_events",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .demonyms import Demonyms, default_demonyms
    from .events import (
        KINDS,
        Event,
        PartialDate,
        PlaceRef,
        Quantity,
        Source,
        parse_date,
        parse_event,
    )
    from .extract import Extractor
    from .gazetteer import Explanation, Gazetteer, Place, default_gazetteer
    from .geocoders import OfflineGeocoder, make_geocoder
    from .readers import COLUMNS, events_frame, read_events, write_events
    from .resolve import PlaceResolver, ResolvedPlace, Unresolved
    from .routes import geodesic_route, split_antimeridian
