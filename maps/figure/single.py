"""One map on one page: title and subtitle on top, the map, the legend
beside it (landscape) or below it (portrait), the sources line at the foot.

The layout is worked out in points from the paper's size, so that an A5
page gets the same furniture as an A4 one, smaller, and nothing is placed
over the map but the scale bar (in its own white box).
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from geo import InputError
from maps.figure.background import Basemap
from maps.figure.furniture import draw_lines, draw_scale_bar, source_lines, texts_of, wrapped
from maps.figure.legend import MUTED, draw_columns, legend_blocks, pack
from maps.figure.projection import View, default_extent
from maps.figure.symbols import draw_layers

__all__ = [
    "draw_map",
    "extent_polygon",
    "outside_notes",
    "Layout",
    "layout",
    "layer_options",
    "named_places",
    "new_figure",
    "projection_name",
]

_NOTICE = "#a3290f"


def layer_options(emap):
    """A layer's style as the page gets it (``EventMap._build``): area style, lane."""
    from maps.style import AREA_STYLE, GENERIC_AREA

    generic = bool(emap._attrs.get("generic"))

    def options(key: str) -> dict:
        return {"lane": emap._lane(key),
                **AREA_STYLE.get(key, GENERIC_AREA if generic else {})}  # fmt: skip

    return options


def new_figure(width: float, height: float):
    """A figure of ``width`` × ``height`` inches, on the Agg canvas (no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def projection_name(view) -> str:
    lat, lon = view.lat0, view.lon0
    where = f"{abs(lat):.0f}°{'N' if lat >= 0 else 'S'} {abs(lon):.0f}°{'E' if lon >= 0 else 'W'}"
    if "eqearth" in view.proj:
        return f"Equal Earth projection centred on {where.split()[1]}"
    if "aea" in view.proj:
        return f"Albers equal-area conic projection centred on {where}"
    return f"Lambert azimuthal equal-area projection centred on {where}"


@dataclass
class Layout:
    """Where things go, in points from the paper's top left."""

    W: float
    H: float
    margin: float
    scale: float  # type size relative to A4
    top: float  # where the map's area starts (below the title block)
    bottom: float  # where it ends (above the sources line)
    side: bool  # legend beside the map (else below)


def layout(W: float, H: float, title_lines: int, sub_lines: int, notice_lines: int,
           source_lines: int, scale: float) -> Layout:  # fmt: skip
    m = 26 * scale
    top = m + (16 * 1.2 * title_lines + 9 * 1.2 * sub_lines + 8 * 1.2 * notice_lines) * scale
    top += 8 * scale
    bottom = H - m - 6.2 * 1.2 * source_lines * scale - 6 * scale
    return Layout(W, H, m, scale, top, bottom, side=W / H >= 1.15)


def _type_scale(W: float, H: float) -> float:
    """Type and margins relative to A4 (595 × 842 pt): smaller on A5, never below 0.75."""
    return max(0.75, min(1.15, (min(W, H) / 595.0) ** 0.5))


def furniture(fig, emap, view_name: str, W: float, H: float, *, extra_notes=(), gid=None):
    """Title block, sources line and the legend's blocks, once per figure:
    returns (Layout, legend blocks builder)."""
    scale = _type_scale(W, H)
    texts = texts_of(emap, projection=view_name)
    m = 26 * scale
    width = W - 2 * m
    title = wrapped(texts.title, width, 16 * scale)
    sub = wrapped(texts.subtitle, width, 9 * scale)
    notes = [ln for n in texts.notices for ln in wrapped(n, width, 8 * scale)]
    sources = source_lines(texts, width, 6.2 * scale)
    lay = layout(W, H, len(title), len(sub), len(notes), len(sources), scale)
    y = m
    y += draw_lines(fig, m, y, title, 16 * scale, weight="bold", gid="em-title")
    y += draw_lines(fig, m, y, sub, 9 * scale, color=MUTED, gid="em-subtitle")
    draw_lines(fig, m, y, notes, 8 * scale, color=_NOTICE, gid="em-notices")
    draw_lines(fig, m, H - m - 6.2 * 1.2 * len(sources) * scale, sources, 6.2 * scale,
               color=MUTED, gid="em-sources")  # fmt: skip
    return lay


def place_legend(fig, emap, lay: Layout, *, extra_notes=(), aspect=None, scale=1.0, draw=True):
    """Draw the legend beside the map or below it, whichever leaves the
    data (``aspect``: its projected width / height) drawn larger; return the
    map's area (x, y, w, h in points from the top left). ``scale`` sizes the
    size scales' samples as the map draws its symbols; ``draw=False`` only
    works out the area."""
    if aspect is not None:

        def room(side: bool) -> float:
            lay.side = side
            _, _, w, h = _legend_layout(emap, lay, extra_notes, scale)[0]
            return min(w / aspect, h)

        lay.side = room(True) >= room(False)
    area, drawer = _legend_layout(emap, lay, extra_notes, scale)
    check_room(lay, area)
    if draw:
        drawer(fig)
    return area


#: The least a map may get of the paper: each side (points, 50 mm) and its area.
MIN_MAP_PT = 50 / 25.4 * 72
MIN_MAP_SHARE = 0.25


def check_room(lay: Layout, area) -> None:
    """An InputError when the title, legend and sources leave the map too little paper."""
    _, _, w, h = area
    if w >= MIN_MAP_PT and h >= MIN_MAP_PT and w * h >= MIN_MAP_SHARE * lay.W * lay.H:
        return
    mm = 25.4 / 72
    raise InputError(
        f"size: {lay.W * mm:.0f} × {lay.H * mm:.0f} mm leaves this map "
        f"{max(w, 0) * mm:.0f} × {max(h, 0) * mm:.0f} mm beside its title, legend and sources "
        f"(at least 50 × 50 mm and a quarter of the page); use a larger --size"
    )


def _legend_layout(emap, lay: Layout, extra_notes, scale=1.0):
    block = emap._legend()
    s = lay.scale
    area_w = lay.W - 2 * lay.margin
    area_h = lay.bottom - lay.top
    gap = 14 * s
    if lay.side:
        col_w = min(max(0.24 * lay.W, 150 * s), 200 * s)
        for size in (7.5, 7.0, 6.5, 6.0):
            blocks = legend_blocks(block, col_w, size=size * s, extra=list(extra_notes),
                                   scale=scale)  # fmt: skip
            cols = pack(blocks, 1)
            if sum(b.height for b in cols[0]) <= area_h:
                break
        else:
            cols = pack(blocks, 2)
        n = len(cols)
        lw = n * col_w + (n - 1) * gap
        lh = max(sum(b.height for b in c) for c in cols)
        x = lay.W - lay.margin - lw
        return (lay.margin, lay.top, area_w - lw - gap, area_h), lambda fig: _legend_axes(
            fig, lay, x, lay.top, lw, min(lh, area_h), cols, col_w, gap
        )
    n = 3 if area_w >= 420 * s else 2
    col_w = (area_w - (n - 1) * gap) / n
    blocks = legend_blocks(block, col_w, size=7.0 * s, extra=list(extra_notes), scale=scale)
    cols = pack(blocks, n)
    lh = max(sum(b.height for b in c) for c in cols)
    y = lay.bottom - lh
    return (lay.margin, lay.top, area_w, y - gap - lay.top), lambda fig: _legend_axes(
        fig, lay, lay.margin, y, area_w, lh, cols, col_w, gap
    )


def _legend_axes(fig, lay, x, y, w, h, cols, col_w, gap) -> None:
    ax = fig.add_axes(
        (x / lay.W, 1 - (y + h) / lay.H, w / lay.W, h / lay.H), gid="em-legend"
    )  # fmt: skip
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    draw_columns(ax, cols, col_w, gap)


def map_axes(fig, lay: Layout, x, y, w, h, gid="em-map"):
    ax = fig.add_axes((x / lay.W, 1 - (y + h) / lay.H, w / lay.W, h / lay.H), gid=gid)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_edgecolor("#8a8377")
    return ax


def draw_map(emap, width: float, height: float, *, extent=None):
    """The figure of ``emap`` on paper ``width`` × ``height`` inches."""
    W, H = width * 72, height * 72
    fig = new_figure(width, height)
    box = extent or default_extent(emap._bounds())
    # The map's shape depends on the legend, the legend's notes on what the
    # view leaves out: a first view of the whole area finds those.
    inside = extent_polygon(box)
    outside = outside_notes(emap, inside)
    probe = View(box, 400.0, 300.0)
    lay = furniture(fig, emap, projection_name(probe), W, H)
    x, y, w, h = place_legend(fig, emap, lay, extra_notes=outside, aspect=probe.aspect)
    view = View(box, w, h)
    ax = map_axes(fig, lay, x, y, w, h)
    ax.set_xlim(*view.xlim)
    ax.set_ylim(*view.ylim)
    ax.set_aspect("equal", adjustable="box")
    base = Basemap(emap._frame, view)
    base.draw(ax, view)
    drawn = draw_layers(ax, view, emap._layers, options=layer_options(emap), inside=inside)
    bar = draw_scale_bar(ax, view, size=7 * lay.scale, avoid=drawn.spots())
    base.draw_labels(ax, view, drawn, boxes=[bar.get_window_extent(fig.canvas.get_renderer())],
                     named=named_places(emap))  # fmt: skip
    return fig


def named_places(emap) -> set[str]:
    """The places the events name (lower case, a name's first part:
    'pyongyang' of 'Pyongyang, North Korea'): their labels go first."""
    out: set[str] = set()
    frame = emap._frame
    if "places" not in frame:
        return out
    for places in frame["places"].tolist():
        for p in places if isinstance(places, list | tuple) else ():
            for name in (getattr(p, "name", None), getattr(p, "query", None)):
                if name:
                    out.add(str(name).split(",")[0].strip().lower())
    return out


def extent_polygon(box) -> shapely.Polygon:
    """What a map draws: the features touching its extent (half a degree more)."""
    return shapely.box(*box).buffer(0.5, join_style="mitre")


def outside_notes(emap, inside) -> list[str]:
    """Notes on the layers' features the map leaves out (sources abroad)."""
    from maps.figure.symbols import feature_name, touches

    clip = inside
    out: dict[str, list[str]] = {}
    for data in emap._layers:
        for f in data.features:
            if not touches(f, clip):
                out.setdefault(data.spec.label, []).append(feature_name(f))
    return [f"Outside the map: {label}: {', '.join(dict.fromkeys(names))}."
            for label, names in out.items()]  # fmt: skip
