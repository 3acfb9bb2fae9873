"""Read event files (YAML, CSV/ACLED, GeoJSON, GeoParquet) into a GeoDataFrame.

Every reader ends in the same table (:data:`COLUMNS`, EPSG:4326), one row per
event, in file order. Nested fields (actors, quantities, sources, places) are
lists of plain dicts in memory and JSON text on disk. The frame's ``attrs``
carry the run's report: ``unresolved`` (every place name no geocoder could
resolve, with file, record and field), ``title`` and ``documents``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gc
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
import yaml

from ._acled import ACLED_COLUMNS, acled_columns, acled_record, check_acled_event, is_acled
from .errors import InputError, UnresolvedPlaceError
from .events import Event, PlaceRef, parse_event
from .resolve import Geocoder, PlaceResolver, ResolvedPlace
from .routes import geodesic_route

__all__ = ["COLUMNS", "read_events", "events_frame", "write_events"]

#: The columns of an events frame, in order.
COLUMNS = [
    "id", "kind", "title", "description", "date", "end_date", "date_start", "date_end",
    "date_precision", "actors", "places", "origin", "via", "destination", "quantities",
    "sources", "confidence", "status", "notes", "lat", "lon", "length_km", "geometry",
]  # fmt: skip
_NESTED = ["actors", "places", "via", "quantities", "sources"]


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
            events, given = _csv_events(path)
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


def events_frame(
    events: Iterable[Event],
    *,
    geocoder: Geocoder | None = None,
    file: str | None = None,
    geometries: list[shapely.Geometry | None] | None = None,
) -> gpd.GeoDataFrame:
    """Geocode parsed events and build the events GeoDataFrame.

    ``geometries``, when given, holds a geometry per event that was read with
    the data (CSV lat/lon, GeoJSON geometry); those events are not geocoded.
    """
    events = list(events)
    resolver = PlaceResolver(geocoder)
    rows = [
        _row(ev, resolver, file=file, index=i, given=geometries[i - 1] if geometries else None)
        for i, ev in enumerate(events, 1)
    ]
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=COLUMNS), geometry="geometry", crs="EPSG:4326"
    )
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = [r.as_dict() for r in resolver.resolved]
    return frame


def _row(
    ev: Event,
    resolver: PlaceResolver,
    *,
    file: str | None,
    index: int,
    given: shapely.Geometry | None,
) -> dict:
    record = f"event {index} ({ev.id!r})"

    def resolve(ref: PlaceRef, field: str) -> ResolvedPlace | None:
        return resolver.resolve(ref, file=file, record=record, field=field)

    geometry, length_km, places = given, None, []
    anchor = None
    if ev.origin is not None:
        stops = [("origin", ev.origin)]
        stops += [(f"via[{i}]", v) for i, v in enumerate(ev.via)]
        stops += [("destination", ev.destination)]
        found = [resolve(ref, f) for f, ref in stops]
        places = [f for f in found if f is not None]
        if given is None and all(found):
            points = [resolver.route_point(f) for f in found]
            geometry, length_km = geodesic_route(points)
            length_km = round(length_km, 1)
            anchor = shapely.Point(points[-1])
        elif found[-1] is not None:
            anchor = found[-1].point
    elif ev.places:
        found = [resolve(ref, f"place[{i}]" if len(ev.places) > 1 else "place")
                 for i, ref in enumerate(ev.places)]  # fmt: skip
        places = [f for f in found if f is not None]
        if given is None and places:
            geometry = _combine([f.geometry for f in places])
        if places:
            anchor = places[0].point
    if anchor is None and geometry is not None and not geometry.is_empty:
        anchor = shapely.point_on_surface(geometry) if geometry.geom_type != "Point" else geometry
    start = ev.date.start if ev.date else None
    end = (ev.end_date or ev.date).end if ev.date else None
    return {
        "id": ev.id,
        "kind": ev.kind,
        "title": ev.title,
        "description": ev.description,
        "date": str(ev.date) if ev.date else None,
        "end_date": str(ev.end_date) if ev.end_date else None,
        "date_start": pd.Timestamp(start) if start else pd.NaT,
        "date_end": pd.Timestamp(end) if end else pd.NaT,
        "date_precision": ev.date.precision if ev.date else None,
        "actors": list(ev.actors),
        "places": [p.as_dict() for p in places],
        "origin": ev.origin.name if ev.origin else None,
        "via": [v.name for v in ev.via],
        "destination": ev.destination.name if ev.destination else None,
        "quantities": [_clean(dataclasses.asdict(q)) for q in ev.quantities],
        "sources": [_source_row(s, resolve, i) for i, s in enumerate(ev.sources)],
        "confidence": ev.confidence,
        "status": ev.status,
        "notes": ev.notes,
        "lat": round(anchor.y, 6) if anchor is not None else None,
        "lon": round(anchor.x, 6) if anchor is not None else None,
        "length_km": length_km,
        "geometry": geometry,
    }


def _source_row(source, resolve, i: int) -> dict:
    """A source as a dict, with the coordinates of its place when it has one."""
    out = _clean(dataclasses.asdict(source))
    if source.place:
        found = resolve(PlaceRef(source.place), f"sources[{i}].place")
        if found is not None:
            out["lat"], out["lon"] = round(found.place.lat, 6), round(found.place.lon, 6)
    return out


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def _combine(geoms: list[shapely.Geometry]) -> shapely.Geometry:
    """Several places as one geometry, keeping each part (no dissolve)."""
    if len(geoms) == 1:
        return geoms[0]
    parts = [p for g in geoms for p in shapely.get_parts(g)]
    kinds = {p.geom_type for p in parts}
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(parts)
    if kinds == {"Point"}:
        return shapely.MultiPoint(parts)
    return shapely.GeometryCollection(parts)


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


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=str(path)) from None


def _csv_events(path: Path) -> tuple[list[Event], list]:
    """A CSV parsed row by row: a flat CSV (the YAML fields as columns), or an ACLED
    export whose header names a column twice (pandas renames the second)."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=str(path)) from None
    acled = is_acled(table.columns)
    events, given = [], []
    for i, row in enumerate(table.to_dict("records"), 1):
        raw = acled_record(row) if acled else _generic_csv_record(row)
        # CSV rows are numbered as lines: the header is line 1.
        ev = parse_event(raw, file=str(path), index=i + 1, record="row")
        events.append(ev)
        given.append(None)
    return events, given


def _acled_frame(path: Path, header: list[str], *, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """An ACLED export, read column by column (see :mod:`geo._acled`).

    The frame equals what the row-by-row path gives: rows the columnar mapping
    cannot vouch for are parsed one by one, in file order, so the first bad row
    raises the row path's own error, naming its line (the header is line 1).
    """
    name = str(path)
    try:
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=[c for c in header if c in ACLED_COLUMNS],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowException as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=name) from None
    if table.num_rows == 0:
        return events_frame([], geocoder=geocoder, file=name)
    with _gc_paused():
        return _acled_events(table, name, geocoder)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building a few million small lists and
    dicts: its repeated full passes over them cost more than building them, and they
    hold no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _acled_events(table: pa.Table, name: str, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """Columns for every row, the rows they flag parsed one by one, then the frame."""
    cols = acled_columns(table)
    slow = np.flatnonzero(cols.slow).tolist()
    events: dict[int, Event] = {}
    rows = table.take(pa.array(slow, type=pa.int64())).to_pylist()
    for i, row in zip(slow, rows, strict=True):
        raw = acled_record(row)
        ev = parse_event(raw, file=name, index=i + 2, record="row")
        check_acled_event(ev, file=name, record=f"row {i + 2} ({ev.id!r})")
        events[i] = ev
    ids = cols.ids.to_pandas()
    repeated = np.flatnonzero(ids.duplicated().to_numpy())
    if repeated.size:
        j = int(repeated[0])
        first = int(np.flatnonzero((ids == ids.iloc[j]).to_numpy())[0])
        raise InputError(
            f"duplicate id; first used by row {first + 2}; expected unique ids",
            file=name, record=f"row {j + 2} ({ids.iloc[j]!r})", field="id",
        )  # fmt: skip
    if len(events) == len(ids):  # nothing the columns could vouch for: the row path
        return events_frame(events.values(), geocoder=geocoder, file=name)

    n = len(ids)
    data: dict[str, object] = {
        **{k: _text_column(v) for k, v in cols.text.items()},
        **cols.dates,
        **cols.nested,
        "end_date": None, "origin": None, "destination": None, "confidence": None,
        "notes": None, "length_km": None, "status": "curated",
        "via": [[] for _ in range(n)],
        "lat": cols.lat, "lon": cols.lon, "geometry": cols.geometry,
    }  # fmt: skip
    resolver = PlaceResolver(geocoder)
    if events:
        # Rows read one by one (say, with no coordinates, so geocoded by name)
        # replace their placeholders; pandas then infers each column's dtype as
        # it does for the row path.
        typed = {"date_start", "date_end", "lat", "lon"}
        data = {k: v.copy() if k in typed else _objects(v, n) for k, v in data.items()}
        for i, ev in events.items():
            row = _row(ev, resolver, file=name, index=i + 1, given=None)
            for k in ("date_start", "date_end"):
                row[k] = pd.Timestamp(row[k]).to_datetime64()
            for k in ("lat", "lon"):
                row[k] = np.nan if row[k] is None else row[k]
            for k, v in row.items():
                data[k][i] = v
    frame = gpd.GeoDataFrame(
        pd.DataFrame({k: data[k] for k in COLUMNS}), geometry="geometry", crs="EPSG:4326"
    )
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = [r.as_dict() for r in resolver.resolved]
    return frame


def _text_column(values: pa.Array) -> pd.Series | list:
    """A text column as the row path gets it: ``str`` dtype, or objects if all missing."""
    if values.null_count == len(values):
        return [None] * len(values)
    return values.to_pandas()


def _objects(values: object, n: int) -> np.ndarray:
    """A column as an object array (None, a scalar repeated, or the values) to patch rows in."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object, na_value=None)
    if isinstance(values, (list, np.ndarray)):
        return np.fromiter(values, dtype=object, count=n)
    out = np.empty(n, dtype=object)
    out[:] = values
    return out


def _generic_csv_record(row: Mapping[str, str]) -> dict:
    """A flat CSV row (the YAML fields as columns) → one event mapping."""
    raw: dict = {k: (v if v != "" else None) for k, v in row.items()}
    for key in ("actors", "via"):
        if raw.get(key):
            raw[key] = [x.strip() for x in raw[key].split(";") if x.strip()]
    lat, lon = raw.pop("lat", None), raw.pop("lon", None)
    if lat is not None or lon is not None:
        raw["place"] = {"name": raw.get("place"), "lat": lat, "lon": lon}
    if raw.get("value") is not None:
        raw["quantities"] = [
            {"value": raw.pop("value"), "unit": raw.pop("unit", None),
             "qualifier": raw.pop("qualifier", None)}
        ]  # fmt: skip
    if raw.get("source") is not None:
        raw["sources"] = [
            {"name": raw.pop("source"), "url": raw.pop("source_url", None),
             "date": raw.pop("source_date", None), "claim": raw.pop("claim", None)}
        ]  # fmt: skip
    return raw


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
        raw = _decode_nested(props)
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
        raw["place"] = [p["name"] for p in decoded]
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

    The file reads back with :func:`read_events` without geocoding again.
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
