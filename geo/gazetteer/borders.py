"""How far points lie outside the countries their rows name.

An export that gives coordinates also names the country (ACLED's ``country``
and ``iso``, UCDP's ``country``); a point hundreds of km outside it is a
mistake to show, not to redraw. :meth:`Borders.outside_km` measures it for a
whole column at once: rows are grouped by country, each group tested against
its country's outline with shapely's vectorised ``contains_xy`` (the outline
prepared once), and only the points outside are measured, along the shortest
line to the outline, in great-circle km.

The outlines are the gazetteer's Natural Earth countries (``countries.parquet``,
simplified to 0.02°). A region whose ISO 3166-2 code names another country than
the one Natural Earth draws it in counts for both: Crimea (``UA-43``) and
Sevastopol (``UA-40``), drawn in Russia by Natural Earth's de facto borders, are
also Ukraine, as ACLED and UCDP code them. Territories with codes of their own
that Natural Earth draws inside another country (Réunion in France) use that
country's outline (:data:`~geo.gazetteer.countries.DRAWN_IN`). Other disputed
areas follow Natural Earth (the Golan Heights in Israel, Western Sahara apart
from Morocco).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from geo.gazetteer.countries import DRAWN_IN
from geo.gazetteer.index import haversine_km

__all__ = ["Borders", "BORDER_TOLERANCE_KM"]

#: Points this close outside their country count as inside. The outlines are
#: Natural Earth's (1:10m–1:50m generalisations, borders and coasts off by a
#: km or more) simplified again to 0.02° (about 2 km); GeoNames puts a town at
#: one point, which for a border or coastal town may fall just across; and
#: ACLED's "near the town" coordinates may be up to ~25 km from where things
#: happened. 10 km absorbs those errors, while a point in the wrong country is
#: usually tens to thousands of km off (Korla, China, is 9,000 km from Burkina Faso).
BORDER_TOLERANCE_KM = 10.0

_KM_PER_DEGREE = 111.32  # of latitude, and of longitude at the equator (the most)
_ISO_3166_2 = re.compile(r"^ne:([A-Z]{2})-")


class Borders:
    """Country outlines by ISO2, built on first use.

    Parameters
    ----------
    countries : list of str
        ISO2 code of each row of the country polygons.
    country_shape, region_shape : callable
        ``row -> polygon`` of a country, of an admin-1 region.
    regions : list of (str, str)
        ``(id, iso2)`` of each region row (``("ne:UA-43", "RU")``).
    """

    def __init__(
        self,
        countries: Sequence[str],
        country_shape: Callable[[int], object],
        regions: Sequence[tuple[str, str | None]],
        region_shape: Callable[[int], object],
    ):
        self._row = {c: i for i, c in enumerate(countries)}
        self._country_shape = country_shape
        self._region_shape = region_shape
        # Regions that also belong to the country of their ISO 3166-2 code.
        self._also: dict[str, list[int]] = {}
        for row, (rid, iso2) in enumerate(regions):
            m = _ISO_3166_2.match(rid)
            if m and m[1] != iso2:
                self._also.setdefault(m[1], []).append(row)
        self._outlines: dict[str, object] = {}

    def outline(self, iso2: str):
        """The prepared outline of a country (``None`` if the gazetteer has none)."""
        if iso2 not in self._outlines:
            import shapely

            drawn = iso2 if iso2 in self._row else DRAWN_IN.get(iso2)
            shape = None
            if drawn is not None:
                shape = self._country_shape(self._row[drawn])
                extra = [self._region_shape(r) for r in self._also.get(iso2, [])]
                if extra:
                    shape = shapely.union_all([shape, *extra])
                shapely.prepare(shape)
            self._outlines[iso2] = shape
        return self._outlines[iso2]

    def outside_km(
        self,
        lon: np.ndarray,
        lat: np.ndarray,
        codes: np.ndarray,
        iso2: Sequence[str | None],
        *,
        tolerance_km: float = BORDER_TOLERANCE_KM,
    ) -> np.ndarray:
        """Km outside each row's country: 0 inside or within ``tolerance_km`` of it,
        NaN where the country is missing, has no outline, or the point is not finite.

        Row ``i``'s country is ``iso2[codes[i]]`` (``codes[i]`` -1: none), the
        way :func:`pandas.factorize` codes a column.
        """
        import shapely

        lon = np.asarray(lon, dtype=np.float64).ravel()
        lat = np.asarray(lat, dtype=np.float64).ravel()
        codes = np.asarray(codes, dtype=np.int64).ravel()
        n = len(lon)
        if len(lat) != n or len(codes) != n:
            raise ValueError(
                f"expected as many latitudes and countries as longitudes ({n}), "
                f"got {len(lat)} and {len(codes)}"
            )
        # One group per country, however many spellings name it ("BF", "854").
        groups: dict[str, int] = {}
        of_code = np.array([groups.setdefault(c, len(groups)) if c else -1 for c in iso2] + [-1])
        group = of_code[codes]  # a code of -1 takes the last element: no group
        group[~(np.isfinite(lon) & np.isfinite(lat))] = -1
        out = np.full(n, np.nan)
        order = np.argsort(group, kind="stable")
        starts = np.searchsorted(group[order], np.arange(-1, len(groups) + 1))
        for code, k in groups.items():
            shape = self.outline(code)
            rows = order[starts[k + 1] : starts[k + 2]]
            if shape is None or not len(rows):
                continue
            inside = shapely.contains_xy(shape, lon[rows], lat[rows])
            out[rows[inside]] = 0.0
            rest = rows[~inside]
            if len(rest):  # most are coastal towns a few hundred metres off
                points = shapely.points(lon[rest], lat[rest])
                # A degree is at most 111.32 km: this close in degrees is within
                # the tolerance, without measuring (prepared, so fast).
                near = shapely.dwithin(shape, points, tolerance_km / _KM_PER_DEGREE)
                out[rest[near]] = 0.0
                far, points = rest[~near], points[~near]
                if len(far):
                    km = _km_to(shape, points)
                    out[far] = np.where(km <= tolerance_km, 0.0, km)
        return out


def _km_to(shape, points: np.ndarray) -> np.ndarray:
    """Great-circle km from each point to the nearest point of ``shape`` (nearest in
    degrees: for a point near the outline the two agree, for one far away the
    distance is still the right order of magnitude)."""
    import shapely

    lines = shapely.shortest_line(shape, points)
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)  # (on the outline, the point)
    return haversine_km(ends[:, 0, 1], ends[:, 0, 0], ends[:, 1, 1], ends[:, 1, 0])
