"""Property tests: whatever a GeoJSON or GeoParquet file holds, reading it gives an events
frame (finite coordinates, in degrees) or an :class:`geo.InputError` on one line; never
another exception.

Kept to a few seconds; a local run with ``max_examples`` in the thousands found the bugs
these guard against (a text column of invalid UTF-8, a dictionary index out of range).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo
from geo import InputError

KEYS = ["type", "features", "geometry", "properties", "coordinates", "id", "kind", "title",
        "sources", "place", "places", "crs", "name", "geometries", "origin", "destination", "via",
        "quantities", "date", "documents", "actors", "lat", "lon"]  # fmt: skip
scalars = (
    st.none() | st.booleans() | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), kids, max_size=4)
    ),
    max_leaves=15,
)
number = st.floats(-190, 190) | st.integers(-190, 190)
position = st.lists(number, min_size=2, max_size=2)
ring = st.lists(position, min_size=3, max_size=6).map(lambda r: [*r, r[0]])
COORDINATES = {
    "Point": position,
    "MultiPoint": st.lists(position, min_size=1, max_size=4),
    "LineString": st.lists(position, min_size=2, max_size=5),
    "MultiLineString": st.lists(st.lists(position, min_size=2, max_size=4), min_size=1, max_size=3),
    "Polygon": st.lists(ring, min_size=1, max_size=2),
    "MultiPolygon": st.lists(st.lists(ring, min_size=1, max_size=2), min_size=1, max_size=2),
}
well_formed = st.one_of(
    [st.fixed_dictionaries({"type": st.just(t), "coordinates": c}) for t, c in COORDINATES.items()]
)
malformed = st.fixed_dictionaries(
    {"type": st.sampled_from([*COORDINATES, "GeometryCollection", "Blob"]) | json_values},
    optional={
        "coordinates": st.recursive(
            number | scalars, lambda k: st.lists(k, max_size=5), max_leaves=25
        ),
        "geometries": st.lists(well_formed, max_size=2),
    },
)
place = st.sampled_from(["Pyongyang", "Kursk", "Xyzzy"]) | json_values
properties = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
        "kind": st.sampled_from(["statement", "deployment", "supply"]),
        "title": st.text(min_size=1, max_size=10),
        "sources": st.just(["s"]),
    },
    optional={
        "place": place, "origin": place, "destination": place, "date": json_values,
        "places": json_values | st.just('[{"name": "p", "id": "point:1", "lat": 1, "lon": 2}]'),
    },
)  # fmt: skip
feature = (
    st.fixed_dictionaries({
        "type": st.just("Feature"),
        "geometry": st.none() | well_formed | malformed | json_values,
        "properties": properties | json_values,
    })
    | json_values
)  # fmt: skip
crs = st.sampled_from(["EPSG:3857", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:32636", "x"]).map(
    lambda name: {"type": "name", "properties": {"name": name}}
)
document = (
    st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(feature, max_size=5)},
        optional={"crs": crs | json_values, "title": json_values, "documents": json_values},
    )
    | feature
)


def _unique_ids(doc):
    """One id per feature: a repeated id is an error of its own, tested elsewhere."""
    features = doc.get("features") if isinstance(doc, dict) else None
    for i, feat in enumerate(features if isinstance(features, list) else []):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            props["id"] += f"-{i}"
    return doc


def _frame_or_input_error(path: Path) -> None:
    try:
        frame = geo.read_events(path)
    except InputError as exc:
        assert str(exc).isprintable()  # one line: no line break of any kind
        return
    xy = shapely.get_coordinates(frame.geometry.values)
    assert np.isfinite(xy).all()
    assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture])  # fmt: skip


@FAST
@given(doc=document.map(_unique_ids))
def test_any_geojson_structure_reads_or_is_an_input_error(scratch, doc):
    f = scratch / "x.geojson"
    f.write_text(json.dumps(doc))  # NaN and Infinity as Python's json writes them
    _frame_or_input_error(f)


# Bytes, and text made of JSON's pieces: the reader meets broken syntax and deep nesting.
TOKENS = ["{", "}", "[", "]", ":", ",", '"features"', '"type"', '"Feature"', '"geometry"',
          '"coordinates"', '"properties"', "null", "1", "-1e999", "NaN", "Infinity", '"x"', "\ufeff"]  # fmt: skip
json_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
brackets = st.integers(0, 3000).map(lambda n: "[" * n + "]" * n)


@FAST
@given(data=st.binary(max_size=300) | (json_soup | brackets).map(str.encode))
def test_any_bytes_as_geojson_read_or_are_an_input_error(scratch, data):
    f = scratch / "x.geojson"
    f.write_bytes(data)
    _frame_or_input_error(f)


def _framed(body: bytes, footer: bytes) -> bytes:
    """Bytes framed as Parquet is (magic, data, footer, its length, magic): read past the
    magic, into the footer's decoding."""
    return b"PAR1" + body + footer + len(footer).to_bytes(4, "little") + b"PAR1"


@FAST
@given(
    data=st.binary(max_size=2000)
    | st.builds(_framed, st.binary(max_size=300), st.binary(max_size=300))
)
def test_any_bytes_as_parquet_read_or_are_an_input_error(scratch, data):
    f = scratch / "x.parquet"
    f.write_bytes(data)
    _frame_or_input_error(f)


@pytest.fixture(scope="module")
def geoparquet(seed_events, scratch) -> bytes:
    return geo.write_events(seed_events.head(6), scratch / "seed.parquet").read_bytes()


# Derandomized: the same files every run, so a crash inside pyarrow (which no Python code
# can catch) would show on every run, not once in a while.
@settings(FAST, derandomize=True)
@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=8), cut=st.none() | st.floats(0, 1))  # fmt: skip
def test_a_damaged_geoparquet_file_reads_or_is_an_input_error(scratch, geoparquet, edits, cut):
    data = bytearray(geoparquet)
    for where, byte in edits:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    f = scratch / "damaged.parquet"
    f.write_bytes(bytes(data))
    _frame_or_input_error(f)
