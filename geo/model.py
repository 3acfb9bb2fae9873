"""eventmap's records: what every stage reads and writes.

The readers (:mod:`geo.io`) and :func:`geo.schema.parse_event` make
:class:`Event` records, with :class:`PlaceRef`, :class:`Quantity`,
:class:`Source` and :class:`PartialDate` inside; the gazetteer and the online
geocoders answer with :class:`Place`; :mod:`geo.extract` reports places as
:class:`Place` too; the events table (:mod:`geo.table`) and :mod:`maps` read
them: its nested columns hold lists of :class:`Quantity`, :class:`Source`
(with the coordinates of its place) and :class:`Place`, and the file writers
turn them into JSON. Records are frozen: one value can be shared by many events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

from geo.errors import InputError, brief

__all__ = [
    "PartialDate", "PlaceRef", "Quantity", "Source", "Event", "Place", "Query", "PRECISIONS",
]  # fmt: skip

#: How precisely an event is placed, finest first: at a town or the exact
#: coordinates given, near a town (within about 25 km), at an admin2 or admin1
#: region, a country, or an area given as a polygon.
PRECISIONS = ("point", "near", "admin2", "admin1", "country", "area")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the week, the month or the year.

    ``start`` and ``end`` bound the interval it stands for, so ``2025-06`` is
    2025-06-01 .. 2025-06-30 with precision ``"month"``. A week (ACLED's
    ``time_precision`` 2) starts on the date reported and ends six days later:
    :meth:`week` makes one; it is written as its first day.
    """

    start: dt.date
    end: dt.date
    precision: str  # "day" | "week" | "month" | "year"

    #: The precisions, finest first.
    PRECISIONS: ClassVar[tuple[str, ...]] = ("day", "week", "month", "year")

    @classmethod
    def day(cls, day: dt.date) -> PartialDate:
        return cls(day, day, "day")

    @classmethod
    def week(cls, first: dt.date) -> PartialDate:
        """The week that starts on ``first`` (``first`` .. ``first`` + 6 days)."""
        return cls(first, first + dt.timedelta(days=6), "week")

    @classmethod
    def month(cls, year: int, month: int) -> PartialDate:
        """The whole month."""
        start = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(start, following - dt.timedelta(days=1), "month")

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


@dataclass(frozen=True)
class PlaceRef:
    """A reference to a place as written in the data: a name, or a point.

    ``country`` (an ISO 3166-1 code, alpha-2, alpha-3 or numeric, or a country
    name) is a constraint: a name resolves to a place in that country or not at
    all. ``within`` names the admin units that contain the place, most specific
    first (ACLED: admin3, admin2, admin1; UCDP: adm_2, adm_1), missing ones left
    out; the last is taken as admin1. :class:`geo.PlaceResolver` looks for the
    name inside them, then falls back to them, then to the country.
    """

    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    approximate: bool = False
    within: tuple[str, ...] = ()

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Quantity:
    """A figure with its unit and hedge (``about 13,000 soldiers``)."""

    value: float
    unit: str
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    text: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Source:
    """Who says so: the originator of a claim, and where it was reported.

    ``lat`` and ``lon`` are where ``place`` resolved to: the events table
    (:mod:`geo.table`) fills them in; a parsed event leaves them None.
    """

    name: str
    claim: str | None = None
    date: str | None = None
    url: str | None = None
    place: str | None = None
    document: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Event:
    """One reported event. See ``data/events/README.md`` for the file format."""

    id: str
    kind: str
    title: str
    date: PartialDate | None = None
    end_date: PartialDate | None = None
    description: str | None = None
    actors: tuple[str, ...] = ()
    places: tuple[PlaceRef, ...] = ()
    origin: PlaceRef | None = None
    via: tuple[PlaceRef, ...] = ()
    destination: PlaceRef | None = None
    quantities: tuple[Quantity, ...] = ()
    sources: tuple[Source, ...] = ()
    confidence: str | None = None
    status: str = "curated"
    notes: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    #: The text fields cut to :data:`MAX_TEXT`, each as ``file: record: field: truncated
    #: to N of M characters``; the readers gather them in ``frame.attrs["truncated"]``.
    truncated: tuple[str, ...] = ()
    #: The kind as the data spells it (``Explosions/Remote violence``), for its
    #: layer's name; ``kind`` is the id it normalises to.
    kind_label: str = ""
    #: The export's own fields a popup shows, as (label, text), in order.
    details: tuple[tuple[str, str], ...] = ()
    #: The doubts about this event's place or date, shown on its popup and
    #: listed in ``frame.attrs["flagged"]``.
    flags: tuple[str, ...] = ()
    #: How precisely the event is placed (:data:`PRECISIONS`), when the data says
    #: so (a file :func:`geo.write_events` wrote); else worked out from its places.
    place_precision: str | None = None


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    query : str
        The text asked for.
    name : str
        Canonical English name (``"Kursk Oblast"``, ``"Moscow"``, ``"North Korea"``).
    kind : str
        ``"country"``, ``"region"``, ``"city"`` or ``"place"``.
    country : str or None
        ISO 3166-1 alpha-2 code.
    lat, lon : float
        Representative point (a region's label point, a country's interior point).
    id : str
        ``geonames:524901``, ``ne:RU-KRS``, ``iso:KP``, ``curated:khasan`` or,
        from an online provider, ``osm:relation/2555133``.
    source : str
        The dataset and version, the curated entry's citation, or the provider.
    score : float
        Ranking score (higher is better); comparable between answers to one query.
    approximate : bool
        Whether the coordinates only approximate the place.
    """

    #: The kinds of place, coarsest first.
    KINDS: ClassVar[tuple[str, ...]] = ("country", "region", "city", "place")

    query: str
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    id: str
    source: str
    score: float
    approximate: bool = False


#: A box ``(min_lon, min_lat, max_lon, max_lat)`` in degrees.
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Query:
    """One place query: the text and the options that steer its answer, checked once.

    The offline :class:`~geo.Gazetteer` and every geocoder of
    :mod:`geo.geocoders` answer a ``Query``; their ``geocode("Moscow",
    country_hint="US")`` builds one (:meth:`of`), as geopy's ``geocode(query,
    exactly_one=...)`` takes its options. A query is frozen and hashable: equal
    queries are one key of a cache.

    Attributes
    ----------
    text : str
        A name (``"Koursk"``, ``"région de Koursk"``, ``"Moscow, Idaho"``,
        ``"DPRK"``, ``"Москва"``) or a gazetteer place id (``"ne:RU-KRS"``).
    country_hint : str, optional
        ISO 3166-1 alpha-2 code or country name: only places of that country
        are answers, a filter as Nominatim's ``country_codes`` is (the
        gazetteer checks that it names a country).
    kind : {"country", "region", "city", "place"}, optional
        Only places of this kind.
    bias : (min_lon, min_lat, max_lon, max_lat), optional
        A box whose places are strongly preferred, as floats (it may cross the
        antimeridian: ``min_lon > max_lon``).
    context : tuple of Place or str
        Places of the same event or document (places, place ids, names, ISO2
        codes): candidates near them, inside them or in their countries are
        preferred. Online providers take none.
    k : int
        At most this many answers (at least 1).

    Raises
    ------
    InputError
        For an option of the wrong type or out of range; the message names the
        option (``kind must be one of ...``, ``bias: expected four numbers ...``).

    Examples
    --------
    >>> Query("Georgia", country_hint="US") == Query.of("Georgia", country_hint="US")
    True
    >>> Query("Moscow", bias=[-118, 46, -116, 48]).bias
    (-118.0, 46.0, -116.0, 48.0)
    """

    text: str
    country_hint: str | None = None
    kind: str | None = None
    bias: BBox | None = None
    context: tuple[Place | str, ...] = ()
    k: int = 5

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InputError(f"text must be a str, got {brief(self.text)}")
        if self.country_hint is not None and not isinstance(self.country_hint, str):
            raise InputError(
                f"country_hint must be an ISO 3166-1 code or a country name, "
                f"got {brief(self.country_hint)}"
            )
        if self.kind is not None and self.kind not in Place.KINDS:
            kinds = ", ".join(Place.KINDS)
            raise InputError(f"kind must be one of {kinds}, got {brief(self.kind)}")
        if isinstance(self.k, bool) or not hasattr(type(self.k), "__index__"):
            raise InputError(f"k must be a whole number, got {brief(self.k)}")
        if self.k < 1:
            raise InputError(f"k must be at least 1, got {self.k}")
        object.__setattr__(self, "k", int(self.k))  # numpy integers too
        object.__setattr__(self, "bias", check_bbox(self.bias, field="bias"))
        object.__setattr__(self, "context", _context(self.context))

    def with_text(self, text: str) -> Query:
        """This query with ``text`` as its text: ``replace(self, text=text)``, but
        only the text is checked (the other fields were, when this query was built),
        so a batch of texts sharing options pays for one check of the options.

        >>> Query("", country_hint="RU", k=3).with_text("Kursk")
        Query(text='Kursk', country_hint='RU', kind=None, bias=None, context=(), k=3)
        """
        if not isinstance(text, str):
            raise InputError(f"text must be a str, got {brief(text)}")
        new = object.__new__(type(self))
        fields_ = self.__dict__.copy()
        fields_["text"] = text
        object.__setattr__(new, "__dict__", fields_)
        return new

    @classmethod
    def of(cls, query: str | Query, **options) -> Query:
        """``query`` as a :class:`Query`: a text with ``options``, or a query with
        ``options`` replacing its own.

        >>> Query.of(Query("Kursk", k=3), kind="city")
        Query(text='Kursk', country_hint=None, kind='city', bias=None, context=(), k=3)
        """
        if isinstance(query, Query):
            return replace(query, **options) if options else query
        return cls(query, **options)


def _context(items) -> tuple[Place | str, ...]:
    """Context items as a tuple, each a place (anything with an ``id``) or a non-blank name."""
    if isinstance(items, str) or hasattr(items, "id"):
        raise InputError(
            f"expected a list of places or names, got {brief(items)} alone", field="context"
        )
    try:
        items = tuple(items)
    except TypeError:
        raise InputError(
            f"expected a list of places or names, got {brief(items)}", field="context"
        ) from None
    for item in items:
        name = isinstance(item, str) and item.strip()
        if not name and (isinstance(item, str) or not hasattr(item, "id")):
            raise InputError(
                f"expected a Place, a place id or a name, got {brief(item)}", field="context"
            )
    return items


def check_bbox(bias, *, field: str = "bias") -> BBox | None:
    """A bias box ``(min_lon, min_lat, max_lon, max_lat)`` as floats, checked.

    Raises :class:`~geo.errors.InputError` (a ``ValueError``) naming ``field``.

    >>> check_bbox(["-118", "46", "-116", "48"])
    (-118.0, 46.0, -116.0, 48.0)
    """
    if bias is None:
        return None
    try:
        box = tuple(float(v) for v in bias)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond floats
        box = ()
    if len(box) != 4:
        raise InputError(
            f"expected four numbers W,S,E,N (lon/lat degrees), got {brief(bias)}", field=field
        )
    min_lon, min_lat, max_lon, max_lat = box
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InputError(
            "expected longitudes in [-180, 180] and min_lat <= max_lat in [-90, 90], "
            f"got {brief(bias)}",
            field=field,
        )
    return box  # type: ignore[return-value]
