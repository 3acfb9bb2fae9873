"""Read event files (YAML, CSV/ACLED, GeoJSON, GeoParquet) into a GeoDataFrame.

Every reader ends in the same table (:data:`COLUMNS`, EPSG:4326), one row per
event, in file order. Nested fields are lists of the records of
:mod:`geo.model` in memory (quantities of :class:`~geo.model.Quantity`, sources
of :class:`~geo.model.Source`, places of :class:`~geo.model.Place`; actors and
via of names) and JSON text on disk: reading a file :func:`write_events` wrote
gives the records back. The frame's ``attrs``
carry the run's report: ``unresolved`` (every place name no geocoder could
resolve, with file, record and field), ``truncated`` (every text cut to
:data:`~geo.schema.MAX_TEXT` characters, as ``file: record: field: truncated to N
of M characters``), ``title`` and ``documents``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import shapely
import yaml

from geo.errors import InputError, UnresolvedPlaceError, brief
from geo.fields import Located, optional_text
from geo.io.csv import csv_frame
from geo.io.geojson import geojson_events
from geo.io.parquet import parquet_events
from geo.io.utf8 import decode_utf8
from geo.io.yaml import load_yaml, yaml_problem
from geo.model import Place
from geo.resolve import Geocoder, place_dict
from geo.schema import parse_event
from geo.table import COLUMNS, NESTED, check_unique, events_frame

__all__ = ["COLUMNS", "read_events", "events_frame", "write_events"]


#: What a record is called in messages, by file type (CSV names its own rows).
_RECORD = {".geojson": "feature", ".json": "feature", ".parquet": "row", ".geoparquet": "row"}


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
        frame = csv_frame(path, geocoder=geocoder)
    elif suffix in (".geojson", ".json"):
        events, given, meta = geojson_events(path)
    elif suffix in (".parquet", ".geoparquet"):
        events, given = parquet_events(path)
    else:
        raise InputError(
            f"unknown file type {suffix!r}; expected .yaml, .csv, .geojson or .parquet", file=name
        )
    if frame is None:
        record = _RECORD.get(suffix, "event")  # as the format's own errors name them
        check_unique(events, name, record=record)
        frame = events_frame(events, geocoder=geocoder, file=name, geometries=given, record=record)
    where = Located(name, None)  # the file's own fields are shown on the map too
    meta = _meta(where, meta)
    frame.attrs["truncated"] = where.notes + frame.attrs.get("truncated", [])
    frame.attrs.update(meta)
    frame.attrs["file"] = name
    if strict and frame.attrs["unresolved"]:
        raise UnresolvedPlaceError(frame.attrs["unresolved"], file=name)
    return frame


def _meta(where: Located, meta: Mapping) -> dict:
    """The file's title, description and documents, checked as an event's fields are."""
    meta = where.clean({k: meta.get(k) for k in ("title", "description", "documents")})
    documents = meta["documents"]
    if documents is None:
        documents = []
    if not isinstance(documents, list):
        raise where.fail("documents", f"expected a list of {{id, name}}, got {brief(documents)}")
    for i, d in enumerate(documents):
        if not (isinstance(d, Mapping) and d.get("id") is not None):
            raise where.fail(f"documents[{i}]", f"expected {{id, name, ...}}, got {brief(d)}")
    return {
        "title": optional_text(where, meta["title"], "title"),
        "description": optional_text(where, meta["description"], "description"),
        "documents": documents,
    }


# --------------------------------------------------------------------------- formats


def _yaml_records(path: Path) -> tuple[list, dict]:
    name = str(path)
    raw = path.read_bytes()
    text = decode_utf8(raw, file=name)
    try:
        data = load_yaml(text, name)
    except yaml.YAMLError as exc:
        record, reason = yaml_problem(exc, text)
        raise InputError(f"not valid YAML: {reason}", file=name, record=record) from None
    if isinstance(data, list):
        return data, {}
    if isinstance(data, Mapping) and isinstance(data.get("events"), list):
        return data["events"], {k: v for k, v in data.items() if k != "events"}
    raise InputError("expected a list of events, or a mapping with an 'events' list", file=name)


def write_events(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write an events frame as GeoParquet or GeoJSON (nested fields as JSON text).

    The file reads back with :func:`read_events`: geometries as written, places
    given as coordinates as points, named places looked up again by name.
    Records are written as objects of their fields (a quantity's or source's
    missing fields left out; a place's :data:`~geo.resolve.PLACE_FIELDS`).
    """
    path = Path(path)
    out = frame.copy()
    for col in NESTED:
        out[col] = out[col].map(
            lambda v: json.dumps([_plain(x) for x in v], ensure_ascii=False, sort_keys=True)
        )
    for col in ("date_start", "date_end"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        out.to_parquet(path)
    else:
        out.to_file(path, driver="GeoJSON")
    return path


def _plain(value: object) -> object:
    """One item of a nested column as JSON-ready data."""
    if isinstance(value, Place):
        return place_dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    return value
