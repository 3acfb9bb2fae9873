"""The gazetteer's shapes: polygons of regions and countries, and the map layers.

Polygons live in ``regions.parquet`` and ``countries.parquet``, by the rows of
the gazetteer's tables; they are read on first use, with geopandas, so that
geocoding alone never imports it. :class:`~geo.gazetteer.Gazetteer` holds a
:class:`Shapes` and answers ``geometry``, ``countries`` and ``regions`` with it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

__all__ = ["Shapes"]


class Shapes:
    """The polygons of the built tables in ``directory``, read on first use."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    @functools.cached_property
    def _regions(self) -> np.ndarray:
        import geopandas as gpd

        return gpd.read_parquet(
            self.directory / "regions.parquet", columns=["id", "geometry"]
        ).geometry.values

    @functools.cached_property
    def _countries(self) -> np.ndarray:
        import geopandas as gpd

        return gpd.read_parquet(
            self.directory / "countries.parquet", columns=["id", "geometry"]
        ).geometry.values

    def region(self, row: int):
        """The simplified polygon of the region in row ``row`` of the tables."""
        return self._regions[row]

    def country(self, row: int):
        """The simplified polygon of the country in row ``row`` of the tables."""
        return self._countries[row]

    def countries(self):
        """World countries at basemap resolution (see :meth:`geo.Gazetteer.countries`)."""
        import geopandas as gpd

        return gpd.read_parquet(self.directory / "basemap_countries.parquet")

    def regions(self, countries: list[str] | None = None):
        """Admin-1 regions, of some countries only (see :meth:`geo.Gazetteer.regions`)."""
        import geopandas as gpd

        filters = None
        if countries is not None:
            # An empty list selects nothing ("" is no ISO code); pyarrow
            # rejects an empty "in" set.
            filters = [("iso2", "in", list(countries) or [""])]
        return gpd.read_parquet(
            self.directory / "regions.parquet",
            columns=["id", "iso2", "name", "geometry"],
            filters=filters,
        ).reset_index(drop=True)
