"""The event schema: dates, quantities, and errors that say where and what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import InputError, parse_date, parse_event, read_events
from geo.schema import MAX_TEXT, normalize_kind
from maps.labels import quantity_label


@pytest.mark.parametrize(
    ("value", "start", "end", "precision", "text"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year", "2025"),
        (2025, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year", "2025"),
        ("2025-06", dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month", "2025-06"),
        ("2024-2", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month", "2024-02"),
        ("2024-06-19", dt.date(2024, 6, 19), dt.date(2024, 6, 19), "day", "2024-06-19"),
        (dt.date(2024, 12, 4), dt.date(2024, 12, 4), dt.date(2024, 12, 4), "day", "2024-12-04"),
        ("2024-12-04T10:00:00Z", dt.date(2024, 12, 4), dt.date(2024, 12, 4), "day", "2024-12-04"),
        ("2024-12-04 10:00:00", dt.date(2024, 12, 4), dt.date(2024, 12, 4), "day", "2024-12-04"),
        ("1500-01-01", dt.date(1500, 1, 1), dt.date(1500, 1, 1), "day", "1500-01-01"),
    ],
)
def test_partial_dates(value, start, end, precision, text):
    d = parse_date(value)
    assert (d.start, d.end, d.precision, str(d)) == (start, end, precision, text)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_missing_date_is_undated(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("juin 2025", "expected a date like 2025, 2025-06 or 2025-06-19, got 'juin 2025'"),
        ("2025-13", "expected a month from 1 to 12, got '2025-13'"),
        ("2025-02-30", "expected a day of the calendar, got '2025-02-30' (day is out of range for month)"),
        ("0000-01-01", "expected a year from 1, got '0000-01-01'"),
        ("25-06", "expected a date like"),
        (True, "expected a date, got True"),
        (["2025"], "expected a date, got ['2025']"),
        ("x" * 10_000, "got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"),
    ],
)  # fmt: skip
def test_bad_dates_raise(value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(value)


def base(**over):
    raw = {
        "id": "kursk-losses",
        "kind": "casualties",
        "title": "Losses",
        "place": "Kursk Oblast",
        "sources": [{"name": "NIS"}],
    }
    raw.update(over)
    return raw


def test_quantity_hedges_are_kept_and_normalised():
    ev = parse_event(
        base(
            quantities=[
                {
                    "value": 2000,
                    "unit": "combatants",
                    "qualifier": "près de",
                    "text": "près de 2 000 combattants",
                }
            ]
        )  # fmt: skip
    )
    q = ev.quantities[0]
    assert (q.value, q.qualifier, q.text) == (2000, "nearly", "près de 2 000 combattants")
    assert quantity_label(q) == "nearly 2,000 combatants"


@pytest.mark.parametrize(
    ("over", "field", "expected"),
    [
        ({"quantities": [{"value": "deux mille", "unit": "x"}]}, "quantities[0].value",
         "expected a number, got 'deux mille'"),
        ({"quantities": [{"value": 3}]}, "quantities[0].unit", "expected a unit"),
        ({"quantities": [{"value": 3, "unit": "x", "qualifier": "roughly-ish"}]},
         "quantities[0].qualifier", "expected one of about, over"),
        ({"date": "juin 2025"}, "date", "expected a date like 2025"),
        ({"kind": None}, "kind", "missing"),
        ({"title": ""}, "title", "empty"),
        ({"place": None, "origin": "Pyongyang"}, "destination", "flow needs both"),
        ({"origin": "A", "destination": "B"}, "place", "either place or origin"),
        ({"place": {"name": "X", "lat": 95, "lon": 0}}, "place.lat", "latitude in [-90, 90]"),
        ({"place": {"name": "X", "lat": 5}}, "place", "both lat and lon"),
        ({"confidence": "sure"}, "confidence", "expected one of high, medium, low"),
        ({"id": "has space"}, "id", "expected letters"),
        ({"end_date": "2020"}, "end_date", None),
    ],
)  # fmt: skip
def test_errors_name_file_record_and_field(over, field, expected):
    raw = base(date="2025-06", **over) if "date" not in over else base(**over)
    with pytest.raises(InputError) as info:
        parse_event(raw, file="data/events/x.yaml", index=7)
    err = info.value
    assert err.file == "data/events/x.yaml"
    assert err.record.startswith("event 7")
    assert err.field == field
    text = str(err)
    assert text.startswith(f"data/events/x.yaml: {err.record}: {field}: ")
    if expected:
        assert expected in text


@pytest.mark.parametrize("date", [None, "", "  ", float("nan")])
def test_a_source_with_an_empty_date_has_none(date):
    """Not the text 'None' (which the map would print as the source's date)."""
    (source,) = parse_event(base(sources=[{"name": "NIS", "date": date}])).sources
    assert source.date is None


def test_a_source_date_is_read_as_a_date():
    (source,) = parse_event(base(sources=[{"name": "NIS", "date": "2025-6"}])).sources
    assert source.date == "2025-06"
    with pytest.raises(InputError) as info:
        parse_event(base(sources=[{"name": "NIS", "date": "juin"}]))
    assert info.value.field == "sources[0].date"


def test_unknown_kind_is_accepted_for_extension():
    assert parse_event(base(kind="Naval Blockade")).kind == "naval_blockade"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("battles", "battles"), ("_battles", "battles"), ("battles_", "battles"),
        ("Battles ", "battles"), ("battles!", "battles"), ("BATTLES", "battles"),
        ("Explosions/Remote violence", "explosions_remote_violence"),
        ("Violence against civilians", "violence_against_civilians"),
        ("Riots/Protests", "riots_protests"), ("technology-transfer", "technology_transfer"),
        ("a -- b", "a_b"), ("Ｂａｔｔｌｅｓ", "battles"),  # full-width letters, as NFKC reads them
        ("Разведка боем", "разведка_боем"), ("2024", "2024"), ("?!", ""), ("", ""),
    ],
)  # fmt: skip
def test_kinds_are_ids(kind, expected):
    assert normalize_kind(kind) == expected


@pytest.mark.parametrize(
    ("over", "field", "expected"),
    [
        ({"kind": "!?"}, "kind", "expected a word with letters or digits, got '!?'"),
        ({"sources": []}, "sources", "missing; expected at least one source"),
        ({"sources": None}, "sources", "missing; expected at least one source"),
        ({"quantities": [{"value": -1, "unit": "x"}]}, "quantities[0].value",
         "expected a number of 0 or more, got -1"),
        ({"quantities": [{"value": 1, "high": -2, "unit": "x"}]}, "quantities[0].high",
         "expected a number of 0 or more, got -2"),
        ({"quantities": [{"value": 10**400, "unit": "x"}]}, "quantities[0].value",
         "expected a number a float can hold, got an integer of 1,329 bits"),
        ({"quantities": [{"value": 2**1024 - 1, "unit": "x"}]}, "quantities[0].value",
         "expected a finite number, got an integer of 1,024 bits"),
        ({"date": "1677-12-31"}, "date", "expected a date from 1678-01-01 to 2261-12-31, got 1677-12-31"),
        ({"end_date": "2262-01"}, "end_date", "expected a date from 1678-01-01 to 2261-12-31"),
        ({"title": "a\x00b"}, "title", "found a NUL character (U+0000) at character 2"),
        ({"notes": "\udc80"}, "notes", "found a lone surrogate (U+DC80) at character 1"),
        ({"sources": [{"name": "s", "claim": ["x"]}]}, "sources[0].claim", "expected a text, got list"),
        ({"place": {"name": ["x"], "lat": 1, "lon": 2}}, "place.name", "expected a text, got list"),
        ({"actors": ["a", {"b": 1}]}, "actors[1]", "expected a text, got dict"),
        ({"extra": {"\n": "\x00"}}, "extra['\\n']", "found a NUL character"),
    ],
)  # fmt: skip
def test_schema_checks(over, field, expected):
    with pytest.raises(InputError) as info:
        parse_event(base(**over), file="x.yaml", index=3)
    assert (info.value.field, info.value.record) == (field, "event 3 ('kursk-losses')")
    assert expected in info.value.reason


def test_nesting_is_bounded_without_recursion_error():
    deep: list = ["x"]
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(InputError, match=r"actors(\[0\])+: nested deeper than 20 levels"):
        parse_event(base(actors=deep))


def test_long_texts_are_cut_and_noted():
    ev = parse_event(base(title="t" * 25_000, description="d" * MAX_TEXT), file="x.yaml", index=2)
    assert len(ev.title) == MAX_TEXT and ev.title.endswith(
        "… [truncated: 25,000 characters in all]"
    )
    assert ev.description == "d" * MAX_TEXT  # at the bound: whole
    assert ev.truncated == (
        "x.yaml: event 2 ('kursk-losses'): title: truncated to 10,000 of 25,000 characters",
    )
    # Cutting again changes nothing: a cut text is within the bound.
    assert parse_event(base(title=ev.title)).truncated == ()


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "kind",
                "title",
                "date",
                "place",
                "quantities",
                "sources",
                "origin",
                "destination",
                "via",
            ]
        ),
        st.one_of(
            st.none(),
            st.text(),
            st.integers(),
            st.floats(),
            st.lists(st.text(), max_size=3),
            st.dictionaries(st.text(max_size=5), st.text(), max_size=3),
        ),
    )
)
def test_parser_either_parses_or_raises_input_error(raw):  # fmt: skip
    try:
        parse_event(raw, file="f.yaml", index=1)
    except InputError as exc:
        assert str(exc).startswith("f.yaml: event 1")


def test_a_coordinate_written_with_a_decimal_comma_is_read_as_european_spreadsheets_write_it(
    tmp_path,
):
    ev = parse_event({"id": "a", "kind": "x", "title": "t", "sources": ["s"],
                      "place": {"name": "Kharkiv", "lat": "49,9935", "lon": "36,2304"}})  # fmt: skip
    assert (ev.places[0].lat, ev.places[0].lon) == (49.9935, 36.2304)
    f = tmp_path / "eu.csv"  # an ACLED export saved by a European Excel: ; and decimal commas
    f.write_text(
        "event_id_cnty;event_date;event_type;actor1;country;location;latitude;longitude;"
        "fatalities;source\n"
        "UKR1;28/12/2022;Battles;A;Ukraine;Kharkiv;49,9935;36,2304;1;S\n"
        "UKR2;29/12/2022;Battles;A;Ukraine;Izium;49,2122;37,2565;0;S\n",
        encoding="cp1252",
    )
    events = read_events(f)
    assert events.attrs["rejected"] == [] and events.attrs["flagged"] == []
    assert events["lat"].tolist() == [49.9935, 49.2122]
    with pytest.raises(InputError, match="expected a number"):
        parse_event({"id": "a", "kind": "x", "title": "t", "sources": ["s"],
                     "place": {"name": "x", "lat": "1,234,5", "lon": "2"}})  # fmt: skip
