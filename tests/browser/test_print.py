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


# The documents and sources the events cite (controls.js printSources): on the
# sheet only, as text, and never making the sheet spill.

#: A name that would load an image and run a script if it were parsed as markup.
PAYLOAD = "<img src=x onerror=alert(1)>"


def _sources_map(tmp_path, name: str, events: list, documents: list):
    import yaml

    import geo
    import maps

    src = tmp_path / f"{name}.yaml"
    src.write_text(yaml.safe_dump({"title": name, "documents": documents, "events": events},
                                  allow_unicode=True), encoding="utf-8")  # fmt: skip
    out = tmp_path / f"{name}.html"
    maps.EventMap(geo.read_events(src), offline=True).save(out)
    return out


def test_the_sheet_lists_the_documents_and_sources(offline_map, open_page, seed_events):
    from maps.layers.sources import cited_sources

    loaded = open_page(offline_map)
    page = loaded.page
    block, hint = page.locator(".em-print-sources"), page.locator(".em-legend-note.em-screen-only")
    assert block.count() == 1 and not block.is_visible()
    assert hint.count() == 1 and hint.is_visible()
    assert hint.inner_text().startswith("Click a symbol")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4[0], "height": A4[1]})
    page.wait_for_timeout(100)
    assert block.is_visible()
    assert not hint.is_visible()
    # The legend still ends with its other notes.
    assert page.locator(".em-legend-note").filter(visible=True).count() >= 1
    docs = page.locator(".em-print-documents").inner_text()
    cited = page.locator(".em-print-cited").inner_text()
    assert docs.startswith("Documents: French news article on North Korea")
    names = cited_sources(seed_events)
    assert 1 < len(names) <= 30  # the seed's are all listed, most cited first
    assert cited == "Sources cited: " + "; ".join(names) + "."
    assert page.evaluate(OUTSIDE) == []
    page.emulate_media(media="screen")
    assert not block.is_visible() and hint.is_visible()
    assert not loaded.errors


def test_source_and_document_names_print_as_text(tmp_path, open_page):
    events = [{"id": "e1", "kind": "statement", "title": "One", "date": "2024-11", "place": "Kyiv",
               "sources": [{"name": f"Agency {PAYLOAD}", "document": "d1"}]}]  # fmt: skip
    path = _sources_map(tmp_path, "inject", events, [{"id": "d1", "name": f"Report {PAYLOAD}"}])
    loaded = open_page(path)
    page = loaded.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.emulate_media(media="print")
    block = page.locator(".em-print-sources")
    assert block.is_visible()
    assert page.locator(".em-print-documents").inner_text() == f"Documents: Report {PAYLOAD}."
    assert page.locator(".em-print-cited").inner_text() == f"Sources cited: Agency {PAYLOAD}."
    assert block.locator("img").count() == 0
    assert page.locator("img[src='x']").count() == 0
    page.pdf(format="A4")
    assert not dialogs
    assert not loaded.errors


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_long_source_lists_keep_to_one_sheet(tmp_path, open_page, landscape):
    # Far more sources than the page lists, each longer than it keeps.
    events = [
        {"id": f"e{i}", "kind": "statement", "title": f"Event {i}", "date": "2024-11",
         "place": "Kyiv", "sources": [{"name": f"Source {i:02d} " + "long name " * 30}]}
        for i in range(45)
    ]  # fmt: skip
    docs = [{"id": f"d{i}", "name": f"Document {i} " + "w" * 250} for i in range(35)]
    path = _sources_map(tmp_path, f"many-{landscape}", events, docs)
    loaded = open_page(path)
    page = loaded.page
    assert page.locator(".em-print-cited").inner_text().endswith("; and 15 more.")
    pdf = page.pdf(format="A4", landscape=landscape)
    assert _pages(pdf) == 1
    width, height = A4[::-1] if landscape else A4
    page.emulate_media(media="print")
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(100)
    assert page.evaluate(OUTSIDE) == []
    # The block stays clear of the credits line below it.
    block = page.locator(".em-print-sources").bounding_box()
    credits = page.locator(".leaflet-control-attribution").bounding_box()
    assert block["y"] + block["height"] <= credits["y"] + 0.5
    assert block["height"] <= 0.25 * height
    assert not loaded.errors
