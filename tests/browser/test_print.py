"""Printing the page (maps/js/css/print.css): the map, title, legend, time span,
scale and credits stay; every control is hidden; nothing spills off the sheet."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

#: What a sheet cannot use: zoom, layers, the filter panel (search, its tabs,
#: the event list, copy link, fullscreen), the legend's Show as switch, the
#: time slider, its mode switch, playback and undated checkbox.
CONTROLS = [
    ".leaflet-control-zoom",
    ".leaflet-control-layers",
    ".em-panel",
    ".em-search-input",
    ".em-panel-copy",
    ".em-panel-full",
    ".em-agg-switch",
    ".em-time-range",
    ".em-time-mode",
    ".em-time-play",
    ".em-time-note",
]
#: What the sheet keeps.
KEPT = [
    ".em-title h1",
    ".em-legend",
    ".em-time-value",
    ".leaflet-control-scale",
    ".leaflet-control-attribution",
]
#: The printable area of A4 with print.css's 10 mm margins, at 96 px/in:
#: (210 - 20) mm and (297 - 20) mm.
A4 = (718, 1047)

#: Visible parts of the page that leave the viewport (rounded to a pixel).
OUTSIDE = """() => {
  const w = innerWidth, h = innerHeight, out = [];
  const parts = document.querySelectorAll(
    '.leaflet-control, .leaflet-control *, .leaflet-container');
  for (const el of parts) {
    if (!el.checkVisibility()) { continue; }
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) { continue; }
    if (r.left < -0.5 || r.top < -0.5 || r.right > w + 0.5 || r.bottom > h + 0.5) {
      out.push(el.className + ' ' + [r.left, r.top, r.right, r.bottom].map(Math.round));
    }
  }
  const d = document.documentElement;
  if (d.scrollWidth > w || d.scrollHeight > h) { out.push('document ' + d.scrollWidth + 'x' + d.scrollHeight); }
  return out;
}"""


def _visible(page, selector: str) -> bool:
    found = page.locator(selector)
    return found.count() > 0 and found.first.is_visible()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_screen_has_the_controls_print_hides(offline_map, open_page):
    # Without this, a renamed class would make the print test pass on nothing.
    page = open_page(offline_map).page
    for selector in CONTROLS + KEPT:
        assert _visible(page, selector), selector


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_print_keeps_the_map_and_drops_the_controls(offline_map, open_page, landscape):
    loaded = open_page(offline_map)
    page = loaded.page
    page.emulate_media(media="print")
    width, height = A4[::-1] if landscape else A4
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(100)  # Leaflet's resize handler runs on a frame

    hidden = [s for s in CONTROLS if _visible(page, s)]
    assert not hidden, f"controls printed: {hidden}"
    missing = [s for s in KEPT if not _visible(page, s)]
    assert not missing, f"left off the sheet: {missing}"
    assert page.locator(".em-title h1").inner_text() == "North Korea's support to Russia's war"
    assert "eventmap" in page.locator(".leaflet-control-attribution").inner_text()

    # The legend prints whole: every row seen, none clipped by a scrolling box.
    rows = page.locator(".em-legend .em-legend-row")
    assert rows.count() >= 8
    assert all(rows.nth(i).is_visible() for i in range(rows.count()))
    body = page.locator(".em-legend-body")
    assert body.evaluate("(b) => b.scrollHeight <= b.clientHeight + 1")

    # The map fills the sheet, and nothing spills off it.
    box = page.locator(".leaflet-container").bounding_box()
    assert (round(box["width"]), round(box["height"])) == (width, height)
    assert page.evaluate(OUTSIDE) == []
    assert not loaded.errors


def test_a_collapsed_legend_prints_open(offline_map, open_page):
    page = open_page(offline_map).page
    page.locator(".em-legend-toggle").click()
    assert not page.locator(".em-legend-body").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".em-legend-body").is_visible()
    page.emulate_media(media="screen")
    assert not page.locator(".em-legend-body").is_visible()


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_the_page_prints_on_one_sheet(offline_map, open_page, landscape):
    page = open_page(offline_map).page
    pdf = page.pdf(format="A4", landscape=landscape)
    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) == 1


# The print view (maps/js/print.js): a print fires no resize, so the page fits
# the screen's view to the sheet itself, and comes back to it afterwards.

#: The map's state: zoom, the centre in zoom-0 pixels, size, and the fragment.
STATE = """() => {
  const m = Object.values(Eventmap.maps)[0].map, c = m.project(m.getCenter(), 0);
  return {zoom: m.getZoom(), x: c.x, y: c.y, w: m.getSize().x, h: m.getSize().y, hash: location.hash};
}"""

#: Where the seed's far ends are, and every shown event's bounds, on the map
#: now (container px), and the boxes of the controls the sheet shows.
WHERE = """(points) => {
  const m = Object.values(Eventmap.maps)[0].map, b = Eventmap.shownBounds(m);
  const at = (ll) => { const p = m.latLngToContainerPoint(ll); return [p.x, p.y]; };
  const box = m.getContainer().getBoundingClientRect();
  const controls = [...m.getContainer().querySelectorAll('.leaflet-control')]
    .filter((c) => c.getClientRects().length).map((c) => {
      const r = c.getBoundingClientRect();
      return [c.className, r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top];
    });
  return {size: [m.getSize().x, m.getSize().y],
    points: points.map(at).concat([at(b.getSouthWest()), at(b.getNorthEast())]), controls};
}"""

#: Pyongyang and Kursk, the far ends of the seed's flows.
ENDS = [[39.03, 125.75], [51.73, 36.19]]


def _on_the_sheet(where: dict) -> list[str]:
    """The points that lie off the map or under a printed control."""
    w, h = where["size"]
    out = []
    for x, y in where["points"]:
        if not (0 <= x <= w and 0 <= y <= h):
            out.append(f"({x:.0f}, {y:.0f}) off the {w}x{h} map")
        for name, x0, y0, x1, y1 in where["controls"]:
            if x0 <= x <= x1 and y0 <= y <= y1:
                out.append(f"({x:.0f}, {y:.0f}) under {name}")
    return out


def _restored(before: dict, after: dict) -> None:
    assert after["zoom"] == before["zoom"]
    assert (after["w"], after["h"]) == (before["w"], before["h"])
    scale = 2 ** before["zoom"]  # a pixel of the screen, in zoom-0 pixels
    assert abs(after["x"] - before["x"]) * scale < 1
    assert abs(after["y"] - before["y"]) * scale < 1
    assert after["hash"] == before["hash"]


def _print(page, width, height):
    """What a browser does when it prints: beforeprint at the screen's size,
    then the print layout at the sheet's (no resize event reaches Leaflet
    first: the media query changes, then the sheet takes its size)."""
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": width, "height": height})


def _unprint(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(media="screen")
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("fragment", ["", "#map=5/50/80"], ids=["fitted", "fragment"])
def test_print_shows_the_screen_view_and_restores_it(offline_map, open_page, landscape, fragment):
    loaded = open_page(offline_map)
    page = loaded.page
    if fragment:  # a view restored from a link
        page.goto(offline_map.resolve().as_uri() + fragment)
        page.reload()
        page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
        page.wait_for_function("() => Object.values(Eventmap.maps)[0].map.getZoom() === 5")
    before = page.evaluate(STATE)
    assert before["hash"] == fragment
    # What the screen shows, as points: its corners, and the seed's ends if in view.
    corners = page.evaluate("""() => {
      const b = Object.values(Eventmap.maps)[0].map.getBounds();
      return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]];
    }""")
    width, height = A4[::-1] if landscape else A4
    _print(page, width, height)
    page.wait_for_timeout(400)  # longer than view.js waits to write the fragment
    printed = page.evaluate(STATE)
    assert (printed["w"], printed["h"]) == (width, height)
    assert printed["hash"] == fragment, "the fragment was written while printing"
    where = page.evaluate(WHERE, corners + ([] if fragment else ENDS))
    if fragment:
        where["points"] = where["points"][:2]  # the screen's view; the data may lie beyond it
    assert _on_the_sheet(where) == []
    assert page.evaluate(OUTSIDE) == []

    _unprint(page, 1280, 800)
    page.wait_for_timeout(400)
    _restored(before, page.evaluate(STATE))
    assert not loaded.errors


#: Recorded once the print layout is in place, after print.js's own listener.
RECORD = """() => {
  window.__printed = null;
  matchMedia('print').addEventListener('change', (e) => {
    if (!e.matches) { return; }
    const m = Object.values(Eventmap.maps)[0].map, b = Eventmap.shownBounds(m);
    const ends = [[39.03, 125.75], [51.73, 36.19], b.getSouthWest(), b.getNorthEast()];
    const canvas = document.querySelector('canvas.em-compact');
    window.__printed = {size: [m.getSize().x, m.getSize().y],
      points: ends.map((ll) => { const p = m.latLngToContainerPoint(ll); return [p.x, p.y]; }),
      canvas: canvas ? [canvas.style.width, canvas.style.height] : null, hash: location.hash};
  });
}"""


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_a_real_print_fits_the_sheet_and_comes_back(offline_map, open_page, landscape):
    # page.pdf() lays the page out as Chromium prints it, events and all.
    loaded = open_page(offline_map)
    page = loaded.page
    before = page.evaluate(STATE)
    page.evaluate(RECORD)
    pdf = page.pdf(format="A4", landscape=landscape)
    assert _pages(pdf) == 1
    printed = page.evaluate("window.__printed")
    w, h = printed["size"]
    assert (w, h) != (before["w"], before["h"])  # the sheet's size, not the screen's
    off = [p for p in printed["points"] if not (0 <= p[0] <= w and 0 <= p[1] <= h)]
    assert not off, f"off the printed {w}x{h} map: {off}"
    assert printed["hash"] == before["hash"]
    page.wait_for_timeout(400)
    _restored(before, page.evaluate(STATE))
    assert not loaded.errors


@pytest.fixture(scope="module")
def compact_print_map(tmp_path_factory):
    import numpy as np
    import pandas as pd

    import geo
    import maps

    n = 1500
    rng = np.random.default_rng(3)
    base = pd.read_csv("tests/data/acled_sample.csv", dtype=str, keep_default_na=False)
    df = base.sample(n, replace=True, random_state=2).reset_index(drop=True)
    df["event_id_cnty"] = [f"PRN{i:06d}" for i in range(n)]
    df["latitude"] = (48.0 + rng.uniform(-1.5, 1.5, n)).round(4).astype(str)
    df["longitude"] = (37.0 + rng.uniform(-2.5, 2.5, n)).round(4).astype(str)
    path = tmp_path_factory.mktemp("print") / "acled.csv"
    df.to_csv(path, index=False)
    m = maps.EventMap(geo.read_events(path), offline=True, layer="compact")
    out = path.with_suffix(".html")
    m.save(out)
    return out


def test_a_compact_canvas_is_drawn_for_the_sheet(compact_print_map, open_page):
    loaded = open_page(compact_print_map)
    page = loaded.page
    before = page.evaluate(STATE)
    page.evaluate(RECORD)
    page.pdf(format="A4")
    printed = page.evaluate("window.__printed")
    w, h = printed["size"]
    assert (w, h) != (before["w"], before["h"])  # the sheet's size, not the screen's
    assert printed["canvas"] == [f"{w}px", f"{h}px"]
    off = [p for p in printed["points"][2:] if not (0 <= p[0] <= w and 0 <= p[1] <= h)]
    assert not off
    page.wait_for_timeout(400)
    _restored(before, page.evaluate(STATE))
    assert page.locator("canvas.em-compact").first.evaluate("(c) => c.style.width") == "1280px"
    assert not loaded.errors
