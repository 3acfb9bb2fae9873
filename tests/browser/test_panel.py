"""The filter panel, the search and the event list (panel.js, list.js), on a
5,000-row ACLED-shaped export: every filter and the search leave exactly the
events pandas counts in the data, the list lists them by date and opens
them, a copied link restores the view, and markup in the data stays text."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect

import geo
import maps
from maps.filters import EventFields

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
N = 5000
#: A town name of our own, with an accent the search folds away.
TOWN = "Zzyzxvillé"
#: A word put in some rows' notes (ACLED's notes are the events' descriptions).
WORD = "quixotically"
#: Markup in data: must reach the page as text, never as an element.
MARKUP = '<img src=x onerror="window.__pwned=1;alert(1)">'

SHOWN = "() => +document.querySelector('[data-eventmap-shown]').dataset.eventmapShown"
VIEW = "() => Eventmap.getView(Object.values(Eventmap.maps)[0].map)"


def fold(s: str) -> str:
    """Case- and accent-insensitive, as the page's search."""
    return "".join(
        c for c in unicodedata.normalize("NFD", str(s)) if not unicodedata.combining(c)
    ).lower()


@pytest.fixture(scope="module")
def acled(tmp_path_factory, synthetic):
    """The export (with a town of our own, a word in some notes and markup in
    an actor, a sub-type, notes, a country and a place), its events and its map."""
    df = synthetic.make_acled(N, seed=11).astype(str)
    town = np.arange(200, 230)
    df.loc[town, "location"] = TOWN
    df.loc[town, "time_precision"] = "1"  # single days: the list says them as dates
    df.loc[town, "latitude"] = (49.9 + 0.01 * (town - 200)).round(4).astype(str)
    df.loc[town, "longitude"] = (36.2 + 0.01 * (town - 200)).round(4).astype(str)
    df.loc[300:340, "notes"] = df.loc[300:340, "notes"] + f" It went {WORD}."
    df.loc[0:4, "actor1"] = "Actor " + MARKUP
    df.loc[5:9, "sub_event_type"] = "Sub " + MARKUP
    df.loc[10:14, "notes"] = "Note " + MARKUP
    df.loc[15:17, "country"] = "Land " + MARKUP
    df.loc[15:17, "iso"] = ""
    df.loc[21:23, "location"] = "Loc " + MARKUP
    folder = tmp_path_factory.mktemp("panel")
    csv = folder / "acled.csv"
    df.to_csv(csv, index=False)
    events = geo.read_events(csv)
    html = folder / "acled.html"
    maps.EventMap(events).save(html)
    return SimpleNamespace(csv=csv, events=events, html=html, fields=EventFields(events))


def searched(ev) -> pd.Series:
    """Each event's searched text, folded: title, place, description, notes."""
    where = ev["places"].map(lambda ps: " ".join(p.name or "" for p in ps or ()))
    text = ev["title"].fillna("") + " " + where + " " + ev["description"].fillna("")
    return (text + " " + ev["notes"].fillna("")).map(fold)


def shown(page) -> int:
    return page.evaluate(SHOWN)


def wait_shown(page, n: int) -> None:
    """The count settles on n (typing waits before it filters)."""
    page.wait_for_function(f"() => ({SHOWN})() === {n}", timeout=5000)
    assert shown(page) == n


def open_filters(page) -> None:
    if page.locator(".em-panel-filters").is_hidden():
        page.get_by_role("button", name="Filters").click()


def group(page, name: str):
    box = page.locator("details.em-group", has=page.locator(".em-group-name", has_text=name))
    if not box.evaluate("(d) => d.open"):
        box.locator("summary").click()
    return box


def check(box, label: str, on: bool = True) -> None:
    row = box.locator(
        "label.em-check", has=box.page.locator(".em-check-label").get_by_text(label, exact=True)
    )
    row.locator("input").set_checked(on)


def clear(page, total: int) -> None:
    page.get_by_role("button", name="Clear filters").click()
    wait_shown(page, total)


def test_each_filter_leaves_the_events_the_data_has(open_page, acled):
    loaded = open_page(acled.html)
    page = loaded.page
    assert loaded.errors == [] and loaded.requests == []
    ev, fields = acled.events, acled.fields
    total = len(ev)
    assert shown(page) == total
    open_filters(page)

    # Kind: every box but one unchecked.
    kinds = ev["kind"].value_counts()
    block = page.evaluate("() => Object.values(Eventmap.maps)[0].filters")
    keep = next(k for k in block["kinds"] if k["id"] == "battles")
    box = group(page, "Kind")
    for k in block["kinds"]:
        if k["id"] != keep["id"]:
            check(box, k["label"], False)
    wait_shown(page, int(kinds["battles"]))
    assert page.evaluate(VIEW)["kind"] == ["battles"]
    page.screenshot(path=str(ARTIFACTS / "panel-kind.png"))
    clear(page, total)
    assert box.locator("input:not(:checked)").count() == 0  # the boxes follow the view

    # Sub-type: typed to find it among the others.
    box = group(page, "Sub-type")
    box.locator(".em-picker-find").fill("armed cl")
    check(box, "Armed clash")
    wait_shown(page, int((ev["sub_event_type"] == "Armed clash").sum()))
    clear(page, total)

    # Actor: one of hundreds, typed for.
    actor = "Military Forces of Ukraine (2019-)"
    box = group(page, "Actor")
    box.locator(".em-picker-find").fill("forces of ukraine")
    check(box, actor)
    wait_shown(page, int(ev["actors"].map(lambda a: actor in list(a)).sum()))
    page.screenshot(path=str(ARTIFACTS / "panel-actor.png"))
    clear(page, total)

    # Country.
    box = group(page, "Country")
    check(box, "Russia")
    wait_shown(page, int((fields.country == "RU").sum()))
    clear(page, total)

    # Admin-1 region, listed under its country.
    region = max(block["regions"], key=lambda r: r["count"])
    box = group(page, "Admin-1 region")
    box.locator(".em-picker-find").fill(region["name"])
    check(box, region["name"])
    wait_shown(page, int((fields.region == region["id"]).sum()))
    assert page.evaluate(VIEW)["admin1"] == [region["id"]]
    clear(page, total)

    # Fatalities, both ends inclusive; an event without a figure fails a set bound.
    fat = fields.fatalities
    box = group(page, "Fatalities")
    box.get_by_label("from").fill("5")
    box.get_by_label("to").fill("20")
    wait_shown(page, int(((fat >= 5) & (fat <= 20)).sum()))
    box.get_by_label("to").fill("")
    wait_shown(page, int((fat >= 5).sum()))
    clear(page, total)
    assert box.get_by_label("from").input_value() == ""

    # Precision: only the events at the place.
    box = group(page, "Place precision")
    for p in block["precisions"]:
        if p["id"] != "point":
            check(box, p["label"], False)
    wait_shown(page, int((ev["place_precision"] == "point").sum()))
    clear(page, total)
    assert loaded.errors == []


def test_filters_combine_and_clear_keeps_the_time_window(open_page, acled):
    page = open_page(acled.html).page
    ev = acled.events
    page.evaluate(
        """() => Eventmap.setView(Object.values(Eventmap.maps)[0].map,
             {t0: Date.UTC(2024, 0, 1), t1: Date.UTC(2024, 11, 31, 23, 59, 59, 999)}, "ui")"""
    )
    start, end = ev["date_start"], ev["date_end"].fillna(ev["date_start"])
    window = (start <= "2024-12-31") & (end >= "2024-01-01")
    wait_shown(page, int(window.sum()))
    open_filters(page)
    check(
        group(page, "Kind"),
        next(
            k["label"]
            for k in page.evaluate("() => Object.values(Eventmap.maps)[0].filters.kinds")
            if k["id"] == "battles"
        ),
        False,
    )
    wait_shown(page, int((window & (ev["kind"] != "battles")).sum()))
    page.get_by_role("button", name="Clear filters").click()
    wait_shown(page, int(window.sum()))  # the window is no filter the button clears


def test_search_counts_the_matches_and_fits_the_view_to_them(open_page, acled):
    page = open_page(acled.html).page
    ev = acled.events
    folded = searched(ev)
    before = page.evaluate("() => Object.values(Eventmap.maps)[0].map.getZoom()")
    search = page.get_by_label("Search places, titles and notes")
    search.fill("ZZYZXVILLE")  # typed: no Enter, the pause sets it
    matches = folded.str.contains("zzyzxville", regex=False)
    assert matches.sum() == 30
    wait_shown(page, int(matches.sum()))
    page.wait_for_function(
        "() => Object.values(Eventmap.maps)[0].map.getZoom() > " + str(before), timeout=5000
    )
    inside = page.evaluate(
        """(pts) => { const m = Object.values(Eventmap.maps)[0].map, b = m.getBounds();
             return pts.every(p => b.contains([p[0], p[1]])); }""",
        ev.loc[matches, ["lat", "lon"]].to_numpy().tolist(),
    )
    assert inside
    page.screenshot(path=str(ARTIFACTS / "panel-search.png"))

    search.fill(WORD)
    search.press("Enter")
    wait_shown(page, int(folded.str.contains(WORD, regex=False).sum()))
    assert page.evaluate(VIEW)["q"] == WORD
    search.fill("")
    search.press("Enter")
    wait_shown(page, len(ev))


def list_rows(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.em-list-row:not([hidden])')]
             .map(r => ({k: +r.getAttribute('aria-posinset'),
                         title: r.querySelector('.em-list-title').textContent,
                         date: r.querySelector('.em-list-date').textContent,
                         top: r.getBoundingClientRect().top}))
             .sort((a, b) => a.k - b.k)"""
    )


def test_event_list_shows_the_shown_events_by_date_and_opens_them(open_page, acled):
    page = open_page(acled.html).page
    ev = acled.events
    page.get_by_label("Search places, titles and notes").fill("zzyzxville")
    matches = ev[ev["location"] == TOWN]
    wait_shown(page, len(matches))
    page.get_by_role("button", name="Event list").click()
    head = page.locator(".em-list-count")
    assert head.inner_text() == f"{len(matches)} events, by date"
    rows = list_rows(page)
    dates = sorted(matches["date_start"].dt.strftime("%Y-%m-%d"))
    assert [r["date"] for r in rows[:5]] == dates[:5]
    by_date = matches.groupby(matches["date_start"].dt.strftime("%Y-%m-%d"))["title"].agg(set)
    for r in rows[:5]:
        assert r["title"] in by_date[r["date"]]
    page.screenshot(path=str(ARTIFACTS / "panel-list.png"))

    # Clicking a row opens that event's popup.
    page.locator(".em-list-row:not([hidden]) .em-list-open").first.click()
    popup = page.locator(".leaflet-popup-content h3")
    popup.wait_for(timeout=5000)
    assert popup.inner_text() == rows[0]["title"]

    # Every event: the list follows the view (while open), in date order.
    page.get_by_label("Search places, titles and notes").fill("")
    page.get_by_label("Search places, titles and notes").press("Enter")
    wait_shown(page, len(ev))
    assert head.inner_text() == f"{len(ev):,} events, by date"
    dated = ev.dropna(subset=["date_start"]).sort_values("date_start")
    first = dated["date_start"].iloc[0].strftime("%Y-%m-%d")
    assert list_rows(page)[0]["date"] in (first, dated["date"].iloc[0])


def test_event_list_is_virtualized(open_page, acled):
    page = open_page(acled.html).page
    page.get_by_role("button", name="Event list").click()
    assert page.evaluate("() => document.querySelectorAll('.em-list-row').length") < 40
    # The bottom: the last events, still only the rows in sight.
    page.locator(".em-list-scroll").evaluate("(s) => { s.scrollTop = s.scrollHeight; }")
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.em-list-row:not([hidden])')]"
        f".some(r => +r.getAttribute('aria-posinset') === {len(acled.events)})",
        timeout=5000,
    )
    assert page.evaluate("() => document.querySelectorAll('.em-list-row').length") < 40
    # The keyboard moves through the rows and Enter opens one.
    page.locator(".em-list-scroll").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content h3").wait_for(timeout=5000)
    active = page.locator(".em-list-active .em-list-title").inner_text()
    assert page.locator(".leaflet-popup-content h3").inner_text() == active


def test_copy_link_restores_the_view_in_a_new_page(open_page, acled):
    loaded = open_page(acled.html)
    page = loaded.page
    page.evaluate("() => { window.__copied = []; navigator.clipboard.writeText = (t) => "
                  "{ window.__copied.push(t); return Promise.resolve(); }; }")  # fmt: skip
    open_filters(page)
    check(group(page, "Sub-type"), "Armed clash")
    group(page, "Fatalities").get_by_label("from").fill("1")
    page.get_by_label("Search places, titles and notes").fill(WORD)
    page.get_by_label("Search places, titles and notes").press("Enter")
    ev = acled.events
    expected = int(
        (
            (ev["sub_event_type"] == "Armed clash")
            & (acled.fields.fatalities >= 1)
            & searched(ev).str.contains(WORD)
        ).sum()
    )
    wait_shown(page, expected)
    page.get_by_role("button", name="Copy link to this view").click()
    page.locator(".em-panel-status", has_text="Copied").wait_for(timeout=5000)
    url = page.evaluate("() => window.__copied[0]")
    assert "#" in url and "sub=Armed%20clash" in url and f"q={WORD}" in url and "fat=1-" in url

    again = page.context.new_page()
    again.goto(url, wait_until="load")
    again.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
    wait_shown(again, expected)
    view, restored = page.evaluate(VIEW), again.evaluate(VIEW)
    for key in ("sub", "q", "kind", "actor", "country", "admin1", "fat", "prec", "t0", "t1"):
        assert restored[key] == view[key], key
    # The restored controls show it.
    assert again.get_by_label("Search places, titles and notes").input_value() == WORD
    open_filters(again)
    box = group(again, "Sub-type")
    # A picker draws its rows on the <details> toggle event, a task after the click.
    expect(box.locator("input:checked")).to_have_count(1, timeout=5000)
    assert "1" in box.locator(".em-group-badge").inner_text()
    assert group(again, "Fatalities").get_by_label("from").input_value() == "1"


def test_copy_link_falls_back_to_a_selected_field(open_page, acled):
    page = open_page(acled.html).page
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }"
    )
    page.get_by_role("button", name="Copy link to this view").click()
    field = page.get_by_role("textbox", name="Link to this view")
    field.wait_for(state="visible", timeout=5000)
    link = page.evaluate("() => Eventmap.link(Object.values(Eventmap.maps)[0].map)")
    assert field.input_value() == link
    assert page.evaluate(
        "() => { const f = document.activeElement; return f.selectionStart === 0 && "
        "f.selectionEnd === f.value.length && f.classList.contains('em-link-field'); }"
    )


def test_fullscreen_button(open_page, acled):
    page = open_page(acled.html).page
    full = page.get_by_role("button", name="Fullscreen")
    assert full.is_visible()
    full.click()
    page.wait_for_function(
        "() => document.fullscreenElement === Object.values(Eventmap.maps)[0].map.getContainer()"
        " || document.querySelector('.em-panel-status').textContent.includes('Fullscreen')",
        timeout=5000,
    )


def test_markup_in_data_is_text_in_the_panel_and_list(open_page, acled):
    loaded = open_page(acled.html)
    page = loaded.page
    open_filters(page)
    for name in ("Sub-type", "Actor"):
        box = group(page, name)
        box.locator(".em-picker-find").fill("<img")
        labels = box.locator(".em-check-label").all_inner_texts()
        assert any(MARKUP in t for t in labels), name
    search = page.get_by_label("Search places, titles and notes")
    search.fill("<img src=x")
    search.press("Enter")
    ev = acled.events
    wait_shown(page, int(searched(ev).str.contains("<img src=x", regex=False).sum()))
    page.get_by_role("button", name="Event list").click()
    titles = " ".join(r["title"] for r in list_rows(page))
    assert MARKUP in titles
    wheres = page.locator(".em-list-where").all_inner_texts()
    assert any(MARKUP in w for w in wheres)  # the place line, and the country in it
    page.screenshot(path=str(ARTIFACTS / "panel-markup.png"))
    assert page.evaluate("() => document.querySelectorAll('.em-panel img').length") == 0
    assert page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == []


def test_rich_layers_filter_list_and_open_their_events(open_page, offline_map, seed_events):
    """The seed's rich layers (flows, bundles, areas): the kind filter counts
    what pandas counts, the list lists as many as are shown and opens them."""
    loaded = open_page(offline_map)
    page = loaded.page
    ev = seed_events[~seed_events.geometry.isna() & ~seed_events.geometry.is_empty]
    assert shown(page) == len(ev)
    kind = ev["kind"].value_counts().index[0]
    open_filters(page)
    # A filter the data has no options for is not offered (the seed has no sub-types).
    block = page.evaluate("() => Object.values(Eventmap.maps)[0].filters")
    offered = page.locator(".em-group-name").all_inner_texts()
    names = {"kinds": "Kind", "sub_types": "Sub-type", "actors": "Actor", "countries": "Country",
             "regions": "Admin-1 region", "precisions": "Place precision"}  # fmt: skip
    for key, name in names.items():
        assert (name in offered) == bool(block[key]), name
    assert not block["sub_types"] and "Sub-type" not in offered
    assert ("Fatalities" in offered) == (block["fatalities"]["count"] > 0)
    box = group(page, "Kind")
    labels = {k["id"]: k["label"] for k in page.evaluate(
        "() => Object.values(Eventmap.maps)[0].filters.kinds")}  # fmt: skip
    for k, label in labels.items():
        if k != kind:
            check(box, label, False)
    wait_shown(page, int((ev["kind"] == kind).sum()))
    page.get_by_role("button", name="Event list").click()
    n = int((ev["kind"] == kind).sum())
    assert page.locator(".em-list-count").inner_text() == f"{n} events, by date"
    rows = list_rows(page)
    dates = ev.loc[ev["kind"] == kind, "date_start"].dropna().sort_values()
    assert rows[0]["title"] in set(ev.loc[ev["date_start"] == dates.iloc[0], "title"])
    page.locator(".em-list-row:not([hidden]) .em-list-open").first.click()
    page.locator(".leaflet-popup-content").wait_for(timeout=5000)
    heads = page.locator(".leaflet-popup-content h3").all_inner_texts()
    assert rows[0]["title"] in heads
    page.screenshot(path=str(ARTIFACTS / "panel-seed-list.png"))
    assert loaded.errors == []


#: The filter panel's content rows the "Clear filters" button overlaps where
#: they are in sight (clipped to the scrolling filters and, for a picker's
#: rows, to its own scrolling list).
COVERED = """() => {
  const body = document.querySelector('.em-panel-filters');
  const clear = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Clear filters');
  const clip = (r, c) => ({ left: Math.max(r.left, c.left), right: Math.min(r.right, c.right),
    top: Math.max(r.top, c.top), bottom: Math.min(r.bottom, c.bottom) });
  const area = (r) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
  const b = clear.getBoundingClientRect(), view = body.getBoundingClientRect();
  const out = [];
  body.querySelectorAll('.em-group-head, .em-check, .em-picker-group, .em-picker-find, .em-group-note')
    .forEach((e) => {
      let r = clip(e.getBoundingClientRect(), view);
      const list = e.closest('.em-picker-list');
      if (list) { r = clip(r, list.getBoundingClientRect()); }
      if (area(r) > 0 && area(clip(r, b)) > 4) { out.push(e.textContent); }
    });
  return out;
}"""


def covered_at_every_scroll(page) -> list[str]:
    """What the button covers, the filters scrolled from top to bottom."""
    out = []
    height = page.evaluate("() => document.querySelector('.em-panel-filters').scrollHeight")
    for y in range(0, height + 40, 20):
        page.evaluate(f"() => {{ document.querySelector('.em-panel-filters').scrollTop = {y}; }}")
        out += page.evaluate(COVERED)
    return out


def test_clear_filters_covers_no_filter(open_page, offline_map, acled):
    """The button stays in reach below the filters, never over them: the
    seed's last group ("Place precision"), a region's row in the open picker."""
    page = open_page(offline_map).page
    open_filters(page)
    assert page.locator(".em-group-name", has_text="Place precision").is_visible()
    assert covered_at_every_scroll(page) == []
    page = open_page(acled.html).page
    open_filters(page)
    for name in ["Sub-type", "Actor", "Admin-1 region"]:
        group(page, name)
    page.locator(".em-picker-list .em-check").first.wait_for()
    assert covered_at_every_scroll(page) == []
    # Still in reach, however far the filters scroll.
    assert page.get_by_role("button", name="Clear filters").is_visible()
