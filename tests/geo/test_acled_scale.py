"""ACLED at scale: one column-wise reader, what it makes of unusual and bad rows, the
same events written as YAML read alike, and the synthetic ACLED data the benchmarks
use looks like ACLED.

What a field accepts, and what a refusal says, is the event schema's
(:func:`geo.schema.parse_event`): an ACLED file reads as its rows written as YAML
events (``tests/acled_rows.py``) read, value by value, dtype by dtype, refusal by
refusal; a row the schema refuses is rejected, never fatal. Speed is measured by
``tests/acled_rows.py`` and ``benchmarks/``, never here.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from acled_rows import Stub, as_yaml, assert_same_events, read_acled, write_geojson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import read_events
from geo.errors import brief
from geo.io.acled import acled_frame
from geo.io.acled_columns import SPACES
from geo.schema import MAX_TEXT

ROOT = Path(__file__).resolve().parents[2]


def _load_synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module
    spec.loader.exec_module(module)
    return module


synthetic = _load_synthetic()
HEADER = synthetic.ACLED_COLUMNS


def written(path: Path, geocoder=None):
    """The frame of the ACLED file's rows (as they read back from the file) as YAML events."""
    rows = pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
    return as_yaml(rows, str(path), geocoder=geocoder)


def write(tmp_path: Path, rows: list[dict], name: str = "acled.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in HEADER})
    return path


def good(i: int, **changes) -> dict:
    row = {
        "event_id_cnty": f"UKR{1000 + i}", "event_date": "2024-03-14", "event_type": "Battles",
        "sub_event_type": "Armed clash", "actor1": "Military Forces of Russia (2000-)",
        "actor2": "Military Forces of Ukraine (2019-)", "country": "Ukraine",
        "admin1": "Kharkiv", "location": "Vovchansk", "latitude": "50.2881",
        "longitude": "36.9461", "geo_precision": "1", "source": "Suspilne",
        "notes": "On 14 March 2024, Russian forces shelled Vovchansk.", "fatalities": "0",
    }  # fmt: skip
    row.update(changes)
    return row


# --------------------------------------------------------------------------- same values


def test_synthetic_export_reads_as_its_events(tmp_path):
    # Thousands of rows, read by Arrow in more than one block.
    df = synthetic.make_acled(3000, seed=7)
    path = synthetic.write_csv(df, tmp_path / "synthetic.csv")
    fast = read_events(path)
    assert len(fast) == 3000 and path.stat().st_size > 1 << 20
    assert fast.attrs["rejected"] == [] and fast.attrs["records"] == 3000
    rows = pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
    slow = read_events(write_geojson(tmp_path / "synthetic.geojson", rows))
    assert_same_events(fast, slow)
    assert set(fast["date_precision"]) == {"day", "week", "month"}  # time_precision 1, 2, 3


UNUSUAL = [
    {"event_id_cnty": "  UKR1 ", "notes": " padded notes\u3000", "location": "\xa0Vovchansk"},
    {"event_date": "15 December 2024"},
    {"event_date": "12/15/2024"},
    {"event_date": "15/12/2024"},
    {"event_date": "15-December-2024"},
    {"event_date": "15-Dec-24"},
    {"event_date": "2024-06"},
    {"event_date": "2024"},
    {"event_date": "2024-06-01T10:00:00"},
    {"event_date": ""},
    {"event_date": "NA"},
    {"fatalities": ""},
    {"fatalities": "NA"},
    {"fatalities": "1,234"},
    {"fatalities": " 12 "},
    {"fatalities": "1e2"},
    {"fatalities": "2.0"},  # pandas writes a column with a blank as floats
    {"latitude": "+50.2881", "longitude": "36.9461 "},
    {"latitude": "50.", "longitude": "36"},
    {"latitude": "50.12345678", "longitude": "-36.1234565"},  # rounded to 6 decimals
    {"latitude": "5,1"},  # the schema drops thousands separators: 51.0
    {"latitude": "-0", "longitude": "1e-7"},
    {"location": "", "admin1": "Sumy"},
    {"location": "", "admin1": "", "country": ""},  # named by its coordinates
    {"location": "NA", "admin1": "NULL", "country": "N/A"},  # named by its coordinates
    {"geo_precision": "2"},
    {"geo_precision": " 3"},
    {"geo_precision": "3.0"},
    {"geo_precision": ""},
    {"sub_event_type": ""},
    {"sub_event_type": "nan"},
    {"source": "Suspilne; Ukrinform", "notes": ""},
    {"notes": ""},
    {"notes": "NaN"},
    {"actor1": "", "actor2": "Civilians (Ukraine)"},
    {"actor1": " ", "actor2": ""},
    {"actor1": "NA", "actor2": "NA"},
    {"event_type": "Explosions/Remote violence", "notes": 'Quotes "x", <b>tags</b> & a\nnewline'},
    {"event_type": " BATTLES! "},  # the kind id is 'battles'
    {"event_type": "Remote violence"},  # ACLED's name before 2019
    {"event_type": "Battle-No change of territory", "sub_event_type": ""},
    {"notes": "n" * 10_050},  # cut, and reported in attrs["truncated"]
    {"sub_event_type": "s" * 6_000, "location": "l" * 6_000},  # the title made of them is cut
    {"admin1": "a" * 4_000, "location": "l" * 4_000, "country": "c" * 4_000},  # the place name
    {"event_date": "2024-03-14 00:00:00"},
    {"time_precision": "2"},
    {"time_precision": "3"},
    {"time_precision": "2", "event_date": "2024-06"},
]  # fmt: skip


@pytest.mark.parametrize("change", UNUSUAL, ids=lambda c: repr(c)[:60])
def test_unusual_rows_read_as_their_events(tmp_path, change):
    rows = [good(0), good(1, **change), good(2, latitude="50.1", longitude="36.1")]
    path = write(tmp_path, rows)
    # A cell cut alone is reported under its column's name, as YAML's fields are under theirs.
    whole = all(len(v) <= MAX_TEXT for v in change.values())
    assert_same_events(read_acled(path), written(path), truncated=whole)


CUTS = [
    ({"notes": "n" * 10_050}, ["notes"]),
    ({"source": "s" * 10_001}, ["source"]),
    ({"actor2": "b" * 20_000, "actor1": "a" * 10_001}, ["actor1", "actor2"]),
    ({"event_type": "e" * 10_001}, ["event_type"]),
    ({"sub_event_type": "s" * 6_000, "location": "l" * 6_000}, ["title"]),
    ({"admin1": "a" * 4_000, "location": "l" * 4_000, "country": "c" * 4_000}, ["place.name"]),
    ({"location": "l" * 10_001}, ["location", "title", "place.name"]),  # cut, then cut again
]  # fmt: skip


@pytest.mark.parametrize(("change", "fields"), CUTS, ids=lambda x: repr(x)[:40])
def test_long_texts_are_cut_and_reported_by_column(tmp_path, change, fields):
    path = write(tmp_path, [good(0), good(1, **change), good(2, notes="n" * 10_001)])
    ev = read_acled(path)
    cut = re.compile(rf"{re.escape(str(path))}: row (\d) \('UKR100\d'\): ([\w.]+): truncated "
                     rf"to {MAX_TEXT:,} of [\d,]+ characters")  # fmt: skip
    found = [cut.fullmatch(t).groups() for t in ev.attrs["truncated"]]
    assert found == [("3", f) for f in fields] + [("4", "notes")]
    assert all(len(t) <= MAX_TEXT for t in ev["title"]) and set(ev["kind"]) == set(
        ev.attrs["kind_labels"]
    )
    assert ev.loc[2, "description"].endswith("… [truncated: 10,001 characters in all]")


def test_the_cuts_of_a_rejected_row_are_not_reported(tmp_path):
    path = write(tmp_path, [good(0), good(1, notes="n" * 10_050, fatalities="x")])
    ev = read_acled(path)
    assert len(ev) == 1 and ev.attrs["truncated"] == [] and len(ev.attrs["rejected"]) == 1


def test_every_row_without_coordinates_is_placed_by_name(tmp_path):
    rows = [good(i, latitude="", longitude="", location="Sudzha", admin1="Kursk",
                 country="Russia") for i in range(3)]  # fmt: skip
    ev = read_acled(write(tmp_path, rows), geocoder=Stub())
    assert [p[0].id for p in ev["places"]] == ["geonames:1"] * 3
    assert ev["lat"].tolist() == [51.19] * 3 and ev.attrs["unresolved"] == []
    assert len(ev.attrs["places"]) == 1  # asked once


def test_no_row_with_coordinates_nor_a_known_name(tmp_path):
    # Every lat/lon missing: the columns are those events_frame makes (objects, not floats).
    path = write(tmp_path, [good(i, latitude="", longitude="", location="Nowhere", admin1="",
                                 country="Atlantis") for i in range(2)])  # fmt: skip
    ev = read_acled(path, geocoder=Stub())
    assert ev["lat"].dtype == object and ev.geometry.isna().all()
    assert [u.record for u in ev.attrs["unresolved"]] == ["row 2 ('UKR1000')", "row 3 ('UKR1001')"]
    assert all("Nowhere" in str(u) for u in ev.attrs["unresolved"])


def test_header_only(tmp_path):
    path = write(tmp_path, [])
    ev = read_acled(path)
    assert len(ev) == 0 and ev.attrs["records"] == 0 and ev.attrs["rejected"] == []
    assert_same_events(ev, written(path))


def test_kind_is_named_by_its_first_spelling_across_blocks(tmp_path):
    # Arrow reads the file in blocks of 1 MB: the first spelling is the first row's.
    rows = [good(i, event_type="BATTLES " if i == 0 else "Battles", notes="n" * 900)
            for i in range(2_000)]  # fmt: skip
    path = write(tmp_path, rows)
    assert path.stat().st_size > 1 << 20
    assert read_events(path).attrs["kind_labels"] == {"battles": "BATTLES"}


def test_spaces_are_every_unicode_space():
    assert SPACES == "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


# --------------------------------------------------------------------------- rejected

ERRORS = [
    ({"latitude": "fifty-one"}, "place.lat: expected a number, got 'fifty-one'"),
    ({"latitude": "95"}, "place.lat: expected a latitude in [-90, 90], got 95.0"),
    ({"longitude": "-200.5"}, "place.lon: expected a longitude in [-180, 180], got -200.5"),
    ({"latitude": "nan"}, "place: expected both lat and lon, or neither"),
    ({"longitude": ""}, "place: expected both lat and lon, or neither"),
    ({"latitude": "", "longitude": "", "location": "", "admin1": "", "country": ""},
     "place: expected a name, or lat and lon"),
    ({"event_date": "31 February 2024"},
     "date: expected a date like 2025, 2025-06 or 2025-06-19, got '31 February 2024'"),
    ({"event_date": "2024-13-01"}, "date: expected a month from 1 to 12, got '2024-13-01'"),
    ({"event_date": "13/13/2024"},
     "date: expected a date written day/month/year, as this file's are, got '13/13/2024'"),
    ({"fatalities": "many"}, "quantities[0].value: expected a number, got 'many'"),
    ({"fatalities": "inf"}, "quantities[0].value: expected a finite number, got 'inf'"),
    ({"fatalities": "-3"}, "quantities[0].value: expected a number of 0 or more, got -3"),
    ({"event_type": " "}, "kind: missing; expected a non-empty text"),
    ({"event_id_cnty": "UKR 1"},
     "id: expected letters, digits, '-', '_', '.' or ':', got 'UKR 1'"),
    ({"event_id_cnty": ""}, "id: empty; expected a non-empty text"),
    ({"event_date": "1500-01-01"}, "date: expected a date from 1678-01-01 to 2261-12-31, got 1500-01-01"),
    ({"event_date": "2262"}, "date: expected a date from 1678-01-01 to 2261-12-31, got 2262"),
    ({"source": " "}, "source: empty; expected the name of who reports the event"),
    ({"notes": "a\x00b"}, "notes: found a NUL character (U+0000) at character 2; expected text without NUL"),
    ({"event_type": "/ -"}, "kind: expected a word with letters or digits, got '/ -'"),
    ({"event_id_cnty": "U" * 10_001}, "id: expected letters, digits, '-', '_', '.' or ':', got '" + "U" * 37 + "... [truncated: 10,001 characters in all]'"),
    ({"time_precision": "0"}, "time_precision: expected 1 (the day), 2 (the week) or 3 (the month), got '0'"),
    ({"geo_precision": "4"}, "geo_precision: expected 1 (the town), 2 (near it) or 3 (a region), got '4'"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), ERRORS, ids=lambda x: repr(x)[:50])
def test_each_bad_row_is_rejected_with_its_first_bad_field(tmp_path, change, message):
    # Row 4 is bad; row 6 is bad too, in another field: each is rejected, the rest read.
    rows = [good(0), good(1), good(2, **change), good(3), good(4, latitude="x")]
    path = write(tmp_path, rows)
    ev = read_acled(path)
    assert list(ev["id"]) == ["UKR1000", "UKR1001", "UKR1003"]
    rid = brief(rows[2]["event_id_cnty"].strip())
    assert [str(r) for r in ev.attrs["rejected"]] == [
        f"{path}: row 4 ({rid}): {message}",
        f"{path}: row 6 ('UKR1004'): place.lat: expected a number, got 'x'",
    ]
    first = ev.attrs["rejected"][0]
    assert (first.file, first.record) == (str(path), f"row 4 ({rid})")
    assert len(ev) + len(ev.attrs["rejected"]) == ev.attrs["records"] == 5
    # A strict read raises the first, as it did before a read skipped bad rows.
    with pytest.raises(Exception) as info:
        read_events(path, strict=True)
    assert str(info.value) == f"{path}: row 4 ({rid}): {message}"


def test_duplicate_ids_reject_the_later_rows(tmp_path):
    rows = [
        good(0),
        good(1),
        good(2),
        good(3, event_id_cnty="UKR1001"),
        good(4, event_id_cnty="UKR1001"),
    ]
    ev = read_acled(write(tmp_path, rows))
    assert list(ev["id"]) == ["UKR1000", "UKR1001", "UKR1002"]
    assert [(r.record, r.field, r.reason) for r in ev.attrs["rejected"]] == [
        (f"row {n} ('UKR1001')", "id", "duplicate id; first used by row 3; expected unique ids")
        for n in (5, 6)
    ]


def test_an_id_a_rejected_row_used_is_free(tmp_path):
    rows = [good(0), good(1, latitude="x"), good(2, event_id_cnty="UKR1001")]
    ev = read_acled(write(tmp_path, rows))
    assert list(ev["id"]) == ["UKR1000", "UKR1001"]
    assert [r.record for r in ev.attrs["rejected"]] == ["row 3 ('UKR1001')"]


# --------------------------------------------------------------------------- property

text = st.text(alphabet=st.sampled_from(list("Kyiv Sumy-ʼ’'\",;:.\u00a0\u3000\t/()")), max_size=12)
cell = {
    "event_id_cnty": st.from_regex(r"\A[A-Z]{3}[0-9]{1,6}\Z") | text | st.just("NA"),
    "event_date": st.sampled_from(["2024-03-14", "14 March 2024", "2024-03", "", "2024-02-30",
                                   " 2023-01-01 ", "03/14/2024", "soon", "1500-01-01",
                                   "2024-03-14 00:00:00", "14-Mar-24", "NA"]),
    "time_precision": st.sampled_from(["", "1", "2", "3", "2.0"]),
    "event_type": st.sampled_from(["Battles", "Explosions/Remote violence", "Riots", "", " x ",
                                   "BATTLES!", "/", "Remote violence", "NULL"]),
    "sub_event_type": text | st.just("s" * 6_000),  # a title too long to keep whole
    "actor1": text | st.just("NA"), "actor2": text | st.just("NA"), "country": text,
    "admin1": text, "location": text | st.just("l" * 6_000),
    "latitude": st.sampled_from(["50.1", "50.1234565", "-0", "90", "90.0001", "", " 50.1", "50,1",
                                 "1e1", "NA"]),
    # never missing: a row without coordinates is resolved within its admin regions,
    # which a YAML place name cannot say (tested on its own above)
    "longitude": st.sampled_from(["36.25", "180", "-180.5", "36.25 ", "x"]),
    "geo_precision": st.sampled_from(["1", "2", "3", "", " 1", "2.0"]),
    "fatalities": st.sampled_from(["0", "3", "", "1,000", "-1", "x", " 7", "nan", "NA"]),
    "notes": text,
    "source": text.filter(str.strip) | st.just("Suspilne; Ukrinform"),
}  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.fixed_dictionaries(cell), min_size=1, max_size=6))
def test_rows_read_as_their_events_written_in_yaml(tmp_path, rows):
    # Every cell without NUL and each shorter than a text may be, every row with a source:
    # then each field is the schema's to read, and to refuse in its words.
    path = write(tmp_path, rows)
    assert_same_events(read_acled(path, geocoder=Stub()), written(path, geocoder=Stub()))


bad_cells = {
    "event_id_cnty": st.sampled_from(["", "NA", "U 1", "UKR1000"]),  # blank, odd, a duplicate
    "event_date": st.sampled_from(["soon", "2024-13-01", "31/31/2024"]),
    "event_type": st.sampled_from(["", "NULL", "/"]),
    "latitude": st.sampled_from(["north", "95", "NA"]),
    "fatalities": st.sampled_from(["-1", "many"]),
    "source": st.sampled_from(["", " ", "NA"]),
    "geo_precision": st.sampled_from(["7", "x"]),
    "time_precision": st.sampled_from(["9"]),
    "notes": st.just("a\x00b"),
}
bad_row = st.sampled_from(sorted(bad_cells)).flatmap(lambda k: bad_cells[k].map(lambda v: {k: v}))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.booleans() | bad_row, min_size=1, max_size=12))
def test_every_row_is_read_or_rejected_and_no_good_row_is_lost(mix):
    from acled_rows import rows_table

    rows = [good(i) if change is True or change is False else good(i, **change)
            for i, change in enumerate(mix)]  # fmt: skip
    frame = acled_frame(rows_table(rows, list(HEADER)), file="mix.csv")
    rejected = frame.attrs["rejected"]
    assert len(frame) + len(rejected) == len(rows) == frame.attrs["records"]
    goods = [r["event_id_cnty"] for r, change in zip(rows, mix, strict=True)
             if isinstance(change, bool)]  # fmt: skip
    assert set(goods) <= set(frame["id"])
    assert frame["id"].is_unique
    labels = [r.record for r in rejected]
    assert labels == sorted(labels, key=lambda r: int(r.split()[1]))  # file order
    assert all(r.file == "mix.csv" and r.reason for r in rejected)


# --------------------------------------------------------------------------- synthetic data

ACLED_TYPES = {
    "Battles": {"Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Shelling/artillery/missile attack", "Air/drone strike",
                                   "Remote explosive/landmine/IED", "Grenade", "Suicide bomb",
                                   "Chemical weapon"},
    "Violence against civilians": {"Attack", "Abduction/forced disappearance",
                                   "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"},
}  # fmt: skip


@pytest.fixture(scope="module")
def acled20k():
    return synthetic.make_acled(20000, seed=3)


def test_synthetic_is_deterministic(acled20k):
    pd.testing.assert_frame_equal(synthetic.make_acled(500, seed=3),
                                  synthetic.make_acled(500, seed=3))  # fmt: skip
    assert not synthetic.make_acled(500, seed=3).equals(synthetic.make_acled(500, seed=4))


def test_synthetic_has_acleds_columns_and_vocabulary(acled20k):
    df = acled20k
    assert list(df.columns) == list(HEADER) and len(df) == 20000
    assert df["event_id_cnty"].is_unique
    assert df["event_id_cnty"].str.match(r"^(UKR|RUS)\d+$").all()
    for event_type, sub in (
        df[["event_type", "sub_event_type"]].drop_duplicates().itertuples(index=False)
    ):
        assert sub in ACLED_TYPES[event_type]
    shares = df["event_type"].value_counts(normalize=True)
    assert shares.index[0] == "Explosions/Remote violence" and shares.iloc[0] > 0.5
    assert set(df["country"]) == {"Ukraine", "Russia"}
    assert ((df["iso"] == 804) == (df["country"] == "Ukraine")).all()
    dates = pd.to_datetime(df["event_date"])
    assert dates.min() >= pd.Timestamp("2022-02-24") and dates.max() <= pd.Timestamp("2025-06-30")
    assert (dates.dt.year == df["year"]).all()
    assert dates.is_monotonic_decreasing  # newest first, as ACLED exports


def test_synthetic_places_come_from_the_gazetteer(acled20k):
    places, _ = synthetic._gazetteer_tables()
    towns = places[places["country"].isin(["UA", "RU"])]
    assert set(acled20k["location"]) <= set(towns["name"])
    # Every point lies near its named town, or at the oblast's centre (precision 3).
    near = acled20k[acled20k["geo_precision"] < 3]
    by_name = towns.groupby("name")[["lat", "lon"]]
    lo, hi = by_name.min(), by_name.max()
    lat, lon = near["latitude"].to_numpy(), near["longitude"].to_numpy()
    loc = near["location"]
    assert (lat >= lo.loc[loc, "lat"].to_numpy() - 0.15).all()
    assert (lat <= hi.loc[loc, "lat"].to_numpy() + 0.15).all()
    assert (lon >= lo.loc[loc, "lon"].to_numpy() - 0.2).all()
    assert (lon <= hi.loc[loc, "lon"].to_numpy() + 0.2).all()
    assert 44 < lat.min() and lat.max() < 54 and 30 < lon.min() and lon.max() < 41


def test_synthetic_fatalities_and_notes_read_like_acled(acled20k):
    f = acled20k["fatalities"]
    assert (f >= 0).all() and (f == 0).mean() > 0.75 and f.max() >= 100
    notes = acled20k["notes"]
    assert notes.str.len().between(60, 250).all() and 100 < notes.str.len().median() < 200
    row = acled20k.iloc[0]
    assert row["notes"].startswith("On ") and f"({row['admin2']}, {row['admin1']})" in row["notes"]
    day = pd.Timestamp(row["event_date"])
    assert row["notes"].startswith(f"On {day.day} {day:%B %Y}, ")
    killed = acled20k[f > 1]
    assert killed["notes"].str.contains(r"\d+ (?:civilians|people) were killed\.").all()


def test_synthetic_csv_round_trips(tmp_path):
    df = synthetic.make_acled(200, seed=1)
    path = synthetic.write_csv(df, tmp_path / "a.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == list(HEADER)
    assert back["notes"].tolist() == df["notes"].tolist()
    assert synthetic.main([str(200), "-o", str(tmp_path / "b.csv"), "--seed", "1"]) == 0
    assert (tmp_path / "b.csv").read_bytes() == path.read_bytes()
    assert np.isclose(back["latitude"].astype(float), df["latitude"]).all()


def test_combinations_of_columns_with_millions_of_values():
    # Three columns of 4 million distinct values each: 2**66 combinations, beyond one int64
    # key (an export that large raised OverflowError); two rows take two of them.
    from geo.io.acled_columns import Codes, combine

    many = Codes(range(2**22), np.array([0, 2**22 - 1], dtype=np.int32))
    codes, combos = combine(many, many, many)
    assert [combos[c] for c in codes] == [(0, 0, 0), (2**22 - 1,) * 3]
