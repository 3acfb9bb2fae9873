"""Events → the admin-1 region each lies in, for the region filter and choropleth.

An event's region is the region place it names (``ne:RU-KRS`` for "Kursk
Oblast"), else the gazetteer region its point lies in. Events placed at a
country and flows have none, and so has an area that names no region: they
are not *in* one region.

Points are looked up column-wise, against a shapely ``STRtree`` of the
regions of the countries the events touch: coordinates are rounded to 1e-4°
(about 11 m, well under the 0.01° the outlines are simplified to) and each
distinct one is looked up once, so that a million ACLED rows, which repeat a
few thousand village coordinates, cost one lookup per village. A 0.05° grid
cell inside one region, touching no other, settles all its points with one
test; only points in cells a border crosses are tested one by one. A point in
two outlines (simplified one by one, neighbours overlap in slivers) takes the
region of its own country; one just off a simplified coastline (Odesa,
Mariupol) the nearest region within :data:`COAST_DEGREES`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["Regions", "event_regions", "COAST_DEGREES"]

#: How far (degrees, ~10 km) off every region a point may lie and still take
#: the nearest: coastal towns fall outside outlines simplified to 0.01°.
COAST_DEGREES = 0.1

# A rounded point as one int64: lon * span + (lat + offset), lat in 1e-4 degrees.
_LAT_OFFSET = 1_000_000
_LAT_SPAN = 4_000_000
# The grid (degrees, ~5 km) whose cells inside one region need no test per point.
_CELL = 0.05
_CELL_OFFSET = 2_000
_CELL_SPAN = 8_000

#: Place precisions that are not within one region.
_NOT_IN_A_REGION = ("country", "area")


class Regions:
    """The gazetteer's admin-1 regions of some countries, by id (sorted, so
    that ties between overlapping outlines always go the same way)."""

    def __init__(self, countries: list[str], gazetteer=None):
        if gazetteer is None:
            import geo

            gazetteer = geo.default_gazetteer()
        frame = gazetteer.regions(countries=sorted(countries)) if countries else None
        if frame is None or not len(frame):
            frame = gpd.GeoDataFrame(
                {"id": [], "iso2": [], "name": []}, geometry=[], crs="EPSG:4326"
            )
        #: Columns ``id``, ``iso2``, ``name``, ``geometry``, sorted by id.
        self.frame = frame.sort_values("id", kind="stable").reset_index(drop=True)
        self.ids = self.frame["id"].to_numpy(dtype=object)
        self._tree = shapely.STRtree(self.frame.geometry.values)

    def __len__(self) -> int:
        return len(self.frame)

    def at(self, lon: np.ndarray, lat: np.ndarray, countries=None) -> np.ndarray:
        """The region id each point lies in (None: in none, or not finite).

        Outlines simplified one by one overlap in slivers along borders: a
        point in two regions takes the one of its own country (``countries``,
        ISO2 per point, optional), then the first by id.
        """
        n = len(lon)
        out = np.full(n, None, dtype=object)
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any() or not len(self):
            return out
        country, iso = pd.factorize(pd.Series(countries if countries is not None else [None] * n,
                                              dtype=object)[ok])  # fmt: skip
        # One lookup per distinct rounded point (and country).
        qlon = np.round(lon[ok] * 1e4).astype(np.int64)
        qlat = np.round(lat[ok] * 1e4).astype(np.int64) + _LAT_OFFSET  # >= 0
        k = len(iso) + 1
        codes, uniques = pd.factorize((qlon * _LAT_SPAN + qlat) * k + country + 1, sort=False)
        ucountry, uniques = uniques % k - 1, uniques // k
        ulon = (uniques // _LAT_SPAN) / 1e4
        ulat = (uniques % _LAT_SPAN - _LAT_OFFSET) / 1e4
        # The country code of each region, in the points' codes (-2: none of theirs).
        own = pd.Index(iso).get_indexer(self.frame["iso2"]).astype(np.int64)
        own[own < 0] = -2
        # A point in a grid cell inside one region and touching no other is in
        # it: one test per cell (most points are far from any border), then
        # each point of the cells a border crosses.
        cx = np.floor(ulon / _CELL).astype(np.int64)
        cy = np.floor(ulat / _CELL).astype(np.int64) + _CELL_OFFSET
        cells, cell_keys = pd.factorize(cx * _CELL_SPAN + cy, sort=False)
        x0 = (cell_keys // _CELL_SPAN) * _CELL
        y0 = (cell_keys % _CELL_SPAN - _CELL_OFFSET) * _CELL
        boxes = shapely.box(x0, y0, x0 + _CELL, y0 + _CELL)
        inside = np.full(len(boxes), -1, dtype=np.int64)
        within = self._tree.query(boxes, predicate="within")
        inside[within[0]] = within[1]
        touching = np.bincount(self._tree.query(boxes, predicate="intersects")[0],
                               minlength=len(boxes))  # fmt: skip
        inside[touching != 1] = -1
        hit = inside[cells]
        rest = np.flatnonzero(hit < 0)
        if len(rest):
            points = shapely.points(ulon[rest], ulat[rest])
            pairs = self._tree.query(points, predicate="intersects")
            found = _first(pairs, len(rest), own, ucountry[rest])
            missed = np.flatnonzero(found < 0)
            if len(missed):
                near = self._tree.query_nearest(
                    points[missed], max_distance=COAST_DEGREES, all_matches=False
                )
                found[missed[near[0]]] = near[1]
            hit[rest] = found
        ids = np.where(hit >= 0, self.ids[np.maximum(hit, 0)], None)
        out[np.flatnonzero(ok)] = ids[codes]
        return out


def _first(pairs: np.ndarray, n: int, own: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Per point of an STRtree query, its region: of its own country first,
    then the lowest id; -1 for none."""
    big = np.int64(1) << 40
    score = pairs[1] + np.where(own[pairs[1]] == country[pairs[0]], 0, big)
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, pairs[0], score)
    return np.where(first == np.iinfo(np.int64).max, -1, first % big)


def event_regions(
    frame: pd.DataFrame,
    named: np.ndarray,
    countries: np.ndarray,
    country_level: np.ndarray,
    *,
    gazetteer=None,
) -> tuple[np.ndarray, Regions]:
    """The admin-1 region id of each event (None when it has none).

    Parameters
    ----------
    frame : DataFrame
        An events frame (``geometry``, ``lat``, ``lon``, ``place_precision``).
    named : array of object
        Per event, the id of the first region place it names, or None.
    countries : array of object
        Per event, its ISO2 country or None: the regions of these countries
        are the ones looked in.
    country_level : array of bool
        Per event, whether it names countries only (a country's centre is in
        some region, but the event is not).
    gazetteer : Gazetteer, optional
        The default gazetteer's regions otherwise.

    Returns
    -------
    (numpy.ndarray of object, Regions)
        The ids, and the regions they were looked up in (for names and shapes).
    """
    n = len(frame)
    touched = sorted({c for c in pd.unique(pd.Series(countries, dtype=object)) if c})
    regions = Regions(touched, gazetteer)
    out = np.full(n, None, dtype=object)
    if not n:
        return out, regions
    types = frame.geometry.geom_type.to_numpy(dtype=object)
    flow = np.isin(types, ["LineString", "MultiLineString"])
    if "place_precision" in frame:
        coarse = frame["place_precision"].isin(_NOT_IN_A_REGION).to_numpy()
    else:
        coarse = np.zeros(n, dtype=bool)
    can = ~flow & ~coarse & ~country_level
    known = pd.Series(named, dtype=object).isin(set(regions.ids.tolist())).to_numpy()
    use_named = can & known
    out[use_named] = named[use_named]
    todo = can & ~use_named & np.isin(types, ["Point", "MultiPoint"])
    if todo.any():
        lon = frame["lon"].to_numpy(dtype=float)[todo]
        lat = frame["lat"].to_numpy(dtype=float)[todo]
        out[todo] = regions.at(lon, lat, countries[todo])
    return out, regions
