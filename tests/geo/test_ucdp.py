"""UCDP GED exports as they come: what a row becomes, each layout (GED 23.1, the
start_year/iso3 variant, the HDX copy with its HXL row, R's NA), the rows refused and
listed (never fatal), and points outside the row's country flagged.

The fixtures (``tests/data/exports/ucdp/``) are invented rows laid out as the real
exports are; the tables are built here as the table reader hands them over (every
cell text, column names lower-cased).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import InputError, read_events
from geo.io.ucdp import UCDP_ANALYST_COLUMNS, UCDP_COLUMNS, is_ucdp, ucdp_frame
from geo.model import Quantity, Source
from geo.report import Flagged, Rejected
from geo.table import COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data" / "exports" / "ucdp"
GED = DATA / "GEDEvent_v23_1.csv"


def read_csv(path: Path) -> tuple[pa.Table, list[int]]:
    """A UCDP CSV as the table reader gives it: text cells, lower-case names, the HXL
    row left out but counted."""
    with path.open(encoding="utf-8", newline="") as f:
        header, *lines = list(csv.reader(f))
    numbers = list(range(2, 2 + len(lines)))
    if lines and lines[0] and all(c.startswith("#") or not c for c in lines[0]):
        lines, numbers = lines[1:], numbers[1:]
    return table([dict(zip(header, line, strict=True)) for line in lines], header), numbers


def table(rows: list[dict], columns=UCDP_COLUMNS) -> pa.Table:
    names = [c.strip().lower() for c in columns]
    return pa.table({n: pa.array([r.get(c, "") for r in rows], pa.string())
                     for n, c in zip(names, columns, strict=True)})  # fmt: skip


def read(path: Path = GED):
    t, numbers = read_csv(path)
    return ucdp_frame(t, file=path.name, numbers=numbers)


def rows_of(path: Path = GED) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def ged():
    return read()


def test_columns_are_ucdp():
    with GED.open(encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    assert tuple(header) == UCDP_COLUMNS and is_ucdp(header)
    assert not is_ucdp(["event_id_cnty", "event_date", "latitude", "longitude"])


def test_rows_become_events(ged):
    ev = ged
    assert list(ev["id"]) == [f"90010{i}" for i in range(1, 8)]
    assert list(ev["kind"]) == ["state_based", "state_based", "one_sided", "state_based",
                                "non_state", "state_based", "state_based"]  # fmt: skip
    assert ev.attrs["kind_labels"] == {"state_based": "State-based violence",
                                       "one_sided": "One-sided violence",
                                       "non_state": "Non-state violence"}  # fmt: skip
    assert ev.loc[0, "title"] == "State-based violence: northern outskirts of Kharkiv city"
    assert ev.loc[4, "title"] == "Non-state violence: Syria"
    assert ev.loc[0, "actors"] == ["Government of Russia (Soviet Union)", "Government of Ukraine"]
    assert ev.loc[0, "quantities"] == [Quantity(12.0, "fatalities", low=10.0, high=15.0)]
    assert ev.loc[5, "quantities"] == [Quantity(1.0, "fatalities", low=1.0, high=40.0)]
    assert ev.loc[0, "sources"] == [
        Source("Ukrinform", claim="Shelling reported in northern Kharkiv", date="2022-02-24"),
        Source("Reuters", claim="Fighting on the edge of Kharkiv", date="2022-02-25"),
    ]
    assert pd.isna(ev.loc[0, "description"])  # the headlines are the sources' claims
    place = ev.loc[0, "places"][0]
    assert (place.name, place.lat, place.lon, place.country, place.approximate) == (
        "Kharkiv town, Kharkiv oblast, Ukraine", 49.9935, 36.2304, "UA", False)  # fmt: skip
    assert ev.loc[1, "places"][0].approximate  # where_prec 2: near the place
    assert ev.loc[0, "geometry"].coords[0] == (36.2304, 49.9935)
    assert list(ev["place_precision"]) == ["point", "near", "admin1", "point", "country",
                                           "area", "point"]  # fmt: skip
    assert (ev.attrs["records"], ev.attrs["rejected"], ev.attrs["unresolved"]) == (7, [], [])


def test_date_ranges(ged):
    ev = ged
    assert ev.loc[0, "date"] == "2022-02-24" and pd.isna(ev.loc[0, "end_date"])  # one day
    assert (ev.loc[1, "date"], ev.loc[1, "end_date"]) == ("2022-02-28", "2022-03-02")
    assert str(ev.loc[1, "date_start"].date()) == "2022-02-28"
    assert str(ev.loc[1, "date_end"].date()) == "2022-03-02"
    # date_prec 2 (within 2 to 6 days) and 3 (within a week): the week, its range the row's
    assert list(ev["date_precision"]) == ["day", "week", "week", "day", "month", "day", "day"]
    assert (ev.loc[2, "date"], ev.loc[2, "end_date"]) == ("2022-05-08", "2022-05-14")
    # date_prec 4 over ten days: the month, from date_start to date_end
    assert (ev.loc[4, "date"], ev.loc[4, "end_date"]) == ("2022-07", "2022-07-10")
    assert [str(ev.loc[4, c].date()) for c in ("date_start", "date_end")] == [
        "2022-07-01", "2022-07-10"]  # fmt: skip
    assert str(ev["date_start"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize(
    ("prec", "start", "end", "date", "end_date", "precision", "interval"),
    [
        ("5", "2023-09-17", "2023-09-17", "2023", None, "year", ("2023-01-01", "2023-12-31")),
        ("5", "2022-12-20", "2023-01-10", "2022", "2023-01-10", "year",
         ("2022-01-01", "2023-01-10")),
        ("5", "2022-03-01", "2022-06-30", "2022", "2022-06-30", "year",
         ("2022-03-01", "2022-06-30")),
        ("4", "2023-09-17", "2023-09-17", "2023-09", None, "month", ("2023-09-01", "2023-09-30")),
        ("4", "2023-09-13", "2023-10-13", "2023-09", "2023-10-13", "month",
         ("2023-09-13", "2023-10-13")),
        ("3", "2023-09-17", "2023-09-17", "2023-09-17", None, "week",
         ("2023-09-17", "2023-09-23")),
        ("2", "2023-09-17", "2023-09-17", "2023-09-17", None, "week",
         ("2023-09-17", "2023-09-23")),
        ("2", "2023-09-17", "2023-09-19", "2023-09-17", "2023-09-19", "week",
         ("2023-09-17", "2023-09-19")),
        ("1", "2023-09-17", "2023-09-19", "2023-09-17", "2023-09-19", "day",
         ("2023-09-17", "2023-09-19")),
        ("", "2023-09-17", "2023-09-17", "2023-09-17", None, "day", ("2023-09-17", "2023-09-17")),
    ],
)  # fmt: skip
def test_date_prec_is_the_dates_precision(prec, start, end, date, end_date, precision, interval):
    """date_prec 5 ("only the year known") on a single day is that year, not the day; the
    row's own range is kept, widened only where it is narrower than date_prec says."""
    row = dict(GOOD, date_prec=prec, date_start=f"{start} 00:00:00.000",
               date_end=f"{end} 00:00:00.000")  # fmt: skip
    ev = ucdp_frame(table([row]), file="x.csv")
    assert ev.attrs["rejected"] == []
    got_end = ev.loc[0, "end_date"]
    assert (ev.loc[0, "date"], None if pd.isna(got_end) else got_end) == (date, end_date)
    assert ev.loc[0, "date_precision"] == precision
    assert tuple(str(ev.loc[0, c].date()) for c in ("date_start", "date_end")) == interval


def test_details(ged):
    assert ged.loc[0, "details"] == [
        ("Conflict", "Russia - Ukraine"),
        ("Dyad", "Government of Russia (Soviet Union) - Government of Ukraine"),
        ("Side A", "Government of Russia (Soviet Union)"),
        ("Side B", "Government of Ukraine"),
        ("Deaths", "side A 2, side B 6, civilians 4, unknown 0"),
        ("Admin areas", "Kharkivskyi raion, Kharkiv oblast, Ukraine"),
        ("Where precision", "the exact place (UCDP where_prec 1)"),
        ("Date precision", "the exact day (UCDP date_prec 1)"),
        ("Event clarity", "high (UCDP event_clarity 1)"),
        ("Original source", "Ukrainian officials"),
    ]
    details = dict(ged.loc[2, "details"])
    assert details["Where precision"] == "only the province (admin 1) known (UCDP where_prec 4)"
    assert details["Date precision"] == "within a week (UCDP date_prec 3)"
    assert details["Event clarity"] == "low (UCDP event_clarity 2)"
    assert "Original source" not in details  # empty
    assert dict(ged.loc[5, "details"])["Where precision"] == (
        "international waters or airspace (UCDP where_prec 7)")  # fmt: skip
    labels = [label for d in ged["details"] for label, _ in d]
    assert all(isinstance(t, str) and t for d in ged["details"] for _, t in d)
    assert len(set(labels)) == 10
    assert not {"Type of violence", "Fatalities", "Location"} & set(labels)  # said elsewhere
    assert all(len(d) == len(dict(d)) for d in ged["details"])


def test_analyst_columns_follow(ged):
    assert list(ged.columns) == [*COLUMNS, *UCDP_ANALYST_COLUMNS]
    assert ged.loc[0, "conflict_name"] == "Russia - Ukraine"
    assert ged.loc[0, "adm_2"] == "Kharkivskyi raion"
    assert pd.isna(ged.loc[2, "adm_2"])  # empty is missing, not ""
    assert ged.loc[0, "deaths_civilians"] == "4" and ged.loc[0, "best"] == "12"
    assert ged.loc[0, "where_prec"] == "1" and ged.loc[0, "iso3"] == "UKR"


def test_outside_its_country_is_flagged(ged):
    """Markoye's row names Burkina Faso; its coordinates lie in Mali."""
    ev = ged.set_index("id")
    [flag] = ev.loc["900104", "flags"]
    assert flag.startswith("coordinates lie ") and flag.endswith(
        " km outside Burkina Faso, the row's country")  # fmt: skip
    assert ged.attrs["flagged"] == [Flagged(GED.name, "row 5 ('900104')", "latitude", flag)]
    assert ev.loc["900104", "geometry"].coords[0] == (-0.04, 16.27)  # kept where it was given
    # International waters (where_prec 7) lie in no country: not checked.
    assert ev.loc["900106", "flags"] == []
    assert sum(bool(f) for f in ged["flags"]) == 1


def test_geom_wkt_when_no_latitude(ged):
    ev = ged.set_index("id")
    assert (ev.loc["900107", "lat"], ev.loc["900107", "lon"]) == (50.4501, 30.5234)
    assert ev.loc["900107", "place_precision"] == "point"


@pytest.mark.parametrize("name", ["ged_years_iso3.csv", "conflict_data_ukr.csv",
                                  "ged_r_export.csv"])  # fmt: skip
def test_layouts_read_alike(ged, name):
    """start_year/end_year and iso3 moved, the HDX copy (HXL row, row numbers from 3), and
    R's NA for every empty cell: the same rows make the same events."""
    other = read(DATA / name)
    assert other.attrs["rejected"] == [] and len(other) > 1
    same = ged.set_index("id").loc[list(other["id"])].reset_index()
    for column in COLUMNS:
        if column not in ("geometry",):
            assert other[column].tolist() == same[column].tolist(), column
    assert other.geometry.equals(same.geometry)


def test_hdx_rows_are_numbered_after_the_hxl_row():
    t, numbers = read_csv(DATA / "conflict_data_ukr.csv")
    assert numbers[0] == 3
    rows = t.to_pylist()
    rows[1]["best"] = "many"
    frame = ucdp_frame(table(rows), file="hdx.csv", numbers=numbers)
    assert frame.attrs["rejected"] == [
        Rejected("hdx.csv", "row 4 ('900102')", "best", "expected a number, got 'many'")]  # fmt: skip


def test_r_na_is_missing():
    ev = read(DATA / "ged_r_export.csv")
    assert pd.isna(ev.loc[0, "adm_2"]) and pd.isna(ev.loc[0, "source_original"])
    assert "Original source" not in dict(ev.loc[0, "details"])
    assert all("NA" not in (a for a in actors) for actors in ev["actors"])


GOOD = rows_of()[0]

# (column, value, the field named, the reason) for one bad cell in a good row.
BAD = [
    ("id", "", "id", "missing; expected the event's id"),
    ("id", "9001 01", "id", "expected letters, digits, '-', '_', '.' or ':', got '9001 01'"),
    ("type_of_violence", "4", "type_of_violence",
     "expected 1 (state-based), 2 (non-state) or 3 (one-sided), got '4'"),
    ("type_of_violence", "NA", "type_of_violence",
     "missing; expected 1 (state-based), 2 (non-state) or 3 (one-sided)"),
    ("where_prec", "9", "where_prec", "expected a where_prec from 1 to 7, got '9'"),
    ("date_prec", "0", "date_prec", "expected a date_prec from 1 to 5, got '0'"),
    ("date_start", "", "date_start", "missing; expected the day it started, like 2022-02-24"),
    ("date_start", "soon", "date_start",
     "expected a date like 2025, 2025-06 or 2025-06-19, got 'soon'"),
    ("date_end", "2022-02-20 00:00:00.000", "date_end",
     "expected a date on or after 2022-02-24, got 2022-02-20"),
    ("best", "many", "best", "expected a number, got 'many'"),
    ("best", "-1", "best", "expected a number of 0 or more, got -1"),
    ("high", "9", "high", "expected low <= best <= high, got low=10 best=12 high=9"),
    ("high", "11", "high", "expected low <= best <= high, got low=10 best=12 high=11"),
    ("low", "13", "low", "expected low <= best <= high, got low=13 best=12 high=15"),
    ("low", "x", "low", "expected a number, got 'x'"),
    ("deaths_b", "six", "deaths_b", "expected a number, got 'six'"),
    ("latitude", "95", "latitude", "expected a latitude in [-90, 90], got 95.0"),
    ("longitude", "east", "longitude", "expected a number, got 'east'"),
    ("side_a", "Government\x00of Russia", "side_a",
     "found a NUL character (U+0000) at character 11; expected text without NUL"),
]  # fmt: skip


@pytest.mark.parametrize(("column", "value", "field", "reason"), BAD)
def test_a_bad_row_is_rejected_not_fatal(column, value, field, reason):
    bad = dict(GOOD, id="900199") if column != "id" else dict(GOOD)
    bad[column] = value
    frame = ucdp_frame(table([dict(GOOD, id="900100"), bad]), file="x.csv")
    label = "row 3" + (f" ('{bad['id']}')" if bad["id"] else "")
    assert frame.attrs["rejected"] == [Rejected("x.csv", label, field, reason)]
    assert list(frame["id"]) == ["900100"] and frame.attrs["records"] == 2


def test_no_coordinates_at_all():
    row = dict(GOOD, latitude="", longitude="", geom_wkt="")
    for name in ("where_coordinates", "adm_1", "adm_2", "country", "iso3"):
        row[name] = ""
    frame = ucdp_frame(table([row]), file="x.csv")
    [r] = frame.attrs["rejected"]
    assert (r.field, r.reason) == ("latitude", "missing; expected latitude and longitude, or a "
                                   "place (where_coordinates, adm_1, country)")  # fmt: skip
    half = ucdp_frame(table([dict(GOOD, latitude="")]), file="x.csv").attrs["rejected"]
    assert [(r.field, r.reason) for r in half] == [
        ("latitude", "missing; expected it with longitude, or neither")]  # fmt: skip
    wkt = ucdp_frame(table([dict(GOOD, latitude="", longitude="", geom_wkt="LINESTRING (1 2, 3 4)")]),
                     file="x.csv").attrs["rejected"]  # fmt: skip
    assert [r.field for r in wkt] == ["geom_wkt"]


def test_the_first_bad_field_in_column_order():
    bad = dict(GOOD, type_of_violence="7", best="many", date_start="soon")
    [r] = ucdp_frame(table([bad]), file="x.csv").attrs["rejected"]
    assert r.field == "type_of_violence"


def test_a_duplicate_id_is_rejected_later():
    frame = ucdp_frame(table([GOOD, dict(GOOD, id="900102"), GOOD]), file="x.csv")
    assert list(frame["id"]) == ["900101", "900102"]
    assert frame.attrs["rejected"] == [Rejected(
        "x.csv", "row 4 ('900101')", "id", "duplicate id; first used by row 2; expected unique ids"
    )]  # fmt: skip


def test_codes_saved_as_floats_are_codes():
    frame = ucdp_frame(table([dict(GOOD, type_of_violence="3.0", where_prec="2.0")]), file="x")
    assert (frame.loc[0, "kind"], frame.loc[0, "place_precision"]) == ("one_sided", "near")


def test_kinds_are_ids_the_schema_keeps():
    """The kinds are what normalize_kind makes of them: the same events written as YAML,
    or read back from a file write_events wrote, keep them."""
    from geo.io.ucdp import VIOLENCE
    from geo.schema import normalize_kind

    assert all(normalize_kind(kind) == kind for kind, _ in VIOLENCE.values())


def test_placed_by_name_within_its_country():
    """A row without coordinates is placed by name inside the row's country."""
    row = dict(
        GOOD,
        id="1",
        latitude="",
        longitude="",
        geom_wkt="",
        where_coordinates="Kharkiv",
        adm_2="",
        adm_1="Kharkiv oblast",
    )
    nowhere = dict(row, id="2", where_coordinates="Xyzzyville", adm_1="", adm_2="")
    frame = ucdp_frame(table([row, nowhere]), file="x.csv")
    place = frame.loc[0, "places"][0]
    assert place.country == "UA" and 49 < place.lat < 51 and 35 < place.lon < 37.5
    assert frame.loc[0, "place_precision"] in ("point", "admin1")
    # Not found in Ukraine: placed at the country, flagged and listed; never elsewhere.
    assert frame.loc[1, "places"][0].id == "iso:UA"
    assert frame.loc[1, "place_precision"] == "country"
    [flag] = frame.loc[1, "flags"]
    assert "'Xyzzyville' was not found" in flag
    assert frame.attrs["flagged"] == [Flagged("x.csv", "row 3 ('2')", "where_coordinates", flag)]
    assert frame.attrs["rejected"] == []


def test_a_long_text_is_cut_and_listed():
    frame = ucdp_frame(table([dict(GOOD, side_a="A" * 12_000)]), file="x.csv")
    assert len(frame.loc[0, "actors"][0]) == 10_000
    assert frame.attrs["truncated"] == [
        "x.csv: row 2 ('900101'): side_a: truncated to 10,000 of 12,000 characters"]  # fmt: skip


def test_an_empty_table():
    frame = ucdp_frame(table([]), file="x.csv")
    assert len(frame) == 0 and frame.attrs["records"] == 0 and list(frame.columns)[:3] == [
        "id", "kind", "title"]  # fmt: skip


_BAD_CELLS = [(c, v) for c, v, _, _ in BAD if c != "id"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.sampled_from(_BAD_CELLS)), max_size=25),
       st.integers(min_value=2, max_value=40))  # fmt: skip
def test_read_and_rejected_add_up(mix, first):
    """For any mix of good and bad rows: read + rejected = input, every good row is read
    (in order), and every rejection names a bad row."""
    rows = []
    for i, bad in enumerate(mix):
        row = dict(GOOD, id=f"9{i:05d}")
        if bad is not None:
            row[bad[0]] = bad[1]
        rows.append(row)
    numbers = list(range(first, first + len(rows)))
    frame = ucdp_frame(table(rows), file="x.csv", numbers=numbers)
    good = [r["id"] for r, bad in zip(rows, mix, strict=True) if bad is None]
    assert len(frame) + len(frame.attrs["rejected"]) == frame.attrs["records"] == len(rows)
    assert list(frame["id"]) == good
    assert [r.record for r in frame.attrs["rejected"]] == [
        f"row {n} ('{r['id']}')" for n, r, bad in zip(numbers, rows, mix, strict=True) if bad
    ]


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_read_events_reads_each_file_as_its_reader_does(path):
    """Through geo.read_events (the table reader finds the format, the HXL row, R's NA):
    the frame the reader makes of the table, the file named as given."""
    ev = read_events(path)
    direct = read(path)
    assert ev.attrs["records"] == direct.attrs["records"] and len(ev) == len(direct)
    for column in ("id", "kind", "title", "date", "end_date", "place_precision", "details",
                   "flags", "quantities", "sources", "actors", "lat", "lon"):  # fmt: skip
        assert ev[column].tolist() == direct[column].tolist(), column
    assert [f.record for f in ev.attrs["flagged"]] == [f.record for f in direct.attrs["flagged"]]
    assert {f.file for f in ev.attrs["flagged"]} <= {str(path)}


@pytest.mark.parametrize(
    ("where", "adm_1", "lat", "lon"),
    [("Kharkiv town", "Kharkiv oblast", 49.99, 36.23),
     ("Chernihiv town", "Chernihiv oblast", 51.50, 31.29),
     ("Kharkiv city", "", 49.99, 36.23), ("Odesa CITY", "Odesa oblast", 46.48, 30.73)],
)  # fmt: skip
def test_where_coordinates_is_found_without_the_word_saying_what_it_is(where, adm_1, lat, lon):
    row = dict(rows_of()[0], id="9002", latitude="", longitude="", geom_wkt="",
               where_coordinates=where, adm_1=adm_1, adm_2="")  # fmt: skip
    frame = ucdp_frame(table([row]), file="x.csv")
    assert frame.loc[0, "place_precision"] == "point" and frame.loc[0, "flags"] == []
    assert abs(frame.loc[0, "lat"] - lat) < 0.2 and abs(frame.loc[0, "lon"] - lon) < 0.2


def test_the_qualifier_rule():
    from geo.io.ucdp import _unqualified

    assert [_unqualified(n) for n in ("Kharkiv town", "Dara village", "Arghandab district",
                                      "Helmand province", "Kabul city", "Kuwait City",
                                      "Panama City", "town", "Townsville")] == [
        "Kharkiv", "Dara", "Arghandab", "Helmand", "Kabul", "Kuwait City", "Panama City", "town",
        "Townsville"]  # fmt: skip


def test_a_point_in_a_country_not_known_is_flagged():
    row = dict(rows_of()[0], id="9001", country="Akrotiri and Dhekelia", iso3="",
               latitude="34.59", longitude="32.98")  # fmt: skip
    frame = ucdp_frame(table([row]), file="x.csv")
    flag = "country 'Akrotiri and Dhekelia' is not known: its coordinates were not checked"
    assert frame.loc[0, "flags"] == [flag]
    assert [(f.record, f.field, f.reason) for f in frame.attrs["flagged"]] == [
        ("row 2 ('9001')", "latitude", flag)]  # fmt: skip


def test_missing_spellings():
    from geo.io.exports_common import cleaned

    values = pa.array(["", " NA ", "N/A", "n/a", "nan", "NaN", "NULL", "null", "Namibia", "NAN",
                       " x ", None])  # fmt: skip
    assert cleaned(values).to_pylist() == [""] * 8 + ["Namibia", "", "x", ""]
    # whatever the case, and pandas' other spellings: one set with ACLED's and the flat CSV's
    values = pa.array(["Na", "nA", "N/a", "Nan", "nULL", "None", "NONE", "<NA>", "#N/A", "Nana"])
    assert cleaned(values).to_pylist() == [""] * 9 + ["Nana"]


def test_strict_raises_the_first_rejection(tmp_path):
    rows = rows_of()
    rows[2]["best"] = "many"
    path = tmp_path / "ged.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=UCDP_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    assert [str(r) for r in read_events(path).attrs["rejected"]] == [
        f"{path}: row 4 ('900103'): best: expected a number, got 'many'"]  # fmt: skip
    with pytest.raises(InputError, match=r"row 4 \('900103'\): best: expected a number"):
        read_events(path, strict=True)


def test_any_text_in_a_cell():
    """Cells are combined as values, never joined into one text: a control character
    in one is its own text."""
    frame = ucdp_frame(table([dict(GOOD, side_a="A\x1fB", where_description="x\x1fy"),
                              dict(GOOD, id="2", date_start="2022-02-24\x1fx")]), file="x")  # fmt: skip
    assert frame.loc[0, "actors"][0] == "A\x1fB" and frame.loc[0, "title"].endswith(": x\x1fy")
    assert [r.field for r in frame.attrs["rejected"]] == ["date_start"]
