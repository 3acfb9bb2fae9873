"""ACLED exports, read as they come.

ACLED's columns (event_id_cnty, event_date, event_type, actor1, ..., latitude,
longitude, fatalities, notes, source) map onto the event schema; coordinates are
given, so nothing is geocoded. ``geo_precision`` 2 or 3 means ACLED placed the
event at a nearby town or region centre: we mark those points approximate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

__all__ = ["ACLED_COLUMNS", "is_acled", "acled_record"]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "fatalities", "notes", "source",
)  # fmt: skip
_REQUIRED = {"event_id_cnty", "event_date", "event_type", "latitude", "longitude"}


def is_acled(columns: Iterable[str]) -> bool:
    """True when a table has ACLED's identifying columns."""
    return _REQUIRED <= set(columns)


def _date(value: str) -> str | None:
    """ACLED writes ISO dates, or '05 November 2024' in older exports."""
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value  # let the event parser report it with file:record:field


def acled_record(row: Mapping[str, str]) -> dict:
    """One ACLED row → one event mapping (see ``data/events/README.md``)."""
    get = lambda k: (row.get(k) or "").strip()  # noqa: E731
    event_type = get("event_type")
    sub = get("sub_event_type")
    location = get("location") or get("admin1") or get("country")
    title = f"{sub or event_type}: {location}" if location else (sub or event_type)
    raw: dict = {
        "id": get("event_id_cnty"),
        "date": _date(get("event_date")),
        "kind": event_type or None,
        "title": title,
        "description": get("notes") or None,
        "actors": [a for a in (get("actor1"), get("actor2")) if a],
        "place": {
            "name": ", ".join(x for x in (location, get("admin1"), get("country")) if x) or None,
            "lat": get("latitude"),
            "lon": get("longitude"),
            "approximate": get("geo_precision") not in ("", "1"),
        },
    }
    if get("fatalities") not in ("",):
        raw["quantities"] = [{"value": get("fatalities"), "unit": "fatalities"}]
    if get("source"):
        raw["sources"] = [{"name": get("source"), "claim": get("notes") or None}]
    return raw
