"""The gazetteer's shapes: polygons of regions and countries, and the map layers.

Polygons live in ``regions.parquet`` and ``countries.parquet``; they are read
on first use, with geopandas, so that geocoding alone never imports it.
:class:`~geo.gazetteer.Gazetteer` inherits these methods.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from geo.errors import GeocodingError
from geo.gazetteer.files import KIND_COUNTRY, KIND_REGION, PROVIDER

if TYPE_CHECKING:  # pragma: no cover
    from geo.model import Place

__all__ = ["Shapes"]


class Shapes:
    """Geometry lookups of the gazetteer (needs ``self._index`` and ``self._t``)."""

    @functools.cached_property
    def _region_geometry(self) -> np.ndarray:
        import geopandas as gpd

        return gpd.read_parquet(
            self._t.directory / "regions.parquet", columns=["id", "geometry"]
        ).geometry.values

    @functools.cached_property
    def _country_geometry(self) -> np.ndarray:
        import geopandas as gpd

        return gpd.read_parquet(
            self._t.directory / "countries.parquet", columns=["id", "geometry"]
        ).geometry.values

    def geometry(self, place: Place | str):
        """The shape of a place: simplified polygon for regions and countries, else a point.

        Parameters
        ----------
        place : Place or str
            A :class:`Place` or a place id (``"ne:RU-KRS"``, ``"iso:KP"``...).

        Returns
        -------
        shapely.Geometry
            In EPSG:4326.

        Raises
        ------
        GeocodingError
            If the id is unknown.
        """
        import shapely

        pid = place if isinstance(place, str) else place.id
        found = self._index.resolve_id(pid)
        if found is None:
            raise GeocodingError(f"unknown place id {pid!r}", query=pid, provider=PROVIDER)
        kind, row = found
        if kind == KIND_REGION:
            return self._region_geometry[row]
        if kind == KIND_COUNTRY:
            return self._country_geometry[row]
        _, _, lat, lon = self._index.entity(kind, row)
        return shapely.Point(lon, lat)

    def countries(self):
        """World countries at basemap resolution, a GeoDataFrame in EPSG:4326.

        Columns ``iso2``, ``iso3``, ``name``, ``lat`` and ``lon`` (a label point
        inside the country's largest part) and ``geometry`` (simplified to 0.1°,
        islets under ~600 km² left off; about 500 KB as GeoJSON).
        """
        import geopandas as gpd

        return gpd.read_parquet(self._t.directory / "basemap_countries.parquet")

    def regions(self, countries: list[str] | None = None):
        """Admin-1 regions, EPSG:4326, optionally of some countries only.

        Parameters
        ----------
        countries : list of str, optional
            ISO2 codes; all regions of the world when omitted.

        Returns
        -------
        geopandas.GeoDataFrame
            Columns ``id``, ``iso2``, ``name`` and ``geometry`` (simplified to 0.01°).
        """
        import geopandas as gpd

        filters = None
        if countries is not None:
            # An empty list selects nothing ("" is no ISO code); pyarrow
            # rejects an empty "in" set.
            filters = [("iso2", "in", list(countries) or [""])]
        return gpd.read_parquet(
            self._t.directory / "regions.parquet",
            columns=["id", "iso2", "name", "geometry"],
            filters=filters,
        ).reset_index(drop=True)
