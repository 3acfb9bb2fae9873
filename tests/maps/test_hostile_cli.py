"""Hostile and malformed files through ``eventmap render``, as a user runs it.

A file that cannot be read at all is exit 2 with one line on stderr naming the
file (and the line). A bad record is skipped: the map is written (exit 0) and
the record listed in ``OUTPUT.rejects.csv``; with ``--strict`` it is exit 2 with
the one line naming it, and nothing is written. Never a traceback, and never a
page blown up by the input.
"""

from __future__ import annotations

import csv
import json

import geopandas as gpd
import pytest
import shapely

from maps.cli import main

SRC = "sources: [{name: S}]"


def _yaml_event(extra: str) -> str:
    return f"events:\n- {{id: a, kind: statement, title: T, place: Moscow, {SRC}, {extra}}}\n"


def _feature(geometry, **props) -> dict:
    props = {"id": "a", "kind": "statement", "title": "T", "sources": [{"name": "S"}], **props}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"events:\n- {{id: a, kind: statement, title: T, place: Moscow, {SRC}, "
                 f"actors: *a{levels}}}")  # fmt: skip
    return "\n".join(lines) + "\n"


def _nested(depth: int = 1000) -> str:
    return "[" * depth + "]" * depth


HEADER = "id,kind,title,place,source\n"
ACLED = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp\n"
)
ACLED_ROW = (
    "UKR1,2024-11-01,2024,1,Political violence,Battles,Armed clash,A,,State forces,B,,"
    "State forces,x,,804,Europe,Ukraine,Kharkiv,,,Kharkiv,49.99,36.23,1,S,National,n,3,,1\n"
)

#: A whole file that cannot be read: exit 2 and one located line, with or without --strict.
FILE_LEVEL = {
    "yaml 1,000 nested lists": ("x.yaml", _yaml_event(f"notes: {_nested()}")),
    "yaml alias bomb": ("x.yaml", _bomb()),
    "yaml NUL byte": ("x.yaml", _yaml_event("notes: a") + "\0"),
    "geojson 1,000 nested lists": (
        "x.geojson", _collection(_feature({"type": "Point", "coordinates": [1, 2]}))
        .replace("[1, 2]", _nested())),
}  # fmt: skip

#: A bad record: skipped and listed in OUTPUT.rejects.csv (exit 0, the map written), and
#: with --strict exit 2 with the one located line that names it, nothing written.
RECORD_LEVEL = {
    "yaml impossible date": ("x.yaml", _yaml_event("date: 2025-02-30")),
    "yaml date before 1677": ("x.yaml", _yaml_event("date: 1500-01-01")),
    "yaml lone surrogate": ("x.yaml", _yaml_event('notes: "a \\ud800 b"')),
    "yaml negative figure": ("x.yaml", _yaml_event("quantities: [{value: -3, unit: soldiers}]")),
    "yaml no source": ("x.yaml", "events:\n- {id: a, kind: statement, title: T, place: Moscow}\n"),
    "csv row with extra fields": ("x.csv", HEADER + "a,statement,T,Moscow,S,extra,more\n"),
    "csv row with missing fields": ("x.csv", HEADER + "a,statement,T\n"),
    "csv NUL byte": ("x.csv", HEADER + "a,statement,T\0,Moscow,S\n"),
    "csv negative figure": (
        "x.csv", "id,kind,title,place,source,value,unit\na,statement,T,Moscow,S,-3,people\n"),
    "acled row with extra fields": ("x.csv", ACLED + ACLED_ROW.strip() + ",extra\n"),
    "acled NUL byte": ("x.csv", ACLED + ACLED_ROW.replace(",n,", ",n\0,")),
    "geojson unknown geometry type": (
        "x.geojson", _collection(_feature({"type": "Circle", "coordinates": [1, 2]}))),
    "geojson feature is a string": ("x.geojson", '{"type":"FeatureCollection","features":["x"]}'),
    "geojson NaN coordinates": (
        "x.geojson", _collection(_feature({"type": "Point", "coordinates": [1, 2]}))
        .replace("[1, 2]", "[NaN, 2]")),
    "geojson Infinity coordinates": (
        "x.geojson", _collection(_feature({"type": "Point", "coordinates": [1, 2]}))
        .replace("[1, 2]", "[Infinity, 2]")),
    "geojson one-point LineString": (
        "x.geojson", _collection(_feature({"type": "LineString", "coordinates": [[1, 2]]}))),
    "geojson latitude 95": (
        "x.geojson", _collection(_feature({"type": "Point", "coordinates": [30, 95]}))),
    "geojson unclosed ring": (
        "x.geojson", _collection(_feature({"type": "Polygon",
                                           "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}))),
    "geojson GeometryCollection": (
        "x.geojson", _collection(_feature({"type": "GeometryCollection", "geometries": [
            {"type": "Point", "coordinates": [1, 2]}]}))),
    "geojson empty geometry": (
        "x.geojson", _collection(_feature({"type": "Point", "coordinates": []}))),
}  # fmt: skip

#: Record-level problems a reader still refuses the whole file for (the contract says
#: reject): strict xfails, so that they fail loudly once the reader rejects them alone.
STILL_FATAL: set[str] = set()


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


def _one_located_line(err: str, path) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"eventmap: error: {path}: "), lines
    return lines[0]


def _rejects(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("case", list(FILE_LEVEL))
def test_unreadable_file_is_one_located_line(tmp_path, capsys, case, strict):
    path = _write(tmp_path, *FILE_LEVEL[case])
    out = tmp_path / "out.html"
    assert main(["render", str(path), "-o", str(out), *(["--strict"] if strict else [])]) == 2
    _one_located_line(capsys.readouterr().err, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing written


def _record_level(case):
    marks = [pytest.mark.xfail(strict=True, reason="the reader still refuses the whole file")]
    return pytest.param(case, marks=marks if case in STILL_FATAL else [])


@pytest.mark.parametrize("case", [_record_level(c) for c in RECORD_LEVEL])
def test_bad_record_is_rejected_and_listed(tmp_path, capsys, monkeypatch, case):
    monkeypatch.setenv("COLUMNS", "2000")  # one line per message
    path = _write(tmp_path, *RECORD_LEVEL[case])
    out = tmp_path / "out.html"
    code = main(["render", str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 0, err
    out.read_bytes().decode("utf-8")  # a valid page
    (row,) = _rejects(tmp_path / "out.rejects.csv")
    assert row["file"] == str(path) and row["record"] and row["reason"]
    assert (
        f"1 record read from 1 file: 0 events, 1 rejected (listed in {tmp_path / 'out.rejects.csv'})"
        in err
    )
    located = ": ".join(v for v in (row["file"], row["record"], row["field"], row["reason"]) if v)
    assert f"  rejected {located}" in err


@pytest.mark.parametrize("case", [_record_level(c) for c in RECORD_LEVEL])
def test_bad_record_with_strict_is_one_located_line(tmp_path, capsys, case):
    path = _write(tmp_path, *RECORD_LEVEL[case])
    out = tmp_path / "out.html"
    main(["render", str(path), "-o", str(tmp_path / "lenient.html")])
    capsys.readouterr()
    (row,) = _rejects(tmp_path / "lenient.rejects.csv")
    for p in (tmp_path / "lenient.html", tmp_path / "lenient.rejects.csv"):
        p.unlink()
    report = tmp_path / "report.csv"
    assert main(["render", str(path), "-o", str(out), "--strict", "--report", str(report)]) == 2
    line = _one_located_line(capsys.readouterr().err, path)
    # The line names what the rejects list names, as one error: file: record: field: reason.
    located = ": ".join(v for v in (row["file"], row["record"], row["field"], row["reason"]) if v)
    assert line == f"eventmap: error: {located}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no map, rejects, report


def test_long_text_is_cut_with_a_visible_mark_and_said(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")
    path = tmp_path / "x.yaml"
    path.write_text(_yaml_event("notes: " + "word " * 400_000), encoding="utf-8")
    out = tmp_path / "out.html"
    assert main(["render", str(path), "-o", str(out)]) == 0
    assert "truncated" in capsys.readouterr().err
    assert out.stat().st_size < 2_000_000  # the 2 MB note did not go in whole


def test_kinds_that_differ_by_separators_share_one_layer(tmp_path, capsys):
    path = tmp_path / "x.yaml"
    path.write_text(
        "events:\n" + "".join(
            f"- {{id: e{i}, kind: '{k}', title: T, place: Moscow, {SRC}}}\n"
            for i, k in enumerate(["battles", "_battles", "battles_", "Battles "])
        ), encoding="utf-8")  # fmt: skip
    assert main(["render", str(path), "-o", str(tmp_path / "out.html")]) == 0
    # One layer of the four (its label, as the data or the style spells it, is not the point).
    assert "1 rich layers: battles (4)" in capsys.readouterr().err.lower()


@pytest.mark.parametrize("epsg", [3857, 32636])
def test_geoparquet_in_metres_is_reprojected(tmp_path, epsg):
    import geo

    frame = gpd.GeoDataFrame(
        {"id": ["a"], "kind": ["statement"], "title": ["T"],
         "sources": [json.dumps([{"name": "S"}])]},
        geometry=[shapely.Point(36.23, 49.99)], crs=4326,
    ).to_crs(epsg)  # fmt: skip
    path = tmp_path / "x.parquet"
    frame.to_parquet(path)
    events = geo.read_events(path)
    lon, lat = events.geometry.iloc[0].x, events.geometry.iloc[0].y
    assert abs(lon - 36.23) < 1e-6 and abs(lat - 49.99) < 1e-6


def test_geoparquet_without_crs_in_metres_is_refused(tmp_path, capsys):
    frame = gpd.GeoDataFrame(
        {"id": ["a"], "kind": ["statement"], "title": ["T"],
         "sources": [json.dumps([{"name": "S"}])]},
        geometry=[shapely.Point(4_033_000.0, 6_430_000.0)],
    )  # fmt: skip
    path = tmp_path / "x.parquet"
    frame.to_parquet(path)
    assert main(["render", str(path), "-o", str(tmp_path / "out.html")]) == 2
    assert "crs" in capsys.readouterr().err.lower()


def test_geojson_records_are_features_in_every_message(tmp_path, capsys):
    path = tmp_path / "x.geojson"
    path.write_text(_collection(_feature(None, place="Moscow"), _feature(None, place="Kyiv")))
    assert main(["render", str(path), "-o", str(tmp_path / "out.html")]) == 0
    (row,) = _rejects(tmp_path / "out.rejects.csv")
    assert (row["record"], row["field"]) == ("feature 2 ('a')", "id")
    assert row["reason"] == "duplicate id; first used by feature 1; expected unique ids"
    assert main(["render", str(path), "-o", str(tmp_path / "s.html"), "--strict"]) == 2
    assert "feature 2 ('a'): id: duplicate id; first used by feature 1" in capsys.readouterr().err


def test_an_unresolved_name_of_10000_characters_prints_short(tmp_path, capsys):
    path = tmp_path / "x.yaml"
    name = "Nowhere " * 1250
    path.write_text(f"events:\n- {{id: a, kind: statement, title: T, place: '{name}', {SRC}}}\n")
    assert main(["render", str(path), "-o", str(tmp_path / "out.html")]) == 0
    err = capsys.readouterr().err
    assert "unresolved" in err and len(err) < 2000


def test_a_long_key_in_a_message_is_shortened(tmp_path, capsys):
    # Hypothesis found it: the path to a NaN named a 10,000-character key whole.
    path = tmp_path / "x.geojson"
    props = '{"id": "a", "kind": "statement", "title": "T", "sources": [{"name": "S"}], "%s": NaN}'
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    f'"geometry": null, "properties": {props % ("k" * 10_000)}}}]}}')  # fmt: skip
    # --strict: exit 2 whether the reader refuses the feature or the file.
    assert main(["render", str(path), "-o", str(tmp_path / "out.html"), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "got NaN" in err and len(err) < 500
