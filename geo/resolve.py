"""Resolve the places events refer to: names through a geocoder, points as given.

The resolver caches per name, so a dataset that names Kursk Oblast forty times
asks the geocoder once. What it cannot resolve it records as
:class:`Unresolved`, with the file, record and field it came from, so that a
run can list every unresolved name instead of dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import shapely

from geo.errors import brief
from geo.gazetteer.core import default_gazetteer
from geo.geocoders.base import Geocoder
from geo.model import Place, PlaceRef

__all__ = [
    "Geocoder", "ResolvedPlace", "Unresolved", "PlaceResolver", "PLACE_FIELDS", "place_dict",
    "POINT_ID", "GIVEN_SOURCE", "given_place",
]  # fmt: skip

#: How the id of a place given by its coordinates starts (``point:55.75000,37.60000``).
POINT_ID = "point:"
#: The source of such a place.
GIVEN_SOURCE = "coordinates given in the data"


def given_place(
    name: str,
    lat: float,
    lon: float,
    *,
    country: str | None = None,
    approximate: bool = False,
    at: tuple[float, float] | None = None,
) -> Place:
    """The place of coordinates given with the data: named ``point:lat,lon`` (5
    decimals of ``lat``, ``lon``), at ``at`` (lat, lon: them rounded, as
    :attr:`ResolvedPlace.record` rounds) if given, else at ``lat``, ``lon``."""
    at_lat, at_lon = (lat, lon) if at is None else at
    return Place(
        query=name, name=name, id=f"{POINT_ID}{lat:.5f},{lon:.5f}", kind="place",
        country=country, lat=at_lat, lon=at_lon, source=GIVEN_SOURCE, score=1.0,
        approximate=approximate,
    )  # fmt: skip


@dataclass(frozen=True)
class ResolvedPlace:
    """A place with its full geometry (polygon for regions and countries)."""

    place: Place
    geometry: shapely.Geometry

    @property
    def point(self) -> shapely.Point:
        return shapely.Point(self.place.lon, self.place.lat)

    @cached_property
    def record(self) -> Place:
        """The place as the events table holds it: coordinates rounded to 6
        decimals (about 0.1 m). Made once, so every row naming it shares it."""
        p = self.place
        return replace(p, lat=round(p.lat, 6), lon=round(p.lon, 6), approximate=bool(p.approximate))

    def as_dict(self) -> dict:
        """The place as a run's report lists it (``attrs["places"]``) and the
        file writers write it: :data:`PLACE_FIELDS` of :attr:`record`."""
        return place_dict(self.record)


#: The fields of a resolved place the events table writes (its score is only
#: comparable between answers to one query, so it is not kept on disk).
PLACE_FIELDS = ("query", "name", "id", "kind", "country", "lat", "lon", "source", "approximate")


def place_dict(place: Place) -> dict:
    """A place as written to a file and listed in a run's report."""
    return {k: getattr(place, k) for k in PLACE_FIELDS}


@dataclass(frozen=True)
class Unresolved:
    """A place name that no geocoder could resolve, and where it was found."""

    name: str
    file: str | None
    record: str
    field: str

    def __str__(self) -> str:
        where = ": ".join(x for x in (self.file, self.record, self.field) if x)
        return f"{where}: {brief(self.name)}"  # a name may be 10,000 characters


@dataclass
class PlaceResolver:
    """Resolve :class:`~geo.schema.PlaceRef` objects, caching by name and hint.

    Parameters
    ----------
    geocoder : Geocoder, optional
        Defaults to the offline gazetteer.
    """

    geocoder: Geocoder | None = None
    unresolved: list[Unresolved] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    def resolve(
        self, ref: PlaceRef, *, file: str | None = None, record: str = "", field: str = ""
    ) -> ResolvedPlace | None:
        if ref.has_point:
            # Not cached: an ACLED export has a point per event, and a run's
            # report lists the places it geocoded, not coordinates it was given.
            place = given_place(
                ref.name, float(ref.lat), float(ref.lon),
                country=ref.country, approximate=ref.approximate,
            )  # fmt: skip
            return ResolvedPlace(place, shapely.Point(place.lon, place.lat))
        key = (ref.name, ref.country)
        if key not in self._cache:
            if self.geocoder is None:  # loaded on first use: point-only data never needs it
                self.geocoder = default_gazetteer()
            place = self.geocoder.geocode(ref.name, country_hint=ref.country)
            self._cache[key] = (
                None if place is None else ResolvedPlace(place, self.geocoder.geometry(place))
            )
        found = self._cache[key]
        if found is None:
            self.unresolved.append(Unresolved(ref.name, file, record, field))
        return found

    def route_point(self, found: ResolvedPlace) -> tuple[float, float]:
        """Where a route meets a place, as (lon, lat).

        A country is met at its capital (the convention for flows between
        states); anything else at its representative point.
        """
        p = found.place
        capital = getattr(self.geocoder, "capital", None)
        if p.kind == "country" and p.country and capital is not None:
            city = capital(p.country)
            if city is not None:
                return city.lon, city.lat
        return p.lon, p.lat

    @property
    def resolved(self) -> list[ResolvedPlace]:
        """Every distinct place name geocoded so far, in first-seen order."""
        return [r for r in self._cache.values() if r is not None]
