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
import shapely
import yaml

from ._acled import is_acled
from ._csv import _acled_frame, _csv_events, _csv_header
from ._frame import _NESTED, COLUMNS, events_frame
from ._geofile import geojson_events, parquet_events
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
        events, given, meta = geojson_events(path)
    elif suffix in (".parquet", ".geoparquet"):
        events, given = parquet_events(path)
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
