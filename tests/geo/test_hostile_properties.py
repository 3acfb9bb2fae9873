"""Property tests for the readers (issue #8): whatever the bytes or the structure, a
reader gives a frame or an InputError, never another exception.

Examples stay small (a few events, short texts) so that each test runs in a second
or two; the number of examples is the hypothesis profile's.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import InputError, parse_event, read_events

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text of every kind: any code point (lone surrogates and NUL included), and words the
#: readers look for.
TEXT = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(codec=None), max_size=6),
    st.sampled_from(["", " ", "2025-02-30", "1500-01-01", "2262", "-5", "1e400", "nan", "inf",
                     "Moscow", "Kursk Oblast", "statement", "Battles", "_", "?!", "\x00", "\ud800",
                     "x" * 10_050, "12,000", "about", "2024-06", "50.1", "-200"]),
)  # fmt: skip
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**300, max_value=10**400),
    st.floats(), TEXT,
)  # fmt: skip
#: Any JSON-like structure, nested a few levels.
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)
FIELDS = ["id", "kind", "title", "date", "end_date", "description", "actors", "place", "origin",
          "via", "destination", "quantities", "sources", "confidence", "status", "notes"]  # fmt: skip
PLACE = st.one_of(
    TEXT, st.fixed_dictionaries({"name": TEXT}, optional={"lat": VALUE, "lon": VALUE,
                                                          "country": VALUE, "approximate": VALUE}),
)  # fmt: skip
QUANTITY = st.fixed_dictionaries(
    {"value": VALUE, "unit": VALUE}, optional={"qualifier": VALUE, "low": VALUE, "high": VALUE}
)
#: Events that look like events (so that parsing goes deep), with any value anywhere.
EVENT = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "e-1"]) | TEXT, "kind": TEXT, "title": TEXT},
    optional={
        **dict.fromkeys(set(FIELDS) - {"id", "kind", "title"}, VALUE),
        "place": PLACE | st.lists(PLACE, max_size=2),
        "quantities": st.lists(QUANTITY, max_size=2),
        "sources": st.lists(TEXT | st.fixed_dictionaries({"name": TEXT}, optional={
            "claim": VALUE, "date": VALUE, "url": VALUE, "place": VALUE}), max_size=2),
        "date": TEXT | VALUE,
        "origin": PLACE, "destination": PLACE, "via": st.lists(PLACE, max_size=2),
    },
)  # fmt: skip


def frame_or_input_error(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"events{suffix}"
        path.write_bytes(content)
        try:
            frame = read_events(path)
        except InputError as exc:
            text = str(exc)
            assert text.startswith(str(path)) and "\n" not in text and len(text) < 1_000, text
        else:
            assert isinstance(frame.attrs["truncated"], list)
            assert all(isinstance(t, str) for t in frame.attrs["truncated"])


# --------------------------------------------------------------------------- YAML

#: Pieces of YAML syntax, put together at random: anchors, aliases, merges, tags, flows.
YAML_PIECES = st.sampled_from([
    "- ", "  ", "\n", "{", "}", "[", "]", ", ", ": ", "&a ", "&b ", "*a", "*b", "<<: ", "!!set ",
    "!!binary ", "!!timestamp ", "!!int ", "!!float ", "!!python/object ", "? ", "---\n", "...\n",
    "id: a", "kind: x", "title: t", "sources: [s]", "place: Moscow", "date: ", "2025-02-30",
    "1500-01-01", "2024-06-19 10:00:00", '"\\ud800"', '"\\0"', "'x'", "|\n  x\n", "1" + "0" * 5000,
    "0x1F", "1:30", ".nan", "-.inf", "~", "null", "yes", "events: ", "%YAML 1.1\n", "#c\n",
])  # fmt: skip


@SETTINGS
@given(st.lists(YAML_PIECES, max_size=30).map("".join))
def test_yaml_from_pieces(text):
    frame_or_input_error(text.encode("utf-8", "surrogatepass"), ".yaml")


@SETTINGS
@given(st.binary(max_size=200))
def test_yaml_any_bytes(data):
    frame_or_input_error(data, ".yaml")


@SETTINGS
@given(st.one_of(st.lists(EVENT, max_size=3), st.fixed_dictionaries(
    {"events": st.lists(EVENT, max_size=3)},
    optional={"title": VALUE, "description": VALUE, "documents": VALUE},
), VALUE))  # fmt: skip
def test_yaml_any_structure(data):
    frame_or_input_error(yaml.safe_dump(data, allow_unicode=False).encode(), ".yaml")


@SETTINGS
@given(EVENT | VALUE)
def test_parse_event_any_structure(raw):
    # What the GeoJSON and GeoParquet readers hand to parse_event.
    try:
        parse_event(raw, file="f.geojson", index=1)
    except InputError as exc:
        assert str(exc).startswith("f.geojson: event 1")


@SETTINGS
@given(st.lists(EVENT, max_size=3))
def test_geojson_any_properties(events):
    features = [{"type": "Feature", "geometry": None, "properties": e} for e in events]
    text = json.dumps({"type": "FeatureCollection", "features": features})
    frame_or_input_error(text.encode("utf-8", "surrogatepass"), ".geojson")


# --------------------------------------------------------------------------- CSV

CSV_HEADER = ["id", "kind", "title", "date", "place", "lat", "lon", "actors", "value", "unit",
              "qualifier", "source", "claim", "notes"]  # fmt: skip
ACLED_HEADER = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                "actor2", "country", "admin1", "location", "latitude", "longitude",
                "geo_precision", "fatalities", "notes", "source"]  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _rows(header: list[str], ragged: bool = True):
    width = len(header)
    sizes = st.integers(width - 2, width + 1) if ragged else st.just(width)
    return st.lists(sizes.flatmap(lambda n: st.lists(TEXT, min_size=n, max_size=n)), max_size=4)


@SETTINGS
@given(st.sampled_from([CSV_HEADER, ACLED_HEADER, ACLED_HEADER + ["notes"]]), st.data())
def test_csv_any_text_in_every_field(header, data):
    rows = data.draw(_rows(header, ragged=data.draw(st.booleans())))
    frame_or_input_error(_csv(header, rows), ".csv")


@SETTINGS
@given(st.sampled_from([CSV_HEADER, ACLED_HEADER]), st.binary(max_size=200))
def test_csv_any_bytes_after_a_header(header, data):
    frame_or_input_error(",".join(header).encode() + b"\n" + data, ".csv")


@SETTINGS
@given(st.binary(max_size=200))
def test_csv_any_bytes(data):
    frame_or_input_error(data, ".csv")
