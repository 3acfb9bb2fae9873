"""The page data the filters read: each event's filter fields, rich and compact
alike, the regions events lie in, the FilterBlock's options and counts, and the
time steps (maps/filters.py, maps/layers/admin.py, maps/page.py ``_timeline``).

Every expected value is worked out here from the events frame with pandas (or
geopandas, for the regions), never written down.
"""

from __future__ import annotations

import base64
import gzip
import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from test_golden import data_blocks

import geo
import maps
import maps.labels
from geo.model import PRECISIONS
from maps.filters import AGGREGATES, NO_DAY, event_fields
from maps.layers.admin import COAST_DEGREES, Regions
from maps.page import time_unit

ROOT = Path(__file__).resolve().parents[2]
ACLED = ROOT / "tests" / "data" / "exports" / "acled"
FATAL_UNITS = ("fatalities", "dead", "deaths", "killed")


@pytest.fixture(scope="module")
def acled(tmp_path_factory, synthetic):
    """A 3,000-row ACLED export (Ukraine and Russia), as read."""
    path = tmp_path_factory.mktemp("acled") / "synthetic.csv"
    synthetic.write_csv(synthetic.make_acled(3000, seed=3), path)
    return geo.read_events(path)


@pytest.fixture(scope="module")
def acled_compact(acled):
    """The page data of its compact map."""
    return data_blocks(maps.EventMap(acled, layer="compact").html())


@pytest.fixture(scope="module")
def acled_blocks(acled):
    """The page data of its default map (rich: a few thousand events), aggregated by region."""
    return data_blocks(maps.EventMap(acled, aggregate="region").html())


@pytest.fixture(scope="module")
def acled_small():
    """The real-shaped fixtures, one frame (current and 2020 layouts)."""
    frames = [
        geo.read_events(ACLED / name) for name in ("current_2024.csv", "export_2020_global.csv")
    ]
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- expected values


def expected(frame: pd.DataFrame) -> pd.DataFrame:
    """Each event's filter fields, by id, worked out from the frame with pandas."""
    end = frame["date_end"].fillna(frame["date_start"])
    end_ms = (end + pd.Timedelta(days=1) - pd.Timestamp("1970-01-01")) // pd.Timedelta(
        milliseconds=1
    ) - 1
    places = frame["places"]
    fatal = frame["quantities"].map(
        lambda qs: next((q.value for q in qs if any(w in q.unit for w in FATAL_UNITS)), None)
    )
    sub = frame["sub_event_type"] if "sub_event_type" in frame else pd.Series(None, frame.index)
    out = pd.DataFrame(
        {
            "id": frame["id"].astype(str),
            "kind": frame["kind"].astype(str),
            "end": [None if pd.isna(e) else int(e) for e in end_ms],
            "end_day": [NO_DAY if pd.isna(e) else (e - pd.Timestamp("1970-01-01")).days
                        for e in end],
            "sub_type": [None if pd.isna(s) else s for s in sub],
            "actor_names": [list(a) for a in frame["actors"]],
            "country": places.map(lambda ps: next((p.country for p in ps if p.country), None)),
            "fatalities": [None if pd.isna(v) else float(v) for v in fatal],
            "place_precision": [None if pd.isna(p) else p for p in frame["place_precision"]],
        },
        dtype=object,
    )  # fmt: skip
    return out.set_index("id")


def event_features(blocks: dict) -> dict[str, dict]:
    """Every rich event feature of a page, bundle members included, by id."""
    out = {}
    for layer in blocks["event_layer"]:
        for f in layer["features"]:
            for member in f.get("members", [f]):
                if member["kind"] not in ("front_region", "source"):
                    out[member["id"]] = member
    return out


def _b64(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def _column(column: dict, n: int) -> list:
    if column["bytes"] == 0:  # one value for every event: [None, v], or [None] (missing)
        return [column["values"][1] if len(column["values"]) == 2 else None] * n
    codes = _b64(column["codes"], f"<u{column['bytes']}")
    return [column["values"][c] for c in codes.tolist()]


def compact_rows(blocks: dict) -> pd.DataFrame:
    """Every compact layer's events, decoded as the page decodes them, by id."""
    frames = []
    for layer in blocks["event_layer"]:
        for c in layer["compact"]:
            n = c["n"]
            text = json.loads(gzip.decompress(base64.b64decode(c["text"])))
            frames.append(
                pd.DataFrame(
                    {
                        "id": text["id"],
                        "end_day": _b64(c["end"], "<i4"),
                        "fatalities": _b64(c["fatalities"], "<f4").astype(float),
                        **{k: _column(c["dict"][k], n) for k in (
                            "kind", "sub_type", "country", "region", "place_precision")},
                        "actor_names": [None if a is None else json.loads(a)
                                        for a in _column(c["dict"]["actor_names"], n)],
                    }
                )
            )  # fmt: skip
    return pd.concat(frames, ignore_index=True).set_index("id")


def sjoin_regions(frame: pd.DataFrame) -> pd.Series:
    """The region of each point event by a geopandas spatial join: of the
    regions it touches, one of its own country first, then the first by id;
    else the nearest within COAST_DEGREES."""
    own = expected(frame)["country"]
    countries = sorted(own.dropna().unique())
    regions = (
        geo.default_gazetteer().regions(countries=countries).sort_values("id")
        .reset_index(drop=True)
    )  # fmt: skip
    points = gpd.GeoDataFrame(
        {"id": frame["id"].to_numpy(), "own": own.loc[frame["id"]].to_numpy()},
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )
    hit = gpd.sjoin(points, regions[["id", "iso2", "geometry"]], predicate="intersects", how="left")
    hit["other"] = hit["iso2"] != hit["own"]
    hit = hit.sort_values(["id_left", "other", "index_right"]).drop_duplicates("id_left")
    out = hit.set_index("id_left")["id_right"]
    missing = out[out.isna()].index
    if len(missing):
        # In degrees, as the page data measures it (COAST_DEGREES).
        warnings.filterwarnings("ignore", "Geometry is in a geographic CRS", UserWarning)
        near = gpd.sjoin_nearest(
            points[points["id"].isin(missing)], regions[["id", "geometry"]],
            max_distance=COAST_DEGREES, how="inner",
        ).drop_duplicates("id_left")  # fmt: skip
        out.loc[near["id_left"]] = near["id_right"].to_numpy()
    return out.where(out.notna(), None)


# --------------------------------------------------------------------------- per event


@pytest.mark.parametrize("source", ["seed", "acled_small"])
def test_rich_features_carry_the_filter_fields(source, seed_events, acled_small):
    frame = seed_events if source == "seed" else acled_small
    blocks = data_blocks(maps.EventMap(frame, layer="rich").html())
    features = event_features(blocks)
    want = expected(frame)
    assert sorted(features) == sorted(want.index)
    for id_, row in want.iterrows():
        f = features[id_]
        for key in ("kind", "end", "sub_type", "actor_names", "country", "fatalities",
                    "place_precision"):  # fmt: skip
            assert f[key] == row[key], (id_, key)
    # Place features (front regions, sources) are not events: they carry none.
    places = [f for layer in blocks["event_layer"] for f in layer["features"]
              if f["kind"] in ("front_region", "source")]  # fmt: skip
    assert bool(places) == (source == "seed")  # the seed cites sources and front regions
    assert not any("region" in f or "end" in f for f in places)


def test_compact_layers_carry_the_filter_fields(acled, acled_compact):
    got = compact_rows(acled_compact)
    want = expected(acled)
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    assert got["end_day"].tolist() == want["end_day"].tolist()
    for key in ("kind", "sub_type", "country", "place_precision"):
        assert got[key].tolist() == want[key].tolist(), key
    assert got["actor_names"].tolist() == [a or None for a in want["actor_names"]]
    fat = want["fatalities"].astype(float)
    np.testing.assert_array_equal(got["fatalities"].to_numpy(), fat.to_numpy(dtype=np.float32))
    regions = sjoin_regions(acled)
    assert got["region"].tolist() == regions.loc[want.index].tolist()


def test_a_column_of_one_value_sends_no_codes(acled, acled_compact):
    """A layer's kind is one value for each of its events: it costs the value,
    not a code per event (maps/contract.py, DictionaryColumn)."""
    for layer in acled_compact["event_layer"]:
        for c in layer["compact"]:
            kind = c["dict"]["kind"]
            assert kind["bytes"] == 0 and kind["codes"] == ""
            assert kind["values"] == [None, layer["key"].removeprefix("kind:")]
    ids = [i for layer in acled_compact["event_layer"] for c in layer["compact"]
           for i in json.loads(gzip.decompress(base64.b64decode(c["text"])))["id"]]  # fmt: skip
    assert len(ids) == len(acled)


@pytest.mark.parametrize(
    ("values", "want"),
    [
        (["UA", "UA", "UA"], ([None, "UA"], 0)),
        (["UA", None, "UA"], ([None, "UA"], 1)),  # one value, but not every event's
        ([None, None], ([None], 0)),
        ([], ([None], 0)),
        (["UA", "RU", "UA"], ([None, "UA", "RU"], 1)),
    ],
)
def test_dictionary_columns_keep_codes_only_when_events_differ(values, want):
    from maps.layers.compact import _dictionary

    got = _dictionary(values)
    assert (got["values"], got["bytes"]) == want
    assert _column(got, len(values)) == values
    if got["bytes"] == 0:
        assert got["codes"] == ""


def test_every_overlay_names_its_layer_key(acled, acled_compact):
    keys = [layer["key"] for layer in acled_compact["event_layer"]]
    wanted = {f"kind:{k}" for k in acled["kind"].unique()}
    assert set(keys) == wanted and len(keys) == len(set(keys))


# --------------------------------------------------------------------------- regions


@pytest.mark.parametrize(
    ("town", "region"),
    [("Kharkiv", "Kharkiv Oblast"), ("Kursk", "Kursk Oblast"), ("Odesa", "Odesa Oblast"),
     ("Mariupol", "Donetsk Oblast")],
)  # fmt: skip
def test_a_town_lies_in_its_region(town, region):
    gaz = geo.default_gazetteer()
    t, r = gaz.geocode(town), gaz.geocode(region)
    assert r.kind == "region"
    regions = Regions([t.country])
    assert regions.at(np.array([t.lon]), np.array([t.lat])).tolist() == [r.id]


def test_a_point_in_two_outlines_takes_its_own_countrys():
    # Outlines simplified one by one overlap in slivers along the border.
    regions = Regions(["RU", "UA"])
    shapes = regions.frame.set_index("id").geometry
    sliver = shapes["ne:UA-63"].intersection(shapes["ne:RU-BEL"])
    assert not sliver.is_empty
    p = sliver.representative_point()
    lon, lat = np.array([round(p.x, 4)]), np.array([round(p.y, 4)])
    assert regions.at(lon, lat, ["UA"]).tolist() == ["ne:UA-63"]
    assert regions.at(lon, lat, ["RU"]).tolist() == ["ne:RU-BEL"]


def test_points_off_every_region_and_not_finite_have_none():
    regions = Regions(["UA"])
    # The Black Sea far from the coast, and a missing point.
    got = regions.at(np.array([32.0, np.nan]), np.array([43.5, 50.0]))
    assert got.tolist() == [None, None]


def test_regions_of_the_seed_events(seed_events):
    fields = event_fields(seed_events)
    frame = seed_events.reset_index(drop=True)
    flows = frame.geometry.geom_type.isin(["LineString", "MultiLineString"]).to_numpy()
    assert not any(fields.region[flows])
    coarse = frame["place_precision"].isin(["country", "area"]).to_numpy()
    assert not any(fields.region[coarse])
    # An event placed at the region it names is in that region.
    named = frame["places"].map(lambda ps: next((p.id for p in ps if p.kind == "region"), None))
    at_region = (frame["place_precision"] == "admin1").to_numpy()
    assert at_region.any()
    assert fields.region[at_region].tolist() == named[at_region].tolist()


# --------------------------------------------------------------------------- the FilterBlock


def _counts(values) -> list[tuple[str, int]]:
    counts = pd.Series(values, dtype=object).dropna().value_counts()
    return sorted(((str(k), int(c)) for k, c in counts.items()), key=lambda kc: (-kc[1], kc[0]))


def test_filter_block_counts_are_the_datas(acled, acled_blocks, acled_compact):
    block = acled_blocks["filters"][0]
    # The same options whichever way the events are drawn.
    assert acled_compact["filters"][0] == {**block, "aggregate": "points"}
    want = expected(acled)
    assert block["total"] == len(acled)
    assert block["aggregate"] == "region" and block["aggregate"] in AGGREGATES
    assert sorted((k["id"], k["count"]) for k in block["kinds"]) == sorted(
        acled["kind"].value_counts().items()
    )
    legend = [layer["name"] for layer in acled_blocks["event_layer"]]
    assert [k["layer"] for k in block["kinds"]] == sorted(
        (k["layer"] for k in block["kinds"]), key=legend.index
    )
    assert [(s["value"], s["count"]) for s in block["sub_types"]] == _counts(
        acled["sub_event_type"]
    )
    actors = want["actor_names"].map(lambda a: list(dict.fromkeys(a))).explode()
    assert [(a["value"], a["count"]) for a in block["actors"]] == _counts(actors)
    assert [(c["id"], c["count"]) for c in block["countries"]] == _counts(want["country"])
    names = {c["id"]: c["name"] for c in block["countries"]}
    assert names["UA"] == "Ukraine" and names["RU"] == "Russia"
    regions = sjoin_regions(acled)
    assert [(r["id"], r["count"]) for r in block["regions"]] == _counts(regions)
    table = geo.default_gazetteer().regions(countries=["RU", "UA"]).set_index("id")
    for r in block["regions"]:
        assert (r["name"], r["country"]) == (table.at[r["id"], "name"], table.at[r["id"], "iso2"])
    precisions = want["place_precision"].value_counts()
    assert [(p["id"], p["count"]) for p in block["precisions"]] == [
        (p, int(precisions[p])) for p in PRECISIONS if p in precisions
    ]
    fat = want["fatalities"].dropna()
    assert block["fatalities"] == {"max": float(fat.max()), "count": len(fat)}


def test_filter_block_shapes_are_the_regions_with_events(acled_blocks):
    block = acled_blocks["filters"][0]
    shapes = block["shapes"]
    assert shapes["type"] == "FeatureCollection"
    ids = [f["properties"]["id"] for f in shapes["features"]]
    assert ids == sorted(r["id"] for r in block["regions"])
    names = {r["id"]: r["name"] for r in block["regions"]}
    assert all(f["properties"]["name"] == names[f["properties"]["id"]] for f in shapes["features"])
    coords = np.array(
        [c for f in shapes["features"] for c in _coordinates(f["geometry"]["coordinates"])]
    )
    np.testing.assert_array_equal(coords, np.round(coords, 3))


def _coordinates(nested):
    if isinstance(nested[0], (int, float)):
        yield nested
    else:
        for item in nested:
            yield from _coordinates(item)


def test_options_the_data_lacks_are_empty(seed_events):
    block = data_blocks(maps.EventMap(seed_events).html())["filters"][0]
    assert block["sub_types"] == []  # the seed has no sub-types
    assert block["total"] == len(seed_events)
    assert [p["id"] for p in block["precisions"]] == [
        p for p in PRECISIONS if p in set(seed_events["place_precision"].dropna())
    ]


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [("2024-03-05", "2024-04-20", "day"), ("2024-01-10", "2024-11-30", "week"),
     ("2022-02-24", "2025-06-30", "month"), ("1980-01-01", "2024-06-30", "year")],
)  # fmt: skip
def test_time_steps_cover_the_dates_in_their_unit(seed_events, first, last, unit):
    frame = seed_events.copy()
    dated = frame["date_start"].notna()
    # Spread the seed's dated events from `first` to `last`, each a day long.
    days = pd.date_range(first, last, periods=int(dated.sum())).normalize()
    frame.loc[dated, "date_start"] = days
    frame.loc[dated, "date_end"] = days
    block = maps.EventMap(frame)._timeline()
    assert block["unit"] == unit == time_unit(pd.Timestamp(first), pd.Timestamp(last))
    assert block["undated"] == int((~dated).sum())
    steps = pd.DataFrame(block["steps"])
    ms = pd.Timedelta(milliseconds=1)
    t0 = pd.to_datetime(steps["t0"], unit="ms")
    assert steps["t0"].iloc[0] <= (pd.Timestamp(first) - pd.Timestamp(0)) // ms
    assert (
        steps["t1"].iloc[-1]
        >= (pd.Timestamp(last) + pd.Timedelta(days=1) - pd.Timestamp(0)) // ms - 1
    )
    assert (steps["t0"].iloc[1:].to_numpy() == steps["t1"].iloc[:-1].to_numpy() + 1).all()
    fmt = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[unit]
    assert steps["token"].tolist() == t0.dt.strftime(fmt).tolist()
    if unit == "week":
        assert (t0.dt.day_of_week == 0).all()
    if unit == "month":
        assert steps["label"].tolist() == [maps.labels.month_label(t, short=True) for t in t0]


def test_time_runs_to_the_last_end(seed_events):
    block = maps.EventMap(seed_events)._timeline()
    last = seed_events["date_end"].max()
    assert block["steps"][-1]["token"] == last.strftime("%Y-%m")


# --------------------------------------------------------------------------- determinism


def test_same_events_same_bytes(acled_small):
    a = maps.EventMap(acled_small, layer="compact").html()
    b = maps.EventMap(acled_small.copy(), layer="compact").html()
    assert a == b


def test_filter_options_are_the_block_without_its_shapes(seed_events):
    from maps.filters import filter_block, filter_options

    m = maps.EventMap(seed_events)
    layers = m._layers
    block = filter_block(m._frame, layers)
    options = filter_options(m._frame, layers.fields, drawn=layers.drawn, specs=layers.specs,
                             layers=[data.spec.key for data in layers])  # fmt: skip
    assert options == {k: v for k, v in block.items() if k not in ("aggregate", "shapes")}


def test_filter_options_of_a_frame_alone_name_its_kinds_as_the_page(seed_events):
    from maps.filters import filter_block, filter_options

    m = maps.EventMap(seed_events)
    page = {k["id"]: k["label"] for k in filter_block(m._frame, m._layers)["kinds"]}
    alone = filter_options(seed_events)
    assert {k["id"]: k["label"] for k in alone["kinds"]} == page
    assert alone["total"] == len(seed_events)  # every event, none left out
