"""The embedded basemap (``maps.basemap``) and the opt-in online tiles."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely

import geo
import maps
from geo import InputError, default_gazetteer
from maps.basemap import _MAX_TOWNS, area_of_interest, basemap_layers, tile_layer, town_zooms


def _points(lon, lat) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)


@pytest.fixture(scope="module")
def donbas():
    """Events in Donetsk, Kramatorsk, Kharkiv and Kyiv, and the basemap they get."""
    events = _points([37.80, 37.56, 36.25, 30.52], [48.02, 48.72, 49.99, 50.45])
    return events, basemap_layers(events)


def test_the_area_is_the_data_cells_widened_by_a_margin():
    area = area_of_interest(_points([37.8], [48.0]).geometry.values)
    # The 2° cell holding the point (36-38, 48-50), widened by 4° each way.
    assert area.equals(shapely.box(32, 44, 42, 54))
    # A country named as a whole asks for no detail.
    russia = default_gazetteer().countries().set_index("iso2").geometry["RU"]
    assert area_of_interest(np.array([russia])) is None
    assert area_of_interest(np.array([None, shapely.Point()])) is None


def test_regions_are_those_around_the_data_not_only_its_countries(donbas):
    events, (layers, _, _) = donbas
    names = {f["properties"]["name"] for f in layers[1]["features"]}
    regions = default_gazetteer().regions()
    area = area_of_interest(events.geometry.values)
    want = set(regions[regions.intersects(area)]["name"])
    assert names == want
    # Neighbours within the margin (Russia's Belgorod) are drawn, far ones not.
    assert {"Donetsk Oblast", "Kharkiv Oblast", "Belgorod Oblast"} <= names
    assert "Krasnoyarsk Krai" not in names and "Lviv Oblast" not in names


def test_coordinates_are_rounded_and_the_output_is_the_same_twice(donbas):
    events, first = donbas
    assert json.dumps(first) == json.dumps(basemap_layers(events))
    coords = np.concatenate(
        [
            shapely.get_coordinates(shapely.from_geojson(json.dumps(f)))
            for f in first[0][1]["features"]
        ]
    )
    assert np.allclose(coords, np.round(coords, 3), atol=1e-9, rtol=0)


def test_labels_show_countries_always_then_regions_cities_and_towns(donbas):
    events, (_, _, labels) = donbas
    frame = pd.DataFrame(labels)
    assert set(frame["level"]) == {"country", "region", "city", "town"}
    assert frame[frame["level"] == "country"]["zoom"].min() == 0
    assert (frame[frame["level"] == "region"]["zoom"] >= 5).all()
    assert (frame[frame["level"] == "town"]["zoom"] >= 7).all()
    assert (frame[frame["level"] == "city"]["zoom"] <= 6).all()
    # Placing order: countries first, then by the zoom they show from.
    rest = frame[frame["level"] != "country"]
    assert (frame["level"].iloc[: len(frame) - len(rest)] == "country").all()
    assert rest["zoom"].is_monotonic_increasing
    zoom = frame.groupby("text")["zoom"].min()  # Donetsk, and Donetsk (Rostov Oblast)
    assert zoom["Donetsk"] <= 6 and zoom["Kramatorsk"] <= 7
    assert len(frame[frame["level"].isin(["city", "town"])]) <= _MAX_TOWNS


def test_capitals_and_big_cities_in_the_area_are_named_first(donbas):
    events, (_, _, labels) = donbas
    gaz = default_gazetteer()
    area = area_of_interest(events.geometry.values)
    places = pq.read_table(gaz.directory / "places.parquet").to_pandas()
    places = places[
        shapely.contains_xy(area, places["lon"].astype(float), places["lat"].astype(float))
    ]
    capitals = pq.read_table(gaz.directory / "countries.parquet", columns=["capital"])
    capital = places[places["geonameid"].isin(capitals["capital"].to_pylist())]["name"]
    towns = pd.DataFrame([d for d in labels if d["level"] in ("city", "town")])
    towns = towns.groupby("text")["zoom"].min()  # two Donetsks: the city's zoom
    assert len(capital) and all(towns[name] <= 4 for name in capital)  # Kyiv
    big = places[places["population"] >= 500_000]["name"]
    assert all(towns[name] <= 6 for name in big)


def test_town_zooms_keep_a_few_per_screen_cell():
    # Ten towns on one spot, biggest first: two per cell, each from the zoom
    # its size earns (100,000 from 5, 30,000 from 6).
    zoom = town_zooms(
        np.full(10, 30.0), np.full(10, 50.0), np.arange(10, 0, -1) * 10_000, [False] * 10
    )
    assert list(zoom[:2]) == [5, 6] and (zoom[2:] == 0).all()
    # A hamlet of 600 people shows from zoom 9, never as a city.
    assert town_zooms([10.0], [10.0], [600], [False])[0] == 9
    assert town_zooms([10.0], [10.0], [600], [True])[0] == 4


def test_towns_named_twice_nearby_are_named_once(donbas):
    _, (_, _, labels) = donbas
    towns = pd.DataFrame([d for d in labels if d["level"] in ("city", "town")])
    for _, group in towns[towns["text"].duplicated(keep=False)].groupby("text"):
        xy = group[["lon", "lat"]].to_numpy()
        gaps = np.abs(xy[:, None] - xy[None]).max(axis=2)[np.triu_indices(len(xy), 1)]
        assert (gaps >= 1.5).all(), group


# ----------------------------------------------------------------- online tiles


def test_tiles_name_an_xyzservices_provider_with_its_attribution():
    import xyzservices

    provider = xyzservices.providers.query_name("OpenStreetMap.Mapnik")
    layer = tile_layer("OpenStreetMap.Mapnik")
    assert layer.tiles == provider.build_url(fill_subdomain=False, scale_factor="{r}")
    assert layer.options["attribution"] == provider.html_attribution
    assert layer.options["referrerPolicy"] == "strict-origin-when-cross-origin"


def test_an_unknown_provider_is_an_input_error():
    with pytest.raises(InputError, match="no xyzservices provider named 'No.Such'"):
        tile_layer("No.Such")


def test_a_page_with_tiles_names_their_url_and_referrer_policy(seed_events):
    import xyzservices

    url = xyzservices.providers.OpenStreetMap.Mapnik.url
    html = maps.EventMap(seed_events, tiles="OpenStreetMap.Mapnik").html()
    assert url in html and '"referrerPolicy": "strict-origin-when-cross-origin"' in html
    assert "basemap_" not in html  # no embedded basemap block


def test_the_default_page_has_no_tile_layer(seed_events):
    html = maps.EventMap(seed_events).html()
    assert "L.tileLayer" not in html and "tile.openstreetmap" not in html
    assert 'id="basemap_' in html


def test_a_provider_that_needs_an_api_key_is_refused_by_name():
    # CARTO's tiles need a key since 2026 (xyzservices says so): a page asking
    # without one would show error tiles.
    with pytest.raises(InputError, match="CartoDB.Positron needs an API key"):
        tile_layer("CartoDB.Positron")


def test_the_cli_says_openstreetmap_refuses_pages_opened_from_disk(tmp_path, capsys, seed_path):
    from maps.cli import main

    out = tmp_path / "osm.html"
    assert main(["render", str(seed_path), "-o", str(out), "--tiles", "OpenStreetMap.Mapnik"]) == 0
    said = " ".join("".join(capsys.readouterr()).split())
    assert "refuse pages opened from disk" in said and "tiles: OpenStreetMap.Mapnik" in said
    assert main(["render", str(seed_path), "-o", str(out), "--tiles", "Esri.WorldGrayCanvas"]) == 0
    assert "refuse pages opened from disk" not in "".join(capsys.readouterr())


def test_tiles_and_offline_together_are_a_usage_error(tmp_path, seed_path, capsys):
    from maps.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["render", str(seed_path), "--tiles", "OpenTopoMap", "--offline"])
    assert stop.value.code == 2


def test_a_town_on_a_coast_whose_clip_leaves_lines_gets_a_basemap(tmp_path):
    # Makhachkala, on the Caspian: clipping Russia's detailed outline to the
    # area left lines beside the polygons, and GEOS refused the union
    # ("Overlay input is mixed-dimension"), so no default map could be drawn.
    path = tmp_path / "makhachkala.yaml"
    path.write_text(
        "events:\n  - id: a\n    kind: protest\n    title: t\n    date: '2024-03-05'\n"
        "    place: Makhachkala\n    sources: [x]\n",
        encoding="utf-8",
    )
    events = geo.read_events(path)
    layers, _styles, _labels = basemap_layers(events)
    kinds = {f["geometry"]["type"] for f in layers[0]["features"]}
    assert kinds <= {"Polygon", "MultiPolygon"}
    names = {f["properties"]["name"] for f in layers[0]["features"]}
    assert "Russia" in names


def test_an_overlay_leftover_keeps_only_polygons():
    from maps.basemap import _polygonal

    square = shapely.box(0, 0, 1, 1)
    line = shapely.LineString([(2, 2), (3, 3)])
    assert _polygonal(square) is square
    assert _polygonal(shapely.GeometryCollection([square, line])).equals(square)
    assert _polygonal(line).is_empty and shapely.get_type_id(_polygonal(line)) == 3
