"""Nothing lost, nothing fatal by default (issue #10): a bad record is skipped and listed
with its file, record, field and reason; ``strict`` makes it the error it stands for."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo
from geo import InputError, read_events
from geo.report import Flagged, Rejected

GOOD = "- {{id: {id}, kind: statement, title: t, place: Moscow, sources: [s]}}"
BAD = {  # a record each reader refuses, and the field and words of its refusal
    "date": ("- {{id: {id}, kind: x, title: t, sources: [s], date: 2025-02-30}}", "date",
             "expected a day of the calendar"),
    "source": ("- {{id: {id}, kind: x, title: t}}", "sources", "missing"),
    "kind": ("- {{id: {id}, kind: '?!', title: t, sources: [s]}}", "kind", "expected a word"),
    "figure": ("- {{id: {id}, kind: x, title: t, sources: [s], quantities: [{{value: deux, "
               "unit: x}}]}}", "quantities[0].value", "expected a number"),
}  # fmt: skip


def _yaml(tmp_path, lines, name="e.yaml"):
    f = tmp_path / name
    f.write_text("\n".join(lines) + "\n")
    return f


def test_a_bad_record_is_skipped_and_listed_with_file_record_field_and_reason(tmp_path):
    f = _yaml(tmp_path, [GOOD.format(id="a"), BAD["date"][0].format(id="b"), GOOD.format(id="c")])
    ev = read_events(f)
    assert list(ev["id"]) == ["a", "c"]
    (r,) = ev.attrs["rejected"]
    assert r == Rejected(str(f), "event 2 ('b')", "date", r.reason)
    assert "expected a day of the calendar" in r.reason
    assert ev.attrs["records"] == 3
    with pytest.raises(InputError) as info:
        read_events(f, strict=True)
    assert str(info.value) == str(r)


def test_a_later_duplicate_is_rejected_and_names_the_first(tmp_path):
    f = _yaml(tmp_path, [GOOD.format(id="a"), GOOD.format(id="a")])
    ev = read_events(f)
    assert len(ev) == 1
    assert str(ev.attrs["rejected"][0]).endswith(
        "event 2 ('a'): id: duplicate id; first used by event 1; expected unique ids"
    )


def test_a_file_level_problem_is_still_an_error(tmp_path):
    f = tmp_path / "broken.yaml"
    f.write_text("- {id: a, kind: x\n")
    with pytest.raises(InputError, match="not valid YAML"):
        read_events(f)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["good", *BAD]), min_size=1, max_size=12))
def test_read_plus_rejected_is_the_input_and_no_good_record_is_lost(tmp_path, mix):
    lines = [(GOOD if m == "good" else BAD[m][0]).format(id=f"e{i}") for i, m in enumerate(mix)]
    ev = read_events(_yaml(tmp_path, lines))
    rejected = ev.attrs["rejected"]
    assert len(ev) + len(rejected) == ev.attrs["records"] == len(mix)
    assert list(ev["id"]) == [f"e{i}" for i, m in enumerate(mix) if m == "good"]
    bad = [(i, m) for i, m in enumerate(mix) if m != "good"]
    assert [r.record for r in rejected] == [f"event {i + 1} ('e{i}')" for i, _ in bad]
    for r, (_, m) in zip(rejected, bad, strict=True):
        assert r.field == BAD[m][1] and BAD[m][2] in r.reason


def test_geojson_features_are_rejected_one_by_one(tmp_path):
    def feature(i, lon):
        props = {"id": f"f{i}", "kind": "x", "title": "t", "sources": json.dumps(["s"])}
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, 50]},
                "properties": props}  # fmt: skip

    f = tmp_path / "e.geojson"
    feats = [feature(1, 30), feature(2, 200), feature(3, 31), "not a feature"]
    f.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    ev = read_events(f)
    assert list(ev["id"]) == ["f1", "f3"] and ev.attrs["records"] == 4
    assert [(r.record, r.field) for r in ev.attrs["rejected"]] == [
        ("feature 2 ('f2')", "geometry.coordinates"),
        ("feature 4", None),
    ]
    assert ev.geometry.x.tolist() == [30, 31]


def test_several_files_and_a_folder_are_one_dataset(tmp_path):
    folder = tmp_path / "events"
    folder.mkdir()
    a = _yaml(folder, [GOOD.format(id="a"), GOOD.format(id="b")], "1.yaml")
    b = _yaml(folder, [GOOD.format(id="b"), GOOD.format(id="c"), BAD["kind"][0].format(id="d")],
              "2.yaml")  # fmt: skip
    (folder / "README.md").write_text("not events")
    for given_ in (folder, [a, b]):
        ev = read_events(given_)
        assert list(ev["id"]) == ["a", "b", "c"]
        assert ev.attrs["records"] == 5 and len(ev.attrs["rejected"]) == 2
        reasons = [str(r) for r in ev.attrs["rejected"]]
        assert any(f"{b}: event 3 ('d'): kind" in r for r in reasons)
        assert any(f"{b}: event 'b': id: duplicate id; first used in {a}" in r for r in reasons)
        assert ev.attrs["files"] == [str(a), str(b)]
    with pytest.raises(InputError, match="no such file"):
        read_events([a, tmp_path / "x"])


def test_an_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no event files in the folder"):
        read_events(tmp_path / "empty")


def test_a_week_is_kept_through_a_file(tmp_path):
    f = _yaml(tmp_path, ["- {id: a, kind: x, title: t, sources: [s], date: 2024-03-12, "
                         "date_precision: week, place: Moscow}"])  # fmt: skip
    ev = read_events(f)
    assert ev.loc[0, "date_precision"] == "week"
    assert str(ev.loc[0, "date_end"].date()) == "2024-03-18"
    back = read_events(geo.write_events(ev, tmp_path / "w.geojson"))
    assert (
        back.loc[0, "date_precision"] == "week" and back.loc[0, "date_end"] == ev.loc[0, "date_end"]
    )


def test_details_and_flags_are_events_fields(tmp_path):
    f = _yaml(tmp_path, ["- {id: a, kind: x, title: t, sources: [s], place: Moscow, "
                         "details: [[Event type, 'Battles: Armed clash']], flags: ['checked?']}"])  # fmt: skip
    ev = read_events(f)
    assert ev.loc[0, "details"] == [("Event type", "Battles: Armed clash")]
    assert ev.loc[0, "flags"] == ["checked?"]
    assert ev.attrs["flagged"] == [Flagged(str(f), "event 1 ('a')", "place", "checked?")]
    back = read_events(geo.write_events(ev, tmp_path / "w.geojson"))
    assert [tuple(d) for d in back.loc[0, "details"]] == ev.loc[0, "details"]
    assert back.loc[0, "flags"] == ["checked?"]


def test_a_point_given_with_its_country_is_checked_against_it(tmp_path):
    f = _yaml(tmp_path, [
        "- {id: a, kind: x, title: t, sources: [s], place: {name: Ouagadougou, lat: 9.05, "
        "lon: 7.49, country: BF}}",  # in Nigeria
        "- {id: b, kind: x, title: t, sources: [s], place: {name: Ouagadougou, lat: 12.37, "
        "lon: -1.52, country: BF}}",
        "- {id: c, kind: x, title: t, sources: [s], place: {name: X, lat: 12.37, lon: -1.52, "
        "country: Atlantis}}",
    ])  # fmt: skip
    ev = read_events(f)
    assert ev.geometry.x.round(2).tolist() == [7.49, -1.52, -1.52]  # kept where given
    (outside,), none, (unknown,) = ev["flags"]
    assert none == []
    assert outside.startswith("coordinates lie ") and "km outside BF" in outside
    assert unknown == "country 'ATLANTIS' is not known: its coordinates were not checked"
    assert [(r.record, r.field) for r in ev.attrs["flagged"]] == [
        ("event 1 ('a')", "place"), ("event 3 ('c')", "place")]  # fmt: skip


@pytest.mark.parametrize("suffix", [".geojson", ".parquet", ".csv", ".gpkg"])
def test_place_precision_comes_back_from_a_file(tmp_path, suffix):
    f = _yaml(tmp_path, [GOOD.format(id="a"), "- {id: b, kind: x, title: t, sources: [s], "
                         "place: Moscow, place_precision: admin1}"])  # fmt: skip
    ev = read_events(f)
    assert ev["place_precision"].tolist() == ["point", "admin1"]
    back = read_events(geo.write_events(ev, tmp_path / f"w{suffix}"))
    assert back["place_precision"].tolist() == ["point", "admin1"]


def test_a_duplicate_across_files_takes_what_was_said_of_it_along(tmp_path):
    a = _yaml(tmp_path, [GOOD.format(id="a")], "1.yaml")
    b = _yaml(tmp_path, ["- {id: a, kind: x, title: t, sources: [s], place: Nowhere-at-all}",
                         BAD["kind"][0].format(id="d")], "2.yaml")  # fmt: skip
    ev = read_events([a, b])
    assert ev.attrs["unresolved"] == []  # the dropped duplicate's place is not listed
    assert [r.file for r in ev.attrs["rejected"]] == [str(b), str(b)]
    assert read_events([a, b], strict=False).attrs["records"] == 3
    with pytest.raises(InputError, match="kind"):  # the first rejection, not the unresolved
        read_events([a, b], strict=True)


def test_a_file_that_repeats_an_id_of_an_earlier_file_twice_loses_no_rejection(tmp_path):
    a = _yaml(tmp_path, [GOOD.format(id="x")], "1.yaml")
    b = _yaml(tmp_path, [GOOD.format(id="x"), GOOD.format(id="x"), GOOD.format(id="y")], "2.yaml")
    ev = read_events([a, b])
    assert list(ev["id"]) == ["x", "y"]
    assert len(ev) + len(ev.attrs["rejected"]) == ev.attrs["records"] == 4


def test_a_strict_read_admits_no_event_placed_with_a_doubt(tmp_path):
    f = _yaml(tmp_path, [GOOD.format(id="a"), "- {id: b, kind: x, title: t, sources: [s], "
                         "place: {name: Ouagadougou, lat: 9.05, lon: 7.49, country: BF}}"])  # fmt: skip
    assert len(read_events(f).attrs["flagged"]) == 1  # lax: kept, and flagged
    with pytest.raises(InputError) as info:
        read_events(f, strict=True)
    assert str(info.value).startswith(f"{f}: event 2 ('b'): place: coordinates lie ")
    assert "1 event flagged in all" in str(info.value)
