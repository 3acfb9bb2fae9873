"""GeoJSON event files, and what every file that carries its geometry shares.

A GeoJSON file holds the table :func:`geo.write_events` writes (nested fields as
JSON text), or features whose properties are the YAML fields; GeoParquet files
(:mod:`geo.io.parquet`) hold the same table, and their geometries go through the
same checks (:func:`_checked`) and their rows through the same reading of that
table (:func:`_from_frame`, :func:`_decode_nested`), both here.

What reaches the map is checked first, and every refusal names the file, the
record (``feature 3 ('a')``, ``row 3 ('a')``) and the field:

- a geometry is a Point, LineString, Polygon or a Multi- of one of these, not
  empty, with finite longitudes in -180..180 and latitudes in -90..90 (after
  reprojection); GeometryCollections are refused (one event, one kind of
  shape). ``"geometry": null`` (or no geometry) means "place it by its
  ``place``", as in any other file.
- GeoJSON positions are two or three numbers (an altitude is read and dropped),
  lines have two positions or more, polygon rings four or more and are closed.
  ``NaN``/``Infinity``, which Python's json would accept, are refused, and so
  are keys given twice in one object.
- a polygon that is not valid in the OGC sense (a ring that crosses itself, a
  hole outside its shell) is kept as given, neither refused nor repaired: such
  shapes are common in real boundaries once simplified (the gazetteer's own
  outline of Russia is one), the map draws rings as they are, and nothing after
  the reader needs validity (point_on_surface, simplify with preserve_topology,
  area). Repairing (:func:`shapely.make_valid`) would reorder and reshape parts,
  so a file :func:`geo.write_events` wrote would not read back as written.
- coordinates in another CRS (an old-style GeoJSON ``crs`` member, a GeoParquet
  file's) are reprojected to EPSG:4326.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geo.errors import InputError
from geo.fields import field_path
from geo.io.utf8 import decode_utf8
from geo.model import Event
from geo.schema import parse_event, record_label

__all__ = ["geojson_events"]

#: GeoJSON geometry types, and how many lists deep their coordinates nest.
_DEPTH = {
    "Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3,
    "Polygon": 3, "MultiPolygon": 4,
}  # fmt: skip
_TYPES = "Point, LineString, Polygon, MultiPoint, MultiLineString or MultiPolygon"
_TYPE_IDS = np.array([shapely.GeometryType[t.upper()] for t in _DEPTH])
_DEGREES = "longitude -180..180 and latitude -90..90"
# Beyond this an integer has no float (json reads 1e400 as inf, but 10**400 as an int).
_BIG = 2.0**1023
# The CRS names of GeoJSON 2008: only EPSG codes and OGC's CRS84, never a PROJ string
# (which can name files to read).
_CRS_NAME = re.compile(
    r"(?:urn:ogc:def:crs:(EPSG|OGC):[0-9.]*:|(EPSG|OGC)::?)(\d+|CRS84|CRS83|CRS27)", re.I
)
_WGS84 = pyproj.CRS.from_epsg(4326)
_CRS84 = pyproj.CRS.from_authority("OGC", "CRS84")


# ------------------------------------------------------------------------------ GeoJSON


def geojson_events(path: Path) -> tuple[list[Event], list, dict]:
    """Read a GeoJSON FeatureCollection (or one Feature): its events, geometries, metadata."""
    file = str(path)
    data = _load_json(path)
    features = _features(data, file)
    crs = _geojson_crs(data, file)
    events, raws, shapes = [], [], _Shapes(file)
    for i, feat in enumerate(features, 1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        record = record_label("feature", i, props)
        if not isinstance(feat, dict):
            raise InputError(
                f"expected a Feature object, got {_describe(feat)}", file=file, record=record
            )
        kind = feat.get("type", "Feature")
        if kind != "Feature":
            hint = "; a bare geometry must be wrapped in a Feature" if _is_type(kind) else ""
            raise InputError(
                f"expected 'Feature', got {_describe(kind)}{hint}",
                file=file,
                record=record,
                field="type",
            )
        props = feat.get("properties")
        if props is not None and not isinstance(props, dict):
            raise InputError(
                f"expected an object of event fields, got {_describe(props)}",
                file=file,
                record=record,
                field="properties",
            )
        raw = _decode_nested(_from_frame(props or {}, file, record))
        events.append(parse_event(raw, file=file, index=i, record="feature"))
        raws.append(feat.get("geometry"))
        shapes.add(i - 1, feat.get("geometry"), record)
    geoms = shapes.build(len(features))
    given = _checked(geoms, crs, _geojson_fail(file, features, raws), file)
    meta = {k: data[k] for k in ("title", "description", "documents") if k in data}
    return events, list(given), meta


def _load_json(path: Path) -> object:
    """Parse strictly: UTF-8 (a BOM is allowed), finite numbers, each key once."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", file=file) from None
    text = decode_utf8(data, file=file)
    twice: list[tuple[dict, str]] = []
    constants: list[str] = []

    def pairs(items: list) -> dict:
        obj = dict(items)
        if len(obj) != len(items) and not twice:
            seen: set = set()
            twice.append((obj, next(k for k, _ in items if k in seen or seen.add(k))))
        return obj

    def constant(name: str) -> _NonFinite:
        constants.append(name)
        return _NonFinite(name)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", file=file, record=f"line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError(
            "lists or objects nested too deeply for JSON to be read; expected GeoJSON "
            "(coordinates nest 4 lists deep at most)",
            file=file,
            record=_too_deep(text),
        ) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise InputError(f"not valid JSON: {_first_line(exc)}", file=file) from None
    if constants:
        where, value = _find(data, lambda v: type(v) is _NonFinite)
        record, field = _located(data, where)
        raise InputError(
            f"expected a finite number, got {value}", file=file, record=record, field=field
        )
    if twice:
        obj, key = twice[0]
        where, _ = _find(data, lambda v: v is obj)
        record, field = _located(data, [*where, key])
        raise InputError(
            f"key {key!r} given twice in one object; expected each key once (which one is "
            "meant cannot be told)",
            file=file,
            record=record,
            field=field,
        )
    return data


class _NonFinite(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` as the file spells it, kept to be located."""


def _too_deep(text: str, limit: int = 500) -> str | None:
    """Where nesting first passes ``limit`` levels (``line 1 column 600``), strings skipped."""
    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, m.start()) + 1
                return f"line {line} column {m.start() - text.rfind(chr(10), 0, m.start())}"
        elif c in "]}":
            depth -= 1
    return None


def _find(data: object, test: Callable[[object], bool]) -> tuple[list, object] | None:
    """The path (keys and indices) to the first value that passes ``test``, depth first."""
    stack = [([], data)]
    while stack:
        where, value = stack.pop()
        if test(value):
            return where, value
        if isinstance(value, dict):
            stack.extend(reversed([([*where, k], v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([([*where, j], v) for j, v in enumerate(value)]))
    return None


def _located(data: object, where: list) -> tuple[str | None, str | None]:
    """A path in the file as (record, field): ``feature 3 ('a')``, ``geometry.coordinates[0]``."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        return record_label("feature", 1, data.get("properties")), _field(where)
    features = data.get("features") if isinstance(data, dict) else None
    if where[:1] == ["features"] and len(where) > 1 and isinstance(features, list):
        feat = features[where[1]]
        props = feat.get("properties") if isinstance(feat, dict) else None
        return record_label("feature", where[1] + 1, props), _field(where[2:])
    return None, _field(where)


def _field(where: list) -> str | None:
    """``properties.quantities[0].value``, each key named as parse_event names it
    (a long or unprintable key shortened, so the message stays one line)."""
    out = ""
    for key in where:
        out = field_path(out, key)
    return out or None


def _features(data: object, file: str) -> list:
    if isinstance(data, dict):
        kind = data.get("type")
        if kind == "Feature":  # RFC 7946 lets a GeoJSON text be a single Feature: one event
            return [data]
        if _is_type(kind) or kind == "GeometryCollection":
            raise InputError(
                f"expected a GeoJSON FeatureCollection, got a bare {kind} geometry; events "
                "are Features, a geometry with the event's fields as properties",
                file=file,
                field="type",
            )
        features = data.get("features")
        if isinstance(features, list) and kind in (None, "FeatureCollection"):
            return features
        if kind == "FeatureCollection":
            raise InputError(
                f"expected a list of features, got {_describe(features)}",
                file=file,
                field="features",
            )
        if kind is not None:
            raise InputError(
                f"expected a GeoJSON FeatureCollection, got type {_describe(kind)}",
                file=file,
                field="type",
            )
    raise InputError(f"expected a GeoJSON FeatureCollection, got {_describe(data)}", file=file)


def _geojson_crs(data: object, file: str) -> pyproj.CRS | None:
    """The CRS an old-style (2008) ``crs`` member names; RFC 7946 has none (longitude/latitude)."""
    crs = data.get("crs") if isinstance(data, dict) else None
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    m = _CRS_NAME.fullmatch(name) if isinstance(crs, dict) and isinstance(name, str) else None
    if m is None or crs.get("type") != "name":
        raise InputError(
            'expected a named CRS such as {"type": "name", "properties": {"name": '
            '"urn:ogc:def:crs:EPSG::3857"}}, or none (longitude/latitude), '
            f"got {_describe(crs)}",
            file=file,
            field="crs",
        )
    authority, code = (m.group(1) or m.group(2)).upper(), m.group(3).upper()
    try:
        found = pyproj.CRS.from_authority(authority, code)
    except pyproj.exceptions.CRSError:
        raise InputError(
            f"unknown CRS {name!r}; expected an EPSG code PROJ knows", file=file, field="crs"
        ) from None
    return None if _is_wgs84(found) else found


class _Shapes:
    """GeoJSON geometries checked for their structure and gathered by type, so each type
    is built in one call (:func:`shapely.from_ragged_array`)."""

    def __init__(self, file: str):
        self.file = file
        self.parts: dict[str, tuple[list, list, list[list]]] = {}

    def add(self, i: int, geom: object, record: str) -> None:
        if geom is None:
            return

        def fail(where: str, reason: str) -> InputError:
            return InputError(reason, file=self.file, record=record, field=f"geometry{where}")

        if not isinstance(geom, dict):
            raise fail("", f"expected a GeoJSON geometry object or null, got {_describe(geom)}")
        kind = geom.get("type")
        if kind == "GeometryCollection":
            raise fail(".type", f"GeometryCollection is not supported; expected one {_TYPES}")
        if not _is_type(kind):
            raise fail(".type", f"expected {_TYPES}, got {_describe(kind)}")
        coords = geom.get("coordinates")
        if coords is None or coords == []:
            got = "no coordinates" if coords is None else "an empty geometry"
            raise fail(
                ".coordinates",
                f"{got}; expected at least one position (an event "
                'without a geometry has "geometry": null)',
            )
        depth = _DEPTH[kind]
        members, positions, offsets = self.parts.setdefault(
            kind, ([], [], [[0] for _ in range(depth - 1)])
        )
        try:
            if depth == 1:
                if not _is_position(coords):
                    raise _Bad("", _expected_position(coords))
                positions.append(coords)
            else:
                _flatten(coords, depth, kind, "", positions, offsets)
        except _Bad as bad:
            raise fail(f".coordinates{bad.where}", bad.reason) from None
        members.append(i)

    def build(self, n: int) -> np.ndarray:
        out = np.full(n, None, dtype=object)
        for kind, (members, positions, offsets) in self.parts.items():
            try:
                xy = np.array(positions, dtype=float)
            except ValueError:  # some positions carry an altitude, some not
                xy = np.array([p[:2] for p in positions], dtype=float)
            kind_id = shapely.GeometryType[kind.upper()]
            if kind == "Point":
                geoms = shapely.points(xy[:, :2])
            else:
                geoms = shapely.from_ragged_array(
                    kind_id, np.ascontiguousarray(xy[:, :2]), tuple(np.array(o) for o in offsets)
                )
            out[members] = geoms
        return out


class _Bad(Exception):
    def __init__(self, where: str, reason: str):
        self.where, self.reason = where, reason


_WHAT = {2: "positions", 3: "lists of positions", 4: "polygons (lists of rings)"}


def _flatten(value: object, depth: int, kind: str, where: str, positions: list, offsets: list):
    """Append nested coordinates' positions and offsets (ragged-array layout), checking each
    list's shape; ``depth`` is how many lists deep ``value`` nests."""
    if type(value) is not list:
        raise _Bad(where, f"expected a list of {_WHAT[depth]}, got {_describe(value)}")
    if depth == 2:
        for j, p in enumerate(value):
            if not _is_position(p):
                raise _Bad(f"{where}[{j}]", _expected_position(p))
        ring = kind.endswith("Polygon")
        least = 4 if ring else 2 if kind.endswith("LineString") else 1
        if len(value) < least:
            what = "a ring" if ring else "a line" if least == 2 else "a geometry"
            raise _Bad(where, f"expected {what} of at least {least} positions, got {len(value)}")
        if ring and value[0][:2] != value[-1][:2]:
            raise _Bad(
                where,
                f"ring not closed: it starts at {_describe(value[0])} and ends "
                f"at {_describe(value[-1])}; expected the last position to repeat the "
                "first",
            )
        positions.extend(value)
        offsets[0].append(len(positions))
        return
    if not value:  # only a MultiPolygon's polygon can be empty here: the others are refused
        raise _Bad(where, "empty polygon; expected at least one ring")
    for j, v in enumerate(value):
        _flatten(v, depth - 1, kind, f"{where}[{j}]", positions, offsets)
    offsets[depth - 2].append(len(offsets[depth - 3]) - 1)


def _is_type(kind: object) -> bool:
    return isinstance(kind, str) and kind in _DEPTH


def _is_position(p: object) -> bool:
    # Exact types: a bool is an int to Python and never a coordinate.
    return (
        type(p) is list
        and 2 <= len(p) <= 3
        and all(type(c) is float or (type(c) is int and -_BIG < c < _BIG) for c in p)
    )


def _expected_position(p: object) -> str:
    return f"expected a position [longitude, latitude], got {_describe(p)}"


def _geojson_fail(file: str, features: list, raws: list) -> Callable[..., InputError]:
    def fail(i: int, reason: str, position: int | None = None) -> InputError:
        feat = features[i]
        geom = raws[i]
        where = ""
        if position is not None:
            depth = _DEPTH[geom["type"]]
            where = ".coordinates" + next(
                itertools.islice(_position_paths(geom["coordinates"], depth), position, None)
            )
        return InputError(
            reason,
            file=file,
            record=record_label("feature", i + 1, feat.get("properties")),
            field=f"geometry{where}",
        )

    return fail


def _position_paths(value: list, depth: int, where: str = ""):
    """The path of each position in nested coordinates, in order (``[0][3]``)."""
    if depth == 1:
        yield where
        return
    for j, v in enumerate(value):
        yield from _position_paths(v, depth - 1, f"{where}[{j}]")


# ------------------------------------------------------------------------ both formats


def _checked(geoms: np.ndarray, crs: pyproj.CRS | None, fail: Callable, file: str) -> np.ndarray:
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
        raise fail(int(present[k]), f"{g[k].geom_type} is not supported; expected one {_TYPES}")
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
        raise _coordinate_error(
            fail, present, which, bad, xy, lambda p: f"expected finite numbers, got {p}"
        )
    if crs is not None:
        g, xy = _to_wgs84(g, xy, which, crs, present, fail, file)
    bad = ~_in_degrees(xy)
    if bad.any():
        src = f" (reprojected from {_crs_label(crs)})" if crs is not None else ""
        raise _coordinate_error(
            fail, present, which, bad, xy, lambda p: f"expected {_DEGREES}, got {p}{src}"
        )
    out = np.full(len(geoms), None, dtype=object)
    out[present] = g
    return out


def _coordinate_error(fail, present, which, bad, xy, reason: Callable[[str], str]) -> InputError:
    """The error for the first flagged position, ``reason`` given it as text."""
    k = int(np.flatnonzero(bad)[0])
    owner = int(which[k])
    position = k - int(np.searchsorted(which, owner))
    return fail(int(present[owner]), reason(_pos(xy[k])), position)


def _to_wgs84(g, xy, which, crs, present, fail, file):
    """Reproject, refusing positions outside the CRS's area: they do not come back when
    projected back (PROJ wraps a UTM northing of 20,000 km to the other hemisphere)."""
    try:
        there = pyproj.Transformer.from_crs(crs, _WGS84, always_xy=True)
        lon, lat = there.transform(xy[:, 0], xy[:, 1], errcheck=False)
        back = np.column_stack(there.transform(lon, lat, direction="INVERSE", errcheck=False))
    except pyproj.exceptions.ProjError as exc:
        raise InputError(
            f"cannot reproject from {_crs_label(crs)} to EPSG:4326: {_first_line(exc)}", file=file
        ) from None
    moved = np.column_stack([lon, lat])
    returned = np.isclose(back, xy, rtol=1e-9, atol=1e-3).all(axis=1)
    lost = ~(np.isfinite(moved).all(axis=1) & returned)
    if lost.any():
        label = _crs_label(crs)
        raise _coordinate_error(
            fail,
            present,
            which,
            lost,
            xy,
            lambda p: f"{p} is outside the area {label} covers; expected coordinates in {label}",
        )
    return shapely.set_coordinates(g.copy(), moved), moved


def _in_degrees(xy: np.ndarray) -> np.ndarray:
    return (np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)


def _is_wgs84(crs: pyproj.CRS) -> bool:
    return crs.equals(_WGS84) or crs.equals(_CRS84)


def _crs_label(crs: pyproj.CRS) -> str:
    """``EPSG:3857`` where the CRS has a code, else its name."""
    found = crs.to_authority(min_confidence=90)
    return _printable(":".join(found) if found else crs.name)


def _pos(xy) -> str:
    return f"[{xy[0]:.10g}, {xy[1]:.10g}]"


def _describe(value: object, limit: int = 40) -> str:
    """A short rendering of a value as read: JSON-like, cut at ``limit`` characters."""
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        kind = "an object" if isinstance(value, dict) else "a list"
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (ValueError, RecursionError):
            return kind
        text = _printable(text if len(text) <= limit else text[: limit - 1] + "…")
        return text if isinstance(value, list) else f"{kind} {text}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) > 10**30:
        return f"an integer of {len(str(abs(value)))} digits"
    text = repr(value) if isinstance(value, str) else _printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_line(exc: BaseException) -> str:
    return _printable((str(exc).strip().splitlines() or [type(exc).__name__])[0])


def _printable(text: str) -> str:
    """Text for a one-line message: line breaks (also U+2028, U+0085), controls and bidi
    marks from the data spelled as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


# ----------------------------------------------------------------------- properties


def _refuse_constant(name: str) -> None:
    raise ValueError(f"expected finite numbers, got {name}")


def _from_frame(record: dict, file: str, label: str) -> dict:
    """A row written by :func:`write_events` → the YAML-shaped mapping."""
    raw = {k: v for k, v in record.items() if not _is_missing(v)}
    places = raw.pop("places", None)
    if "origin" not in raw and places not in (None, "", []):
        raw["place"] = _places(places, file, label) or raw.get("place")
    for k in ("date_start", "date_end", "date_precision", "lat", "lon", "length_km"):
        raw.pop(k, None)
    return raw


def _places(value: object, file: str, label: str) -> list:
    """The ``places`` column: places given as coordinates come back as points, named
    places by name."""
    decoded = value
    if isinstance(value, str):
        try:
            decoded = json.loads(value, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):
            decoded = None
    if not (
        isinstance(decoded, list)
        and all(isinstance(p, Mapping) and isinstance(p.get("name"), str) for p in decoded)
    ):
        raise InputError(
            f"expected a list of places with a name (JSON text, as write_events writes), "
            f"got {_describe(value)}",
            file=file,
            record=label,
            field="places",
        )
    return [
        {
            "name": p["name"],
            "lat": p.get("lat"),
            "lon": p.get("lon"),
            "approximate": p.get("approximate", False),
        }
        if str(p.get("id", "")).startswith("point:")
        else p["name"]
        for p in decoded
    ]


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _decode_nested(props: Mapping) -> dict:
    out = dict(props)
    for key in ("actors", "via", "quantities", "sources", "place"):
        value = out.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            try:
                out[key] = json.loads(value, parse_constant=_refuse_constant)
            except (ValueError, RecursionError):
                pass  # not JSON: the text as written
    return out
