"""GeoParquet event files: the table :func:`geo.write_events` writes, or a GeoParquet
table whose columns are the YAML fields.

A file is read within bounds, and every refusal names the file, the record
(``row 3 ('a')``) and the column:

- it is a GeoParquet file (Parquet with GeoParquet's ``geo`` metadata naming its
  primary geometry column), each column once, its texts UTF-8;
- it decodes to at most 100 times its size (beyond a floor of 64 MB), as its
  footer says before anything is read and its columns once read: more is a
  decompression bomb;
- geometries are WKB, in the file's CRS (PROJJSON, an EPSG code, or WKT as
  GeoParquet 0.1 wrote it; never what can name files for PROJ to open: a PROJ
  string, WKT's EXTENSION["PROJ4", ...] or PARAMETERFILE, PROJJSON's text-valued
  parameters or keys naming a file or grid),
  reprojected to EPSG:4326; a file without a CRS is read only if its
  coordinates are degrees. They then go through the checks every geometry a
  file carries goes through (:mod:`geo.io.geometry`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyproj
import shapely

from geo.errors import InputError
from geo.io.geometry import (
    CRS_NAME,
    DEGREES,
    WGS84,
    checked_or_refused,
    coordinate_error,
    in_degrees,
    is_wgs84,
    unreadable,
)
from geo.io.geometry import refuse_files_in_projjson as _refuse_files_in_projjson
from geo.io.geometry import refuse_files_in_wkt as _refuse_files_in_wkt
from geo.io.messages import describe, first_line, printable
from geo.io.rows import refuse_constant, row_record
from geo.model import Event
from geo.schema import parse_event, record_label

__all__ = ["parquet_events"]

#: How much larger than its file a GeoParquet file may decode (beyond a floor any file
#: may reach). Compressed text gives about 10:1 and a column of repeats more, but a
#: 350 KB file of 20 million copies of one row asked 9 GB and minutes: a bomb.
_EXPANSION, _FLOOR = 100, 64 * 2**20


def parquet_events(path: Path) -> tuple[list[Event | InputError], list]:
    """Read a GeoParquet file: each row's event (or the :class:`~geo.errors.InputError`
    that refuses it), and the geometries in EPSG:4326."""
    file = str(path)
    try:
        # A file Arrow opens, not a name pyarrow or geopandas could take for a URL.
        with pa.OSFile(str(path), "rb") as handle:
            table, geo = _geoparquet(handle, file)
    except OSError as exc:
        raise InputError(f"cannot be read: {first_line(exc)}", file=file) from None
    name = geo["primary_column"]
    column = geo["columns"][name]
    crs = _parquet_crs(column, file, printable(f"geo.columns.{name}.crs"))
    geoms, unread = _wkb_geometries(table, name, column, file)
    pandas_meta = _json_object((table.schema.metadata or {}).get(b"pandas", b"{}"))
    index = pandas_meta.get("index_columns")  # pandas keeps a named index as a column
    skip = set(geo["columns"]) | {c for c in index or [] if isinstance(c, str)}
    records = table.drop_columns([c for c in table.column_names if c in skip]).to_pylist()
    events = [_row_event(r, i, file) for i, r in enumerate(records, 1)]
    fail = _parquet_fail(file, records, geoms, name)
    if crs is None:  # coordinates in another CRS than degrees: the file's, not a row's
        _degrees_or_fail(geoms, fail)
    elif is_wgs84(crs):
        crs = None
    given, refused = checked_or_refused(geoms, crs, fail, file)
    for k, exc in {**refused, **unread}.items():
        events[k] = exc
    return events, list(given)


def _row_event(raw: dict, i: int, file: str) -> Event | InputError:
    try:
        return parse_event(
            row_record(raw, file, record_label("row", i, raw)), file=file, index=i, record="row"
        )
    except InputError as exc:
        return exc


def _geoparquet(handle: pa.NativeFile, file: str) -> tuple[pa.Table, dict]:
    """The table, its texts read as dictionaries, and its 'geo' metadata, once the footer
    says the file decodes to a size worth reading."""
    try:
        meta = pq.ParquetFile(handle)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"not a Parquet file: {first_line(exc)}", file=file) from None
    geo = _geo_metadata(meta.schema_arrow, file)
    budget = max(_FLOOR, _EXPANSION * handle.size())
    # Row groups' sizes, not column chunks': pyarrow 26 aborts the process (an uncaught
    # C++ exception) on a column chunk whose size statistics are corrupt.
    md = meta.metadata
    values = md.num_rows * md.num_columns
    stored = sum(md.row_group(r).total_byte_size for r in range(md.num_row_groups))
    if 8 * values > budget or stored > budget:
        raise InputError(
            f"{md.num_rows:,} rows of {md.num_columns} columns ({stored:,} bytes uncompressed) "
            f"in a file of {handle.size():,} bytes; expected at most {_EXPANSION} times the "
            "file's size once decoded (is it a decompression bomb?)",
            file=file,
        )
    texts = [
        meta.schema.column(i).path
        for i in range(meta.metadata.num_columns)
        if meta.schema.column(i).physical_type == "BYTE_ARRAY"
    ]
    try:
        handle.seek(0)
        table = pq.ParquetFile(handle, read_dictionary=texts).read()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"not a readable Parquet file: {first_line(exc)}", file=file) from None
    names = table.column_names
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        raise InputError(
            "column given twice; expected each column once", file=file, field=printable(twice)
        )
    for name in names:  # Arrow reads texts without checking them; Python would not take them
        try:
            table.column(name).validate(full=True)
        except pa.ArrowInvalid as exc:
            row, reason = _bad_text(table.column(name))
            raise InputError(
                reason or f"not a readable column: {first_line(exc)}",
                file=file,
                record=row,
                field=printable(name),
            ) from None
    decoded = sum(_decoded_bytes(chunk) for col in table.columns for chunk in col.chunks)
    if decoded > budget:
        raise InputError(
            f"{decoded:,} bytes once decoded, from a file of {handle.size():,} bytes; expected "
            f"at most {_EXPANSION} times the file's size (is it a decompression bomb?)",
            file=file,
        )
    return table, geo


def _bad_text(column: pa.ChunkedArray) -> tuple[str | None, str | None]:
    """The row and reason of a text column's first value that is not UTF-8."""
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return None, None
    try:
        values = column.cast(pa.large_binary()).to_pylist()
    except pa.ArrowException:  # not the texts but the column is broken (its dictionary)
        return None, None
    for i, value in enumerate(values, 1):
        try:
            if value is not None:
                value.decode("utf-8")
        except UnicodeDecodeError as exc:
            found = f"byte 0x{value[exc.start]:02x} at offset {exc.start}"
            return f"row {i}", f"expected UTF-8 text, got {found}"
    return None, None


def _geo_metadata(schema: pa.Schema, file: str) -> dict:
    meta = schema.metadata or {}
    if b"geo" not in meta:
        raise InputError(
            "a plain Parquet table, without GeoParquet's 'geo' metadata; expected a GeoParquet "
            "file (geo.write_events, GeoDataFrame.to_parquet); a table of fields with lat and "
            "lon columns reads as .csv",
            file=file,
        )
    try:
        geo = json.loads(meta[b"geo"], parse_constant=refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise InputError(
            f"GeoParquet 'geo' metadata is not valid JSON: {first_line(exc)}", file=file
        ) from None
    columns = geo.get("columns") if isinstance(geo, dict) else None
    name = geo.get("primary_column") if isinstance(geo, dict) else None
    if not (isinstance(columns, dict) and isinstance(columns.get(name), dict)):
        raise InputError(
            "GeoParquet 'geo' metadata names no primary geometry column; expected "
            '{"primary_column": ..., "columns": {...}}',
            file=file,
        )
    if name not in schema.names:
        raise InputError(
            f"GeoParquet 'geo' metadata names geometry column {describe(name)}, which "
            "the file does not have",
            file=file,
        )
    return geo


def _parquet_crs(column: dict, file: str, field: str) -> pyproj.CRS | None:
    """The geometry column's CRS: OGC:CRS84 when not given (the GeoParquet default), None
    when given as null (unknown)."""
    if "crs" not in column:
        return WGS84
    crs = column["crs"]
    try:
        if crs is None:
            return None
        if isinstance(crs, dict):
            _refuse_files_in_projjson(crs, file, field)
            return pyproj.CRS.from_json_dict(crs)
        m = CRS_NAME.fullmatch(crs) if isinstance(crs, str) else None
        if m:
            return pyproj.CRS.from_authority((m.group(1) or m.group(2)).upper(), m.group(3))
        if isinstance(crs, str):  # WKT, as GeoParquet 0.1 wrote it
            _refuse_files_in_wkt(crs, file, field)
            return pyproj.CRS.from_wkt(crs)
    except pyproj.exceptions.CRSError as exc:
        raise InputError(
            f"not a CRS PROJ knows: {first_line(exc)}", file=file, field=field
        ) from None
    raise InputError(f"expected the CRS as PROJJSON, got {describe(crs)}", file=file, field=field)


def _wkb_geometries(
    table: pa.Table, name: str, column: dict, file: str
) -> tuple[np.ndarray, dict[int, InputError]]:
    """The geometry column, and the error of each row whose WKB cannot be read (None
    there); an encoding or a column type that is not WKB is the file's error."""
    encoding = column.get("encoding", "WKB")
    if encoding != "WKB":
        raise InputError(
            f"geometries encoded as {describe(encoding)} are not supported; expected 'WKB' "
            "(what geopandas and GDAL write by default)",
            file=file,
            field=printable(f"geo.columns.{name}.encoding"),
        )
    data = table.column(name)
    kind = data.type.value_type if pa.types.is_dictionary(data.type) else data.type
    if not (
        pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
    ):
        raise InputError(
            f"expected geometries as WKB (binary), got a column of {printable(str(kind))}",
            file=file,
            field=printable(name),
        )
    wkb = data.cast(kind).to_numpy(zero_copy_only=False)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    unread = np.flatnonzero(shapely.is_missing(geoms) & ~data.is_null().to_numpy())
    refused = {
        row: InputError(
            f"not a readable geometry (WKB): {unreadable(shapely.from_wkb, wkb[row])}",
            file=file,
            record=f"row {row + 1}",
            field=printable(name),
        )
        for row in unread.tolist()
    }
    return geoms, refused


def _decoded_bytes(array: pa.Array) -> int:
    """What an array takes once its dictionaries are spelled out, without doing it."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        if not (
            pa.types.is_binary(kind.value_type)
            or pa.types.is_string(kind.value_type)
            or pa.types.is_large_binary(kind.value_type)
            or pa.types.is_large_string(kind.value_type)
        ):
            return array.nbytes
        lengths = pc.binary_length(array.dictionary).take(array.indices)
        return int(pc.sum(lengths).as_py() or 0) + 8 * len(array)
    if pa.types.is_struct(kind):
        return sum(_decoded_bytes(f) for f in array.flatten()) + len(array)
    if isinstance(array, (pa.ListArray, pa.LargeListArray, pa.FixedSizeListArray, pa.MapArray)):
        return _decoded_bytes(array.flatten()) + 8 * len(array)
    return array.nbytes


def _degrees_or_fail(geoms: np.ndarray, fail: Callable) -> None:
    """Without a CRS, coordinates are read as degrees only if they are."""
    present = np.flatnonzero(~shapely.is_missing(geoms))
    xy, which = shapely.get_coordinates(geoms[present], return_index=True)
    bad = np.isfinite(xy).all(axis=1) & ~in_degrees(xy)  # not finite: refused later
    if bad.any():
        raise coordinate_error(
            fail,
            present,
            which,
            bad,
            xy,
            lambda p: (
                f"the file has no CRS and {p} is not longitude/latitude; expected the CRS "
                f"in the file (GeoDataFrame.set_crs before to_parquet) or {DEGREES}"
            ),
        )


def _parquet_fail(file: str, records: list, geoms: np.ndarray, name: str) -> Callable:
    def fail(i: int, reason: str, position: int | None = None) -> InputError:
        many = position is not None and shapely.get_num_coordinates(geoms[i]) > 1
        where = f" (position {position + 1} of the {geoms[i].geom_type})" if many else ""
        return InputError(
            reason + where,
            file=file,
            record=record_label("row", i + 1, records[i]),
            field=printable(name),
        )

    return fail


def _json_object(text: bytes) -> dict:
    """Metadata others wrote (pandas'), as a mapping of lists; {} when it is not one."""
    try:
        value = json.loads(text, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, list)}
