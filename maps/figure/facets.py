"""Small multiples: one panel per month, or per kind (layer), in a grid.

The panels share one extent, one projection and the map's size scales (the
features are sized once for the whole map, :mod:`maps.layers.sizes`), so a
circle means the same figure in every panel; the figure has one title
block, one legend and one sources line. A month's panel shows the events
overlapping it (as the page's time filter does); places the events point to
(front regions, sources) are context in every panel.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd

from geo import InputError
from maps.figure.background import Basemap
from maps.figure.furniture import CORNERS, bar_covers, draw_scale_bar
from maps.figure.projection import View, default_extent
from maps.figure.single import (
    extent_polygon,
    furniture,
    layer_options,
    map_axes,
    new_figure,
    outside_notes,
    place_legend,
    projection_name,
)
from maps.figure.symbols import draw_layers
from maps.labels import month_label

__all__ = ["draw_facets", "panels_of", "grid_for", "symbol_scale", "MAX_PANELS"]

#: The most panels a figure draws; beyond, it says so (and warns).
MAX_PANELS = 24
_PLACES = ("sources",)  # layers that are not events: no panel of their own


def panels_of(emap, by: str) -> tuple[list[dict], list[str]]:
    """The panels (``label``, ``window`` ms or None, ``keys`` or None) and notes."""
    frame = emap._frame
    notes: list[str] = []
    if by == "kind":
        panels = [
            {"label": f"{d.spec.label} · {len(d):,}", "window": None, "keys": {d.spec.key}}
            for d in emap._layers
            if d.spec.key not in _PLACES
        ]
        if not panels:
            raise InputError("facet='kind': no layer of events to draw a panel of; drop --facet")
    else:
        start = frame["date_start"]
        end = frame["date_end"].fillna(start)
        dated = start.notna()
        undated = int((~dated).sum())
        if undated:
            notes.append(f"{undated:,} undated events are in no panel.")
        if not dated.any():
            raise InputError(
                f"facet='month': no dated events (all {undated:,} are undated), so no month to "
                "draw; drop --facet or use --facet kind"
            )
        months = pd.period_range(start[dated].min(), end[dated].max(), freq="M")
        s = start[dated].to_numpy(dtype="datetime64[D]")
        e = end[dated].to_numpy(dtype="datetime64[D]")
        panels = []
        for p in months:
            t0, t1 = p.start_time, p.end_time.floor("ms")
            n = int(((s <= t1.to_datetime64()) & (e >= t0.normalize().to_datetime64())).sum())
            panels.append({
                "label": f"{month_label(t0, short=True)} · {n:,}",
                "window": (int(t0.value // 1_000_000), int(t1.value // 1_000_000)),
                "keys": None,
            })  # fmt: skip
    if len(panels) > MAX_PANELS:
        what = "months" if by == "month" else "kinds"
        cut = f"Only the first {MAX_PANELS} of {len(panels)} {what} are drawn."
        warnings.warn(cut, stacklevel=_caller_level())
        notes.append(cut + " Select a shorter time (--time) or fewer kinds for the rest.")
        panels = panels[:MAX_PANELS]
    return panels, notes


def _caller_level() -> int:
    """The stack level of the first frame outside the package: a warning
    names the caller's line (``m.to_image(...)``), not one of ours."""
    import inspect

    here = inspect.currentframe()
    frame, level = (here.f_back if here is not None else None), 1
    del here  # no reference cycle through this frame
    while frame is not None and frame.f_globals.get("__name__", "").startswith("maps."):
        frame, level = frame.f_back, level + 1
    return level


#: The least a panel's symbols are scaled (a 24-panel grid's would vanish).
MIN_SYMBOL_SCALE = 0.3


def symbol_scale(aspect: float, whole, panel) -> float:
    """How much smaller a panel draws its symbols than a single map on the
    same paper: the data's drawn size in a panel against in the whole area
    (``whole``, ``panel``: width, height in points), at most 1."""
    one = min(whole[0], whole[1] * aspect)
    each = min(panel[0], panel[1] * aspect)
    return round(max(MIN_SYMBOL_SCALE, min(1.0, each / one)), 3)


def grid_for(n: int, width: float, height: float, aspect: float, gap: float) -> tuple[int, int]:
    """Columns and rows for ``n`` panels of the data's ``aspect`` (w / h) in
    ``width`` × ``height`` points: the grid where each panel is largest."""
    best, size = (1, n), -1.0
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        w = (width - (cols - 1) * gap) / cols
        h = (height - (rows - 1) * gap) / rows
        if w <= 0 or h <= 0:
            continue
        s = min(w, h * aspect)
        if s > size + 1e-9:
            best, size = (cols, rows), s
    return best


def draw_facets(emap, width: float, height: float, *, extent=None, by: str = "month"):
    """Small multiples of ``emap`` on paper ``width`` × ``height`` inches."""
    W, H = width * 72, height * 72
    fig = new_figure(width, height)
    box = extent or default_extent(emap._bounds())
    inside = extent_polygon(box)
    probe = View(box, 400.0, 300.0)
    panels, notes = panels_of(emap, by)
    lay = furniture(fig, emap, projection_name(probe), W, H)
    extra = outside_notes(emap, inside) + notes
    gap = 8 * lay.scale
    label_h = 0.0
    # The panels' symbols are drawn smaller than a single map's, by the
    # panel's size against the map's (which the legend's samples follow, so
    # the legend, a little shorter with them, is laid out twice).
    x, y, w, h = place_legend(fig, emap, lay, extra_notes=extra, draw=False)
    k = 1.0
    for _ in range(2):
        cols, rows = grid_for(len(panels), w, h, probe.aspect, gap)
        pw = (w - (cols - 1) * gap) / cols
        ph = (h - (rows - 1) * gap) / rows - label_h
        k = symbol_scale(probe.aspect, (w, h), (pw, ph))
        x, y, w, h = place_legend(fig, emap, lay, extra_notes=extra, scale=k, draw=False)
    place_legend(fig, emap, lay, extra_notes=extra, scale=k)
    cols, rows = grid_for(len(panels), w, h, probe.aspect, gap)
    pw = (w - (cols - 1) * gap) / cols
    ph = (h - (rows - 1) * gap) / rows - label_h
    view = View(box, pw, ph)
    base = Basemap(emap._frame, view)
    options = layer_options(emap)
    counter = [0]
    tags, done = [], []
    for i, panel in enumerate(panels):
        r, c = divmod(i, cols)
        px = x + c * (pw + gap)
        py = y + r * (ph + label_h + gap)
        ax = map_axes(fig, lay, px, py, pw, ph, gid=f"em-panel-{i}")
        ax.set_xlim(*view.xlim)
        ax.set_ylim(*view.ylim)
        ax.set_aspect("equal", adjustable="box")
        base.draw(ax, view)
        drawn = draw_layers(
            ax, view, emap._layers, options=options, window=panel["window"],
            keys=panel["keys"], counter=counter, inside=inside, scale=k,
        )  # fmt: skip
        tag = ax.text(
            0.02, 0.97, panel["label"], transform=ax.transAxes, ha="left", va="top",
            fontsize=8 * lay.scale, fontweight="bold", color="#1a1a1a", zorder=10,
            parse_math=False, gid=f"em-panel-label-{i}",
            bbox={"facecolor": (1, 1, 1, 0.85), "edgecolor": "none", "pad": 1.5},
        )  # fmt: skip
        pad = 3 * lay.scale * fig.dpi / 72  # a name never reads as part of the tag
        tags.append(tag.get_window_extent(fig.canvas.get_renderer()).padded(pad))
        done.append((ax, drawn))
    # One scale bar, where it hides the fewest symbols: the panel and corner
    # (not the tag's, top left) whose box covers least.
    corners = CORNERS[:3]
    spots = [d.spots() for _, d in done]
    at, corner = min(((i, c) for i in range(len(done)) for c in corners),
                     key=lambda ic: bar_covers(view, spots[ic[0]], ic[1]))  # fmt: skip
    for i, (ax, drawn) in enumerate(done):
        boxes = [tags[i]]
        if i == at:
            bar = draw_scale_bar(ax, view, size=6.5 * lay.scale, avoid=spots[i],
                                 corners=(corner,))  # fmt: skip
            boxes.append(bar.get_window_extent(fig.canvas.get_renderer()))
        base.draw_labels(ax, view, drawn, boxes=boxes, levels=("country",))
    return fig
