"""Flows drawn beside their routes keep their shape when zoomed out.

leaflet-polylineoffset 1.1.1 joins two offset segments with an arc of more
than half a turn where the route's points are closer together than the
offset (maps/js/offset.js mends it): at zoom 2.5 the seed's outer supply
lanes had a loop at every such join.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: Each flow's drawn path against the line through its own points: a loop of
#: radius r adds 2πr (about 120 px for the outer lanes) to a route of a few
#: hundred px at this zoom.
LENGTHS = """() => {
  const m = Object.values(Eventmap.maps)[0].map;
  const out = [];
  m.eachLayer((l) => {
    if (!(l instanceof L.Polyline) || !l.options.offset || !l._path) { return; }
    const pts = l.getLatLngs().flat(Infinity).map((p) => m.latLngToLayerPoint(p));
    let route = 0;
    for (let i = 1; i < pts.length; i += 1) { route += pts[i].distanceTo(pts[i - 1]); }
    out.push({ route, drawn: l._path.getTotalLength(), offset: l.options.offset });
  });
  return out;
}"""


@pytest.mark.parametrize("zoom", [2.25, 2.5, 2.75, 4])
def test_offset_flows_have_no_loops_when_zoomed_out(open_page, offline_map, zoom):
    page = open_page(offline_map).page
    page.evaluate(f"() => Object.values(Eventmap.maps)[0].map.setZoom({zoom}, {{animate: false}})")
    page.wait_for_timeout(100)  # Leaflet redraws the paths on zoomend
    flows = page.evaluate(LENGTHS)
    assert len(flows) >= 10
    for f in flows:
        # An offset line's length differs from its route's by the corners' turns only.
        assert f["drawn"] <= f["route"] * 1.1 + 2 * f["offset"], f


def test_a_moving_flow_of_low_confidence_has_its_own_dashes(open_page, offline_map):
    """Supply and technology flows move (.em-animated's CSS dashes, which win
    over the 6 8 attribute of low confidence): a doubtful one gets short dashes,
    so it does not look like a confident one."""
    page = open_page(offline_map).page
    dashes = page.evaluate("""() => [...document.querySelectorAll('path.em-animated')].map(
        (p) => [p.classList.contains('em-low'), getComputedStyle(p).strokeDasharray])""")
    low = {d for is_low, d in dashes if is_low}
    sure = {d for is_low, d in dashes if not is_low}
    assert low == {"3px, 6px"}  # the seed's technology transfer is of low confidence
    assert sure == {"10px, 8px"}
