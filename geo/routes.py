"""Routes: origin → via… → destination as geodesic lines.

Each leg follows the geodesic on the WGS84 ellipsoid (``pyproj.Geod``),
densified so it draws as a curve on a Web Mercator map, and the whole line is
split where it crosses the antimeridian so no segment jumps across the map.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Geod

from geo.errors import InputError

__all__ = ["geodesic_route", "split_antimeridian", "route_length_km"]

_GEOD = Geod(ellps="WGS84")


def geodesic_route(
    points: Sequence[tuple[float, float]], *, spacing_km: float = 50.0
) -> tuple[shapely.LineString | shapely.MultiLineString, float]:
    """Join ``(lon, lat)`` waypoints by densified geodesics.

    Parameters
    ----------
    points : sequence of (lon, lat)
        Origin, waypoints, destination; at least two.
    spacing_km : float
        The largest distance between two vertices of the result.

    Returns
    -------
    (geometry, length_km)
        A LineString, or a MultiLineString when the route crosses the
        antimeridian; and its geodesic length in kilometres.

    Examples
    --------
    >>> line, km = geodesic_route([(125.75, 39.03), (37.62, 55.75)])
    >>> round(km)
    6430
    """
    if len(points) < 2:
        raise InputError(f"a route needs at least two points, got {len(points)}")
    lons: list[float] = [points[0][0]]
    lats: list[float] = [points[0][1]]
    length_m = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(points[:-1], points[1:], strict=True):
        _, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
        length_m += dist
        n = int(dist // (spacing_km * 1000.0))
        if n > 0:
            for lon, lat in _GEOD.npts(lon1, lat1, lon2, lat2, n):
                lons.append(lon)
                lats.append(lat)
        lons.append(lon2)
        lats.append(lat2)
    return split_antimeridian(np.array(lons), np.array(lats)), length_m / 1000.0


def route_length_km(line: shapely.Geometry) -> float:
    """The geodesic length of a route drawn as a (multi)line of (lon, lat) vertices, in
    km: that of :func:`geodesic_route`, for a line it made."""
    return _GEOD.geometry_length(line) / 1000.0


def split_antimeridian(
    lons: np.ndarray, lats: np.ndarray
) -> shapely.LineString | shapely.MultiLineString:
    """Cut a line of (lon, lat) vertices where it crosses ±180° longitude.

    A step of more than 180° in longitude is read as a crossing (the short way
    round), and both sides get a vertex exactly on the meridian.
    """
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    step = np.diff(lons)
    crossings = np.flatnonzero(np.abs(step) > 180.0)
    if crossings.size == 0:
        return shapely.LineString(np.column_stack([lons, lats]))
    parts: list[np.ndarray] = []
    start = 0
    current: list[tuple[float, float]] = []
    for i in crossings:
        seg = np.column_stack([lons[start : i + 1], lats[start : i + 1]])
        current.extend(map(tuple, seg))
        lon1, lat1, lon2, lat2 = lons[i], lats[i], lons[i + 1], lats[i + 1]
        # Unwrap the far end, then interpolate the latitude at the meridian.
        edge = 180.0 if lon1 > 0 else -180.0
        lon2u = lon2 + 360.0 if lon1 > 0 else lon2 - 360.0
        t = (edge - lon1) / (lon2u - lon1)
        lat_cross = lat1 + t * (lat2 - lat1)
        current.append((edge, lat_cross))
        parts.append(np.array(current))
        current = [(-edge, lat_cross)]
        start = i + 1
    current.extend(map(tuple, np.column_stack([lons[start:], lats[start:]])))
    parts.append(np.array(current))
    return shapely.MultiLineString([p for p in parts if len(p) >= 2])
