"""Rows of the events table, as :func:`geo.write_events` writes them, read back as
the records they were written from.

A file :func:`geo.write_events` wrote (GeoJSON, GeoParquet) holds the table:
nested fields as JSON text, places as resolved, and the columns the table
computes (dates, coordinates, lengths). :func:`row_record` turns one row (or
one feature's properties) back into the mapping :func:`geo.schema.parse_event`
reads; a file whose fields are the YAML fields goes through unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from geo.errors import InputError
from geo.io.messages import describe
from geo.resolve import POINT_ID
from geo.schema import EVENT_FIELDS

__all__ = ["row_record", "refuse_constant"]


def row_record(row: Mapping, file: str, label: str) -> dict:
    """One row of the table (or a feature's properties) → the mapping parse_event reads.

    ``label`` names the row in messages (``row 3 ('a')``, ``feature 3 ('a')``).
    """
    return _decode_nested(_from_frame(row, file, label))


def refuse_constant(name: str) -> None:
    """``parse_constant`` for :func:`json.loads`: the JSON a table holds has no ``NaN``
    or ``Infinity``."""
    raise ValueError(f"expected finite numbers, got {name}")


def _from_frame(record: dict, file: str, label: str) -> dict:
    """A row written by :func:`write_events` → the YAML-shaped mapping."""
    # A missing value is left out, but an export's own column is kept as None, so that
    # every event has every column, in the file's order.
    raw = {
        k: None if _is_missing(v) else v
        for k, v in record.items()
        if not _is_missing(v) or k not in EVENT_FIELDS
    }
    places = raw.pop("places", None)
    unresolved = _names(raw.pop("unresolved", None))
    if "origin" not in raw and (places not in (None, "", []) or unresolved):
        found = _places(places, file, label) if places not in (None, "", []) else []
        raw["place"] = [*found, *unresolved] or raw.get("place")
    if raw.get("date_precision") != "week":  # the others are the date's own
        raw.pop("date_precision", None)
    for k in ("date_start", "date_end", "lat", "lon", "length_km"):
        raw.pop(k, None)
    return raw


def _places(value: object, file: str, label: str) -> list:
    """The ``places`` column: places given as coordinates come back as points, named
    places by name."""
    decoded = value
    if isinstance(value, str):
        try:
            decoded = json.loads(value, parse_constant=refuse_constant)
        except (ValueError, RecursionError):
            decoded = None
    if not (
        isinstance(decoded, list)
        and all(isinstance(p, Mapping) and isinstance(p.get("name"), str) for p in decoded)
    ):
        raise InputError(
            f"expected a list of places with a name (JSON text, as write_events writes), "
            f"got {describe(value)}",
            file=file,
            record=label,
            field="places",
        )
    return [
        {
            "name": p["name"],
            "lat": p.get("lat"),
            "lon": p.get("lon"),
            "approximate": p.get("approximate", False),
        }
        if str(p.get("id", "")).startswith(POINT_ID)
        else p["name"]
        for p in decoded
    ]


def _names(value: object) -> list:
    """The ``unresolved`` column: the place names to ask for again (JSON text)."""
    if isinstance(value, str) and value[:1] == "[":
        try:
            value = json.loads(value, parse_constant=refuse_constant)
        except (ValueError, RecursionError):
            return []
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        return [v for v in list(value) if isinstance(v, str) and v]
    return []


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _decode_nested(props: Mapping) -> dict:
    out = dict(props)
    for key in ("actors", "via", "quantities", "sources", "place", "details", "flags"):
        value = out.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            try:
                out[key] = json.loads(value, parse_constant=refuse_constant)
            except (ValueError, RecursionError):
                pass  # not JSON: the text as written
    return out
