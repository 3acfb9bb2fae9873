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
import pyarrow.parquet as pq
import yaml

from geo.errors import InputError, brief
from geo.gazetteer.index_file import IndexFile
from geo.gazetteer.normalize import acronym_key, normalize
from geo.io.utf8 import decode_utf8
from geo.io.yaml import load_yaml, yaml_problem

# Codes shared with data/gazetteer/build.py (names.idx).
KIND_COUNTRY, KIND_REGION, KIND_CITY, KIND_CURATED = 0, 1, 2, 3
ALIAS, CANONICAL, ALTERNATE, DERIVED, VARIANT = -1, 0, 1, 2, 3
#: How the offline gazetteer names itself in errors and results.
PROVIDER = "eventmap offline gazetteer"

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


#: Largest file read: a hand-written list of places is far smaller.
_MAX_BYTES = 64 << 20


def _records(path: Path, key: str) -> list:
    where = {"file": str(path)}
    try:
        with path.open("rb") as f:
            data = f.read(_MAX_BYTES + 1)  # not all of /dev/zero
    except IsADirectoryError:
        raise InputError("expected a YAML file, found a directory", **where) from None
    except FileNotFoundError:
        raise InputError("no such file", **where) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", **where) from None
    if len(data) > _MAX_BYTES:
        raise InputError(
            f"larger than {_MAX_BYTES >> 20} MiB; expected a hand-written YAML file", **where
        )
    text = decode_utf8(data, file=where["file"])
    if not text.strip():
        raise InputError(f"the file is empty; expected a mapping with a '{key}' list", **where)
    try:
        doc = load_yaml(text, str(path))
    except yaml.YAMLError as exc:
        record, reason = yaml_problem(exc, text)
        raise InputError(f"not valid YAML: {reason}", record=record, **where) from None
    if not isinstance(doc, dict):
        got = _kind(doc)
    elif key not in doc:
        got = f"a mapping with no '{key}'"
    elif not isinstance(doc[key], list):
        got = f"a '{key}' of {_kind(doc[key])}"
    else:
        return doc[key]
    raise InputError(f"expected a mapping with a '{key}' list, got {got}", **where)


def _kind(value) -> str:
    """How a YAML value reads in a message: ``text 'Kursk'``, ``a list``, ``nothing``."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"text {brief(value)} (the file is read as YAML)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {brief(value)}"


def _text(entry: dict, field: str, where: dict, *, required: bool = True) -> str | None:
    value = entry.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"expected non-empty text, got {brief(value)}", field=field, **where)
    return value.strip()


def _degrees(entry: dict, field: str, limit: float, where: dict) -> float:
    value = entry.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"expected a number of degrees, got {brief(value)}", field=field, **where)
    if not -limit <= value <= limit:
        raise InputError(
            f"expected a value between -{limit} and {limit}, got {brief(value)}",
            field=field,
            **where,
        )
    return float(value)


def read_curated(path: str | Path, countries: set[str]) -> list[CuratedPlace]:
    """Read and check a curated-places file.

    Parameters
    ----------
    path : str or Path
        YAML file with a ``places:`` list (format documented in
        ``geo/data/gazetteer/curated.yaml``).
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
            raise InputError(f"expected a mapping, got {brief(entry)}", **where)
        pid = _text(entry, "id", where)
        where["record"] = f"place {i} ({brief(pid)})"
        if not _ID.match(pid):
            raise InputError(
                f"expected [a-z0-9-] characters, got {brief(pid)}", field="id", **where
            )
        kind = _text(entry, "kind", where)
        if kind not in CURATED_KINDS:
            raise InputError(
                f"expected one of {', '.join(CURATED_KINDS)}, got {brief(kind)}",
                field="kind",
                **where,
            )
        country = _text(entry, "country", where)
        if country not in countries:
            raise InputError(
                f"expected an ISO 3166-1 alpha-2 code, got {brief(country)}",
                field="country",
                **where,
            )
        approximate = entry.get("approximate", False)
        if not isinstance(approximate, bool):
            raise InputError(
                f"expected true or false, got {brief(approximate)}", field="approximate", **where
            )
        names = entry.get("alternate_names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise InputError(
                f"expected a list of names, got {brief(names)}", field="alternate_names", **where
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
            raise InputError(f"expected a mapping, got {brief(entry)}", **where)
        name = _text(entry, "name", where)
        where["record"] = f"alias {i} ({brief(name)})"
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

    Countries are small integer codes (indexes into :attr:`codes`), admin-1
    units integer ids (``"RU.41"`` → an int shared by GeoNames places and
    Natural Earth regions), so that ranking compares numbers, not strings.
    Geometry is not read here: polygons are loaded on first use.
    """

    directory: Path
    index: IndexFile
    codes: list[str]  # ISO2 codes; a country code is an index into this list
    # GeoNames places, by row of places.parquet (sorted by geonameid)
    place_gid: np.ndarray
    place_name: StringColumn
    place_country: np.ndarray  # int16 code, -1 if none
    place_admin1: np.ndarray  # int32 admin-1 id, -1 if none
    place_lat: np.ndarray
    place_lon: np.ndarray
    place_population: np.ndarray
    place_names: np.ndarray  # how many distinct names the place has
    # Natural Earth admin-1 regions
    region_id: list[str]
    region_name: list[str]
    region_country: np.ndarray
    region_admin1: np.ndarray
    region_lat: np.ndarray
    region_lon: np.ndarray
    region_types: list[tuple[str | None, str | None]]
    # Natural Earth countries
    country_id: list[str]
    country_iso2: list[str]
    country_name: list[str]
    country_code: np.ndarray
    country_lat: np.ndarray
    country_lon: np.ndarray
    country_capital: np.ndarray  # GeoNames id of the capital, 0 if none
    manifest: dict

    def code(self, iso2: str | None) -> int:
        """The code of an ISO2 country, or -1."""
        return self._code_of.get(iso2, -1) if iso2 else -1

    def __post_init__(self) -> None:
        self._code_of = {c: i for i, c in enumerate(self.codes)}


REGION_COLUMNS = ["id", "name", "iso2", "type", "type_en", "gn_a1_code", "lat", "lon"]
COUNTRY_COLUMNS = ["id", "iso2", "iso3", "name", "lat", "lon", "capital"]
PLACE_COLUMNS = ["geonameid", "name", "country", "admin1", "lat", "lon", "population", "names"]


def _read(path: Path, columns: list[str], dictionary: list[str] | None = None) -> pa.Table:
    # ParquetFile, not read_table: read_table goes through pyarrow.dataset,
    # which imports pandas (0.2 s). One thread: for tables this small a
    # thread pool costs more than it saves.
    return pq.ParquetFile(path, read_dictionary=dictionary).read(columns, use_threads=False)


def _numpy(column, dtype=np.int64) -> np.ndarray:
    """A null-free numeric Arrow column as a numpy array of ``dtype``.

    Read from the Arrow buffer: pyarrow's ``to_numpy`` imports pandas.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    assert column.null_count == 0, "expected a column without nulls"
    if pa.types.is_decimal(column.type):
        # decimal128: 16-byte little-endian integers; ours fit the low 8 bytes.
        raw = np.frombuffer(column.buffers()[1], dtype="<i8", count=2 * len(column),
                            offset=column.offset * 16)  # fmt: skip
        return (raw[::2] / 10**column.type.scale).astype(dtype)
    width = column.type.bit_width // 8
    if pa.types.is_floating(column.type):
        kind = "f"
    else:
        kind = "i" if pa.types.is_signed_integer(column.type) else "u"
    data = np.frombuffer(
        column.buffers()[1],
        dtype=np.dtype(f"<{kind}{width}"),
        count=len(column),
        offset=column.offset * width,
    )
    return data.astype(dtype)


class StringColumn:
    """Read access to an Arrow string column without pyarrow calls per row.

    ``column[i]`` slices the column's UTF-8 buffer (pyarrow's ``take`` and
    ``pa.array`` import pandas, which a cold query must not pay for).
    """

    def __init__(self, column):
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        assert column.type == pa.string() and column.null_count == 0
        _, offsets, data = column.buffers()
        self._offsets = np.frombuffer(offsets, dtype="<i4", count=len(column) + 1 + column.offset)
        self._offsets = self._offsets[column.offset :]
        self._data = data.to_pybytes() if data is not None else b""
        self._len = len(column)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i: int) -> str:
        return self._data[self._offsets[i] : self._offsets[i + 1]].decode("utf-8")


def _floats(column) -> np.ndarray:
    return _numpy(column, np.float64)


def read_tables(directory: Path) -> Tables:
    """Read the name index and the attribute columns of every table (no geometry).

    Raises
    ------
    InputError
        If the directory holds no gazetteer or an index of another format.
    """
    index_path = directory / "names.idx"
    if not index_path.exists():
        raise InputError(
            "no gazetteer here (names.idx is missing); run data/gazetteer/build.py",
            file=str(directory),
        )
    index = IndexFile(index_path)  # an InputError naming the file if it is no index
    places = _read(directory / "places.parquet", PLACE_COLUMNS, ["country", "admin1"])
    regions = _read(directory / "regions.parquet", REGION_COLUMNS)
    countries = _read(directory / "countries.parquet", COUNTRY_COLUMNS)

    p_country = places["country"].combine_chunks()
    p_admin1 = places["admin1"].combine_chunks()
    region_iso2 = regions["iso2"].to_pylist()
    country_iso2 = countries["iso2"].to_pylist()
    codes = sorted(
        {*country_iso2, *(c for c in region_iso2 if c), *p_country.dictionary.to_pylist()} - {""}
    )
    code_of = {c: i for i, c in enumerate(codes)}

    def as_codes(values) -> np.ndarray:
        return np.array([code_of.get(v, -1) if v else -1 for v in values], dtype=np.int16)

    # Admin-1 ids: "RU.41" for GeoNames places (country + admin1 code) and
    # Natural Earth's gn_a1_code, which uses the same codes.
    admin1_of: dict[str, int] = {}

    def admin1_id(code: str | None) -> int:
        if not code or code.endswith("."):
            return -1
        return admin1_of.setdefault(code, len(admin1_of))

    # GeoNames: the dictionary of (country, admin1) pairs is small; map it once.
    pair_country = _numpy(p_country.indices)
    pair_admin1 = _numpy(p_admin1.indices)
    a1_dict = p_admin1.dictionary.to_pylist()
    c_dict = p_country.dictionary.to_pylist()
    pairs, inverse = np.unique(
        pair_country.astype(np.int64) * len(a1_dict) + pair_admin1, return_inverse=True
    )
    pair_ids = np.array(
        [admin1_id(f"{c_dict[p // len(a1_dict)]}.{a1_dict[p % len(a1_dict)]}") for p in pairs],
        dtype=np.int32,
    )
    place_country = as_codes(c_dict)[pair_country]
    return Tables(
        directory=directory,
        index=index,
        codes=codes,
        place_gid=_numpy(places["geonameid"]),
        place_name=StringColumn(places["name"]),
        place_country=place_country,
        place_admin1=pair_ids[inverse.reshape(-1)],
        place_lat=_floats(places["lat"]),
        place_lon=_floats(places["lon"]),
        place_population=_numpy(places["population"]),
        place_names=_numpy(places["names"]),
        region_id=regions["id"].to_pylist(),
        region_name=regions["name"].to_pylist(),
        region_country=as_codes(region_iso2),
        region_admin1=np.array(
            [admin1_id(c) for c in regions["gn_a1_code"].to_pylist()], dtype=np.int32
        ),
        region_lat=_floats(regions["lat"]),
        region_lon=_floats(regions["lon"]),
        region_types=list(
            zip(regions["type"].to_pylist(), regions["type_en"].to_pylist(), strict=True)
        ),
        country_id=countries["id"].to_pylist(),
        country_iso2=country_iso2,
        country_name=countries["name"].to_pylist(),
        country_code=as_codes(country_iso2),
        country_lat=_floats(countries["lat"]),
        country_lon=_floats(countries["lon"]),
        country_capital=_numpy(countries["capital"]),
        manifest=json.loads((directory / "manifest.json").read_text(encoding="utf-8")),
    )
