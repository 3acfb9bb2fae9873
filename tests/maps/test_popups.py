"""What a popup says: the export's details, doubts, precision, each text once."""

from __future__ import annotations

import base64
import gzip
import json

import numpy as np
import pytest

import geo
import maps
from geo.model import Source
from geo.report import Flagged, Rejected
from maps.popups import event_popups

ACLED = "tests/data/acled_sample.csv"


@pytest.fixture
def acled():
    """The ACLED sample, with details, flags and precisions of every sort."""
    events = geo.read_events(ACLED)
    events["details"] = [
        [("Event type", "Battles: Armed clash"), ("Actor 1", "Military Forces of Russia (2000-)"),
         ("Event type", "Battles: Armed clash"), ("Tags", "")],
        [("Location", "Korenevo, Kursk"), ("Event type", "Explosions: Drone strike")],
        [],
    ]  # fmt: skip
    events["flags"] = [[], ["placed at Kursk (admin1): 'Koria' was not found in it"], []]
    events["place_precision"] = ["admin1", "near", "country"]
    events["actors"] = [["Military Forces of Russia (2000-)", "Wagner Group"], [], []]
    events["notes"] = [events["description"].iloc[0], "A note of its own.", None]
    events["sources"] = [
        [Source("Suspilne", claim=events["description"].iloc[0]), Source("ISW", claim="Other.")],
        *events["sources"].iloc[1:],
    ]
    return events


def _popup(events, i):
    return event_popups(events.iloc[[i]], layer_label="L", color="#000")[0]


def test_details_in_order_each_once_blanks_left_out(acled):
    p = _popup(acled, 0)
    assert p["details"] == [
        {"label": "Event type", "text": "Battles: Armed clash"},
        {"label": "Actor 1", "text": "Military Forces of Russia (2000-)"},
    ]
    assert _popup(acled, 2)["details"] == []


def test_each_text_once(acled):
    p = _popup(acled, 0)
    description = acled["description"].iloc[0]
    assert p["description"] == description
    assert p["notes"] is None  # the notes are the description
    # The claim that is the description is not shown again; another claim is.
    assert p["sources"] == [{"name": "Suspilne"}, {"name": "ISW", "claim": "Other."}]
    # An actor its details name is not listed again; another is.
    assert p["actors"] == ["Wagner Group"]
    assert _popup(acled, 1)["notes"] == "A note of its own."


def test_an_actor_is_hidden_only_by_an_actor_detail(acled):
    """A title, a location or a tag that mentions both actors hides neither: only
    the details that name actors (Actor 1/2, Side A/B) do, by name."""
    actors = ["Military Forces of Russia (2000-)", "Wagner Group"]
    mention = "Military Forces of Russia (2000-) and Wagner Group attack"
    acled["actors"] = [actors] * len(acled)
    acled["title"] = [mention] * len(acled)
    acled["details"] = [
        [("Event type", mention), ("Tags", mention)],
        [("Actor 1", "Military Forces of Russia (2000-) (State forces); with: Wagner Group")],
        [("Side A", "Wagner Group"), ("Notes", mention)],
    ]
    assert _popup(acled, 0)["actors"] == actors
    assert _popup(acled, 1)["actors"] == []
    assert _popup(acled, 2)["actors"] == ["Military Forces of Russia (2000-)"]
    acled["details"] = [[("Actor 2", "Wagner Group Ltd")]] * len(acled)  # another name
    assert _popup(acled, 0)["actors"] == actors


def test_flags_precision_and_dates(acled):
    p = _popup(acled, 1)
    assert p["flags"] == ["placed at Kursk (admin1): 'Koria' was not found in it"]
    assert p["precision"].startswith("placed near the town")
    assert _popup(acled, 0)["precision"].startswith("placed at: admin1 centre")
    assert _popup(acled, 2)["date"] == "week of 3 January 2025"  # ACLED time_precision 2
    assert _popup(acled, 0)["figures"][0]["label"] == "12 fatalities"


@pytest.mark.parametrize("label", ["Geo precision", "Where precision"])
def test_the_placement_is_said_once(acled, label):
    """ACLED's and GDELT's "Geo precision", UCDP's "Where precision": the popup's
    own line on the placement would say it again, and is left out; when a flag
    says the event was placed otherwise (a fallback), both are shown."""
    acled["details"] = [[(label, "near the town (ACLED geo_precision 2)")]] * len(acled)
    acled["place_precision"] = ["near", "near", "country"]
    acled["flags"] = [[], ["placed at Kursk (admin1): 'Koria' was not found in it"], []]
    p = _popup(acled, 0)
    assert p["precision"] is None
    assert [d["label"] for d in p["details"]] == [label]
    assert _popup(acled, 1)["precision"].startswith("placed near the town")  # flagged
    acled["details"] = [[("Date precision", "day")]] * len(acled)  # says nothing of the place
    assert _popup(acled, 0)["precision"].startswith("placed near the town")


def test_an_acled_popup_says_its_placement_once():
    events = geo.read_events("tests/data/exports/acled/current_2024.csv")
    popups = event_popups(events, layer_label="L", color="#000")
    for i in range(len(popups)):
        p = popups[i]
        said = [d for d in p["details"] if d["label"] == "Geo precision"]
        assert not (said and p["precision"] and not p["flags"]), p


def test_a_frame_without_the_new_columns_still_maps(seed_events):
    old = seed_events.drop(columns=["details", "flags", "place_precision"], errors="ignore")
    p = event_popups(old, layer_label="L", color="#000")[0]
    assert p["details"] == [] and p["flags"] == [] and p["precision"] is None
    assert maps.EventMap(old).html()


@pytest.mark.parametrize("layer", ["rich", "compact"])
def test_region_level_events_are_drawn_as_rings(acled, layer):
    m = maps.EventMap(acled, layer=layer)
    placed = {}
    for data in m._layers:
        placed.update({f["id"]: f["placed"] for f in data.features})
        for c in data.compact:
            codes = np.frombuffer(base64.b64decode(c.payload()["placed"]), dtype="<u1")
            names = {0: "exact", 1: "near", 2: "region"}
            placed.update(zip(c.frame["id"], [names[int(x)] for x in codes], strict=True))
    assert placed == {"RUS20001": "region", "RUS20002": "near", "UKR30003": "region"}
    marks = [k["placed"] for k in m._legend()["marks"]]
    assert marks == ["exact", "near", "region"]


def test_compact_details_decode_to_the_rich_details(acled):
    rich = maps.EventMap(acled, layer="rich")
    compact = maps.EventMap(acled, layer="compact")
    want = {f["id"]: f["details"] for d in rich._layers for f in d.features}
    for data in compact._layers:
        for c in data.compact:
            payload = c.payload()
            d, n = payload["details"], payload["n"]
            raw = gzip.decompress(base64.b64decode(d["codes"]))
            codes = np.frombuffer(raw, dtype="<u2").reshape(len(d["labels"]), n)
            orders = d["order"]
            width = orders["bytes"]
            order_codes = (
                np.frombuffer(base64.b64decode(orders["codes"]), dtype=f"<u{width}")
                if width
                else np.full(n, len(orders["values"]) - 1)  # one value for all, or none
            )
            for i, event_id in enumerate(c.frame["id"]):
                text = orders["values"][order_codes[i]]
                got = [
                    {"label": d["labels"][k], "text": d["values"][k][codes[k][i]]}
                    for k in (json.loads(text) if text else [])
                ]
                assert got == want[event_id]


# --------------------------------------------------------------------------- notices


def _notices(m) -> list[str]:
    return m._notices()


def test_rejected_and_flagged_records_are_noted_on_the_map(acled):
    acled.attrs["rejected"] = [
        Rejected("x.csv", f"row {i}", "event_date", "expected a date") for i in (3, 9)
    ]
    acled.attrs["flagged"] = [Flagged("x.csv", "row 4", "latitude", "140 km outside Burkina Faso")]
    m = maps.EventMap(acled, rejects_file="/tmp/out/map.html.rejects.csv")
    assert _notices(m) == [
        "2 records rejected (listed in map.html.rejects.csv)",
        "1 event flagged: see its popup",
    ]
    assert "2 records rejected (listed in map.html.rejects.csv)" in m.html()
    acled.attrs["rejected"] = acled.attrs["rejected"][:1]
    acled.attrs["flagged"] = []
    assert _notices(maps.EventMap(acled)) == ["1 record rejected"]


def test_no_notice_when_nothing_was_rejected(seed_events):
    assert _notices(maps.EventMap(seed_events)) == []
