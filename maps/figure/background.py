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

    def draw_labels(self, ax, view, drawn=None, boxes=(), levels=None) -> None:
        """The page's labels from the zoom it would show this scale at, placed
        in its order (countries first, bigger places first); a label that
        would touch one already placed, a symbol or a name of the data
        (``drawn``, :class:`maps.figure.symbols.Drawn`), or leave the frame,
        is left out. Towns may show a zoom earlier than on the page: paper
        is read closer than a screen."""
        from matplotlib.transforms import Bbox

        fig = ax.figure
        renderer = fig.canvas.get_renderer()
        zoom = view.zoom()
        frame = ax.get_window_extent(renderer)
        placed = list(boxes)
        if drawn is not None:
            k = fig.dpi / 72
            for x, y, r in drawn.marks:
                cx, cy = ax.transData.transform((x, y))
                placed.append(Bbox([[cx - r * k, cy - r * k], [cx + r * k, cy + r * k]]))
            placed.extend(t.get_window_extent(renderer) for t in drawn.texts)
        ahead = {"country": 0.25, "region": 0.25, "city": 1.5, "town": 0.5}
        todo = [d for d in self.labels if d["zoom"] <= zoom + ahead[d["level"]]
                and (levels is None or d["level"] in levels)]  # fmt: skip
        if not todo:
            return
        x, y = view.forward([d["lon"] for d in todo], [d["lat"] for d in todo])
        xmin, xmax = view.xlim
        ymin, ymax = view.ylim
        for d, px, py in zip(todo, x.tolist(), y.tolist(), strict=True):
            if not (xmin < px < xmax and ymin < py < ymax):
                continue
            level = d["level"]
            style = _LABEL[level]
            town = level in ("city", "town")
            t = ax.text(px, py, d["text"], parse_math=False, zorder=1.5, va="center",
                        ha="left" if town else "center", **style)  # fmt: skip
            from matplotlib.transforms import offset_copy

            # Where a name may go: a town's right of its dot, or left; a
            # country's on its point, a big one's (named at every zoom) also
            # a line above or below it, still well inside it. A small
            # country's name moved off its point would name its neighbour.
            if town:
                tries = [(5.5, 0, "left"), (-5.5, 0, "right")]
            elif level == "country" and d["zoom"] == 0:
                tries = [(0, 0, "center"), (0, -11, "center"), (0, 11, "center")]
            else:
                tries = [(0, 0, "center")]
            box = None
            for dx, dy, ha in tries:
                t.set_ha(ha)
                t.set_transform(offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points"))
                b = t.get_window_extent(renderer).expanded(1.08, 1.2)
                if town:
                    b = Bbox.union([b, _dot_box(ax, px, py, renderer)])
                inside = (b.x0 >= frame.x0 and b.x1 <= frame.x1
                          and b.y0 >= frame.y0 and b.y1 <= frame.y1)  # fmt: skip
                if inside and not any(b.overlaps(o) for o in placed):
                    box = b
                    break
            if box is None:
                t.remove()
                continue
            placed.append(box)
            if town:
                ax.plot(
                    [px], [py], marker="o", markersize=5 * PX, color=_DOT[level],
                    markeredgecolor="#5d584f", markeredgewidth=1 * PX, zorder=1.5,
                    linestyle="none",
                )  # fmt: skip


def _dot_box(ax, x, y, renderer):
    from matplotlib.transforms import Bbox

    cx, cy = ax.transData.transform((x, y))
    r = 3 * ax.figure.dpi / 72
    return Bbox([[cx - r, cy - r], [cx + r, cy + r]])
