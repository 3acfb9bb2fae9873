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
