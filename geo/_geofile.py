"""Event files that carry their geometry: GeoJSON and GeoParquet.

Both hold the table :func:`geo.write_events` writes (nested fields as JSON
text), or features whose properties are the YAML fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from .errors import InputError
from .events import Event, parse_event

__all__ = ["geojson_events", "parquet_events"]


def geojson_events(path: Path) -> tuple[list[Event], list, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON: {exc}", file=str(path)) from None
    if not (isinstance(data, Mapping) and isinstance(data.get("features"), list)):
        raise InputError("expected a GeoJSON FeatureCollection", file=str(path))
    events, given = [], []
    for i, feat in enumerate(data["features"], 1):
        props = dict(feat.get("properties") or {}) if isinstance(feat, Mapping) else feat
        raw = _decode_nested(_from_frame(props))
        events.append(parse_event(raw, file=str(path), index=i))
        geom = feat.get("geometry") if isinstance(feat, Mapping) else None
        try:
            given.append(shapely.geometry.shape(geom) if geom else None)
        except (ValueError, TypeError, AttributeError) as exc:
            raise InputError(
                f"not a valid GeoJSON geometry: {exc}",
                file=str(path), record=f"event {i} ({raw.get('id')!r})", field="geometry",
            ) from None  # fmt: skip
    meta = {k: data.get(k) for k in ("title", "description", "documents") if k in data}
    return events, given, meta


def parquet_events(path: Path) -> tuple[list[Event], list]:
    try:
        table = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types; all mean "not readable"
        raise InputError(f"not a readable GeoParquet file: {exc}", file=str(path)) from None
    records = table.drop(columns=table.geometry.name).to_dict("records")
    events = [
        parse_event(_decode_nested(_from_frame(r)), file=str(path), index=i)
        for i, r in enumerate(records, 1)
    ]
    return events, list(table.geometry.values)


def _from_frame(record: dict) -> dict:
    """A row written by :func:`write_events` → the YAML-shaped mapping."""
    raw = {k: v for k, v in record.items() if not _is_missing(v)}
    places = raw.pop("places", None)
    if "origin" not in raw and places:
        decoded = json.loads(places) if isinstance(places, str) else places
        # Places given as coordinates come back as points; named places by name.
        raw["place"] = [
            {"name": p["name"], "lat": p["lat"], "lon": p["lon"],
             "approximate": p.get("approximate", False)}
            if p.get("id", "").startswith("point:") else p["name"]
            for p in decoded
        ]  # fmt: skip
    for k in ("date_start", "date_end", "date_precision", "lat", "lon", "length_km"):
        raw.pop(k, None)
    return raw


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NaT


def _decode_nested(props: Mapping) -> dict:
    out = dict(props)
    for key in ("actors", "via", "quantities", "sources", "place"):
        value = out.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError:
                pass
    return out
