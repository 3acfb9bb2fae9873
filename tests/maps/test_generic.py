"""maps.EventMap(any GeoDataFrame) works as gdf.explore() does."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import maps
from geo import InputError
from maps.generic import as_events, display_value
from maps.style import kind_color


@pytest.fixture
def towns():
    """Points in UTM 36N, with columns of every sort and missing values."""
    return gpd.GeoDataFrame(
        {
            "name": ["Kharkiv", "Sumy", None],
            "population": [1_421_125, 256_474.0, np.nan],
            "founded": pd.to_datetime(["1654-01-01", None, "2024-03-04 10:30"], format="ISO8601"),
            "tags": [["oblast centre", "border"], [], None],
            "oblast": ["Kharkiv", "Sumy", "Kharkiv"],
            "capital": [True, False, True],
        },
        geometry=[
            shapely.Point(x, y)
            for x, y in [(298000, 5540000), (290000, 5643000), (320000, 5500000)]
        ],  # fmt: skip
        crs="EPSG:32637",
    )


def _features(m):
    return {f["id"]: f for d in m._layers for f in d.features}


def test_any_points_map_as_explore_maps_them(towns):
    m = maps.EventMap(towns)  # no kind, title or sources column: as explore takes it
    html = m.html()
    assert m.summary.layers == {"Features": 3}
    assert m._layers[0].spec.color == "#3388FF"  # one layer, in explore's blue
    f = _features(m)
    expected = towns.to_crs(4326).geometry
    assert f["0"]["lat"] == pytest.approx(expected.iloc[0].y, abs=1e-5)
    assert f["0"]["lon"] == pytest.approx(expected.iloc[0].x, abs=1e-5)
    # Every column but the geometry, as text; missing values left out.
    assert f["0"]["details"] == [
        {"label": "name", "text": "Kharkiv"},
        {"label": "population", "text": "1421125"},
        {"label": "founded", "text": "1654-01-01"},
        {"label": "tags", "text": "oblast centre, border"},
        {"label": "oblast", "text": "Kharkiv"},
        {"label": "capital", "text": "true"},
    ]
    assert [d["label"] for d in f["1"]["details"]] == ["name", "population", "oblast", "capital"]
    assert {"label": "founded", "text": "2024-03-04 10:30"} in f["2"]["details"]
    assert f["0"]["title"] == "Kharkiv" and f["2"]["title"] == "2"  # first text column, or index
    assert "Eventmap.timeControl" not in html  # rows without dates have no time slider
    assert "3 features" in m._subtitle()


def test_columns_for_layers_sizes_popups_and_tooltips(towns):
    m = maps.EventMap(towns, kind="oblast", size="population", popup=["name"], tooltip="name")
    assert m.summary.layers == {"Kharkiv": 2, "Sumy": 1}
    assert {d.spec.label: d.spec.color for d in m._layers} == {
        "Kharkiv": kind_color("Kharkiv"),
        "Sumy": kind_color("Sumy"),
    }
    f = _features(m)
    assert f["0"]["details"] == [{"label": "name", "text": "Kharkiv"}]
    assert f["0"]["value"] == 1_421_125 and f["0"]["unit"] == "population"
    assert f["0"]["radius"] > f["1"]["radius"] > f["2"]["radius"]  # NaN: the smallest
    (scale,) = m._legend()["scales"]
    assert scale["label"].startswith("Circle area ∝ population")


def test_tooltip_of_several_columns_and_popup_true():
    gdf = gpd.GeoDataFrame(
        {"a": ["x", None], "b": [1, 2]}, geometry=[shapely.Point(0, 0), shapely.Point(1, 1)]
    )  # no CRS: taken as EPSG:4326, as explore does
    f = _features(maps.EventMap(gdf, tooltip=["a", "b"], popup=True))
    assert f["0"]["title"] == "x · 1" and f["1"]["title"] == "2"
    assert [d["label"] for d in f["0"]["details"]] == ["a", "b"]


def test_color_besides_kind_colours_each_row(towns):
    m = maps.EventMap(towns, kind="oblast", color="capital")
    f = _features(m)
    assert f["0"]["color"] == f["2"]["color"] != f["1"]["color"]
    labels = [e["label"] for e in m._legend()["entries"]]
    assert labels == ["Kharkiv (2)", "Sumy (1)", "capital: false", "capital: true"]
    compact = maps.EventMap(towns, kind="oblast", color="capital", layer="compact")
    by_layer = {d.spec.label: sorted(c.spec.color for c in d.compact) for d in compact._layers}
    assert by_layer["Kharkiv"] == [f["0"]["color"]]
    assert compact.html()


def test_color_alone_gives_the_layers(towns):
    m = maps.EventMap(towns, color="oblast")
    assert m.summary.layers == {"Kharkiv": 2, "Sumy": 1}


def test_lines_and_polygons_are_drawn_as_they_are():
    gdf = gpd.GeoDataFrame(
        {"what": ["road", "field", "well"]},
        geometry=[
            shapely.LineString([(30, 50), (31, 51)]),
            shapely.box(32, 49, 33, 50),
            shapely.Point(34, 48),
        ],
        crs=4326,
    )
    m = maps.EventMap(gdf, kind="what")
    shapes = {d.spec.label: (d.spec.symbol, [f["shape"] for f in d.features]) for d in m._layers}
    assert shapes == {
        "road": ("line", ["line"]),
        "field": ("area", ["area"]),
        "well": ("circle", ["circle"]),
    }
    line = _features(m)["0"]
    assert line["geom"]["type"] == "LineString" and "route" not in line  # no arrow, no route
    assert m._bounds() == [[48.0, 30.0], [51.0, 34.0]]


def test_same_frame_same_page(towns):
    assert maps.EventMap(towns, kind="oblast").html() == maps.EventMap(towns, kind="oblast").html()


def test_many_points_go_compact():
    n = 5000
    rng = np.random.default_rng(0)
    gdf = gpd.GeoDataFrame(
        {"v": rng.integers(1, 100, n), "k": rng.choice(["a", "b"], n)},
        geometry=gpd.points_from_xy(rng.uniform(30, 40, n), rng.uniform(45, 52, n)),
        crs=4326,
    )
    m = maps.EventMap(gdf, kind="k", size="v")
    assert m.layer == "compact"
    assert sum(len(c) for d in m._layers for c in d.compact) == n
    assert m.html()


def test_options_apply_to_an_events_frame(seed_events):
    m = maps.EventMap(seed_events, kind="confidence")
    assert set(m.summary.layers) <= {"high", "medium", "low", "(none)", "Sources of the claims",
                                     "Front regions"}  # fmt: skip


@pytest.mark.parametrize("option", ["kind", "size", "color", "tooltip", "popup"])
def test_a_missing_column_is_said(towns, option):
    value = ["nope"] if option == "popup" else "nope"
    with pytest.raises(InputError, match=rf"{option}: no column 'nope'; expected one of: name"):
        maps.EventMap(towns, **{option: value})


def test_a_size_column_without_numbers_is_said(towns):
    with pytest.raises(InputError, match="size: column 'oblast' holds no numbers"):
        as_events(towns, size="oblast")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (np.nan, None),
        (pd.NaT, None),
        (pd.NA, None),
        ("", None),
        ("  ", None),
        ("a", "a"),
        (3, "3"),
        (np.int64(3), "3"),
        (2.0, "2"),
        (0.1 + 0.2, "0.3"),
        (1234567.891, "1234568"),
        (float("inf"), "∞"),
        (True, "true"),
        (np.bool_(False), "false"),
        (pd.Timestamp("2024-03-12"), "2024-03-12"),
        (pd.Timestamp("2024-03-12 08:15:30"), "2024-03-12 08:15:30"),
        (dt.date(2024, 3, 12), "2024-03-12"),
        (np.datetime64("2024-03-12"), "2024-03-12"),
        ([1, None, "b"], "1, b"),
        ([], None),
        (np.array([1.5, 2.0]), "1.5, 2"),
        ({"b": 1, "a": [2]}, '{"a": [2], "b": 1}'),
        (shapely.Point(1, 2), "POINT (1 2)"),
    ],
)
def test_values_are_shown_sensibly(value, text):
    assert display_value(value) == text


def test_popup_true_on_an_events_frame_adds_its_other_columns():
    import geo

    events = geo.read_events("tests/data/acled_sample.csv")
    f = _features(maps.EventMap(events, popup=True))["RUS20001"]
    labels = [d["label"] for d in f["details"]]
    assert "admin1" in labels and "Event type" in labels  # its details, then its columns
    assert not {"sources", "places", "quantities", "geometry"} & set(labels)
