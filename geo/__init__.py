"""eventmap's geo package: words → geometry.

Events from files (YAML, CSV/ACLED, GeoJSON, GeoParquet) or text, places
resolved with an offline gazetteer (GeoNames, Natural Earth) or an online
provider through a chain of wrappers (:mod:`geo.geocoders`), routes as
geodesics. ``geo`` never imports ``maps``.

Names are imported on first use (PEP 562), so ``import geo`` and a single
geocoding query do not pay for pandas and geopandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import attach
from geo.errors import (
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
    "KINDS": "schema",
    "Event": "model",
    "PartialDate": "model",
    "PlaceRef": "model",
    "Quantity": "model",
    "Source": "model",
    "parse_date": "schema",
    "parse_event": "schema",
    "Explanation": "gazetteer.explain",
    "Gazetteer": "gazetteer.core",
    "Place": "model",
    "Query": "model",
    "default_gazetteer": "gazetteer.core",
    "COLUMNS": "table",
    "events_frame": "table",
    "read_events": "io.reader",
    "write_events": "io.writers",
    "PlaceResolver": "resolve",
    "ResolvedPlace": "resolve",
    "Unresolved": "resolve",
    "geodesic_route": "routes",
    "split_antimeridian": "routes",
    "OfflineGeocoder": "geocoders",
    "make_geocoder": "geocoders",
    "Extractor": "extract",
    "Demonyms": "gazetteer.demonyms",
    "default_demonyms": "gazetteer.demonyms",
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
    "Query",
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


__getattr__, __dir__ = attach(__name__, _LAZY)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from geo.extract import Extractor
    from geo.gazetteer.core import Explanation, Gazetteer, default_gazetteer
    from geo.gazetteer.demonyms import Demonyms, default_demonyms
    from geo.geocoders import OfflineGeocoder, make_geocoder
    from geo.io.reader import read_events
    from geo.io.writers import write_events
    from geo.model import Event, PartialDate, Place, PlaceRef, Quantity, Query, Source
    from geo.resolve import PlaceResolver, ResolvedPlace, Unresolved
    from geo.routes import geodesic_route, split_antimeridian
    from geo.schema import KINDS, parse_date, parse_event
    from geo.table import COLUMNS, events_frame
