"""eventmap's records: what every stage reads and writes.

The readers (:mod:`geo.io`) and :func:`geo.schema.parse_event` make
:class:`Event` records, with :class:`PlaceRef`, :class:`Quantity`,
:class:`Source` and :class:`PartialDate` inside; the gazetteer and the online
geocoders answer with :class:`Place`; :mod:`geo.extract` reports places as
:class:`Place` too; the events table (:mod:`geo.table`) and :mod:`maps` read
them. Records are frozen: one value can be shared by many events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["PartialDate", "PlaceRef", "Quantity", "Source", "Event", "Place", "quantity_label"]


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year.

    ``start`` and ``end`` bound the interval it stands for, so ``2025-06`` is
    2025-06-01 .. 2025-06-30 with precision ``"month"``.
    """

    start: dt.date
    end: dt.date
    precision: str  # "day" | "month" | "year"

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


@dataclass(frozen=True)
class PlaceRef:
    """A reference to a place as written in the data: a name, or a point."""

    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    approximate: bool = False

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

    def label(self) -> str:
        """Human reading, e.g. ``about 13,000 soldiers``."""
        return quantity_label(dataclasses.asdict(self))


def quantity_label(q: Mapping) -> str:
    """``{value: 13000, unit: soldiers, qualifier: about}`` → ``about 13,000 soldiers``.

    Shares read as percentages (0.33 → 33%); a low/high range follows in brackets.
    """
    share = 0 < float(q["value"]) < 1  # a share reads as a percentage, its range too

    def number(v) -> str:
        if v is None:
            return "?"
        v = float(v)
        if share:
            return f"{v:.0%}"
        return f"{v:,.0f}" if v.is_integer() else f"{v:,}"

    qualifier = q.get("qualifier")
    words = [q.get("note"), None if qualifier == "exactly" else qualifier, number(q["value"]),
             q.get("unit")]  # fmt: skip
    out = " ".join(w for w in words if w)
    low, high = q.get("low"), q.get("high")
    if low is not None or high is not None:
        out += f" (range {number(low)}–{number(high)})"
    return out


@dataclass(frozen=True)
class Source:
    """Who says so: the originator of a claim, and where it was reported."""

    name: str
    claim: str | None = None
    date: str | None = None
    url: str | None = None
    place: str | None = None
    document: str | None = None


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

    @property
    def is_flow(self) -> bool:
        return self.origin is not None


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
