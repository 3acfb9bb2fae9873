"""ACLED exports as they come: each layout real exports have, what its rows become, the
located line a bad row gives, and the same events written as YAML read alike.

The layouts and quirks are those of real exports (``tests/acled_rows.py``); the rows
are written for the project.
"""

from __future__ import annotations

import csv

import pytest
from acled_rows import (
    CURRENT,
    LEGACY_2015,
    ROWS,
    assert_same_events,
    write_2020,
    write_csv,
    write_r,
    write_resaved,
    write_yaml,
)

from geo import InputError, read_events
from geo.model import Quantity, Source

LAYOUTS = {"current": write_csv, "2020": write_2020, "re-saved by pandas": write_resaved}


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    return read_events(write_csv(tmp_path_factory.mktemp("acled") / "export.csv", ROWS))


def test_rows_become_events(current):
    ev = current
    assert list(ev["id"]) == ["UKR214001", "UKR214002", "UKR214003", "RUS8001"]
    assert list(ev["kind"]) == ["explosions_remote_violence", "battles", "protests",
                                "strategic_developments"]  # fmt: skip
    assert ev.attrs["kind_labels"]["explosions_remote_violence"] == "Explosions/Remote violence"
    assert list(ev["title"]) == ["Air/drone strike: Sumy", "Armed clash: Plekhovo",
                                 "Peaceful protest: Kyiv", "Disrupted weapons use: Belgorod"]  # fmt: skip
    assert list(ev["date"]) == ["2024-11-02", "2024-11-02", "2024-10-30", "2024-10-28"]
    assert set(ev["date_precision"]) == {"day"}  # time_precision is not read
    assert ev.loc[0, "actors"] == ["Military Forces of Russia (2000-)", "Civilians (Ukraine)"]
    assert ev.loc[2, "actors"] == ["Protesters (Ukraine)"]  # no second actor; assoc_* not read
    place = ev.loc[1, "places"][0]
    assert (place.name, place.lat, place.lon, place.approximate) == (
        "Plekhovo, Kursk, Russia", 51.2319, 35.1236, True)  # fmt: skip
    assert [p[0].approximate for p in ev["places"]] == [False, True, False, True]
    assert (ev.loc[1, "lat"], ev.loc[1, "lon"]) == (51.2319, 35.1236)
    assert ev.loc[1, "geometry"].coords[0] == (35.1236, 51.2319)
    assert ev.loc[0, "quantities"] == [Quantity(value=2.0, unit="fatalities")]
    assert ev.loc[3, "quantities"] == []  # no figure reported
    notes = ROWS[0]["notes"]
    assert ev.loc[0, "sources"] == [Source(name="Suspilne; Ukrainska Pravda", claim=notes)]
    assert ev.loc[0, "description"] == notes
    assert "<b>reported</b>" in ev.loc[1, "description"]  # text, escaped on the map
    assert ev.loc[2, "description"].endswith("\nSize=dozens")
    assert ev.attrs["unresolved"] == [] and ev.attrs["truncated"] == []


@pytest.mark.parametrize("layout", list(LAYOUTS)[1:])
def test_every_layout_reads_as_the_current_export(tmp_path, current, layout):
    ev = read_events(LAYOUTS[layout](tmp_path / "export.csv", ROWS))
    assert_same_events(ev, current)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_export_reads_as_its_events_written_in_yaml(tmp_path, layout):
    ev = read_events(LAYOUTS[layout](tmp_path / "export.csv", ROWS))
    assert_same_events(ev, read_events(write_yaml(tmp_path / "events.yaml", ROWS)))


def test_a_second_copy_of_a_column_is_not_read(tmp_path, current):
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([*CURRENT, "notes", "event_type"])
        w.writerows([*(r[k] for k in CURRENT), "other notes", ""] for r in ROWS)
    assert_same_events(read_events(path), current)


@pytest.mark.xfail(
    strict=True, reason="R's NA is read as text: an actor 'NA', and fatalities 'NA' refused"
)
def test_na_written_by_r_is_missing(tmp_path, current):
    ev = read_events(write_r(tmp_path / "export.csv", ROWS))
    assert ev.loc[2, "actors"] == current.loc[2, "actors"]


@pytest.mark.xfail(
    strict=True, reason="2015's upper-case columns are not recognised as ACLED ('source' missing)"
)
def test_the_2015_upper_case_export_reads(tmp_path):
    legacy = [{k.upper(): v for k, v in r.items()} for r in ROWS]
    ev = read_events(write_csv(tmp_path / "export.csv", legacy, LEGACY_2015))
    assert list(ev["id"]) == [r["event_id_cnty"] for r in ROWS]


# --------------------------------------------------------------------------- quirks

DATES = [
    ("2022-12-28", "2022-12-28"),
    ("28 December 2022", "2022-12-28"),
    ("01-January-2015", "2015-01-01"),
    ("12/28/2022", "2022-12-28"),
    ("2022-12-28 00:00:00", "2022-12-28"),
    # Seen in exports, refused with the row named rather than guessed at:
    ("9-May-20", "date: expected a date like 2025, 2025-06 or 2025-06-19, got '9-May-20'"),
    ("28/12/2022", "date: expected a date like 2025, 2025-06 or 2025-06-19, got '28/12/2022'"),
]


@pytest.mark.parametrize(("written", "read"), DATES)
def test_date_spellings(tmp_path, written, read):
    rows = [ROWS[0], {**ROWS[1], "event_date": written}]
    path = write_csv(tmp_path / "export.csv", rows)
    if read[0].isdigit():
        assert read_events(path).loc[1, "date"] == read
    else:
        with pytest.raises(InputError) as info:
            read_events(path)
        assert str(info.value) == f"{path}: row 3 ('UKR214002'): {read}"


def test_a_truncated_last_line_is_named(tmp_path):
    path = write_csv(tmp_path / "export.csv", ROWS)
    path.write_bytes(path.read_bytes()[:-60])  # cut in the notes of the last row
    with pytest.raises(InputError) as info:
        read_events(path)
    # The line in the file (the third row's notes take two), not the row.
    message = f"{path}: line 6: expected 31 fields as in the header, got 28: 'RUS8001,2024-10-28"
    assert str(info.value).startswith(message)


def test_a_blank_id_is_named_by_its_row(tmp_path):
    path = write_csv(tmp_path / "export.csv", [ROWS[0], {**ROWS[1], "event_id_cnty": ""}])
    with pytest.raises(InputError) as info:
        read_events(path)
    assert str(info.value) == f"{path}: row 3 (''): id: empty; expected a non-empty text"
    assert (info.value.record, info.value.field) == ("row 3 ('')", "id")


def test_the_first_bad_row_is_named(tmp_path):
    rows = [ROWS[0], {**ROWS[1], "fatalities": "-1"}, {**ROWS[2], "latitude": "north"}]
    path = write_csv(tmp_path / "export.csv", rows)
    with pytest.raises(InputError) as info:
        read_events(path)
    assert str(info.value) == (
        f"{path}: row 3 ('UKR214002'): quantities[0].value: expected a number of 0 or more, got -1"
    )


def test_rows_without_coordinates_are_placed_by_name_and_strict_refuses_the_unknown(tmp_path):
    from acled_rows import Stub

    rows = [{**ROWS[1], "location": "Sudzha", "latitude": "", "longitude": ""},
            {**ROWS[0], "location": "Nowhere", "latitude": "", "longitude": ""}]  # fmt: skip
    path = write_csv(tmp_path / "export.csv", rows)
    ev = read_events(path, geocoder=Stub())
    assert ev.loc[0, "places"][0].id == "geonames:1" and ev.loc[0, "lat"] == 51.19
    assert ev.loc[1, "places"] == [] and ev.geometry.isna().tolist() == [False, True]
    assert [str(u) for u in ev.attrs["unresolved"]] == [
        f"{path}: row 3 ('UKR214001'): place: 'Nowhere, Sumy, Ukraine'"
    ]
    assert_same_events(ev, read_events(write_yaml(tmp_path / "e.yaml", rows), geocoder=Stub()))
    with pytest.raises(Exception, match=r"1 unresolved place\(s\): .*row 3 \('UKR214001'\)"):
        read_events(path, geocoder=Stub(), strict=True)
