"""The embedded basemap of ``--offline`` maps: land, borders and regions.

Built from the gazetteer's Natural Earth data, so an offline page needs
nothing from the network. Regions are drawn only for the countries the
events touch, which keeps the page small (the world's 4,600 admin-1 regions
would weigh megabytes).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo import default_gazetteer
from geo.resolve import POINT_ID

__all__ = ["basemap_layers"]

_LAND = {"color": "#a9a59c", "weight": 0.8, "fillColor": "#f6f4ef", "fillOpacity": 1}
_REGIONS = {"color": "#cdc8bd", "weight": 0.6, "fill": False}
_LABEL_MIN_AREA = 25.0  # square degrees: about Belarus or Kyrgyzstan, at these latitudes


def _collection(frame: gpd.GeoDataFrame, tolerance: float) -> dict:
    geoms = shapely.transform(
        shapely.simplify(frame.geometry.values, tolerance, preserve_topology=True),
        lambda c: np.round(c, 3),
    )
    features = []
    for name, geom in zip(frame["name"], geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {"type": "Feature", "properties": {"name": name}, "geometry": geom.__geo_interface__}
        )
    return {"type": "FeatureCollection", "features": features}


def basemap_layers(
    events: gpd.GeoDataFrame, *, gazetteer=None
) -> tuple[list[dict], list[dict], list[dict]]:
    """GeoJSON layers (countries, then regions), their styles, and labels.

    Regions are drawn for the countries where events name a city or region
    (a country-level mention such as an alliance does not need them). Labels:
    every country whose label point lies near the data, and the places the
    events name (shown when zoomed in, see ``Basemap``).
    """
    gaz = gazetteer or default_gazetteer()
    countries = gaz.countries().sort_values("iso2", kind="stable")
    # Named places only: coordinates given in the data (an ACLED row each) get no label.
    places = {p.id: p for row in events["places"] for p in row if not p.id.startswith(POINT_ID)}
    detailed = sorted({p.country for p in places.values()
                       if p.country and p.kind != "country"})  # fmt: skip
    regions = gaz.regions(countries=detailed).sort_values("id", kind="stable")
    labels = _country_labels(countries, events) + [
        {"text": p.name, "lat": round(p.lat, 4), "lon": round(p.lon, 4), "level": "place"}
        for p in sorted(places.values(), key=lambda p: p.id)
        if p.kind in ("city", "place", "region")
    ]
    return (
        [_collection(countries, 0.05), _collection(regions, 0.03)],
        [_LAND, _REGIONS],
        labels,
    )


def _country_labels(countries: gpd.GeoDataFrame, events: gpd.GeoDataFrame) -> list[dict]:
    drawn = events.geometry.dropna()
    if drawn.empty:
        return []
    minx, miny, maxx, maxy = drawn.total_bounds
    # Only large countries get a label at this scale: small ones would collide.
    big = shapely.area(countries.geometry.values) >= _LABEL_MIN_AREA
    near = countries[
        big
        & countries["lon"].between(minx - 15, maxx + 15)
        & countries["lat"].between(miny - 10, maxy + 10)
    ]
    return [
        {"text": name, "lat": round(lat, 3), "lon": round(lon, 3), "level": "country"}
        for name, lat, lon in zip(near["name"], near["lat"], near["lon"], strict=True)
    ]


def tile_layer(name: str):
    """Online tiles from an xyzservices provider, by name (``"CartoDB.Positron"``).

    Tiles are opt-in: the page then asks the provider's servers for images.
    ``referrerPolicy`` lets the browser send the page's origin with each tile
    request, which OpenStreetMap's servers require (a page opened from disk
    has no origin to send; serve it over http, or pick another provider).
    """
    import folium
    import xyzservices

    from geo import InputError

    try:
        provider = xyzservices.providers.query_name(name)
    except ValueError:
        raise InputError(
            f"tiles: no xyzservices provider named {name!r} (e.g. CartoDB.Positron, "
            "OpenStreetMap.Mapnik, Esri.WorldImagery)"
        ) from None
    return folium.TileLayer(
        provider, control=False, referrerPolicy="strict-origin-when-cross-origin"
    )
