"""GeoPackage event files: the table :func:`geo.write_events` writes, read back.

The file must be a GeoPackage (an SQLite database GDAL's GPKG driver opens);
its layer ``events`` is read (or its only layer), each row as a GeoParquet row
is (:mod:`geo.io.written`), its geometries reprojected to EPSG:4326 from the
layer's CRS and checked as every geometry a file carries is. A CRS definition that
names a file for PROJ to open (a grid, a parameter file) is refused, read with
SQLite before GDAL or PROJ sees it.
"""

from __future__ import annotations

import json
import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj

from geo.errors import InputError
from geo.io.geometry import CRS_NAME, is_wgs84, refuse_files_in_projjson, refuse_files_in_wkt
from geo.io.messages import describe, first_line
from geo.io.writers import GPKG_LAYER
from geo.io.written import written_frame
from geo.resolve import Geocoder

__all__ = ["gpkg_frame"]

#: The first bytes of every SQLite 3 database, and so of every GeoPackage.
_SQLITE = b"SQLite format 3\x00"


def gpkg_frame(path: Path, *, geocoder: Geocoder | None = None) -> gpd.GeoDataFrame:
    """Read a GeoPackage's events layer into the events frame."""
    file = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE))
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", file=file) from None
    if head != _SQLITE:
        raise InputError(
            "not a GeoPackage: expected an SQLite database (a .gpkg file as GDAL or QGIS write it)",
            file=file,
        )
    # A path GDAL cannot take for one of its virtual file systems (/vsicurl/, zip:).
    source = str(Path(path).resolve())
    _refuse_files_in_definitions(source, file)  # before GDAL (and PROJ) reads them
    info, frame = _read(source, file)
    crs = _crs(info.get("crs"), file)
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    geoms = (
        np.asarray(frame.geometry.array, dtype=object)
        if geometry is not None
        else np.full(len(frame), None, dtype=object)
    )
    records = frame.drop(columns=[geometry] if geometry else []).to_dict("records")
    return written_frame(
        records, geoms, file=file, crs=crs, geocoder=geocoder,
        numbers=range(1, len(records) + 1), field=geometry or "geometry",
    )  # fmt: skip


def _read(source: str, file: str) -> tuple[dict, gpd.GeoDataFrame]:
    """The events layer's description and table, as GDAL reads them."""
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's, said as the error
            layer = _layer(pyogrio.list_layers(source), file)
            info = pyogrio.read_info(source, layer=layer)
            if info.get("driver") != "GPKG":
                raise InputError(
                    f"not a GeoPackage: GDAL reads it as {describe(info.get('driver'))}; "
                    "expected a GeoPackage (SQLite with its gpkg_ tables)",
                    file=file,
                )
            return info, pyogrio.read_dataframe(source, layer=layer)
    except InputError:
        raise
    except Exception as exc:  # pyogrio's errors (DataSourceError, ...) and GDAL's
        raise InputError(f"not a readable GeoPackage: {first_line(exc)}", file=file) from None


def _layer(layers: np.ndarray, file: str) -> str:
    """The layer to read: ``events``, or the only one."""
    names = [str(name) for name, _kind in layers]
    if GPKG_LAYER in names:
        return GPKG_LAYER
    if len(names) == 1:
        return names[0]
    listed = ", ".join(repr(n) for n in names[:10]) or "none"
    raise InputError(
        f"expected a layer {GPKG_LAYER!r} (or a single layer), got the layers {listed}",
        file=file,
    )


def _crs(crs: str | None, file: str) -> pyproj.CRS | None:
    """The layer's CRS, None when it is EPSG:4326 or not given (coordinates must then be
    degrees)."""
    if not crs:
        return None
    _refuse_files_in_crs(crs, file, None)
    try:
        found = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise InputError(f"not a CRS PROJ knows: {first_line(exc)}", file=file) from None
    return None if is_wgs84(found) else found


def _refuse_files_in_crs(crs: str, file: str, field: str | None) -> None:
    """Refuse a CRS text that can make PROJ open a file it names (WKT's PROJ4 extension
    or PARAMETERFILE, a PROJ string, PROJJSON's grid parameters): PROJ's error would
    tell whether the file exists. GDAL's own EPSG:3857, whose PROJ4 extension names
    only the null grid, is taken."""
    if CRS_NAME.fullmatch(crs.strip()):
        return
    if crs.lstrip().startswith("{"):
        try:
            parsed = json.loads(crs)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            refuse_files_in_projjson(parsed, file, field)
            return
    refuse_files_in_wkt(crs, file, field, null_grids=True)


def _refuse_files_in_definitions(source: str, file: str) -> None:
    """Refuse a GeoPackage whose ``gpkg_spatial_ref_sys`` holds a CRS definition that
    names a file, read with SQLite before GDAL parses them with PROJ. A database
    without the table is left to GDAL to refuse."""
    try:
        db = sqlite3.connect(f"{Path(source).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return
    try:
        columns = {row[1] for row in db.execute("PRAGMA table_info(gpkg_spatial_ref_sys)")}
        texts = [c for c in ("definition", "definition_12_063") if c in columns]
        rows = db.execute(
            f"SELECT srs_id, {', '.join(texts)} FROM gpkg_spatial_ref_sys"  # noqa: S608
        ).fetchall() if texts and "srs_id" in columns else []  # fmt: skip
    except sqlite3.Error:
        return
    finally:
        db.close()
    for srs_id, *definitions in rows:
        for column, text in zip(texts, definitions, strict=True):
            if isinstance(text, str):
                field = f"gpkg_spatial_ref_sys.{column} (srs_id {srs_id})"
                _refuse_files_in_crs(text, file, field)
