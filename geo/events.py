"""The event schema: dataclasses and their validation.

An event is one reported fact (a deployment, a loss figure, a supply route, ...)
with where, when, how much, and who says so. Parsing turns a plain mapping (one
YAML record, one CSV row, one GeoJSON feature's properties) into an
:class:`Event`; every problem raises :class:`~geo.errors.InputError` naming the
file, the record and the field.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import InputError

__all__ = [
    "KINDS",
    "QUALIFIERS",
    "PartialDate",
    "PlaceRef",
    "Quantity",
    "Source",
    "Event",
    "parse_event",
    "parse_date",
    "quantity_label",
]

#: The kinds eventmap knows how to draw; any other word is accepted and drawn
#: on a generic layer (the list is extensible by data, not by code).
KINDS = (
    "deployment",
    "casualties",
    "supply",
    "technology_transfer",
    "diplomacy",
    "recruitment",
    "alliance",
    "statement",
)

#: Hedges kept with a figure. French and English spellings map onto these.
QUALIFIERS = ("about", "over", "nearly", "up to", "at least", "under", "exactly")
_QUALIFIER_ALIASES = {
    "approximately": "about",
    "around": "about",
    "some": "about",
    "environ": "about",
    "more than": "over",
    "plus de": "over",
    "almost": "nearly",
    "près de": "nearly",
    "jusqu'à": "up to",
    "up_to": "up to",
    "at_least": "at least",
    "au moins": "at least",
    "less than": "under",
    "fewer than": "under",
    "moins de": "under",
}
CONFIDENCE = ("high", "medium", "low")
STATUS = ("curated", "draft")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


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


def parse_date(value: object) -> PartialDate | None:
    """Parse ``2025``, ``"2025-06"``, ``"2025-06-19"`` or a ``date``.

    Returns ``None`` for an empty value; raises ``ValueError`` otherwise.

    >>> str(parse_date("2025-6"))
    '2025-06'
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value, value, "day")
    if isinstance(value, bool):
        raise ValueError(f"expected a date, got {value!r}")
    text = str(value).strip()
    if "T" in text:  # an ISO timestamp: the day is what we keep
        text = text.split("T", 1)[0]
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"expected a date like 2025, 2025-06 or 2025-06-19, got {value!r}")
    year = int(m.group(1))
    if m.group(2) is None:
        return PartialDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"expected a month from 1 to 12, got {value!r}")
    if m.group(3) is None:
        last = calendar.monthrange(year, month)[1]
        return PartialDate(dt.date(year, month, 1), dt.date(year, month, last), "month")
    day = dt.date(year, month, int(m.group(3)))  # raises ValueError on 2025-02-30
    return PartialDate(day, day, "day")


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

    @property
    def is_flow(self) -> bool:
        return self.origin is not None


# --------------------------------------------------------------------------- parsing


class _Located:
    """Raises InputErrors that name the file, the record and the field."""

    def __init__(self, file: str | None, record: str):
        self.file, self.record = file, record

    def fail(self, field_name: str, message: str) -> InputError:
        return InputError(message, file=self.file, record=self.record, field=field_name)


def _text(loc: _Located, raw: Mapping, key: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if required:
            raise loc.fail(key, "missing; expected a non-empty text")
        return None
    if isinstance(value, (dict, list)):
        raise loc.fail(key, f"expected a text, got {type(value).__name__} {value!r}")
    text = str(value).strip()
    if required and not text:
        raise loc.fail(key, "empty; expected a non-empty text")
    return text or None


def _number(loc: _Located, value: object, where: str, *, required: bool = True) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise loc.fail(where, "missing; expected a number")
        return None
    if isinstance(value, bool):
        raise loc.fail(where, f"expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", "").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            raise loc.fail(where, f"expected a number, got {value!r}") from None
    if math.isnan(number):
        if required:
            raise loc.fail(where, "missing; expected a number")
        return None
    if math.isinf(number):
        raise loc.fail(where, f"expected a finite number, got {value!r}")
    return number


def _date(loc: _Located, raw: Mapping, key: str) -> PartialDate | None:
    try:
        return parse_date(raw.get(key))
    except ValueError as exc:
        raise loc.fail(key, str(exc)) from None


def _place(loc: _Located, value: object, where: str) -> PlaceRef:
    if isinstance(value, str):
        name = value.strip()
        if not name:
            raise loc.fail(where, "empty; expected a place name or {name, lat, lon}")
        return PlaceRef(name=name)
    if isinstance(value, Mapping):
        name = value.get("name")
        lat = _number(loc, value.get("lat"), f"{where}.lat", required=False)
        lon = _number(loc, value.get("lon"), f"{where}.lon", required=False)
        if (lat is None) != (lon is None):
            raise loc.fail(where, "expected both lat and lon, or neither")
        if lat is not None and not -90 <= lat <= 90:
            raise loc.fail(f"{where}.lat", f"expected a latitude in [-90, 90], got {lat}")
        if lon is not None and not -180 <= lon <= 180:
            raise loc.fail(f"{where}.lon", f"expected a longitude in [-180, 180], got {lon}")
        if not (isinstance(name, str) and name.strip()) and lat is None:
            raise loc.fail(where, "expected a name, or lat and lon")
        country = value.get("country")
        return PlaceRef(
            name=str(name).strip() if name else f"{lat:.4f}, {lon:.4f}",
            lat=lat,
            lon=lon,
            country=str(country).upper() if country else None,
            approximate=bool(value.get("approximate", False)),
        )
    raise loc.fail(where, f"expected a place name or {{name, lat, lon}}, got {value!r}")


def _list(loc: _Located, raw: Mapping, key: str) -> list:
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    if not isinstance(value, list):
        raise loc.fail(key, f"expected a list, got {type(value).__name__} {value!r}")
    return value


def _quantity(loc: _Located, value: object, where: str) -> Quantity:
    if not isinstance(value, Mapping):
        raise loc.fail(where, f"expected a mapping with value and unit, got {value!r}")
    number = _number(loc, value.get("value"), f"{where}.value")
    unit = value.get("unit")
    if not (isinstance(unit, str) and unit.strip()):
        raise loc.fail(f"{where}.unit", f"expected a unit such as 'soldiers', got {unit!r}")
    qualifier = value.get("qualifier")
    if qualifier is not None:
        q = str(qualifier).strip().lower()
        q = _QUALIFIER_ALIASES.get(q, q)
        if q not in QUALIFIERS:
            raise loc.fail(
                f"{where}.qualifier", f"expected one of {', '.join(QUALIFIERS)}, got {qualifier!r}"
            )
        qualifier = q
    low = _number(loc, value.get("low"), f"{where}.low", required=False)
    high = _number(loc, value.get("high"), f"{where}.high", required=False)
    if low is not None and high is not None and low > high:
        raise loc.fail(where, f"expected low <= high, got low={low:g} high={high:g}")
    return Quantity(
        value=number,
        unit=unit.strip(),
        qualifier=qualifier,
        low=low,
        high=high,
        text=_opt(value.get("text")),
        note=_opt(value.get("note")),
    )


def _opt(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _source(loc: _Located, value: object, where: str) -> Source:
    if isinstance(value, str) and value.strip():
        return Source(name=value.strip())
    if not isinstance(value, Mapping):
        raise loc.fail(where, f"expected a source name or a mapping with name, got {value!r}")
    name = value.get("name")
    if not (isinstance(name, str) and name.strip()):
        raise loc.fail(f"{where}.name", f"expected the source's name, got {name!r}")
    date = value.get("date")
    if date is not None:
        try:
            date = str(parse_date(date))
        except ValueError as exc:
            raise loc.fail(f"{where}.date", str(exc)) from None
    return Source(
        name=name.strip(),
        claim=_opt(value.get("claim")),
        date=date,
        url=_opt(value.get("url")),
        place=_opt(value.get("place")),
        document=_opt(value.get("document")),
    )


_KNOWN_FIELDS = {
    "id", "date", "end_date", "kind", "title", "description", "actors", "place", "origin",
    "via", "destination", "quantities", "sources", "confidence", "status", "notes",
}  # fmt: skip


def parse_event(
    raw: object, *, file: str | None = None, index: int = 0, record: str = "event"
) -> Event:
    """Validate one record and return an :class:`Event`.

    Parameters
    ----------
    raw : mapping
        One record, as read from YAML, CSV or GeoJSON properties.
    file : str, optional
        The file it came from, for error messages.
    index : int
        Its 1-based position in the file, for error messages.
    record : str
        What a record is called in messages: ``event`` (YAML, GeoJSON) or
        ``row`` (CSV, where ``index`` is the line number).

    Raises
    ------
    InputError
        Naming the file, the record (``event 7 ('kursk-losses')``) and the field.
    """
    label = f"{record} {index}"
    if isinstance(raw, Mapping) and raw.get("id") is not None:
        label += f" ({str(raw.get('id'))!r})"
    loc = _Located(file, label)
    if not isinstance(raw, Mapping):
        raise loc.fail("", f"expected a mapping of fields, got {type(raw).__name__}")
    event_id = _text(loc, raw, "id", required=True)
    if not _ID.match(event_id):
        raise loc.fail("id", f"expected letters, digits, '-', '_', '.' or ':', got {event_id!r}")
    kind = _text(loc, raw, "kind", required=True).lower().replace(" ", "_").replace("-", "_")
    title = _text(loc, raw, "title", required=True)
    date, end_date = _date(loc, raw, "date"), _date(loc, raw, "end_date")
    if date and end_date and end_date.end < date.start:
        raise loc.fail("end_date", f"expected a date on or after {date}, got {end_date}")

    listed = _list(loc, raw, "place")
    places = tuple(
        _place(loc, p, "place" if len(listed) == 1 else f"place[{i}]") for i, p in enumerate(listed)
    )
    origin = _place(loc, raw["origin"], "origin") if raw.get("origin") is not None else None
    dest = raw.get("destination")
    destination = _place(loc, dest, "destination") if dest is not None else None
    via = tuple(_place(loc, p, f"via[{i}]") for i, p in enumerate(_list(loc, raw, "via")))
    if (origin is None) != (destination is None):
        missing = "destination" if destination is None else "origin"
        raise loc.fail(missing, "missing; a flow needs both origin and destination")
    if places and origin:
        raise loc.fail("place", "expected either place or origin/destination, not both")
    if via and not origin:
        raise loc.fail("via", "waypoints need an origin and a destination")

    quantities = tuple(
        _quantity(loc, q, f"quantities[{i}]") for i, q in enumerate(_list(loc, raw, "quantities"))
    )
    sources = tuple(
        _source(loc, s, f"sources[{i}]") for i, s in enumerate(_list(loc, raw, "sources"))
    )
    confidence = _text(loc, raw, "confidence")
    if confidence is not None and confidence.lower() not in CONFIDENCE:
        raise loc.fail("confidence", f"expected one of {', '.join(CONFIDENCE)}, got {confidence!r}")
    status = (_text(loc, raw, "status") or "curated").lower()
    if status not in STATUS:
        raise loc.fail("status", f"expected one of {', '.join(STATUS)}, got {status!r}")
    actors = tuple(str(a).strip() for a in _list(loc, raw, "actors") if str(a).strip())
    return Event(
        id=event_id,
        kind=kind,
        title=title,
        date=date,
        end_date=end_date,
        description=_text(loc, raw, "description"),
        actors=actors,
        places=places,
        origin=origin,
        via=via,
        destination=destination,
        quantities=quantities,
        sources=sources,
        confidence=confidence.lower() if confidence else None,
        status=status,
        notes=_text(loc, raw, "notes"),
        extra={k: v for k, v in raw.items() if k not in _KNOWN_FIELDS},
    )
