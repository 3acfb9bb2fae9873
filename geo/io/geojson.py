"""GeoJSON event files.

A GeoJSON file holds the table :func:`geo.write_events` writes (nested fields as
JSON text, read back by :mod:`geo.io.rows`), or features whose properties are the
YAML fields. Its geometries are read here and then go through the checks every
geometry a file carries goes through (:mod:`geo.io.geometry`: types, emptiness,
degrees, reprojection; invalid polygons kept as given).

What reaches the map is checked first, and every refusal names the file, the
record (``feature 3 ('a')``) and the field:

- GeoJSON positions are two or three numbers (an altitude is read and dropped),
  lines have two positions or more, polygon rings four or more and are closed.
  ``NaN``/``Infinity``, which Python's json would accept, are refused, and so
  are keys given twice in one object.
- ``"geometry": null`` (or no geometry) means "place it by its ``place``", as
  in any other file; a GeometryCollection is refused (one event, one kind of
  shape).
- coordinates in another CRS (an old-style GeoJSON ``crs`` member: an EPSG code or
  OGC's CRS84) are reprojected to EPSG:4326.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geo.errors import InputError
from geo.fields import field_path
from geo.io.geometry import CRS_NAME, TYPES_TEXT, checked_or_refused, is_wgs84
from geo.io.messages import describe, first_line
from geo.io.rows import row_record
from geo.io.utf8 import decode_utf8
from geo.model import Event
from geo.schema import parse_event, record_label

__all__ = ["geojson_events"]

#: GeoJSON geometry types, and how many lists deep their coordinates nest.
_DEPTH = {
    "Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3,
    "Polygon": 3, "MultiPolygon": 4,
}  # fmt: skip
# Beyond this an integer has no float (json reads 1e400 as inf, but 10**400 as an int).
_BIG = 2.0**1023


# ------------------------------------------------------------------------------ GeoJSON


def geojson_events(path: Path) -> tuple[list[Event | InputError], list, dict]:
    """Read a GeoJSON FeatureCollection (or one Feature): each feature's event (or the
    :class:`~geo.errors.InputError` that refuses it), the geometries, the metadata."""
    file = str(path)
    data, unreadable = _load_json(path)
    features = _features(data, file)
    crs = _geojson_crs(data, file)
    events: list[Event | InputError] = []
    raws, shapes = [], _Shapes(file)
    for i, feat in enumerate(features, 1):
        try:
            if i - 1 in unreadable:
                raise unreadable[i - 1]
            events.append(_feature_event(feat, i, file))
            record = record_label("feature", i, feat.get("properties"))
            shapes.add(i - 1, feat.get("geometry"), record)
        except InputError as exc:
            events[i - 1 :] = [exc]  # the event, if it was made, or nothing yet
        raws.append(feat.get("geometry") if isinstance(feat, dict) else None)
    geoms = shapes.build(len(features))
    given, refused = checked_or_refused(geoms, crs, _geojson_fail(file, features, raws), file)
    for k, exc in refused.items():
        events[k] = exc
    meta = {k: data[k] for k in ("title", "description", "documents") if k in data}
    return events, list(given), meta


def _feature_event(feat: object, i: int, file: str) -> Event:
    """A feature's event; raises InputError naming the feature."""
    props = feat.get("properties") if isinstance(feat, dict) else None
    record = record_label("feature", i, props)
    if not isinstance(feat, dict):
        raise InputError(
            f"expected a Feature object, got {describe(feat)}", file=file, record=record
        )
    kind = feat.get("type", "Feature")
    if kind != "Feature":
        hint = "; a bare geometry must be wrapped in a Feature" if _is_type(kind) else ""
        raise InputError(
            f"expected 'Feature', got {describe(kind)}{hint}",
            file=file,
            record=record,
            field="type",
        )
    if props is not None and not isinstance(props, dict):
        raise InputError(
            f"expected an object of event fields, got {describe(props)}",
            file=file,
            record=record,
            field="properties",
        )
    raw = row_record(props or {}, file, record)
    return parse_event(raw, file=file, index=i, record="feature")


def _load_json(path: Path) -> tuple[object, dict[int, InputError]]:
    """Parse strictly: UTF-8 (a BOM is allowed), finite numbers, each key once. A
    feature with ``NaN`` or a key given twice is refused alone: the data, and the
    error of each feature refused."""
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
        if len(obj) != len(items):
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
        raise InputError(f"not valid JSON: {first_line(exc)}", file=file) from None
    refused: dict[int, InputError] = {}
    if constants:
        _refuse(data, file, refused, lambda v: type(v) is _NonFinite,
                lambda v, where: f"expected a finite number, got {v}")  # fmt: skip
    if twice:
        keys = {id(obj): key for obj, key in twice}
        _refuse(
            data,
            file,
            refused,
            lambda v: id(v) in keys,
            lambda v, where: (
                f"key {keys[id(v)]!r} given twice in one object; expected each key "
                "once (which one is meant cannot be told)"
            ),
            key=lambda v: keys[id(v)],
        )
    return data, refused


def _refuse(
    data: object,
    file: str,
    refused: dict[int, InputError],
    test: Callable[[object], bool],
    reason: Callable[[object, list], str],
    key: Callable[[object], str] | None = None,
) -> None:
    """Each feature holding a value that passes ``test`` is refused (its first one);
    such a value outside the features is the file's error, and raised."""
    features = data.get("features") if isinstance(data, dict) else None
    if isinstance(features, list) and data.get("type") == "FeatureCollection":
        rest = {k: v for k, v in data.items() if k != "features"}
        for i, feat in enumerate(features):
            found = _find(feat, test)
            if found is not None and i not in refused:
                refused[i] = _error(data, file, ["features", i, *found[0]], found[1], reason, key)
    else:
        rest = data
    found = _find(rest, test)
    if found is not None:
        raise _error(data, file, found[0], found[1], reason, key)


def _error(data, file, where, value, reason, key) -> InputError:
    path = [*where, key(value)] if key else where
    record, field = _located(data, path)
    return InputError(reason(value, where), file=file, record=record, field=field)


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
                f"expected a list of features, got {describe(features)}",
                file=file,
                field="features",
            )
        if kind is not None:
            raise InputError(
                f"expected a GeoJSON FeatureCollection, got type {describe(kind)}",
                file=file,
                field="type",
            )
    raise InputError(f"expected a GeoJSON FeatureCollection, got {describe(data)}", file=file)


def _geojson_crs(data: object, file: str) -> pyproj.CRS | None:
    """The CRS an old-style (2008) ``crs`` member names; RFC 7946 has none (longitude/latitude)."""
    crs = data.get("crs") if isinstance(data, dict) else None
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    m = CRS_NAME.fullmatch(name) if isinstance(crs, dict) and isinstance(name, str) else None
    if m is None or crs.get("type") != "name":
        raise InputError(
            'expected a named CRS such as {"type": "name", "properties": {"name": '
            '"urn:ogc:def:crs:EPSG::3857"}}, or none (longitude/latitude), '
            f"got {describe(crs)}",
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
    return None if is_wgs84(found) else found


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
            raise fail("", f"expected a GeoJSON geometry object or null, got {describe(geom)}")
        kind = geom.get("type")
        if kind == "GeometryCollection":
            raise fail(".type", f"GeometryCollection is not supported; expected one {TYPES_TEXT}")
        if not _is_type(kind):
            raise fail(".type", f"expected {TYPES_TEXT}, got {describe(kind)}")
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
        sizes = len(positions), [len(o) for o in offsets]  # to undo a refused geometry
        try:
            if depth == 1:
                if not _is_position(coords):
                    raise _Bad("", _expected_position(coords))
                positions.append(coords)
            else:
                _flatten(coords, depth, kind, "", positions, offsets)
        except _Bad as bad:
            del positions[sizes[0] :]
            for o, n in zip(offsets, sizes[1], strict=True):
                del o[n:]
            raise fail(f".coordinates{bad.where}", bad.reason) from None
        members.append(i)

    def build(self, n: int) -> np.ndarray:
        out = np.full(n, None, dtype=object)
        for kind, (members, positions, offsets) in self.parts.items():
            if not members:  # every geometry of this type was refused
                continue
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
        raise _Bad(where, f"expected a list of {_WHAT[depth]}, got {describe(value)}")
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
                f"ring not closed: it starts at {describe(value[0])} and ends "
                f"at {describe(value[-1])}; expected the last position to repeat the "
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
    return f"expected a position [longitude, latitude], got {describe(p)}"


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
