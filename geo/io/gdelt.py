"""GDELT 1.0 and 2.0 event files, read as they come.

GDELT's event files have no header: each line is one event's tab-separated
fields, 57 in the 1.0 backfiles, 58 in its daily files (``SOURCEURL`` last),
61 in 2.0 (each geo block gains ``ADM2Code``). The table reader names them as
the GDELT codebooks do (``GLOBALEVENTID``, ``SQLDATE``, ``Actor1Name``, ...,
``ActionGeo_Lat``, ``SOURCEURL``: :func:`geo.io.delimited.gdelt_columns`).

An event is what ``Actor1`` did to ``Actor2``, coded in CAMEO (``EventCode``
190: use conventional military force; its root ``EventRootCode`` 19, "Fight",
is the event's kind), on ``SQLDATE``, where ``ActionGeo`` places it. Its country
code is FIPS 10-4, not ISO (:func:`geo.resolve.fips_country`: ``RS`` is Russia).
A row without the action's coordinates is placed by its name
(``ActionGeo_FullName``) within its country; a row that fails a check is skipped
and listed in ``attrs["rejected"]``, never fatal.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import InputError, brief
from geo.io.delimited import gdelt_columns
from geo.io.exports_common import (
    Placed,
    Rows,
    build_frame,
    check_ids,
    coded,
    column,
    country_name,
    date_columns,
    decimals,
    matches,
    nulls,
    per_row,
    per_value,
    texts,
    verdict,
)
from geo.model import PlaceRef, Source
from geo.resolve import Geocoder, PlaceResolver, country_code, fips_country
from geo.schema import normalize_kind

__all__ = [
    "GDELT1_COLUMNS", "GDELT2_COLUMNS", "GDELT_ANALYST_COLUMNS", "CAMEO_ROOTS", "QUAD_CLASSES",
    "GEO_TYPES", "gdelt_columns", "gdelt_frame",
]  # fmt: skip

#: GDELT 1.0's fields, in file order: 57, then ``SOURCEURL`` in the daily files (58);
#: named by the table reader (:func:`geo.io.delimited.gdelt_columns`), which finds them.
GDELT1_COLUMNS = tuple(gdelt_columns(58))
#: GDELT 2.0's 61 fields, in file order.
GDELT2_COLUMNS = tuple(gdelt_columns(61))
_ORDER = {name: k for k, name in enumerate(GDELT2_COLUMNS)}

#: The export's columns kept after the frame's, under GDELT's names, text or None.
GDELT_ANALYST_COLUMNS = (
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)  # fmt: skip

# The fields read: the analyst columns, and those the events are made of.
_USED = tuple(dict.fromkeys((
    "GLOBALEVENTID", "SQLDATE", *GDELT_ANALYST_COLUMNS, "ActionGeo_Lat", "ActionGeo_Long",
)))  # fmt: skip

#: The 20 root codes of CAMEO's event types and their names, as the CAMEO codebook
#: gives them (P. A. Schrodt, "CAMEO: Conflict and Mediation Event Observations Event
#: and Actor Codebook", version 1.1b3, Penn State, March 2012; GDELT's EventRootCode).
CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
#: QuadClass: the four primary classes of the event codes (GDELT codebooks).
QUAD_CLASSES = {"1": "Verbal cooperation", "2": "Material cooperation",
                "3": "Verbal conflict", "4": "Material conflict"}  # fmt: skip
#: ActionGeo_Type → (place_precision, what GDELT's geographic match was).
GEO_TYPES = {
    "1": ("country", "a country"),
    "2": ("admin1", "a US state"),
    "3": ("point", "a US city"),
    "4": ("point", "a world city"),
    "5": ("admin1", "a world state or province (admin 1)"),
}


def gdelt_frame(
    table: pa.Table,
    *,
    file: str | None,
    geocoder: Geocoder | None = None,
    numbers: Sequence[int] | None = None,
) -> gpd.GeoDataFrame:
    """A GDELT events table (GDELT's column names, every cell as text) → the events frame.

    One event per good row, in file order. The table holds the fields of
    :data:`GDELT1_COLUMNS` or :data:`GDELT2_COLUMNS` by name (those it lacks are
    read as empty); ``numbers`` names each row as messages do (``row N``: a GDELT
    file has no header, so its first line is ``row 1`` if the table reader says
    so), rows 2, 3, ... if omitted.

    Returns
    -------
    GeoDataFrame
        The columns of :data:`geo.table.COLUMNS`, then :data:`GDELT_ANALYST_COLUMNS`;
        ``attrs``: ``rejected``, ``flagged``, ``records``, ``unresolved``,
        ``places``, ``truncated``, ``kind_labels``.
    """
    cells = {name: column(table, name) for name in _USED}
    ids = cells["GLOBALEVENTID"]
    rows = Rows(file, ids, numbers)
    for name in _USED:
        rows.nul(_ORDER[name], name, cells[name])
    for name in ("Actor1Name", "Actor2Name", "ActionGeo_FullName", "SOURCEURL"):
        cells[name] = rows.long(_ORDER[name], name, cells[name])
    rows.refuse(  # GDELT numbers its events: "x12" is no GLOBALEVENTID (said first)
        _ORDER["GLOBALEVENTID"],
        "GLOBALEVENTID",
        ~(matches(ids, r"^[0-9]+$") | pc.equal(ids, "").to_numpy(zero_copy_only=False)),
        lambda i: f"expected GDELT's numeric GLOBALEVENTID, got {brief(ids[i].as_py())}",
    )
    check_ids(rows, _ORDER["GLOBALEVENTID"], "GLOBALEVENTID", ids)
    dates, dates_index = _dates(rows, cells["SQLDATE"])
    cells["EventRootCode"] = _roots(rows, cells)
    quad = cells["QuadClass"]
    rows.refuse(
        _ORDER["QuadClass"],
        "QuadClass",
        ~pc.is_in(quad, pa.array(["", *QUAD_CLASSES])).to_numpy(zero_copy_only=False),
        lambda i: f"expected a QuadClass from 1 to 4, got {brief(quad[i].as_py())}",
    )
    lat, lon, given = decimals(
        rows, cells["ActionGeo_Lat"], cells["ActionGeo_Long"],
        order=(_ORDER["ActionGeo_Lat"], _ORDER["ActionGeo_Long"]),
        names=("ActionGeo_Lat", "ActionGeo_Long"),
    )  # fmt: skip
    nameless = pc.equal(cells["ActionGeo_FullName"], "").to_numpy(zero_copy_only=False)
    rows.refuse(
        _ORDER["ActionGeo_Lat"],
        "ActionGeo_Lat",
        nameless & ~given,
        "missing; expected the action's coordinates, or its place (ActionGeo_FullName)",
    )
    rows.unique(_ORDER["GLOBALEVENTID"], "GLOBALEVENTID")

    keep = np.flatnonzero(rows.good)
    kept = (
        cells
        if len(keep) == rows.n
        else {name: values.take(pa.array(keep, type=pa.int64())) for name, values in cells.items()}
    )
    resolver = PlaceResolver(geocoder)
    placed = _places(rows, keep, kept, lat[keep], lon[keep], given[keep], resolver)
    root = kept["EventRootCode"]
    kinds = {r: normalize_kind(CAMEO_ROOTS[r]) for r in pc.unique(root).to_pylist()}
    data = {
        "id": kept["GLOBALEVENTID"],
        "kind": coded(root, kinds.get),
        "title": coded(_cells(kept, "EventRootCode", "Actor1Name", "Actor2Name",
                               "ActionGeo_FullName"), _title),
        "description": None,
        **date_columns(dates, [None] * len(dates), index=dates_index[keep]),
        "actors": [list(a) for a in coded(_cells(kept, "Actor1Name", "Actor2Name"),
                                          lambda *names: tuple(x for x in names if x))],
        **placed.columns(),
        "via": [[] for _ in keep],
        "quantities": [[] for _ in keep],
        "sources": _sources(kept["SOURCEURL"]),
        "status": "curated",
        "details": _details(kept),
    }  # fmt: skip
    labels = {kinds[r]: CAMEO_ROOTS[r] for r in pc.unique(root).to_pylist()}
    return build_frame(
        data, {name: nulls(kept[name]) for name in GDELT_ANALYST_COLUMNS},
        rows=rows, resolver=resolver, kind_labels=labels, keep=keep,
    )  # fmt: skip


def _cells(kept: dict, *names: str) -> list[pa.Array]:
    return [kept[n] for n in names]


# --------------------------------------------------------------------------- checks


def _dates(rows: Rows, sqldate: pa.Array) -> tuple[list, np.ndarray]:
    """Each distinct day (``SQLDATE``, YYYYMMDD), read by the schema once, and each
    row's index into them; a row whose day it refuses is refused."""

    def read(u: str):
        if len(u) != 8 or not u.isdigit():
            why = f"expected a date like 20160728 (YYYYMMDD), got {brief(u)}" if u else (
                "missing; expected a date like 20160728 (YYYYMMDD)")  # fmt: skip
            return InputError(why)
        day = f"{u[:4]}-{u[4:6]}-{u[6:]}"
        v = verdict(date=day)
        if isinstance(v, InputError):  # said of the value as written: '20241345'
            return InputError(v.reason.replace(brief(day), brief(u)), field=v.field)
        return v.date

    found, index = per_value(sqldate, read)
    rows.refuse_values(found, index, lambda _: (_ORDER["SQLDATE"], "SQLDATE"))
    return [None if isinstance(v, InputError) else v for v in found], index


def _roots(rows: Rows, cells: dict) -> pa.Array:
    """Each row's CAMEO root code (``01``..``20``): EventRootCode, else EventCode's
    first two digits; the rows with neither are refused."""
    raw = cells["EventRootCode"]
    code = pc.if_else(pc.equal(raw, ""), pc.utf8_slice_codeunits(cells["EventCode"], 0, 2), raw)
    code = pc.utf8_lpad(code, 2, "0")
    bad = ~pc.is_in(code, pa.array(list(CAMEO_ROOTS))).to_numpy(zero_copy_only=False)
    rows.refuse(_ORDER["EventRootCode"], "EventRootCode", bad,
                lambda i: f"expected a CAMEO root code from 01 to 20, got {brief(raw[i].as_py())}"
                if raw[i].as_py() else "missing; expected a CAMEO root code from 01 to 20, or an "
                "EventCode")  # fmt: skip
    return code


# --------------------------------------------------------------------------- the events


def _places(rows: Rows, keep: np.ndarray, kept: dict, lat, lon, given, resolver) -> Placed:
    """Each kept row's place: the action's coordinates, else its name resolved within its
    country (FIPS ActionGeo_CountryCode, else the country its place's name ends with);
    a code and a name of different countries are flagged."""
    types = kept["ActionGeo_Type"]
    country = coded(_cells(kept, "ActionGeo_CountryCode", "ActionGeo_FullName"), _Country.of)
    iso2 = [c.iso2 for c in country.tolist()]
    full = texts(kept["ActionGeo_FullName"])
    placed = Placed.given(
        lat, lon, given, names=full, countries=iso2,
        approximate=coded(types, lambda t: t in ("1", "2", "5")),
        precision=coded(types, lambda t: GEO_TYPES.get(t, (None,))[0]).tolist(),
    )  # fmt: skip
    at = np.flatnonzero(given)
    placed.check(rows, keep, at, lon, lat, [iso2[k] for k in at.tolist()],
                 [country[k].label for k in at.tolist()], field="ActionGeo_Lat",
                 named=[country[k].named for k in at.tolist()])  # fmt: skip

    def ref(k: int) -> PlaceRef:  # "Kursk, Kursk Oblast, Russia": Kursk within Kursk Oblast
        parts = [p.strip() for p in full[k].split(",") if p.strip()]
        return PlaceRef(parts[0], country=iso2[k], within=tuple(parts[1:-1]))

    unplaced = np.flatnonzero(~given).tolist()
    placed.resolve(rows, keep, resolver, ((k, ref(k)) for k in unplaced),
                   field="ActionGeo_FullName")  # fmt: skip
    for k in [k for k, c in enumerate(country.tolist()) if c.conflict]:
        placed.flags[k] = [*placed.flags[k], country[k].conflict]
        rows.flag(int(keep[k]), "ActionGeo_CountryCode", country[k].conflict)
    return placed


@dataclass(frozen=True)
class _Country:
    """The country a row names: ``iso2`` (its FIPS code's, else that of the last part
    of its place's name, else None), ``label`` (how a flag names it), ``conflict``
    (the flag of a code and a name of different countries, or None) and ``named``
    (whether the row names a country at all: a code the table lacks does)."""

    iso2: str | None
    label: str
    conflict: str | None = None
    named: bool = True

    @classmethod
    def of(cls, fips: str, full_name: str) -> _Country:
        last = (full_name or "").rpartition(",")[2].strip()
        by_fips = fips_country(fips) if fips else None
        # "Koria, Burkina Faso" with a code GDELT's FIPS table lacks: Burkina Faso
        by_name = _named_country(last) if last else None
        if by_fips is None:
            label = last if by_name else (f"FIPS {fips}" if fips else "its country")
            return cls(by_name, label, named=bool(by_name or fips))
        if by_name is None or by_name == by_fips:
            return cls(by_fips, f"{last} (FIPS {fips})" if by_name else f"FIPS {fips}")
        named = country_name(by_fips) or by_fips
        return cls(by_fips, f"{named} (FIPS {fips})", (
            f"the country code FIPS {fips} is {named}, but the place's name, "
            f"{brief(full_name)}, is in {last}: placed and checked within {named}"))  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _named_country(text: str) -> str | None:
    """The ISO2 code of the country a place's name ends with (few distinct ones)."""
    return country_code(text)


def _title(root: str, actor1: str, actor2: str, where: str) -> str:
    """``Fight: RUSSIA – UKRAINE``, from the root code, the actors and the place."""
    label = CAMEO_ROOTS[root]
    actors = " – ".join(a for a in (actor1, actor2) if a)
    return f"{label}: {actors or where}" if actors or where else label


def _sources(urls: pa.Array) -> list[list[Source]]:
    """Each row's source: SOURCEURL's host with the URL (or a name GDELT gives in its
    place, such as ``BBC Monitoring``), else GDELT itself; one record per URL."""
    hosts = pc.extract_regex(urls, _HOST)
    host = pc.struct_field(hosts, "host").to_pylist()
    cache: dict[str, Source] = {}
    out = []
    for url, h in zip(urls.to_pylist(), host, strict=True):
        if url not in cache:
            cache[url] = _source(url, h)
        out.append([cache[url]])
    return out


# A URL's host, as urllib.parse.urlsplit reads it for the plain URLs GDELT records.
_HOST = r"^(?i:https?)://(?i:www\.)?(?P<host>[^/:?#@\[\]\s]+)(?:[:/?#]|$)"


def _source(url: str, host: str | None) -> Source:
    if not url:
        return Source(name="GDELT")
    if host is None and url.lower().startswith(("http://", "https://")):
        try:  # credentials, a port or brackets: as urllib reads it
            host = (urlsplit(url).hostname or "").removeprefix("www.") or None
        except ValueError:
            host = None
    return Source(name=host.lower(), url=url) if host else Source(name=url)


def _details(kept: dict) -> list[list[tuple[str, str]]]:
    """Each row's own fields, as a popup shows them: (label, text) pairs, each made once
    per distinct value and shared between the rows that have it. What the popup says
    otherwise (the kind, the title's actors, the place's name) is not said again."""

    def item(label: str, fmt=lambda u: u):
        return lambda u: (label, fmt(u)) if u else None

    def event(root: str, code: str) -> tuple[str, str]:
        return ("CAMEO code", f"{code} (root {root})" if code and code != root else root)

    def actor(label: str):
        def fmt(name: str, code: str) -> tuple[str, str] | None:
            return (label, f"{name} ({code})" if code else name) if name else None

        return fmt

    def coverage(*counts_: str) -> tuple[str, str] | None:
        counts = [f"{v} {w}" if v != "1" else f"1 {w[:-1]}"
                  for v, w in zip(counts_, ("mentions", "sources", "articles"), strict=True)
                  if v]  # fmt: skip
        return ("Coverage", ", ".join(counts)) if counts else None

    def geo_type(t: str) -> tuple[str, str] | None:
        return (
            ("Geo precision", f"{GEO_TYPES[t][1]} (ActionGeo_Type {t})") if t in GEO_TYPES else None
        )

    def quad(q: str) -> str:
        return f"{QUAD_CLASSES[q]} (QuadClass {q})"

    tone = [("Average tone", t) if t else None for t in kept["AvgTone"].to_pylist()]
    return per_row([
        coded(_cells(kept, "EventRootCode", "EventCode"), event),
        coded(kept["QuadClass"], item("Quad class", quad)),
        coded(kept["GoldsteinScale"], item("Goldstein scale")),
        coded(_cells(kept, "Actor1Name", "Actor1Code"), actor("Actor 1")),
        coded(_cells(kept, "Actor2Name", "Actor2Code"), actor("Actor 2")),
        coded(kept["ActionGeo_Type"], geo_type),
        coded(_cells(kept, "NumMentions", "NumSources", "NumArticles"), coverage),
        tone,
        coded(kept["DATEADDED"], item("Date added", _stamp)),
    ])  # fmt: skip


def _stamp(added: str) -> str:
    """DATEADDED: YYYYMMDD (1.0) or YYYYMMDDHHMMSS in UTC (2.0), as a reader writes it."""
    if added.isdigit() and len(added) == 8:
        return f"{added[:4]}-{added[4:6]}-{added[6:]}"
    if added.isdigit() and len(added) == 14:
        a = added
        return f"{a[:4]}-{a[4:6]}-{a[6:8]} {a[8:10]}:{a[10:12]}:{a[12:]} UTC"
    return added
