"""CSV files: a flat CSV of the YAML fields, or an ACLED export read column by column."""

from __future__ import annotations

import contextlib
import csv
import gc
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ._acled import ACLED_COLUMNS, acled_columns, acled_record, check_acled_event, is_acled
from ._frame import COLUMNS, _row, events_frame
from .errors import InputError
from .events import Event, parse_event
from .resolve import Geocoder, PlaceResolver


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=str(path)) from None


def _csv_events(path: Path) -> list[Event]:
    """A CSV parsed row by row: a flat CSV (the YAML fields as columns), or an ACLED
    export whose header names a column twice (pandas renames the second)."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=str(path)) from None
    acled = is_acled(table.columns)
    events = []
    for i, row in enumerate(table.to_dict("records"), 1):
        raw = acled_record(row) if acled else _generic_csv_record(row)
        # CSV rows are numbered as lines: the header is line 1.
        ev = parse_event(raw, file=str(path), index=i + 1, record="row")
        events.append(ev)
    return events


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
        frame = _acled_events(table, name, geocoder)
    # Give back what Arrow's allocator keeps of the table once it is freed
    # (hundreds of MB for a large export), before the map is built.
    del table
    pa.default_memory_pool().release_unused()
    return frame


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
