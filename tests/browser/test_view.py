"""The view (maps/js/view.js): the window, filters and search every layer
follows, the count the page shows, and the URL fragment that keeps them.

Every expected count is computed here from the events frame with pandas.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest

import geo
import maps
from maps.filters import event_fields

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
N = 5000
#: Markup in the data: it must be shown as text, and never run.
MARKUP = '<img src=x onerror="alert(1)"><b>bold</b>'
HOSTILE = "<img src=x onerror=alert(1)>"

ST = "Object.values(Eventmap.maps)[0]"
SHOWN = "() => +document.querySelector('.em-shown').dataset.eventmapShown"
SET_VIEW = f"(patch) => {{ Eventmap.setView({ST}.map, patch, 'ui'); return Eventmap.shownCount({ST}.map); }}"


def _ms(day: str) -> int:
    return int(pd.Timestamp(day, tz="UTC").timestamp() * 1000)


@pytest.fixture(scope="module")
def acled(tmp_path_factory):
    """5,000 ACLED-shaped rows, a few with markup in their notes, read and rendered."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_acled

    df = make_acled(N, seed=3)
    df.loc[df.index[::500], "notes"] = "Reported " + MARKUP + " near Kharkív."
    folder = tmp_path_factory.mktemp("view")
    csv = folder / "acled.csv"
    df.to_csv(csv, index=False)
    events = geo.read_events(csv)
    m = maps.EventMap(events)
    assert m.layer == "compact"
    path = m.save(folder / "acled.html")
    return events, path


@pytest.fixture
def open_view(browser):
    """Open a map at a fragment, the network cut, errors and dialogs recorded."""
    contexts = []

    def _open(path: Path, fragment: str = ""):
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(ctx)
        page = ctx.new_page()
        url = path.resolve().as_uri()
        seen = {"requests": [], "errors": [], "dialogs": []}
        ctx.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        page.on("request", lambda r: r.url != url and seen["requests"].append(r.url))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.warnings = []
        page.on("console", lambda m: m.type == "warning" and page.warnings.append(m.text))
        page.goto(url + fragment, wait_until="load")
        page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
        page.seen = seen
        return page

    yield _open
    for ctx in contexts:
        ctx.close()


def overlaps(events, first: str | None, last: str | None) -> pd.Series:
    """Events whose days overlap first..last (inclusive; None: open)."""
    start, end = events["date_start"], events["date_end"].fillna(events["date_start"])
    keep = start.notna()
    if last is not None:
        keep &= start <= pd.Timestamp(last)
    if first is not None:
        keep &= end >= pd.Timestamp(first)
    return keep


def fatalities(events) -> pd.Series:
    return events["quantities"].map(
        lambda qs: next((q.value for q in qs if q.unit == "fatalities"), float("nan"))
    )


def fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def searched(events, q: str) -> pd.Series:
    where = events["places"].map(lambda ps: ", ".join(p.name for p in ps) if ps else "")
    text = (events["title"].fillna("") + "\n" + events["description"].fillna("") + "\n"
            + events["notes"].fillna(""))  # fmt: skip
    hit = text.map(fold).str.contains(fold(q), regex=False)
    assert not where.map(fold).str.contains(fold(q), regex=False)[~hit].any()
    return hit


def test_the_fragment_opens_march_to_may_2024_battles(open_view, acled):
    events, path = acled
    page = open_view(path, "#time=2024-03/2024-05&kind=battles")
    expected = int(
        ((events["kind"] == "battles") & overlaps(events, "2024-03-01", "2024-05-31")).sum()
    )
    assert 0 < expected < N
    assert page.evaluate(SHOWN) == expected
    assert page.locator(".em-shown").inner_text() == f"{expected:,} of {N:,} events shown"
    assert page.evaluate(f"() => Eventmap.shownByLayer({ST}.map)")["kind:battles"] == expected
    # What the canvases hold is what is counted.
    visible = page.evaluate(
        f"() => {ST}.compact.reduce((a, l) => a + l.visible.reduce((s, v) => s + v, 0), 0)"
    )
    assert visible == expected
    view = page.evaluate(f"() => Eventmap.getView({ST}.map)")
    assert view["t0"] == _ms("2024-03-01") and view["t1"] == _ms("2024-06-01") - 1
    assert view["kind"] == ["battles"]
    assert page.seen == {"requests": [], "errors": [], "dialogs": []}


def test_each_filter_and_the_search_give_the_pandas_count(open_view, acled):
    events, path = acled
    page = open_view(path)
    assert page.evaluate(SHOWN) == N
    fields = event_fields(events)
    fat = fatalities(events)
    ukraine = "Military Forces of Ukraine (2019-)"
    region = pd.Series(fields.region, index=events.index).value_counts().index[1]
    window = overlaps(events, "2024-03-01", "2024-05-31")
    cases = [
        ({"t0": _ms("2024-03-01"), "t1": _ms("2024-06-01") - 1}, window),
        ({"t0": None, "t1": _ms("2023-01-01") - 1}, overlaps(events, None, "2022-12-31")),
        ({"t0": None, "t1": None, "sub": ["Armed clash"]}, events["sub_event_type"] == "Armed clash"),
        ({"sub": None, "actor": [ukraine]}, events["actors"].map(lambda a: ukraine in a)),
        ({"actor": None, "country": ["RU"]}, pd.Series(fields.country == "RU", index=events.index)),
        ({"country": None, "admin1": [region]}, pd.Series(fields.region == region, index=events.index)),
        ({"admin1": None, "fat": [1, None]}, fat >= 1),
        ({"fat": [2, 5]}, (fat >= 2) & (fat <= 5)),
        ({"fat": [None, None], "prec": ["point"]}, events["place_precision"] == "point"),
        ({"prec": None, "q": "mlrs"}, searched(events, "mlrs")),
        ({"q": "KHARKIV"}, searched(events, "kharkiv")),
        ({"q": "onerror"}, searched(events, "onerror")),
        ({"q": "", "layers": ["kind:battles", "kind:protests"]}, events["kind"].isin(["battles", "protests"])),
        # Filters together, and with the window: the window keeps the others' mask.
        ({"layers": None, "kind": ["battles"], "sub": ["Armed clash"], "fat": [1, None]},
         (events["kind"] == "battles") & (events["sub_event_type"] == "Armed clash") & (fat >= 1)),
        ({"t0": _ms("2024-03-01"), "t1": _ms("2024-06-01") - 1},
         window & (events["kind"] == "battles") & (events["sub_event_type"] == "Armed clash")
         & (fat >= 1)),
    ]  # fmt: skip
    for patch, expected in cases:
        n = int(expected.sum())
        assert 0 < n < N, patch
        assert page.evaluate(SET_VIEW, patch) == n, patch
        assert page.evaluate(SHOWN) == n, patch
    # The accents of the data and the query do not matter.
    page.evaluate(
        SET_VIEW, {"t0": None, "t1": None, "kind": None, "sub": None, "fat": [None, None]}
    )
    assert page.evaluate(SET_VIEW, {"q": "Kharkív"}) == page.evaluate(SET_VIEW, {"q": "kharkiv"})
    assert page.seen["errors"] == []


def test_undated_events_follow_the_window_unless_shown_or_hidden(
    open_view, seed_events, offline_map
):
    page = open_view(offline_map)
    events = seed_events
    undated = int(events["date_start"].isna().sum())
    assert 0 < undated < len(events)
    t1 = _ms("2024-12-01") - 1
    dated = int(overlaps(events, None, "2024-11-30").sum())
    assert page.evaluate(SHOWN) == len(events)
    assert page.evaluate(SET_VIEW, {"t1": t1}) == dated  # auto: a window hides them
    assert page.evaluate(SET_VIEW, {"undated": "show"}) == dated + undated
    assert page.evaluate(SET_VIEW, {"t1": None, "undated": "hide"}) == len(events) - undated


def test_the_seed_map_counts_and_filters_its_rich_layers(open_view, seed_events, offline_map):
    events = seed_events
    page = open_view(offline_map)
    assert page.evaluate(SHOWN) == len(events)
    assert page.locator(".em-shown").inner_text() == f"{len(events)} of {len(events)} events shown"
    on_map = f"(id) => {{ const it = {ST}.byId[id][0]; return it.group.hasLayer(it.layer); }}"
    deployment = events.loc[events["kind"] == "deployment", "id"]
    other = events.loc[events["kind"] == "supply", "id"].iloc[0]
    assert page.evaluate(SET_VIEW, {"kind": ["deployment"]}) == len(deployment)
    assert not page.evaluate(on_map, other)
    assert all(page.evaluate(on_map, i) for i in deployment)
    # A bundle (several flows on one route) is drawn while any member is shown,
    # and its popup lists those members only.
    page.evaluate(SET_VIEW, {"kind": None})
    bundles = page.evaluate(
        f"""() => {{ const seen = new Set(), out = [];
                   Eventmap.tables({ST}.map).forEach(t => (t.features || []).forEach(r => {{
                     if (r.bundle && !seen.has(r.bundle)) {{
                       seen.add(r.bundle); out.push(r.bundle.members.map(m => m.id));
                     }} }}));
                   return out; }}"""
    )
    assert bundles
    titles = dict(zip(events["id"], events["title"], strict=True))
    # A search for one member's title keeps the bundle drawn, and its popup
    # lists that member alone.
    ids, q = next(
        (b, titles[m])
        for b in bundles
        for m in b
        if searched(events, titles[m])[events["id"].isin(b)].sum() == 1
    )
    assert page.evaluate(SET_VIEW, {"q": q}) == int(searched(events, q).sum())
    (member,) = [m for m in ids if titles[m] == q]
    assert page.evaluate(on_map, member)
    page.evaluate(f"(id) => {ST}.byId[id][0].layer.openPopup()", member)
    text = page.locator(".leaflet-popup-content").inner_text()
    assert q in text
    assert all(titles[m] not in text for m in ids if m != member)
    assert "1 events on this route" in text or "· 1 " in text
    page.evaluate(f"() => {ST}.map.closePopup()")
    # Switching a layer off in the layer control is part of the view.
    page.evaluate(SET_VIEW, {"q": ""})
    page.get_by_label("Casualties (reported)").uncheck()
    casualties = int((events["kind"] == "casualties").sum())
    assert page.evaluate(SHOWN) == len(events) - casualties
    assert "casualties" not in page.evaluate(f"() => Eventmap.getView({ST}.map).layers")
    page.wait_for_function("() => location.hash.includes('layers=')")
    assert page.seen["errors"] == []


def test_the_fragment_is_written_on_change_and_restored_on_reload(open_view, acled):
    events, path = acled
    page = open_view(path)
    assert page.evaluate("() => location.hash") == ""
    page.evaluate(SET_VIEW, {"t0": _ms("2024-03-01"), "t1": _ms("2024-06-01") - 1,
                             "kind": ["battles", "protests"], "q": "clash, near", "fat": [1, None]})  # fmt: skip
    expected = "#time=2024-03/2024-05&kind=battles,protests&fat=1-&q=clash%2C%20near"
    page.wait_for_function("(h) => location.hash === h", arg=expected)
    shown = page.evaluate(SHOWN)
    # The map's moves are kept too.
    page.evaluate(f"() => {ST}.map.setView([49.5, 36.25], 8, {{animate: false}})")
    page.wait_for_function("() => location.hash.startsWith('#map=8/49.5/36.25&time=')")
    link = page.evaluate(f"() => Eventmap.link({ST}.map)")
    assert link.endswith("#map=8/49.5/36.25" + "&" + expected[1:])
    page.reload(wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
    page.wait_for_function(f"() => {ST}.map.getZoom() === 8")
    assert page.evaluate(SHOWN) == shown
    view = page.evaluate(f"() => Eventmap.getView({ST}.map)")
    assert view["kind"] == ["battles", "protests"] and view["q"] == "clash, near"
    assert view["fat"] == [1, None]
    center = page.evaluate(f"() => {ST}.map.getCenter()")
    assert center["lat"] == pytest.approx(49.5, abs=1e-3)
    assert center["lng"] == pytest.approx(36.25, abs=1e-3)
    # A fragment typed in the address bar is applied as it stands.
    page.evaluate("() => { location.hash = '#kind=protests'; }")
    protests = int((events["kind"] == "protests").sum())
    page.wait_for_function(f"(n) => ({SHOWN})() === n", arg=protests)
    assert page.evaluate(f"() => Eventmap.getView({ST}.map).q") == ""
    assert page.seen["errors"] == []


FOLDED = f"""() => Eventmap.tables({ST}.map).every((t) => t.folded && t.folded.notes
    && ["title", "where", "description", "notes"].every((k) => t.folded[k].at === t.folded[k].values.length)
    && t.folded.notes.values === t.text.notes)"""


def test_search_text_is_folded_while_the_page_is_idle(open_view, acled):
    """Nobody searches: the text (the compact layers' notes too) is folded
    anyway, and a search then finds what pandas finds."""
    events, path = acled
    page = open_view(path)
    page.wait_for_function(FOLDED)
    assert page.evaluate(f"() => Eventmap.tables({ST}.map).every((t) => !t.search)")
    for q in ["Kharkív", "drone strike", "onerror"]:
        n = int(searched(events, q).sum())
        assert 0 < n < N, q
        assert page.evaluate(SET_VIEW, {"q": q}) == n, q
    assert page.seen["errors"] == []


def test_layers_are_named_in_the_fragment_without_their_kind_prefix(open_view, acled):
    events, path = acled
    battles = int((events["kind"] == "battles").sum())
    page = open_view(path, "#layers=battles")
    assert page.evaluate(SHOWN) == battles
    assert page.evaluate(f"() => Eventmap.getView({ST}.map).layers") == ["kind:battles"]
    # Links with the full key, as pages wrote them before, still open.
    page.evaluate("() => { location.hash = '#layers=kind%3Aprotests'; }")
    protests = int((events["kind"] == "protests").sum())
    page.wait_for_function(f"(n) => ({SHOWN})() === n", arg=protests)
    page.evaluate(SET_VIEW, {"layers": ["kind:battles", "kind:protests"]})
    page.wait_for_function("() => location.hash === '#layers=battles,protests'")
    assert page.evaluate(SHOWN) == battles + protests
    assert page.seen["errors"] == []


BAD = [
    "#time=2024-13/2024-05&kind=battles",
    "#time=2024-02-30/2024-05",
    "#time=banana&fat=lots&map=1/2/3/4&undated=maybe&agg=pie",
    "#kind=%E0%A4%A&q=%&sub=%ZZ",
    "#__proto__=1&constructor=2&prototype=3&hasOwnProperty=4",
    "#fat=1e999-&map=99/999/999&time=99999/100000",
    "#" + "&".join(f"k{i}=v" for i in range(300)),
    "#kind=" + ",".join("x" * 50 for _ in range(3000)),
    "#&&&=&==&q",
]


@pytest.mark.parametrize("fragment", BAD)
def test_a_bad_fragment_does_not_break_the_page(open_view, acled, fragment):
    events, path = acled
    page = open_view(path, fragment)
    expected = N
    if fragment.startswith("#time=2024-13/2024-05&kind=battles"):
        expected = int((events["kind"] == "battles").sum())  # the good part still applies
    assert page.evaluate(SHOWN) == expected
    assert page.seen["errors"] == [] and page.seen["dialogs"] == []
    assert page.evaluate(
        "() => typeof ({}).hasOwnProperty === 'function' && !('1' in Object.prototype)"
    )
    # The page still works: a filter applies.
    battles = int((events["kind"] == "battles").sum())
    assert page.evaluate(SET_VIEW, {"kind": ["battles"]}) == battles


def test_markup_in_the_fragment_and_in_the_data_stays_text(open_view, acled):
    events, path = acled
    images = "() => document.querySelectorAll('img[src=x], [onerror]').length"
    hostile = quote(HOSTILE, safe="")
    page = open_view(path, f"#q={hostile}&kind={hostile}&sub={hostile}&actor={hostile}")
    assert page.evaluate(SHOWN) == 0
    view = page.evaluate(f"() => Eventmap.getView({ST}.map)")
    # No kind, sub-type or actor reads so: those keys are skipped; the search stays.
    assert view["q"] == HOSTILE and view["kind"] is None and view["actor"] is None
    assert page.evaluate(images) == 0
    page.evaluate(SET_VIEW, {"kind": None, "sub": None, "actor": None, "q": "onerror"})
    marked = int(searched(events, "onerror").sum())
    assert page.evaluate(SHOWN) == marked > 0
    # The first match's popup shows the markup as text, and makes no element of it.
    page.evaluate(
        f"""() => {{ const r = Eventmap.shownRows({ST}.map);
                   Eventmap.openRow({ST}.map, r.table[0], r.row[0]); }}"""
    )
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert MARKUP in popup.inner_text()
    assert page.locator(".leaflet-popup-content img, .leaflet-popup-content b").count() == 0
    assert page.evaluate(images) == 0
    page.wait_for_timeout(300)  # the fragment is written after 250 ms
    assert "onerror" in page.evaluate("() => location.hash")
    assert page.seen == {"requests": [], "errors": [], "dialogs": []}


@pytest.mark.parametrize(
    ("fragment", "zoom", "lat", "lon"),
    [("#map=7/48.5/35.1&kind=battles", 7, 48.5, 35.1),
     ("#map=11/49.9713/36.273&q=kharkiv", 11, 49.9713, 36.273)],
)  # fmt: skip
def test_map_is_kept_in_the_fragment_the_page_opens_with(
    open_view, acled, fragment, zoom, lat, lon
):
    """A link with map= opens there, keeps map= in the address (the compact
    layers' text comes after the first write of the fragment) and a reload
    opens there again: neither the fit to the data nor the search's fit to
    its matches moves it."""
    _, path = acled
    page = open_view(path, fragment)

    def at_the_view():
        page.wait_for_timeout(600)  # a write of the fragment is 250 ms after a change
        assert page.evaluate("() => location.hash") == fragment
        assert page.evaluate(f"() => {ST}.map.getZoom()") == zoom
        center = page.evaluate(f"() => {ST}.map.getCenter()")
        assert center["lat"] == pytest.approx(lat, abs=1e-4)
        assert center["lng"] == pytest.approx(lon, abs=1e-4)

    at_the_view()
    page.reload(wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
    at_the_view()
    assert page.seen["errors"] == []


@pytest.mark.parametrize(
    ("fragment", "keep", "warned"),
    [("#kind=Battles", {"kind": ["battles"]}, False),
     ("#kind=nonexistent", {}, True),
     ("#kind=__proto__", {}, True),
     ("#kind=battles,nonexistent&sub=armed%20clash,Nope", {"kind": ["battles"], "sub": ["Armed clash"]}, True),
     ("#country=russia&prec=POINT&admin1=nowhere", {"country": ["RU"], "prec": ["point"]}, True),
     ("#layers=Protests,nope&actor=x", {"layers": ["kind:protests"]}, True)],
)  # fmt: skip
def test_values_the_data_has_not_are_skipped_and_labels_are_taken_as_ids(
    open_view, acled, fragment, keep, warned
):
    """A mistyped or unknown value never hides every event: it is skipped with
    a warning, a label (any case) is its id, and a key left with no value is
    ignored."""
    events, path = acled
    fields = event_fields(events)
    expected = pd.Series(True, index=events.index)
    if "kind" in keep:
        expected &= events["kind"].isin(keep["kind"])
    if "sub" in keep:
        expected &= events["sub_event_type"].isin(keep["sub"])
    if "country" in keep:
        expected &= pd.Series(
            pd.Series(fields.country).isin(keep["country"]).to_numpy(), index=events.index
        )
    if "prec" in keep:
        expected &= events["place_precision"].isin(keep["prec"])
    if "layers" in keep:
        expected &= events["kind"].isin([k.removeprefix("kind:") for k in keep["layers"]])
    n = int(expected.sum())
    assert 0 < n <= N
    page = open_view(path, fragment)
    assert page.evaluate(SHOWN) == n
    view = page.evaluate(f"() => Eventmap.getView({ST}.map)")
    for key in ["kind", "sub", "actor", "country", "admin1", "prec", "layers"]:
        assert view[key] == keep.get(key), key
    assert any("URL fragment" in w for w in page.warnings) == warned, page.warnings
    assert page.seen["errors"] == []


def test_a_map_panned_across_the_antimeridian_is_written_as_a_longitude_read_back(
    open_view, offline_map
):
    """Leaflet's centre after a pan east of 180° is 200.5°: the fragment says
    -159.5°, which a reload reads (mapOf refuses more than 180°)."""
    page = open_view(offline_map)
    page.evaluate(f"() => {ST}.map.setView([50.1, 200.5], 5, {{animate: false}})")
    page.wait_for_function("() => location.hash.includes('map=')")
    page.wait_for_timeout(300)
    assert page.evaluate("() => location.hash") == "#map=5/50.1/-159.5"
    page.reload(wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
    center = page.evaluate(f"() => {ST}.map.getCenter()")
    assert center["lng"] == pytest.approx(-159.5, abs=1e-4)
    assert page.seen["errors"] == []
