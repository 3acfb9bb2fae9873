"""The figure's basemap: the page's embedded one (:func:`maps.basemap.basemap_layers`),
in the page's colours: sea, land and borders, admin-1 borders, and the labels
that fit at the figure's scale, none over another."""

from __future__ import annotations

import shapely

from maps.basemap import basemap_layers
from maps.figure.paths import PX, line_path, polygon_path

__all__ = ["Basemap", "SEA"]

#: The page's sea (maps/js/eventmap.css, ``.em-offline``).
SEA = "#cfdde7"

#: Label styles as maps/js/css/basemap.css draws them (px → pt).
_LABEL = {
    "country": {"fontsize": 12 * PX, "color": "#4d4942"},
    "region": {"fontsize": 10 * PX, "color": "#8a8377", "fontstyle": "italic"},
    "city": {"fontsize": 10.5 * PX, "color": "#2f2d29"},
    "town": {"fontsize": 9.5 * PX, "color": "#2f2d29"},
}
_DOT = {"city": "#5d584f", "town": "#ffffff"}
#: A haloed label sits over the flows and symbols (maps.figure.symbols: up to 5).
_Z_HALO = 6.0


def _dash(spec: str | None, scale: float = PX):
    """A CSS dash array (``"3 2"`` px) as matplotlib's (offset, points) dashes."""
    if not spec:
        return "solid"
    return (0, tuple(float(v) * scale for v in spec.replace(",", " ").split()))


class Basemap:
    """The basemap of one map's events: built once, drawn in each panel."""

    def __init__(self, frame, view):
        layers, styles, labels = basemap_layers(frame)
        self.styles = styles
        self.labels = labels
        self.geoms = []
        for layer in layers:
            geoms = [shapely.geometry.shape(f["geometry"]) for f in layer["features"]]
            geoms = shapely.make_valid(geoms) if geoms else []
            self.geoms.append(view.project(geoms) if len(geoms) else [])

    def draw(self, ax, view) -> None:
        """Sea, land, borders and admin-1 borders."""
        from matplotlib.patches import PathPatch

        ax.set_facecolor(SEA)
        land, regions = self.styles
        countries, admin1 = self.geoms
        for geom in countries:
            if geom is None or geom.is_empty:
                continue
            ax.add_patch(PathPatch(
                polygon_path(geom), facecolor=land["fillColor"], edgecolor=land["color"],
                linewidth=land["weight"] * PX, zorder=0.5, joinstyle="round",
            ))  # fmt: skip
        for geom in admin1:
            if geom is None or geom.is_empty:
                continue
            ax.add_patch(PathPatch(
                line_path(shapely.boundary(geom)), facecolor="none", edgecolor=regions["color"],
                linewidth=regions["weight"] * PX, linestyle=_dash(regions.get("dashArray")),
                zorder=0.6,
            ))  # fmt: skip

    def draw_labels(self, ax, view, drawn=None, boxes=(), levels=None, named=()) -> None:
        """The page's labels from the zoom it would show this scale at.

        Placed in priority order: big countries, then capitals and the
        places the events name (``named``, lower-case names), then the rest
        (countries first, bigger places first). Each tries its spots in turn
        (a town: right, left, above, below, then the diagonals; a country:
        its point, then above, below, left or right of it while its middle
        stays inside the country) and is left out when none is free: clear of
        the labels already placed, the scale bar and panel tags (``boxes``),
        arrowheads, the data's own names and every symbol's centre. A label
        over a flow, a line or a symbol's body gets a white halo (a box: a
        stroked halo would turn the SVG's text into paths). Towns may show a
        zoom earlier than on the page (paper is read closer than a screen),
        but a dense area (the cities of north-east China beside Korea) is
        thinned: a town or city neither a capital nor named keeps a margin
        of its type size from other labels.
        """
        from matplotlib.transforms import Bbox, offset_copy

        fig = ax.figure
        renderer = fig.canvas.get_renderer()
        zoom = view.zoom()
        frame = ax.get_window_extent(renderer)
        k = fig.dpi / 72
        hard = list(boxes)  # what a label's text keeps off
        labels = list(boxes)  # the labels placed (and boxes): what a label and its dot keep off
        soft: list = []  # symbol bodies and lines, display units: haloed over
        named = {str(n).lower() for n in named}
        if drawn is not None:
            hard.extend(t.get_window_extent(renderer) for t in drawn.texts)
            # Arrowheads are part of their flows: a label may sit over one
            # (haloed), not over its point, the destination.
            for x, y, r in [*drawn.centres, *drawn.marks]:
                cx, cy = ax.transData.transform((x, y))
                c = min(r, 2.5) * k
                hard.append(Bbox([[cx - c, cy - c], [cx + c, cy + c]]))
                soft.append(shapely.Point(cx, cy).buffer(r * k, quad_segs=4))
            for geom, half in drawn.lines:
                line = shapely.transform(geom, lambda c: ax.transData.transform(c))
                soft.append(line.buffer(max(half, 1.0) * k, quad_segs=2))
        soft_tree = shapely.STRtree(soft) if soft else None
        ahead = {"country": 0.25, "region": 0.25, "city": 1.5, "town": 0.5}
        todo = [d for d in self.labels if d["zoom"] <= zoom + ahead[d["level"]]
                and (levels is None or d["level"] in levels)]  # fmt: skip
        if not todo:
            return

        def rank(item):
            i, d = item
            if d["level"] == "country" and d["zoom"] == 0:
                return (0, i)
            if d["level"] in ("city", "town") and (d["zoom"] <= 4 or d["text"].lower() in named):
                return (1, i)  # capitals (zoom 4 whatever their size) and the events' places
            return (2, i)

        todo = [d for _, d in sorted(enumerate(todo), key=rank)]
        x, y = view.forward([d["lon"] for d in todo], [d["lat"] for d in todo])
        xmin, xmax = view.xlim
        ymin, ymax = view.ylim
        countries = [g for g in self.geoms[0] if g is not None and not g.is_empty]
        for d, px, py in zip(todo, x.tolist(), y.tolist(), strict=True):
            if not (xmin < px < xmax and ymin < py < ymax):
                continue
            level = d["level"]
            style = _LABEL[level]
            town = level in ("city", "town")
            t = ax.text(px, py, d["text"], parse_math=False, zorder=1.5, va="center",
                        ha="left" if town else "center", **style)  # fmt: skip
            if town:
                tries = [(5.5, 0, "left", "center"), (-5.5, 0, "right", "center"),
                         (0, 5, "center", "bottom"), (0, -5, "center", "top"),
                         (4, 4, "left", "bottom"), (-4, 4, "right", "bottom"),
                         (4, -4, "left", "top"), (-4, -4, "right", "top")]  # fmt: skip
                home = None
            else:
                h = style["fontsize"] * 1.1
                tries = [(dx, dy, "center", "center") for dx, dy in _country_steps(h)]
                # A country's name moved off its point must stay in the
                # country: Moldova's moved would name Ukraine.
                home = next((g for g in countries if level == "country"
                             and shapely.contains_xy(g, px, py)), None)  # fmt: skip
                if home is None:
                    tries = tries[:1]
            # Thinning: a town, or a city neither a capital nor named by the
            # events, keeps clear of other labels by its type size.
            minor = town and rank((0, d))[0] == 2
            margin = style["fontsize"] * k if minor else 0.0
            box = halo = None
            for dx, dy, ha, va in tries:
                t.set_ha(ha)
                t.set_va(va)
                t.set_transform(offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points"))
                b = t.get_window_extent(renderer).expanded(1.08, 1.2)
                text = b
                if town:
                    b = Bbox.union([b, _dot_box(ax, px, py, renderer)])
                inside = (b.x0 >= frame.x0 and b.x1 <= frame.x1
                          and b.y0 >= frame.y0 and b.y1 <= frame.y1)  # fmt: skip
                if not inside:
                    continue
                clear = b if not margin else Bbox(
                    [[b.x0 - margin, b.y0 - margin], [b.x1 + margin, b.y1 + margin]])  # fmt: skip
                # A town's own dot may sit under the symbol of an event there.
                if any(clear.overlaps(o) for o in labels) or any(
                        text.overlaps(o) for o in hard):  # fmt: skip
                    continue
                if home is not None and (dx or dy):
                    mid = ax.transData.inverted().transform(((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2))
                    if not shapely.contains_xy(home, *mid):
                        continue
                box = b
                rect = shapely.box(b.x0, b.y0, b.x1, b.y1)
                halo = soft_tree is not None and len(soft_tree.query(rect, "intersects")) > 0
                break
            if box is None:
                t.remove()
                continue
            labels.append(box)
            if halo:
                t.set_bbox({"facecolor": (1, 1, 1, 0.75), "edgecolor": "none", "pad": 0.6,
                            "boxstyle": "round,pad=0.15"})  # fmt: skip
                t.set_zorder(_Z_HALO)
            if town:
                ax.plot(
                    [px], [py], marker="o", markersize=5 * PX, color=_DOT[level],
                    markeredgecolor="#5d584f", markeredgewidth=1 * PX, zorder=1.5,
                    linestyle="none",
                )  # fmt: skip


def _country_steps(h: float) -> list[tuple[float, float]]:
    """Where a country's name may go, nearest its point first: a grid of
    line steps, up to 4 lines across and 2 up or down (the name's middle
    must stay inside the country)."""
    grid = [(i * h, j * h) for i in range(-4, 5) for j in range(-2, 3)]
    return sorted(grid, key=lambda p: (p[0] / 2) ** 2 + p[1] ** 2)


def _dot_box(ax, x, y, renderer):
    from matplotlib.transforms import Bbox

    cx, cy = ax.transData.transform((x, y))
    r = 3 * ax.figure.dpi / 72
    return Bbox([[cx - r, cy - r], [cx + r, cy + r]])
