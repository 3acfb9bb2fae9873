"""Geocoders beyond the offline gazetteer, composed like geopy's helpers.

* :mod:`.provider`: geopy providers (Nominatim first, any service by name);
* :mod:`.throttle`: spacing between requests and retries with backoff;
* :mod:`.cache`: a persistent SQLite cache of provider answers;
* :mod:`.chain`: user overrides, fallback to the offline gazetteer, and
  :func:`make_geocoder` that assembles them;
* :mod:`.offline`: the offline gazetteer as a geopy ``Geocoder`` class, for
  ``geopandas.tools.geocode(names, provider=OfflineGeocoder)``;
* :mod:`.limits`: the checks of the numbers a chain takes (seconds, retries),
  shared with the ``eventmap geocode`` command line.

Imported on first use: the offline path never imports geopy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import attach

_LAZY = {
    "Geocoder": "base",
    "default_user_agent": "base",
    "ProviderSearch": "provider",
    "provider_search": "provider",
    "Throttle": "throttle",
    "GeocodeCache": "cache",
    "Cached": "cache",
    "default_cache_dir": "cache",
    "Online": "chain",
    "Fallback": "chain",
    "Overrides": "chain",
    "make_geocoder": "chain",
    "OfflineGeocoder": "offline",
}

__all__ = [
    "Cached",
    "Fallback",
    "GeocodeCache",
    "Geocoder",
    "OfflineGeocoder",
    "Online",
    "Overrides",
    "ProviderSearch",
    "Throttle",
    "default_cache_dir",
    "default_user_agent",
    "make_geocoder",
    "provider_search",
]
assert sorted(__all__) == sorted(_LAZY)


__getattr__, __dir__ = attach(__name__, _LAZY)


if TYPE_CHECKING:  # pragma: no cover
    from geo.geocoders.base import Geocoder, default_user_agent
    from geo.geocoders.cache import Cached, GeocodeCache, default_cache_dir
    from geo.geocoders.chain import Fallback, Online, Overrides, make_geocoder
    from geo.geocoders.offline import OfflineGeocoder
    from geo.geocoders.provider import ProviderSearch, provider_search
    from geo.geocoders.throttle import Throttle
