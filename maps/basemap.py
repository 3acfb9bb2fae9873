"""The embedded basemap, the default: land, borders, admin-1 regions, towns, labels.

Built from the gazetteer's Natural Earth and GeoNames data, so the page needs
nothing from the network. Detail is drawn only where the data is: the *area
of interest* is the 2° cells that hold the events' coordinates, widened by a
margin. Inside it the page gets every admin-1 region that touches it, finer
country borders and GeoNames towns; elsewhere the world's countries only (the
world's 4,600 regions and 235,000 places would weigh megabytes). Each layer
is simplified for the area's size and its coordinates rounded, so a country's
worth of detail costs a few hundred KB.

Labels carry the zoom from which they show (``zoom``) and come in the order
the page places them when they collide: countries, then by zoom, bigger
places first. The page draws them non-interactive.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from geo import default_gazetteer

__all__ = ["area_of_interest", "basemap_layers", "tile_layer"]

_LAND = {"color": "#a9a59c", "weight": 0.8, "fillColor": "#f6f4ef", "fillOpacity": 1}
_REGIONS = {"color": "#b9b3a6", "weight": 0.7, "fill": False, "dashArray": "3 2"}

_CELL = 2.0  # degrees: the grain of the area of interest
_MARGIN = 4.0  # degrees around each cell with data: what a fitted view shows beyond it
_LABEL_MIN_AREA = 25.0  # square degrees (about Belarus): a country named at every zoom
_MAX_TOWNS = 2500  # the most towns a page carries, whatever the area
# Towns by zoom: at zoom z a place shows if it is among the _PER_CELL biggest of
# its cell of _CELL_PX screen pixels and has at least _POPULATION[z] people
# (capitals from zoom 4 whatever their size), so a dense Donbas and a rural
# Benin both get towns, and a desert no hamlet dressed as a city.
_CELL_PX = 160
_PER_CELL = 2
_POPULATION = {5: 100_000, 6: 30_000, 7: 8_000, 8: 2_000, 9: 500, 10: 500}
# A big city shows from these zooms whatever its neighbours (the page still
# drops a label that would collide with one placed before it).
_BIG = {5: 1_000_000, 6: 300_000}
_CITY_ZOOM = 6  # up to this zoom a town is drawn as a city (bigger type)


def basemap_layers(
    events: gpd.GeoDataFrame, *, gazetteer=None
) -> tuple[list[dict], list[dict], list[dict]]:
    """GeoJSON layers (countries, then admin-1 regions), their styles, and labels.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        The events of the map (EPSG:4326); their geometries set the area of
        interest (:func:`area_of_interest`).
    gazetteer : geo.Gazetteer, optional
        Defaults to :func:`geo.default_gazetteer`.

    Returns
    -------
    layers, styles, labels
        ``layers`` two FeatureCollections (properties ``name``), ``styles`` the
        Leaflet path style of each, ``labels`` dicts ``text, lat, lon, level,
        zoom`` (level ``country``, ``region``, ``city`` or ``town``) in placing
        order.
    """
    gaz = gazetteer or default_gazetteer()
    area = area_of_interest(events.geometry.values)
    tolerance = _tolerance(area)
    countries = gaz.countries().sort_values("iso2", kind="stable").reset_index(drop=True)
    regions = _regions(gaz, area)
    layers = [
        _collection(_countries(gaz, countries, area, tolerance), 0.0),
        _collection(regions, tolerance),
    ]
    labels = (
        _country_labels(countries)
        + _town_labels(gaz, area)
        + _region_labels(regions)
    )  # fmt: skip
    # Stable: at one zoom towns (by rank) are placed before region names.
    labels.sort(key=lambda d: (d["level"] != "country", d["zoom"]))
    return layers, [_LAND, _REGIONS], labels


def area_of_interest(geometries) -> shapely.Geometry | None:
    """Where the data is: the 2° cells holding its coordinates, widened by 4°.

    Lines and small areas count by their vertices; an area wider than 10° on
    a side (a country named as a whole, an alliance) does not count: it asks
    for no detail. ``None`` when nothing is left.
    """
    geoms = np.asarray(geometries, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if not len(geoms):
        return None
    bounds = shapely.bounds(geoms)
    small = ((bounds[:, 2] - bounds[:, 0]) <= 10) & ((bounds[:, 3] - bounds[:, 1]) <= 10)
    coords = shapely.get_coordinates(geoms[small])
    if not len(coords):
        return None
    cells = np.unique(np.floor(coords / _CELL).astype(np.int64), axis=0)
    x0 = np.clip(cells[:, 0] * _CELL - _MARGIN, -180, 180)
    y0 = np.clip(cells[:, 1] * _CELL - _MARGIN, -85, 85)
    x1 = np.clip((cells[:, 0] + 1) * _CELL + _MARGIN, -180, 180)
    y1 = np.clip((cells[:, 1] + 1) * _CELL + _MARGIN, -85, 85)
    return shapely.union_all(shapely.box(x0, y0, x1, y1))


def _tolerance(area) -> float:
    """Simplification of the area's borders: ~0.01° (1 km) for a country's
    worth of data, up to 0.2° for the world's, so the page stays small."""
    if area is None:
        return 0.1
    return float(np.clip(round(np.sqrt(area.area) / 1200, 3), 0.01, 0.2))


def _digits(tolerance: float) -> int:
    """Decimals kept: 3 (100 m) for detail, 2 for the world's coarse borders."""
    return 3 if tolerance < 0.05 else 2


def _round(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.round(c, _digits(tolerance)))


def _collection(frame: gpd.GeoDataFrame, tolerance: float) -> dict:
    geoms = frame.geometry.values
    if tolerance:
        geoms = _round(shapely.simplify(geoms, tolerance, preserve_topology=True), tolerance)
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": geom.__geo_interface__}
        for name, geom in zip(frame["name"], geoms, strict=True)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _countries(gaz, countries: gpd.GeoDataFrame, area, tolerance: float) -> gpd.GeoDataFrame:
    """The world's countries (simplified to 0.1°, 10 km off at a town's
    zoom), inside the area at the regions' detail: each country touching it
    is its detailed shape inside, its world shape outside, as one polygon, so
    no seam is drawn where they meet."""
    if area is None:
        return countries
    fine = gpd.read_parquet(gaz.directory / "countries.parquet", columns=["iso2", "geometry"])
    fine = fine[fine.intersects(area)].set_index("iso2").geometry
    near = countries["iso2"].isin(fine.index).to_numpy()
    geoms = countries.geometry.values.copy()
    if near.any():
        inside = shapely.intersection(
            shapely.simplify(fine.loc[countries["iso2"][near]].values, tolerance), area
        )
        outside = shapely.difference(geoms[near], area)
        # A clip along a coast can leave lines or points beside the polygons
        # (the Caspian shore at Makhachkala), and GEOS refuses to union a
        # mixed-dimension collection: keep the polygons of each side.
        inside = np.array([_polygonal(g) for g in inside], dtype=object)
        outside = np.array([_polygonal(g) for g in outside], dtype=object)
        joined = shapely.union(inside, outside, grid_size=10 ** -_digits(tolerance))
        geoms[near] = [_polygonal(g) for g in joined]
    out = countries.copy()
    out.geometry = geoms
    return out


def _polygonal(geom):
    """The polygons of an overlay's result (a seam may leave a stray line or
    point, or only a line): a polygon or multipolygon, empty if none."""
    kind = shapely.get_type_id(geom)
    if kind in (3, 6):  # Polygon, MultiPolygon
        return geom
    parts = shapely.get_parts(geom) if kind == 7 else np.array([], dtype=object)
    parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
    return shapely.union_all(parts) if len(parts) else shapely.Polygon()


def _regions(gaz, area) -> gpd.GeoDataFrame:
    """Admin-1 regions touching the area, whole (a region cut at the area's
    edge would draw a border that is not there), with a label point."""
    frame = gpd.read_parquet(
        gaz.directory / "regions.parquet", columns=["id", "iso2", "name", "lat", "lon", "geometry"]
    )
    if area is None:
        return frame.iloc[:0]
    return frame[frame.intersects(area)].sort_values("id", kind="stable").reset_index(drop=True)


def _country_labels(countries: gpd.GeoDataFrame) -> list[dict]:
    """Every country, named where its label point is; small ones from zoom 3
    or 5 so they do not crowd the world view (the page drops collisions)."""
    area = shapely.area(countries.geometry.values)
    zoom = np.where(area >= _LABEL_MIN_AREA, 0, np.where(area >= 2, 3, 5))
    order = np.lexsort((countries["iso2"].to_numpy(), -area))  # biggest placed first
    return [
        {
            "text": countries["name"].iat[i],
            "lat": round(float(countries["lat"].iat[i]), 3),
            "lon": round(float(countries["lon"].iat[i]), 3),
            "level": "country",
            "zoom": int(zoom[i]),
        }
        for i in order
    ]


def _region_labels(regions: gpd.GeoDataFrame) -> list[dict]:
    """Admin-1 names from zoom 5, small regions (a city region) from 6 or 7."""
    area = shapely.area(regions.geometry.values)
    zoom = np.where(area >= 1.5, 5, np.where(area >= 0.2, 6, 7))
    order = np.lexsort((regions["id"].to_numpy(), -area))
    return [
        {
            "text": regions["name"].iat[i],
            "lat": round(float(regions["lat"].iat[i]), 3),
            "lon": round(float(regions["lon"].iat[i]), 3),
            "level": "region",
            "zoom": int(zoom[i]),
        }
        for i in order
        if regions["name"].iat[i]
    ]


def _town_labels(gaz, area) -> list[dict]:
    """GeoNames towns in the area, each from the zoom it earns (see _POPULATION)."""
    if area is None:
        return []
    towns = _towns(gaz, area)
    if towns.empty:
        return []
    zoom = town_zooms(
        towns["lon"].to_numpy(), towns["lat"].to_numpy(), towns["population"].to_numpy(),
        towns["capital"].to_numpy(),
    )  # fmt: skip
    # Over the bound, the towns of the highest zooms go first.
    towns = towns.assign(zoom=zoom)[(zoom > 0) & ~_echoes(towns)]
    towns = towns.sort_values("zoom", kind="stable")
    towns = towns.head(_MAX_TOWNS)
    return [
        {
            "text": name,
            "lat": round(float(lat), 3),
            "lon": round(float(lon), 3),
            "level": "city" if z <= _CITY_ZOOM else "town",
            "zoom": int(z),
        }
        for name, lat, lon, z in zip(
            towns["name"], towns["lat"], towns["lon"], towns["zoom"], strict=True
        )
    ]


def _echoes(towns: pd.DataFrame) -> np.ndarray:
    """Towns named like a bigger one within 1.5°: GeoNames lists some places
    twice (a town and its municipality), and two "Rossosh'" a finger apart
    read as one place drawn twice.

    A town is an echo of an earlier (bigger) namesake within 1.5° that is not
    itself an echo. The pairs of namesakes are found column-wise (a name is
    shared by a few towns, so they are few); only the near pairs are walked,
    in rank order, to settle echoes of echoes.
    """
    out = np.zeros(len(towns), dtype=bool)
    dup = np.flatnonzero(towns["name"].duplicated(keep=False).to_numpy())
    if not len(dup):
        return out
    rows = pd.DataFrame({"name": pd.factorize(towns["name"].to_numpy()[dup])[0], "row": dup})
    pairs = rows.merge(rows, on="name")
    first, later = pairs["row_x"].to_numpy(), pairs["row_y"].to_numpy()
    keep = first < later
    first, later = first[keep], later[keep]
    lon, lat = towns["lon"].to_numpy(), towns["lat"].to_numpy()
    near = np.maximum(np.abs(lon[first] - lon[later]), np.abs(lat[first] - lat[later])) < 1.5
    order = np.lexsort((first[near], later[near]))
    for i, k in zip(first[near][order].tolist(), later[near][order].tolist(), strict=True):
        if not out[i]:
            out[k] = True
    return out


def _towns(gaz, area) -> pd.DataFrame:
    """GeoNames places inside the area, capitals first, then by population
    (ties by GeoNames id, so the order never depends on the file's).

    The 235,000 places are tested on arrow's columns; only those inside
    become a DataFrame.
    """
    places = pq.read_table(
        gaz.directory / "places.parquet",
        columns=["geonameid", "name", "country", "lat", "lon", "population"],
    )
    lat, lon = _degrees(places["lat"]), _degrees(places["lon"])
    x0, y0, x1, y1 = area.bounds
    box = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    box[box] = shapely.contains_xy(area, lon[box], lat[box])
    inside = np.flatnonzero(box)
    places = places.drop_columns(["lat", "lon"]).take(inside).to_pandas()
    places["lat"] = lat[inside]
    places["lon"] = lon[inside]
    places = places[["geonameid", "name", "country", "lat", "lon", "population"]]
    capitals = pq.read_table(gaz.directory / "countries.parquet", columns=["capital"])
    places = places.assign(capital=places["geonameid"].isin(capitals["capital"].to_pylist()))
    return places.sort_values(
        ["capital", "population", "geonameid"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def _degrees(column) -> np.ndarray:
    """A decimal column as floats, each the nearest to its decimal (as Python's
    ``float(Decimal)``; arrow's own cast is off by an ulp for half of them)."""
    scale = 10**column.type.scale
    return pc.cast(pc.multiply(column, scale), pa.int64()).to_numpy() / scale


def town_zooms(lon, lat, population, capital) -> np.ndarray:
    """The zoom from which each town shows (0: never), for towns in rank order.

    At zoom ``z`` a town shows if it has ``_POPULATION[z]`` people (or is a
    capital) and at most ``_PER_CELL - 1`` bigger towns share its cell of
    ``_CELL_PX`` screen pixels, or is a big city (``_BIG``); once shown it
    stays at higher zooms.
    """
    x = (np.asarray(lon, dtype=float) + 180) / 360
    sin = np.sin(np.radians(np.clip(np.asarray(lat, dtype=float), -85, 85)))
    y = 0.5 - np.log((1 + sin) / (1 - sin)) / (4 * np.pi)
    population = np.asarray(population)
    capital = np.asarray(capital, dtype=bool)
    zoom = np.where(capital, 4, 0)
    for z, least in _POPULATION.items():
        cells = 256 * 2**z / _CELL_PX
        eligible = (zoom > 0) | (population >= least)
        key = np.floor(x * cells).astype(np.int64) * (1 << 31) + np.floor(y * cells).astype(
            np.int64
        )
        # Rank within each cell among the eligible, in the towns' order.
        rank = np.full(len(key), _PER_CELL)
        idx = np.flatnonzero(eligible)
        rank[idx] = pd.Series(key[idx]).groupby(key[idx]).cumcount().to_numpy()
        fits = eligible & ((rank < _PER_CELL) | (population >= _BIG.get(z, np.inf)))
        zoom = np.where((zoom == 0) & fits, z, zoom)
    return zoom


#: Providers that need no API key, as examples in messages.
_KEYLESS = "Esri.WorldGrayCanvas, Esri.WorldImagery, OpenTopoMap, OpenStreetMap.Mapnik"


def tile_layer(name: str):
    """Online tiles from an xyzservices provider, by name (``"Esri.WorldGrayCanvas"``).

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
            f"tiles: no xyzservices provider named {name!r} (e.g. {_KEYLESS})"
        ) from None
    if provider.requires_token():
        # The page would ask for tiles with a placeholder key and get errors back.
        raise InputError(
            f"tiles: {provider.name} needs an API key, which eventmap does not take; "
            f"pick a provider without one (e.g. {_KEYLESS})"
        )
    return folium.TileLayer(
        provider, control=False, referrerPolicy="strict-origin-when-cross-origin"
    )
