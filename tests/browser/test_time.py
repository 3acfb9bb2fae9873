"""The time control: a window with two handles, cumulative mode, playback and
undated events, checked against counts computed from the data with pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import geo
import maps

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SHOWN = "() => +document.querySelector('[data-eventmap-shown]').dataset.eventmapShown"
LABEL = ".em-time-value"
MS = pd.Timedelta(milliseconds=1)

# Events of a few days, weeks and months over less than a year (the slider's
# steps are weeks), on three layers, two of them undated.
EVENTS = [
    ("first", "2024-01-08", None, "clash"),
    ("week-over-month-end", "2024-03-28", "2024-04-03", "clash"),
    ("long-range", "2024-02-12", "2024-05-19", "protest"),
    ("june", "2024-06", None, "strike"),  # the month: 1 to 30 June
    ("june-3", "2024-06-03", None, "strike"),
    ("june-28", "2024-06-28", None, "protest"),
    ("august", "2024-08-14", None, "clash"),
    ("last", "2024-10-30", None, "strike"),
    ("undated-a", None, None, "protest"),
    ("undated-b", None, None, "strike"),
]


@pytest.fixture(scope="module")
def ranges_yaml(tmp_path_factory) -> Path:
    events = []
    for i, (eid, date, end, kind) in enumerate(EVENTS):
        e = {"id": eid, "kind": kind, "title": f"Event {eid}",
             "place": {"name": f"P{i}", "lat": 50.0 + i * 0.1, "lon": 36.0 + i * 0.2},
             "sources": ["Test source"]}  # fmt: skip
        if date:
            e["date"] = date
        if end:
            e["end_date"] = end
        events.append(e)
    path = tmp_path_factory.mktemp("time") / "ranges.yaml"
    path.write_text(yaml.safe_dump({"title": "Ranges", "events": events}, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def ranges_map(ranges_yaml, tmp_path_factory):
    events = geo.read_events(ranges_yaml)
    m = maps.EventMap(events, offline=True)
    path = tmp_path_factory.mktemp("time") / "ranges.html"
    m.save(path)
    return events, m._timeline(), path


@pytest.fixture(scope="module")
def seed_timeline(seed_events):
    return maps.EventMap(seed_events, offline=True)._timeline()


def steps_of(timeline) -> list[dict]:
    """The slider's steps, as the page gets them."""
    return timeline["steps"]


def step_at(steps, day: str) -> int:
    t = int(pd.Timestamp(day).value // 10**6)
    return next(i for i, s in enumerate(steps) if s["t0"] <= t <= s["t1"])


def overlapping(events, t0, t1) -> int:
    """Dated events whose days (date_start to the end of date_end's day) overlap [t0, t1]."""
    start = events["date_start"]
    end = events["date_end"].fillna(start).dt.normalize() + pd.Timedelta(days=1) - MS
    keep = start.notna()
    if t1 is not None:
        keep &= start <= pd.Timestamp(t1, unit="ms")
    if t0 is not None:
        keep &= end >= pd.Timestamp(t0, unit="ms")
    return int(keep.sum())


def started(events, t0, t1) -> int:
    """What a start-date-only filter would show: the bug the ranges fix."""
    start = events["date_start"]
    return int(
        ((start >= pd.Timestamp(t0, unit="ms")) & (start <= pd.Timestamp(t1, unit="ms"))).sum()
    )


def move(page, which: str, i: int) -> None:
    """Move a handle to step i, as a drag does (an input event per move)."""
    page.locator(f".em-time-{which}").evaluate(
        "(el, i) => { el.value = i; el.dispatchEvent(new Event('input', {bubbles: true})); }", i
    )


def window(page, i0: int, i1: int) -> None:
    move(page, "start", 0)
    move(page, "end", i1)
    move(page, "start", i0)


def view(page) -> dict:
    return page.evaluate("() => Eventmap.getView(Object.values(Eventmap.maps)[0].map)")


def shown(page) -> int:
    return page.evaluate(SHOWN)


def test_window_filters_every_layer(open_page, seed_events, seed_timeline, offline_map):
    loaded = open_page(offline_map)
    page = loaded.page
    steps = steps_of(seed_timeline)
    undated = int(seed_events["date_start"].isna().sum())
    assert shown(page) == len(seed_events)
    assert page.locator(LABEL).inner_text() == "all dates"
    i0, i1 = step_at(steps, "2024-03-15"), step_at(steps, "2024-05-15")
    window(page, i0, i1)
    v = view(page)
    assert (v["t0"], v["t1"]) == (steps[i0]["t0"], steps[i1]["t1"])
    assert page.locator(LABEL).inner_text() == f"{steps[i0]['label']} – {steps[i1]['label']}"
    expected = overlapping(seed_events, v["t0"], v["t1"])
    assert 0 < expected < len(seed_events) - undated
    assert shown(page) == expected
    # Every layer follows.
    layers = page.evaluate("() => Eventmap.shownByLayer(Object.values(Eventmap.maps)[0].map)")
    assert sum(layers.values()) == expected
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "time-window.png"))
    # Both handles back at the ends: every date again, undated events too.
    window(page, 0, len(steps) - 1)
    assert page.locator(LABEL).inner_text() == "all dates"
    assert shown(page) == len(seed_events)
    assert loaded.errors == []


def test_week_and_month_events_show_while_the_window_overlaps_them(open_page, ranges_map):
    events, timeline, path = ranges_map
    assert timeline["unit"] == "week"
    steps = steps_of(timeline)
    page = open_page(path).page
    for day, ids in [
        ("2024-06-19", {"june"}),  # a week inside June: only the month-long event
        ("2024-04-02", {"week-over-month-end", "long-range"}),  # ranges begun in March
    ]:
        i = step_at(steps, day)
        window(page, i, i)
        v = view(page)
        assert page.locator(LABEL).inner_text() == steps[i]["label"]
        expected = overlapping(events, v["t0"], v["t1"])
        assert expected == len(ids)
        # Filtering by start date alone would miss them.
        assert started(events, v["t0"], v["t1"]) < expected
        assert shown(page) == expected
        for eid in ids:
            row = events.index[events["id"] == eid][0]
            assert pd.Timestamp(v["t0"], unit="ms") > events.loc[row, "date_start"]
    # A window over several weeks covers every event it overlaps.
    i0, i1 = step_at(steps, "2024-03-01"), step_at(steps, "2024-06-05")
    window(page, i0, i1)
    v = view(page)
    assert shown(page) == overlapping(events, v["t0"], v["t1"])
    assert page.locator(LABEL).inner_text().count(" – ") == 1


def test_handles_move_by_keyboard_and_never_cross(open_page, ranges_map):
    events, timeline, path = ranges_map
    n = len(steps_of(timeline))
    page = open_page(path).page
    start, end = page.locator(".em-time-start"), page.locator(".em-time-end")
    assert start.get_attribute("aria-label") and end.get_attribute("aria-label")
    end.focus()
    page.keyboard.press("Home")  # the end handle stops at the start one
    assert (start.input_value(), end.input_value()) == ("0", "0")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    start.focus()
    page.keyboard.press("End")  # and the start handle at the end one
    assert (start.input_value(), end.input_value()) == ("3", "3")
    assert start.get_attribute("aria-valuetext") == steps_of(timeline)[3]["label"]
    page.keyboard.press("ArrowLeft")
    v = view(page)
    assert shown(page) == overlapping(events, v["t0"], v["t1"])
    assert int(end.input_value()) < n - 1


def test_playback_advances_and_stops_at_the_end(open_page, seed_events, seed_timeline, offline_map):
    steps = steps_of(seed_timeline)
    page = open_page(offline_map).page
    # Every view the map takes, as the control shows it.
    page.evaluate("""() => { window.__views = [];
      Object.values(Eventmap.maps)[0].map.on('em:view', (e) => window.__views.push({
        source: e.source, shown: e.shown, t0: e.view.t0, t1: e.view.t1,
        label: document.querySelector('.em-time-value').textContent })); }""")
    i = step_at(steps, "2024-10-15")
    window(page, i, i + 1)  # a two-step window
    page.locator(".em-time-speed").select_option(label="4×")
    toggle = page.locator(".em-time-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-label") == "Pause"
    page.wait_for_function(
        "() => document.querySelector('.em-time-toggle').getAttribute('aria-label') === 'Play'",
        timeout=30000,
    )
    played = [v for v in page.evaluate("() => window.__views") if v["source"] == "play"]
    # One tick a step, the window keeping its width, until its end is the last step.
    assert len(played) == len(steps) - 2 - i
    for k, v in enumerate(played):
        a, b = steps[i + 1 + k], steps[i + 2 + k]
        assert (v["t0"], v["t1"]) == (a["t0"], b["t1"])
        assert v["label"] == f"{a['label']} – {b['label']}"
        assert v["shown"] == overlapping(seed_events, v["t0"], v["t1"])
    assert len({v["shown"] for v in played}) > 1  # the count changed over the ticks
    assert shown(page) == played[-1]["shown"]
    assert page.locator(".em-time-forward").is_disabled()


def thumb(page, which: str) -> tuple[float, float]:
    """Where a handle's thumb is drawn (16 px wide, its centre travels the input's width less 16)."""
    box = page.locator(f".em-time-{which}").bounding_box()
    value, top = page.locator(f".em-time-{which}").evaluate("el => [+el.value, +el.max]")
    return box["x"] + 8 + (box["width"] - 16) * value / top, box["y"] + box["height"] / 2


def test_playback_pauses_when_the_user_drags(open_page, seed_timeline, offline_map):
    steps = steps_of(seed_timeline)
    page = open_page(offline_map).page
    window(page, 0, 0)
    # The slowest speed: the handle is grabbed right after a tick, where it
    # is drawn, long before the next one moves it.
    page.locator(".em-time-speed").select_option(label="0.5×")
    page.locator(".em-time-toggle").click()
    page.wait_for_function(
        f"() => Eventmap.getView(Object.values(Eventmap.maps)[0].map).t0 !== {steps[0]['t0']}"
    )
    center = page.evaluate("() => Object.values(Eventmap.maps)[0].map.getCenter()")
    # A real drag of the end handle, by the mouse, to the right end of the track.
    x, y = thumb(page, "end")
    right = page.locator(".em-time-end").bounding_box()
    page.mouse.move(x, y)
    page.mouse.down()
    assert page.locator(".em-time-toggle").get_attribute("aria-label") == "Play"
    page.mouse.move(right["x"] + right["width"] + 20, y, steps=5)
    page.mouse.up()
    at = view(page)
    assert at["t1"] is None or at["t1"] == steps[-1]["t1"]
    assert page.evaluate("() => Object.values(Eventmap.maps)[0].map.getCenter()") == center
    # Nothing can be waited for when nothing happens: this wait only gives a
    # playback that had not stopped a tick (at 0.5×) to show itself.
    page.wait_for_timeout(2500)
    assert view(page)["t0"] == at["t0"]
    # The start handle, drawn under the end one, still takes a drag of its own.
    x, y = thumb(page, "start")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(right["x"] - 20, y, steps=5)
    page.mouse.up()
    assert page.locator(".em-time-start").input_value() == "0"
    assert page.locator(LABEL).inner_text() == "all dates"


def test_cumulative_mode_shows_everything_up_to_the_end(open_page, ranges_map):
    events, timeline, path = ranges_map
    steps = steps_of(timeline)
    page = open_page(path).page
    page.locator(".em-time-mode label", has_text="Up to").click()
    assert page.locator(".em-time-start").is_hidden()
    i = step_at(steps, "2024-06-12")
    move(page, "end", i)
    v = view(page)
    assert v["t0"] is None and v["t1"] == steps[i]["t1"]
    assert page.locator(LABEL).inner_text() == "up to " + pd.Timestamp(
        steps[i]["t1"], unit="ms"
    ).strftime("%-d %b %Y")
    assert shown(page) == overlapping(events, None, v["t1"])  # undated ones hidden
    page.screenshot(path=str(ARTIFACTS / "time-cumulative.png"))
    # Playback in cumulative mode only ever adds events, and ends at every date.
    page.evaluate("""() => { window.__shown = [];
      Object.values(Eventmap.maps)[0].map.on('em:view', (e) => window.__shown.push(e.shown)); }""")
    page.locator(".em-time-speed").select_option(label="4×")
    page.locator(".em-time-toggle").click()
    page.wait_for_function(
        "() => document.querySelector('.em-time-toggle').getAttribute('aria-label') === 'Play'",
        timeout=30000,
    )
    seen = page.evaluate("() => window.__shown")
    assert seen == sorted(seen) and len(seen) == len(steps) - 1 - i
    assert page.locator(LABEL).inner_text() == "all dates"
    assert shown(page) == len(events)
    # Back to a window: it starts where it did.
    page.locator(".em-time-mode label", has_text="Window").click()
    assert page.locator(".em-time-start").is_visible()
    assert shown(page) == len(events)


def test_undated_events_are_counted_and_can_be_hidden(open_page, ranges_map):
    events, timeline, path = ranges_map
    steps = steps_of(timeline)
    undated = int(events["date_start"].isna().sum())
    assert undated == 2
    page = open_page(path).page
    box = page.locator(".em-time-undated")
    note = page.locator(".em-time-note")
    assert note.inner_text().strip() == f"show {undated} undated events"
    assert box.is_checked() and shown(page) == len(events)
    # A window hides them unless asked (they cannot be placed in it): the box says so.
    i = step_at(steps, "2024-06-19")
    window(page, i, i)
    v = view(page)
    in_window = overlapping(events, v["t0"], v["t1"])
    assert not box.is_checked() and shown(page) == in_window
    box.check()
    assert shown(page) == in_window + undated
    assert view(page)["undated"] == "show"
    # Hidden at every date too.
    window(page, 0, len(steps) - 1)
    assert box.is_checked() and shown(page) == len(events)
    box.uncheck()
    assert shown(page) == len(events) - undated
    assert view(page)["undated"] == "hide"
    page.screenshot(path=str(ARTIFACTS / "time-undated.png"))


def test_a_fragment_window_is_shown_by_the_control(open_page, seed_events, offline_map):
    page = open_page(offline_map).page
    page.evaluate("() => { location.hash = '#time=2024-03/2024-05'; }")
    page.wait_for_function(f"() => document.querySelector('{LABEL}').textContent !== 'all dates'")
    assert page.locator(LABEL).inner_text() == "Mar 2024 – May 2024"
    assert page.locator(".em-time-mode input[value=window]").is_checked()
    v = view(page)
    assert shown(page) == overlapping(seed_events, v["t0"], v["t1"])
    page.evaluate("() => { location.hash = '#time=/2024-05'; }")
    page.wait_for_function(
        f"() => document.querySelector('{LABEL}').textContent === 'up to May 2024'"
    )
    assert page.locator(".em-time-mode input[value=cumulative]").is_checked()
    assert page.locator(".em-time-start").is_hidden()
    # Shown, not set again: the control wrote nothing of its own.
    assert view(page)["t0"] is None
