"""geo.write_events: each format by its extension, read back by geo.read_events as written,
the same frame giving the same bytes, written atomically, any other extension refused."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import time
import warnings

import geopandas as gpd
import pandas as pd
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely

import geo
from geo import Event, InputError, OutputError, PartialDate, PlaceRef, Quantity, Source
from geo.io.writers import GPKG_LAYER, GPKG_TIMESTAMP, WRITERS
from geo.io.written import written_table_frame

FORMATS = [".gpkg", ".parquet", ".geojson", ".csv"]
#: The analyst columns a real export's reader appends after COLUMNS (ACLED's, say).
ANALYST = ["sub_event_type", "admin2", "civilian_targeting", "tags"]
TITLE = 'Clash at "Koria", Sahel;\nsecond line =SUM(A1) — ünïcødé 🛰'


@pytest.fixture(scope="module")
def frame() -> gpd.GeoDataFrame:
    """Events with every kind of field: points given and named, a flow, dates of each
    precision, figures with ranges, details and flags, and an export's own columns."""
    src = (Source(name="ACLED", claim='1 killed; "reported"', url="https://example.org/a"),)
    events = [
        Event(
            id="BFA1", kind="battles", title=TITLE, kind_label="Battles",
            date=PartialDate.day(dt.date(2024, 3, 12)),
            places=(PlaceRef("Koria", lat=13.1, lon=-1.5, country="BF", approximate=True),),
            actors=("Military Forces of Burkina Faso (2022-)", "JNIM"),
            quantities=(Quantity(3, "fatalities", low=2, high=5),), sources=src,
            details=(("Event type", "Battles: Armed clash"), ("Geo precision", "near the town")),
            flags=("coordinates lie 140 km outside Burkina Faso, the row's country",),
        ),
        Event(
            id="BFA2", kind="protests", title="Protest", date=PartialDate.week(dt.date(2024, 3, 4)),
            places=(PlaceRef("Kursk"),), sources=src, notes="a, b\r\nc",
            details=(("Event type", "Protests"),),
        ),
        Event(
            id="flow-1", kind="deployment", title="Troops", date=PartialDate.month(2024, 10),
            origin=PlaceRef("Pyongyang"), destination=PlaceRef("Kursk Oblast"), sources=src,
        ),
        Event(id="nowhere", kind="statement", title="T", places=(PlaceRef("Xyzzy-not-a-place"),),
              sources=src, date=PartialDate(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year")),
    ]  # fmt: skip
    out = geo.events_frame(events)
    out["sub_event_type"] = ["Armed clash", "Peaceful protest", None, None]
    out["admin2"] = ["Soum", None, None, "=cmd|' /C calc'!A0"]
    out["civilian_targeting"] = [None, "Civilian targeting", None, None]
    out["tags"] = ["crowd size=no report", None, None, None]
    return out


def _written(frame, tmp_path, suffix, name="events"):
    return geo.write_events(frame, tmp_path / f"{name}{suffix}")


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", FORMATS)
def test_seed_round_trip(seed_events, tmp_path, suffix):
    back = geo.read_events(_written(seed_events, tmp_path, suffix))
    assert back.attrs["rejected"] == []
    for col in ("id", "kind", "title", "date", "end_date", "date_precision", "origin",
                "destination", "confidence", "status", "notes"):  # fmt: skip
        assert back[col].tolist() == seed_events[col].tolist(), col
    for col in ("date_start", "date_end"):
        assert back[col].equals(seed_events[col]), col
    for col in ("actors", "via", "quantities", "sources", "places"):  # records, as written
        assert back[col].tolist() == seed_events[col].tolist(), col
    assert all(isinstance(p, geo.Place) for ps in back["places"] for p in ps)
    tolerance = 0 if suffix in (".gpkg", ".parquet") else 1e-12  # text: 17 digits
    assert back.geometry.geom_equals_exact(seed_events.geometry, tolerance=tolerance).all()
    assert set(back.geometry.geom_type) == set(seed_events.geometry.geom_type)


@pytest.mark.parametrize("suffix", FORMATS)
def test_new_columns_and_an_exports_own_come_back(frame, tmp_path, suffix):
    back = geo.read_events(_written(frame, tmp_path, suffix))
    assert back["id"].tolist() == frame["id"].tolist()
    assert back["title"].iloc[0] == TITLE  # quotes, comma, newline, emoji: as written
    assert back["date"].tolist() == ["2024-03-12", "2024-03-04", "2024-10", "2024"]
    assert back["date_precision"].tolist() == ["day", "week", "month", "year"]
    assert back["date_end"].iloc[1] == pd.Timestamp("2024-03-10")  # the week's last day
    assert back["quantities"].iloc[0] == [Quantity(3, "fatalities", low=2, high=5)]
    assert back["details"].tolist() == frame["details"].tolist()
    assert back["flags"].tolist() == frame["flags"].tolist()
    assert back["place_precision"].tolist() == frame["place_precision"].tolist()
    assert back["places"].iloc[0][0].approximate is True
    assert back.geometry.iloc[3] is None
    for col in ANALYST:
        assert back[col].tolist() == frame[col].tolist(), col
    assert list(back.columns) == list(frame.columns)


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_unresolved_place_name_is_kept(frame, tmp_path, suffix):
    # The table's places column holds what resolved; the name asked must survive too,
    # so that a file read back lists it as unresolved again.
    back = geo.read_events(_written(frame, tmp_path, suffix))
    assert [u.name for u in back.attrs["unresolved"]] == ["Xyzzy-not-a-place"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_empty_frame_round_trips(seed_events, tmp_path, suffix):
    path = _written(seed_events.iloc[:0], tmp_path, suffix)
    assert len(geo.read_events(path)) == 0


def test_written_csv_reads_back_row_by_row(frame, tmp_path):
    # The reader of the written CSV alone (read_events dispatches to it from its header).
    path = _written(frame, tmp_path, ".csv")
    header = next(csv.reader(path.open(encoding="utf-8", newline="")))
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types=dict.fromkeys(header, "string"), strings_can_be_null=False))  # fmt: skip
    back = written_table_frame(table, file=str(path))
    assert back["id"].tolist() == frame["id"].tolist()
    assert back.geometry.iloc[:3].geom_equals_exact(frame.geometry.iloc[:3], 1e-12).all()
    assert back.geometry.iloc[3] is None
    assert back["sources"].tolist() == frame["sources"].tolist()


# --------------------------------------------------------------------------- on disk


def _raw(path):
    """A written file's rows and columns, read without eventmap."""
    if path.suffix == ".csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        return rows, list(rows[0])
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist(), pq.read_schema(path).names
    if path.suffix == ".geojson":
        rows = [f["properties"] for f in json.loads(path.read_text("utf-8"))["features"]]
        return rows, list(rows[0])
    table = pyogrio.read_dataframe(path)
    return table.to_dict("records"), list(table.columns)


@pytest.mark.parametrize("suffix", FORMATS)
def test_nested_fields_are_json_in_every_format(frame, tmp_path, suffix):
    rows, columns = _raw(_written(frame, tmp_path, suffix))
    non_geometry = [c for c in frame.columns if c != "geometry"]
    assert [c for c in columns if c not in ("geometry", "geom")] == non_geometry

    def nested(value):  # JSON text, or (GeoJSON) JSON itself
        return value if suffix == ".geojson" else json.loads(value)

    assert nested(rows[0]["details"]) == [["Event type", "Battles: Armed clash"],
                                          ["Geo precision", "near the town"]]  # fmt: skip
    assert nested(rows[0]["flags"]) == list(frame["flags"].iloc[0])
    assert nested(rows[2]["flags"]) == []
    assert nested(rows[0]["quantities"]) == [
        {"value": 3, "unit": "fatalities", "low": 2, "high": 5}
    ]
    assert rows[0]["admin2"] == "Soum" and rows[3]["admin2"] == "=cmd|' /C calc'!A0"
    assert rows[1]["sub_event_type"] == "Peaceful protest"


@pytest.mark.parametrize("suffix", FORMATS)
def test_text_that_looks_like_json_stays_text(seed_events, tmp_path, suffix):
    # GDAL writes a GeoJSON text that parses as JSON as JSON: a title [1, 2] came back a list.
    ev = seed_events.head(3).copy()
    ev["title"] = ["[1, 2]", '{"a": 1}', "null"]
    ev["notes"] = ["[]", "true", "12"]
    rows, _ = _raw(_written(ev, tmp_path, suffix))
    assert [r["title"] for r in rows] == ["[1, 2]", '{"a": 1}', "null"]
    back = geo.read_events(tmp_path / f"events{suffix}")
    assert back["title"].tolist() == ["[1, 2]", '{"a": 1}', "null"]
    assert back["notes"].tolist() == ["[]", "true", "12"]


def test_csv_holds_wkt_geometries_and_lat_lon(frame, tmp_path):
    path = _written(frame, tmp_path, ".csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert rows[0]["geometry"] == "POINT (-1.5 13.1)"
    assert (rows[0]["lat"], rows[0]["lon"]) == ("13.1", "-1.5")
    assert rows[0]["date_start"] == "2024-03-12" and rows[3]["date_end"] == "2024-12-31"
    assert shapely.from_wkt(rows[2]["geometry"]).geom_type == "LineString"
    assert rows[3]["geometry"] == "" and rows[3]["lat"] == ""  # unresolved: no geometry
    assert rows[1]["notes"] == "a, b\r\nc" and rows[0]["title"] == TITLE
    assert path.read_bytes().startswith(b"id,kind,title,")  # UTF-8, no byte order mark


def test_gpkg_is_a_real_geopackage(frame, tmp_path):
    path = _written(frame, tmp_path, ".gpkg")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # 'GPKG'
        contents = db.execute(
            "SELECT table_name, data_type, srs_id, last_change FROM gpkg_contents"
        ).fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert contents == [(GPKG_LAYER, "features", 4326, GPKG_TIMESTAMP)]
    info = pyogrio.read_info(path, layer=GPKG_LAYER)
    assert info["driver"] == "GPKG" and info["crs"] == "EPSG:4326" and info["features"] == 4
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["date_start"] == types["date_end"] == "OFTDate"  # dates, not text
    assert types["lat"] == "OFTReal" and types["details"] == "OFTString"


def test_geoparquet_holds_dates_and_its_geo_metadata(frame, tmp_path):
    path = _written(frame, tmp_path, ".parquet")
    schema = pq.read_schema(path)
    assert str(schema.field("date_start").type) == "date32[day]"
    meta = json.loads(schema.metadata[b"geo"])
    assert meta["primary_column"] == "geometry" and meta["columns"]["geometry"]["encoding"] == "WKB"
    assert "pandas" not in pq.read_table(path).column_names  # no index column


@pytest.mark.parametrize("suffix", [".GPKG", ".GeoParquet", ".JSON", ".Csv"])
def test_extensions_in_any_case(frame, tmp_path, suffix):
    assert len(geo.read_events(_written(frame, tmp_path, suffix))) == len(frame)


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_same_frame_gives_the_same_bytes(frame, tmp_path, suffix):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = _written(frame, tmp_path / "a", suffix).read_bytes()
    if suffix == ".gpkg":
        time.sleep(1.1)  # GDAL stamps a GeoPackage with the time of writing, to the second
    assert _written(frame, tmp_path / "b", suffix).read_bytes() == first
    # The file's name is not in the file (GDAL names a GeoJSON after it by default).
    assert _written(frame, tmp_path / "b", suffix, name="other").read_bytes() == first


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("name", ["x.shp", "x.gpkg.bak", "x", "x.yaml", "x.html", "x.csv.gz"])
def test_other_extensions_are_refused_and_nothing_is_written(frame, tmp_path, name):
    with pytest.raises(InputError) as info:
        geo.write_events(frame, tmp_path / name)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / name}: cannot write ")
    assert "expected .gpkg, .parquet, .geoparquet, .geojson, .json, .csv" in message
    suffix = (tmp_path / name).suffix
    assert (f"'{suffix}'" if suffix else "without an extension") in message
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(frame, tmp_path, monkeypatch):
    path = _written(frame, tmp_path, ".csv")
    before = path.read_bytes()

    def half(table, tmp):
        tmp.write_text("id,kind\nhalf")
        raise RuntimeError("disk pulled out")

    monkeypatch.setitem(WRITERS, ".csv", half)
    with pytest.raises(RuntimeError):
        geo.write_events(frame, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file or folder


def test_a_path_that_cannot_be_written_is_an_output_error(frame, tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        geo.write_events(frame, tmp_path / "plain" / "x.gpkg")
    (tmp_path / "dir.gpkg").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        geo.write_events(frame, tmp_path / "dir.gpkg")


def test_folders_on_the_way_are_made(frame, tmp_path):
    assert geo.write_events(frame, tmp_path / "a" / "b" / "x.gpkg").is_file()


def test_api_names(frame):
    assert geo.write_events is geo.io.write_events is geo.io.writers.write_events


# --------------------------------------------------------------------------- reading back


def test_a_bad_row_of_a_written_csv_is_rejected_alone(frame, tmp_path):
    path = _written(frame, tmp_path, ".csv")
    text = path.read_text(encoding="utf-8").replace('"POINT (-1.5 13.1)"', "POINT (-1.5 13.1")
    text = text.replace("POINT (-1.5 13.1)", "POINT (-1.5 13.1")
    path.write_text(text, encoding="utf-8")
    back = geo.read_events(path)
    assert back["id"].tolist() == ["BFA2", "flow-1", "nowhere"]
    (rejected,) = back.attrs["rejected"]
    assert (rejected.record, rejected.field) == ("row 2 ('BFA1')", "geometry")
    assert rejected.reason.startswith("not a readable geometry (WKT): ")
    assert back.attrs["records"] == 4


def test_a_gpkg_in_another_crs_is_reprojected(frame, tmp_path):
    path = tmp_path / "m.gpkg"
    geo.write_events(frame, tmp_path / "w.gpkg")
    table = pyogrio.read_dataframe(tmp_path / "w.gpkg").to_crs(3857)
    pyogrio.write_dataframe(table, path, layer="whatever", driver="GPKG")  # its only layer
    back = geo.read_events(path)
    assert back.geometry.iloc[0].equals_exact(shapely.Point(-1.5, 13.1), 1e-9)


def test_a_gpkg_that_is_not_one_is_refused(tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InputError, match="not a GeoPackage: expected an SQLite database"):
        geo.read_events(path)
    sqlite3.connect(path.with_name("y.gpkg")).execute("CREATE TABLE t (a)").connection.close()
    broken = path.with_name("z.gpkg")
    broken.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    for f in (path.with_name("y.gpkg"), broken):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # GDAL's warnings are not printed besides the error
            with pytest.raises(InputError, match=f"{f.name}: not a readable GeoPackage: "):
                geo.read_events(f)


def test_a_gpkg_of_several_layers_without_events_is_refused(frame, tmp_path):
    path = tmp_path / "x.gpkg"
    for layer in ("a", "b"):
        pyogrio.write_dataframe(frame[["id", "geometry"]], path, layer=layer, driver="GPKG")
    with pytest.raises(InputError, match="expected a layer 'events' .* got the layers 'a', 'b'"):
        geo.read_events(path)


# A CRS definition naming a file: PROJ would open it, and its error tell whether it exists.
_GEOGCRS = (
    'GEOGCRS["{}",DATUM["d",ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2],'
    'AXIS["lon",east,ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["lat",north,ANGLEUNIT["degree",0.0174532925199433]]]'
)
_NAMING = {
    "WKT1 EXTENSION": lambda p: (
        'GEOGCS["x",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
        'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],'
        f'EXTENSION["PROJ4","+proj=longlat +ellps=WGS84 +nadgrids={p} +no_defs"]]'
    ),
    "EPSG:3857's extension, an optional grid": lambda p: _MERCATOR.replace("@null", f"@{p}"),
    "WKT2 PARAMETERFILE": lambda p: (
        f"BOUNDCRS[SOURCECRS[{_GEOGCRS.format('x')}],TARGETCRS[{_GEOGCRS.format('WGS 84')}],"
        'ABRIDGEDTRANSFORMATION["t",METHOD["NTv2"],'
        f'PARAMETERFILE["Latitude and longitude difference file","{p}"]]]'
    ),
    "PROJ string": lambda p: f"+proj=longlat +ellps=WGS84 +nadgrids={p}",
    "PROJJSON": lambda p: json.dumps(
        {
            "type": "BoundCRS",
            "source_crs": "x",
            "target_crs": "y",
            "transformation": {
                "name": "t",
                "method": {"name": "NTv2"},
                "parameters": [{"name": "Latitude and longitude difference file", "value": str(p)}],
            },
        }
    ),  # fmt: skip
}
_MERCATOR = (
    'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",'
    '6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
    'PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],'
    'PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1],'
    'AXIS["Easting",EAST],AXIS["Northing",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 '
    "+b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext "
    '+no_defs"]]'
)


def _gpkg_defined_as(frame, tmp_path, definition, name="d.gpkg"):
    """A GeoPackage pyogrio writes in EPSG:3857, its CRS definition then rewritten."""
    path = tmp_path / name
    geo.write_events(frame, tmp_path / "w.gpkg")
    table = pyogrio.read_dataframe(tmp_path / "w.gpkg").to_crs(3857)
    pyogrio.write_dataframe(table, path, layer=GPKG_LAYER, driver="GPKG")
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE gpkg_spatial_ref_sys SET definition = ?, organization = 'NONE' "
            "WHERE srs_id = 3857",
            (definition,),
        )
    db.close()
    return path


@pytest.mark.parametrize("naming", _NAMING)
def test_a_gpkg_crs_that_names_a_file_is_refused_before_proj_opens_it(frame, tmp_path, naming):
    reasons = []
    for there in (True, False):  # the same words whether the file exists or not
        grid = tmp_path / f"grid-{there}.gsb"
        if there:
            grid.write_bytes(b"x")
        path = _gpkg_defined_as(frame, tmp_path, _NAMING[naming](grid), f"{there}.gpkg")
        with pytest.raises(InputError) as e:
            geo.read_events(path)
        err = e.value
        assert (err.file, err.field) == (str(path), "gpkg_spatial_ref_sys.definition (srs_id 3857)")
        assert err.reason.startswith("not a CRS PROJ knows without opening files: "), err.reason
        assert "File not found" not in str(err) and "grid" not in err.reason
        reasons.append(err.reason)
    assert reasons[0] == reasons[1]


def test_gdals_own_epsg_3857_with_its_null_grid_reads(frame, tmp_path):
    path = _gpkg_defined_as(frame, tmp_path, _MERCATOR)  # no EPSG code to go by: its WKT
    back = geo.read_events(path)
    assert back.geometry.iloc[0].equals_exact(shapely.Point(-1.5, 13.1), 1e-6)


def test_the_layers_crs_as_gdal_gives_it_is_guarded_too(tmp_path):
    from geo.io.gpkg import _crs

    with pytest.raises(InputError, match="not a CRS PROJ knows without opening files: EXTENSION"):
        _crs(_NAMING["WKT1 EXTENSION"](tmp_path / "g.gsb"), "x.gpkg")
    assert _crs(_MERCATOR, "x.gpkg").to_epsg() == 3857
    assert _crs("EPSG:4326", "x.gpkg") is None
