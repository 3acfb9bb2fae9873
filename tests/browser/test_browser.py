"""What a user sees, in headless Chromium with the network cut."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
EXPECTED_OVERLAYS = {
    "Troop deployments", "Casualties (reported)", "Supply routes", "Technology transfer",
    "Front regions", "Alliances & treaties", "Sources of the claims",
}  # fmt: skip

VISIBLE_PATHS = "(sel) => document.querySelectorAll('.leaflet-overlay-pane ' + sel).length"


def overlay_labels(page) -> list[str]:
    return [
        t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]


SEEN_TOOLTIPS = """() => [...document.querySelectorAll('.leaflet-tooltip')]
  .filter(el => { const cs = getComputedStyle(el);
                  return cs.visibility === 'visible' && cs.display !== 'none' && +cs.opacity > 0; })
  .map(el => el.textContent)"""


def click_event(page, event_id: str) -> None:
    """Click an event's symbol where it is drawn and on top, as a user would.

    Points are taken along the rendered SVG path (flows are drawn offset from
    their route), and one is kept only if the browser says that path is the
    topmost element there.
    """
    point = page.evaluate(
        """(id) => {
          const st = Object.values(Eventmap.maps)[0];
          const paths = [];
          st.byId[id][0].layer.eachLayer(l => { if (l._path) paths.push(l._path); });
          for (const path of paths) {
            const len = path.getTotalLength();
            for (let k = 1; k < 40; k++) {
              const p = path.getPointAtLength(len * k / 40);
              const m = path.getScreenCTM();
              const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
              if (document.elementFromPoint(x, y) === path) return [x, y];
            }
          }
          return null;
        }""",
        event_id,
    )
    assert point, f"no visible, unobstructed point on {event_id}'s symbol"
    page.mouse.click(*point)


def test_offline_seed_map_loads_cleanly_with_zero_requests(open_page, offline_map):
    loaded = open_page(offline_map)
    page = loaded.page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-offline.png"))
    assert loaded.errors == []
    assert loaded.requests == []
    assert page.title() == "North Korea's support to Russia's war"
    assert page.locator(".em-title h1").inner_text() == "North Korea's support to Russia's war"
    assert page.locator(".em-legend").is_visible()
    assert page.evaluate(VISIBLE_PATHS, "path") > 10


def test_overlays_are_listed_in_the_layer_control(open_page, offline_map):
    page = open_page(offline_map).page
    labels = overlay_labels(page)
    assert set(labels) == EXPECTED_OVERLAYS | {"Official statements"}


def test_toggling_an_overlay_hides_its_features(open_page, offline_map):
    page = open_page(offline_map).page
    red = 'path[stroke="#D55E00"]'  # the casualties layer's colour
    before = page.evaluate(VISIBLE_PATHS, red)
    others = page.evaluate(VISIBLE_PATHS, "path") - before
    assert before >= 3
    page.get_by_label("Casualties (reported)").uncheck()
    assert page.evaluate(VISIBLE_PATHS, red) == 0
    assert page.evaluate(VISIBLE_PATHS, "path") == others
    page.get_by_label("Casualties (reported)").check()
    assert page.evaluate(VISIBLE_PATHS, red) == before


def test_kursk_oblast_is_drawn_as_a_polygon(open_page, offline_map):
    page = open_page(offline_map).page
    n = page.evaluate(
        """() => {
          const st = Object.values(Eventmap.maps)[0];
          const item = st.byId['region:ne:RU-KRS'][0];
          let rings = 0;
          item.layer.eachLayer(l => { if (l instanceof L.Polygon) rings += 1; });
          return rings;
        }"""
    )
    assert n >= 1


def test_popup_shows_the_13000_figure_and_its_source(open_page, offline_map):
    page = open_page(offline_map).page
    click_event(page, "nis-13000-troops-kursk")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "about 13,000" in text
    assert "environ 13 000 soldats" in text
    assert "National Intelligence Service (South Korea)" in text
    assert "French news article" in text  # the document that reports the claim, by name
    page.wait_for_timeout(400)  # let the popup fade in, as a user sees it
    # No hover tooltip over the popup, though the popup's pan has moved other
    # symbols under the still mouse. (A closed tooltip stays in the page, at
    # opacity 0, for Leaflet's 200 ms fade: what counts is what can be seen.)
    assert page.evaluate(SEEN_TOOLTIPS) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-popup.png"))


def test_casualty_popup_lists_every_sources_figure(open_page, offline_map):
    page = open_page(offline_map).page
    click_event(page, "dprk-350-dead-acknowledged-kursk")
    text = page.locator(".leaflet-popup-content").inner_text()
    for figure in ("350", "2,000", "6,000"):
        assert figure in text


def test_time_control_filters_every_layer(open_page, offline_map):
    page = open_page(offline_map).page
    end = page.locator(".em-time-end")
    total = page.evaluate(VISIBLE_PATHS, "path")
    uk = "uk-6000-losses-kursk-2025-06"
    visible = f"""() => {{ const st = Object.values(Eventmap.maps)[0];
                 const it = st.byId['{uk}'][0]; return it.group.hasLayer(it.layer); }}"""
    assert page.evaluate(visible)
    # "Up to" the first month: what had happened by then.
    page.locator(".em-time-mode label", has_text="Up to").click()
    end.evaluate("el => { el.value = 0; el.dispatchEvent(new Event('input')); }")
    assert page.locator(".em-time-value").inner_text() == "up to Oct 2023"
    assert not page.evaluate(visible)
    assert page.evaluate(VISIBLE_PATHS, "path") < total
    # Undated events (the article dates few of its claims) are hidden in a
    # window unless the reader shows them, and can be hidden at every date too.
    nis = "nis-2000-combatants-lost-kursk"
    shown = f"""() => {{ const st = Object.values(Eventmap.maps)[0];
               const it = st.byId['{nis}'][0]; return it.group.hasLayer(it.layer); }}"""
    undated = page.locator(".em-time-undated")
    assert not undated.is_checked() and not page.evaluate(shown)
    early = page.evaluate(VISIBLE_PATHS, "path")
    undated.check()
    assert page.evaluate(shown)
    assert page.evaluate(VISIBLE_PATHS, "path") > early
    end.evaluate("el => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    assert page.locator(".em-time-value").inner_text() == "all dates"
    assert page.evaluate(visible)
    assert page.evaluate(VISIBLE_PATHS, "path") == total
    undated.uncheck()
    assert not page.evaluate(shown)
    assert page.evaluate(VISIBLE_PATHS, "path") < total


def test_default_map_loads_no_code_from_the_network(open_page, online_map):
    loaded = open_page(online_map)
    kinds = {kind for kind, _ in loaded.requests}
    assert kinds <= {"image"}, loaded.requests  # basemap tiles only
    assert loaded.errors == []


HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def test_untrusted_text_stays_text(open_page, tmp_path):
    import geo
    import maps

    f = tmp_path / "hostile.yaml"
    f.write_text(yaml.safe_dump({
        "title": "O'Brien's `map` " + HOSTILE,
        "events": [{
            "id": "x1", "kind": "statement", "title": "Title " + HOSTILE,
            "description": "It's ${window.__pwned=3} `tick` " + HOSTILE, "place": "Pyongyang",
            "sources": [{"name": "Src " + HOSTILE, "url": "javascript:window.__pwned=4",
                         "claim": "<b>bold?</b>"}],
        }, {
            # An unknown kind names its own layer in the layer control.
            "id": "x2", "kind": "<img src=x onerror=\"window.__pwned=5\">", "title": "t",
            "place": "Seoul", "sources": [{"name": "S"}],
        }],
    }))  # fmt: skip
    out = tmp_path / "hostile.html"
    maps.EventMap(geo.read_events(f), offline=True).save(out)
    loaded = open_page(out)
    page = loaded.page
    page.evaluate("() => Object.values(Eventmap.maps)[0].byId['x1'][0].layer.openPopup()")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Title </script><script>window.__pwned=1</script>" in text
    assert "<b>bold?</b>" in text
    assert page.locator(".leaflet-popup-content a").count() == 0  # javascript: is not a link
    assert page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == [] and loaded.errors == []
    assert loaded.requests == []  # no injected <img> asked for anything
    labels = [
        t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]
    assert any("<img src=x" in t for t in labels)  # shown as text
    assert "O'Brien's `map` </script>" in page.locator(".em-title h1").inner_text()
