"""Every layer of the map, drawn as the page draws it (maps/js/draw.js and
compact.js): colours, widths and radii come from the features themselves
(:mod:`maps.layers.rich`, sized by :mod:`maps.layers.sizes`); only the page's
stroke and fill opacities, which live in its code, are repeated here.

Areas at the back, lines and flows above them, point symbols in front.
Every event drawn is one artist with gid ``em-event-<n>`` (a flow's
arrowhead is ``em-event-<n>-head``); compact points are one collection per
layer and placement, gid ``em-compact-<layer>-<placed>``, one path per point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from maps.figure.paths import PX, line_path, polygon_path

__all__ = ["Drawn", "draw_layers", "feature_window", "feature_name", "touches", "circle_style"]

# maps/js/draw.js
_FLOW_OPACITY = 0.85
_FLOW_DASH = (6, 8)
_AREA_DEFAULT = {"fillOpacity": 0.15, "weight": 1.5}
_AREA_STROKE_OPACITY = 0.9
# maps/js/compact.js: per placement code (exact, near, region)
_COMPACT_FILL = (0.3, 0.12, 0.0)
_COMPACT_STROKE = (1.5, 1.5, 2.0)
#: Above this many points, a compact collection is a raster image in SVG/PDF.
RASTER_FROM = 20_000

_Z = {"area": 2.0, "line": 3.0, "flow": 3.0, "compact": 4.0, "circle": 5.0}


@dataclass
class Drawn:
    """What a panel drew: events (features and points), and the features
    out of the view (``outside``: layer label → names)."""

    features: int = 0
    points: int = 0
    outside: dict[str, list[str]] = field(default_factory=dict)
    #: Arrowheads (x, y projected, radius pt) and the area labels drawn:
    #: what basemap labels keep clear of.
    marks: list[tuple[float, float, float]] = field(default_factory=list)
    texts: list = field(default_factory=list)
    #: Point symbols (x, y projected, radius pt): a label keeps off their
    #: centres, and is haloed over their bodies.
    centres: list[tuple[float, float, float]] = field(default_factory=list)
    #: Flows and lines drawn (projected geometries, half width in pt): a
    #: label over one is haloed.
    lines: list = field(default_factory=list)
    #: Compact points drawn (projected x, y arrays).
    xy: list = field(default_factory=list)

    def spots(self) -> tuple[np.ndarray, np.ndarray]:
        """Every point symbol, arrowhead and compact point drawn (x, y arrays)."""
        pts = [*self.centres, *self.marks]
        xs = [np.array([p[0] for p in pts])] + [x for x, _ in self.xy]
        ys = [np.array([p[1] for p in pts])] + [y for _, y in self.xy]
        return np.concatenate(xs), np.concatenate(ys)


def _dashes(spec, scale: float = PX):
    if not spec:
        return None
    if isinstance(spec, str):
        spec = [float(v) for v in spec.replace(",", " ").split()]
    return (0, tuple(float(v) * scale for v in spec))


def _rgba(color: str, alpha: float):
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(color)
    return (r, g, b, a * alpha)


def feature_window(f) -> tuple[float | None, float | None]:
    """A feature's first and last millisecond (a bundle: its members')."""
    members = f.get("members") or [f]
    starts = [m.get("start") for m in members if m.get("start") is not None]
    ends = [m.get("end") or m.get("start") for m in members]
    ends = [e for e in ends if e is not None]
    return (min(starts) if starts else None, max(ends) if ends else None)


def _in_window(f, window) -> bool:
    if window is None or f.get("kind") in ("front_region", "source"):
        return True  # places the events point to are context in every panel
    t0, t1 = window
    members = f.get("members") or [f]
    for m in members:
        s = m.get("start")
        if s is None:
            continue
        e = m.get("end") or s
        if s <= t1 and e >= t0:
            return True
    return False


def draw_layers(ax, view, layers, *, options, window=None, keys=None, counter=None,
                inside=None, scale: float = 1.0) -> Drawn:  # fmt: skip
    """Draw ``layers`` (:class:`maps.layers.rich.Layers`) on ``ax``.

    ``options(key)`` gives a layer's area style and flow lane (as
    ``EventMap._build`` gives the page); ``window`` (ms, ms) keeps the events
    overlapping it, ``keys`` the layers named; ``counter`` numbers the gids
    across panels (a one-item list); a feature not touching ``inside`` (a
    polygon in degrees, default the view's) is left out and listed in
    :attr:`Drawn.outside`. ``scale`` multiplies every symbol's size (radii,
    widths, arrowheads, lanes): a small multiple's panel draws them smaller,
    as its legend does.
    """
    counter = counter if counter is not None else [0]
    drawn = Drawn()
    clip = inside if inside is not None else view.clip_box(0.5)
    for data in layers:
        if keys is not None and data.spec.key not in keys:
            continue
        style = options(data.spec.key)
        for f in data.features:
            if not _in_window(f, window):
                continue
            if not touches(f, clip):
                drawn.outside.setdefault(data.spec.label, []).append(feature_name(f))
                continue
            gid = f"em-event-{counter[0]}"
            counter[0] += 1
            shape = f["shape"]
            if shape == "flow":
                _flow(ax, view, f, style, gid, drawn, scale)
            elif shape == "line":
                _line(ax, view, f, gid, scale, drawn)
            elif shape == "area":
                _area(ax, view, f, style, gid, drawn)
            else:
                _circles(ax, view, f, data.spec.symbol == "dot", gid, drawn, scale)
            drawn.features += 1
        for i, c in enumerate(data.compact):
            drawn.points += _compact(ax, view, c, window, f"em-compact-{data.spec.key}-{i}",
                                     scale, drawn)  # fmt: skip
    return drawn


def feature_name(f) -> str:
    return str(f.get("where") or f.get("title") or f.get("id"))


def touches(f, clip) -> bool:
    if f.get("geom") is not None:
        return bool(shapely.intersects(shapely.geometry.shape(f["geom"]), clip))
    pts = np.asarray(f.get("points") or [], dtype=float)
    if not len(pts):
        return False
    return bool(shapely.intersects_xy(clip, pts[:, 1], pts[:, 0]).any())


# ---------------------------------------------------------------------- lines


def _projected_lines(view, geom: dict) -> list[shapely.LineString]:
    g = view.project([shapely.geometry.shape(geom)], clip=False)[0]
    return [p for p in shapely.get_parts(g) if shapely.get_type_id(p) == 1 and p.length > 0]


def _flow(ax, view, f, style, gid, drawn, k: float = 1.0) -> None:
    """A flow beside its route, on the right of its direction of travel,
    in its layer's lane, with an arrowhead at the destination; dashed 6 8 px
    when of low confidence. The page's supply and technology flows move
    ("animated": marching dashes, and shorter ones when of low confidence);
    paper cannot move, and a dash there says "low confidence" as the legend
    does, so they are drawn as any flow: solid unless of low confidence."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    width = float(f.get("width") or 2.5) * k
    offset_px = (float(style.get("lane", 0.0)) + 1.5) * k + width / 2
    offset = offset_px * PX * view.per_pt
    lines = [
        shapely.offset_curve(p, -offset, join_style="round")
        for p in _projected_lines(view, f["geom"])
    ]
    lines = [p for line in lines for p in shapely.get_parts(line) if p.length > 0]
    if not lines:
        return
    xs, ys = [], []
    for line in lines:
        c = shapely.get_coordinates(line)
        xs.extend([*c[:, 0], np.nan])
        ys.extend([*c[:, 1], np.nan])
    dashes = _dashes(_FLOW_DASH if f.get("dashed") else None)
    art = Line2D(
        xs[:-1], ys[:-1], color=f["color"], alpha=_FLOW_OPACITY, linewidth=width * PX,
        solid_capstyle="round", dash_capstyle="round", solid_joinstyle="round",
        zorder=_Z["flow"], gid=gid,
    )  # fmt: skip
    if dashes:
        art.set_linestyle(dashes)
    ax.add_line(art)
    drawn.lines.append((shapely.MultiLineString(lines), width * PX / 2))
    # The arrowhead (draw.js arrowhead / geometry.js arrowHead): a side of
    # 2.2 × width + 6 px (10 to 26), centred on the line's end.
    last = lines[-1]
    side = max(10.0, min(26.0, width / k * 2.2 + 6)) * k * PX * view.per_pt
    end = np.asarray(last.coords[-1])
    back = np.asarray(last.interpolate(max(0.0, last.length - side)).coords[0])
    d = end - back
    norm = math.hypot(*d)
    if norm == 0:
        return
    d /= norm
    n = np.array([-d[1], d[0]])
    icon = np.array([[0, 0], [10, 5], [0, 10], [3, 5]], dtype=float) / 10.0 - 0.5
    pts = end + side * (icon[:, :1] * d + icon[:, 1:] * n)
    ax.add_patch(Polygon(pts, closed=True, facecolor=f["color"], edgecolor="none",
                         zorder=_Z["flow"] + 0.1, gid=f"{gid}-head"))  # fmt: skip
    drawn.marks.append((float(end[0]), float(end[1]), side / view.per_pt / 2))


def _line(ax, view, f, gid, k: float = 1.0, drawn=None) -> None:
    from matplotlib.patches import PathPatch

    lines = _projected_lines(view, f["geom"])
    if not lines:
        return
    patch = PathPatch(
        line_path(shapely.MultiLineString(lines)), facecolor="none", edgecolor=f["color"],
        alpha=_FLOW_OPACITY, linewidth=float(f.get("width") or 2.5) * k * PX, capstyle="round",
        zorder=_Z["line"], gid=gid,
    )  # fmt: skip
    if f.get("dashed"):
        patch.set_linestyle(_dashes(_FLOW_DASH))
    ax.add_patch(patch)
    if drawn is not None:
        drawn.lines.append((shapely.MultiLineString(lines), patch.get_linewidth() / 2))


def _area(ax, view, f, style, gid, drawn) -> None:
    from matplotlib.patches import PathPatch

    geom = view.project([shapely.make_valid(shapely.geometry.shape(f["geom"]))])[0]
    if geom is None or geom.is_empty:
        return
    fill = style.get("fillOpacity", _AREA_DEFAULT["fillOpacity"])
    weight = style.get("weight", _AREA_DEFAULT["weight"])
    dash = style.get("dashArray") or ("4 4" if f.get("dashed") else None)
    patch = PathPatch(
        polygon_path(geom), facecolor=_rgba(f["color"], fill),
        edgecolor=_rgba(f["color"], _AREA_STROKE_OPACITY), linewidth=weight * PX,
        zorder=_Z["area"], gid=gid, joinstyle="round",
    )  # fmt: skip
    if dash:
        patch.set_linestyle(_dashes(dash))
    ax.add_patch(patch)
    if f.get("kind") == "front_region":
        drawn.texts.append(_area_label(ax, view, f, geom))


def _area_label(ax, view, f, geom):
    """A front region's name beside it (west, on a white box: a halo
    would turn the SVG's text into paths): a region a few millimetres
    across on paper is named where it is."""
    name = str(f.get("where") or f["title"].split(" — ")[0])
    x0, y0, x1, y1 = geom.bounds
    t = ax.text(
        x0 - 4 * view.per_pt, (y0 + y1) / 2, name, fontsize=7.5, fontweight="bold",
        color=f["color"], ha="right", va="center", zorder=_Z["circle"] + 0.5,
        parse_math=False, gid=f"em-area-label-{f['id']}",
        bbox={"facecolor": (1, 1, 1, 0.8), "edgecolor": "none", "pad": 1.0},
    )  # fmt: skip
    # Near the map's west edge the name goes east of the region, not off the map.
    renderer = ax.figure.canvas.get_renderer()
    if t.get_window_extent(renderer).x0 < ax.get_window_extent(renderer).x0:
        t.set_x(x1 + 4 * view.per_pt)
        t.set_ha("left")
    return t


# ---------------------------------------------------------------------- points


def circle_style(color: str, placed: str, dashed: bool, dot: bool) -> dict:
    """draw.js circleStyle: filled at the place, lighter near it, a hollow
    dotted ring at a region's centre; dots (statements, sources) white-edged."""
    stroke, weight = ("#ffffff", 2.0) if dot else (color, 1.5)
    fill = 0.95 if dot else 0.3
    dash = "3 3" if dashed else None
    cap = "butt"
    if placed == "near":
        fill = 0.5 if dot else 0.12
    if placed == "region":
        stroke, weight, fill, dash, cap = color, 2.0, 0.0, "2 4", "round"
    return {
        "facecolors": [_rgba(color, fill)],
        "edgecolors": [stroke],
        "linewidths": [weight * PX],
        "linestyles": [_dashes(dash) or "solid"],
        "capstyle": cap,
    }


def _circles(ax, view, f, dot: bool, gid, drawn, k: float = 1.0) -> None:
    pts = np.asarray(f["points"], dtype=float)
    x, y = view.forward(pts[:, 1], pts[:, 0])
    radius = float(f.get("radius") or 6.0) * k * PX
    style = circle_style(f["color"], f.get("placed") or "exact", bool(f.get("dashed")), dot)
    cap = style.pop("capstyle")
    coll = ax.scatter(x, y, s=(2 * radius) ** 2, marker="o", zorder=_Z["circle"], gid=gid,
                      **style)  # fmt: skip
    coll.set_capstyle(cap)
    drawn.centres.extend((float(a), float(b), radius) for a, b in zip(x, y, strict=True))


def _compact(ax, view, c, window, gid, k: float = 1.0, drawn=None) -> int:
    frame = c.frame
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    keep = np.isfinite(lon) & np.isfinite(lat)
    if window is not None:
        start = frame["date_start"]
        end = frame["date_end"].fillna(start)
        s = start.to_numpy(dtype="datetime64[ms]").astype("int64")
        e = end.to_numpy(dtype="datetime64[ms]").astype("int64") + 86_400_000 - 1
        keep &= start.notna().to_numpy() & (s <= window[1]) & (e >= window[0])
    n = 0
    x, y = view.forward(lon, lat)
    if drawn is not None:
        drawn.xy.append((x[keep], y[keep]))
    for code, placed in enumerate(("exact", "near", "region")):
        at = keep & (c.placed == code)
        if not at.any():
            continue
        r = np.asarray(c.radius, dtype=float)[at] * k * PX
        # Bigger first, so small ones stay on top, as the page sorts them.
        order = np.lexsort((np.flatnonzero(at), -r))
        dash = _dashes((2, 4)) if placed == "region" else "solid"
        coll = ax.scatter(
            x[at][order], y[at][order], s=(2 * r[order]) ** 2, marker="o",
            facecolors=[_rgba(c.spec.color, _COMPACT_FILL[code])],
            edgecolors=[c.spec.color], linewidths=[_COMPACT_STROKE[code] * PX],
            linestyles=[dash], zorder=_Z["compact"], gid=f"{gid}-{placed}",
            rasterized=bool(at.sum() > RASTER_FROM),
        )  # fmt: skip
        coll.set_capstyle("round" if placed == "region" else "butt")
        n += int(at.sum())
    return n
