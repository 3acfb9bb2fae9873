"""The compact layer: many point events on a canvas, with the same popups, legend and time."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

import geo
import maps

N = 4000


@pytest.fixture(scope="module")
def acled_csv(tmp_path_factory):
    """N ACLED-style rows (the columns of an export), deterministic."""
    rng = np.random.default_rng(7)
    base = pd.read_csv("tests/data/acled_sample.csv", dtype=str, keep_default_na=False)
    df = base.sample(N, replace=True, random_state=1).reset_index(drop=True)
    df["event_id_cnty"] = [f"SYN{i:06d}" for i in range(N)]
    df["latitude"] = (50.0 + rng.uniform(-1.5, 1.5, N)).round(4).astype(str)
    df["longitude"] = (36.0 + rng.uniform(-2.5, 2.5, N)).round(4).astype(str)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, N), unit="D")
    df["event_date"] = days.strftime("%Y-%m-%d")
    df["fatalities"] = rng.choice([0, 0, 0, 1, 2, 5, 12], N).astype(str)
    df["notes"] = [f"Synthetic note {i}: it's <b>bold</b> & `ticked`" for i in range(N)]
    df["source"] = "Ukrainska Pravda; Kyiv Independent"  # one ACLED source field, as they come
    path = tmp_path_factory.mktemp("acled") / "acled.csv"
    df.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def compact_map(acled_csv, tmp_path_factory):
    events = geo.read_events(acled_csv)
    m = maps.EventMap(events, offline=True, layer="auto", compact_threshold=1000)
    assert m.layer == "compact"
    path = tmp_path_factory.mktemp("compact") / "compact.html"
    m.save(path)
    return path


def test_auto_choice_and_forcing(acled_csv):
    events = geo.read_events(acled_csv)
    assert maps.EventMap(events).layer == "compact"  # 4,000 > the default threshold
    assert maps.EventMap(events, layer="rich").layer == "rich"
    assert maps.EventMap(events.head(50)).layer == "rich"
    with pytest.raises(ValueError, match="layer"):
        maps.EventMap(events, layer="fast")


def test_compact_is_far_smaller_than_features(acled_csv):
    events = geo.read_events(acled_csv)
    rich = len(maps.EventMap(events, layer="rich").html())
    compact = len(maps.EventMap(events, layer="compact").html())
    assert compact < rich / 3


def test_compact_output_is_deterministic(acled_csv):
    events = geo.read_events(acled_csv)
    assert (
        maps.EventMap(events, layer="compact").html()
        == maps.EventMap(events, layer="compact").html()
    )


DRAWN = (
    "() => Object.values(Eventmap.maps)[0].compact.reduce((a, l) => a + (l._map ? l.drawn : 0), 0)"
)


@pytest.mark.browser
def test_compact_map_draws_clicks_filters_and_toggles(open_page, compact_map):
    loaded = open_page(compact_map)
    page = loaded.page
    assert loaded.errors == [] and loaded.requests == []
    total = page.evaluate(DRAWN)
    assert total == N
    labels = [
        t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]
    assert labels == ["Explosions/Remote violence", "Battles"]  # as ACLED spells them
    assert page.locator(".em-legend").inner_text().count("(") >= 2

    # Click a point where it is drawn: the popup is built from the columns.
    x, y, expected_id = page.evaluate(
        """() => {
          const st = Object.values(Eventmap.maps)[0], layer = st.compact[0];
          const box = st.map.getContainer().getBoundingClientRect();
          for (let i = 0; i < layer.n; i++) {
            const p = st.map.latLngToContainerPoint(layer.latlng(i));
            if (p.x > 320 && p.x < 900 && p.y > 160 && p.y < 600) {
              const hit = layer.pick(p);
              if (hit && hit.index === i) return [box.left + p.x, box.top + p.y, layer.text.id[i]];
            }
          }
        }"""
    )
    view = "() => { const m = Object.values(Eventmap.maps)[0].map; return [m.getCenter(), m.getZoom()]; }"
    before = page.evaluate(view)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert f"id: {expected_id}" in text
    assert "it's <b>bold</b> & `ticked`" in text  # notes shown as text, never markup
    assert page.locator(".leaflet-popup-content b").count() == 0
    names = page.locator(".leaflet-popup-content .em-sources li strong").all_inner_texts()
    assert names == ["Ukrainska Pravda; Kyiv Independent"]  # one source, not split at "; "
    # The notes are shown once, as the description: the source's claim that
    # repeats them is left out.
    note = f"Synthetic note {int(expected_id[3:])}: it's <b>bold</b> & `ticked`"
    assert page.locator(".leaflet-popup-content .em-desc").all_inner_texts() == [note]
    assert page.locator(".leaflet-popup-content .em-sources .em-claim").count() == 0
    assert text.count(note) == 1

    # Back to the first view (the popup panned the map), so counts cover every point.
    page.evaluate(
        """([c, z]) => { const m = Object.values(Eventmap.maps)[0].map;
                        m.closePopup(); m.setView(c, z, {animate: false}); }""",
        before,
    )
    assert page.evaluate(DRAWN) == total

    # The time control filters the canvas too.
    page.locator(".em-time-end").evaluate(
        "el => { el.value = 0; el.dispatchEvent(new Event('input')); }"
    )
    early = page.evaluate(DRAWN)
    assert 0 < early < total / 10
    page.locator(".em-time-end").evaluate(
        "el => { el.value = el.max; el.dispatchEvent(new Event('input')); }"
    )
    assert page.evaluate(DRAWN) == total

    # Toggling an overlay removes its canvas.
    battles = page.evaluate("() => Object.values(Eventmap.maps)[0].compact[1].drawn")
    page.locator(".leaflet-control-layers").get_by_label("Battles").uncheck()
    assert page.evaluate(DRAWN) == total - battles
    assert page.locator("canvas.em-compact").count() == 1


@pytest.mark.browser
def test_clusters_count_events_and_zoom_in(open_page, acled_csv, tmp_path):
    events = geo.read_events(acled_csv)
    path = maps.EventMap(events, offline=True, layer="compact", aggregate=True).save(
        tmp_path / "a.html"
    )
    page = open_page(path).page
    page.evaluate("() => Object.values(Eventmap.maps)[0].map.setZoom(5, {animate: false})")
    cells = page.evaluate("() => Object.values(Eventmap.maps)[0].compact.map(l => l.cells)")
    assert all(c for c in cells)
    assert sum(c["count"] for layer in cells for c in layer) == N  # every event counted once
    assert sum(c["sum"] for layer in cells for c in layer) == pytest.approx(
        sum(q[0].value for q in events["quantities"] if q)
    )
    biggest = max(cells[0], key=lambda c: c["count"])
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + biggest["x"], box["y"] + biggest["y"])
    # The zoom is animated: wait for it to end, then single points are drawn again.
    page.wait_for_function("() => Object.values(Eventmap.maps)[0].map.getZoom() === 7")
    page.wait_for_function("() => Object.values(Eventmap.maps)[0].compact[0].cells === null")
    assert page.evaluate("() => Object.values(Eventmap.maps)[0].compact[0].drawn") > 0


@pytest.mark.browser
def test_overlapping_points_add_up_as_the_rich_layers_circles_do(open_page, tmp_path):
    """Two events on one spot are drawn twice: more opaque than one event alone.

    Circles of a layer are one colour at the rich layer's 0.3 fill opacity, so
    one alone lets 0.7 of what is below show through at its centre, and two 0.7².
    """
    base = pd.read_csv("tests/data/acled_sample.csv", dtype=str, keep_default_na=False)
    df = base.head(3).copy()
    df["event_id_cnty"] = ["ONE", "TWO", "ALONE"]
    df["event_type"] = "Battles"
    df["fatalities"] = "0"
    df["latitude"] = ["50.0", "50.0", "50.5"]
    df["longitude"] = ["36.0", "36.0", "37.0"]
    df["geo_precision"] = "1"  # at the place: filled (near it, the fill is lighter)
    path = tmp_path / "three.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "three.html"
    maps.EventMap(geo.read_events(path), offline=True, layer="compact").save(out)
    page = open_page(out).page
    alphas = page.evaluate(
        """() => {
          const st = Object.values(Eventmap.maps)[0], layer = st.compact[0];
          const ctx = layer.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
          return [[50.0, 36.0], [50.5, 37.0]].map(([lat, lon]) => {
            const p = st.map.latLngToContainerPoint([lat, lon]);
            const x = Math.round(p.x * ratio), y = Math.round(p.y * ratio);
            return ctx.getImageData(x, y, 1, 1).data[3] / 255;
          });
        }"""
    )
    twice, once = alphas
    assert once == pytest.approx(0.3, abs=0.01)
    assert twice == pytest.approx(1 - 0.7**2, abs=0.01)


def test_compact_points_are_sized_as_rich_circles_and_legend_says_so(acled_csv):
    """Past the threshold the look and the legend stay the same: one scale for the map."""
    events = geo.read_events(acled_csv)
    rich = maps.EventMap(events, layer="rich")
    compact = maps.EventMap(events, layer="compact")
    assert compact._legend() == rich._legend()
    for r, layer in zip(rich._layers, compact._layers, strict=True):
        radius = {f["id"]: f["radius"] for f in r.features}
        placed = {f["id"]: f["placed"] for f in r.features}
        for c in layer.compact:
            payload = c.payload()
            got = np.frombuffer(base64.b64decode(payload["radius"]), dtype="<f4")
            ids = list(c.frame["id"])
            assert got.tolist() == pytest.approx([radius[i] for i in ids], abs=0.01)
            codes = np.frombuffer(base64.b64decode(payload["placed"]), dtype="<u1").tolist()
            assert codes == [{"exact": 0, "near": 1, "region": 2}[placed[i]] for i in ids]


ACLED_TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]


@pytest.mark.browser
@pytest.mark.parametrize("height", [800, 560])
def test_a_long_legend_scrolls_instead_of_covering_the_layer_control(
    open_page, acled_csv, tmp_path, height
):
    df = pd.read_csv(acled_csv, dtype=str, keep_default_na=False)
    df["event_type"] = [ACLED_TYPES[i % 6] for i in range(len(df))]  # six sized layers
    df.to_csv(tmp_path / "six.csv", index=False)
    path = tmp_path / "six.html"
    maps.EventMap(geo.read_events(tmp_path / "six.csv"), offline=True).save(path)
    page = open_page(path, height=height).page
    layers = page.locator(".leaflet-control-layers").bounding_box()
    legend = page.locator(".em-legend").bounding_box()
    assert legend["y"] >= layers["y"] + layers["height"]  # below it, not over it
    body = page.locator(".em-legend-body")
    body.hover()
    page.mouse.wheel(0, 1000)  # and every entry can still be reached
    page.wait_for_function(
        "() => { const b = document.querySelector('.em-legend-body');"
        " return b.scrollTop + b.clientHeight >= b.scrollHeight - 1; }"
    )
    note = page.locator(".em-legend-note").last.bounding_box()
    box = body.bounding_box()
    assert note["y"] + note["height"] <= box["y"] + box["height"] + 1


@pytest.mark.browser
def test_a_hidden_map_draws_nothing_and_raises_nothing(open_page, compact_map):
    """A map in a closed tab or collapsed notebook output has no size; shown again, it draws."""
    loaded = open_page(compact_map)
    page = loaded.page
    hide = "(d) => { const st = Object.values(Eventmap.maps)[0];"
    hide += " st.map.getContainer().style.display = d; st.map.invalidateSize(); }"
    page.evaluate(hide, "none")
    assert page.evaluate(DRAWN) == 0
    page.evaluate(hide, "")
    assert page.evaluate(DRAWN) == N
    assert loaded.errors == []


CITED = {
    "title": "Cited points",
    "documents": [{"id": "brief-1", "name": "Parliamentary briefing, 2 November 2024"}],
    "events": [
        {
            "id": "kursk-statement",
            "kind": "statement",
            "title": "Ministry says troops reached Kursk",
            "date": "2024-11-02",
            "description": "Troops were seen near Sudzha, the ministry says.",
            "place": {"name": "Sudzha", "lat": 51.19, "lon": 35.27},
            "actors": ["Russia", "North Korea"],
            "confidence": "medium",
            "notes": "A note with <i>markup</i> & an apostrophe's worth.",
            "sources": [
                {
                    "name": "Ministry of Defence",
                    "claim": "Troops were seen near Sudzha, the ministry says.",
                },
                {
                    "name": "Agency; Desk",
                    "claim": "About 3,000 soldiers moved west.",
                    "date": "2024-11-03",
                    "url": "https://example.org/report?id=1&lang=en",
                    "document": "brief-1",
                },
            ],
            "quantities": [
                {"value": 3000, "unit": "soldiers", "qualifier": "about", "text": "environ 3 000"},
                {"value": 0.3, "unit": "of the unit"},
            ],
        },
        {
            "id": "seoul-statement",
            "kind": "statement",
            "title": "Briefing in Seoul",
            "place": {"name": "Seoul", "lat": 37.57, "lon": 126.98},
            "sources": ["NIS"],
        },
    ],
}

POPUP_TEXT = "() => document.querySelector('.leaflet-popup-content').innerText"


@pytest.mark.browser
def test_a_compact_popup_shows_what_the_rich_popup_shows(open_page, tmp_path):
    """Every source with its claim, date, URL and document; every figure with its words."""
    import yaml

    src = tmp_path / "cited.yaml"
    src.write_text(yaml.safe_dump(CITED, allow_unicode=True), encoding="utf-8")
    events = geo.read_events(src, strict=True)
    texts = {}
    for layer in ("rich", "compact"):
        out = tmp_path / f"{layer}.html"
        maps.EventMap(events, offline=True, layer=layer).save(out)
        loaded = open_page(out)
        page = loaded.page
        if layer == "rich":
            page.evaluate(
                "(id) => Object.values(Eventmap.maps)[0].byId[id][0].layer.openPopup()",
                "kursk-statement",
            )
        else:
            assert page.evaluate("() => Object.values(Eventmap.maps)[0].compact.length") == 1
            x, y = page.evaluate(
                """async (id) => {
                  const st = Object.values(Eventmap.maps)[0], layer = st.compact[0];
                  await layer.textReady;
                  const p = Eventmap.compactPoint(st.map, 0, layer.text.id.indexOf(id));
                  const box = st.map.getContainer().getBoundingClientRect();
                  return [box.left + p.x, box.top + p.y];
                }""",
                "kursk-statement",
            )
            page.mouse.click(x, y)
        page.locator(".leaflet-popup-content").wait_for()
        texts[layer] = page.evaluate(POPUP_TEXT)
        link = page.locator(".leaflet-popup-content .em-sources a")
        assert link.get_attribute("href") == "https://example.org/report?id=1&lang=en"
        assert page.locator(".leaflet-popup-content i").count() == 0  # notes as text
        assert loaded.errors == []
    compact = texts["compact"]
    # The claim that is the description is shown once, as the description.
    assert compact.count("Troops were seen near Sudzha, the ministry says.") == 1
    for expected in (
        "Troops were seen near Sudzha, the ministry says.",
        "About 3,000 soldiers moved west.",
        "https://example.org/report?id=1&lang=en",
        "(2024-11-03)",
        "Reported in: Parliamentary briefing, 2 November 2024",
        "about 3,000 soldiers",
        "environ 3 000",
        "30% of the unit",
        "Actors: Russia, North Korea",
        "A note with <i>markup</i> & an apostrophe's worth.",
    ):
        assert expected in compact
    assert compact == texts["rich"]


def test_compact_sources_are_stored_once_per_distinct_list(acled_csv):
    """4,000 ACLED events citing one source field for their own notes: one entry."""
    events = geo.read_events(acled_csv)
    m = maps.EventMap(events, layer="compact")
    for data in m._layers:
        (payload,) = [c.payload() for c in data.compact]
        assert payload["dict"]["sources"]["values"] == [
            None,
            '[{"name": "Ukrainska Pravda; Kyiv Independent"}]',
        ]


# The compositing compact layers had before they counted events per pixel
# (every visible event's mask multiplied in, one after another), against what
# each layer's canvas holds: alpha per device pixel, and how many differ.
SAME_PIXELS = """
() => {
  const st = Object.values(Eventmap.maps)[0], map = st.map, ratio = window.devicePixelRatio || 1;
  const scale = 2 ** map.getZoom(), origin = map.getPixelBounds().min, size = map.getSize();
  return st.compact.map((layer) => {
    const masks = layer.masks(ratio), g = layer.groups, W = layer.canvas.width, H = layer.canvas.height;
    const key = new Uint32Array(layer.n);
    for (let k = 0; k + 1 < g.start.length; k++)
      for (let j = g.start[k]; j < g.start[k + 1]; j++) key[g.order[j]] = k;
    const clear = new Float32Array(W * H).fill(1);
    let drawn = 0;
    for (let i = 0; i < layer.n; i++) {
      if (!layer.visible[i]) continue;
      const px = layer.x[i] * scale - origin.x, py = layer.y[i] * scale - origin.y, ri = layer.radius[i];
      if (px < -ri || py < -ri || px > size.x + ri || py > size.y + ri) continue;
      drawn += 1;
      const m = masks[key[i]], x0 = Math.round(px * ratio) - m.half, y0 = Math.round(py * ratio) - m.half;
      for (let j = Math.max(0, -y0); j < Math.min(m.side, H - y0); j++)
        for (let k = Math.max(0, -x0); k < Math.min(m.side, W - x0); k++)
          clear[(y0 + j) * W + x0 + k] *= m.keep[j * m.side + k];
    }
    const data = layer.canvas.getContext("2d").getImageData(0, 0, W, H).data;
    let worst = 0, differ = 0, painted = 0;
    for (let p = 0; p < W * H; p++) {
      const want = clear[p] === 1 ? 0 : Math.round(255 * (1 - clear[p])), got = data[4 * p + 3];
      worst = Math.max(worst, Math.abs(got - want));
      differ += got !== want ? 1 : 0;
      painted += want ? 1 : 0;
    }
    return { worst, differ, painted, drawn, layerDrawn: layer.drawn };
  });
}
"""


@pytest.mark.browser
def test_counting_events_per_pixel_draws_the_same_pixels(open_page, compact_map, acled_csv):
    """Events are drawn per device pixel and mask at once: the pixels are those of drawing each."""
    page = open_page(compact_map).page
    df = pd.read_csv(acled_csv)
    views = {
        "first view": None,
        "zoomed in": "m.setZoom(m.getZoom() + 2, {animate: false})",
        "panned, half the days": "m.panBy([300, -120], {animate: false})",
    }
    for name, move in views.items():
        if move:
            page.evaluate(f"() => {{ const m = Object.values(Eventmap.maps)[0].map; {move}; }}")
        if name.startswith("panned"):
            # A filter writes `visible` and redraws: events up to the median day stay.
            cut = (pd.to_datetime(df["event_date"]).median() - pd.Timestamp(0)).days
            shown = page.evaluate(
                """(cut) => Object.values(Eventmap.maps)[0].compact.map((l) => {
                  for (let i = 0; i < l.n; i++) l.visible[i] = l.day[i] <= cut ? 1 : 0;
                  l.redraw();
                  return l.visible.reduce((a, v) => a + v, 0);
                })""",
                cut,
            )
            assert sum(shown) == (pd.to_datetime(df["event_date"]).dt.normalize()
                                  <= pd.Timestamp(0) + pd.Timedelta(days=cut)).sum()  # fmt: skip
        layers = page.evaluate(SAME_PIXELS)
        for layer in layers:
            assert layer["painted"] > 100, name  # the test draws something
            assert layer["drawn"] == layer["layerDrawn"], name
            assert layer["worst"] <= 1, (name, layer)  # float rounding at most
            assert layer["differ"] <= layer["painted"] / 500, (name, layer)
