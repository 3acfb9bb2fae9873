"""The figure's projection: equal-area, centred on the area drawn.

A printed map of a region is read for distances and sizes; Web Mercator (the
page's) doubles areas at 60°N against 40°N. The figure uses an equal-area
projection centred on the extent: Albers' conic for a view wider than 25°
off the equator (Kursk to Vladivostok), Lambert's azimuthal otherwise, or
Equal Earth for a view of half the world or more. The scale bar is worked
out at the centre (:meth:`View.scale_bar`). Geometry is clipped to the view
(plus a margin) in degrees *before* it is projected, so no far-away country
is stretched across the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

__all__ = ["View", "default_extent", "nice_length"]

_GEOD = Geod(ellps="WGS84")
#: The world, when nothing gives an extent.
_WORLD = (-180.0, -60.0, 180.0, 80.0)


def default_extent(bounds) -> tuple[float, float, float, float]:
    """The page's fitted bounds ``[[S, W], [N, E]]`` (``EventMap._bounds``),
    padded by 6 % a side and to at least 2° across (a single place)."""
    if not bounds:
        return _WORLD
    (s, w), (n, e) = bounds
    cx, cy = (w + e) / 2, (s + n) / 2
    half_x = max((e - w) / 2 * 1.12, 1.0)
    half_y = max((n - s) / 2 * 1.12, 1.0)
    return (
        max(-180.0, cx - half_x), max(-85.0, cy - half_y),
        min(180.0, cx + half_x), min(85.0, cy + half_y),
    )  # fmt: skip


def nice_length(limit_m: float) -> float:
    """The largest 1, 2 or 5 × 10^k metres not above ``limit_m``."""
    mag = 10 ** math.floor(math.log10(limit_m))
    return max(s * mag for s in (1, 2, 5) if s * mag <= limit_m)


@dataclass
class View:
    """A view of ``extent`` (west, south, east, north, degrees) in a map
    frame of ``width`` × ``height`` points: the projection, and the frame's
    limits in projected metres (the extent, widened to fill the frame)."""

    extent: tuple[float, float, float, float]
    width: float
    height: float

    def __post_init__(self) -> None:
        w, s, e, n = self.extent
        self.lon0, self.lat0 = (w + e) / 2, (s + n) / 2
        if e - w > 150 or n - s > 100:
            proj = f"+proj=eqearth +lon_0={self.lon0:.4f} +datum=WGS84 +units=m +no_defs"
        elif e - w > 25 and (s >= 5 or n <= -5):
            # Wide and off the equator: a conic keeps the parallels flatter
            # than an azimuthal view would (standard parallels at 1/6, 5/6).
            lat1, lat2 = s + (n - s) / 6, n - (n - s) / 6
            proj = (
                f"+proj=aea +lat_1={lat1:.4f} +lat_2={lat2:.4f} +lat_0={self.lat0:.4f} "
                f"+lon_0={self.lon0:.4f} +datum=WGS84 +units=m +no_defs"
            )
        else:
            proj = (
                f"+proj=laea +lat_0={self.lat0:.4f} +lon_0={self.lon0:.4f} "
                "+datum=WGS84 +units=m +no_defs"
            )
        #: The PROJ string of the projection.
        self.proj = proj
        self.crs = CRS.from_proj4(proj)
        self._fwd = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self._inv = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        # The extent's outline, densified, as projected: its box, widened to
        # the frame's shape, is what the frame shows.
        ring = shapely.segmentize(shapely.box(w, s, e, n), 0.5)
        x, y = self.forward(*shapely.get_coordinates(ring).T)
        x0, x1, y0, y1 = x.min(), x.max(), y.min(), y.max()
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        span_x, span_y = x1 - x0, y1 - y0
        #: The extent's projected width / height.
        self.aspect = span_x / span_y
        aspect = self.width / self.height
        if span_x / span_y < aspect:
            span_x = span_y * aspect
        else:
            span_y = span_x / aspect
        self.xlim = (cx - span_x / 2, cx + span_x / 2)
        self.ylim = (cy - span_y / 2, cy + span_y / 2)
        #: Projected metres per point of paper.
        self.per_pt = span_x / self.width

    # ---------------------------------------------------------------- points

    def forward(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def inverse(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = self._inv.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(lon), np.asarray(lat)

    # ---------------------------------------------------------------- geometry

    def clip_box(self, margin: float = 3.0) -> shapely.Polygon:
        """The frame in degrees (its outline inverse-projected), widened by
        ``margin`` degrees: what is clipped before projecting."""
        frame = shapely.segmentize(shapely.box(self.xlim[0], self.ylim[0],
                                               self.xlim[1], self.ylim[1]),
                                   (self.xlim[1] - self.xlim[0]) / 64)  # fmt: skip
        lon, lat = self.inverse(*shapely.get_coordinates(frame).T)
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.all():  # the frame reaches past the projection's edge
            return shapely.box(-180, -89, 180, 89)
        return shapely.box(
            max(-180.0, lon.min() - margin), max(-89.0, lat.min() - margin),
            min(180.0, lon.max() + margin), min(89.0, lat.max() + margin),
        )  # fmt: skip

    def project(self, geoms, *, clip: bool = True) -> np.ndarray:
        """Shapely geometries in degrees → projected, clipped to the view
        first, their edges densified to 0.25° so long straight edges bend as
        they should."""
        geoms = np.asarray(geoms, dtype=object)
        if clip:
            geoms = shapely.intersection(geoms, self.clip_box())
        geoms = shapely.segmentize(geoms, 0.25)

        def move(coords: np.ndarray) -> np.ndarray:
            x, y = self.forward(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geoms, move)

    # ---------------------------------------------------------------- scale

    def scale_factor(self) -> float:
        """Projected metres per ground metre at the centre, eastward."""
        lon1, lat1, _ = _GEOD.fwd(self.lon0, self.lat0, 90.0, 10_000.0)
        x, y = self.forward([self.lon0, lon1], [self.lat0, lat1])
        return float(math.hypot(x[1] - x[0], y[1] - y[0]) / 10_000.0)

    def scale_bar(self, max_pt: float) -> tuple[float, float]:
        """A scale bar no longer than ``max_pt`` points: (its ground length in
        metres, a round figure; its length in points), true at the centre."""
        k = self.scale_factor()
        ground = nice_length(max_pt * self.per_pt / k)
        return ground, ground * k / self.per_pt

    def zoom(self) -> float:
        """The page's zoom (Web Mercator, 256 px tiles) that shows the
        centre at this figure's scale, with 1 pt = 4/3 px: which basemap labels fit."""
        px_per_m = (1 / 0.75) / self.per_pt * self.scale_factor()
        world_m = 2 * math.pi * 6_378_137.0 * math.cos(math.radians(self.lat0))
        return math.log2(max(px_per_m * world_m / 256.0, 1e-9))
