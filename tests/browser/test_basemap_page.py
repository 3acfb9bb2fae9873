"""The embedded basemap in Chromium: a default page opened from disk.

It makes no request, draws land and the admin-1 borders around the data, and
names towns only once zoomed in. Screenshots go to ``tests/artifacts/`` for a
person to look at (Donbas, Benin).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
_BASEMAP = re.compile(r'<script type="application/json" id="basemap_[^"]*">(.*?)</script>', re.S)

pytestmark = pytest.mark.browser

LABELS = "(sel) => document.querySelectorAll(sel).length"


def _block(path: Path) -> dict:
    return json.loads(_BASEMAP.search(path.read_text(encoding="utf-8")).group(1))


@pytest.fixture(scope="module")
def default_map(seed_events, tmp_path_factory) -> Path:
    import maps

    path = tmp_path_factory.mktemp("basemap") / "seed-default.html"
    maps.EventMap(seed_events).save(path)
    return path


@pytest.fixture(scope="module")
def benin_map(tmp_path_factory) -> Path:
    """Events in three Beninese towns, as any GeoDataFrame gives them."""
    import maps

    frame = gpd.GeoDataFrame(
        {"title": ["Cotonou", "Parakou", "Kandi"]},
        geometry=gpd.points_from_xy([2.42, 2.63, 2.94], [6.37, 9.34, 11.13]),
        crs=4326,
    )
    path = tmp_path_factory.mktemp("basemap") / "benin.html"
    maps.EventMap(frame, title="Benin").save(path)
    return path


def _view(page, lat: float, lon: float, zoom: float) -> None:
    page.evaluate(
        "([lat, lon, z]) => { const m = Object.values(Eventmap.maps)[0].map; m.setView([lat, lon], z, "
        "{animate: false}); m.fire('moveend'); }",
        [lat, lon, zoom],
    )


def test_default_map_opened_from_disk_draws_a_basemap_with_zero_requests(
    open_page, default_map, seed_events
):
    from geo import default_gazetteer

    loaded = open_page(default_map)
    page = loaded.page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "basemap-seed.png"))
    assert loaded.requests == [] and loaded.errors == []
    block = _block(default_map)
    countries, regions = (len(layer["features"]) for layer in block["layers"])
    # Every country and region of the page's data is drawn (SVG paths, one each).
    assert page.evaluate(LABELS, "path.em-basemap-countries") == countries
    assert page.evaluate(LABELS, "path.em-basemap-regions") == regions
    # The regions drawn include every region an event's point lies in (by the
    # gazetteer's polygons), not only those of the countries the events name.
    points = seed_events[seed_events.geometry.geom_type == "Point"]
    inside = gpd.sjoin(points[["geometry"]], default_gazetteer().regions(), predicate="within")
    names = {f["properties"]["name"] for f in block["layers"][1]["features"]}
    assert set(inside["name"]) <= names and len(inside)
    assert {"UA", "RU"} <= set(default_gazetteer().regions()[lambda r: r["name"].isin(names)].iso2)


def test_town_labels_appear_after_zooming_in_not_before(open_page, default_map):
    loaded = open_page(default_map)
    page = loaded.page
    zoom = page.evaluate("() => Object.values(Eventmap.maps)[0].map.getZoom()")
    towns = [d for d in _block(default_map)["labels"] if d["level"] == "town"]
    assert zoom < min(d["zoom"] for d in towns)
    assert page.evaluate(LABELS, ".em-label-town") == 0
    assert page.evaluate(LABELS, ".em-label-country") > 0
    # Donbas (Donetsk), at a town's zoom: towns and oblast names, apart.
    _view(page, 48.0, 37.8, 8)
    page.screenshot(path=str(ARTIFACTS / "basemap-donbas-z8.png"))
    assert page.evaluate(LABELS, ".em-label-town") > 0
    assert page.evaluate(LABELS, ".em-label-region") > 0
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.em-label')].map((n) => n.textContent)"
    )
    assert any(d["text"] in shown for d in towns)
    assert page.evaluate(OVERLAPS) == 0
    _view(page, 48.0, 37.8, 6)
    page.screenshot(path=str(ARTIFACTS / "basemap-donbas-z6.png"))
    assert loaded.requests == [] and loaded.errors == []


# Pairs of drawn labels whose text boxes overlap by more than 2 px each way.
OVERLAPS = """() => {
  const r = [...document.querySelectorAll('.em-label')].map((n) => n.getBoundingClientRect());
  let n = 0;
  for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
    const a = r[i], b = r[j];
    if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2) n++;
  }
  return n;
}"""


def test_labels_are_not_interactive(open_page, default_map):
    page = open_page(default_map).page
    _view(page, 48.0, 37.8, 8)
    styles = page.evaluate(
        "() => [...document.querySelectorAll('.em-label-icon')].map((n) => "
        "getComputedStyle(n).pointerEvents)"
    )
    assert styles and set(styles) == {"none"}


def test_benin_has_towns_and_departments(open_page, benin_map):
    loaded = open_page(benin_map)
    page = loaded.page
    page.screenshot(path=str(ARTIFACTS / "basemap-benin.png"))
    _view(page, 9.3, 2.6, 8)
    page.screenshot(path=str(ARTIFACTS / "basemap-benin-z8.png"))
    assert loaded.requests == [] and loaded.errors == []
    assert page.evaluate(LABELS, ".em-label-town, .em-label-city") > 0
    names = {f["properties"]["name"] for f in _block(benin_map)["layers"][1]["features"]}
    assert "Borgou" in names  # Parakou's department
