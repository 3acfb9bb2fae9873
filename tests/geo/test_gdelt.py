"""GDELT 1.0 and 2.0 event files as they come: headerless, tab-separated, 57, 58 or 61
fields; what a row becomes, its CAMEO kind, its FIPS country, the rows refused and
listed (never fatal), and points outside the row's country flagged.

The fixtures (``tests/data/exports/gdelt/``) are invented events laid out as GDELT's
files are; the tables are built here as the table reader hands them over (every cell
text, named as GDELT's codebooks name the fields).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import InputError, read_events
from geo.io.gdelt import (
    CAMEO_ROOTS,
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    GDELT_ANALYST_COLUMNS,
    gdelt_columns,
    gdelt_frame,
)
from geo.model import Source
from geo.report import Flagged, Rejected
from geo.resolve import fips_country
from geo.table import COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data" / "exports" / "gdelt"
DAILY = DATA / "20160728.export.CSV"  # GDELT 1.0, 58 fields
V2 = DATA / "20220224120000.export.CSV"  # GDELT 2.0, 61 fields
BACKFILE = DATA / "201302.csv"  # GDELT 1.0 before April 2013: 57 fields


def lines(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()]


def table(rows: list[list[str]] | list[dict], columns=GDELT1_COLUMNS) -> pa.Table:
    if rows and isinstance(rows[0], dict):
        return pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})
    return pa.table({c: pa.array([r[k] for r in rows], pa.string()) for k, c in enumerate(columns)})


def read(path: Path):
    rows = lines(path)
    t = table(rows, gdelt_columns(len(rows[0])))
    return gdelt_frame(t, file=path.name, numbers=list(range(1, len(rows) + 1)))


def records(path: Path = DAILY) -> list[dict]:
    rows = lines(path)
    names = gdelt_columns(len(rows[0]))
    return [dict(zip(names, r, strict=True)) for r in rows]


@pytest.fixture(scope="module")
def daily():
    return read(DAILY)


def test_the_layouts():
    assert [len(gdelt_columns(n)) for n in (57, 58, 61)] == [57, 58, 61]
    assert gdelt_columns(60) is None
    assert {len(r) for r in lines(DAILY)} == {58} and {len(r) for r in lines(V2)} == {61}
    assert {len(r) for r in lines(BACKFILE)} == {57}
    assert GDELT2_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    # Fields 52, 53 and 61 (counted from 1) of a 2.0 line: the action's place, its
    # country and the source, as the GDELT 2.0 codebook numbers them.
    assert (GDELT2_COLUMNS[51:59]) == (
        "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID")  # fmt: skip
    assert GDELT1_COLUMNS[49:56] == tuple(c for c in GDELT2_COLUMNS[51:59] if "ADM2" not in c)
    assert GDELT2_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert [c for c in GDELT2_COLUMNS if c.endswith("ADM2Code")] == [
        "Actor1Geo_ADM2Code", "Actor2Geo_ADM2Code", "ActionGeo_ADM2Code"]  # fmt: skip
    assert set(GDELT1_COLUMNS) == set(GDELT2_COLUMNS) - {
        "Actor1Geo_ADM2Code", "Actor2Geo_ADM2Code", "ActionGeo_ADM2Code"}  # fmt: skip


def test_cameo_roots():
    assert list(CAMEO_ROOTS) == [f"{i:02d}" for i in range(1, 21)]
    assert (CAMEO_ROOTS["14"], CAMEO_ROOTS["18"], CAMEO_ROOTS["19"], CAMEO_ROOTS["20"]) == (
        "Protest", "Assault", "Fight", "Use unconventional mass violence")  # fmt: skip


def test_fips_is_not_iso():
    assert [fips_country(c) for c in ("RS", "UP", "KN", "KS", "UV", "US", "UK")] == [
        "RU", "UA", "KP", "KR", "BF", "US", "GB"]  # fmt: skip


def test_rows_become_events(daily):
    ev = daily
    assert list(ev["id"]) == [f"56123000{i}" for i in range(1, 7)]
    assert list(ev["kind"]) == ["fight", "protest", "threaten", "consult", "assault", "fight"]
    assert ev.attrs["kind_labels"] == {"fight": "Fight", "protest": "Protest",
                                       "threaten": "Threaten", "consult": "Consult",
                                       "assault": "Assault"}  # fmt: skip
    assert list(ev["title"][:3]) == ["Fight: RUSSIA – UKRAINE", "Protest: PROTESTER",
                                     "Threaten: NORTH KOREA – SOUTH KOREA"]  # fmt: skip
    assert list(ev["date"]) == ["2016-07-28"] * 2 + ["2016-07-27"] + ["2016-07-28"] * 3
    assert set(ev["date_precision"]) == {"day"} and ev["end_date"].isna().all()
    assert ev.loc[0, "actors"] == ["RUSSIA", "UKRAINE"] and ev.loc[1, "actors"] == ["PROTESTER"]
    assert ev.loc[0, "quantities"] == []
    assert ev.loc[0, "sources"] == [Source(
        "example-gazette.com",
        url="https://www.example-gazette.com/world/2016/07/28/shelling-near-donetsk")]  # fmt: skip
    assert ev.loc[2, "sources"] == [Source("BBC Monitoring")]  # a name, not a URL
    place = ev.loc[0, "places"][0]
    assert (place.name, place.lat, place.lon, place.country, place.approximate) == (
        "Donetsk, Donets'ka Oblast', Ukraine", 48.0159, 37.8029, "UA", False)  # fmt: skip
    # ActionGeo_Type: 4 world city, 1 country, 3 US city; then a name placed by the gazetteer.
    assert list(ev["place_precision"]) == ["point", "point", "country", "point", "point", "point"]
    assert ev.loc[2, "places"][0].country == "KP" and ev.loc[2, "places"][0].approximate
    assert ev.attrs["records"] == 7


def test_details(daily):
    assert daily.loc[0, "details"] == [
        ("CAMEO code", "190 (root 19)"),
        ("Quad class", "Material conflict (QuadClass 4)"),
        ("Goldstein scale", "-10"),
        ("Actor 1", "RUSSIA (RUSMIL)"),
        ("Actor 2", "UKRAINE (UKRMIL)"),
        ("Geo precision", "a world city (ActionGeo_Type 4)"),
        ("Coverage", "10 mentions, 2 sources, 10 articles"),
        ("Average tone", "-6.31818181818182"),
        ("Date added", "2016-07-28"),
    ]
    assert "Actor 2" not in dict(daily.loc[1, "details"])
    assert dict(daily.loc[2, "details"])["Geo precision"] == "a country (ActionGeo_Type 1)"
    assert dict(daily.loc[1, "details"])["Coverage"] == "4 mentions, 1 source, 4 articles"
    assert all(len(d) == len(dict(d)) for d in daily["details"])  # each label once


def test_analyst_columns_follow(daily):
    assert list(daily.columns) == [*COLUMNS, *GDELT_ANALYST_COLUMNS]
    assert daily.loc[0, "EventCode"] == "190" and daily.loc[0, "ActionGeo_CountryCode"] == "UP"
    assert pd.isna(daily.loc[1, "Actor2Name"]) and daily["ActionGeo_ADM2Code"].isna().all()


def test_no_place_is_rejected_not_dropped(daily):
    assert daily.attrs["rejected"] == [Rejected(
        DAILY.name, "row 7 ('561230007')", "ActionGeo_Lat",
        "missing; expected the action's coordinates, or its place (ActionGeo_FullName)")]  # fmt: skip


def test_outside_its_country_is_flagged(daily):
    """Moscow, Russia placed at Moscow, Idaho: kept where GDELT put it, flagged, listed."""
    ev = daily.set_index("id")
    [flag] = ev.loc["561230005", "flags"]
    assert flag.startswith("coordinates lie ") and flag.endswith(
        " km outside Russia (FIPS RS), the row's country")  # fmt: skip
    assert int(flag.split()[2].replace(",", "")) > 1000  # from Idaho to Chukotka
    assert daily.attrs["flagged"] == [Flagged(DAILY.name, "row 5 ('561230005')", "ActionGeo_Lat",
                                              flag)]  # fmt: skip
    assert ev.loc["561230005", "geometry"].coords[0] == (-117.0002, 46.7324)
    assert sum(bool(f) for f in daily["flags"]) == 1


def test_placed_by_name_within_its_country(daily):
    ev = daily.set_index("id")
    place = ev.loc["561230006", "places"][0]
    assert (place.name, place.country) == ("Kursk", "RU")
    assert 51 < place.lat < 52.5 and 35.5 < place.lon < 37
    assert [p["query"] for p in daily.attrs["places"]] == ["Kursk"]


def test_gdelt2(daily):
    ev = read(V2)
    assert list(ev["kind"]) == ["fight", "use_unconventional_mass_violence",
                                "engage_in_diplomatic_cooperation"]  # fmt: skip
    assert ev.attrs["kind_labels"]["use_unconventional_mass_violence"] == (
        "Use unconventional mass violence")  # fmt: skip
    assert dict(ev.loc[0, "details"])["Date added"] == "2022-02-24 12:00:00 UTC"
    assert ev.loc[0, "ActionGeo_ADM2Code"] == "27318"
    assert ev.loc[2, "place_precision"] == "admin1"  # a world state (ActionGeo_Type 5)
    assert ev.loc[2, "places"][0].country == "KR"  # FIPS KS
    assert ev.attrs["rejected"] == [] and ev.attrs["flagged"] == []


def test_gdelt1_backfile_has_no_source_url():
    ev = read(BACKFILE)
    assert list(ev["id"]) == ["246000001", "246000002"]
    assert ev.loc[0, "sources"] == [Source("GDELT")]
    assert ev["SOURCEURL"].isna().all()


GOOD = records()[0]

# (column, value, the field named, the reason) for one bad cell in a good row.
BAD = [
    ("GLOBALEVENTID", "", "GLOBALEVENTID", "missing; expected the event's id"),
    ("SQLDATE", "2016-07-28", "SQLDATE",
     "expected a date like 20160728 (YYYYMMDD), got '2016-07-28'"),
    ("SQLDATE", "", "SQLDATE", "missing; expected a date like 20160728 (YYYYMMDD)"),
    ("SQLDATE", "20160230", "SQLDATE",
     "expected a day of the calendar, got '20160230' (day is out of range for month)"),
    ("SQLDATE", "20241345", "SQLDATE", "expected a month from 1 to 12, got '20241345'"),
    ("EventRootCode", "21", "EventRootCode", "expected a CAMEO root code from 01 to 20, got '21'"),
    ("QuadClass", "5", "QuadClass", "expected a QuadClass from 1 to 4, got '5'"),
    ("ActionGeo_Lat", "north", "ActionGeo_Lat", "expected a number, got 'north'"),
    ("ActionGeo_Long", "", "ActionGeo_Long",
     "missing; expected it with ActionGeo_Lat, or neither"),
    ("ActionGeo_Long", "200", "ActionGeo_Long",
     "expected a longitude in [-180, 180], got 200.0"),
    ("Actor1Name", "RUS\x00SIA", "Actor1Name",
     "found a NUL character (U+0000) at character 4; expected text without NUL"),
]  # fmt: skip


@pytest.mark.parametrize("value", ["x12", "12x", "1.5", "-3", "1e5", "١٢"])
def test_a_globaleventid_that_is_no_number_is_rejected(value):
    frame = gdelt_frame(table([dict(GOOD, GLOBALEVENTID="1"), dict(GOOD, GLOBALEVENTID=value)]),
                        file="x.CSV", numbers=[1, 2])  # fmt: skip
    assert frame.attrs["rejected"] == [Rejected(
        "x.CSV", f"row 2 ('{value}')", "GLOBALEVENTID",
        f"expected GDELT's numeric GLOBALEVENTID, got '{value}'")]  # fmt: skip
    assert list(frame["id"]) == ["1"]


@pytest.mark.parametrize(("column", "value", "field", "reason"), BAD)
def test_a_bad_row_is_rejected_not_fatal(column, value, field, reason):
    bad = dict(GOOD, GLOBALEVENTID="9") if column != "GLOBALEVENTID" else dict(GOOD)
    bad[column] = value
    frame = gdelt_frame(table([dict(GOOD, GLOBALEVENTID="1"), bad]), file="x.CSV",
                        numbers=[1, 2])  # fmt: skip
    label = "row 2" + (f" ('{bad['GLOBALEVENTID']}')" if bad["GLOBALEVENTID"] else "")
    assert frame.attrs["rejected"] == [Rejected("x.CSV", label, field, reason)]
    assert list(frame["id"]) == ["1"] and frame.attrs["records"] == 2


def test_the_root_code_from_the_event_code():
    frame = gdelt_frame(table([dict(GOOD, EventRootCode="", EventCode="183")]), file="x")
    assert frame.loc[0, "kind"] == "assault"
    [r] = gdelt_frame(table([dict(GOOD, EventRootCode="", EventCode="")]), file="x").attrs[
        "rejected"]  # fmt: skip
    assert (r.field, r.reason) == (
        "EventRootCode",
        "missing; expected a CAMEO root code from 01 to 20, or an EventCode",
    )


def test_a_duplicate_id_is_rejected_later():
    frame = gdelt_frame(table([GOOD, GOOD]), file="x.CSV", numbers=[1, 2])
    assert frame.attrs["rejected"] == [Rejected(
        "x.CSV", "row 2 ('561230001')", "GLOBALEVENTID",
        "duplicate id; first used by row 1; expected unique ids")]  # fmt: skip


def test_missing_spellings_are_missing():
    frame = gdelt_frame(table([dict(GOOD, Actor2Name="NA", Actor2Code="null",
                                    GoldsteinScale="NaN")]), file="x")  # fmt: skip
    assert frame.loc[0, "actors"] == ["RUSSIA"] and frame.loc[0, "title"] == "Fight: RUSSIA"
    assert pd.isna(frame.loc[0, "Actor2Name"]) and pd.isna(frame.loc[0, "GoldsteinScale"])
    assert "Goldstein scale" not in dict(frame.loc[0, "details"])


@pytest.mark.parametrize("missing", ["Null", "n/a", "Na", "None", "<NA>"])
def test_missing_spellings_in_any_case_are_missing(missing):
    frame = gdelt_frame(table([dict(GOOD, Actor2Name=missing, Actor2Code=missing)]), file="x")
    assert frame.loc[0, "actors"] == ["RUSSIA"] and pd.isna(frame.loc[0, "Actor2Name"])


def test_source_hosts():
    urls = ["https://WWW.Example.com/a", "http://user@example.org:8080/x", "MENA", ""]
    frame = gdelt_frame(table([dict(GOOD, GLOBALEVENTID=str(i), SOURCEURL=u)
                               for i, u in enumerate(urls)]), file="x")  # fmt: skip
    assert [s[0].name for s in frame["sources"]] == ["example.com", "example.org", "MENA",
                                                     "GDELT"]  # fmt: skip
    assert frame.loc[0, "sources"][0].url == "https://WWW.Example.com/a"


_BAD_CELLS = [(c, v) for c, v, _, _ in BAD if c != "GLOBALEVENTID"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.sampled_from(_BAD_CELLS)), max_size=25))
def test_read_and_rejected_add_up(mix):
    """For any mix of good and bad rows: read + rejected = input, every good row is read
    (in order), and every rejection names a bad row."""
    rows = []
    for i, bad in enumerate(mix):
        row = dict(GOOD, GLOBALEVENTID=str(700 + i))
        if bad is not None:
            row[bad[0]] = bad[1]
        rows.append(row)
    frame = gdelt_frame(table(rows), file="x.CSV", numbers=list(range(1, len(rows) + 1)))
    good = [r["GLOBALEVENTID"] for r, bad in zip(rows, mix, strict=True) if bad is None]
    assert len(frame) + len(frame.attrs["rejected"]) == frame.attrs["records"] == len(rows)
    assert list(frame["id"]) == good
    assert [r.record for r in frame.attrs["rejected"]] == [
        f"row {n} ('{r['GLOBALEVENTID']}')"
        for n, (r, bad) in enumerate(zip(rows, mix, strict=True), 1) if bad
    ]  # fmt: skip


@pytest.mark.parametrize("path", [DAILY, V2, BACKFILE], ids=lambda p: p.name)
def test_read_events_reads_each_file_as_its_reader_does(path):
    """Through geo.read_events (the table reader finds a headerless GDELT file by its
    fields, ``.CSV`` though it is tab-separated): the frame the reader makes of it."""
    ev = read_events(path)
    direct = read(path)
    assert ev.attrs["records"] == direct.attrs["records"] and len(ev) == len(direct)
    for column in ("id", "kind", "title", "date", "place_precision", "details", "flags",
                   "sources", "actors", "lat", "lon"):  # fmt: skip
        assert ev[column].tolist() == direct[column].tolist(), column
    assert [r.record for r in ev.attrs["rejected"]] == [r.record for r in direct.attrs["rejected"]]


def test_strict_raises_the_first_rejection():
    with pytest.raises(InputError, match=r"row 7 \('561230007'\): ActionGeo_Lat: missing"):
        read_events(DAILY, strict=True)


def test_a_name_not_found_in_its_country_is_listed_not_guessed():
    row = dict(GOOD, ActionGeo_Lat="", ActionGeo_Long="",
               ActionGeo_FullName="Xyzzyville, Nowhere Oblast, Ukraine")  # fmt: skip
    frame = gdelt_frame(table([row]), file="x.CSV", numbers=[1])
    if frame.loc[0, "places"]:  # placed at Ukraine, the fallback said
        assert frame.loc[0, "places"][0].country == "UA" and frame.loc[0, "flags"]
        assert [f.field for f in frame.attrs["flagged"]] == ["ActionGeo_FullName"]
    else:
        assert frame.loc[0, "geometry"] is None and pd.isna(frame.loc[0, "place_precision"])
        assert [str(u) for u in frame.attrs["unresolved"]] == [
            "x.CSV: row 1 ('561230001'): ActionGeo_FullName: 'Xyzzyville'"]  # fmt: skip
    assert frame.attrs["rejected"] == []


@pytest.mark.parametrize("code", ["XX", "", "NA"])
def test_a_code_gdelt_lacks_leaves_the_country_its_place_name_gives(code):
    """'Koria, Burkina Faso' with a FIPS code the table lacks (or none): Burkina Faso is
    still the constraint, so never Korla, China; placed within Burkina Faso or listed."""
    row = dict(GOOD, ActionGeo_Lat="", ActionGeo_Long="", ActionGeo_Type="4",
               ActionGeo_FullName="Koria, Burkina Faso", ActionGeo_CountryCode=code)  # fmt: skip
    frame = gdelt_frame(table([row]), file="x.CSV", numbers=[1])
    assert frame.attrs["rejected"] == []
    if frame.loc[0, "places"]:
        assert frame.loc[0, "places"][0].country == "BF"
        assert -6 < frame.loc[0, "lon"] < 3 and 9 < frame.loc[0, "lat"] < 16
    else:
        assert [u.name for u in frame.attrs["unresolved"]] == ["Koria"]
    assert [p["country"] for p in frame.attrs["places"]] == ["BF"]


def test_a_code_and_a_name_of_different_countries_are_flagged():
    rows = [dict(GOOD, GLOBALEVENTID="1", ActionGeo_Lat="", ActionGeo_Long="", ActionGeo_Type="4",
                 ActionGeo_FullName="Paris, Ile-de-France, France", ActionGeo_CountryCode="UP"),
            dict(GOOD, GLOBALEVENTID="2", ActionGeo_Lat="48.85", ActionGeo_Long="2.35",
                 ActionGeo_FullName="Paris, Ile-de-France, France", ActionGeo_CountryCode="UP"),
            dict(GOOD, GLOBALEVENTID="3", ActionGeo_Lat="48.85", ActionGeo_Long="2.35",
                 ActionGeo_FullName="Paris, Ile-de-France, France", ActionGeo_CountryCode="FR")]  # fmt: skip
    frame = gdelt_frame(table(rows), file="x.CSV", numbers=[1, 2, 3])
    conflict = ("the country code FIPS UP is Ukraine, but the place's name, 'Paris, "
                "Ile-de-France, France', is in France: placed and checked within Ukraine")  # fmt: skip
    assert conflict in frame.loc[0, "flags"]
    assert frame.loc[1, "flags"][-1] == conflict
    assert frame.loc[1, "flags"][0].endswith(" km outside Ukraine (FIPS UP), the row's country")
    assert frame.loc[2, "flags"] == []  # FR is France
    assert [(f.record, f.field) for f in frame.attrs["flagged"] if f.reason == conflict] == [
        ("row 1 ('1')", "ActionGeo_CountryCode"), ("row 2 ('2')", "ActionGeo_CountryCode")]  # fmt: skip


def test_a_point_in_a_country_not_known_is_flagged():
    rows = [dict(GOOD, GLOBALEVENTID="1", ActionGeo_Lat="9.05", ActionGeo_Long="7.49",
                 ActionGeo_FullName="Somewhere", ActionGeo_CountryCode="XX"),
            dict(GOOD, GLOBALEVENTID="2", ActionGeo_Lat="9.05", ActionGeo_Long="7.49",
                 ActionGeo_FullName="Somewhere", ActionGeo_CountryCode="")]  # fmt: skip
    frame = gdelt_frame(table(rows), file="x.CSV", numbers=[1, 2])
    assert frame.loc[0, "flags"] == [
        "country 'FIPS XX' is not known: its coordinates were not checked"
    ]
    assert frame.loc[1, "flags"] == []  # no country named: nothing to check against
