"""The event schema: dates, quantities, and errors that say where and what."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import InputError, parse_date, parse_event


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
    ],
)
def test_partial_dates(value, start, end, precision, text):
    d = parse_date(value)
    assert (d.start, d.end, d.precision, str(d)) == (start, end, precision, text)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_missing_date_is_undated(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["juin 2025", "2025-13", "2025-02-30", "25-06", True])
def test_bad_dates_raise(value):
    with pytest.raises(ValueError):
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
    assert q.label() == "nearly 2,000 combatants"


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


def test_unknown_kind_is_accepted_for_extension():
    assert parse_event(base(kind="Naval Blockade")).kind == "naval_blockade"


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
