"""Read event files (YAML, CSV/ACLED, GeoJSON, GeoParquet) into a GeoDataFrame.

Every reader ends in the same table (:data:`COLUMNS`, EPSG:4326), one row per
event, in file order. Nested fields (actors, quantities, sources, places) are
lists of plain dicts in memory and JSON text on disk. The frame's ``attrs``
carry the run's report: ``unresolved`` (every place name no geocoder could
resolve, with file, record and field), ``title`` and ``documents``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml

from ._acled import is_acled
from ._csv import _acled_frame, _csv_events, _csv_header
from ._frame import _NESTED, COLUMNS, events_frame
from .errors import InputError, UnresolvedPlaceError
from .events import Event, parse_event
from .resolve import Geocoder

__all__ = ["COLUMNS", "read_events", "events_frame", "write_events"]


def read_events(
    path: str | Path,
    *,
    geocoder: Geocoder | None = None,
    strict: bool = False,
) -> gpd.GeoDataFrame:
    """Read an event file and geocode its places.

    Parameters
    ----------
    path : str or Path
        ``.yaml``/``.yml``, ``.csv`` (an ACLED export is recognised by its
        columns), ``.geojson``/``.json`` or ``.parquet``/``.geoparquet``.
    geocoder : Geocoder, optional
        Resolves place names; the offline gazetteer by default.
    strict : bool
        Raise :class:`~geo.errors.UnresolvedPlaceError` if any place name stays
        unresolved, instead of listing it in ``attrs["unresolved"]``.

    Returns
    -------
    GeoDataFrame
        One row per event with the columns in :data:`COLUMNS`, EPSG:4326.

    Examples
    --------
    >>> events = read_events("data/events/dprk-russia.yaml")  # doctest: +SKIP
    >>> events.attrs["unresolved"]                            # doctest: +SKIP
    []
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError("no such file", file=name)
    suffix = path.suffix.lower()
    meta: dict = {}
    given: list[shapely.Geometry | None] | None = None
    frame = None
    if suffix in (".yaml", ".yml"):
        raws, meta = _yaml_records(path)
        events = [parse_event(r, file=name, index=i) for i, r in enumerate(raws, 1)]
    elif suffix == ".csv":
        header = _csv_header(path)
        if is_acled(header) and len(set(header)) == len(header):
            frame = _acled_frame(path, header, geocoder=geocoder)
        else:
            events = _csv_events(path)
    elif suffix in (".geojson", ".json"):
        events, given, meta = _geojson_events(path)
    elif suffix in (".parquet", ".geoparquet"):
        events, given = _parquet_events(path)
    else:
        raise InputError(
            f"unknown file type {suffix!r}; expected .yaml, .csv, .geojson or .parquet", file=name
        )
    if frame is None:
        _check_unique(events, name)
        frame = events_frame(events, geocoder=geocoder, file=name, geometries=given)
    frame.attrs["title"] = meta.get("title")
    frame.attrs["description"] = meta.get("description")
    frame.attrs["documents"] = meta.get("documents") or []
    frame.attrs["file"] = name
    if strict and frame.attrs["unresolved"]:
        raise UnresolvedPlaceError(frame.attrs["unresolved"], file=name)
    return frame


def _check_unique(events: list[Event], file: str) -> None:
    seen: dict[str, int] = {}
    for i, ev in enumerate(events, 1):
        if ev.id in seen:
            raise InputError(
                f"duplicate id; first used by event {seen[ev.id]}; expected unique ids",
                file=file,
                record=f"event {i} ({ev.id!r})",
                field="id",
            )
        seen[ev.id] = i


# --------------------------------------------------------------------------- formats


def _yaml_records(path: Path) -> tuple[list, dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"not valid YAML: {problem}", file=str(path), record=where) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"expected UTF-8 text: {exc.reason}", file=str(path)) from None
    if isinstance(data, list):
        return data, {}
    if isinstance(data, Mapping) and isinstance(data.get("events"), list):
        return data["events"], {k: v for k, v in data.items() if k != "events"}
    raise InputError(
        "expected a list of events, or a mapping with an 'events' list", file=str(path)
    )


def _geojson_events(path: Path) -> tuple[list[Event], list, dict]:
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


def _parquet_events(path: Path) -> tuple[list[Event], list]:
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


def write_events(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write an events frame as GeoParquet or GeoJSON (nested fields as JSON text).

    The file reads back with :func:`read_events`: geometries as written, places
    given as coordinates as points, named places looked up again by name.
    """
    path = Path(path)
    out = frame.copy()
    for col in _NESTED:
        out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    for col in ("date_start", "date_end"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        out.to_parquet(path)
    else:
        out.to_file(path, driver="GeoJSON")
    return path
