"""The event schema: what the fields of an event are, and how a record becomes one.

An event is one reported fact (a deployment, a loss figure, a supply route, ...)
with where, when, how much, and who says so. Parsing turns a plain mapping (one
YAML record, one CSV row, one GeoJSON feature's properties) into an
:class:`Event`; every problem raises :class:`~geo.errors.InputError` naming the
file, the record and the field. How one field is read (texts, numbers, lists) and
refused is :mod:`geo.fields`'; what the fields of an event are, here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

from geo.errors import InputError, brief
from geo.fields import (
    MAX_DEPTH,
    MAX_TEXT,
    Located,
    as_count,
    as_number,
    as_text,
    list_field,
    optional_text,
    text_field,
)
from geo.model import PRECISIONS, Event, PartialDate, PlaceRef, Quantity, Source

__all__ = [
    "EVENT_FIELDS",
    "KINDS",
    "QUALIFIERS",
    "PartialDate",
    "PlaceRef",
    "Quantity",
    "Source",
    "Event",
    "parse_event",
    "parse_date",
    "kind_labels",
    "normalize_kind",
    "MAX_TEXT",
    "MAX_DEPTH",
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
# An ISO timestamp (T or spaces before the time, as YAML writes them): the day is kept.
_STAMP = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:[Tt]|[ \t]+)\d")
#: The days an events table can hold (its dates are ``datetime64[ns]``).
DAY_MIN, DAY_MAX = dt.date(1678, 1, 1), dt.date(2261, 12, 31)
_NOT_ALNUM = re.compile(r"[\W_]+")


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
    if isinstance(value, (bool, Mapping, list, tuple, set, bytes)):
        raise InputError(f"expected a date, got {brief(value)}")
    text = str(value).strip()
    stamp = _STAMP.match(text)
    if stamp:  # an ISO timestamp: the day is what we keep
        text = stamp.group(1)
    m = _DATE.match(text)
    if not m:
        raise InputError(f"expected a date like 2025, 2025-06 or 2025-06-19, got {brief(value)}")
    year = int(m.group(1))
    if year == 0:
        raise InputError(f"expected a year from 1, got {brief(value)}")
    if m.group(2) is None:
        return PartialDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise InputError(f"expected a month from 1 to 12, got {brief(value)}")
    if m.group(3) is None:
        last = calendar.monthrange(year, month)[1]
        return PartialDate(dt.date(year, month, 1), dt.date(year, month, last), "month")
    try:
        day = dt.date(year, month, int(m.group(3)))
    except ValueError as exc:  # 2025-02-30
        raise InputError(f"expected a day of the calendar, got {brief(value)} ({exc})") from None
    return PartialDate(day, day, "day")


def kind_labels(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each kind id's name: its first spelling in the data, ``(kind, spelling)`` pairs
    in file order.

    >>> kind_labels([("battles", "Battles"), ("battles", "battles_")])
    {'battles': 'Battles'}
    """
    out: dict[str, str] = {}
    for kind, label in pairs:
        out.setdefault(kind, label or kind)
    return out


def normalize_kind(value: str) -> str:
    """The id of a kind: lower case, each run of other characters than letters and digits
    one ``_``, none at either end; so that ``Battles``, ``battles_`` and ``_battles``
    are one kind, drawn on one layer. Empty if the text has no letter or digit.

    >>> normalize_kind("Explosions/Remote violence")
    'explosions_remote_violence'
    """
    text = unicodedata.normalize("NFKC", value).lower()
    return _NOT_ALNUM.sub("_", text).strip("_")


def _date(loc: Located, raw: Mapping, key: str) -> PartialDate | None:
    try:
        date = parse_date(raw.get(key))
    except ValueError as exc:
        raise loc.fail(key, str(exc)) from None
    if date is not None and not DAY_MIN <= date.start <= date.end <= DAY_MAX:
        raise loc.fail(key, f"expected a date from {DAY_MIN} to {DAY_MAX}, got {date}")
    return date


def _place(loc: Located, value: object, where: str) -> PlaceRef:
    if isinstance(value, str):
        name = value.strip()
        if not name:
            raise loc.fail(where, "empty; expected a place name or {name, lat, lon}")
        return PlaceRef(name=name)
    if isinstance(value, Mapping):
        name = optional_text(loc, value.get("name"), f"{where}.name")
        lat = as_number(loc, value.get("lat"), f"{where}.lat", required=False, degrees=True)
        lon = as_number(loc, value.get("lon"), f"{where}.lon", required=False, degrees=True)
        if (lat is None) != (lon is None):
            raise loc.fail(where, "expected both lat and lon, or neither")
        if lat is not None and not -90 <= lat <= 90:
            raise loc.fail(f"{where}.lat", f"expected a latitude in [-90, 90], got {lat}")
        if lon is not None and not -180 <= lon <= 180:
            raise loc.fail(f"{where}.lon", f"expected a longitude in [-180, 180], got {lon}")
        if name is None and lat is None:
            raise loc.fail(where, "expected a name, or lat and lon")
        country = optional_text(loc, value.get("country"), f"{where}.country")
        return PlaceRef(
            name=name or f"{lat:.4f}, {lon:.4f}",
            lat=lat,
            lon=lon,
            country=country.upper() if country else None,
            approximate=bool(value.get("approximate", False)),
        )
    raise loc.fail(where, f"expected a place name or {{name, lat, lon}}, got {brief(value)}")


def _quantity(loc: Located, value: object, where: str) -> Quantity:
    if not isinstance(value, Mapping):
        raise loc.fail(where, f"expected a mapping with value and unit, got {brief(value)}")
    number = as_count(loc, value.get("value"), f"{where}.value")
    unit = value.get("unit")
    if not (isinstance(unit, str) and unit.strip()):
        raise loc.fail(f"{where}.unit", f"expected a unit such as 'soldiers', got {brief(unit)}")
    qualifier = value.get("qualifier")
    if qualifier is not None:
        q = as_text(loc, qualifier, f"{where}.qualifier").lower()
        q = _QUALIFIER_ALIASES.get(q, q)
        if q not in QUALIFIERS:
            raise loc.fail(
                f"{where}.qualifier",
                f"expected one of {', '.join(QUALIFIERS)}, got {brief(qualifier)}",
            )
        qualifier = q
    low = as_count(loc, value.get("low"), f"{where}.low", required=False)
    high = as_count(loc, value.get("high"), f"{where}.high", required=False)
    # A range holds its figure (low <= value <= high): the bound beyond it is at fault.
    at_fault = "low" if low is not None and low > number else None
    if at_fault is None and high is not None and high < number:
        at_fault = "high"
    if at_fault:
        got = {"low": low, "value": number, "high": high}
        written = " ".join(f"{k}={v:g}" for k, v in got.items() if v is not None)
        raise loc.fail(f"{where}.{at_fault}", f"expected low <= value <= high, got {written}")
    return Quantity(
        value=number,
        unit=unit.strip(),
        qualifier=qualifier,
        low=low,
        high=high,
        text=optional_text(loc, value.get("text"), f"{where}.text"),
        note=optional_text(loc, value.get("note"), f"{where}.note"),
    )


def _source(loc: Located, value: object, where: str) -> Source:
    if isinstance(value, str) and value.strip():
        return Source(name=value.strip())
    if not isinstance(value, Mapping):
        raise loc.fail(where, f"expected a source name or a mapping with name, got {brief(value)}")
    name = value.get("name")
    if not (isinstance(name, str) and name.strip()):
        raise loc.fail(f"{where}.name", f"expected the source's name, got {brief(name)}")
    try:
        date = parse_date(value.get("date"))  # None when not given or empty
    except ValueError as exc:
        raise loc.fail(f"{where}.date", str(exc)) from None
    date = None if date is None else str(date)
    return Source(
        name=name.strip(),
        claim=optional_text(loc, value.get("claim"), f"{where}.claim"),
        date=date,
        url=optional_text(loc, value.get("url"), f"{where}.url"),
        place=optional_text(loc, value.get("place"), f"{where}.place"),
        document=optional_text(loc, value.get("document"), f"{where}.document"),
    )


#: The fields of an event record; any other key is kept in :attr:`Event.extra`.
EVENT_FIELDS = frozenset({
    "id", "date", "end_date", "kind", "title", "description", "actors", "place", "origin",
    "via", "destination", "quantities", "sources", "confidence", "status", "notes",
    "details", "flags", "date_precision", "place_precision",
})  # fmt: skip


def record_label(record: str, index: int, raw: object) -> str:
    """How messages name a record: ``event 7 ('kursk-losses')``, ``row 3 ('UKR1')``."""
    label = f"{record} {index}"
    if isinstance(raw, Mapping) and raw.get("id") is not None:
        rid = raw.get("id")
        label += f" ({brief(rid if isinstance(rid, str) else str(rid))})"
    return label


def _week(loc: Located, raw: Mapping, date: PartialDate | None) -> PartialDate | None:
    """``date_precision: week`` (as the events table writes a week): the week from ``date``."""
    precision = text_field(loc, raw, "date_precision")
    if precision is None or date is None or precision == date.precision:
        return date
    if precision == "week" and date.precision == "day":
        return PartialDate.week(date.start)
    raise loc.fail(
        "date_precision",
        f"expected 'week' with a day or the date's own precision ({date.precision}), "
        f"got {brief(precision)}",
    )


def _place_precision(loc: Located, raw: Mapping) -> str | None:
    """``place_precision``, as the events table writes it (one of PRECISIONS)."""
    value = text_field(loc, raw, "place_precision")
    if value is not None and value not in PRECISIONS:
        raise loc.fail(
            "place_precision", f"expected one of {', '.join(PRECISIONS)}, got {brief(value)}"
        )
    return value


def _details(loc: Located, raw: Mapping) -> tuple[tuple[str, str], ...]:
    """``details``: [label, text] pairs (or a mapping of label to text), each a text."""
    value = raw.get("details")
    if value is None:
        return ()
    pairs = list(value.items()) if isinstance(value, Mapping) else value
    if not isinstance(pairs, list | tuple):
        raise loc.fail("details", f"expected [label, text] pairs, got {brief(value)}")
    out = []
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise loc.fail(f"details[{i}]", f"expected [label, text], got {brief(pair)}")
        label = optional_text(loc, pair[0], f"details[{i}][0]")
        text = optional_text(loc, pair[1], f"details[{i}][1]")
        if label and text:
            out.append((label, text))
    return tuple(out)


def parse_event(
    raw: object, *, file: str | None = None, index: int = 0, record: str = "event"
) -> Event:
    """Validate one record and return an :class:`Event`.

    Every text is checked (no NUL, no lone surrogate) and cut beyond
    :data:`MAX_TEXT` characters (listed in :attr:`Event.truncated`); lists and
    mappings may nest :data:`MAX_DEPTH` deep.

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
    loc = Located(file, record_label(record, index, raw))
    if not isinstance(raw, Mapping):
        raise loc.fail("", f"expected a mapping of fields, got {type(raw).__name__}")
    raw = loc.clean(raw)
    event_id = text_field(loc, raw, "id", required=True)
    if not _ID.match(event_id):
        raise loc.fail(
            "id", f"expected letters, digits, '-', '_', '.' or ':', got {brief(event_id)}"
        )
    kind_text = text_field(loc, raw, "kind", required=True)
    kind = normalize_kind(kind_text)
    if not kind:
        raise loc.fail("kind", f"expected a word with letters or digits, got {brief(kind_text)}")
    title = text_field(loc, raw, "title", required=True)
    date, end_date = _date(loc, raw, "date"), _date(loc, raw, "end_date")
    date = _week(loc, raw, date)
    if date and end_date and end_date.end < date.start:
        raise loc.fail("end_date", f"expected a date on or after {date}, got {end_date}")

    listed = list_field(loc, raw, "place")
    places = tuple(
        _place(loc, p, "place" if len(listed) == 1 else f"place[{i}]") for i, p in enumerate(listed)
    )
    origin = _place(loc, raw["origin"], "origin") if raw.get("origin") is not None else None
    dest = raw.get("destination")
    destination = _place(loc, dest, "destination") if dest is not None else None
    via = tuple(_place(loc, p, f"via[{i}]") for i, p in enumerate(list_field(loc, raw, "via")))
    if (origin is None) != (destination is None):
        missing = "destination" if destination is None else "origin"
        raise loc.fail(missing, "missing; a flow needs both origin and destination")
    if places and origin:
        raise loc.fail("place", "expected either place or origin/destination, not both")
    if via and not origin:
        raise loc.fail("via", "waypoints need an origin and a destination")

    quantities = tuple(
        _quantity(loc, q, f"quantities[{i}]")
        for i, q in enumerate(list_field(loc, raw, "quantities"))
    )
    sources = tuple(
        _source(loc, s, f"sources[{i}]") for i, s in enumerate(list_field(loc, raw, "sources"))
    )
    if not sources:
        raise loc.fail("sources", "missing; expected at least one source (who says so)")
    confidence = text_field(loc, raw, "confidence")
    if confidence is not None and confidence.lower() not in CONFIDENCE:
        raise loc.fail(
            "confidence", f"expected one of {', '.join(CONFIDENCE)}, got {brief(confidence)}"
        )
    status = (text_field(loc, raw, "status") or "curated").lower()
    if status not in STATUS:
        raise loc.fail("status", f"expected one of {', '.join(STATUS)}, got {brief(status)}")
    actors = tuple(
        a
        for i, v in enumerate(list_field(loc, raw, "actors"))
        if (a := optional_text(loc, v, f"actors[{i}]"))
    )
    return Event(
        id=event_id,
        kind=kind,
        kind_label=" ".join(kind_text.split()),
        title=title,
        date=date,
        end_date=end_date,
        description=text_field(loc, raw, "description"),
        actors=actors,
        places=places,
        origin=origin,
        via=via,
        destination=destination,
        quantities=quantities,
        sources=sources,
        confidence=confidence.lower() if confidence else None,
        status=status,
        notes=text_field(loc, raw, "notes"),
        details=_details(loc, raw),
        place_precision=_place_precision(loc, raw),
        flags=tuple(
            f
            for i, v in enumerate(list_field(loc, raw, "flags"))
            if (f := optional_text(loc, v, f"flags[{i}]"))
        ),  # fmt: skip
        extra={k: v for k, v in raw.items() if k not in EVENT_FIELDS},
        truncated=tuple(loc.notes),
    )
