"""eventmap's geo package: words → geometry.

Events from files (YAML, CSV/ACLED, GeoJSON, GeoParquet) or text, places
resolved with an offline gazetteer (GeoNames, Natural Earth), routes as
geodesics. ``geo`` never imports ``maps``.
"""

from .errors import (
    AssetsMissingError,
    EventmapError,
    GeocoderServiceError,
    GeocodingError,
    InputError,
    UnresolvedPlaceError,
)
from .events import KINDS, Event, PartialDate, PlaceRef, Quantity, Source, parse_date, parse_event
from .gazetteer import Gazetteer, Place, default_gazetteer
from .readers import COLUMNS, events_frame, read_events, write_events
from .resolve import PlaceResolver, ResolvedPlace, Unresolved
from .routes import geodesic_route, split_antimeridian

__all__ = [
    "AssetsMissingError",
    "COLUMNS",
    "Event",
    "EventmapError",
    "Gazetteer",
    "GeocoderServiceError",
    "GeocodingError",
    "InputError",
    "KINDS",
    "PartialDate",
    "Place",
    "PlaceRef",
    "PlaceResolver",
    "Quantity",
    "ResolvedPlace",
    "Source",
    "Unresolved",
    "UnresolvedPlaceError",
    "default_gazetteer",
    "events_frame",
    "geodesic_route",
    "parse_date",
    "parse_event",
    "read_events",
    "split_antimeridian",
    "write_events",
]
