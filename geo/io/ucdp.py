"""UCDP GED (the Georeferenced Event Dataset) exports, read as they come.

Each row is an event of organised violence: ``type_of_violence`` 1, 2 or 3 (kinds
``state_based``, ``non_state``, ``one_sided``), between ``side_a`` and ``side_b``,
from ``date_start`` to ``date_end``, with ``best`` deaths (``low`` to ``high``),
at ``latitude``/``longitude`` placed as precisely as ``where_prec`` says (1 the
exact place ... 7 international waters or airspace). The codes' meanings follow
the UCDP GED codebook. Every version's layout reads alike: ``start_year`` and
``end_year`` after ``year``, ``iso3`` after ``latitude``, and the HDX copy (its
HXL hashtag row counted in ``numbers``, by the table reader).

Nothing about a row is fatal: a row that fails a check is skipped and listed in
``attrs["rejected"]``; coordinates outside the country the row names are kept,
flagged and listed in ``attrs["flagged"]``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import InputError, brief
from geo.fields import MAX_TEXT
from geo.io.exports_common import (
    Placed,
    Rows,
    build_frame,
    check_ids,
    coded,
    column,
    date_columns,
    decimals,
    matches,
    nulls,
    per_row,
    per_value,
    texts,
    verdict,
)
from geo.io.tabular import detect_format
from geo.model import PartialDate, PlaceRef, Source
from geo.resolve import Geocoder, PlaceResolver, country_code
from geo.schema import parse_date

__all__ = [
    "UCDP_COLUMNS", "UCDP_ANALYST_COLUMNS", "VIOLENCE", "WHERE_PREC", "DATE_PREC",
    "is_ucdp", "ucdp_frame",
]  # fmt: skip

#: The columns of a UCDP GED export, in file order (GED 22.1 and later; some
#: versions add ``start_year,end_year`` after ``year`` or move ``iso3``).
UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "iso3", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
#: The export's columns kept after the frame's, text or None, for analysts to filter on.
UCDP_ANALYST_COLUMNS = (
    "conflict_name", "dyad_name", "side_a", "side_b", "type_of_violence", "where_prec",
    "date_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "country",
    "iso3", "region", "event_clarity", "best", "low", "high", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "source_original", "year",
)  # fmt: skip

#: type_of_violence → (kind, label). A kind is an id as :func:`geo.schema.normalize_kind`
#: makes it (``state-based`` → ``state_based``), so that the events read back from a file
#: :func:`geo.write_events` wrote, or written as YAML, have the same kinds.
VIOLENCE = {
    "1": ("state_based", "State-based violence"),
    "2": ("non_state", "Non-state violence"),
    "3": ("one_sided", "One-sided violence"),
}
#: where_prec → (place_precision, what the code means).
WHERE_PREC = {
    "1": ("point", "the exact place"),
    "2": ("near", "within about 25 km of the place"),
    "3": ("admin2", "only the district (admin 2) known"),
    "4": ("admin1", "only the province (admin 1) known"),
    "5": ("area", "a linear feature or an area larger than a district"),
    "6": ("country", "only the country known"),
    "7": ("area", "international waters or airspace"),
}
#: date_prec → what the code means (the date range is date_start..date_end).
DATE_PREC = {
    "1": "the exact day",
    "2": "within 2 to 6 days",
    "3": "within a week",
    "4": "within 8 to 30 days, or the month",
    "5": "within more than a month, or the year",
}
_WHERE = {code: meaning for code, (_, meaning) in WHERE_PREC.items()}
_CLARITY = {"1": "high", "2": "low"}
_DEATHS = (("deaths_a", "side A"), ("deaths_b", "side B"),
           ("deaths_civilians", "civilians"), ("deaths_unknown", "unknown"))  # fmt: skip
_ORDER = {name: k for k, name in enumerate(UCDP_COLUMNS)}
_POINT = r"^\s*POINT\s*\(\s*([^\s()]+)\s+([^\s()]+)\s*\)\s*$"


def is_ucdp(columns: Iterable[str]) -> bool:
    """True when a table's columns are UCDP GED's, by the one rule the table reader
    tells formats by (:func:`geo.io.tabular.detect_format`)."""
    return detect_format(columns) == "ucdp"


def ucdp_frame(
    table: pa.Table,
    *,
    file: str | None,
    geocoder: Geocoder | None = None,
    numbers: Sequence[int] | None = None,
) -> gpd.GeoDataFrame:
    """A UCDP GED table (lower-cased column names, every cell as text) → the events frame.

    One event per good row, in file order. A row without coordinates is placed by
    name (``where_coordinates``, else ``adm_2``, ``adm_1``) within the row's country.

    Parameters
    ----------
    table : pyarrow.Table
        Every column ``pa.string()``, ``""`` when empty; missing spellings (``NA``,
        ``N/A``, ``nan``, ``NULL``) are read as missing.
    file : str
        The file's name, for the rejections, flags and unresolved places.
    geocoder : Geocoder, optional
        Resolves the rows without coordinates; the offline gazetteer by default.
    numbers : sequence of int, optional
        Each row's record number (``row N``), the header being row 1; rows 2, 3,
        ... if omitted (an HDX copy's rows start at 3).

    Returns
    -------
    GeoDataFrame
        The columns of :data:`geo.table.COLUMNS`, then :data:`UCDP_ANALYST_COLUMNS`;
        ``attrs``: ``rejected``, ``flagged``, ``records``, ``unresolved``,
        ``places``, ``truncated``, ``kind_labels``.
    """
    cells = {name: column(table, name) for name in UCDP_COLUMNS}
    ids = cells["id"]
    rows = Rows(file, ids, numbers)
    for name in UCDP_COLUMNS:
        rows.nul(_ORDER[name], name, cells[name])
    for name in ("conflict_name", "dyad_name", "side_a", "side_b", "source_headline",
                 "source_article", "where_description", "where_coordinates"):  # fmt: skip
        cells[name] = rows.long(_ORDER[name], name, cells[name])
    check_ids(rows, _ORDER["id"], "id", ids)
    _coded(rows, cells, "type_of_violence", VIOLENCE, required=True,
                   expected="1 (state-based), 2 (non-state) or 3 (one-sided)")  # fmt: skip
    _coded(rows, cells, "where_prec", WHERE_PREC, expected="a where_prec from 1 to 7")
    _coded(rows, cells, "date_prec", DATE_PREC, expected="a date_prec from 1 to 5")
    *dates, dates_index = _dates(rows, cells["date_start"], cells["date_end"], cells["date_prec"])
    quantities = _fatalities(rows, cells)
    for name, _ in _DEATHS:
        _counts(rows, cells[name], name)
    lat, lon, given = _coordinates(rows, cells)
    nameless = np.ones(rows.n, dtype=bool)
    for name in ("where_coordinates", "adm_2", "adm_1", "country", "iso3"):
        nameless &= pc.equal(cells[name], "").to_numpy(zero_copy_only=False)
    rows.refuse(_ORDER["latitude"], "latitude", nameless & ~given,
                "missing; expected latitude and longitude, or a place (where_coordinates, "
                "adm_1, country)")  # fmt: skip
    rows.unique(_ORDER["id"], "id")

    keep = np.flatnonzero(rows.good)
    kept = (
        cells
        if len(keep) == rows.n
        else {name: values.take(pa.array(keep, type=pa.int64())) for name, values in cells.items()}
    )
    resolver = PlaceResolver(geocoder)
    placed = _places(rows, keep, kept, lat[keep], lon[keep], given[keep], resolver)
    violence = kept["type_of_violence"]
    sources = coded(_cells(kept, "source_office", "source_date", "source_headline",
                           "source_article"), _sources)  # fmt: skip
    data = {
        "id": kept["id"],
        "kind": coded(violence, lambda t: VIOLENCE[t][0]),
        "title": _titles(rows, keep, kept),
        "description": [d for _, d in sources],
        **date_columns(*dates, index=dates_index[keep]),
        "actors": [list(a) for a in coded(_cells(kept, "side_a", "side_b"),
                                          lambda *sides: tuple(x for x in sides if x))],
        **placed.columns(),
        "via": [[] for _ in keep],
        "quantities": [list(q) for q in quantities[keep]],
        "sources": [list(s) for s, _ in sources],
        "status": "curated",
        "details": _details(kept),
    }  # fmt: skip
    labels = {VIOLENCE[t][0]: VIOLENCE[t][1] for t in pc.unique(violence).to_pylist()}
    return build_frame(
        data, {name: nulls(kept[name]) for name in UCDP_ANALYST_COLUMNS},
        rows=rows, resolver=resolver, kind_labels=labels, keep=keep,
    )  # fmt: skip


def _cells(kept: dict, *names: str) -> list[pa.Array]:
    return [kept[n] for n in names]


# --------------------------------------------------------------------------- checks


def _coded(rows: Rows, cells: dict, name: str, codes: dict, *, expected: str,
           required: bool = False) -> None:  # fmt: skip
    """A code column: a row with another value (or none, if ``required``) is refused."""
    values = cells[name]
    # "1.0": a code re-saved by a spreadsheet or pandas as a float is the code.
    values = cells[name] = pc.replace_substring_regex(values, r"^(\d+)\.0+$", r"\1")
    bad_values, index = per_value(values, lambda u: (u not in codes) and (required or u != ""))
    bad = np.array(bad_values, dtype=bool)[index] if len(index) else np.zeros(0, bool)
    rows.refuse(_ORDER[name], name, bad,
                lambda i: f"expected {expected}, got {brief(values[i].as_py())}"
                if values[i].as_py() else f"missing; expected {expected}")  # fmt: skip


def _dates(
    rows: Rows, start: pa.Array, end: pa.Array, prec: pa.Array
) -> tuple[list, list, np.ndarray]:
    """Each distinct (date_start, date_end, date_prec)'s first and last day (None when
    the first covers it), read by the schema once and made as precise as date_prec
    says (:func:`_precise`), and each row's index into them; a row whose dates the
    schema refuses is refused."""
    found, index = per_value([start, end, prec], _date_pair)
    first = [v[0] if isinstance(v, tuple) else None for v in found]
    last = [v[1] if isinstance(v, tuple) else None for v in found]
    field = {"end_date": "date_end"}  # the schema's field → the column
    rows.refuse_values(found, index, lambda v: (_ORDER[f := field.get(v.field, "date_start")], f))
    return first, last, index


def _date_pair(start: str, end: str, prec: str = ""):
    if not start:
        return InputError("missing; expected the day it started, like 2022-02-24",
                          field="date")  # fmt: skip
    v = verdict(date=start, end_date=end or None)
    if isinstance(v, InputError):
        return v
    return _precise(v.date, v.end_date or v.date, prec)


#: date_prec → (the date's precision, the fewest days its range spans): UCDP's
#: codebook: 1 the exact day; 2 within 2 to 6 days; 3 within a week; 4 within 8 to 30
#: days, or the month; 5 within more than a month, or only the year.
_DATE_PRECISION = {"1": ("day", 1), "2": ("week", 2), "3": ("week", 7), "4": ("month", 8),
                   "5": ("year", 32)}  # fmt: skip


def _precise(first: PartialDate, last: PartialDate, prec: str):
    """(the date, its end or None) of a row dated ``first`` .. ``last`` with ``date_prec``
    ``prec``: the date has the precision date_prec gives it (2 and 3 a week, 4 a month,
    5 a year) and the interval is the row's own date_start .. date_end, widened only
    when it is narrower than date_prec says (a single day at date_prec 5, "only the
    year known", stands for that year): then to the week that starts at date_start
    (date_prec 2 or 3), date_start's month (4) or year (5), and to date_end if that
    lies beyond it."""
    begin, finish = first.start, last.end
    precision, fewest = _DATE_PRECISION.get(prec, ("day", 1))
    if PartialDate.PRECISIONS.index(first.precision) > PartialDate.PRECISIONS.index(precision):
        precision = first.precision  # the data says less than date_prec: "2023" stays 2023
    if precision == "day":
        return first, (last if finish != begin else None)
    if (finish - begin).days + 1 < fewest or first.precision != "day":
        if precision == "week":
            unit = PartialDate.week(begin)
        elif precision == "month":
            unit = PartialDate.month(begin.year, begin.month)
        else:
            unit = PartialDate(dt.date(begin.year, 1, 1), dt.date(begin.year, 12, 31), "year")
        if finish <= unit.end:
            return unit, None
        return PartialDate(unit.start, finish, precision), PartialDate.day(finish)
    return PartialDate(begin, finish, precision), PartialDate.day(finish)


def _fatalities(rows: Rows, cells: dict) -> np.ndarray:
    """Each row's quantities: ``best`` fatalities, ``low`` to ``high``."""
    fields = {"value": "best", "low": "low", "high": "high"}

    def read(best: str, low: str, high: str):
        if not (best or low or high):
            return ()
        if not best:
            return InputError("missing; expected the best estimate with low and high",
                              field="best")  # fmt: skip
        v = verdict(quantities=[{"value": best, "unit": "fatalities",
                                 "low": low or None, "high": high or None}])  # fmt: skip
        if isinstance(v, InputError):  # named by UCDP's columns: best, low, high
            part = (v.field or "").rpartition(".")[2]
            reason = v.reason.replace("<= value <=", "<= best <=").replace(" value=", " best=")
            return InputError(reason, field=fields.get(part, "best"))
        return v.quantities

    found, index = per_value(_cells(cells, "best", "low", "high"), read)
    rows.refuse_values(found, index, lambda v: (_ORDER[v.field], v.field))
    out = np.empty(len(found), dtype=object)
    out[:] = [() if isinstance(v, InputError) else v for v in found]
    return out[index]


def _counts(rows: Rows, values: pa.Array, name: str) -> None:
    """A column of counts (deaths by party): a value that is no count of 0 or more is
    refused."""

    def check(u: str):
        if not u:
            return None
        v = verdict(quantities=[{"value": u, "unit": "x"}])
        return v if isinstance(v, InputError) else None

    found, index = per_value(values, check)
    rows.refuse_values(found, index, lambda _: (_ORDER[name], name))


def _coordinates(rows: Rows, cells: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """latitude/longitude, else the point of geom_wkt (``POINT (lon lat)``)."""
    lat_text, lon_text = cells["latitude"], cells["longitude"]
    none = pc.and_(pc.equal(lat_text, ""), pc.equal(lon_text, ""))
    wkt = pc.and_(none, pc.not_equal(cells["geom_wkt"], ""))
    if pc.any(wkt).as_py():
        point = matches(cells["geom_wkt"], _POINT)
        bad = wkt.to_numpy(zero_copy_only=False) & ~point
        rows.refuse(_ORDER["geom_wkt"], "geom_wkt", bad,
                    lambda i: "expected a point like POINT (36.23 49.99), got "
                    f"{brief(cells['geom_wkt'][i].as_py())}")  # fmt: skip
        parts = pc.extract_regex(
            cells["geom_wkt"], r"^\s*POINT\s*\(\s*(?P<x>[^\s()]+)\s+(?P<y>[^\s()]+)"
        )
        use = pc.and_(wkt, pa.array(point))
        lon_text = pc.if_else(use, pc.struct_field(parts, "x"), lon_text)
        lat_text = pc.if_else(use, pc.struct_field(parts, "y"), lat_text)
        lon_text = pc.fill_null(lon_text, "")
        lat_text = pc.fill_null(lat_text, "")
    return decimals(rows, lat_text, lon_text, order=(_ORDER["latitude"], _ORDER["longitude"]),
                    names=("latitude", "longitude"))  # fmt: skip


# --------------------------------------------------------------------------- the events


def _places(rows: Rows, keep: np.ndarray, kept: dict, lat, lon, given, resolver) -> Placed:
    """Each kept row's place: its coordinates, else its name resolved within its areas."""
    where_prec = kept["where_prec"]
    # The country as the row names it (its name, else its ISO3 code), and its ISO2 code.
    country = pc.if_else(pc.equal(kept["country"], ""), kept["iso3"], kept["country"])
    iso2 = coded(_cells(kept, "iso3", "country"), _iso2).tolist()
    named = coded(
        [kept["where_coordinates"], kept["adm_1"], country],
        lambda *parts: ", ".join(dict.fromkeys(x for x in parts if x)) or None,
    )
    country = texts(country)
    placed = Placed.given(
        lat, lon, given, names=named, countries=iso2,
        approximate=coded(where_prec, lambda p: p not in ("1", "")),
        precision=coded(where_prec, lambda p: WHERE_PREC.get(p, (None,))[0]).tolist(),
    )  # fmt: skip
    # International waters or airspace (where_prec 7) lie in no country: not checked.
    at = np.flatnonzero(given & pc.not_equal(where_prec, "7").to_numpy(zero_copy_only=False))
    placed.check(rows, keep, at, lon, lat, [iso2[k] or country[k] for k in at.tolist()],
                 [country[k] or iso2[k] for k in at.tolist()], field="latitude")  # fmt: skip
    areas = [texts(kept[c]) for c in ("where_coordinates", "adm_2", "adm_1")]

    def ref(k: int) -> PlaceRef:
        names = [a[k] for a in areas if a[k]]
        name = names[0] if names else country[k]
        if areas[0][k]:  # "Kharkiv town": Kharkiv
            name = _unqualified(name)
        return PlaceRef(name, country=iso2[k] or country[k], within=tuple(names[1:]))

    unplaced = np.flatnonzero(~given).tolist()
    placed.resolve(rows, keep, resolver, ((k, ref(k)) for k in unplaced), field="where_coordinates")
    return placed


#: The word UCDP puts after a place's name in ``where_coordinates`` to say what it is
#: ("Kharkiv town", "Chernihiv town", "Kabul city", "Dara district"): not part of it.
_QUALIFIER = re.compile(
    r"^(?P<name>.*?\S)\s+(?:town|village|city|district|province|region|municipality|county)$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def _unqualified(name: str) -> str:
    """A ``where_coordinates`` without the word that says what kind of place it is
    ("Kharkiv town" → "Kharkiv"); kept whole when the rest is a country's name
    ("Kuwait City", "Panama City": cities, not Kuwait or Panama)."""
    found = _QUALIFIER.match(name)
    if found is None or country_code(found.group("name")):
        return name
    return found.group("name")


def _iso2(iso3: str, country: str) -> str | None:
    """The row's country as ISO2: its ``iso3``, else its name (``DR Congo (Zaire)``)."""
    return (iso3 and country_code(iso3)) or (country and country_code(country)) or None


def _titles(rows: Rows, keep: np.ndarray, kept: dict) -> np.ndarray:
    """``State-based violence: Kharkiv city``: the violence and where it was; a title
    beyond MAX_TEXT characters is cut, the cut noted."""

    def title(kind: str, *where: str) -> str:

        place = next((w for w in where if w), None)
        return f"{VIOLENCE[kind][1]}: {place}" if place else VIOLENCE[kind][1]

    titles = coded(_cells(kept, "type_of_violence", "where_description", "adm_1", "country"),
                   title)  # fmt: skip
    for k in np.flatnonzero([len(t) > MAX_TEXT for t in titles]).tolist():
        titles[k] = rows.cut(int(keep[k]), _ORDER["where_description"], "title", titles[k])
    return titles


def _sources(office: str, date: str, headline: str, article: str) -> tuple[tuple, str | None]:
    """The sources (``source_office`` split on ``;``, each with its date and headline
    when the lists pair up) and the description (the headlines, if they do not)."""
    if office and ";" not in office + date + headline:  # one source: most rows
        return (
            Source(name=office, date=_day(date) if date else None, claim=headline or None),
        ), None
    names = [x.strip() for x in office.split(";") if x.strip()]
    dates = [_day(x) for x in date.split(";")] if date else []
    heads = [x.strip() for x in headline.split(";")] if headline else []
    if not names:  # UCDP's own coding, with what it cites
        return (Source(name="UCDP GED", claim=headline or article or None),), None
    if len(dates) != len(names):
        dates = [dates[0] if len(dates) == 1 else None] * len(names)
    paired = len(heads) == len(names)
    claims = heads if paired else [None] * len(names)
    sources = tuple(Source(name=n, date=d, claim=c or None)
                    for n, d, c in zip(names, dates, claims, strict=True))  # fmt: skip
    return sources, (None if paired or not headline else headline)


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> str | None:
    """A source's date as the schema writes it, or None if it is no date."""
    try:
        found = parse_date(text.strip())
    except ValueError:
        return None
    return str(found) if found else None


def _details(kept: dict) -> list[list[tuple[str, str]]]:
    """Each row's own fields, as a popup shows them: (label, text) pairs, each made once
    per distinct value and shared between the rows that have it. What the popup says
    otherwise (the kind, the title with ``where_description``, the fatalities and
    their range) is not said again."""

    def item(label: str, fmt=lambda u: u):
        return lambda u: (label, fmt(u)) if u else None

    def deaths(*counts: str) -> tuple[str, str] | None:
        split = [f"{who} {v}" for (_, who), v in zip(_DEATHS, counts, strict=True) if v]
        return ("Deaths", ", ".join(split)) if split else None

    def areas(*names: str) -> tuple[str, str] | None:
        where = ", ".join(x for x in names if x)
        return ("Admin areas", where) if where else None

    def code(label: str, meanings: dict, name: str):
        return item(label, lambda v: _code(meanings.get(v), name, v))

    return per_row([
        coded(kept["conflict_name"], item("Conflict")),
        coded(kept["dyad_name"], item("Dyad")),
        coded(kept["side_a"], item("Side A")),
        coded(kept["side_b"], item("Side B")),
        coded(_cells(kept, *(name for name, _ in _DEATHS)), deaths),
        coded(_cells(kept, "adm_2", "adm_1", "country"), areas),
        coded(kept["where_prec"], code("Where precision", _WHERE, "where_prec")),
        coded(kept["date_prec"], code("Date precision", DATE_PREC, "date_prec")),
        coded(kept["event_clarity"], code("Event clarity", _CLARITY, "event_clarity")),
        coded(kept["source_original"], item("Original source")),
    ])  # fmt: skip


def _code(meaning: str | None, name: str, value: str) -> str:
    return f"{meaning} (UCDP {name} {value})" if meaning else f"UCDP {name} {value}"
