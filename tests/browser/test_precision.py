"""What a reader sees of precision and doubt: a region-level event is not drawn
like a village, flags and notices are in view, one scale sizes every layer."""

from __future__ import annotations

import pandas as pd
import pytest

import geo
import maps
from geo.report import Rejected

pytestmark = pytest.mark.browser

ACLED = "tests/data/acled_sample.csv"


@pytest.fixture
def placed(tmp_path):
    """Three Battles far apart: at a town, near one, and at a region's centre."""
    base = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    df = pd.concat([base.head(1)] * 3, ignore_index=True)
    df["event_id_cnty"] = ["AT", "NEAR", "REGION"]
    df["event_type"] = "Battles"
    df["fatalities"] = "4"
    df["latitude"] = ["50.0", "50.0", "50.0"]
    df["longitude"] = ["33.0", "35.0", "37.0"]
    path = tmp_path / "placed.csv"
    df.to_csv(path, index=False)
    events = geo.read_events(path)
    events["place_precision"] = ["point", "near", "admin1"]
    events["flags"] = [[], [], ["placed at Kharkiv (admin1): 'X' was not found in it"]]
    events.attrs["rejected"] = [Rejected("placed.csv", "row 5", "event_date", "expected a date")]
    events.attrs["flagged"] = []  # the points moved out of the row's country: not the test's
    return events


#: The opacity of the compact canvas at an event's centre.
ALPHA = """([lat, lon]) => {
  const st = Object.values(Eventmap.maps)[0], layer = st.compact[0];
  const ctx = layer.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
  const p = st.map.latLngToContainerPoint([lat, lon]);
  return ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data[3] / 255;
}"""


def test_compact_rings_are_hollow_and_near_is_lighter(open_page, placed, tmp_path):
    out = tmp_path / "compact.html"
    m = maps.EventMap(placed, layer="compact", offline=True)
    m.save(out)
    radius = float(m._layers[0].compact[0].radius[0])
    page = open_page(out).page
    centre = [page.evaluate(ALPHA, [50.0, lon]) for lon in (33.0, 35.0, 37.0)]
    at, near, region = centre
    assert at == pytest.approx(0.3, abs=0.02)
    assert near == pytest.approx(0.12, abs=0.02)
    assert region == 0  # nothing at the centre of a region-level event
    # ...but its ring is drawn, somewhere around its edge (it is dotted).
    edge = page.evaluate(
        """([lat, lon, r]) => { const st = Object.values(Eventmap.maps)[0], layer = st.compact[0];
             const ctx = layer.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
             const p = st.map.latLngToContainerPoint([lat, lon]); let best = 0;
             for (let a = 0; a < 64; a++) {
               const t = 2 * Math.PI * a / 64;
               const x = Math.round((p.x + r * Math.cos(t)) * ratio);
               const y = Math.round((p.y + r * Math.sin(t)) * ratio);
               best = Math.max(best, ctx.getImageData(x, y, 1, 1).data[3] / 255);
             }
             return best; }""",
        [50.0, 37.0, radius],
    )
    assert edge > 0.5


def test_rich_rings_popups_notices_and_legend(open_page, placed, tmp_path):
    out = tmp_path / "rich.html"
    maps.EventMap(placed, layer="rich", offline=True, rejects_file="out.html.rejects.csv").save(out)
    loaded = open_page(out)
    page = loaded.page
    style = page.evaluate(
        """(id) => { const st = Object.values(Eventmap.maps)[0];
             const paths = []; st.byId[id][0].layer.eachLayer(l => paths.push(l._path));
             const p = paths[0];
             return [p.getAttribute("fill-opacity"), p.getAttribute("stroke-dasharray")]; }""",
        "REGION",
    )
    assert style == ["0", "2 4"]
    at = page.evaluate(
        """(id) => { const st = Object.values(Eventmap.maps)[0]; let o = null;
             st.byId[id][0].layer.eachLayer(l => { o = l._path.getAttribute("fill-opacity"); });
             return o; }""",
        "AT",
    )
    assert at == "0.3"
    title = page.locator(".em-title .em-notice").all_inner_texts()
    assert title == ["⚠ 1 record rejected (listed in out.html.rejects.csv)"]
    assert page.locator(".em-title .em-notice").first.is_visible()
    legend = page.locator(".em-legend").inner_text()
    assert "Circle area ∝ fatalities (one scale for all layers)" in legend
    assert "Hollow dotted ring" in legend and "Light fill: near the place" in legend
    page.evaluate("() => Object.values(Eventmap.maps)[0].byId['REGION'][0].layer.openPopup()")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    flags = page.locator(".leaflet-popup-content .em-flags li").all_inner_texts()
    assert flags == ["⚠ placed at Kharkiv (admin1): 'X' was not found in it"]
    assert page.locator(".leaflet-popup-content .em-flags").is_visible()
    assert "placed at: admin1 centre" in popup.inner_text()
    assert "4 fatalities" in popup.inner_text()
    assert loaded.errors == []
