"""GeoJSON and GeoParquet readers on hostile and malformed input: a map, or one located error.

Every refusal is an :class:`geo.InputError` reading ``file: record: field: reason``; nothing
else escapes :func:`geo.read_events`, and no file decodes into more than it should.
"""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from geo import InputError, read_events, write_events

PROPS = {"id": "a", "kind": "statement", "title": "t", "sources": ["s"]}


def _fc(*features, **members) -> dict:
    return {"type": "FeatureCollection", "features": list(features), **members}


def _feature(geometry, properties=PROPS) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _pt(*coords) -> dict:
    return {"type": "Point", "coordinates": list(coords)}


def _write(tmp_path, data, name="x.geojson"):
    f = tmp_path / name
    if isinstance(data, bytes):
        f.write_bytes(data)
    else:
        f.write_text(data if isinstance(data, str) else json.dumps(data))
    return f


def _refused(f) -> InputError:
    """The error a strict read raises. A lax read raises it too (the file's own fault), or
    skips the record it names: its first rejection says the same, and nothing is lost."""
    with pytest.raises(InputError) as info:
        read_events(f, strict=True)
    err = info.value
    try:
        events = read_events(f)
    except InputError as lax:
        assert str(lax) == str(err)
    else:
        assert err.record is not None, err
        assert str(events.attrs["rejected"][0]) == str(err)
        assert len(events) + len(events.attrs["rejected"]) == events.attrs["records"]
    return err


def _located(err: InputError, f, record, field, reason):
    assert (err.file, err.record, err.field) == (str(f), record, field)
    assert reason in err.reason, err.reason
    assert str(err).isprintable()  # one line: no line break of any kind (U+2028, U+0085...)


SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def _text_fc(geometry: str, properties: str = json.dumps(PROPS), twice: str = "") -> str:
    """A FeatureCollection as text, for what json.dumps would never write."""
    feature = f'{{"type":"Feature","geometry":{geometry},{twice}"properties":{properties}}}'
    return f'{{"type":"FeatureCollection","features":[{feature}]}}'


# Each malformed GeoJSON: the record, the field and the words of the one error it gives.
GEOJSON_CASES = {
    "unknown type": (
        _fc(_feature({"type": "Blob", "coordinates": [1, 2]})),
        "feature 1 ('a')", "geometry.type", "expected Point, LineString, Polygon, MultiPoint, MultiLineString or MultiPolygon, got 'Blob'",
    ),
    "type a list": (
        _fc(_feature({"type": ["Point"], "coordinates": [1, 2]})),
        "feature 1 ('a')", "geometry.type", "got [\"Point\"]",
    ),
    "feature a string": (_fc(_feature(_pt(1, 2)), "hello"), "feature 2", None, "expected a Feature object, got 'hello'"),
    "feature a number": (_fc(3), "feature 1", None, "expected a Feature object, got 3"),
    "feature null": (_fc(None), "feature 1", None, "expected a Feature object, got null"),
    "feature a list": (_fc([1, 2]), "feature 1", None, "expected a Feature object, got [1, 2]"),
    "feature a bare geometry": (_fc(_pt(1, 2)), "feature 1", "type", "expected 'Feature', got 'Point'; a bare geometry must be wrapped in a Feature"),
    "one-point line": (
        _fc(_feature({"type": "LineString", "coordinates": [[1, 2]]})),
        "feature 1 ('a')", "geometry.coordinates", "expected a line of at least 2 positions, got 1",
    ),
    "line in a multiline with one point": (
        _fc(_feature({"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[1, 2]]]})),
        "feature 1 ('a')", "geometry.coordinates[1]", "expected a line of at least 2 positions, got 1",
    ),
    "ring of 3 positions": (
        _fc(_feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]})),
        "feature 1 ('a')", "geometry.coordinates[0]", "expected a ring of at least 4 positions, got 3",
    ),
    "unclosed ring": (
        _fc(_feature({"type": "Polygon", "coordinates": [SQUARE[:-1]]})),
        "feature 1 ('a')", "geometry.coordinates[0]", "ring not closed: it starts at [0, 0] and ends at [0, 1]",
    ),
    "unclosed hole in a multipolygon": (
        _fc(_feature({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE, SQUARE[:-1]]]})),
        "feature 1 ('a')", "geometry.coordinates[1][1]", "ring not closed",
    ),
    "position of 1 number": (_fc(_feature(_pt(1))), "feature 1 ('a')", "geometry.coordinates", "expected a position [longitude, latitude], got [1]"),
    "position of 4 numbers": (_fc(_feature(_pt(1, 2, 3, 4))), "feature 1 ('a')", "geometry.coordinates", "got [1, 2, 3, 4]"),
    "coordinates strings": (_fc(_feature(_pt("1", "2"))), "feature 1 ('a')", "geometry.coordinates", 'got ["1", "2"]'),
    "coordinates bools": (_fc(_feature(_pt(True, False))), "feature 1 ('a')", "geometry.coordinates", "got [true, false]"),
    "coordinates a string": (
        _fc(_feature({"type": "Point", "coordinates": "1,2"})),
        "feature 1 ('a')", "geometry.coordinates", "got '1,2'",
    ),
    "bad position inside a line": (
        _fc(_feature({"type": "LineString", "coordinates": [[1, 2], [3, "4"]]})),
        "feature 1 ('a')", "geometry.coordinates[1]", 'got [3, "4"]',
    ),
    "ring not a list": (
        _fc(_feature({"type": "Polygon", "coordinates": [1, 2]})),
        "feature 1 ('a')", "geometry.coordinates[0]", "expected a list of positions, got 1",
    ),
    "integer beyond floats": (
        _fc(_feature(_pt(10**400, 2))),
        "feature 1 ('a')", "geometry.coordinates", "expected a position [longitude, latitude], got [100000",
    ),
    "coordinates nested 500 deep": (
        _fc(_feature({"type": "Point", "coordinates": json.loads("[" * 500 + "1" + "]" * 500)})),
        "feature 1 ('a')", "geometry.coordinates", "expected a position",
    ),
    "line breaks in a value": (
        _fc(_feature(_pt("a\u2028b\x85c\u202e", 1))),
        "feature 1 ('a')", "geometry.coordinates", 'got ["a\\u2028b\\x85c\\u202e", 1]',
    ),
    "a line break in a key": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
        '"properties":{"id":"a","kind":"statement","title":"t","sources":["s"],"x\\nkey":NaN}}]}',
        "feature 1 ('a')", "properties['x\\nkey']", "got NaN",
    ),
    "properties a list": (_fc(_feature(_pt(1, 2), [1, 2])), "feature 1", "properties", "expected an object of event fields, got [1, 2]"),
    "properties a string": (_fc(_feature(_pt(1, 2), "x")), "feature 1", "properties", "got 'x'"),
    "features an object": ({"type": "FeatureCollection", "features": {"a": 1}}, None, "features", 'expected a list of features, got an object {"a": 1}'),
    "bare geometry": (_pt(1, 2), None, "type", "expected a GeoJSON FeatureCollection, got a bare Point geometry"),
    "a list": ([1, 2], None, None, "expected a GeoJSON FeatureCollection, got [1, 2]"),
    "TopoJSON": ({"type": "Topology", "objects": {}}, None, "type", "got type 'Topology'"),
    "latitude 95": (_fc(_feature(_pt(30, 95))), "feature 1 ('a')", "geometry.coordinates", "expected longitude -180..180 and latitude -90..90, got [30, 95]"),
    "longitude 200": (_fc(_feature(_pt(200, 10))), "feature 1 ('a')", "geometry.coordinates", "got [200, 10]"),
    "longitude 200 in a polygon's hole": (
        _fc(_feature({"type": "Polygon", "coordinates": [SQUARE, [[0, 0], [200, 0], [1, 1], [0, 0]]]})),
        "feature 1 ('a')", "geometry.coordinates[1][1]", "got [200, 0]",
    ),
    "GeometryCollection": (
        _fc(_feature({"type": "GeometryCollection", "geometries": [_pt(1, 2)]})),
        "feature 1 ('a')", "geometry.type", "GeometryCollection is not supported",
    ),
    "empty point": (_fc(_feature(_pt())), "feature 1 ('a')", "geometry.coordinates", "an empty geometry; expected at least one position"),
    "empty line": (_fc(_feature({"type": "LineString", "coordinates": []})), "feature 1 ('a')", "geometry.coordinates", "an empty geometry"),
    "empty polygon in a multipolygon": (
        _fc(_feature({"type": "MultiPolygon", "coordinates": [[SQUARE], []]})),
        "feature 1 ('a')", "geometry.coordinates[1]", "empty polygon; expected at least one ring",
    ),
    "no coordinates": (_fc(_feature({"type": "Point"})), "feature 1 ('a')", "geometry.coordinates", "no coordinates"),
    "geometry an empty object": (_fc(_feature({})), "feature 1 ('a')", "geometry.type", "got null"),
    "geometry a string": (_fc(_feature("POINT (1 2)")), "feature 1 ('a')", "geometry", "expected a GeoJSON geometry object or null, got 'POINT (1 2)'"),
    "crs by link": (
        _fc(_feature(_pt(1, 2)), crs={"type": "link", "properties": {"href": "file:///etc/passwd"}}),
        None, "crs", "expected a named CRS",
    ),
    "crs a PROJ string": (
        _fc(_feature(_pt(1, 2)), crs={"type": "name", "properties": {"name": "+proj=longlat +init=/etc/passwd"}}),
        None, "crs", "expected a named CRS",
    ),
    "crs of unknown code": (
        _fc(_feature(_pt(1, 2)), crs={"type": "name", "properties": {"name": "EPSG:999999"}}),
        None, "crs", "unknown CRS 'EPSG:999999'",
    ),
    "title a list": (_fc(_feature(_pt(1, 2)), title=[1, 2]), None, "title", "expected a text, got list [1, 2]"),
    "documents a string": (_fc(_feature(_pt(1, 2)), documents="x"), None, "documents", "expected a list of {id, name}, got 'x'"),
    "places not JSON": (
        _fc(_feature(_pt(1, 2), {**PROPS, "places": "[oops"})),
        "feature 1 ('a')", "places", "expected a list of places with a name (JSON text, as write_events writes), got '[oops'",
    ),
    "places without a name": (
        _fc(_feature(_pt(1, 2), {**PROPS, "places": [{"id": "point:x"}]})),
        "feature 1 ('a')", "places", 'got [{"id": "point:x"}]',
    ),
    "places of numbers": (_fc(_feature(_pt(1, 2), {**PROPS, "places": [1, 2]})), "feature 1 ('a')", "places", "got [1, 2]"),
    # Text, not built from a mapping: what json.dumps would never write.
    "NaN coordinate": (
        _text_fc('{"type":"Point","coordinates":[NaN, 1]}'),
        "feature 1 ('a')", "geometry.coordinates[0]", "expected a finite number, got NaN",
    ),
    "Infinity coordinate": (
        _text_fc('{"type":"Point","coordinates":[-Infinity, 1]}'),
        "feature 1 ('a')", "geometry.coordinates[0]", "got -Infinity",
    ),
    "NaN in properties": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
        '"properties":{"id":"a","kind":"statement","title":"t","sources":["s"],"confidence":NaN}}]}',
        "feature 1 ('a')", "properties.confidence", "got NaN",
    ),
    "NaN in a member": ('{"type":"FeatureCollection","features":[],"bbox":[NaN]}', None, "bbox[0]", "got NaN"),
    "key twice": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
        '"properties":{"id":"a","kind":"statement","id":"b","title":"t","sources":["s"]}}]}',
        "feature 1 ('b')", "properties.id", "key 'id' given twice in one object",
    ),
    "geometry twice": (
        _text_fc(json.dumps(_pt(1, 2)), twice=f'"geometry":{json.dumps(_pt(3, 4))},'),
        "feature 1 ('a')", "geometry", "key 'geometry' given twice",
    ),
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "line 1 column 501", None, "nested too deeply"),
    "not JSON": ('{"type": "FeatureCollection",\n "features": [}', "line 2 column 15", None, "not valid JSON: Expecting value"),
    "empty file": ("", "line 1 column 1", None, "not valid JSON"),
    "integer of 5,000 digits": ('{"a": ' + "1" * 5000 + "}", None, None, "not valid JSON: Exceeds the limit (4300 digits)"),
    "UTF-16": (json.dumps(_fc()).encode("utf-16"), None, None, "expected UTF-8 text, got UTF-16 (save the file as UTF-8)"),
    "random bytes": (bytes(range(128, 256)), "line 1", None, "expected UTF-8 text, found byte 0x80 (invalid start byte)"),
}  # fmt: skip


@pytest.mark.parametrize(("data", "record", "field", "reason"), list(GEOJSON_CASES.values()),
                         ids=list(GEOJSON_CASES))  # fmt: skip
def test_malformed_geojson_is_one_located_error(tmp_path, data, record, field, reason):
    f = _write(tmp_path, data)
    _located(_refused(f), f, record, field, reason)


def test_error_path_reaches_the_position(tmp_path):
    line = [[0, 0], [1, 1], [2, 2], [3, 95]]
    f = _write(tmp_path, _fc(_feature(_pt(1, 2)), _feature({"type": "LineString", "coordinates": line},
                                                            {**PROPS, "id": "b"})))  # fmt: skip
    _located(_refused(f), f, "feature 2 ('b')", "geometry.coordinates[3]", "got [3, 95]")


def test_a_single_feature_is_one_event(tmp_path):
    f = _write(tmp_path, _feature(_pt(36.2, 51.7)))
    ev = read_events(f)
    assert list(ev["id"]) == ["a"] and ev.geometry[0].equals(shapely.Point(36.2, 51.7))


def test_a_byte_order_mark_is_allowed(tmp_path):
    f = _write(tmp_path, b"\xef\xbb\xbf" + json.dumps(_fc(_feature(_pt(1, 2)))).encode())
    assert read_events(f).geometry[0].equals(shapely.Point(1, 2))


def test_null_or_missing_geometry_is_placed_by_its_place(tmp_path):
    placed = {**PROPS, "place": "Pyongyang"}
    missing = {"type": "Feature", "properties": {**placed, "id": "b"}}
    f = _write(tmp_path, _fc(_feature(None, placed), missing))
    ev = read_events(f, strict=True)
    assert [g.geom_type for g in ev.geometry] == ["Point", "Point"]
    assert ev.loc[0, "places"][0].name == "Pyongyang"


def test_an_altitude_is_read_and_dropped(tmp_path):
    line = {"type": "LineString", "coordinates": [[1, 2, 100], [3, 4]]}
    f = _write(tmp_path, _fc(_feature(_pt(1, 2, 3)), _feature(line, {**PROPS, "id": "b"})))
    ev = read_events(f)
    assert ev.geometry[0].equals(shapely.Point(1, 2)) and not ev.geometry[0].has_z
    assert ev.geometry[1].equals(shapely.LineString([(1, 2), (3, 4)]))


def test_a_self_intersecting_polygon_is_kept_as_drawn(tmp_path):
    bowtie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    f = _write(tmp_path, _fc(_feature({"type": "Polygon", "coordinates": [bowtie]})))
    ev = read_events(f)
    assert ev.geometry[0].equals_exact(shapely.Polygon(bowtie), 0)
    assert ev.loc[0, "lat"] is not None  # the anchor is still found


def test_every_geometry_type_in_one_file(tmp_path):
    hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]
    geoms = [
        _pt(1, 2),
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[5, 6], [7, 8], [9, 9]]]},
        {"type": "Polygon", "coordinates": [SQUARE, hole]},
        {"type": "MultiPolygon", "coordinates": [[SQUARE, hole], [[[5, 5], [6, 5], [6, 6], [5, 5]]]]},
        {"type": "Point", "coordinates": [3, 4]},
    ]  # fmt: skip
    f = _write(tmp_path, _fc(*[_feature(g, {**PROPS, "id": f"e{i}"}) for i, g in enumerate(geoms)]))
    ev = read_events(f)
    assert [g.__geo_interface__ for g in ev.geometry] == [
        shapely.geometry.shape(g).__geo_interface__ for g in geoms
    ]


def test_an_old_style_crs_is_reprojected(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    x, y = gpd.GeoSeries([shapely.Point(37.6, 55.75)], crs=4326).to_crs(3857)[0].coords[0]
    f = _write(tmp_path, _fc(_feature(_pt(x, y)), crs=crs))
    (point,) = read_events(f).geometry
    assert (point.x, point.y) == pytest.approx((37.6, 55.75))


@pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"])
def test_an_old_style_crs_of_degrees_changes_nothing(tmp_path, name):
    crs = {"type": "name", "properties": {"name": name}}
    f = _write(tmp_path, _fc(_feature(_pt(30.5, 50.45)), crs=crs))
    assert read_events(f).geometry[0].equals(shapely.Point(30.5, 50.45))


def test_an_old_style_crs_outside_its_area_is_refused(tmp_path):
    crs = {"type": "name", "properties": {"name": "EPSG:32636"}}
    f = _write(tmp_path, _fc(_feature(_pt(500000, 2e7)), crs=crs))
    _located(_refused(f), f, "feature 1 ('a')", "geometry.coordinates",
             "[500000, 20000000] is outside the area EPSG:32636 covers")  # fmt: skip


def test_many_features(tmp_path):
    n = 5000
    rng = np.random.default_rng(0)
    lons, lats = rng.uniform(-180, 180, n), rng.uniform(-90, 90, n)
    feats = [
        _feature(_pt(x, y), {**PROPS, "id": f"e{i}"})
        for i, (x, y) in enumerate(zip(lons, lats, strict=True))
    ]
    ev = read_events(_write(tmp_path, _fc(*feats)))
    assert len(ev) == n
    assert np.array_equal(
        shapely.get_coordinates(ev.geometry.values), np.column_stack([lons, lats])
    )


@pytest.mark.parametrize("depth", [1000, 3000])
def test_coordinates_nested_deeply_are_one_located_error(tmp_path, depth):
    # Python's json gives up at a depth that depends on its version (1,000 on 3.11, more on
    # 3.13); either it does, or the coordinates are not a position: one located line.
    f = _write(
        tmp_path, _text_fc('{"type":"Point","coordinates":' + "[" * depth + "]" * depth + "}")
    )
    err = _refused(f)
    if (err.record or "").startswith("line 1 column "):
        _located(err, f, err.record, None, "lists or objects nested too deeply")
    else:
        _located(err, f, "feature 1 ('a')", "geometry.coordinates", "expected a position")


@pytest.mark.parametrize(
    "case", ["feature a string", "NaN coordinate", "nested 100,000 deep", "longitude 200"]
)
def test_cli_gives_one_line_and_exit_2(tmp_path, case):
    data, record, field, reason = GEOJSON_CASES[case]
    f = _write(tmp_path, data)
    out = tmp_path / "out.html"
    r = subprocess.run([sys.executable, "-m", "maps.cli", "render", str(f), "-o", str(out),
                        "--strict"], capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2, r.stderr
    (line,) = r.stderr.strip().splitlines()
    where = ": ".join(p for p in (str(f), record, field) if p)
    assert line.startswith(f"eventmap: error: {where}: ") and reason in line
    assert not out.exists()


# ---------------------------------------------------------------------------- GeoParquet

POINTS = gpd.GeoSeries([shapely.Point(37.6, 55.75), shapely.Point(30.5, 50.45)], crs=4326)
FIELDS = {"id": ["a", "b"], "kind": ["statement"] * 2, "title": ["t"] * 2, "sources": ['["s"]'] * 2}


def _parquet(tmp_path, geoms, crs, name="x.parquet", **columns):
    f = tmp_path / name
    gpd.GeoDataFrame({**FIELDS, **columns}, geometry=list(geoms), crs=crs).to_parquet(f)
    return f


@pytest.mark.parametrize("crs", [4326, 3857, 32636, 4269, "OGC:CRS84"])
def test_parquet_in_any_crs_reads_as_degrees(tmp_path, crs):
    f = _parquet(tmp_path, POINTS.to_crs(crs).values, crs)
    ev = read_events(f)
    assert ev.crs.to_epsg() == 4326
    assert np.allclose(shapely.get_coordinates(ev.geometry.values), [[37.6, 55.75], [30.5, 50.45]])


def test_parquet_without_crs_reads_when_in_degrees(tmp_path):
    f = _parquet(tmp_path, POINTS.values, None)
    assert np.allclose(shapely.get_coordinates(read_events(f).geometry.values)[0], [37.6, 55.75])


def test_parquet_without_crs_in_metres_is_refused(tmp_path):
    f = _parquet(tmp_path, POINTS.to_crs(3857).values, None)
    _located(_refused(f), f, "row 1 ('a')", "geometry",
             "the file has no CRS and [4185612.854, 7508807.851] is not longitude/latitude")  # fmt: skip


def test_parquet_round_trip_keeps_a_polygon_as_written(seed_events, tmp_path):
    back = read_events(write_events(seed_events, tmp_path / "seed.parquet"))
    assert back.geometry.geom_equals_exact(seed_events.geometry, tolerance=0).all()


def _replace_geometry(tmp_path, values, type=None, name="x.parquet"):
    """A GeoParquet file whose geometry column holds ``values`` (metadata untouched)."""
    src = _parquet(tmp_path, POINTS.values, 4326, name="src.parquet")
    table = pq.read_table(src)
    i = table.schema.get_field_index("geometry")
    table = table.set_column(i, "geometry", pa.array(values, type or pa.binary()))
    f = tmp_path / name
    pq.write_table(table.replace_schema_metadata(pq.read_schema(src).metadata), f)
    return f


def _with_geo_metadata(tmp_path, geo: bytes):
    src = _parquet(tmp_path, POINTS.values, 4326, name="src.parquet")
    table = pq.read_table(src)
    f = tmp_path / "x.parquet"
    pq.write_table(table.replace_schema_metadata({b"geo": geo}), f)
    return f


UNCLOSED_WKB = shapely.to_wkb(shapely.Polygon(SQUARE))[:-16] + shapely.Point(0, 1).wkb[5:]


@pytest.mark.parametrize(
    ("make", "record", "field", "reason"),
    [
        (lambda p: _parquet(p, [shapely.Point(), POINTS[1]], 4326), "row 1 ('a')", "geometry", "empty geometry"),
        (lambda p: _parquet(p, [POINTS[0], shapely.from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)")], 4326),
         "row 2 ('b')", "geometry", "empty geometry (or an empty part)"),
        (lambda p: _parquet(p, [POINTS[0], shapely.GeometryCollection([POINTS[0]])], 4326), "row 2 ('b')", "geometry", "GeometryCollection is not supported"),
        (lambda p: _parquet(p, [shapely.Point(np.nan, 2), POINTS[1]], 4326), "row 1 ('a')", "geometry", "expected finite numbers, got [nan, 2]"),
        (lambda p: _parquet(p, [POINTS[0], shapely.LineString([(0, 0), (1, np.inf)])], 4326), "row 2 ('b')", "geometry",
         "expected finite numbers, got [1, inf] (position 2 of the LineString)"),
        (lambda p: _parquet(p, [shapely.Point(200, 2), POINTS[1]], 4326), "row 1 ('a')", "geometry", "expected longitude -180..180 and latitude -90..90, got [200, 2]"),
        (lambda p: _parquet(p, [shapely.Point(500000, 2e7), POINTS[1]], 32636), "row 1 ('a')", "geometry",
         "[500000, 20000000] is outside the area EPSG:32636 covers"),
        (lambda p: _parquet(p, [shapely.Point(3e7, 1e7), POINTS[1]], 3857), "row 1 ('a')", "geometry", "outside the area EPSG:3857 covers"),
        (lambda p: _parquet(p, [shapely.Point(1e9, 1e9), POINTS[1]], 32636), "row 1 ('a')", "geometry", "[1000000000, 1000000000] is outside"),
        (lambda p: _replace_geometry(p, [1, 2], pa.int64()), None, "geometry", "expected geometries as WKB (binary), got a column of int64"),
        (lambda p: _replace_geometry(p, [POINTS[0].wkb, b"junk"]), "row 2", "geometry", "not a readable geometry (WKB): ParseException"),
        (lambda p: _replace_geometry(p, [UNCLOSED_WKB, POINTS[0].wkb]), "row 1", "geometry", "do not form a closed linestring"),
        (lambda p: _with_geo_metadata(p, b"{not json"), None, None, "GeoParquet 'geo' metadata is not valid JSON"),
        (lambda p: _with_geo_metadata(p, b'{"primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB", "crs": NaN}}}'),
         None, None, "not valid JSON: expected finite numbers, got NaN"),
        (lambda p: _with_geo_metadata(p, b"[1, 2]"), None, None, "names no primary geometry column"),
        (lambda p: _with_geo_metadata(p, b'{"primary_column": "g", "columns": {"g": {}}}'), None, None, "names geometry column 'g', which the file does not have"),
        (lambda p: _with_geo_metadata(p, b'{"primary_column": "geometry", "columns": {"geometry": {"encoding": "point"}}}'),
         None, "geo.columns.geometry.encoding", "geometries encoded as 'point' are not supported"),
        (lambda p: _with_geo_metadata(p, b'{"primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB", "crs": "+proj=longlat +init=/etc/passwd"}}}'),
         None, "geo.columns.geometry.crs", "not a CRS PROJ knows"),
        (lambda p: _with_geo_metadata(p, b'{"primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB", "crs": 5}}}'),
         None, "geo.columns.geometry.crs", "expected the CRS as PROJJSON, got 5"),
    ],
    ids=["empty", "empty part", "GeometryCollection", "NaN", "infinity in a line", "longitude 200", "UTM northing off the globe",
         "3857 wraps", "UTM far away", "geometry ints", "junk WKB", "unclosed ring WKB", "geo not JSON", "geo NaN", "geo a list",
         "geo names a missing column", "geoarrow encoding", "crs a PROJ string", "crs a number"],
)  # fmt: skip
def test_malformed_geoparquet_is_one_located_error(tmp_path, make, record, field, reason):
    f = make(tmp_path)
    _located(_refused(f), f, record, field, reason)


def _wkt_naming(path) -> str:
    return (
        'GEOGCS["x",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
        'UNIT["degree",0.0174532925199433],EXTENSION["PROJ4","+proj=longlat +ellps=WGS84 '
        f'+nadgrids={path} +no_defs"]]'
    )


def _with_crs(tmp_path, crs):
    geo = {"primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB", "crs": crs}}}
    return _with_geo_metadata(tmp_path, json.dumps(geo).encode())


_DEGREES_CS = {
    "subtype": "ellipsoidal",
    "axis": [
        {"name": "Longitude", "abbreviation": "lon", "direction": "east", "unit": "degree"},
        {"name": "Latitude", "abbreviation": "lat", "direction": "north", "unit": "degree"},
    ],
}
_WGS84_DATUM = {
    "type": "GeodeticReferenceFrame",
    "name": "World Geodetic System 1984",
    "ellipsoid": {
        "name": "WGS 84",
        "semi_major_axis": 6378137,
        "inverse_flattening": 298.257223563,
    },
}
#: A valid PROJJSON CRS whose transformation makes PROJ open the grid file GRID names.
PROJJSON_WITH_A_GRID = {
    "type": "BoundCRS",
    "source_crs": {
        "type": "GeographicCRS",
        "name": "x",
        "datum": _WGS84_DATUM,
        "coordinate_system": _DEGREES_CS,
    },
    "target_crs": {
        "type": "GeographicCRS",
        "name": "WGS 84",
        "datum": _WGS84_DATUM,
        "coordinate_system": _DEGREES_CS,
    },
    "transformation": {
        "name": "t",
        "method": {"name": "NTv2"},
        "parameters": [{"name": "Latitude and longitude difference file", "value": "GRID"}],
    },
}
_GEOGCRS = (
    'GEOGCRS["{}",DATUM["d",ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2],'
    'AXIS["lon",east,ANGLEUNIT["degree",0.0174532925199433]],AXIS["lat",north,ANGLEUNIT["degree",0.0174532925199433]]]'
)
#: A valid WKT2 CRS whose transformation makes PROJ open the grid file GRID names.
WKT2_WITH_A_GRID = (
    f"BOUNDCRS[SOURCECRS[{_GEOGCRS.format('x')}],TARGETCRS[{_GEOGCRS.format('WGS 84')}],"
    'ABRIDGEDTRANSFORMATION["t",METHOD["NTv2"],PARAMETERFILE["Latitude and longitude difference file","GRID"]]]'
)  # fmt: skip


@pytest.mark.parametrize(
    ("crs", "what"),
    [
        (lambda p: _wkt_naming(p), "EXTENSION"),
        (lambda p: _wkt_naming(p).replace("EXTENSION", "extension"), "EXTENSION"),
        (lambda p: WKT2_WITH_A_GRID.replace("GRID", str(p)), "PARAMETERFILE"),
        (lambda p: f"+proj=longlat +nadgrids={p}", "a PROJ string"),
        (lambda p: json.loads(json.dumps(PROJJSON_WITH_A_GRID).replace("GRID", str(p))), "a parameter of text value"),
        (lambda p: {**PROJJSON_WITH_A_GRID, "transformation": {"parameter_file": str(p)}}, "a key 'parameter_file'"),
    ],
    ids=["WKT1 EXTENSION", "lowercase", "WKT2 PARAMETERFILE", "PROJ string", "PROJJSON file parameter", "PROJJSON file key"],
)  # fmt: skip
def test_a_crs_that_names_a_file_is_refused_before_proj_opens_it(tmp_path, crs, what):
    missing = tmp_path / "no such grid.gsb"
    f = _with_crs(tmp_path, crs(missing))
    err = _refused(f)
    _located(err, f, None, "geo.columns.geometry.crs", "not a CRS PROJ knows without opening files")
    assert what in err.reason, err.reason
    assert "File not found" not in str(err) and "reproject" not in str(err)


def test_a_crs_that_names_an_existing_file_says_no_more(tmp_path):
    """The refusal is the same whether the named file exists or not."""
    there = tmp_path / "grid.gsb"
    there.write_bytes(b"x")
    found = _refused(_with_crs(tmp_path, _wkt_naming(there))).reason
    missing = _refused(_with_crs(tmp_path, _wkt_naming(tmp_path / "none.gsb"))).reason
    assert found == missing


def test_a_plain_parquet_table_is_refused(tmp_path):
    f = tmp_path / "x.parquet"
    pq.write_table(pa.table({**FIELDS, "lat": [1.0, 2.0], "lon": [3.0, 4.0]}), f)
    _located(
        _refused(f), f, None, None, "a plain Parquet table, without GeoParquet's 'geo' metadata"
    )


@pytest.mark.parametrize("cut", [0, 4, 100, -10, -1])
def test_a_truncated_parquet_file_is_refused(tmp_path, cut):
    whole = _parquet(tmp_path, POINTS.values, 4326, name="whole.parquet").read_bytes()
    f = tmp_path / "x.parquet"
    f.write_bytes(whole[:cut] if cut > 0 else whole[: len(whole) + cut] if cut else b"")
    assert "Parquet" in _refused(f).reason


def test_random_bytes_are_not_parquet(tmp_path):
    f = tmp_path / "x.parquet"
    f.write_bytes(np.random.default_rng(0).bytes(5000))
    _located(_refused(f), f, None, None, "not a Parquet file: Parquet magic bytes not found")


def test_index_and_lists_read_as_plain_values(tmp_path):
    frame = gpd.GeoDataFrame(
        {**FIELDS, "actors": [["x", "y"], ["z"]]}, geometry=list(POINTS), crs=4326
    )
    f = tmp_path / "x.parquet"
    frame.set_index("title", drop=False).rename_axis("label").to_parquet(f)
    ev = read_events(f)
    assert list(ev["actors"]) == [["x", "y"], ["z"]]
    assert "label" not in ev.attrs and all("label" not in c for c in ev.columns)


def _bomb(f, rows: int, text: str = "a"):
    """Every row the same, dictionary-encoded: a small file that decodes to ``rows`` rows."""
    index = pa.array(np.zeros(rows, dtype=np.int32))
    columns = {"id": "a", "kind": "statement", "title": text, "sources": '["s"]'}
    table = pa.table({
        **{k: pa.DictionaryArray.from_arrays(index, [v]) for k, v in columns.items()},
        "geometry": pa.DictionaryArray.from_arrays(index, pa.array([POINTS[0].wkb], pa.binary())),
    })  # fmt: skip
    geo = pq.read_schema(_parquet(f.parent, POINTS.values, 4326, name="src.parquet")).metadata
    pq.write_table(table.replace_schema_metadata({b"geo": geo[b"geo"]}), f, compression="zstd")
    return f


def test_many_rows_from_a_small_file_are_refused_before_decoding(tmp_path):
    f = _bomb(tmp_path / "x.parquet", 10_000_000)
    assert f.stat().st_size < 1_000_000
    err = _refused(f)
    _located(err, f, None, None, "10,000,000 rows of 5 columns")
    assert "expected at most 100 times the file's size once decoded" in err.reason


def test_long_texts_repeated_from_a_small_file_are_refused_before_decoding(tmp_path):
    f = _bomb(tmp_path / "x.parquet", 100_000, text="x" * 1000)
    assert f.stat().st_size < 100_000
    _located(_refused(f), f, None, None, "bytes once decoded, from a file of")


@pytest.mark.parametrize(("column", "field"), [("title", "title"), ("no\ntes", "no\\ntes")])
def test_a_text_column_of_invalid_utf8_is_refused_by_row(tmp_path, column, field):
    src = pq.read_table(_parquet(tmp_path, POINTS.values, 4326, name="src.parquet"))
    offsets = pa.py_buffer(np.array([0, 1, 3], np.int32).tobytes())
    texts = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(b"t\xff\xfe")])
    f = tmp_path / "x.parquet"
    at = src.schema.get_field_index(column)  # title replaced, or a column added
    pq.write_table(
        src.set_column(at, column, texts) if at >= 0 else src.append_column(column, texts), f
    )
    _located(_refused(f), f, "row 2", field, "expected UTF-8 text, got byte 0xff at offset 0")


def test_a_footer_at_odds_with_its_own_statistics_is_refused(tmp_path):
    # The 'notes' column made required (repetition_type 0) while its statistics count nulls:
    # pyarrow 26 aborts the process, past any except, when asked for the column's metadata.
    data = _parquet(tmp_path, POINTS.values, 4326, notes=["x", None]).read_bytes()
    optional = b"\x25\x02\x18\x05notes"
    assert data.count(optional) == 1
    f = tmp_path / "x.parquet"
    f.write_bytes(data.replace(optional, b"\x25\x00\x18\x05notes"))
    _located(_refused(f), f, None, None, "not a readable Parquet file")


def test_every_byte_of_a_damaged_data_page_reads_or_is_an_input_error(tmp_path):
    # One byte of a dictionary-encoded page overwritten: among others, indices beyond the
    # dictionary, which Arrow reads without a word.
    frame = gpd.GeoDataFrame({**FIELDS, "notes": ["x", "y"]}, geometry=list(POINTS), crs=4326)
    frame.to_parquet(tmp_path / "src.parquet", compression=None)
    data = (tmp_path / "src.parquet").read_bytes()
    md = pq.ParquetFile(tmp_path / "src.parquet").metadata
    (chunk,) = [md.row_group(0).column(c) for c in range(md.num_columns)
                if md.row_group(0).column(c).path_in_schema == "notes"]  # fmt: skip
    f = tmp_path / "x.parquet"
    for at in range(
        chunk.data_page_offset, chunk.dictionary_page_offset + chunk.total_compressed_size
    ):
        for byte in (0x08, 0xFF):
            f.write_bytes(data[:at] + bytes([byte]) + data[at + 1 :])
            try:
                read_events(f)
            except InputError as exc:
                assert str(exc).isprintable()
