"""Aggregates of the shown events: the region choropleth, hexagons, heat, and the switch.

Counts are computed here with pandas from the events' own fields (the region
each event lies in, its fatalities, its kind and date, as the page receives
them: :func:`maps.filters.event_fields`), and compared with what the page
computed and drew.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import geo
import maps
from maps.filters import event_fields

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_acled, write_csv  # noqa: E402

N = 5000
ARTIFACTS = ROOT / "tests" / "artifacts"
MAP = "Object.values(Eventmap.maps)[0].map"
AGG = f"() => Eventmap.aggregates({MAP})"


@pytest.fixture(scope="module")
def acled(tmp_path_factory):
    """A 5k-row ACLED export, rendered from the CLI in region mode; the events' fields."""
    folder = tmp_path_factory.mktemp("aggregate")
    csv = write_csv(make_acled(N, seed=11), folder / "acled.csv")
    out = folder / "acled.html"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "eventmap"), "render", str(csv), "-o", str(out),
         "--aggregate", "region"],
        check=True, capture_output=True,
    )  # fmt: skip
    events = geo.read_events(csv)
    f = event_fields(events)
    frame = pd.DataFrame(
        {
            "region": f.region,
            "fatalities": f.fatalities,
            "kind": events["kind"].to_numpy(),
            "day": events["date_start"].dt.floor("D").to_numpy(),
            # The last day it may have happened (week or month precision: later).
            "end": pd.to_datetime(f.end.astype("int64"), unit="D").to_numpy(),
        }
    )
    return out, frame


def sums(frame: pd.DataFrame) -> dict:
    g = frame.dropna(subset=["region"]).groupby("region")
    return {
        r: {"events": int(n), "fatalities": float(s)}
        for r, n, s in zip(g.size().index, g.size(), g["fatalities"].sum(min_count=0), strict=True)
    }


def page_sums(page) -> dict:
    return page.evaluate(f"() => Eventmap.aggregates({MAP}).regions")


@pytest.mark.browser
def test_the_cli_opens_in_region_mode_with_the_datas_counts(open_page, acled):
    path, frame = acled
    loaded = open_page(path)
    page = loaded.page
    assert loaded.errors == [] and loaded.requests == []
    got = page.evaluate(AGG)
    assert got["agg"] == "region" and page.locator(".em-agg-mode").input_value() == "region"
    expected = sums(frame)
    assert page_sums(page) == expected
    assert sum(v["events"] for v in expected.values()) > N * 0.9  # most events are in a region
    # Every region the data has is drawn, coloured by its class; the legend lists the classes.
    drawn = page.evaluate(
        """() => { const a = Object.values(Eventmap.maps)[0].aggregate, out = {};
          a.shapes.eachLayer((l) => { out[l.feature.properties.id] = l.options.fillColor; });
          return out; }"""
    )
    assert set(expected) <= set(drawn)
    labels = page.locator(".em-agg-class .em-legend-label").all_inner_texts()
    assert labels == got["classes"]["labels"] and 2 <= len(labels) <= 5
    assert page.locator(".em-agg-title").inner_text() == "Events per region"
    # Point symbols are hidden, their size scale too; the entries count what is shown.
    assert page.evaluate("() => Object.values(Eventmap.maps)[0].compact.every(c => !c._map)")
    assert page.locator(".em-legend-scale:visible").count() == 0
    battles = int((frame["kind"] == "battles").sum())
    assert f"Battles ({battles:,})" in page.locator(".em-legend").inner_text()


@pytest.mark.browser
def test_a_regions_tooltip_says_its_counts(open_page, acled):
    path, frame = acled
    page = open_page(path).page
    kharkiv = sums(frame)["ne:UA-63"]
    # Kharkiv, the city, lies in Kharkiv Oblast.
    x, y = page.evaluate(
        f"""() => {{ const m = {MAP}, p = m.latLngToContainerPoint([49.99, 36.23]),
          b = m.getContainer().getBoundingClientRect(); return [b.left + p.x, b.top + p.y]; }}"""
    )
    page.mouse.move(x, y)
    page.mouse.move(x + 2, y + 1)
    tip = page.locator(".leaflet-tooltip .em-agg-tip")
    tip.wait_for()
    n, fat = kharkiv["events"], round(kharkiv["fatalities"])
    assert tip.inner_text() == f"Kharkiv Oblast: {n:,} events · {fat:,} fatalities"


@pytest.mark.browser
def test_regions_follow_the_window_and_a_filter_exactly(open_page, acled):
    path, frame = acled
    page = open_page(path).page
    t0, t1 = pd.Timestamp("2023-03-01"), pd.Timestamp("2023-05-31")
    page.evaluate(
        f"""([t0, t1]) => Eventmap.setView({MAP}, {{t0, t1, kind: ["battles"]}}, "ui")""",
        [int(t0.value // 1_000_000), int((t1 + pd.Timedelta(days=1)).value // 1_000_000) - 1],
    )
    # A window shows what overlaps it.
    shown = frame[(frame["day"] <= t1) & (frame["end"] >= t0) & (frame["kind"] == "battles")]
    assert 0 < len(shown) < N / 10
    assert page_sums(page) == sums(shown)
    assert page.evaluate(f"() => Eventmap.shownCount({MAP})") == len(shown)
    # By fatalities: the classes are of fatalities now, and the legend says so.
    page.select_option(".em-agg-metric", "fatalities")
    got = page.evaluate(AGG)
    assert got["metric"] == "fatalities"
    assert page.locator(".em-agg-title").inner_text() == "Fatalities per region"
    top = max(sums(shown).values(), key=lambda s: s["fatalities"])["fatalities"]
    assert got["classes"]["edges"][-1] == top


@pytest.mark.browser
def test_hexagons_count_every_shown_event_once_and_heat_draws(open_page, acled):
    path, frame = acled
    page = open_page(path).page
    page.select_option(".em-agg-mode", "hexbin")
    got = page.evaluate(AGG)
    assert got["agg"] == "hexbin" and got["hexDrawn"] > 0
    shown = page.evaluate(f"() => Eventmap.shownCount({MAP})")
    assert shown == N
    assert sum(h["count"] for h in got["hexagons"]) == shown
    assert sum(h["sum"] for h in got["hexagons"]) == pytest.approx(frame["fatalities"].sum())
    # A window: the hexagons count what it shows.
    page.evaluate(
        f"""() => Eventmap.setView({MAP}, {{t0: Date.UTC(2024, 0, 1), t1: Date.UTC(2024, 11, 31, 23, 59, 59, 999)}}, "ui")"""
    )
    in_2024 = int(((frame["day"] <= "2024-12-31") & (frame["end"] >= "2024-01-01")).sum())
    before = page.evaluate(AGG)["hexagons"]
    assert sum(h["count"] for h in before) == in_2024
    # Zooming in: smaller hexagons, the same events.
    page.evaluate(f"() => {MAP}.setZoom({MAP}.getZoom() + 1, {{animate: false}})")
    again = page.evaluate(AGG)
    assert sum(h["count"] for h in again["hexagons"]) == in_2024
    assert len(again["hexagons"]) > len(before)
    page.select_option(".em-agg-mode", "heat")
    heat = page.evaluate(AGG)["heat"]
    assert heat["max"] > 0 and heat["lit"] > 0
    painted = page.evaluate(
        """() => { const c = document.querySelector('canvas.em-aggregate-canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }"""
    )
    assert painted > 1000
    assert page.locator(".em-agg-ramp").count() == 1


@pytest.mark.browser
def test_the_switch_is_kept_in_the_fragment(open_page, acled):
    path, _ = acled
    loaded = open_page(path)
    page = loaded.page
    page.select_option(".em-agg-mode", "hexbin")
    page.wait_for_function("() => location.hash.includes('agg=hexbin')")
    page.select_option(".em-agg-mode", "points")
    page.wait_for_function("() => location.hash.includes('agg=points')")
    assert page.evaluate("() => Object.values(Eventmap.maps)[0].compact.every(c => !!c._map)")
    assert page.locator(".em-legend-scale:visible").count() >= 1  # the size scale is back
    page.select_option(".em-agg-mode", "region")
    page.wait_for_function("() => !location.hash.includes('agg=')")  # this map's own
    page.goto(path.resolve().as_uri() + "#agg=heat&metric=fatalities")
    page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
    got = page.evaluate(AGG)
    assert (got["agg"], got["metric"]) == ("heat", "fatalities")
    assert page.locator(".em-agg-mode").input_value() == "heat"
    assert page.locator(".em-agg-metric").input_value() == "fatalities"
    assert loaded.errors == []


@pytest.mark.browser
def test_screenshots(open_page, acled):
    """For a person to look at: the choropleth, hexagons and heat at 1280x800."""
    path, _ = acled
    page = open_page(path).page
    ARTIFACTS.mkdir(exist_ok=True)
    for mode in ("region", "hexbin", "heat"):
        page.select_option(".em-agg-mode", mode)
        page.screenshot(path=str(ARTIFACTS / f"aggregate-{mode}.png"))


@pytest.mark.browser
def test_point_symbols_hide_while_aggregating_and_flows_stay(open_page, offline_map):
    """The seed's rich layers: circles leave, flows and areas stay, and come back."""
    loaded = open_page(offline_map)
    page = loaded.page
    count = """() => { const st = Object.values(Eventmap.maps)[0]; let circles = 0, other = 0;
      st.items.forEach((it) => { if (!it.feature || !st.map.hasLayer(it.layer)) return;
        if (it.feature.shape === 'circle' && it.feature.kind !== 'source') circles++; else other++; });
      return [circles, other]; }"""
    circles, other = page.evaluate(count)
    assert circles > 0 and other > 0
    page.evaluate(f"() => Eventmap.setView({MAP}, {{agg: 'heat'}}, 'ui')")
    assert page.evaluate(count) == [0, other]  # flows, areas and source places stay
    page.evaluate(f"() => Eventmap.setView({MAP}, {{agg: 'points'}}, 'ui')")
    assert page.evaluate(count) == [circles, other]
    assert loaded.errors == []


@pytest.mark.browser
def test_a_region_name_with_markup_shows_as_text(open_page, acled, tmp_path):
    path, _ = acled
    html = path.read_text(encoding="utf-8")
    evil = "\\u003cimg src=x onerror=alert(1)\\u003eKharkiv Oblast"
    assert html.count('"name":"Kharkiv Oblast"') >= 1
    bad = tmp_path / "bad.html"
    bad.write_text(html.replace('"name":"Kharkiv Oblast"', f'"name":"{evil}"'), encoding="utf-8")
    loaded = open_page(bad)
    page = loaded.page
    page.evaluate(
        """() => { const a = Object.values(Eventmap.maps)[0].aggregate;
          a.shapes.eachLayer((l) => { if (l.feature.properties.id === 'ne:UA-63') l.openTooltip(l.getCenter()); }); }"""
    )
    tip = page.locator(".leaflet-tooltip .em-agg-tip")
    tip.wait_for()
    assert tip.inner_text().startswith("<img src=x onerror=alert(1)>Kharkiv Oblast: ")
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert loaded.dialogs == []


@pytest.fixture(scope="module")
def offshore(tmp_path_factory):
    """2,000 ACLED rows, every tenth placed at sea (the Black Sea, off Crimea):
    in no admin-1 region. Rendered in region mode; the events' fields."""
    df = make_acled(2000, seed=5)
    sea = df.index[::10]
    df.loc[sea, "latitude"] = 43.3
    df.loc[sea, "longitude"] = 33.0 + (sea % 7) * 0.1
    folder = tmp_path_factory.mktemp("offshore")
    csv = write_csv(df, folder / "acled.csv")
    events = geo.read_events(csv)
    path = maps.EventMap(events, aggregate="region").save(folder / "acled.html")
    f = event_fields(events)
    frame = pd.DataFrame({"region": f.region, "kind": events["kind"].to_numpy()})
    return path, frame


@pytest.mark.browser
def test_the_region_legend_says_how_many_shown_events_are_in_no_region(open_page, offshore):
    """The choropleth cannot draw events in no admin-1 region: the legend says
    how many of those shown it leaves out, and follows the filters."""
    path, frame = offshore
    loaded = open_page(path)
    page = loaded.page
    note = ".em-agg-key .em-agg-unplaced"
    for kind in [None, "battles"]:
        if kind:
            page.evaluate(f"(k) => Eventmap.setView({MAP}, {{kind: [k]}}, 'ui')", kind)
        shown = frame if kind is None else frame[frame["kind"] == kind]
        none = int(shown["region"].isna().sum())
        assert 0 < none < len(shown)
        got = page.evaluate(AGG)
        assert got["unplaced"] == none
        # The regions and the note add up to what is shown.
        counted = sum(v["events"] for v in got["regions"].values())
        assert counted + none == len(shown) == page.evaluate(f"() => Eventmap.shownCount({MAP})")
        assert page.locator(note).inner_text() == (
            f"{none:,} shown events are in no admin-1 region (country-level or offshore): "
            "not on this map."
        )
    # Other modes draw those events: no such note.
    page.select_option(".em-agg-mode", "hexbin")
    assert page.locator(note).count() == 0
    assert loaded.errors == []


@pytest.mark.browser
def test_hidden_point_symbols_stay_hidden_through_view_changes(open_page, offline_map):
    """While an aggregate is drawn, a change of window or filter neither puts
    the rich circles back for a moment nor lets the list of those hidden grow."""
    loaded = open_page(offline_map)
    page = loaded.page
    circles = page.evaluate(
        f"""() => {{ const m = {MAP}, layers = new Set();
          Eventmap.tables(m).filter((t) => !t.compact).forEach((t) => t.items.forEach((it) => {{
            if (it.feature.shape === 'circle') layers.add(it.layer); }}));
          window.added = 0;
          m.on('layeradd', (e) => {{ if (layers.has(e.layer)) window.added++; }});
          Eventmap.setView(m, {{agg: 'region'}}, 'ui');
          return layers.size; }}"""
    )
    assert circles > 0
    assert page.evaluate(AGG)["hidden"] == circles
    kinds = page.evaluate("() => Object.values(Eventmap.maps)[0].filters.kinds.map((k) => k.id)")
    for i in range(6):
        patch = {"kind": None if i % 2 else [kinds[i // 2 % len(kinds)]]}
        page.evaluate(f"(p) => Eventmap.setView({MAP}, p, 'play')", patch)
        assert page.evaluate(AGG)["hidden"] == circles
    assert page.evaluate("() => window.added") == 0
    page.evaluate(f"() => Eventmap.setView({MAP}, {{agg: 'points'}}, 'ui')")
    assert page.evaluate(AGG)["hidden"] == 0
    assert loaded.errors == []


CLUSTER_NOTE = "Zoomed out, numbers count events per cluster; click one to zoom in."


@pytest.mark.browser
def test_the_cluster_note_follows_the_switch(open_page, acled):
    """The note on cluster numbers is in the legend exactly while clusters are drawn."""
    path, _ = acled
    loaded = open_page(path)
    page = loaded.page
    notes = page.locator(".em-legend-note:visible", has_text=CLUSTER_NOTE)
    assert notes.count() == 0  # this map opens in region mode
    for mode, n in [("cluster", 1), ("points", 0), ("cluster", 1), ("hexbin", 0), ("cluster", 1)]:
        page.select_option(".em-agg-mode", mode)
        assert notes.count() == n, mode
        if n:
            assert notes.inner_text() == CLUSTER_NOTE
    page.goto(path.resolve().as_uri() + "#agg=cluster")
    page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
    assert notes.count() == 1
    assert loaded.errors == []
