"""Shapely geometries (projected) → matplotlib paths, column-wise."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["polygon_path", "line_path", "PX"]

#: Points per CSS pixel: the page's sizes (px at 96 per inch) on paper (72 pt per inch).
PX = 0.75


def _rings_path(rings: list[np.ndarray]):
    from matplotlib.path import Path

    if not rings:
        return Path(np.zeros((0, 2)))
    verts, codes = [], []
    for ring in rings:
        c = np.full(len(ring), Path.LINETO, dtype=np.uint8)
        c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
        verts.append(ring)
        codes.append(c)
    return Path(np.concatenate(verts), np.concatenate(codes))


def polygon_path(geom):
    """A (multi)polygon as one path; shells and holes wound opposite ways
    (``shapely.normalize``), so holes stay holes under the nonzero rule."""
    polys = shapely.get_parts(shapely.normalize(geom))
    rings = []
    for poly in polys:
        if shapely.get_type_id(poly) != 3 or poly.is_empty:
            continue
        rings.append(shapely.get_coordinates(poly.exterior))
        rings.extend(shapely.get_coordinates(r) for r in poly.interiors)
    rings = [r for r in rings if len(r) >= 4]
    return _rings_path(rings)


def line_path(geom):
    """The (multi)line strings of ``geom`` (polygons: their rings) as one open path."""
    from matplotlib.path import Path

    parts = shapely.get_parts(geom)
    lines = []
    for p in parts:
        t = shapely.get_type_id(p)
        if t in (1, 2):
            lines.append(shapely.get_coordinates(p))
        elif t == 3:
            lines.extend(shapely.get_coordinates(r) for r in shapely.get_rings(p))
    lines = [c for c in lines if len(c) >= 2]
    if not lines:
        return Path(np.zeros((0, 2)))
    verts = np.concatenate(lines)
    codes = np.concatenate([
        np.r_[Path.MOVETO, np.full(len(c) - 1, Path.LINETO)].astype(np.uint8) for c in lines
    ])  # fmt: skip
    return Path(verts, codes)
