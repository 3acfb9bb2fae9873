"""``eventmap geocode`` offline: formats, input order, unresolved queries, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maps.cli import main

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["query", "name", "kind", "country", "lat", "lon", "id", "source", "score"]


def run(args, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["geocode", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_in_input_order_with_the_documented_keys(capsys):
    queries = ["Koursk", "Xyzzyville", "Corée du Nord", "Koursk", "région de Koursk"]
    code, out, err = run(queries, capsys)
    assert code == 0
    records = json.loads(out)
    assert [r["query"] for r in records] == queries
    assert all(list(r)[:9] == KEYS for r in records)
    assert [r["id"] for r in records] == [
        "geonames:538560", None, "iso:KP", "geonames:538560", "ne:RU-KRS",
    ]  # fmt: skip
    unresolved = records[1]
    assert unresolved["lat"] is None and unresolved["lon"] is None
    assert "no place of that name" in unresolved["reason"]
    assert "reason" not in records[0]
    assert records[0]["country"] == "RU" and records[0]["kind"] == "city"
    assert isinstance(records[0]["lat"], float) and isinstance(records[0]["score"], float)
    assert "1 of 5 unresolved" in err


def test_output_is_deterministic(capsys):
    args = ["Georgia", "Moscow", "Séoul", "--top", "3", "--format", "json"]
    assert run(args, capsys)[1] == run(args, capsys)[1]


def test_strict_makes_unresolved_an_error(capsys):
    code, out, err = run(["Kursk", "Xyzzyville", "--strict"], capsys)
    assert code == 2
    assert json.loads(out)[1]["reason"]  # the data is still printed
    assert err.strip().splitlines()[-1] == "eventmap: error: 1 unresolved place name: Xyzzyville"


def test_ambiguous_names_carry_their_alternatives(capsys):
    code, out, _ = run(["Georgia", "Vladivostok"], capsys)
    georgia, vladivostok = json.loads(out)
    assert georgia["id"] == "iso:GE" and georgia["ambiguous"] is True
    assert [a["id"] for a in georgia["alternatives"]] == ["ne:US-GA"]
    assert vladivostok["ambiguous"] is False and vladivostok["alternatives"] == []


def test_top_k_lists_candidates_with_scores(capsys):
    code, out, _ = run(["Moscow", "--top", "3"], capsys)
    (moscow,) = json.loads(out)
    alternatives = moscow["alternatives"]
    assert len(alternatives) == 2
    scores = [moscow["score"], *(a["score"] for a in alternatives)]
    assert scores == sorted(scores, reverse=True)
    assert "geonames:5601538" in {a["id"] for a in alternatives}  # Moscow, Idaho


def test_country_hint_bias_and_context(capsys):
    assert json.loads(run(["Georgia", "--country-hint", "US"], capsys)[1])[0]["id"] == "ne:US-GA"
    out = run(["Moscow", "--bias=-117.5,46,-116,47.5"], capsys)[1]
    assert json.loads(out)[0]["country"] == "US"
    out = run(["Georgia", "--context", "Atlanta"], capsys)[1]
    assert json.loads(out)[0]["id"] == "ne:US-GA"


def test_explain_says_why_the_winner_won(capsys):
    code, out, err = run(["Georgia", "--explain"], capsys)
    record = json.loads(out)[0]
    assert "'Georgia' → Georgia (country GE, iso:GE), score 9.50" in err
    assert "beat Georgia (region US, ne:US-GA), score 6.50 (3.00 behind)" in err
    assert "ambiguous" in err
    assert record["explanation"].splitlines()[0] in err


def test_csv_with_ranks(capsys):
    code, out, _ = run(["Moscow", "Xyzzyville", "--format", "csv", "--top", "2"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["rank", *KEYS, "reason"]
    assert [(r["query"], r["rank"]) for r in rows] == [
        ("Moscow", "1"), ("Moscow", "2"), ("Xyzzyville", "1"),
    ]  # fmt: skip
    assert rows[0]["id"] == "geonames:524901"
    assert rows[2]["lat"] == "" and rows[2]["reason"]


def test_geojson_polygons_for_regions_points_for_cities(capsys):
    code, out, _ = run(["Kursk Oblast", "Kursk", "Xyzzyville", "--format", "geojson"], capsys)
    doc = json.loads(out)
    assert doc["type"] == "FeatureCollection"
    region, city, unknown = doc["features"]
    assert region["geometry"]["type"] in ("Polygon", "MultiPolygon")
    kursk = json.loads(run(["Kursk"], capsys)[1])[0]
    assert city["geometry"] == {"type": "Point", "coordinates": [kursk["lon"], kursk["lat"]]}
    assert unknown["geometry"] is None and unknown["properties"]["reason"]
    assert region["properties"]["id"] == "ne:RU-KRS"


def test_file_and_stdin(tmp_path, capsys, monkeypatch):
    path = tmp_path / "names.txt"
    path.write_text("# places from the report\nKoursk\n\n  Rajin  \nKhasan\n", encoding="utf-8")
    code, out, _ = run(["--file", str(path), "Seoul"], capsys)
    assert [r["query"] for r in json.loads(out)] == ["Seoul", "Koursk", "Rajin", "Khasan"]
    code, out, _ = run(["--file", "-"], capsys, stdin="Pyongyang\n", monkeypatch=monkeypatch)
    assert json.loads(out)[0]["id"] == "geonames:1871859"


def test_user_gazetteer_file_overrides(tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "places:\n  - id: kursk-depot\n    name: Kursk\n    kind: place\n    country: RU\n"
        "    lat: 51.7\n    lon: 36.1\n    alternate_names: [dépôt de Koursk]\n"
        "    source: Our desk, 2024\n",
        encoding="utf-8",
    )
    code, out, _ = run(["Kursk", "dépôt de Koursk", "Koursk", "--gazetteer", str(mine)], capsys)
    ids = [r["id"] for r in json.loads(out)]
    assert ids == ["curated:kursk-depot", "curated:kursk-depot", "geonames:538560"]


def test_user_acronyms_match_only_in_capitals(tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "places:\n  - id: inner-base\n    name: Inner Base\n    kind: place\n    country: RU\n"
        "    lat: 51.7\n    lon: 36.1\n    alternate_names: [IN]\n    source: Our desk, 2024\n",
        encoding="utf-8",
    )
    code, out, _ = run(["IN", "in", "--gazetteer", str(mine)], capsys)
    ids = [r["id"] for r in json.loads(out)]
    assert ids[0] == "curated:inner-base"
    assert ids[1] != "curated:inner-base"  # the word "in" is not the acronym IN


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no query"),
        (["Kursk", "--bias", "1,2,3"], "--bias: expected four numbers"),
        (["Kursk", "--bias=0,60,10,40"], "bias"),
        (["Kursk", "--country-hint", "Xyzzyland"], "country hint 'Xyzzyland'"),
        (["Kursk", "--provider", "nosuchservice"], "no such geopy service"),
        (["Kursk", "--file", "/nonexistent/names.txt"], "/nonexistent/names.txt"),
        (["Kursk", "--option", "api_key"], "--option: expected KEY=VALUE"),
    ],
)
def test_errors_are_one_line_and_exit_2(capsys, args, message):
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eventmap: error: ")
    assert message in lines[0]


def test_geocode_does_not_import_the_map_stack():
    """A cold `eventmap geocode` must not pay for pandas, geopandas, folium or geopy."""
    code = (
        "import sys; from maps.cli import main; main(['geocode', 'Moscow']);"
        "heavy = [m for m in ('pandas', 'geopandas', 'folium', 'geopy', 'shapely') "
        "if m in sys.modules]; print(heavy, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["id"] == "geonames:524901"
    assert done.stderr.strip().splitlines()[-1] == "[]"
