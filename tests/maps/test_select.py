"""maps.select: the events the page's filters keep, counted here with pandas
from the export's own columns (ACLED's event_date and time_precision,
event_type, actor1/actor2, country, geo_precision, fatalities, notes; UCDP's
date ranges), and, in Chromium, against the page itself opened at the same
fragment."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest
from test_filters import sjoin_regions

import geo
import maps
from maps.filters import filter_block

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "data" / "exports"
N = 3000


@pytest.fixture(scope="module")
def acled(tmp_path_factory, synthetic):
    """3,000 ACLED-shaped rows: (the export as pandas reads it, the events)."""
    path = tmp_path_factory.mktemp("select") / "acled.csv"
    synthetic.write_csv(synthetic.make_acled(N, seed=7), path)
    raw = pd.read_csv(path, keep_default_na=False, na_values={"fatalities": [""]})
    return raw, geo.read_events(path)


def acled_days(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's first and last day by ACLED's time_precision: 1 the day, 2 the
    week from it, 3 its month."""
    day = pd.to_datetime(raw["event_date"])
    tp = raw["time_precision"]
    month = day.dt.to_period("M")
    start = day.where(tp != 3, month.dt.start_time)
    end = day.where(tp == 1, day + pd.Timedelta(days=6)).where(
        tp != 3, month.dt.end_time.dt.floor("D")
    )
    return start, end


def overlapping(start, end, first, last) -> pd.Series:
    keep = start.notna()
    if first is not None:
        keep &= end >= pd.Timestamp(first)
    if last is not None:
        keep &= start <= pd.Timestamp(last)
    return keep


def fold(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)
    ).lower()


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("window", "first", "last"),
    [
        ("2024-10/2024-12", "2024-10-01", "2024-12-31"),
        ("2024-10", "2024-10-01", "2024-10-31"),
        ("2023", "2023-01-01", "2023-12-31"),
        ("2025-03/", "2025-03-01", None),
        ("/2022-03-15", None, "2022-03-15"),
        ("2024-02-29/2024-03-03", "2024-02-29", "2024-03-03"),
        (("2024-06-01", "2024-06-30"), "2024-06-01", "2024-06-30"),
        ((pd.Timestamp("2024-06-01"), None), "2024-06-01", None),
    ],
)
def test_a_window_keeps_the_events_overlapping_it(acled, window, first, last):
    raw, events = acled
    start, end = acled_days(raw)
    expected = overlapping(start, end, first, last)
    got = maps.select(events, time=window)
    assert 0 < expected.sum() < N
    assert len(got) == expected.sum()
    assert got["id"].tolist() == raw["event_id_cnty"][expected].tolist()  # in order
    assert got.attrs["selection"]["time"] == [first, last]


@pytest.mark.parametrize(
    ("window", "said"),
    [
        ("2024-10", "Oct 2024"),
        ("2024-10/2024-10", "Oct 2024"),
        ("2024-10/2024-12", "Oct 2024 – Dec 2024"),
        ("2024", "2024"),
        ("2024-10-03/2024-10-03", "3 Oct 2024"),
        ("2024-10/", "from Oct 2024"),
        ("/2024-06-30", "until 30 Jun 2024"),
    ],
)
def test_the_window_is_said_as_it_was_given(acled, window, said):
    got = maps.select(acled[1], time=window).attrs["selection"]
    assert got["window"] == got["text"] == said and got["filters"] == ""
    with_kind = maps.select(acled[1], time=window, kinds="battles").attrs["selection"]
    assert with_kind["window"] == said and with_kind["filters"] == "kind: Battles"
    assert with_kind["text"] == f"{said} · kind: Battles"


def test_no_window_is_said_as_none(acled):
    got = maps.select(acled[1], kinds="battles").attrs["selection"]
    assert got["time"] is None and got["window"] is None
    assert got["text"] == got["filters"] == "kind: Battles"


def test_windows_and_ranges_are_read_without_the_map_stack():
    # The CLI checks --time and --fatalities before it reads anything: the
    # parsing needs neither the filters' fields nor the geometry stack.
    import subprocess

    code = (
        "import sys; from maps.ranges import time_window, fatality_range; "
        "print(time_window('2024-10').text(), fatality_range('5-'), sorted("
        "{'shapely', 'geopandas', 'maps.filters', 'maps.selection'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Oct 2024 (5.0, None) []"


def test_a_week_long_event_is_in_the_month_its_last_days_fall_in(acled):
    raw, events = acled
    start, end = acled_days(raw)
    spill = (raw["time_precision"] == 2) & (start.dt.month != end.dt.month)
    assert spill.any()  # weeks begun in one month and ended in the next
    row = raw[spill].iloc[0]
    month = end[spill].iloc[0].strftime("%Y-%m")
    assert row["event_id_cnty"] in set(maps.select(events, time=month)["id"])


def test_ucdp_date_ranges_overlap():
    path = EXPORTS / "ucdp" / "GEDEvent_v23_1.csv"
    raw = pd.read_csv(path)
    events = geo.read_events(path)
    start = pd.to_datetime(raw["date_start"]).dt.floor("D")
    end = pd.to_datetime(raw["date_end"]).dt.floor("D")
    for first, last in [("2022-03-01", "2022-03-01"), ("2022-02-25", "2022-02-27"),
                        ("2022-05-10", None), (None, "2022-02-28")]:  # fmt: skip
        expected = overlapping(start, end, first, last)
        got = maps.select(events, time=(first, last))
        assert sorted(got["id"].astype(str)) == sorted(raw["id"][expected].astype(str)), first


def test_undated_events_are_left_out_once_a_window_is_given(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "id,kind,title,place,date,source\n"
        "a,statement,T,Moscow,2024-10-03,S\nb,statement,T,Kursk,,S\n"
        "c,statement,T,Kyiv,2023-01-01,S\n",
        encoding="utf-8",
    )
    events = geo.read_events(path)
    assert maps.select(events, time="2024")["id"].tolist() == ["a"]
    assert maps.select(events, time="/2030")["id"].tolist() == ["a", "c"]
    assert maps.select(events, kinds="statement")["id"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize(
    "bad", ["2024-13", "2024-02-30", "24-10", "2024/10/2024", "/", "2024-12/2024-10", ("x", None)]
)
def test_a_malformed_window_is_an_error(acled, bad):
    with pytest.raises(geo.InputError, match="time"):
        maps.select(acled[1], time=bad)


# --------------------------------------------------------------------------- lists


def test_kinds_by_label_or_id_case_insensitively(acled):
    raw, events = acled
    expected = raw["event_type"].isin(["Battles", "Riots"]).sum()
    assert 0 < expected < N
    for kinds in (["Battles", "Riots"], ["battles", "riots"], ["BATTLES", "Riots"]):
        assert len(maps.select(events, kinds=kinds)) == expected
    one = maps.select(events, kinds="Explosions/Remote violence")
    assert len(one) == (raw["event_type"] == "Explosions/Remote violence").sum()


def test_sub_types_actors_and_countries(acled):
    raw, events = acled
    sub = maps.select(events, sub_types="armed clash")
    assert len(sub) == (raw["sub_event_type"] == "Armed clash").sum() > 0
    name = "Civilians (Ukraine)"
    either = (raw["actor1"] == name) | (raw["actor2"] == name)
    assert len(maps.select(events, actors=name.upper())) == either.sum() > 0
    two = ["Civilians (Ukraine)", "Military Forces of Ukraine (2019-)"]
    either = raw["actor1"].isin(two) | raw["actor2"].isin(two)
    assert len(maps.select(events, actors=two)) == either.sum()
    for country in ("Russia", "RU", "russia"):
        assert len(maps.select(events, countries=country)) == (raw["country"] == "Russia").sum()


def test_admin1_by_name_or_id(acled):
    raw, events = acled
    region = sjoin_regions(events).reindex(events["id"])
    expected = (region == "ne:UA-63").sum()
    assert 0 < expected < N
    assert len(maps.select(events, regions="ne:UA-63")) == expected
    assert len(maps.select(events, regions="Kharkiv Oblast")) == expected  # its name
    assert len(maps.select(events, regions=["kharkiv oblast", "ne:RU-KRS"])) == (
        region.isin(["ne:UA-63", "ne:RU-KRS"]).sum()
    )


def test_precision_by_id_or_label(acled):
    raw, events = acled
    kept = {1: "point", 2: "near", 3: "admin1"}
    for geo_precision, pid in kept.items():
        expected = (raw["geo_precision"] == geo_precision).sum()
        assert len(maps.select(events, precision=pid)) == expected > 0
    label = maps.filters.PRECISION_OPTIONS["near"]
    assert len(maps.select(events, precision=label.lower())) == (raw["geo_precision"] == 2).sum()


def test_filters_together_keep_what_every_one_keeps(acled):
    raw, events = acled
    start, end = acled_days(raw)
    expected = (
        overlapping(start, end, "2024-01-01", "2024-06-30")
        & (raw["event_type"] == "Explosions/Remote violence")
        & (raw["country"] == "Ukraine")
        & raw["fatalities"].between(1, 5)
    )
    got = maps.select(events, time="2024-01/2024-06", kinds="explosions_remote_violence",
                      countries="UA", fatalities="1-5")  # fmt: skip
    assert 0 < expected.sum() == len(got)
    assert got.attrs["selection"] == {
        "time": ["2024-01-01", "2024-06-30"],
        "window": "Jan 2024 – Jun 2024",
        "text": "Jan 2024 – Jun 2024 · kind: Explosions/Remote violence · country: Ukraine · "
        "fatalities: 1–5",
        "filters": "kind: Explosions/Remote violence · country: Ukraine · fatalities: 1–5",
    }


@pytest.mark.parametrize(
    ("what", "value", "hint"),
    [
        ("kinds", "Batles", "'Battles'"),
        ("countries", "Ukrain", "'Ukraine'"),
        ("regions", "kursk", "'Kursk Oblast'"),
        ("sub_types", "zzz", "which has"),
        ("precision", "exactly", "which has"),
    ],
)
def test_a_value_not_in_the_data_is_an_error_naming_the_known(acled, what, value, hint):
    with pytest.raises(geo.InputError, match=what) as caught:
        maps.select(acled[1], **{what: value})
    assert hint in str(caught.value)


def test_the_known_values_are_named_once_each_by_their_labels(seed_events):
    # The seed's kinds are ids ("deployment") whose labels differ only in case
    # ("Deployment"): each is named once, as the panel labels it.
    with pytest.raises(geo.InputError) as caught:
        maps.select(seed_events, kinds="nope")
    named = re.findall(r"'([^']*)'", str(caught.value).split("which has", 1)[1])
    m = maps.EventMap(seed_events)
    labels = {k["label"] for k in filter_block(m._frame, m._layers)["kinds"]}
    assert named and len({n.lower() for n in named}) == len(named)
    assert set(named) <= labels


# --------------------------------------------------------------------------- fatalities, search


@pytest.mark.parametrize(
    ("given", "lo", "hi"),
    [("1-10", 1, 10), ("5-", 5, None), ("-0", None, 0), ((2, 2), 2, 2), ((None, 3.5), None, 3.5)],
)
def test_a_fatalities_range_includes_its_bounds_and_leaves_out_no_figure(acled, given, lo, hi):
    raw, events = acled
    fat = raw["fatalities"]
    expected = fat.notna() & fat.ge(lo if lo is not None else -np.inf)
    expected &= fat.le(hi if hi is not None else np.inf)
    assert 0 < expected.sum()
    assert len(maps.select(events, fatalities=given)) == expected.sum()


def test_no_figure_is_not_zero():
    path = EXPORTS / "acled" / "current_2024.csv"
    raw = pd.read_csv(path)
    assert raw["fatalities"].isna().any() and (raw["fatalities"] == 0).any()
    got = maps.select(geo.read_events(path), fatalities="0-0")
    assert got["id"].tolist() == raw["event_id_cnty"][raw["fatalities"] == 0].tolist()


@pytest.mark.parametrize("bad", ["10-1", "abc", "-", "1-2-3", (None, None), ("x", 1)])
def test_a_malformed_range_is_an_error(acled, bad):
    with pytest.raises(geo.InputError, match="fatalities"):
        maps.select(acled[1], fatalities=bad)


@pytest.mark.parametrize("q", ["kharkiv", "KHARKÍV", "  Vovchansk ", "drone", "no casualties"])
def test_search_finds_the_text_case_and_accents_aside(acled, q):
    raw, events = acled
    text = (raw["sub_event_type"] + ": " + raw["location"] + "\n" + raw["location"] + ", "
            + raw["admin1"] + ", " + raw["country"] + "\n" + raw["notes"])  # fmt: skip
    expected = text.map(fold).str.contains(fold(q.strip()), regex=False)
    assert 0 < expected.sum() < N
    got = maps.select(events, search=q)
    assert len(got) == expected.sum()
    assert got.attrs["selection"]["text"] == f"search: “{q.strip()}”"


# --------------------------------------------------------------------------- attrs


def test_attrs_are_kept_and_the_input_unchanged(acled):
    raw, events = acled
    before = dict(events.attrs)
    got = maps.select(events, kinds="battles")
    assert events.attrs == before and "selection" not in events.attrs
    assert got.attrs["title"] == events.attrs["title"]
    assert got.attrs["records"] == events.attrs["records"]
    assert maps.select(events).attrs == before  # no filter: no selection said
    assert len(maps.select(events)) == N


def test_a_selection_maps(acled):
    raw, events = acled
    m = maps.EventMap(maps.select(events, time="2024-10", kinds="battles"))
    expected = ((raw["event_type"] == "Battles") & overlapping(*acled_days(raw), "2024-10-01",
                                                                "2024-10-31")).sum()  # fmt: skip
    assert m.summary.events == expected > 0


# --------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def acled_page(acled, tmp_path_factory) -> Path:
    return maps.EventMap(acled[1]).save(tmp_path_factory.mktemp("page") / "acled.html")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("fragment", "kwargs"),
    [
        ("time=2024-03/2024-05&kind=battles", {"time": "2024-03/2024-05", "kinds": "battles"}),
        ("time=2023-07/2023-07", {"time": "2023-07"}),
        (
            "sub=Air%2Fdrone%20strike&country=Russia",
            {"sub_types": "Air/drone strike", "countries": "Russia"},
        ),
        (
            "admin1=Kharkiv%20Oblast,ne%3ARU-KRS&prec=near",
            {"regions": ["Kharkiv Oblast", "ne:RU-KRS"], "precision": "near"},
        ),
        (
            "actor=" + quote("Civilians (Ukraine)") + "&fat=1-",
            {"actors": "Civilians (Ukraine)", "fatalities": "1-"},
        ),
        ("q=" + quote("KHARKÍV"), {"search": "KHARKÍV"}),
    ],
)
def test_the_page_shows_what_select_keeps(browser, acled, acled_page, fragment, kwargs):
    raw, events = acled
    path = acled_page
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = ctx.new_page()
        url = path.resolve().as_uri()
        ctx.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        page.goto(f"{url}#{fragment}", wait_until="load")
        page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
        page.wait_for_function("() => document.querySelector('.em-shown')")
        shown = page.evaluate("() => +document.querySelector('.em-shown').dataset.eventmapShown")
    finally:
        ctx.close()
    kept = len(maps.select(events, **kwargs))
    assert 0 < kept < N
    assert shown == kept
