"""ACLED exports as they come: each layout real exports have, what its rows become, the
rows a read rejects or flags (and why), and the same events written as YAML read alike.

The layouts and quirks are those of real exports (``tests/acled_rows.py``,
``tests/data/exports/acled/``); the rows are written for the project.
"""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from acled_rows import (
    CURRENT,
    DASHBOARD,
    FIXTURES,
    ROWS,
    Stub,
    as_yaml,
    assert_same_events,
    read_acled,
    rows_table,
    write_2015,
    write_2020,
    write_csv,
    write_r,
    write_resaved,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import read_events
from geo.io.acled import ANALYST_COLUMNS, acled_frame, is_acled
from geo.model import Quantity, Source
from geo.resolve import outside_country
from geo.table import COLUMNS

LAYOUTS = {
    "current": write_csv, "2020": write_2020, "re-saved by pandas": write_resaved,
    "written by R": write_r,
}  # fmt: skip


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    return read_acled(write_csv(tmp_path_factory.mktemp("acled") / "export.csv", ROWS))


def test_rows_become_events(current):
    ev = current
    assert list(ev.columns) == [*COLUMNS, *ANALYST_COLUMNS]
    assert list(ev["id"]) == ["UKR214001", "UKR214002", "UKR214003", "RUS8001"]
    assert list(ev["kind"]) == ["explosions_remote_violence", "battles", "protests",
                                "strategic_developments"]  # fmt: skip
    assert ev.attrs["kind_labels"]["explosions_remote_violence"] == "Explosions/Remote violence"
    assert list(ev["title"]) == ["Air/drone strike: Sumy", "Armed clash: Plekhovo",
                                 "Peaceful protest: Kyiv", "Disrupted weapons use: Belgorod"]  # fmt: skip
    # time_precision 1, 2 (the week from the date), 3 (the date's month)
    assert list(ev["date_precision"]) == ["day", "day", "week", "month"]
    assert list(ev["date"]) == ["2024-11-02", "2024-11-02", "2024-10-30", "2024-10"]
    assert [d.date() for d in ev["date_start"]] == [
        dt.date(2024, 11, 2), dt.date(2024, 11, 2), dt.date(2024, 10, 30), dt.date(2024, 10, 1)]  # fmt: skip
    assert [d.date() for d in ev["date_end"]] == [
        dt.date(2024, 11, 2), dt.date(2024, 11, 2), dt.date(2024, 11, 5), dt.date(2024, 10, 31)]  # fmt: skip
    assert ev.loc[0, "actors"] == ["Military Forces of Russia (2000-)", "Civilians (Ukraine)"]
    assert ev.loc[2, "actors"] == ["Protesters (Ukraine)"]  # no second actor
    place = ev.loc[1, "places"][0]
    assert (place.name, place.lat, place.lon, place.approximate) == (
        "Plekhovo, Kursk, Russia", 51.2319, 35.1236, True)  # fmt: skip
    assert [p[0].approximate for p in ev["places"]] == [False, True, False, True]
    assert list(ev["place_precision"]) == ["point", "near", "point", "admin1"]
    assert (ev.loc[1, "lat"], ev.loc[1, "lon"]) == (51.2319, 35.1236)
    assert ev.loc[1, "geometry"].coords[0] == (35.1236, 51.2319)
    assert ev.loc[0, "quantities"] == [Quantity(value=2.0, unit="fatalities")]
    assert ev.loc[3, "quantities"] == []  # no figure reported
    # The notes are the description, once: the source claims nothing else.
    assert ev.loc[0, "sources"] == [Source(name="Suspilne; Ukrainska Pravda")]
    assert ev.loc[0, "description"] == ROWS[0]["notes"]
    assert "<b>reported</b>" in ev.loc[1, "description"]  # text, escaped on the map
    assert ev.loc[2, "description"].endswith("\nSize=dozens")
    assert ev.attrs["unresolved"] == [] and ev.attrs["truncated"] == []
    assert ev.attrs["rejected"] == [] and ev.attrs["records"] == 4 and ev.attrs["notes"] == []
    assert list(ev["flags"]) == [[]] * 4 and ev.attrs["flagged"] == []


def test_details_show_the_exports_own_fields_each_once(current):
    assert current.loc[1, "details"] == [
        ("Event type", "Battles: Armed clash"),
        ("Disorder type", "Political violence"),
        ("Actor 1", "Military Forces of Ukraine (2019-) (State forces)"),
        ("Actor 2", "Military Forces of Russia (2000-) (State forces); "
                    "with: Military Forces of North Korea (1994-)"),
        ("Interaction", "State forces-State forces"),
        ("Location", "Plekhovo, Sudzhanskiy, Kursk, Russia"),
        ("Geo precision", "near the town (ACLED geo_precision 2)"),
        ("Source scale", "National"),
    ]  # fmt: skip
    protest = dict(current.loc[2, "details"])
    assert protest["Actor 1"] == "Protesters (Ukraine); with: Women (Ukraine)"  # role said once
    assert "Actor 2" not in protest and protest["Tags"] == "crowd size=dozens"
    assert protest["Location"] == "Kyiv, Kyiv City, Ukraine"
    strike = dict(current.loc[0, "details"])
    assert strike["Civilian targeting"] == "Civilian targeting"
    assert strike["Location"] == "Sumy, Sumska, Sumskyi, Ukraine"  # each name once
    region = dict(current.loc[3, "details"])
    assert region["Geo precision"] == "a larger region, at its centre (ACLED geo_precision 3)"
    for details in current["details"]:
        labels = [label for label, _ in details]
        assert len(labels) == len(set(labels))
        assert all(text.strip() and text != "NA" for _, text in details)


def test_analyst_columns_are_kept(current):
    row = current.loc[1]
    assert row["sub_event_type"] == "Armed clash" and row["admin2"] == "Sudzhanskiy"
    assert row["assoc_actor_2"] == "Military Forces of North Korea (1994-)"
    assert (row["inter1"], row["inter2"]) == ("State forces", "State forces")
    assert (row["iso"], row["geo_precision"], row["time_precision"]) == ("643", "2", "1")
    assert row["source_scale"] == "National" and row["timestamp"] == "1731024000"
    assert current.loc[0, "civilian_targeting"] == "Civilian targeting"
    for name in ("admin3", "assoc_actor_1", "tags", "civilian_targeting"):
        assert pd.isna(row[name])  # missing, never a text


@pytest.mark.parametrize("layout", list(LAYOUTS)[1:])
def test_every_layout_reads_as_the_current_export(tmp_path, current, layout):
    ev = read_acled(LAYOUTS[layout](tmp_path / "export.csv", ROWS))
    assert_same_events(ev, current)
    absent = ("disorder_type", "civilian_targeting", "tags") if layout == "2020" else ()
    labels = {"disorder_type": "Disorder type", "civilian_targeting": "Civilian targeting",
              "tags": "Tags"}  # fmt: skip
    shown = [[d for d in details if d[0] not in {labels[c] for c in absent}]
             for details in current["details"]]  # fmt: skip
    assert list(ev["details"]) == shown
    present = [c for c in ANALYST_COLUMNS if c not in absent]
    pd.testing.assert_frame_equal(ev[present], current[present])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_export_reads_as_its_events_written_in_yaml(tmp_path, layout):
    path = LAYOUTS[layout](tmp_path / "export.csv", ROWS)
    assert_same_events(read_acled(path), as_yaml(ROWS, str(path)))


def test_na_written_by_r_is_missing(tmp_path, current):
    ev = read_events(write_r(tmp_path / "export.csv", ROWS))
    assert ev.loc[2, "actors"] == current.loc[2, "actors"] == ["Protesters (Ukraine)"]
    assert ev.loc[3, "quantities"] == []  # fatalities NA: no figure, not a refusal
    assert ev.attrs["rejected"] == []
    texts = ev[["title", "description", *ANALYST_COLUMNS]].astype(object).to_numpy().ravel()
    assert "NA" not in set(texts)
    assert all("NA" not in a for a in ev["actors"])


def test_the_2015_upper_case_export_reads(tmp_path):
    ev = read_events(write_2015(tmp_path / "export.csv", ROWS))
    assert list(ev["id"]) == [r["event_id_cnty"] for r in ROWS]
    assert list(ev["date"]) == ["2024-11-02", "2024-11-02", "2024-10-30", "2024-10"]
    assert ev.loc[2, "assoc_actor_1"] == "Women (Ukraine)"  # ALLY_ACTOR_1
    assert list(ev["inter1"]) == ["State forces", "State forces", "Protesters", "State forces"]


def test_the_2015_fixture_and_its_event_types():
    ev = read_acled(FIXTURES / "legacy_2015.csv")
    assert list(ev["id"]) == ["1MLI101", "1MLI102", "1MLI103"]
    assert list(ev["date"]) == ["2015-01-01", "2015-01-03", "2015-01"]  # 01-January-2015
    assert list(ev["kind"]) == ["explosions_remote_violence", "riots_protests", "battles"]
    assert ev.attrs["kind_labels"] == {"explosions_remote_violence": "Explosions/Remote violence",
                                       "riots_protests": "Riots/Protests", "battles": "Battles"}  # fmt: skip
    assert ev.loc[2, "title"] == "Government regains territory: Tonka"
    assert ev.loc[1, "places"][0].name == "Bamako, Mali"  # location and admin1 alike: once
    assert dict(ev.loc[0, "details"])["Event type"] == (
        "Explosions/Remote violence (written 'Remote violence', ACLED's name before 2019)"
    )
    assert dict(ev.loc[0, "details"])["Actor 2"].endswith("(External/Other forces)")  # code 8
    assert ev.loc[0, "interaction"] == "Rebel groups-External/Other forces"  # code 28
    assert ev.loc[2, "assoc_actor_1"].startswith("GATIA")
    assert ev.attrs["rejected"] == []


def test_is_acled_in_any_case_and_without_ids_or_coordinates():
    assert is_acled([c.upper() for c in CURRENT]) and is_acled(DASHBOARD)
    assert not is_acled(["id", "date", "kind", "title", "place", "source"])


def test_a_second_copy_of_a_column_is_not_read(tmp_path, current):
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([*CURRENT, "notes", "event_type"])
        w.writerows([*(r[k] for k in CURRENT), "other notes", ""] for r in ROWS)
    assert_same_events(read_acled(path), current)


# --------------------------------------------------------------------------- dates

DATES = [
    ("2022-12-28", "2022-12-28"),
    ("28 December 2022", "2022-12-28"),
    ("01-January-2015", "2015-01-01"),
    ("9-May-20", "2020-05-09"),
    ("9-May-98", "1998-05-09"),
    ("9-May-68", "1968-05-09"),  # never 2068: a two-digit year is never in the future
    ("09/05/68", "1968-05-09"),
    ("28/12/2022", "2022-12-28"),  # day first: 28 > 12
    ("12/28/2022", "2022-12-28"),  # month first: 28 > 12
    ("2022-12-28 00:00:00", "2022-12-28"),
    ("2022-12-28T00:00:00", "2022-12-28"),
    ("28/12/22", "2022-12-28"),
    ("December 28, 2022", "2022-12-28"),
    ("Dec 28 2022", "2022-12-28"),
    ("2022/12/28", "2022-12-28"),
    ("28.12.2022", "2022-12-28"),
    ("28-Dec-2022", "2022-12-28"),
]


@pytest.mark.parametrize(("written", "read"), DATES)
def test_date_spellings(written, read):
    rows = [ROWS[0], {**ROWS[1], "event_date": written}]
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert ev.loc[1, "date"] == read and ev.attrs["rejected"] == []


def test_a_two_digit_year_is_the_latest_not_after_today():
    from geo.io.acled_fields import _year

    today = dt.date(2026, 3, 1)
    assert [_year(y, today) for y in ("00", "20", "26", "27", "68", "99", "2068")] == [
        2000, 2020, 2026, 1927, 1968, 1999, 2068]  # fmt: skip
    assert _year("05", dt.date(2104, 1, 1)) == 2005 and _year("03", dt.date(2104, 1, 1)) == 2103
    this = dt.date.today().year
    assert _year(f"{this % 100:02d}") == this
    assert _year(f"{(this + 1) % 100:02d}") == this + 1 - 100


@pytest.mark.parametrize(
    "fixture", ["slash_dates_day_first.csv", "excel_timestamps.csv", "current_2024.csv"]
)
def test_date_fixtures_read_as_the_current_export(current, fixture):
    ev = read_acled(FIXTURES / fixture)
    assert list(ev["date"]) == list(current["date"]) and ev.attrs["notes"] == []


def test_ambiguous_slash_dates_are_read_day_first_and_said_so():
    rows = [{**ROWS[0], "event_date": "05/06/2022"}, {**ROWS[1], "event_date": "07/06/2022"}]
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["date"]) == ["2022-06-05", "2022-06-07"]
    assert ev.attrs["notes"] == [
        "x.csv: event_date: dates like '05/06/2022' are read day first (day/month/year), as "
        "ACLED writes them: no date in the file has a part above 12 to tell"
    ]


def test_month_first_slash_dates_are_read_month_first_throughout():
    rows = [{**ROWS[0], "event_date": "05/06/2022"}, {**ROWS[1], "event_date": "12/28/2022"}]
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["date"]) == ["2022-05-06", "2022-12-28"] and ev.attrs["notes"] == []


def test_slash_dates_written_both_ways_are_never_mixed():
    rows = [{**ROWS[0], "event_date": "28/12/2022"}, {**ROWS[1], "event_date": "12/28/2022"},
            {**ROWS[2], "event_date": "29/12/2022"}, {**ROWS[3], "event_date": "05/06/2022"}]  # fmt: skip
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["date"]) == ["2022-12-28", "2022-12-29", "2022-06"]  # time_precision 3
    assert [str(r) for r in ev.attrs["rejected"]] == [
        "x.csv: row 3 ('UKR214002'): date: expected a date written day/month/year, as this "
        "file's are, got '12/28/2022'"
    ]
    (note,) = ev.attrs["notes"]
    assert "read day first, as 2 of them tell; the 1 written month first are refused" in note


def test_time_precision_codes():
    rows = [{**r, "time_precision": tp} for r, tp in zip(ROWS, ["2.0", "", "3", "4"], strict=True)]
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["date_precision"]) == ["week", "day", "month"]
    assert [str(r) for r in ev.attrs["rejected"]] == [
        "x.csv: row 5 ('RUS8001'): time_precision: expected 1 (the day), 2 (the week) or "
        "3 (the month), got '4'"
    ]


def test_a_week_or_month_of_a_date_already_coarse_keeps_its_own_precision():
    rows = [{**ROWS[0], "event_date": "2024-06", "time_precision": "2"},
            {**ROWS[1], "event_date": "2024", "time_precision": "3"}]  # fmt: skip
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["date"]) == ["2024-06", "2024"]


# --------------------------------------------------------------------------- precision, missing


def test_geo_precision_codes():
    rows = [{**r, "geo_precision": gp} for r, gp in zip(ROWS, ["3.0", "", "2", "x"], strict=True)]
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert ev["place_precision"].fillna("-").tolist() == ["admin1", "-", "near"]
    assert "Geo precision" not in dict(ev.loc[1, "details"])
    assert [str(r) for r in ev.attrs["rejected"]] == [
        "x.csv: row 5 ('RUS8001'): geo_precision: expected 1 (the town), 2 (near it) or "
        "3 (a region), got 'x'"
    ]


@pytest.mark.parametrize(
    "missing", ["", "NA", "N/A", "nan", "NaN", "NULL", " NA ", "null", "n/a", "Na", "None",
                "<NA>", "#N/A"],
)  # fmt: skip
def test_missing_spellings_are_missing_in_every_column(missing):
    optional = [c for c in CURRENT if c not in ("event_id_cnty", "event_date", "event_type",
                                                "latitude", "longitude", "source")]  # fmt: skip
    row = {**ROWS[0], **dict.fromkeys(optional, missing)}
    ev = acled_frame(rows_table([ROWS[1], row]), file="x.csv")
    assert ev.attrs["rejected"] == [] and len(ev) == 2
    assert ev.loc[1, "actors"] == [] and ev.loc[1, "quantities"] == []
    assert ev.loc[1, "title"] == "Explosions/Remote violence"
    assert pd.isna(ev.loc[1, "description"]) and ev.loc[1, "details"] == [
        ("Event type", "Explosions/Remote violence")]  # fmt: skip
    assert ev.loc[1, ANALYST_COLUMNS].isna().all()
    assert ev.loc[1, "places"][0].name == "50.9216, 34.8003"  # named by its coordinates


def test_every_reader_has_one_set_of_missing_spellings():
    from geo.io import acled_columns, acled_fields, exports_common, missing

    assert acled_columns.MISSING is acled_fields.MISSING is exports_common.MISSING
    assert exports_common.MISSING is missing.MISSING
    assert {"null", "Null", "n/a", "Na", "NaN", "nAn", "None", "<NA>", "#N/A"} <= missing.MISSING
    assert not {"Namibia", "N", "none at all", "0"} & missing.MISSING


def test_missing_spellings_of_required_fields_reject_the_row():
    rows = [{**ROWS[0], "event_id_cnty": "NA"}, {**ROWS[1], "event_type": "NULL"},
            {**ROWS[2], "latitude": "NA", "longitude": "NA"}, {**ROWS[3], "source": "N/A"}]  # fmt: skip
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["id"]) == ["UKR214003"]  # no coordinates: placed by its name
    assert [str(r) for r in ev.attrs["rejected"]] == [
        "x.csv: row 2 (''): id: empty; expected a non-empty text",
        "x.csv: row 3 ('UKR214002'): kind: missing; expected a non-empty text",
        "x.csv: row 5 ('RUS8001'): source: empty; expected the name of who reports the event",
    ]


# --------------------------------------------------------------------------- rejected


def test_the_2020_global_export_reads_all_but_the_row_without_an_id():
    ev = read_acled(FIXTURES / "export_2020_global.csv")
    assert list(ev["id"]) == ["BFO3001", "BFO3002", "BFO3004", "NIG9005"]
    assert list(ev["date"]) == ["2020-05-09", "2020-05-12", "2020-05-18", "2020-05-19"]
    assert ev.loc[1, "date_precision"] == "week"
    assert [str(r) for r in ev.attrs["rejected"]] == [
        f"{FIXTURES / 'export_2020_global.csv'}: row 4 (''): id: empty; expected a non-empty text"
    ]
    assert len(ev) + len(ev.attrs["rejected"]) == ev.attrs["records"] == 5
    assert ev.loc[0, "inter1"] == "Political militias" and ev.loc[0, "interaction"] == (
        "Political militias-Civilians")  # fmt: skip
    assert dict(ev.loc[0, "details"])["Actor 1"] == (
        "Unidentified Armed Group (Burkina Faso) (Political militias)"
    )  # code 3
    assert dict(ev.loc[0, "details"])["Actor 2"] == "Civilians (Burkina Faso)"  # code 7


def test_bad_rows_are_rejected_with_their_first_bad_field():
    rows = [ROWS[0], {**ROWS[1], "fatalities": "-1", "event_date": "soon"},
            {**ROWS[2], "latitude": "north"}, ROWS[3]]  # fmt: skip
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert list(ev["id"]) == ["UKR214001", "RUS8001"]
    assert [(r.record, r.field) for r in ev.attrs["rejected"]] == [
        ("row 3 ('UKR214002')", "date"), ("row 4 ('UKR214003')", "place.lat")]  # fmt: skip
    assert str(ev.attrs["rejected"][0]) == (
        "x.csv: row 3 ('UKR214002'): date: expected a date like 2025, 2025-06 or 2025-06-19, "
        "got 'soon'"
    )
    assert ev.attrs["rejected"][1].reason == "expected a number, got 'north'"


def test_later_duplicates_are_rejected():
    rows = [ROWS[0], ROWS[1], {**ROWS[2], "event_id_cnty": "UKR214001"},
            {**ROWS[3], "event_id_cnty": "UKR214002", "latitude": "x"}]  # fmt: skip
    ev = acled_frame(rows_table(rows), file="x.csv", numbers=[2, 3, 5, 9])
    assert list(ev["id"]) == ["UKR214001", "UKR214002"]
    assert [str(r) for r in ev.attrs["rejected"]] == [
        "x.csv: row 5 ('UKR214001'): id: duplicate id; first used by row 2; expected unique ids",
        "x.csv: row 9 ('UKR214002'): place.lat: expected a number, got 'x'",
    ]


def test_strict_read_raises_the_first_rejection(tmp_path):
    path = write_csv(tmp_path / "export.csv", [ROWS[0], {**ROWS[1], "event_id_cnty": ""}])
    assert len(read_events(path)) == 1
    with pytest.raises(Exception) as info:
        read_events(path, strict=True)
    assert str(info.value) == f"{path}: row 3 (''): id: empty; expected a non-empty text"


# --------------------------------------------------------------------------- places


def test_rows_without_coordinates_are_placed_by_name_within_their_regions(tmp_path):
    rows = [{**ROWS[1], "location": "Sudzha", "latitude": "", "longitude": ""},
            {**ROWS[0], "location": "Nowhere", "latitude": "", "longitude": ""},
            {**ROWS[0], "event_id_cnty": "X1", "location": "Nowhere", "admin1": "", "admin2": "",
             "admin3": "", "country": "Atlantis", "iso": "", "latitude": "", "longitude": ""}]  # fmt: skip
    ev = read_acled(write_csv(tmp_path / "export.csv", rows), geocoder=Stub())
    assert ev.loc[0, "places"][0].id == "geonames:1" and ev.loc[0, "lat"] == 51.19
    assert ev.loc[0, "place_precision"] == "point" and ev.loc[0, "flags"] == []
    # Not found within Sumy, Ukraine: placed at what is known of them, and flagged.
    (fallback,) = ev.loc[1, "places"]
    assert fallback.country == "UA" and ev.loc[1, "place_precision"] in ("admin2", "admin1",
                                                                         "country")  # fmt: skip
    (flag,) = ev.loc[1, "flags"]
    assert flag.startswith("placed at ") and "'Nowhere'" in flag
    assert [(f.record, f.field, f.reason) for f in ev.attrs["flagged"]] == [
        ("row 3 ('UKR214001')", "place", flag)]  # fmt: skip
    # In no country known: unresolved, listed, never placed elsewhere.
    assert ev.loc[2, "places"] == [] and ev.geometry.isna().tolist() == [False, False, True]
    assert list(ev["unresolved"]) == [[], [], ["Nowhere"]]  # the names no geocoder knew
    assert pd.isna(ev.loc[2, "place_precision"])
    (unresolved,) = ev.attrs["unresolved"]
    assert unresolved.record == "row 4 ('X1')" and unresolved.field == "place"
    assert "Nowhere" in str(unresolved)


def test_a_row_without_a_location_is_placed_at_its_admin_area_not_a_town(tmp_path):
    """A dashboard row of a region (no location, admin1=Sagaing) is Sagaing Region, an
    admin1 area; never the town of Sagaing, which a row naming it as its location is."""
    region = {**ROWS[0], "country": "Myanmar", "iso": "104", "admin1": "Sagaing", "admin2": "",
              "admin3": "", "location": "", "latitude": "", "longitude": ""}  # fmt: skip
    rows = [region, {**region, "event_id_cnty": "X2", "location": "Sagaing"},
            {**region, "event_id_cnty": "X3", "admin1": "Nowhere", "country": "Atlantis",
             "iso": ""}]  # fmt: skip
    ev = read_acled(write_csv(tmp_path / "export.csv", rows))
    (area,) = ev.loc[0, "places"]
    assert (area.name, area.kind, ev.loc[0, "place_precision"]) == ("Sagaing", "region", "admin1")
    assert ev.loc[0, "flags"] == [] and ev.geometry[0].geom_type in ("Polygon", "MultiPolygon")
    (town,) = ev.loc[1, "places"]
    assert (town.kind, ev.loc[1, "place_precision"]) == ("city", "point")
    assert (area.lat, area.lon) != (town.lat, town.lon)
    # Not found: listed by the area's name, never as an empty one.
    assert ev.loc[2, "places"] == [] and list(ev["unresolved"])[2] == ["Nowhere"]
    assert [u.name for u in ev.attrs["unresolved"]] == ["Nowhere"]


def test_a_dashboard_subset_gets_visible_ids_from_its_rows():
    ev = read_acled(FIXTURES / "dashboard_burkina_faso.csv", geocoder=Stub())
    assert len(ev) == 5 and ev.attrs["rejected"] == []
    assert all(i.startswith("acled-") for i in ev["id"]) and ev["id"].is_unique
    assert ev.loc[4, "id"] == ev.loc[3, "id"] + "-2"  # two identical rows
    assert ev.attrs["notes"] == [
        f"{FIXTURES / 'dashboard_burkina_faso.csv'}: event_id_cnty: no such column: each "
        "event's id is 'acled-' and a hash of its row's cells (identical rows numbered -2, -3, ...)"
    ]
    again = read_acled(FIXTURES / "dashboard_burkina_faso.csv", geocoder=Stub())
    assert list(again["id"]) == list(ev["id"])  # deterministic
    # The same rows in another column order, without R's row names: the same ids.
    table = rows_table(pd.read_csv(FIXTURES / "dashboard_burkina_faso.csv", dtype=str,
                                   keep_default_na=False).to_dict("records"),
                       sorted(DASHBOARD[1:]))  # fmt: skip
    assert list(acled_frame(table, file="y.csv", geocoder=Stub())["id"]) == list(ev["id"])
    assert list(ev["kind"]) == ["violence_against_civilians", "battles", "protests",
                                "explosions_remote_violence", "explosions_remote_violence"]  # fmt: skip
    assert ev.loc[3, "quantities"] == []  # NA fatalities


def test_koria_burkina_faso_never_lands_outside_burkina_faso_unflagged():
    ev = read_acled(FIXTURES / "dashboard_burkina_faso.csv")
    assert len(ev) + len(ev.attrs["rejected"]) == 5
    placed = ev[ev.geometry.notna()]
    km = outside_country(placed["lon"].to_numpy(float), placed["lat"].to_numpy(float),
                 ["Burkina Faso"] * len(placed))  # fmt: skip
    flagged = np.array([bool(f) for f in placed["flags"]])
    assert ((np.nan_to_num(km) == 0) | flagged).all()
    koria = ev.loc[0]
    assert koria["geometry"] is None or not (80 < koria["lon"] < 90)  # never Korla, China
    if koria["geometry"] is None:
        assert "Koria" in str(ev.attrs["unresolved"][0])
    else:
        assert koria["place_precision"] in ("admin2", "admin1", "country", "point")
        assert koria["places"][0].country in ("BF", None)


def test_coordinates_outside_the_rows_country_are_flagged_and_kept():
    ev = read_acled(FIXTURES / "export_2020_global.csv")
    row = ev.set_index("id").loc["BFO3004"]
    assert (row["lat"], row["lon"]) == (14.49, -4.18)  # kept, not redrawn
    (flag,) = row["flags"]
    assert flag.startswith("coordinates lie ") and flag.endswith(
        " km outside Burkina Faso, the row's country")  # fmt: skip
    assert [(f.record, f.field, f.reason) for f in ev.attrs["flagged"]] == [
        ("row 5 ('BFO3004')", "place", flag)]  # fmt: skip
    assert sum(bool(f) for f in ev["flags"]) == 1


def test_a_point_in_a_country_not_known_is_flagged_and_a_known_code_is_used():
    abuja = {"latitude": "9.05", "longitude": "7.49", "admin1": "", "admin2": "", "admin3": ""}
    rows = [
        {**ROWS[0], **abuja, "country": "Akrotiri and Dhekelia", "iso": ""},
        {**ROWS[1], **abuja, "country": "Macedonia, FYR", "iso": "807"},  # a name not known
        {**ROWS[2], **abuja, "country": "", "iso": "804"},
        {**ROWS[3], "country": "Macedonia, FYR", "iso": "807", "latitude": "41.9965",
         "longitude": "21.4314", "location": "Skopje", "admin1": ""},
    ]  # fmt: skip
    ev = acled_frame(rows_table(rows), file="x.csv")
    assert ev.attrs["rejected"] == []
    assert ev.loc[0, "flags"] == [
        "country 'Akrotiri and Dhekelia' is not known: its coordinates were not checked"
    ]
    # The code 807 is North Macedonia; the flag names the country as the row does.
    assert ev.loc[1, "flags"][0].endswith(" km outside Macedonia, FYR, the row's country")
    # No name: the code's country by its name, never "outside 804".
    assert ev.loc[2, "flags"][0].endswith(" km outside Ukraine, the row's country")
    assert ev.loc[3, "flags"] == []  # Skopje is in 807
    assert [p[0].country for p in ev["places"]] == [None, "MK", "UA", "MK"]
    assert [f.reason for f in ev.attrs["flagged"]] == [t for ts in ev["flags"] for t in ts]


def test_given_points_carry_their_countrys_iso2(current):
    assert [p[0].country for p in current["places"]] == ["UA", "RU", "UA", "RU"]


def test_an_unknown_country_name_does_not_hide_a_known_code_when_placing_by_name():
    row = {**ROWS[0], "country": "Macedonia, FYR", "iso": "807", "latitude": "",
           "longitude": "", "location": "Skopje", "admin1": "", "admin2": "", "admin3": ""}  # fmt: skip
    ev = acled_frame(rows_table([row]), file="x.csv")
    assert ev.loc[0, "places"][0].country == "MK" and ev.attrs["unresolved"] == []
    assert 41 < ev.loc[0, "lat"] < 43 and 20 < ev.loc[0, "lon"] < 23


_BF = {
    "location": st.sampled_from(["Koria", "Djibo", "Korla", "Kaya", "Moscow", "Paris", "Dori",
                                 "Sahel", "Kursk", "", "Ouagadougou", "Bamako"]),
    "admin3": st.sampled_from(["Djibo", "Kaya", "", "Sudzha"]),
    "admin2": st.sampled_from(["Soum", "Seno", "Sanmatenga", "", "Kidal"]),
    "admin1": st.sampled_from(["Sahel", "Centre-Nord", "", "Kursk", "Ile-de-France"]),
    "country": st.sampled_from(["Burkina Faso", ""]),
}  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fixed_dictionaries(_BF), min_size=1, max_size=5))
def test_dashboard_rows_of_burkina_faso_never_land_elsewhere_unflagged(places):
    rows = [{"": str(i), "region": "Western Africa", "year": "2022", "event_date": "2022-12-28",
             "source": "Le Faso.net", "event_type": "Battles", "sub_event_type": "Armed clash",
             "fatalities": "1", "timestamp": "1672300000", "iso": "854", **p}
            for i, p in enumerate(places, 1)]  # fmt: skip
    ev = acled_frame(rows_table(rows, [*DASHBOARD, "iso"]), file="dash.csv")
    assert len(ev) + len(ev.attrs["rejected"]) == len(rows)
    placed = ev[ev["lat"].notna()]
    km = np.nan_to_num(outside_country(placed["lon"].to_numpy(float), placed["lat"].to_numpy(float),
                               ["BF"] * len(placed)))  # fmt: skip
    flagged = np.array([bool(f) for f in placed["flags"]], dtype=bool)
    assert ((km == 0) | flagged).all()
    assert all(p[0].country in ("BF", None) for p in placed["places"])


def test_a_hand_trimmed_export_reads_all_but_its_bad_rows():
    # Through read_events: the CSV reader rejects the truncated last line, this reader
    # the row without an id; the counts add up.
    path = FIXTURES / "export_2020_truncated.csv"
    ev = read_events(path)
    assert list(ev["id"]) == ["BFO3001", "BFO3002", "BFO3004"]
    assert [r.record for r in ev.attrs["rejected"]] == ["row 4 ('')", "line 6"]
    assert len(ev) + len(ev.attrs["rejected"]) == ev.attrs["records"] == 5
