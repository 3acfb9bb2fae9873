"""The static figure (maps.figure): SVG, PDF and PNG drawn with matplotlib.

The SVG is parsed: title, legend entries and sources line are text, one
group per drawn event, hostile text stays literal. PDF and PNG open, at the
requested size; two renders are byte-identical; the scale bar is true; the
seed's map is compared with a committed small golden PNG. Regenerate it
after an intended change and look at it::

    EVENTMAP_REGOLD=1 .venv/bin/python -m pytest tests/maps/test_figure.py -k golden
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

import geo
from geo import InputError
from maps.figure import format_for, paper_size
from maps.page import EventMap

GOLDEN = Path(__file__).parent / "golden" / "seed-static.png"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seed_map(seed_events):
    return EventMap(seed_events)


@pytest.fixture(scope="module")
def seed_svg(seed_map) -> bytes:
    buf = io.BytesIO()
    seed_map.to_image(buf, format="svg", size="A4", landscape=True)
    return buf.getvalue()


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _all_text(svg: bytes) -> str:
    return "\n".join(_texts(svg))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _gids(svg: bytes, pattern: str) -> list[str]:
    root = ET.fromstring(svg)
    rx = re.compile(pattern)
    return [g.get("id") for g in root.iter() if g.get("id") and rx.fullmatch(g.get("id"))]


# ------------------------------------------------------------------ options


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [("a.svg", None, "svg"), ("a.PDF", None, "pdf"), ("a/b.png", None, "png"),
     ("a.html", "png", "png"), ("a", "SVG", "svg")],
)  # fmt: skip
def test_format_for(path, fmt, expected):
    assert format_for(path, fmt) == expected


@pytest.mark.parametrize("path", ["map.jpg", "map", "map.svg.gz"])
def test_unknown_extension_names_the_accepted_ones(path):
    with pytest.raises(InputError, match=r"\.svg, \.pdf, \.png"):
        format_for(path)


def test_buffer_needs_a_format(seed_map):
    with pytest.raises(InputError, match="format"):
        seed_map.to_image(io.BytesIO())


@pytest.mark.parametrize(
    ("size", "landscape", "inches"),
    [("A4", False, (210 / 25.4, 297 / 25.4)), ("a4", True, (297 / 25.4, 210 / 25.4)),
     ("A5", False, (148 / 25.4, 210 / 25.4)), ("Letter", False, (8.5, 11.0)),
     ("180x120mm", False, (180 / 25.4, 120 / 25.4)), ("7x5in", False, (7.0, 5.0)),
     ("5x7in", True, (7.0, 5.0))],
)  # fmt: skip
def test_paper_size(size, landscape, inches):
    assert paper_size(size, landscape=landscape) == pytest.approx(inches, abs=1e-3)


@pytest.mark.parametrize("size", ["A3", "10x", "10x10cm", "0x5in", "x"])
def test_bad_paper_size(size):
    with pytest.raises(InputError, match="size"):
        paper_size(size)


@pytest.mark.parametrize(
    "options",
    [{"dpi": 0}, {"dpi": "300"}, {"extent": (10, 0, 5, 5)}, {"extent": (0, 0, 1)},
     {"facet": "week"}, {"size": "huge"}],
)  # fmt: skip
def test_bad_options_write_nothing(seed_map, tmp_path, options):
    out = tmp_path / "x.png"
    with pytest.raises(InputError):
        seed_map.to_image(out, **options)
    assert not out.exists()


@pytest.mark.parametrize("size", ["90x60mm", "60x90mm", "4x3in", "30x300mm"])
def test_too_small_paper_is_an_input_error_naming_the_minimum(seed_map, tmp_path, size):
    out = tmp_path / "x.png"
    with pytest.raises(InputError, match=r"size: expected 120 mm"):
        seed_map.to_image(out, size=size)
    assert not out.exists()


def test_paper_leaving_the_map_no_room_is_an_input_error(seed_map, tmp_path):
    """Above the minimum, a page whose legend leaves the map a strip is refused."""
    out = tmp_path / "x.png"
    with pytest.raises(InputError, match=r"leaves this map \d+ × \d+ mm"):
        seed_map.to_image(out, size="148x125mm", landscape=True, dpi=72)
    assert not out.exists()


def test_huge_png_is_refused_before_drawing(seed_map, monkeypatch):
    from maps.figure import single

    def boom(*a, **k):
        raise AssertionError("drew")

    monkeypatch.setattr(single, "draw_map", boom)
    with pytest.raises(InputError, match="million pixels"):
        seed_map.to_image(io.BytesIO(), format="png", size="1000x1000mm", dpi=1200)
    # the same page as vector is fine to check (no pixels): it reaches the drawing
    with pytest.raises(AssertionError, match="drew"):
        seed_map.to_image(io.BytesIO(), format="svg", size="1000x1000mm", dpi=1200)


@pytest.mark.parametrize(
    "options, field",
    [({"format": "gif"}, "format"), ({"size": "90x60mm"}, "size"), ({"size": "A3"}, "size"),
     ({"dpi": 10}, "dpi"), ({"size": "1000x1000mm", "dpi": 1200}, "dpi"),
     ({"extent": (10, 0, 5, 5)}, "extent"), ({"facet": "week"}, "facet")],
)  # fmt: skip
def test_check_options_without_drawing(options, field, monkeypatch):
    import maps.figure
    from maps.figure import output

    assert "check_options" in maps.figure.__all__
    monkeypatch.setattr(output, "to_image", None)  # nothing is drawn
    with pytest.raises(InputError, match=f"^{field}: "):
        maps.figure.check_options(**{"format": "png", **options})


def test_check_options_gives_them_back_checked():
    from maps.figure import check_options

    opts = check_options(format="PDF", size="a5", landscape=True, dpi=72,
                         extent=["20", 40, 50, 60], facet="month")  # fmt: skip
    assert opts["format"] == "pdf" and opts["dpi"] == 72 and opts["facet"] == "month"
    assert opts["extent"] == (20.0, 40.0, 50.0, 60.0)
    assert (round(opts["width"] * 72), round(opts["height"] * 72)) == (595, 420)
    # a vector page is not refused for the pixels a PNG of it would have
    assert check_options(format="svg", size="1000x1000mm", dpi=1200)["format"] == "svg"


# ------------------------------------------------------------------ SVG content


def test_svg_has_title_legend_sources_as_text(seed_map, seed_svg):
    text = _flat(_all_text(seed_svg))
    assert seed_map.title in text
    legend = seed_map._legend()
    for entry in legend["entries"]:
        assert entry["label"] in text
    for scale in legend["scales"]:
        assert _flat(scale["label"]) in text
        for s in scale["sizes"]:
            assert s["label"] in text
    for mark in legend["marks"]:
        assert _flat(mark["label"]) in text
    assert "Dashed: low confidence." in text
    assert "Sources cited: National Intelligence Service (South Korea)" in text
    assert "places: GeoNames, Natural Earth" in text
    assert "Oct 2023 – Jun 2025" in text  # the time span
    assert "km" in text  # the scale bar


ACLED = Path(__file__).resolve().parents[2] / "data" / "events" / "acled-ukraine-2024-synthetic.csv"


@pytest.mark.parametrize(
    "select, said",
    [({"time": "2024-03/2024-05", "kinds": ["Battles"]}, "Mar 2024 – May 2024 · kind: Battles"),
     ({"time": "2024-03"}, "Mar 2024 · data:"),
     ({"kinds": ["Battles"]}, " · kind: Battles · data:")],
)  # fmt: skip
def test_subtitle_says_the_window_once_and_the_filters_once(select, said):
    import maps
    from maps.figure.furniture import texts_of

    frame = maps.select(geo.read_events(ACLED), **select)
    sub = texts_of(EventMap(frame), projection="x").subtitle
    assert said in sub
    window = frame.attrs["selection"]["time"]
    month = pd.Timestamp(window[0]).strftime("%b %Y") if window else "Battles"
    assert sub.count(month) == 1, sub
    assert "selection:" not in sub


def test_kursk_and_the_13000_troop_flow_are_drawn(seed_map, seed_svg):
    assert "Kursk Oblast" in _all_text(seed_svg)
    deployments = next(d for d in seed_map._layers if d.spec.key == "deployments")
    widest = max(f["width"] for f in deployments.features if f["shape"] == "flow")
    assert widest == 12.0
    # 12 px → 9 pt, as a stroke of the SVG (matplotlib writes pt at 72 dpi)
    assert re.search(rb"stroke-width: 9(\.0+)?;", seed_svg)


def test_one_group_per_drawn_event(seed_map):
    """With an extent holding every feature, each one has its group; the
    default view leaves out the sources abroad and names them."""
    every = sum(len(d.features) for d in seed_map._layers)
    buf = io.BytesIO()
    seed_map.to_image(buf, format="svg", extent=(-80, 30, 140, 62), landscape=True)
    assert len(_gids(buf.getvalue(), r"em-event-\d+")) == every
    assert len(_gids(buf.getvalue(), r"em-event-\d+-head")) == sum(
        f["shape"] == "flow" for d in seed_map._layers for f in d.features
    )


def test_default_view_names_what_it_leaves_out(seed_map, seed_svg):
    every = sum(len(d.features) for d in seed_map._layers)
    drawn = _gids(seed_svg, r"em-event-\d+")
    assert len(drawn) == every - 2  # London and Washington
    assert "Outside the map: Sources of the claims: London, Washington." in _flat(
        _all_text(seed_svg)
    )


def test_compact_points_one_path_each(tmp_path):
    n = 40
    frame = gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(n)], "v": np.arange(n, dtype=float)},
        geometry=gpd.points_from_xy(np.linspace(30, 40, n), np.linspace(45, 50, n)),
        crs="EPSG:4326",
    )
    m = EventMap(frame, layer="compact")
    buf = io.BytesIO()
    m.to_image(buf, format="svg", size="180x120mm")
    root = ET.fromstring(buf.getvalue())
    groups = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("em-compact-")]
    assert groups
    # one <path> or <use> (of a shared marker) per point
    marks = sum(len([e for e in g.iter() if e.tag in (f"{SVG}use", f"{SVG}path")]) for g in groups)
    assert marks == n


HOSTILE = r"$\frac{1}{2}$ </text><script>alert(1)</script> & Co"


def test_hostile_text_stays_literal(seed_events):
    m = EventMap(seed_events, title=HOSTILE)
    buf = io.BytesIO()
    m.to_image(buf, format="svg", size="A4", landscape=True)
    svg = buf.getvalue()
    root = ET.fromstring(svg)  # still well-formed XML
    assert not list(root.iter(f"{SVG}script"))
    assert HOSTILE in _flat(_all_text(svg))
    # Not mathtext: no glyph paths for a fraction, the dollars are there.
    assert b"<script" not in svg


# ------------------------------------------------------------------ formats


def test_pdf_opens_with_embedded_truetype(seed_map):
    buf = io.BytesIO()
    seed_map.to_image(buf, format="pdf", size="A5", dpi=100)
    data = buf.getvalue()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # TrueType embedded (fonttype 42)
    assert b"/CreationDate" not in data


@pytest.mark.parametrize(("size", "dpi", "pixels"), [("5x7in", 100, (500, 700)),
                                                    ("A5", 72, (420, 595))])  # fmt: skip
def test_png_has_the_requested_pixels(seed_map, size, dpi, pixels):
    buf = io.BytesIO()
    seed_map.to_image(buf, format="png", size=size, dpi=dpi)
    with Image.open(io.BytesIO(buf.getvalue())) as im:
        assert im.size == pixels


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_two_renders_are_identical(seed_events, tmp_path, fmt):
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    EventMap(seed_events).to_image(a, size="A5", dpi=60)
    EventMap(seed_events).to_image(b, size="A5", dpi=60)
    assert a.read_bytes() == b.read_bytes()


def test_path_is_written_and_returned(seed_map, tmp_path):
    out = tmp_path / "sub" / "seed.svg"
    assert seed_map.to_image(out, size="A5") == out
    assert out.read_bytes().lstrip().startswith(b"<?xml")


# ------------------------------------------------------------------ scale bar


@pytest.mark.parametrize(
    "extent", [(34, 39, 135, 59), (30, 44, 40, 53), (-20, -35, 55, 38), (-170, -60, 170, 80)]
)
def test_scale_bar_is_true_at_the_centre(extent):
    from pyproj import Geod

    from maps.figure.projection import View

    view = View(extent, 500.0, 350.0)
    metres, length_pt = view.scale_bar(100.0)
    assert 0 < length_pt <= 100.0
    cx, cy = (view.xlim[0] + view.xlim[1]) / 2, (view.ylim[0] + view.ylim[1]) / 2
    half = length_pt * view.per_pt / 2
    lon, lat = view.inverse([cx - half, cx + half], [cy, cy])
    _, _, dist = Geod(ellps="WGS84").inv(lon[0], lat[0], lon[1], lat[1])
    assert dist == pytest.approx(metres, rel=0.01)


def test_the_map_shows_the_extent(seed_map):
    """An extent's corners are inside the frame (the figure widens, never crops)."""
    from maps.figure.projection import View

    view = View((34, 39, 135, 59), 800.0, 400.0)
    x, y = view.forward([34, 135, 34, 135, 84.5], [39, 39, 59, 59, 49])
    assert (x >= view.xlim[0]).all() and (x <= view.xlim[1]).all()
    assert (y >= view.ylim[0]).all() and (y <= view.ylim[1]).all()
    clip = view.clip_box()
    assert clip.contains(shapely.box(34, 39, 135, 59))


# ------------------------------------------------------------------ golden


def _render_png(m) -> Image.Image:
    buf = io.BytesIO()
    m.to_image(buf, format="png", size="A5", landscape=True, dpi=72)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


#: The golden check: the share of pixels whose colour is off by more than
#: 40/255 in a channel. The seed against its golden is off by about 0.1 %
#: (the golden's 256-colour palette); without the Kursk front region, 5 %.
GOLDEN_OFF = 0.003


def _off(img: Image.Image) -> float:
    with Image.open(GOLDEN) as g:
        golden = np.asarray(g.convert("RGB"), dtype=float)
    assert golden.shape[:2] == (img.size[1], img.size[0])
    diff = np.abs(np.asarray(img, dtype=float) - golden).max(axis=2)
    return float((diff > 40).mean())


def test_seed_matches_the_golden_png(seed_events):
    img = _render_png(EventMap(seed_events))
    if os.environ.get("EVENTMAP_REGOLD"):
        img.quantize(256).save(GOLDEN, optimize=True)
    assert GOLDEN.stat().st_size < 100_000
    off = _off(img)
    assert off < GOLDEN_OFF, f"{off:.2%} of the pixels differ (regenerate with EVENTMAP_REGOLD=1)"


def test_golden_check_can_fail(seed_events):
    """One small layer fewer (the front regions: Kursk Oblast) fails the same check."""
    m = EventMap(seed_events)
    front = [d for d in m._layers if any(f["kind"] == "front_region" for f in d.features)]
    assert front
    for d in front:
        d.features = [f for f in d.features if f["kind"] != "front_region"]
    assert _off(_render_png(m)) >= GOLDEN_OFF


def test_seed_fixture_is_the_seed(seed_path):
    assert len(geo.read_events(seed_path)) == 30


# ------------------------------------------------------------------ facets


def _months(frame) -> int:
    start = frame["date_start"].dropna()
    end = frame["date_end"].fillna(frame["date_start"]).dropna()
    return len(pd.period_range(start.min(), end.max(), freq="M"))


def test_facet_month_one_panel_per_month(seed_map, seed_events):
    buf = io.BytesIO()
    seed_map.to_image(buf, format="svg", facet="month", landscape=True)
    svg = buf.getvalue()
    n = _months(seed_events)
    assert len(_gids(svg, r"em-panel-\d+")) == n
    labels = [t for t in _texts(svg) if re.fullmatch(r"[A-Z][a-z]{2} \d{4} · [\d,]+", t)]
    assert len(labels) == n
    assert labels[0].startswith("Oct 2023")
    # one legend and one title for the whole figure
    assert _all_text(svg).count(seed_map.title) == 1
    assert len(_gids(svg, r"em-legend")) == 1


def test_facet_kind_one_panel_per_layer(seed_map):
    buf = io.BytesIO()
    seed_map.to_image(buf, format="svg", facet="kind", size="A4")
    svg = buf.getvalue()
    layers = [d for d in seed_map._layers if d.spec.key != "sources"]
    assert len(_gids(svg, r"em-panel-\d+")) == len(layers)
    text = _all_text(svg)
    for d in layers:
        assert f"{d.spec.label} · {len(d)}" in text


def test_facets_are_capped_and_say_so(seed_events):
    from maps.figure import facets

    ev = seed_events.copy()
    ev.loc[ev.index[0], "date_start"] = pd.Timestamp("2019-01-01")  # 78 months
    m = EventMap(ev)
    buf = io.BytesIO()
    with pytest.warns(UserWarning, match=f"first {facets.MAX_PANELS} of") as caught:
        m.to_image(buf, format="svg", facet="month", size="A5")
    # the warning names the caller's line, not one inside maps.figure
    assert Path(caught[0].filename).resolve() == Path(__file__).resolve()
    svg = buf.getvalue()
    assert len(_gids(svg, r"em-panel-\d+")) == facets.MAX_PANELS
    assert f"Only the first {facets.MAX_PANELS} of" in _flat(_all_text(svg))


@pytest.mark.parametrize(("facet", "formats"), [(None, ("svg", "pdf", "png")), ("kind", ("png",))])
def test_a_render_is_quiet(seed_map, facet, formats, caplog):
    """No warning (pyproj's PROJ-string one, say) and no matplotlib log line
    (findfont for a weight DejaVu lacks) on stderr."""
    import logging
    import warnings

    with warnings.catch_warnings(), caplog.at_level(logging.INFO, logger="matplotlib"):
        warnings.simplefilter("error")
        for fmt in formats:
            seed_map.to_image(io.BytesIO(), format=fmt, facet=facet, size="A5", dpi=50)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []


def test_grid_fits_the_paper():
    from maps.figure.facets import grid_for

    assert grid_for(12, 900, 300, 1.0, 0) == (6, 2)
    assert grid_for(12, 300, 900, 1.0, 0) == (2, 6)
    cols, rows = grid_for(21, 780, 500, 0.8, 8)
    assert cols * rows >= 21 and (cols - 1) * rows < 21


def _sizes(fig, prefix: str) -> dict[str, float]:
    return {c.get_gid(): float(c.get_sizes()[0]) for ax in fig.axes for c in ax.collections
            if (c.get_gid() or "").startswith(prefix)}  # fmt: skip


def test_panels_draw_symbols_smaller_and_the_legend_says_the_same(seed_map):
    """A panel is smaller than a single map: its circles are scaled by the
    panel's size against the map's, and the legend's samples by the same."""
    import matplotlib

    from maps.figure.facets import draw_facets
    from maps.figure.output import RC
    from maps.figure.single import draw_map

    with matplotlib.rc_context(RC):
        one = draw_map(seed_map, 11.69, 8.27)
        many = draw_facets(seed_map, 11.69, 8.27, by="kind")
    events1, events2 = _sizes(one, "em-event-"), _sizes(many, "em-event-")
    assert events2 and set(events2) <= set(events1)  # the sources have no panel of their own
    ratios = {round(events2[g] / events1[g], 6) for g in events2}
    assert len(ratios) == 1
    k2 = ratios.pop()
    assert 0.05 < k2 < 0.8  # smaller, and not vanished
    legend1, legend2 = _sizes(one, "em-legend-size-"), _sizes(many, "em-legend-size-")
    assert legend1 and set(legend1) == set(legend2)
    for g in legend1:
        assert legend2[g] / legend1[g] == pytest.approx(k2, rel=1e-6)


def test_no_size_sample_reads_zero():
    """Fatalities 6 and 1: the samples are whole counts (5, 2), not a 0.5 labelled '0'."""
    from geo.model import Quantity

    ev = geo.read_events(ACLED).head(30).copy()
    ev["quantities"] = [[Quantity(value=float(v), unit="fatalities")] for v in [6, 1, 1] * 10]
    m = EventMap(ev)
    labels = [s["label"] for sc in m._legend()["scales"] for s in sc["sizes"]]
    assert labels == ["5", "2"]
    buf = io.BytesIO()
    m.to_image(buf, format="svg", size="A5", landscape=True)
    root = ET.fromstring(buf.getvalue())
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "em-legend")
    texts = ["".join(t.itertext()).strip() for t in legend.iter(f"{SVG}text")]
    assert "5" in texts and "2" in texts and "0" not in texts


@pytest.mark.parametrize(("size", "landscape"), [("A4", True), ("A4", False), ("A5", True)])
def test_the_storys_key_places_are_named(seed_map, size, landscape):
    """Moscow and Pyongyang (capitals the events name) and Ukraine sit under
    symbols at their spots: they take another spot rather than go."""
    buf = io.BytesIO()
    seed_map.to_image(buf, format="svg", size=size, landscape=landscape)
    texts = set(_texts(buf.getvalue()))
    assert {"Moscow", "Pyongyang", "Ukraine"} <= texts


def test_labels_do_not_overlap_each_other(seed_map):
    import matplotlib

    from maps.figure.output import RC
    from maps.figure.single import draw_map

    with matplotlib.rc_context(RC):
        fig = draw_map(seed_map, 11.69, 8.27)
        renderer = fig.canvas.get_renderer()
        ax = next(a for a in fig.axes if a.get_gid() == "em-map")
        boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    assert len(boxes) > 20
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.shrunk(0.95, 0.9).overlaps(b.shrunk(0.95, 0.9))


# ------------------------------------------------------------------ user settings


def _png_bytes(m) -> bytes:
    buf = io.BytesIO()
    m.to_image(buf, format="png", size="A5", landscape=True, dpi=50)
    return buf.getvalue()


def test_the_users_matplotlib_settings_do_not_change_the_figure(seed_map):
    import matplotlib

    plain = _png_bytes(seed_map)
    dark = {"text.color": "white", "savefig.facecolor": "black", "axes.linewidth": 4.0,
            "font.size": 20, "lines.linewidth": 5.0, "patch.linewidth": 3.0}  # fmt: skip
    with matplotlib.rc_context(dark):
        before = dict(matplotlib.rcParams)
        styled = _png_bytes(seed_map)
        after = dict(matplotlib.rcParams)
    assert styled == plain
    assert after == before  # a render leaves the settings as it found them


def test_a_matplotlibrc_in_the_folder_does_not_change_the_figure(seed_path, tmp_path):
    import subprocess
    import sys

    (tmp_path / "matplotlibrc").write_text(
        "text.color: red\nsavefig.facecolor: black\naxes.linewidth: 6\nfont.size: 22\n"
        "lines.linewidth: 7\n"
    )
    code = (
        "import sys, geo; from maps.page import EventMap\n"
        "EventMap(geo.read_events(sys.argv[1])).to_image(sys.argv[2], size='A5',"
        " landscape=True, dpi=50)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "MPLCONFIGDIR": str(tmp_path / "cfg")}
    outs = []
    for cwd in (tmp_path, root):
        out = tmp_path / f"from-{len(outs)}.png"
        subprocess.run([sys.executable, "-c", code, str(seed_path), str(out)], cwd=cwd, env=env,
                       check=True)  # fmt: skip
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_the_scale_bar_takes_the_corner_it_hides_least():
    """Events crowd the bottom left: the bar goes to another corner."""
    import matplotlib

    from maps.figure.output import RC
    from maps.figure.projection import View, default_extent
    from maps.figure.single import draw_map

    rng = np.random.default_rng(1)
    lon = np.r_[rng.uniform(30, 32, 60), rng.uniform(30, 40, 20)]
    lat = np.r_[rng.uniform(45, 46.5, 60), rng.uniform(45, 50, 20)]
    frame = gpd.GeoDataFrame({"name": [f"p{i}" for i in range(len(lon))]},
                             geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")  # fmt: skip
    m = EventMap(frame, layer="compact")
    with matplotlib.rc_context(RC):
        fig = draw_map(m, 11.69, 8.27)
    ax = next(a for a in fig.axes if a.get_gid() == "em-map")
    bar = next(p for p in ax.patches if hasattr(p, "em_scale"))
    x0, y0 = bar.get_xy()
    view = View(default_extent(m._bounds()), 1, 1)
    x, y = view.forward(lon, lat)
    inside = (x >= x0) & (x <= x0 + bar.get_width()) & (y >= y0) & (y <= y0 + bar.get_height())
    assert not inside.any()
    assert x0 > np.mean(ax.get_xlim()) or y0 > np.mean(ax.get_ylim())  # not bottom left


# ------------------------------------------------------------------ flows' dashes


def _dasharrays(svg: bytes) -> dict[str, str | None]:
    """Each event group's stroke-dasharray (of its first path), by gid."""
    out = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        gid = g.get("id") or ""
        if re.fullmatch(r"em-event-\d+", gid):
            path = next(g.iter(f"{SVG}path"), None)
            style = path.get("style") if path is not None else None
            m = re.search(r"stroke-dasharray:\s*([^;]+)", style or "")
            out[gid] = m.group(1).strip() if m else None
    return out


def test_flows_are_dashed_when_of_low_confidence_only(seed_events):
    """On paper a dash says "low confidence", as the legend's note: supply and
    technology flows (symbol "animated": moving dashes on the page) are solid
    unless of low confidence, as every other flow; then 6 8 px (x 0.75 pt)."""
    ev = seed_events.copy()
    flows = ev.index[ev["kind"].isin(["supply", "deployment"])]
    ev.loc[flows[::2], "confidence"] = "low"  # some of each kind low confidence
    m = EventMap(ev)
    buf = io.BytesIO()
    m.to_image(buf, format="svg", extent=(-80, 30, 140, 62), landscape=True)
    got = _dasharrays(buf.getvalue())
    n, seen = 0, set()
    for data in m._layers:
        for f in data.features:
            if f["shape"] == "flow":
                want = "4.5,6" if f.get("dashed") else None
                assert got[f"em-event-{n}"] == want, (data.spec.key, f.get("dashed"))
                seen.add((data.spec.symbol, bool(f.get("dashed"))))
            n += 1
    assert {("animated", True), ("animated", False), ("flow", True), ("flow", False)} <= seen


def test_a_front_regions_name_stays_on_the_map(seed_map):
    """On a narrow page Kursk Oblast is near the west edge: its name goes east, not off the map."""
    import matplotlib

    from maps.figure.output import RC
    from maps.figure.single import draw_map

    with matplotlib.rc_context(RC):
        fig = draw_map(seed_map, 5.0, 7.0)
        renderer = fig.canvas.get_renderer()
        ax = next(a for a in fig.axes if a.get_gid() == "em-map")
        frame = ax.get_window_extent(renderer)
        names = [t for t in ax.texts if (t.get_gid() or "").startswith("em-area-label-")]
        assert names
        for t in names:
            b = t.get_window_extent(renderer)
            assert frame.x0 <= b.x0 and b.x1 <= frame.x1, t.get_text()


# ------------------------------------------------------------------ long names


def test_a_very_long_source_or_document_name_is_cut_not_an_error(seed_events):
    import dataclasses

    ev = seed_events.copy()
    long_name = "Ministry" + "x" * 10_000  # one unbreakable token
    one = dataclasses.replace(ev["sources"].iloc[0][0], name=long_name)
    ev["sources"] = [[one] for _ in range(len(ev))]  # the one source cited
    ev.attrs = {**seed_events.attrs,
                "documents": [{"id": f"d{i}", "name": f"Report {i} " + "y" * 400}
                              for i in range(40)]}  # fmt: skip
    buf = io.BytesIO()
    EventMap(ev).to_image(buf, format="svg", size="A5")
    svg = buf.getvalue()
    sources = ET.fromstring(svg).find(f".//{SVG}g[@id='em-sources']")
    lines = ["".join(t.itertext()) for t in sources.iter(f"{SVG}text")]
    text = " ".join(lines)
    assert "Ministryxxx" in text and "x" * 300 not in text.replace(" ", "")
    assert "…" in text
    assert len(lines) <= 10
    assert "more" in text


# ------------------------------------------------------------------ facets of nothing


def test_facet_month_without_dates_is_an_input_error(seed_events):
    ev = seed_events.copy()
    ev["date_start"] = pd.NaT
    ev["date_end"] = pd.NaT
    with pytest.raises(InputError, match=r"facet='month': no dated events"):
        EventMap(ev).to_image(io.BytesIO(), format="svg", facet="month", size="A5")


def test_facet_kind_without_layers_is_an_input_error(seed_map, monkeypatch):
    from maps.figure import facets

    monkeypatch.setattr(facets, "_PLACES", tuple(d.spec.key for d in seed_map._layers))
    with pytest.raises(InputError, match=r"facet='kind': no layer"):
        seed_map.to_image(io.BytesIO(), format="svg", facet="kind", size="A5")


# ------------------------------------------------------------------ notices on paper


@pytest.mark.parametrize(
    ("flagged", "flagged_file", "said"),
    [(1, None, "1 event flagged (placed with a doubt)"),
     (3, "out/map.flagged.csv", "3 events flagged (placed with a doubt; listed in map.flagged.csv)")],
)  # fmt: skip
def test_flagged_notice_has_no_popup_on_paper(seed_events, flagged, flagged_file, said):
    ev = seed_events.copy()
    ev.attrs = {**seed_events.attrs, "flagged": [{"id": f"e{i}"} for i in range(flagged)]}
    buf = io.BytesIO()
    EventMap(ev, flagged_file=flagged_file).to_image(buf, format="svg", size="A5")
    text = _flat(_all_text(buf.getvalue()))
    assert said in text
    assert "popup" not in text
