"""The geometries an event file carries, checked and brought to EPSG:4326.

Every reader that takes geometries from a file (GeoJSON, GeoParquet) hands them
here, as shapely geometries or None, with a function that names the record and
field of each (:func:`checked_geometries`):

- a geometry is a Point, LineString, Polygon or a Multi- of one of these, not
  empty, with finite longitudes in -180..180 and latitudes in -90..90 (after
  reprojection); GeometryCollections are refused (one event, one kind of
  shape). None means "place it by its ``place``".
- a polygon that is not valid in the OGC sense (a ring that crosses itself, a
  hole outside its shell) is kept as given, neither refused nor repaired: such
  shapes are common in real boundaries once simplified (the gazetteer's own
  outline of Russia is one), the map draws rings as they are, and nothing after
  the reader needs validity (point_on_surface, simplify with preserve_topology,
  area). Repairing (:func:`shapely.make_valid`) would reorder and reshape parts,
  so a file :func:`geo.write_events` wrote would not read back as written.
- coordinates in another CRS (an old-style GeoJSON ``crs`` member, a GeoParquet
  file's) are reprojected to EPSG:4326, and positions outside the CRS's area
  refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyproj
import shapely

from geo.errors import InputError
from geo.io.messages import describe, first_line, printable

__all__ = [
    "TYPES",
    "TYPES_TEXT",
    "DEGREES",
    "CRS_NAME",
    "WGS84",
    "checked_geometries",
    "checked_or_refused",
    "unreadable",
    "coordinate_error",
    "in_degrees",
    "is_wgs84",
    "refuse_files_in_wkt",
    "refuse_files_in_projjson",
]

#: The geometry types an event may have, and how messages list them.
TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")
TYPES_TEXT = ", ".join(TYPES[:-1]) + " or " + TYPES[-1]
_TYPE_IDS = np.array([shapely.GeometryType[t.upper()] for t in TYPES])
#: How messages say what degrees are.
DEGREES = "longitude -180..180 and latitude -90..90"
#: The CRS names of GeoJSON 2008 (and GeoParquet's codes): only EPSG codes and OGC's
#: CRS84, never a PROJ string (which can name files to read).
CRS_NAME = re.compile(
    r"(?:urn:ogc:def:crs:(EPSG|OGC):[0-9.]*:|(EPSG|OGC)::?)(\d+|CRS84|CRS83|CRS27)", re.I
)
#: EPSG:4326, the CRS of every geometry a reader returns.
WGS84 = pyproj.CRS.from_epsg(4326)
_CRS84 = pyproj.CRS.from_authority("OGC", "CRS84")


#: What in a WKT text makes PROJ open a file it names: WKT1's ``EXTENSION["PROJ4",
#: "+proj=... +nadgrids=/any/path"]``, WKT2's ``PARAMETERFILE["...", "/any/path"]``, or a
#: PROJ string itself (``+init=``, ``+nadgrids=``, ``+geoidgrids=``...).
_WKT_FILES = re.compile(r"EXTENSION|PARAMETERFILE|(?:^|\s)\+\w", re.I)
#: PROJJSON keys that name a file (``parameter_file``, ``grid``...).
_FILE_KEY = re.compile(r"file|grid", re.I)
_NAMES_FILES = (
    "not a CRS PROJ knows without opening files: {what} can name files for PROJ to open "
    "(and its error would tell whether they exist); expected an EPSG code, PROJJSON or WKT "
    "without them"
)


def refuse_files_in_wkt(
    crs: str, file: str, field: str | None, *, null_grids: bool = False
) -> None:
    """Refuse WKT that can make PROJ open a file: its error would reveal the file.

    ``null_grids``: a WKT1 ``EXTENSION["PROJ4", ...]`` whose PROJ string names no file
    but PROJ's built-in null grid (``+nadgrids=@null``, as GDAL writes EPSG:3857 in a
    GeoPackage) is taken; any other extension is refused.
    """
    if null_grids:
        crs = _PROJ4_EXTENSION.sub(lambda m: "" if _names_no_file(m.group(1)) else m.group(), crs)
    m = _WKT_FILES.search(crs)
    if m:
        what = "a PROJ string" if m.group().lstrip().startswith("+") else m.group().upper()
        raise InputError(_NAMES_FILES.format(what=what), file=file, field=field)


def refuse_files_in_projjson(crs: dict, file: str, field: str | None) -> None:
    """Refuse PROJJSON with a key naming a file or a parameter whose value is a text (a
    file name: a grid, a parameter file); every other parameter is a number."""
    stack: list = [crs]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and _FILE_KEY.search(key):
                    what = f"a key {describe(key)}"
                    raise InputError(_NAMES_FILES.format(what=what), file=file, field=field)
                if key == "parameters" and isinstance(value, list):
                    for p in value:
                        if isinstance(p, dict) and isinstance(p.get("value"), str):
                            what = f"a parameter of text value {describe(p['value'])}"
                            raise InputError(_NAMES_FILES.format(what=what), file=file, field=field)
                stack.append(value)


#: A WKT1 PROJ4 extension, and its PROJ string.
_PROJ4_EXTENSION = re.compile(r'EXTENSION\s*\[\s*"PROJ4"\s*,\s*"([^"]*)"\s*\]', re.I)
#: A PROJ string's parameter, and those that name files (grids, init files, ...).
_PROJ_PARAMETER = re.compile(r"\+?([A-Za-z_]\w*)(?:=(\S*))?")
_FILE_PARAMETER = re.compile(r"grid|init|file", re.I)


def _names_no_file(proj: str) -> bool:
    """Whether a PROJ string names no file: its grids, if any, only ``@null``."""
    for m in _PROJ_PARAMETER.finditer(proj):
        key, value = m.group(1), m.group(2)
        if _FILE_PARAMETER.search(key) and not (
            key.lower() in ("nadgrids", "geoidgrids") and value in ("@null", "null")
        ):
            return False
    return True


def unreadable(parse: Callable, value: object) -> str:
    """Why ``parse`` (``shapely.from_wkb``, ``from_wkt``) cannot read ``value``."""
    try:
        parse(value)
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        return first_line(exc)
    return "not a geometry"


def checked_or_refused(
    geoms: np.ndarray, crs: pyproj.CRS | None, fail: Callable, file: str
) -> tuple[np.ndarray, dict[int, InputError]]:
    """:func:`checked_geometries`, refusing each bad element instead of the whole file:
    the geometries (None where refused) and the error for each refused element.

    An error that names no element (a CRS PROJ cannot use) is the file's, and raised.
    """
    geoms = geoms.copy()
    refused: dict[int, InputError] = {}
    named: list[int] = []

    def tracked(i: int, *args, **kwargs) -> InputError:
        named.append(i)
        return fail(i, *args, **kwargs)

    while True:
        named.clear()
        try:
            return checked_geometries(geoms, crs, tracked, file), refused
        except InputError as exc:
            if not named:
                raise
            refused[named[-1]] = exc
            geoms[named[-1]] = None


def checked_geometries(
    geoms: np.ndarray, crs: pyproj.CRS | None, fail: Callable, file: str
) -> np.ndarray:
    """Refuse geometries the map cannot draw or place, and reproject to EPSG:4326.

    ``geoms`` holds shapely geometries or None (no geometry: the event is placed by its
    place names); ``fail(i, reason, position=None)`` makes the error for element ``i``.
    """
    present = np.flatnonzero(~shapely.is_missing(geoms))
    g = geoms[present]
    kinds = shapely.get_type_id(g)
    bad = ~np.isin(kinds, _TYPE_IDS)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise fail(int(present[k]), f"{g[k].geom_type} is not supported; expected one {TYPES_TEXT}")
    multi = np.flatnonzero(kinds >= shapely.GeometryType.MULTIPOINT)
    parts, owner = shapely.get_parts(g[multi], return_index=True)
    bad = shapely.is_empty(g)
    bad[multi[owner[shapely.is_empty(parts)]]] = True
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise fail(
            int(present[k]),
            "empty geometry (or an empty part); expected at least one "
            "position (a null geometry places the event by its place)",
        )
    xy, which = shapely.get_coordinates(g, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        raise coordinate_error(
            fail, present, which, bad, xy, lambda p: f"expected finite numbers, got {p}"
        )
    if crs is not None:
        g, xy = _to_wgs84(g, xy, which, crs, present, fail, file)
    bad = ~in_degrees(xy)
    if bad.any():
        src = f" (reprojected from {_crs_label(crs)})" if crs is not None else ""
        raise coordinate_error(
            fail, present, which, bad, xy, lambda p: f"expected {DEGREES}, got {p}{src}"
        )
    out = np.full(len(geoms), None, dtype=object)
    out[present] = g
    return out


def coordinate_error(fail, present, which, bad, xy, reason: Callable[[str], str]) -> InputError:
    """The error for the first flagged position, ``reason`` given it as text."""
    k = int(np.flatnonzero(bad)[0])
    owner = int(which[k])
    position = k - int(np.searchsorted(which, owner))
    return fail(int(present[owner]), reason(_pos(xy[k])), position)


def _to_wgs84(g, xy, which, crs, present, fail, file):
    """Reproject, refusing positions outside the CRS's area: they do not come back when
    projected back (PROJ wraps a UTM northing of 20,000 km to the other hemisphere)."""
    try:
        there = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
        lon, lat = there.transform(xy[:, 0], xy[:, 1], errcheck=False)
        back = np.column_stack(there.transform(lon, lat, direction="INVERSE", errcheck=False))
    except pyproj.exceptions.ProjError as exc:
        raise InputError(
            f"cannot reproject from {_crs_label(crs)} to EPSG:4326: {first_line(exc)}", file=file
        ) from None
    moved = np.column_stack([lon, lat])
    returned = np.isclose(back, xy, rtol=1e-9, atol=1e-3).all(axis=1)
    lost = ~(np.isfinite(moved).all(axis=1) & returned)
    if lost.any():
        label = _crs_label(crs)
        raise coordinate_error(
            fail,
            present,
            which,
            lost,
            xy,
            lambda p: f"{p} is outside the area {label} covers; expected coordinates in {label}",
        )
    return shapely.set_coordinates(g.copy(), moved), moved


def in_degrees(xy: np.ndarray) -> np.ndarray:
    """Which positions of an ``(n, 2)`` array are longitude/latitude in degrees."""
    return (np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)


def is_wgs84(crs: pyproj.CRS) -> bool:
    """Whether ``crs`` is longitude/latitude on WGS 84 (EPSG:4326 or OGC:CRS84)."""
    return crs.equals(WGS84) or crs.equals(_CRS84)


def _crs_label(crs: pyproj.CRS) -> str:
    """``EPSG:3857`` where the CRS has a code, else its name."""
    found = crs.to_authority(min_confidence=90)
    return printable(":".join(found) if found else crs.name)


def _pos(xy) -> str:
    return f"[{xy[0]:.10g}, {xy[1]:.10g}]"
