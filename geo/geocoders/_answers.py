"""Providers' answers, checked: whatever a provider sends becomes places or one error.

A provider is input like any other: it may answer ``"lat": "abc"``, a latitude
of 951, no coordinates at all, an object instead of a list, or HTML. geopy
parses Nominatim's answers loosely (a result without coordinates lands at
0, 0; a longitude of 500 is wrapped to 140), so eventmap reads Nominatim's
decoded JSON itself (:func:`nominatim_places`) and checks the coordinates of
every other provider's geopy ``Location`` (:func:`location_places`). A bad
answer is a *transient* :class:`~geo.errors.GeocoderServiceError` (the next
attempt may get a good one): it is retried, then the offline gazetteer answers,
as for any other failure of the provider.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from geo.errors import GeocoderServiceError, brief
from geo.model import Place

__all__ = ["nominatim_places", "location_places", "degrees"]

# Nominatim's addresstype → Place.kind
_KINDS = {
    "country": "country",
    "state": "region",
    "province": "region",
    "region": "region",
    "state_district": "region",
    "city": "city",
    "town": "city",
    "village": "city",
    "hamlet": "city",
    "municipality": "city",
    "suburb": "city",
    "borough": "city",
}
_OSM_TYPES = ("node", "way", "relation")
_AXES = {"latitude": 90.0, "longitude": 180.0}


def degrees(value: object, axis: str) -> float | None:
    """``value`` as degrees of ``axis`` (``"latitude"``, ``"longitude"``), or ``None``.

    A number or a numeric string, finite, within ±90 (latitude) or ±180
    (longitude); booleans are not numbers.

    >>> degrees("51.73", "latitude"), degrees(951, "latitude"), degrees("abc", "longitude")
    (51.73, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        x = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        return None
    limit = _AXES[axis]
    return x if math.isfinite(x) and -limit <= x <= limit else None


class _Bad(Exception):
    """What is wrong with an answer, said as the rest of a message."""


def _coordinates(lat: object, lon: object, where: str) -> tuple[float, float]:
    out = []
    for axis, value in (("latitude", lat), ("longitude", lon)):
        if value is None:
            raise _Bad(f"answered {where} without a {axis}")
        x = degrees(value, axis)
        if x is None:
            limit = f"{_AXES[axis]:g}"
            raise _Bad(
                f"answered an invalid {axis} {brief(value)} in {where}, expected a "
                f"number of degrees in [-{limit}, {limit}]"
            )
        out.append(round(x, 6))
    return out[0], out[1]


def _text(value: object) -> str | None:
    """Text of an answer, stripped; a lone surrogate (JSON allows ``"\\ud800"``, UTF-8
    does not: it would fail the cache and the output) becomes U+FFFD."""
    if not isinstance(value, str):
        return None
    if not value.isascii():
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value.strip() or None


def _error(provider: str, query: str, what: str, *, transient: bool) -> GeocoderServiceError:
    return GeocoderServiceError(
        f"{provider}: {query!r}: {what}", query=query, provider=provider, transient=transient
    )


def nominatim_places(answer: object, *, query: str, provider: str, domain: str) -> list[Place]:
    """Nominatim's decoded JSON (``format=json``, ``addressdetails=1``) as places.

    Parameters
    ----------
    answer : object
        Whatever ``json.loads`` made of the body: a list of result objects
        when all is well, ``[]`` (or ``null``) when nothing was found.
    query, provider, domain : str
        For messages and the places' ``source``.

    Raises
    ------
    GeocoderServiceError
        Transient for a malformed answer (not a list, a result that is not an
        object, a coordinate missing, not a number, not finite or out of
        range); not transient for an ``{"error": ...}`` object, Nominatim's
        refusal.
    """
    if answer is None:
        return []
    if isinstance(answer, Mapping) and "error" in answer:
        error = answer["error"]
        if isinstance(error, Mapping):
            error = error.get("message", error)
        raise _error(provider, query, f"refused: {brief(error)}", transient=False)
    if not isinstance(answer, list):
        raise _error(
            provider, query,
            f"answered {brief(answer)}, expected a JSON list of places", transient=True,
        )  # fmt: skip
    places = []
    for rank, raw in enumerate(answer, start=1):
        try:
            places.append(_nominatim_place(raw, rank, query=query, domain=domain))
        except _Bad as bad:
            raise _error(provider, query, str(bad), transient=True) from None
    return places


def _nominatim_place(raw: object, rank: int, *, query: str, domain: str) -> Place:
    where = f"result {rank}"
    if not isinstance(raw, Mapping):
        raise _Bad(f"answered {brief(raw)} as {where}, expected a JSON object")
    lat, lon = _coordinates(raw.get("lat"), raw.get("lon"), where)
    address = _text(raw.get("display_name")) or ""
    name = _text(raw.get("name")) or address.split(",")[0].strip() or query
    osm_type, osm_id = raw.get("osm_type"), raw.get("osm_id")
    if isinstance(osm_id, str) and osm_id.isascii() and osm_id.isdigit():
        osm_id = int(osm_id)
    if osm_type in _OSM_TYPES and isinstance(osm_id, int) and not isinstance(osm_id, bool):
        pid = f"osm:{osm_type}/{osm_id}"
    else:
        pid = f"nominatim:{lat},{lon}"
    kind = _KINDS.get(_text(raw.get("addresstype")) or _text(raw.get("type")) or "", "place")
    details = raw.get("address")
    code = _text(details.get("country_code")) if isinstance(details, Mapping) else None
    iso2 = code is not None and len(code) == 2 and code.isascii() and code.isalpha()
    country = code.upper() if iso2 else None
    importance = raw.get("importance")
    score = 0.0
    if isinstance(importance, (int, float)) and not isinstance(importance, bool):
        score = round(float(importance), 4) if math.isfinite(importance) else 0.0
    source = f"OpenStreetMap contributors, via Nominatim ({domain})"
    return Place(query, name, kind, country, lat, lon, pid, source, score)


def location_places(
    found: object, *, query: str, provider: str, service: str, source: str
) -> list[Place]:
    """geopy ``Location`` answers of any provider as places, their coordinates checked.

    ``found`` is what a geopy geocoder's ``geocode(..., exactly_one=False)``
    returned: a list of locations, one location, or ``None``.

    Raises
    ------
    GeocoderServiceError
        Transient, if an answer is not a location or its coordinates are not
        finite degrees within range.
    """
    if found is None:
        return []
    if not isinstance(found, Sequence) or isinstance(found, (str, bytes)):
        found = [found]
    places = []
    for rank, loc in enumerate(found, start=1):
        where = f"result {rank}"
        try:
            lat, lon = _coordinates(
                getattr(loc, "latitude", None), getattr(loc, "longitude", None), where
            )
        except _Bad as bad:
            raise _error(provider, query, str(bad), transient=True) from None
        raw = getattr(loc, "raw", None)
        raw = raw if isinstance(raw, Mapping) else {}
        address = _text(getattr(loc, "address", None)) or ""
        name = _text(raw.get("name")) or address.split(",")[0].strip() or query
        pid = f"{service}:{lat},{lon}"
        places.append(Place(query, name, "place", None, lat, lon, pid, source, round(1 / rank, 4)))
    return places
