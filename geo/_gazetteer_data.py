"""The gazetteer's files: the built tables, curated places and aliases.

``data/gazetteer/build.py`` writes the Parquet tables; people write
``curated.yaml`` and ``aliases.yaml``. This module reads both kinds and checks
the hand-written ones, reporting mistakes by file, record and field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from .errors import InputError
from .normalize import acronym_key, normalize

# Codes shared with data/gazetteer/build.py (names.parquet).
KIND_COUNTRY, KIND_REGION, KIND_CITY, KIND_CURATED = 0, 1, 2, 3
ALIAS, CANONICAL, ALTERNATE, DERIVED = -1, 0, 1, 2

CURATED_KINDS = ("city", "place")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class CuratedPlace:
    """One entry of ``curated.yaml`` (or of a user's file in that format)."""

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    source: str
    approximate: bool = False
    alternate_names: tuple[str, ...] = ()
    feature: str | None = None
    coordinates_source: str | None = None


@dataclass(frozen=True)
class Alias:
    """A name the data lacks, pointing at a place id (``iso:KP``, ``geonames:…``)."""

    name: str
    target: str
    source: str


def _records(path: Path, key: str) -> list:
    try:
        with path.open(encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(path)) from exc
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise InputError(f"expected a mapping with a '{key}' list", file=str(path))
    return doc[key]


def _text(entry: dict, field: str, where: dict, *, required: bool = True) -> str | None:
    value = entry.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"expected non-empty text, got {value!r}", field=field, **where)
    return value.strip()


def _degrees(entry: dict, field: str, limit: float, where: dict) -> float:
    value = entry.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"expected a number of degrees, got {value!r}", field=field, **where)
    if not -limit <= value <= limit:
        raise InputError(
            f"expected a value between -{limit} and {limit}, got {value}", field=field, **where
        )
    return float(value)


def read_curated(path: str | Path, countries: set[str]) -> list[CuratedPlace]:
    """Read and check a curated-places file.

    Parameters
    ----------
    path : str or Path
        YAML file with a ``places:`` list (format documented in
        ``data/gazetteer/curated.yaml``).
    countries : set of str
        Known ISO 3166-1 alpha-2 codes.

    Returns
    -------
    list of CuratedPlace

    Raises
    ------
    InputError
        On the first malformed entry, naming file, entry and field.
    """
    path = Path(path)
    out = []
    for i, entry in enumerate(_records(path, "places"), start=1):
        where = {"file": str(path), "record": f"place {i}"}
        if not isinstance(entry, dict):
            raise InputError(f"expected a mapping, got {entry!r}", **where)
        pid = _text(entry, "id", where)
        where["record"] = f"place {i} ({pid!r})"
        if not _ID.match(pid):
            raise InputError(f"expected [a-z0-9-] characters, got {pid!r}", field="id", **where)
        kind = _text(entry, "kind", where)
        if kind not in CURATED_KINDS:
            raise InputError(
                f"expected one of {', '.join(CURATED_KINDS)}, got {kind!r}", field="kind", **where
            )
        country = _text(entry, "country", where)
        if country not in countries:
            raise InputError(
                f"expected an ISO 3166-1 alpha-2 code, got {country!r}", field="country", **where
            )
        approximate = entry.get("approximate", False)
        if not isinstance(approximate, bool):
            raise InputError(
                f"expected true or false, got {approximate!r}", field="approximate", **where
            )
        names = entry.get("alternate_names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise InputError(
                f"expected a list of names, got {names!r}", field="alternate_names", **where
            )
        out.append(
            CuratedPlace(
                id=pid,
                name=_text(entry, "name", where),
                kind=kind,
                country=country,
                lat=_degrees(entry, "lat", 90, where),
                lon=_degrees(entry, "lon", 180, where),
                source=_text(entry, "source", where),
                approximate=approximate,
                alternate_names=tuple(n.strip() for n in names),
                feature=_text(entry, "feature", where, required=False),
                coordinates_source=_text(entry, "coordinates_source", where, required=False),
            )
        )
    return out


def read_aliases(path: str | Path) -> list[Alias]:
    """Read an aliases file (``aliases:`` list of ``name``, ``target``, ``source``)."""
    path = Path(path)
    out = []
    for i, entry in enumerate(_records(path, "aliases"), start=1):
        where = {"file": str(path), "record": f"alias {i}"}
        if not isinstance(entry, dict):
            raise InputError(f"expected a mapping, got {entry!r}", **where)
        name = _text(entry, "name", where)
        where["record"] = f"alias {i} ({name!r})"
        out.append(
            Alias(
                name=name,
                target=_text(entry, "target", where),
                source=_text(entry, "source", where),
            )
        )
    return out


def name_keys(name: str) -> list[str]:
    """Index keys of a hand-written name: the acronym key for ``DPRK``, else the normalized name."""
    key = acronym_key(name) if name.strip().isupper() else None
    return [key] if key else [k for k in (normalize(name),) if k]


@dataclass
class Tables:
    """The built tables, as arrays ready for vectorized lookups.

    Geometry is not read here: polygons are loaded on first use.
    """

    directory: Path
    keys: np.ndarray  # sorted object array of index keys
    key_kind: np.ndarray
    key_row: np.ndarray
    key_quality: np.ndarray
    places: pa.Table  # geonameid, name, country, admin1
    place_lat: np.ndarray
    place_lon: np.ndarray
    place_importance: np.ndarray  # log10(population + 1)
    regions: pa.Table  # id, name, iso2, type, type_en, gn_a1_code, lat, lon
    countries: pa.Table  # id, iso2, iso3, name, lat, lon, capital (GeoNames id, 0 if none)
    manifest: dict


REGION_COLUMNS = ["id", "name", "iso2", "type", "type_en", "gn_a1_code", "lat", "lon"]
COUNTRY_COLUMNS = ["id", "iso2", "iso3", "name", "lat", "lon", "capital"]


def read_tables(directory: Path) -> Tables:
    """Read the name index and the attribute columns of every table (no geometry)."""
    names_path = directory / "names.parquet"
    if not names_path.exists():
        raise InputError(
            "no gazetteer here (names.parquet is missing); run data/gazetteer/build.py",
            file=str(directory),
        )
    names = pq.read_table(names_path)
    places = pq.read_table(directory / "places.parquet")
    population = places["population"].to_numpy()
    return Tables(
        directory=directory,
        keys=names["key"].to_numpy(),
        key_kind=names["kind"].to_numpy(),
        key_row=names["row"].to_numpy(),
        key_quality=names["quality"].to_numpy(),
        places=places.select(["geonameid", "name", "country", "admin1"]),
        place_lat=pc.cast(places["lat"], pa.float64()).to_numpy(),
        place_lon=pc.cast(places["lon"], pa.float64()).to_numpy(),
        place_importance=np.log10(population.astype("float64") + 1.0),
        regions=pq.read_table(directory / "regions.parquet", columns=REGION_COLUMNS),
        countries=pq.read_table(directory / "countries.parquet", columns=COUNTRY_COLUMNS),
        manifest=json.loads((directory / "manifest.json").read_text(encoding="utf-8")),
    )
