"""Write an events frame to a file: GeoPackage, GeoParquet, GeoJSON or CSV.

The format is chosen by the file's extension (:data:`WRITERS`); any other
extension is an :class:`~geo.errors.InputError`, never a file of another format
under that name. Every file is written atomically (:mod:`geo.io.atomic`) and
reads back with :func:`geo.read_events`.

What every format holds is the events table as it is: each column under its
name, in order (:data:`geo.table.COLUMNS`, then a real export's own columns).
Nested fields (lists of records or names: sources, places, details, flags...)
are JSON text, each record an object of its fields (a quantity's or source's
missing fields left out; a place's :data:`~geo.resolve.PLACE_FIELDS`); a
``details`` pair is a two-item list. ``date_start``/``date_end`` are dates
where the format has them (GeoPackage, GeoParquet), ``YYYY-MM-DD`` text
elsewhere.

- ``.gpkg``: a GeoPackage (SQLite, through GDAL), one layer ``events`` in
  EPSG:4326. Its ``gpkg_contents.last_change`` timestamp is written as
  :data:`GPKG_TIMESTAMP`, not the time of writing, so that the same frame gives
  the same bytes.
- ``.parquet``/``.geoparquet``: GeoParquet 1.0 (WKB geometries, PROJJSON CRS).
- ``.geojson``/``.json``: a GeoJSON FeatureCollection (RFC 7946: longitude,
  latitude on WGS 84), one feature a line; nested fields are JSON arrays there.
- ``.csv``: UTF-8, a header row, the geometry as WKT in the ``geometry``
  column (besides the ``lat``/``lon`` of each event's anchor point), missing
  values empty.

Examples
--------
>>> import geo
>>> events = geo.read_events("data/events/dprk-russia.yaml")  # doctest: +SKIP
>>> geo.write_events(events, "dprk-russia.gpkg")               # doctest: +SKIP
PosixPath('dprk-russia.gpkg')
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import math
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring as _quote  # a text as json.dumps writes it
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geo.errors import InputError
from geo.io.atomic import atomic_path
from geo.model import Place
from geo.resolve import place_dict
from geo.table import NESTED

__all__ = ["write_events", "WRITERS", "GPKG_LAYER", "GPKG_TIMESTAMP"]

#: The GeoPackage layer write_events writes (and :mod:`geo.io.gpkg` reads first), and
#: the GeoJSON's ``name``.
GPKG_LAYER = "events"
#: The GeoPackage's ``last_change`` (GDAL's ``OGR_CURRENT_DATE``): fixed, so that a
#: file depends on its frame only; the events' own dates are in the table.
GPKG_TIMESTAMP = "2000-01-01T00:00:00.000Z"
#: What pandas infers of an object column that is text already (or missing values only).
_TEXTS = ("string", "empty")
#: The date columns: dates where the format has them.
_DATES = ("date_start", "date_end")


def write_events(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write an events frame as GeoPackage, GeoParquet, GeoJSON or CSV, by extension.

    Parameters
    ----------
    frame : GeoDataFrame
        As :func:`geo.read_events` returns it (any columns it has are written).
    path : str or Path
        Ending ``.gpkg``, ``.parquet``/``.geoparquet``, ``.geojson``/``.json`` or
        ``.csv``.

    Returns
    -------
    Path
        ``path``, once written (atomically: the old file or the new one, never half).

    Raises
    ------
    InputError
        For any other extension.
    OutputError
        When ``path`` cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    write = WRITERS.get(suffix)
    if write is None:
        found = f"the file type {suffix!r}" if suffix else "a name without an extension"
        raise InputError(f"cannot write {found}; expected {', '.join(WRITERS)}", file=str(path))
    table = _table(frame)
    with atomic_path(path) as tmp:
        write(table, tmp)
    return path


# --------------------------------------------------------------------------- the table


def _table(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame as files hold it: nested fields as JSON text, text columns as text,
    in EPSG:4326, without its index or attrs."""
    out = frame.copy(deep=False)
    out.attrs = {}  # the run's report (rejections, places) is not written
    if not isinstance(out.index, pd.RangeIndex) and out.index.name not in out.columns:
        out = out.reset_index()  # a named index (ids, say) is a column worth keeping
    out = out.reset_index(drop=True)
    if out.crs is None:
        out = out.set_crs(4326)
    elif not out.crs.equals("EPSG:4326"):
        out = out.to_crs(4326)
    geometry = out.geometry.name
    encode = _JSON()
    for col in out.columns:
        if col == geometry:
            continue
        values = out[col]
        if col in NESTED:  # a list in every row: a frame joined from several has NaN
            out[col] = pd.array([encode.cell(v) or "[]" for v in values], dtype=object)
        elif values.dtype == object and pd.api.types.infer_dtype(values) not in _TEXTS:
            out[col] = pd.array([encode.cell(v) for v in values], dtype=object)
    for col in _DATES:
        if col in out.columns and pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = pd.array(out[col].dt.date.where(out[col].notna(), None),
                                dtype=pd.ArrowDtype(pa.date32()))  # fmt: skip
    return out


class _JSON:
    """Nested values as JSON text, each distinct record encoded once: rows share their
    records (a place, a source list's sources), and encoding them is most of a write."""

    def __init__(self):
        self._texts: dict[int, tuple[object, str]] = {}  # id → (the item, kept alive; text)

    def cell(self, value: object) -> str | None:
        """One value of a nested or object column as text: records and lists as JSON."""
        kind = type(value)
        if kind is str or value is None:
            return value
        if kind is list or kind is tuple or kind is np.ndarray:
            return "[" + ", ".join([self.item(x) for x in value]) + "]"
        if _missing(value):
            return None
        if isinstance(value, dict) or dataclasses.is_dataclass(value):
            return self.item(value)
        return str(value)

    def item(self, value: object) -> str:
        """One item of a list as JSON (``json.dumps`` of the list joins the same texts)."""
        kind = type(value)
        if kind is str:  # a name, a flag
            return _quote(value)
        if (kind is tuple or kind is list) and all(type(x) is str for x in value):
            return "[" + ", ".join(map(_quote, value)) + "]"  # a detail's (label, text)
        found = self._texts.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=str)
        self._texts[id(value)] = (value, text)
        return text


#: The fields of each record type, in order.
_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALARS = (str, int, float, bool)


def _plain(value: object) -> object:
    """One item of a nested column as JSON-ready data: a record as the object of its
    fields that are set (a place's :data:`~geo.resolve.PLACE_FIELDS`), a tuple as a list."""
    kind = type(value)
    if kind is Place:
        return place_dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
        out = {}
        for name in names:
            v = getattr(value, name)
            if v is not None:
                out[name] = v if type(v) in _SCALARS else _plain(v)
        return out
    if kind is tuple or kind is list:
        return [_plain(x) for x in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    return value


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value)
    )  # fmt: skip


def _as_text_dates(table: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The date columns as ``YYYY-MM-DD`` text, for formats without dates."""
    out = table.copy(deep=False)
    for col in _DATES:
        if col in out.columns and isinstance(out[col].dtype, pd.ArrowDtype):
            out[col] = pd.array(
                [None if _missing(d) else d.isoformat() for d in out[col]], dtype=object
            )
    return out


# --------------------------------------------------------------------------- formats


def _write_gpkg(table: gpd.GeoDataFrame, path: Path) -> None:
    import pyogrio

    with _gdal_option("OGR_CURRENT_DATE", GPKG_TIMESTAMP):
        pyogrio.write_dataframe(table, path, layer=GPKG_LAYER, driver="GPKG", use_arrow=True)


def _write_parquet(table: gpd.GeoDataFrame, path: Path) -> None:
    table.to_parquet(path, index=False)


def _write_geojson(table: gpd.GeoDataFrame, path: Path) -> None:
    """A FeatureCollection, one feature a line, nested fields as JSON arrays.

    Written here, not by GDAL: GDAL writes any text that parses as JSON as JSON, so
    that a title ``[1, 2]`` would come back as a list.
    """
    table = _as_text_dates(table)
    geometry = table.geometry.name
    names = [c for c in table.columns if c != geometry]
    keys = [json.dumps(str(c), ensure_ascii=False) + ": " for c in names]
    columns = [
        [v or "[]" for v in table[c]] if c in NESTED else _json_values(table[c]) for c in names
    ]
    shapes = shapely.to_geojson(np.asarray(table.geometry.array, dtype=object))
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f'{{"type": "FeatureCollection", "name": "{GPKG_LAYER}", "features": [')
        for i, shape in enumerate(shapes):
            props = ", ".join(k + col[i] for k, col in zip(keys, columns, strict=True))
            fh.write(",\n" if i else "\n")
            fh.write(
                f'{{"type": "Feature", "properties": {{{props}}}, "geometry": {shape or "null"}}}'
            )
        fh.write("\n]}\n")


def _json_values(values: pd.Series) -> list[str]:
    """A column's values as JSON: texts as texts (never parsed), missing as null."""
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan).tolist()
        return [repr(x) if math.isfinite(x) else "null" for x in numbers]
    return [_quote(v) if type(v) is str else _json_value(v) for v in values.tolist()]


def _json_value(value: object) -> str:
    if _missing(value):
        return "null"
    if isinstance(value, float | np.floating):
        return repr(float(value)) if math.isfinite(value) else "null"
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    return _quote(str(value))


def _write_csv(table: gpd.GeoDataFrame, path: Path) -> None:
    table = _as_text_dates(table)
    geometry = table.geometry.name
    columns = list(table.columns)
    cells = []
    for col in columns:
        if col == geometry:
            geoms = np.asarray(table.geometry.array, dtype=object)
            wkt = shapely.to_wkt(geoms, rounding_precision=17, trim=True)
            cells.append(["" if w is None else w for w in wkt])
        else:
            cells.append(_cells(table[col]))
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["geometry" if c == geometry else str(c) for c in columns])
        out.writerows(zip(*cells, strict=True))


def _cells(values: pd.Series) -> list[str]:
    """A column as CSV cells: missing values empty, numbers as the shortest text that
    reads back as the same number."""
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        return ["" if x != x else repr(x) for x in numbers.tolist()]
    missing = values.isna().to_numpy()
    return ["" if m else str(v) for v, m in zip(values.tolist(), missing, strict=True)]


#: The writer of each extension.
WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path], None]] = {
    ".gpkg": _write_gpkg,
    ".parquet": _write_parquet,
    ".geoparquet": _write_parquet,
    ".geojson": _write_geojson,
    ".json": _write_geojson,
    ".csv": _write_csv,
}


@contextlib.contextmanager
def _gdal_option(name: str, value: str) -> Iterator[None]:
    """A GDAL configuration option for the block (it is process-wide), then as it was."""
    import pyogrio

    before = pyogrio.get_gdal_config_option(name)
    pyogrio.set_gdal_config_options({name: value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({name: before})
