"""Resolve the places events refer to: names through a geocoder, points as given.

The resolver caches per query, so a dataset that names Kursk Oblast forty
times asks the geocoder once. A query is a name, the admin units it lies in
(:attr:`~geo.model.PlaceRef.within`) and its country: the country is a
constraint (no answer outside it is ever returned) and the admin units are
searched in turn, most specific first (:mod:`geo.gazetteer.hierarchy`), each fallback
said in :attr:`ResolvedPlace.flag`. What it cannot resolve it records as
:class:`Unresolved`, with the file, record and field it came from, so that a
run can list every unresolved name instead of dropping it;
:meth:`PlaceResolver.report` lists every distinct query, resolved or not.

:func:`outside_country` checks coordinates given with the data against the
country their row names; :func:`country_code` reads a country however a
dataset names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import shapely

from geo.errors import brief
from geo.gazetteer.borders import BORDER_TOLERANCE_KM
from geo.gazetteer.core import Gazetteer, default_gazetteer
from geo.gazetteer.countries import fips_country
from geo.gazetteer.hierarchy import Search
from geo.geocoders.base import Geocoder
from geo.model import Place, PlaceRef

__all__ = [
    "Geocoder", "ResolvedPlace", "Unresolved", "PlaceResolver", "PLACE_FIELDS", "place_dict",
    "REPORT_FIELDS", "POINT_ID", "GIVEN_SOURCE", "given_place", "outside_country",
    "country_code", "fips_country", "BORDER_TOLERANCE_KM", "precision_of",
]  # fmt: skip

#: How the id of a place given by its coordinates starts (``point:55.75000,37.60000``).
POINT_ID = "point:"
#: The source of such a place.
GIVEN_SOURCE = "coordinates given in the data"

#: The precision of a place found by name, by its kind: a gazetteer region is a
#: Natural Earth admin-1 unit.
_KIND_PRECISION = {"country": "country", "region": "admin1", "city": "point", "place": "point"}


def precision_of(place: Place) -> str:
    """How precisely a place alone places an event: ``"point"`` (a town, given
    coordinates), ``"near"`` (approximate ones), ``"admin1"`` (a region) or
    ``"country"``."""
    if place.kind in ("city", "place") and place.approximate:
        return "near"
    return _KIND_PRECISION.get(place.kind, "point")


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


#: The fields of a row of the resolution report (``attrs["places"]``,
#: :meth:`PlaceResolver.report`), in order: what was asked (query, country,
#: within), what answered (name, id, kind, precision, lat, lon, score), the
#: runner-up, and the flag (a fallback, a doubt, or why it is unresolved).
REPORT_FIELDS = (
    "query", "country", "within", "name", "id", "kind", "precision", "lat", "lon", "score",
    "runner_up_name", "runner_up_id", "runner_up_score", "flag",
)  # fmt: skip


@dataclass(frozen=True)
class ResolvedPlace:
    """A place with its full geometry (polygon for regions and countries).

    Attributes
    ----------
    place : Place
        What the query resolved to (for a fallback, the admin unit or country
        it was placed at, its ``query`` the name asked for).
    geometry : shapely.Geometry
    precision : str
        ``"point"``, ``"near"``, ``"admin2"``, ``"admin1"`` or ``"country"``:
        how precisely it places an event (from the place's kind if not given).
    flag : str or None
        The fallback or doubt, in words, for the event's popup and the
        report: ``"placed at Oudalan (admin2): 'Koria' was not found in it"``.
    runner_up : Place or None
        The next candidate (for a fallback, the best one outside the area).
    within, country : what was asked besides the name (for the report).
    """

    place: Place
    geometry: shapely.Geometry
    precision: str = ""
    flag: str | None = None
    runner_up: Place | None = None
    within: tuple[str, ...] = ()
    country: str | None = None

    def __post_init__(self) -> None:
        if not self.precision:
            object.__setattr__(self, "precision", precision_of(self.place))

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
        """The row of the resolution report (``attrs["places"]``): :data:`REPORT_FIELDS`."""
        p, r = self.record, self.runner_up
        return _report_row(p.query, self.country, self.within, p, self.precision, self.flag, r)


def _report_row(query, country, within, place, precision, flag, runner_up) -> dict:
    return {
        "query": query,
        "country": country,
        "within": ", ".join(w.strip() for w in within if isinstance(w, str) and w.strip()),
        "name": place.name if place else None,
        "id": place.id if place else None,
        "kind": place.kind if place else None,
        "precision": precision,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "score": place.score if place else None,
        "runner_up_name": runner_up.name if runner_up else None,
        "runner_up_id": runner_up.id if runner_up else None,
        "runner_up_score": runner_up.score if runner_up else None,
        "flag": flag,
    }


#: The fields of a resolved place the events table writes (its score is only
#: comparable between answers to one query, so it is not kept on disk).
PLACE_FIELDS = ("query", "name", "id", "kind", "country", "lat", "lon", "source", "approximate")


def place_dict(place: Place) -> dict:
    """A place as written to a file (:data:`PLACE_FIELDS`)."""
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
    """Resolve :class:`~geo.model.PlaceRef` objects, caching by name, admin units
    and country.

    Parameters
    ----------
    geocoder : Geocoder, optional
        Defaults to the offline gazetteer. Anything with ``geocode(name,
        country_hint=)`` and ``geometry(place)`` will do; ``candidates`` (for
        the runner-up and the search inside admin units) is used when it has it.
    fallback : bool
        Whether a name not found inside its admin units or country is placed at
        the most specific of them that is known (flagged), or unresolved.

    Examples
    --------
    >>> r = PlaceResolver()
    >>> found = r.resolve(PlaceRef("Koria", country="Burkina Faso", within=("Oudalan", "Sahel")))
    >>> found.place.name, found.precision
    ('Oudalan', 'admin2')
    >>> found.flag.split(";")[0]
    "placed at Oudalan (admin2): 'Koria' was not found in it"
    """

    geocoder: Geocoder | None = None
    fallback: bool = True
    unresolved: list[Unresolved] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)
    _notes: dict = field(default_factory=dict, repr=False)
    _search: Search | None = field(default=None, repr=False)

    def resolve(
        self, ref: PlaceRef, *, file: str | None = None, record: str = "", field: str = ""
    ) -> ResolvedPlace | None:
        """The place ``ref`` names, or ``None`` (then listed in :attr:`unresolved`).

        Coordinates are taken as given (precision ``"point"``, or ``"near"``
        when approximate). A name is looked for in its country (a constraint)
        and inside its admin units (:attr:`~geo.model.PlaceRef.within`); when
        it is not found there, it is placed at the most specific admin unit the
        geocoder knows, then at the country, with a :attr:`~ResolvedPlace.flag`
        saying so (unless ``fallback`` is false).
        """
        if ref.has_point:
            # Not cached: an ACLED export has a point per event, and a run's
            # report lists the places it geocoded, not coordinates it was given.
            place = given_place(
                ref.name, float(ref.lat), float(ref.lon),
                country=ref.country, approximate=ref.approximate,
            )  # fmt: skip
            precision = "near" if ref.approximate else "point"
            return ResolvedPlace(place, shapely.Point(place.lon, place.lat), precision)
        key = (ref.name, ref.within, ref.country)
        try:
            found = self._cache[key]
        except KeyError:
            found = self._cache[key] = self._resolve(*key)
        except TypeError:  # a within given as a list
            return self.resolve(replace(ref, within=tuple(ref.within)), file=file,
                                record=record, field=field)  # fmt: skip
        if found is None:  # a query of admin units alone (no name below them): the finest
            name = (
                ref.name
                if ref.name.strip()
                else next((w for w in ref.within if isinstance(w, str) and w.strip()), ref.name)
            )
            self.unresolved.append(Unresolved(name, file, record, field))
        return found

    def _resolve(self, name: str, within: tuple[str, ...], country) -> ResolvedPlace | None:
        if self._search is None:
            if self.geocoder is None:  # loaded on first use: point-only data never needs it
                self.geocoder = default_gazetteer()
            self._search = Search(self.geocoder, fallback=self.fallback)
        answer = self._search.resolve(name, within, country)
        if answer.place is None:
            self._notes[(name, within, country)] = answer.flag
            return None
        return ResolvedPlace(
            answer.place, answer.geometry, answer.precision, answer.flag, answer.runner_up,
            within, country,
        )  # fmt: skip

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
        """Every distinct place query resolved so far, in first-seen order."""
        return [r for r in self._cache.values() if r is not None]

    def report(self) -> list[dict]:
        """Every distinct place query so far, resolved or not, in first-seen order:
        the resolution report, one dict of :data:`REPORT_FIELDS` each (an
        unresolved one has no name, id or precision, and says why in ``flag``).

        >>> r = PlaceResolver()
        >>> for name in ("Kursk", "Koria"):
        ...     _ = r.resolve(PlaceRef(name, country="RU"))
        >>> [(row["query"], row["name"], row["precision"]) for row in r.report()]
        [('Kursk', 'Kursk', 'point'), ('Koria', 'Russia', 'country')]
        """
        rows = []
        for (name, within, country), found in self._cache.items():
            if found is not None:
                rows.append(found.as_dict())
            else:
                note = self._notes.get((name, within, country)) or "unresolved: no place found"
                rows.append(_report_row(name, country, within, None, None, note, None))
        return rows


def country_code(text, *, gazetteer: Gazetteer | None = None) -> str | None:
    """The ISO2 code of a country however a dataset names it, or ``None``: ISO
    3166-1 alpha-2, alpha-3 or numeric (ACLED's ``iso``: ``854``), or a name
    (ACLED's ``country``; UCDP's ``"Russia (Soviet Union)"``). GDELT's FIPS
    codes are read by :func:`fips_country` (FIPS ``RS`` is Russia, ISO ``RS``
    Serbia). See :meth:`geo.Gazetteer.country_code`.

    >>> country_code("854"), country_code("DR Congo (Zaire)"), fips_country("UP")
    ('BF', 'CD', 'UA')
    """
    return (gazetteer or default_gazetteer()).country_code(text)


def outside_country(
    lon,
    lat,
    countries: Sequence,
    *,
    tolerance_km: float = BORDER_TOLERANCE_KM,
    gazetteer: Gazetteer | None = None,
) -> np.ndarray:
    """Km by which each row's point lies outside the country the row names.

    Vectorised (about a second for a million rows): rows are grouped by country
    and tested against its Natural Earth outline at once.

    Parameters
    ----------
    lon, lat : array-like of float
        Degrees, one per row.
    countries : sequence of str or None
        One per row, as :func:`country_code` reads them: ISO2, ISO3, ISO
        numeric (``854`` or ``"854"``) or a name. Not FIPS (convert GDELT's
        codes with :func:`fips_country` first).
    tolerance_km : float
        Points this close outside count as inside: 10 km by default
        (:data:`BORDER_TOLERANCE_KM`: the outlines' error and towns on borders
        and coasts).

    Returns
    -------
    numpy.ndarray of float
        0 inside or within the tolerance; km to the country's outline outside
        it; NaN when the country is missing, unknown, or the point not finite.
        A reader flags the rows with a value above 0.

    Examples
    --------
    >>> km = outside_country([-1.52, 86.15], [12.37, 41.76], ["Burkina Faso", "854"])
    >>> float(km[0]), bool(km[1] > 5000)  # Ouagadougou; Korla, China
    (0.0, True)
    """
    gaz = gazetteer or default_gazetteer()
    return gaz.outside_country(lon, lat, countries, tolerance_km=tolerance_km)
