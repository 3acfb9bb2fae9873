"""Geometry as the page draws it: GeoJSON at 5 decimals, areas simplified to their scale."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["geojson", "display"]


def geojson(geom: shapely.Geometry, decimals: int = 5) -> dict:
    """GeoJSON with rounded coordinates (plain rounding: no topology to break).

    >>> geojson(shapely.Point(36.292149, 51.735812))
    {'type': 'Point', 'coordinates': (36.29215, 51.73581)}
    """
    return shapely.geometry.mapping(shapely.transform(geom, lambda c: np.round(c, decimals)))


def display(geom: shapely.Geometry) -> shapely.Geometry:
    """Simplify an area in proportion to its size: Russia does not need the
    detail of Kursk Oblast to be drawn at the scale it is seen at."""
    tolerance = max(0.005, float(np.sqrt(geom.area)) / 500)
    return shapely.simplify(geom, tolerance, preserve_topology=True)
