"""Maps that read the same from one dataset to the next: colours, sizes, words."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import pandas as pd
import pytest

import geo
import maps
from geo.model import Quantity
from geo.schema import normalize_kind
from maps.labels import count_label, date_label, precision_label, quantity_label, singular
from maps.layers.sizes import unit_key
from maps.style import HASHED_COLORS, KIND_COLORS, LAYERS, css_color, kind_color, specs_for_kinds

ACLED = "tests/data/acled_sample.csv"


def _lab(color: str) -> tuple[float, float, float]:
    """CIELAB of an sRGB hex colour (D65)."""
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _distance(a: str, b: str) -> float:
    return math.dist(_lab(a), _lab(b))


# --------------------------------------------------------------------------- colours


@pytest.mark.parametrize(
    ("kind", "color"),
    [
        ("Battles", "#E41A1C"),
        ("battles", "#E41A1C"),
        ("Explosions/Remote violence", "#FF7F00"),
        ("Violence against civilians", "#A6328B"),
        ("Protests", "#56B4E9"),
        ("Riots", "#4DAF4A"),
        ("Strategic developments", "#A65628"),
        ("Riots/Protests", "#17BECF"),  # ACLED's legacy types
        ("Remote violence", "#FDBF6F"),
        ("state-based", "#67001F"),  # UCDP GED's types of violence
        ("non-state", "#8C6D00"),
        ("one-sided", "#F781BF"),
        ("state_based", "#67001F"),
    ],
)
def test_known_kinds_have_fixed_colours(kind, color):
    assert kind_color(kind) == color


def test_fixed_colours_are_distinct_from_each_other_and_the_seed_layers():
    fixed = list(KIND_COLORS.values()) + [spec.color for spec in LAYERS]
    assert len(set(fixed)) == len(fixed)
    for a, b in itertools.combinations(fixed, 2):
        assert _distance(a, b) >= 15, (a, b)
    for c in HASHED_COLORS:
        assert min(_distance(c, f) for f in fixed) >= 18, c


def test_a_kind_has_its_colour_whatever_the_other_kinds_and_their_counts():
    one = specs_for_kinds({"battles": 900, "protests": 3, "fight": 10})
    other = specs_for_kinds({"protests": 5000, "battles": 1, "riots": 7})
    assert one["battles"].color == other["battles"].color == KIND_COLORS["battles"]
    assert one["protests"].color == other["protests"].color == KIND_COLORS["protests"]
    alone = specs_for_kinds({"fight": 1})
    assert one["fight"].color == alone["fight"].color == kind_color("fight")


def test_hashed_colours_do_not_depend_on_the_process():
    code = "from maps.style import kind_color; print(kind_color('Shelling'), kind_color('drone'))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout  # fmt: skip
        for seed in ("1", "2")
    }
    assert len(outs) == 1
    shelling, drone = outs.pop().split()
    assert shelling in HASHED_COLORS and drone in HASHED_COLORS
    assert shelling not in KIND_COLORS.values()


def test_every_cameo_root_has_a_fixed_colour():
    """GDELT's 20 root event types look the same on every map (they no longer
    share 20 hashed colours, which depended on the kinds present)."""
    from geo.io.gdelt import CAMEO_ROOTS

    kinds = [normalize_kind(label) for label in CAMEO_ROOTS.values()]
    assert len(kinds) == 20 and all(k in KIND_COLORS for k in kinds)
    colors = {k: KIND_COLORS[k] for k in kinds}
    assert len(set(colors.values())) == 20
    # Whatever else is on the map, and however many of each.
    few = specs_for_kinds({"fight": 1, "assault": 900, "battles": 3})
    many = specs_for_kinds(dict.fromkeys(kinds, 5))
    assert few["fight"].color == many["fight"].color == colors["fight"]
    assert {k: many[k].color for k in kinds} == colors


def test_two_hashed_kinds_never_share_a_colour_on_one_map():
    kinds = {f"kind{i}": 1 for i in range(len(HASHED_COLORS))}
    colors = [spec.color for spec in specs_for_kinds(kinds).values()]
    assert len(set(colors)) == len(colors)


def test_acled_battles_look_the_same_on_two_maps(tmp_path):
    """A map where Battles are the commonest and one where they are the rarest."""
    base = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    colors = []
    for name, types in (("many", ["Battles"] * 3), ("few", ["Battles", "Riots", "Riots"])):
        df = base.copy()
        df["event_type"] = types
        path = tmp_path / f"{name}.csv"
        df.to_csv(path, index=False)
        m = maps.EventMap(geo.read_events(path))
        colors.append({d.spec.label: d.spec.color for d in m._layers})
    assert colors[0]["Battles"] == colors[1]["Battles"] == KIND_COLORS["battles"]
    assert colors[1]["Riots"] == KIND_COLORS["riots"]


@pytest.mark.parametrize(
    "value, color",
    [("#E41A1C", "#E41A1C"), ("#abc", "#abc"), ("#11223344", "#11223344"), (" Red", "red"),
     ("rebeccapurple", "rebeccapurple"), ('red"/><img src=x onerror=alert(1)>', None),
     ("#12", None), ("#12345", None), ("rgb(1,2,3)", None), ("url(x)", None), ("", None),
     (None, None), (float("nan"), None), (3, None), ("red;background:url(x)", None)],
)  # fmt: skip
def test_only_a_colour_is_a_colour(value, color):
    assert css_color(value) == color


@pytest.mark.parametrize("layer", ["rich", "compact"])
def test_a_colour_column_colours_only_with_colours(tmp_path, layer):
    """A missing colour is the layer's, and so is a malformed one; no event is
    lost on either layer (a compact layer groups missing colours with the layer's)."""
    events = _acled_frame(tmp_path, [("Battles", "1")] * 5)
    events["color"] = [None, "#ff0000", float("nan"), 'red"/><img src=x>', "blue"]
    m = maps.EventMap(events, layer=layer, offline=True)
    assert m.summary.layers == {"Battles": 5}
    colors = {}
    for data in m._layers:
        for f in data.features:
            colors[f["id"]] = f["color"]
        for c in data.compact:
            assert len(c) > 0
            colors.update(dict.fromkeys(c.frame["id"], c.spec.color))
    battles = KIND_COLORS["battles"]
    assert colors == {"X0": battles, "X1": "#ff0000", "X2": battles, "X3": battles, "X4": "blue"}


# --------------------------------------------------------------------------- sizes


def _acled_frame(tmp_path, rows: list[tuple[str, str]]):
    base = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    df = pd.concat([base.head(1)] * len(rows), ignore_index=True)
    df["event_id_cnty"] = [f"X{i}" for i in range(len(rows))]
    df["event_type"] = [t for t, _ in rows]
    df["fatalities"] = [f for _, f in rows]
    df["latitude"] = [str(50 + i * 0.2) for i in range(len(rows))]
    path = tmp_path / "sized.csv"
    df.to_csv(path, index=False)
    return geo.read_events(path)


@pytest.mark.parametrize("layer", ["rich", "compact"])
def test_one_size_scale_per_unit_across_layers(tmp_path, layer):
    """A 2-fatality protest is smaller than a 10-fatality battle, though each is
    its layer's largest."""
    events = _acled_frame(tmp_path, [("Protests", "2"), ("Battles", "10"), ("Battles", "5")])
    m = maps.EventMap(events, layer=layer)
    radius = {}
    for data in m._layers:
        for f in data.features:
            radius[f["id"]] = f["radius"]
        for c in data.compact:
            radius.update(zip(c.frame["id"], c.radius.tolist(), strict=True))
    assert radius["X0"] < radius["X2"] < radius["X1"]
    scale = m._layers.scales[0].scale
    assert radius["X0"] == pytest.approx(scale(2)) and radius["X1"] == pytest.approx(scale(10))
    (entry,) = m._legend()["scales"]
    assert entry["label"] == "Circle area ∝ fatalities (one scale for all layers)"
    assert [s["label"] for s in entry["sizes"]][0] == "10"


def test_the_legend_has_one_scale_per_unit_and_symbol(seed_events):
    scales = maps.EventMap(seed_events)._legend()["scales"]
    labels = [s["label"] for s in scales]
    assert labels == [
        "Line width ∝ √people (one scale for all layers)",
        "Circle area ∝ people (one scale for all layers)",
        "Line width ∝ √containers (one scale for all layers)",
    ]
    assert all(s["sizes"] for s in scales)


@pytest.mark.parametrize(
    ("unit", "key"),
    [
        ("fatalities", "people"),
        ("soldiers", "people"),
        ("special forces troops", "people"),
        ("military personnel", "people"),
        ("dead", "people"),
        ("combatants lost", "people"),
        ("shells", "shell"),
        ("artillery shells", "shell"),
        ("containers of munitions", "container"),
        ("pop_est", "pop_est"),
        (None, None),
        ("", None),
    ],
)
def test_unit_keys(unit, key):
    assert unit_key(unit) == key


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("fatalities", "fatality"),
        ("casualties", "casualty"),
        ("soldiers", "soldier"),
        ("troops", "troop"),
        ("civilians", "civilian"),
        ("people", "person"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
        ("lives", "life"),
        ("losses", "loss"),
        ("launches", "launch"),
        ("boxes", "box"),
        ("drones", "drone"),
        ("missiles", "missile"),
        ("buses", "bus"),
        ("aircraft", "aircraft"),
        ("personnel", "personnel"),
        ("police", "police"),
        ("equipment", "equipment"),
        ("dead", "dead"),
        ("news", "news"),
        ("soldiers killed", "soldier killed"),
        ("civilians wounded", "civilian wounded"),
        ("artillery shells", "artillery shell"),
        ("North Korean soldiers", "North Korean soldier"),
        ("tonnes of ammunition", "tonne of ammunition"),
        ("containers of munitions", "container of munitions"),
        ("of the troops", "of the troops"),
        ("special forces troops", "special forces troop"),
        ("soldiers killed or wounded", "soldier killed or wounded"),
        ("military engineers, deminers and builders", "military engineer, deminers and builders"),
    ],
)
def test_singular(plural, one):
    assert singular(plural) == one


@pytest.mark.parametrize(
    ("q", "label"),
    [
        (Quantity(1, "fatalities"), "1 fatality"),
        (Quantity(2, "fatalities"), "2 fatalities"),
        (Quantity(0, "fatalities"), "0 fatalities"),
        (Quantity(1.0, "soldiers", qualifier="about"), "about 1 soldier"),
        (Quantity(1, "fatalities", low=1, high=4), "1 fatality (range 1–4)"),
        (Quantity(10, "fatalities", low=10, high=10), "10 fatalities"),  # UCDP: low = best = high
        (Quantity(10, "fatalities", low=8, high=10), "10 fatalities (range 8–10)"),
        (Quantity(1.5, "tonnes"), "1.5 tonnes"),
        (Quantity(13000, "soldiers", qualifier="about"), "about 13,000 soldiers"),
    ],
)
def test_quantity_labels_agree_in_number(q, label):
    assert quantity_label(q) == label


def test_counts_agree_in_number():
    assert count_label(1, "records") == "1 record"
    assert count_label(3, "records") == "3 records"
    assert count_label(1, "events") == "1 event"
    assert count_label(12_000, "events") == "12,000 events"


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (("2024-03-12", "day"), "12 March 2024"),
        (("2024-03-12", "week"), "week of 12 March 2024"),
        (("2024-03-12", "week", "2024-03-18"), "week of 12 March 2024"),  # ACLED's week
        (("2024-03", "month", "2024-03-31"), "March 2024"),
        (("2024", "year", "2024-06-30"), "2024"),
        (("2024-03", "month"), "March 2024"),
        (("2024", "year"), "2024"),
        (("2022-02-24", "day", "2022-03-03"), "24 Feb – 3 Mar 2022"),
        (("2022-02-24", "day", "2022-02-28"), "24–28 Feb 2022"),
        (("2021-12-28", "day", "2022-01-03"), "28 Dec 2021 – 3 Jan 2022"),
        (("2024-10", "month", "2024-12"), "Oct – Dec 2024"),
        (("2024-11", "month", "2025-02"), "Nov 2024 – Feb 2025"),
        (("2023", "year", "2024"), "2023–2024"),
        (("2024-03-12", "day", "2024-03-12"), "12 March 2024"),
        (("2024-10", "month", "2024-12-05"), "October 2024 – 5 December 2024"),
        ((None, None), None),
    ],
)
def test_dates_say_their_precision(args, label):
    assert date_label(*args) == label


def test_precision_labels():
    assert precision_label("admin1").startswith("placed at: admin1 centre")
    assert precision_label("country").startswith("placed at: country centre")
    assert precision_label("near").startswith("placed near the town")
    assert precision_label("point") is None and precision_label(None) is None


def test_gdelt_assault_and_fight_differ_in_lightness_not_only_in_hue():
    # Saturated magentas far apart in CIE76 (#FF00AA, #FF00FF: 43 units) look
    # the same in a legend swatch: the two kinds of material conflict an
    # analyst compares most differ in lightness too.
    assault, fight = (_lab(KIND_COLORS[k])[0] for k in ("assault", "fight"))
    assert abs(assault - fight) >= 20
