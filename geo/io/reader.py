"""Read event files (YAML, CSV/ACLED, GeoJSON, GeoParquet) into a GeoDataFrame.

Every reader ends in the same table (:data:`COLUMNS`, EPSG:4326), one row per
event, in file order. Nested fields are lists of the records of
:mod:`geo.model` in memory (quantities of :class:`~geo.model.Quantity`, sources
of :class:`~geo.model.Source`, places of :class:`~geo.model.Place`; actors and
via of names) and JSON text on disk: reading a file :func:`write_events` wrote
gives the records back. The frame's ``attrs``
carry the run's report: ``unresolved`` (every place name no geocoder could
resolve, with file, record and field), ``truncated`` (every text cut to
:data:`~geo.schema.MAX_TEXT` characters, as ``file: record: field: truncated to N
of M characters``), ``title`` and ``documents``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import yaml

from geo.errors import InputError, UnresolvedPlaceError, brief
from geo.fields import Located, optional_text
from geo.io.csv import csv_frame
from geo.io.geojson import geojson_events
from geo.io.parquet import parquet_events
from geo.io.tabular import is_acled_json
from geo.io.utf8 import decode_utf8
from geo.io.writers import write_events
from geo.io.yaml import load_yaml, yaml_problem
from geo.model import Event
from geo.report import Rejected
from geo.resolve import Geocoder
from geo.schema import parse_event
from geo.table import COLUMNS, events_frame, records_frame

__all__ = ["COLUMNS", "read_events", "events_frame", "write_events"]


#: What a record is called in messages, by file type (CSV names its own rows).
_RECORD = {".geojson": "feature", ".json": "feature", ".parquet": "row", ".geoparquet": "row"}

#: The suffixes read as tables (CSV and the exports, see :mod:`geo.io.tabular`).
TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".gz", ".bz2", ".xz", ".zip", ".xlsx", ".xls",
                  ".ods")  # fmt: skip
#: Every suffix :func:`read_events` reads, and so the files it takes from a folder.
SUFFIXES = (".yaml", ".yml", *TABLE_SUFFIXES, ".geojson", ".json", ".parquet", ".geoparquet",
            ".gpkg")  # fmt: skip


def read_events(
    path: str | Path | Iterable[str | Path],
    *,
    geocoder: Geocoder | None = None,
    strict: bool = False,
) -> gpd.GeoDataFrame:
    """Read event files and geocode their places.

    A bad record is skipped, never fatal: it is listed in ``attrs["rejected"]``
    (:class:`~geo.report.Rejected`: file, record, field and reason), so that
    ``len(events) + len(events.attrs["rejected"]) == events.attrs["records"]``.
    Events placed with a doubt (coordinates outside the country their row names,
    a coarser place than the one named) are kept, and listed in
    ``attrs["flagged"]``.

    Parameters
    ----------
    path : str or Path, a folder, or several of them
        ``.yaml``/``.yml``; tables and real exports (ACLED, UCDP GED, GDELT, or the
        YAML fields as columns: ``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.gz``,
        recognised by their content); ``.geojson``/``.json`` (or ACLED's API
        JSON); ``.parquet``/``.geoparquet``; ``.gpkg``. A folder stands for its
        files with these suffixes, in name order; several files are read as one
        dataset, an id used again in a later file being rejected there.
    geocoder : Geocoder, optional
        Resolves place names; the offline gazetteer by default.
    strict : bool
        Raise instead of skipping: the :class:`~geo.errors.InputError` of the
        first rejected record, else :class:`~geo.errors.UnresolvedPlaceError` if
        any place name stays unresolved (listed in ``attrs["unresolved"]``
        otherwise), else an :class:`~geo.errors.InputError` for the first event
        flagged (placed outside the country its row names, or at a coarser
        place than the one named).

    Returns
    -------
    GeoDataFrame
        One row per event with the columns in :data:`COLUMNS` (then a real
        export's own columns), EPSG:4326.

    Examples
    --------
    >>> events = read_events("data/events/dprk-russia.yaml")  # doctest: +SKIP
    >>> events.attrs["unresolved"], events.attrs["rejected"]  # doctest: +SKIP
    ([], [])
    """
    paths = _paths(path)
    frames = [_read_file(p, geocoder=geocoder) for p in paths]
    frame = frames[0] if len(frames) == 1 else _concat(frames)
    if strict and frame.attrs["rejected"]:
        raise frame.attrs["rejected"][0].error()
    if strict and frame.attrs["unresolved"]:
        raise UnresolvedPlaceError(frame.attrs["unresolved"], file=frame.attrs["file"])
    if strict and frame.attrs["flagged"]:
        first, n = frame.attrs["flagged"][0], len(frame.attrs["flagged"])
        raise InputError(
            f"{first.reason} (placed with a doubt: {n:,} {'event' if n == 1 else 'events'} "
            "flagged in all; a strict read admits none)",
            file=first.file, record=first.record, field=first.field,
        )  # fmt: skip
    return frame


def _paths(path: str | Path | Iterable[str | Path]) -> list[Path]:
    """The files a path, a folder or several of them stand for, each once."""
    given = [path] if isinstance(path, str | Path) else list(path)
    if not given:
        raise InputError("no event file given")
    out: list[Path] = []
    for p in map(Path, given):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and _readable(f))
            if not found:
                raise InputError(
                    f"no event files in the folder; expected files ending {', '.join(SUFFIXES)}",
                    file=str(p),
                )
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise InputError("no such file", file=str(p))
    return list(dict.fromkeys(out))


def _readable(path: Path) -> bool:
    name = path.name.lower()
    return not name.startswith(".") and name.endswith(SUFFIXES)


def _read_file(path: Path, *, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """One file's frame, its attrs as :func:`read_events` documents them."""
    name = str(path)
    suffix = path.suffix.lower()
    meta: dict = {}
    if suffix in (".yaml", ".yml"):
        raws, meta = _yaml_records(path)
        frame = records_frame(
            [_parsed(r, name, i) for i, r in enumerate(raws, 1)], geocoder=geocoder, file=name
        )
    elif suffix in TABLE_SUFFIXES or (suffix == ".json" and is_acled_json(path)):
        frame = csv_frame(path, geocoder=geocoder)
    elif suffix in (".geojson", ".json"):
        events, given, meta = geojson_events(path)
        frame = records_frame(events, geocoder=geocoder, file=name, geometries=given,
                              record="feature")  # fmt: skip
    elif suffix in (".parquet", ".geoparquet"):
        events, given = parquet_events(path)
        frame = records_frame(events, geocoder=geocoder, file=name, geometries=given, record="row")
    elif suffix == ".gpkg":
        from geo.io.gpkg import gpkg_frame  # written with write_events

        frame = gpkg_frame(path, geocoder=geocoder)
    else:
        raise InputError(
            f"unknown file type {suffix!r}; expected one of {', '.join(SUFFIXES)}", file=name
        )
    where = Located(name, None)  # the file's own fields are shown on the map too
    meta = _meta(where, meta)
    frame.attrs["truncated"] = where.notes + frame.attrs.get("truncated", [])
    frame.attrs.update(meta)
    frame.attrs["file"] = name
    frame.attrs.setdefault("rejected", [])
    frame.attrs.setdefault("flagged", [])
    frame.attrs.setdefault("notes", [])
    frame.attrs.setdefault("records", len(frame) + len(frame.attrs["rejected"]))
    return frame


def _parsed(raw: object, file: str, i: int) -> Event | InputError:
    try:
        return parse_event(raw, file=file, index=i)
    except InputError as exc:
        return exc


#: attrs that are lists, joined across files.
_LISTS = ("unresolved", "places", "truncated", "rejected", "flagged", "notes", "documents")


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Several files' frames as one dataset: an id a previous file used is rejected
    (listed after that file's own rejections), with what was said of its row."""
    first_seen: dict[str, str] = {}
    parts, per_file = [], []
    for f in frames:
        file = f.attrs["file"]
        again = f["id"].map(first_seen.get)
        twice = again.notna().to_numpy()
        dropped = {f" ({brief(i)})" for i in f["id"][twice]}
        per_file.append((f, dropped, [
            Rejected(file, f"event {f['id'].iat[i]!r}", "id",
                     f"duplicate id; first used in {again.iat[i]}; expected unique "
                     "ids across the files read together")
            for i in np.flatnonzero(twice).tolist()
        ]))  # fmt: skip
        first_seen.update(dict.fromkeys(f["id"][~twice], file))
        parts.append(f[~twice])
    columns = list(dict.fromkeys(c for f in parts for c in f.columns))
    frame = gpd.GeoDataFrame(
        pd.concat([f.reindex(columns=columns) for f in parts], ignore_index=True),
        geometry="geometry",
        crs="EPSG:4326",
    )

    def kept(f: gpd.GeoDataFrame, dropped: set[str], key: str) -> list:
        """What ``f`` said of its rows, less the rows dropped as duplicates."""
        return [x for x in f.attrs.get(key, []) if not _of_dropped(x, dropped)]

    attrs = {k: [x for f, d, _ in per_file for x in kept(f, d, k)] for k in _LISTS}
    # a file's own rejections all stay: a row it rejected is not a row it kept
    attrs["rejected"] = [r for f, _, twice in per_file for r in [*f.attrs["rejected"], *twice]]
    attrs["kind_labels"] = {
        k: v for f in reversed(frames) for k, v in f.attrs["kind_labels"].items()
    }
    attrs["records"] = sum(f.attrs["records"] for f in frames)
    attrs["title"] = next((f.attrs["title"] for f in frames if f.attrs.get("title")), None)
    attrs["description"] = next(
        (f.attrs["description"] for f in frames if f.attrs.get("description")), None
    )
    attrs["file"] = frames[0].attrs["file"]
    attrs["files"] = [f.attrs["file"] for f in frames]
    frame.attrs.update(attrs)
    return frame


def _of_dropped(entry: object, dropped: set[str]) -> bool:
    """Whether a flag or unresolved name is about a row dropped (its record label ends
    with the row's id, as record_label writes it)."""
    record = getattr(entry, "record", None)
    return bool(dropped) and isinstance(record, str) and any(record.endswith(d) for d in dropped)


def _meta(where: Located, meta: Mapping) -> dict:
    """The file's title, description and documents, checked as an event's fields are."""
    meta = where.clean({k: meta.get(k) for k in ("title", "description", "documents")})
    documents = meta["documents"]
    if documents is None:
        documents = []
    if not isinstance(documents, list):
        raise where.fail("documents", f"expected a list of {{id, name}}, got {brief(documents)}")
    for i, d in enumerate(documents):
        if not (isinstance(d, Mapping) and d.get("id") is not None):
            raise where.fail(f"documents[{i}]", f"expected {{id, name, ...}}, got {brief(d)}")
    return {
        "title": optional_text(where, meta["title"], "title"),
        "description": optional_text(where, meta["description"], "description"),
        "documents": documents,
    }


# --------------------------------------------------------------------------- formats


def _yaml_records(path: Path) -> tuple[list, dict]:
    name = str(path)
    raw = path.read_bytes()
    text = decode_utf8(raw, file=name)
    try:
        data = load_yaml(text, name)
    except yaml.YAMLError as exc:
        record, reason = yaml_problem(exc, text)
        raise InputError(f"not valid YAML: {reason}", file=name, record=record) from None
    if isinstance(data, list):
        return data, {}
    if isinstance(data, Mapping) and isinstance(data.get("events"), list):
        return data["events"], {k: v for k, v in data.items() if k != "events"}
    raise InputError("expected a list of events, or a mapping with an 'events' list", file=name)
