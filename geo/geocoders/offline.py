"""The offline gazetteer as a geopy geocoder, for code written against geopy.

>>> import geopandas
>>> from geo.geocoders import OfflineGeocoder
>>> frame = geopandas.tools.geocode(["Koursk", "Pyongyang"], provider=OfflineGeocoder)
>>> frame.geometry.y.round(1).tolist()
[51.7, 39.0]

``geopandas.tools.geocode`` instantiates the class with its keyword
arguments and calls ``geocode(name)`` for each name; the answers are geopy
:class:`~geopy.location.Location` objects whose ``raw`` is the
:class:`~geo.Place` as a dict. The adapter makes no request: asking it for the
network raises.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError as GeopyServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from geo.gazetteer.core import Gazetteer, default_gazetteer
from geo.geocoders.base import default_user_agent
from geo.model import Place, Query

__all__ = ["OfflineGeocoder"]


class _NoNetwork(BaseSyncAdapter):
    """geopy's adapter slot, filled with one that refuses every request."""

    def get_json(self, url, *, timeout, headers):
        raise GeopyServiceError(f"the offline gazetteer makes no request (asked for {url})")

    def get_text(self, url, *, timeout, headers):
        raise GeopyServiceError(f"the offline gazetteer makes no request (asked for {url})")


class OfflineGeocoder(Geocoder):
    """eventmap's offline gazetteer with geopy's ``Geocoder`` interface.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to :func:`~geo.default_gazetteer`, or one loaded with
        ``extra`` files.
    extra : iterable of path
        User files of places (format of ``curated.yaml``).
    country_hint : str, optional
        Default country of every query: only its places are returned, as
        geopy's ``country_codes`` (Nominatim's filter) restricts an online search.
    **kwargs
        geopy's ``Geocoder`` options (``timeout``, ``user_agent``...), accepted
        for compatibility; they change nothing offline.
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        extra: Iterable[str | Path] = (),
        country_hint: str | None = None,
        scheme=None,
        timeout=DEFAULT_SENTINEL,
        proxies=DEFAULT_SENTINEL,
        user_agent=None,
        ssl_context=DEFAULT_SENTINEL,
        adapter_factory=None,
    ):
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent or default_user_agent(),
            ssl_context=ssl_context,
            adapter_factory=adapter_factory or _NoNetwork,
        )
        extra = list(extra)
        if gazetteer is None:
            gazetteer = Gazetteer.load(extra=extra) if extra else default_gazetteer()
        self.gazetteer = gazetteer
        self.country_hint = country_hint

    def geocode(
        self,
        query,
        *,
        exactly_one: bool = True,
        timeout=DEFAULT_SENTINEL,
        limit: int | None = None,
        country_codes: str | list[str] | None = None,
        viewbox=None,
        kind: str | None = None,
    ):
        """Geocode ``query``; geopy's signature (``viewbox`` as two ``(lat, lon)`` corners,
        a preference; ``country_codes`` a filter, as for Nominatim).

        Returns
        -------
        geopy.location.Location, list of Location, or None
            One location (``exactly_one``), up to ``limit`` (default 5)
            otherwise; ``None`` when nothing matches.
        """
        if isinstance(country_codes, (list, tuple)):  # geopy takes several; we, the first
            country_codes = country_codes[0] if country_codes else None
        hint = country_codes
        bias = None
        if viewbox is not None:
            (lat1, lon1), (lat2, lon2) = viewbox
            bias = (min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))
        k = 1 if exactly_one else (limit or 5)
        found = self.gazetteer.candidates(
            Query(str(query), country_hint=hint or self.country_hint, kind=kind, bias=bias, k=k)
        )
        locations = [_location(p) for p in found]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def reverse(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL):
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")


def _location(place: Place) -> Location:
    where = f", {place.country}" if place.country and place.kind != "country" else ""
    return Location(f"{place.name}{where}", (place.lat, place.lon), dataclasses.asdict(place))
