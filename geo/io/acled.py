"""ACLED exports, read as they come, a column at a time.

ACLED's columns (event_id_cnty, event_date, event_type, actor1, ..., latitude,
longitude, fatalities, notes, source) map onto the event schema; what its codes
and older spellings mean is :mod:`geo.io.acled_fields`'. Every layout real exports
have reads: the current export, the 2020 one, the 2015 one (upper case, as the
caller lower-cases it; ``ally_actor_*`` for ``assoc_actor_*``; event types of
then), one re-saved by pandas or R (``NA``, ``2.0``), an analyst's subset without
ids or coordinates (ids made from each row's cells, places resolved by name
within the row's admin regions and country).

An export of the war in Ukraine has 200,000 rows, so :func:`acled_frame` maps a
whole table at once, and :func:`geo.schema.parse_event` stays the one definition
of what a field accepts and of what a message says:

* columns with few distinct values (event types, dates, fatalities, places) are
  worked out once per distinct value, by asking ``parse_event`` about that value
  alone (:func:`~geo.io.acled_columns.verdict`);
* the others (ids, notes, coordinates) are checked with Arrow compute, and the
  few values Arrow cannot vouch for (an id with a space, a latitude written
  ``5,1``, a row without coordinates) are asked of ``parse_event`` one by one.

Nothing in a row stops the read: a bad row is skipped and listed in
``attrs["rejected"]`` with its first bad field, in the order the schema checks
them, and the message a strict read raises (``row N ('UKR123')``, the header
being row 1); a later row with an id already used is skipped too. A point given
outside the row's country is kept and flagged (``flags``, ``attrs["flagged"]``).
A text beyond :data:`~geo.schema.MAX_TEXT` characters is cut, and the cut listed
in ``attrs["truncated"]`` under its column's name (``title`` and ``place.name``
for the texts made of several columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import InputError
from geo.fields import MAX_TEXT
from geo.io import acled_fields as f
from geo.io.acled_columns import (
    Codes,
    Rows,
    coded,
    combine,
    cut,
    joined,
    matches,
    objects,
    per_value,
    strip,
    text_column,
    texts,
    verdict,
)
from geo.io.exports_common import country_name
from geo.io.tabular import detect_format
from geo.model import Event, Source
from geo.report import Flagged, Rejected
from geo.resolve import Geocoder, PlaceResolver, country_code, given_place, outside_country
from geo.schema import kind_labels
from geo.table import COLUMNS, events_frame

__all__ = ["ACLED_COLUMNS", "ANALYST_COLUMNS", "is_acled", "acled_frame"]

ANALYST_COLUMNS = f.ANALYST_COLUMNS
#: The columns read, in the current export's order (a cell's NUL is found in this order).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp", "iso3",
)  # fmt: skip
# The columns whose values are mostly distinct: checked in Arrow, not once per value.
_MANY = ("event_id_cnty", "latitude", "longitude", "notes", "timestamp")


class _At(IntEnum):
    """The order of a row's checks: its cells (for NUL) in ACLED_COLUMNS' order (0, 1,
    ...), its source, then its fields as parse_event checks them (its id's uniqueness
    is checked last, among the good rows); and the order of its cuts."""

    SOURCE, ID, KIND, DATE, TIME, PLACE, GEO, QUANTITY = range(100, 108)
    TITLE, PLACE_NAME = 200, 201


def _name(column: str) -> str:
    key = column.strip().lower()
    return f.RENAMED.get(key, key)


def is_acled(columns: Iterable[str]) -> bool:
    """True when a table's columns (any case) are ACLED's, by the one rule the table
    reader tells formats by (:func:`geo.io.tabular.detect_format`)."""
    return detect_format(columns) == "acled"


_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"  # geo.schema._ID: others are asked of the schema
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"  # what ACLED writes; others are asked of the schema


def _ids(rows: Rows, ids: pa.Array) -> None:
    """Ids as the schema takes them; the others (and those it would cut) are asked of it."""
    long = pc.greater(pc.utf8_length(ids), MAX_TEXT).to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(~matches(ids, _ID) | long).tolist()
    verdicts = {i: verdict(id=ids[i].as_py()) for i in odd}
    bad = np.zeros(len(ids), dtype=bool)
    bad[[i for i, v in verdicts.items() if isinstance(v, InputError)]] = True
    rows.refuse(_At.ID, bad, lambda i: rows.relocated(i, verdicts[i]))


def _quantities(rows: Rows, fatalities: Codes) -> np.ndarray:
    """The quantities of each row: each distinct figure read by the schema once."""

    def check(u: str) -> Event | InputError | None:
        return verdict(quantities=[{"value": u, "unit": "fatalities"}]) if u else None

    found = per_value(rows, _At.QUANTITY, fatalities, check)
    return fatalities.per_row([ev.quantities if ev else () for ev in found])


class _Points:
    """Every row's place: a point given with the data, or a name to geocode."""

    def __init__(self, rows: Rows, lat_text: pa.Array, lon_text: pa.Array, names, approx):
        """``names`` and ``approx``: each row's place name (or None) and approximate flag."""
        decimal = matches(lat_text, _DECIMAL) & matches(lon_text, _DECIMAL)
        lat = _floats(lat_text, decimal)
        lon = _floats(lon_text, decimal)
        plain = decimal & (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & (names != None)  # noqa: E711
        # A float read from a decimal of 6 places or fewer (|v| <= 180) is its own rounding.
        self.round = ~plain | matches(lat_text, r"\.[0-9]{7}") | matches(lon_text, r"\.[0-9]{7}")
        self.named: list[int] = []  # the rows to geocode
        errors: dict[int, InputError] = {}
        for i in np.flatnonzero(~plain).tolist():
            v = verdict(place={"name": names[i], "lat": lat_text[i].as_py(),
                                "lon": lon_text[i].as_py(), "approximate": approx[i]})  # fmt: skip
            if isinstance(v, InputError):
                errors[i] = v
            elif v.places[0].has_point:
                ref = v.places[0]
                lat[i], lon[i], names[i] = ref.lat, ref.lon, ref.name
            else:
                self.named.append(i)
        bad = np.zeros(len(names), dtype=bool)
        bad[list(errors)] = True
        rows.refuse(_At.PLACE, bad, lambda i: rows.relocated(i, errors[i]))
        self.given = np.ones(len(names), dtype=bool)
        self.given[self.named] = False
        self.lat, self.lon, self.names, self.approx = lat, lon, names, approx

    def places(self, countries: np.ndarray) -> tuple[list, list[float], list[float]]:
        """The places column, as ``PlaceResolver`` and ``ResolvedPlace.record`` make it
        for a point given with the data (in ``countries[i]``, ISO2 or None); and the
        latitudes and longitudes rounded."""
        lat, lon = self.lat.tolist(), self.lon.tolist()
        lat_r, lon_r = list(lat), list(lon)
        for i in np.flatnonzero(self.round).tolist():
            lat_r[i], lon_r[i] = round(lat[i], 6), round(lon[i], 6)
        # One place per distinct point and name (ACLED puts a town's events at its point):
        # the records are frozen, so rows share them.
        codes, first = _distinct(self.lat.view(np.int64), self.lon.view(np.int64), self.names,
                                 self.approx, countries)  # fmt: skip
        names, approx = self.names, self.approx
        found = [given_place(names[i], lat[i], lon[i], country=countries[i],
                             approximate=bool(approx[i]), at=(lat_r[i], lon_r[i]))
                 for i in first.tolist()]  # fmt: skip
        return [[found[c]] for c in codes.tolist()], lat_r, lon_r


def _distinct(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code of its distinct combination of values, and the first row of each."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        values, uniques = pd.factorize(column, use_na_sentinel=False)
        codes, _ = pd.factorize(codes * max(len(uniques), 1) + values)
    return codes, np.unique(codes, return_index=True)[1]


def _floats(text: pa.Array, decimal: np.ndarray) -> np.ndarray:
    """The values written as plain decimals, as floats (0 elsewhere)."""
    plain = pc.if_else(pa.array(decimal), text, "0")
    return pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False).copy()


@dataclass(frozen=True)
class _Country:
    """The country a row names (its ``iso3``, else its ``iso``, else its ``country``):
    ``iso2`` (None if none of them is known), ``constraint`` (what its place must lie
    in: ``iso2``, else the row's own text, which no place lies in) and ``label`` (how
    a flag names it: by its name, never by a numeric code)."""

    iso2: str | None
    constraint: str | None
    label: str

    @classmethod
    def of(cls, name: str, iso3: str, iso: str) -> _Country:
        number = f.code(iso)
        # An unknown name ("Macedonia, FYR") does not hide a code that is known (807).
        iso2 = next((c for t in (iso3, number, name) if t and (c := country_code(t))), None)
        label = name or country_name(iso2) or (
            f"ISO {iso3}" if iso3 else f"ISO 3166 number {number}")  # fmt: skip
        return cls(iso2, iso2 or name or iso3 or number or None, label)


# --------------------------------------------------------------------------- the frame


def acled_frame(
    table: pa.Table,
    *,
    file: str,
    geocoder: Geocoder | None = None,
    numbers: Sequence[int] | None = None,
) -> gpd.GeoDataFrame:
    """An ACLED table (every cell as text, ``""`` when empty) → the events frame.

    One event per good row, in file order, with the columns of
    :data:`geo.table.COLUMNS` then :data:`ANALYST_COLUMNS`. Column names are read
    in any case (``ALLY_ACTOR_1`` as ``assoc_actor_1``); a column named twice is read
    from its first. Rows without coordinates are resolved by name, within their admin
    regions and country; a point given outside its row's country is flagged.

    ``numbers`` holds each row's record number as messages name it (``row N``); None
    means 2, 3, ... (the header being row 1).

    The frame's ``attrs``: ``rejected`` (a :class:`~geo.report.Rejected` per bad row:
    its first bad field, as a strict read raises it; a later row of an id already used),
    ``flagged`` (:class:`~geo.report.Flagged`), ``records`` (the table's rows),
    ``notes`` (how the file was read: a made-up id, an order of dates guessed),
    ``unresolved``, ``places``, ``truncated`` and ``kind_labels``.
    """
    n = table.num_rows
    numbers = np.arange(2, n + 2) if numbers is None else np.asarray(numbers, dtype=np.int64)
    columns: dict[str, pa.Array] = {}
    for name, values in zip(table.column_names, table.columns, strict=True):
        columns.setdefault(_name(name), values.combine_chunks())  # the first of a name
    notes: list[str] = []
    if n == 0:
        return _empty(file, geocoder)

    def column(name: str) -> pa.Array:
        return columns[name] if name in columns else pa.array([""] * n, type=pa.string())

    if "event_id_cnty" in columns:
        ids = strip(columns["event_id_cnty"])
    else:
        ids = f.row_ids(columns, n)
        notes.append(f"{file}: event_id_cnty: no such column: each event's id is 'acled-' and "
                     "a hash of its row's cells (identical rows numbered -2, -3, ...)")  # fmt: skip
    rows = Rows(file, ids, numbers)
    cells = {
        c: texts(rows, k, c, ids if c == "event_id_cnty" else strip(column(c)))
        if c in _MANY
        else coded(rows, k, c, column(c))
        for k, c in enumerate(ACLED_COLUMNS)
    }
    source, event_type, notes_text = cells["source"], cells["event_type"], cells["notes"]
    no_source = (
        "empty; expected the name of who reports the event"
        if "source" in columns
        else "missing; expected a 'source' column naming who reports each event"
    )
    rows.refuse(
        _At.SOURCE,
        source.mask([not u for u in source.uniques]),
        lambda i: rows.fail(i, "source", no_source),
    )
    _ids(rows, ids)
    types = event_type.mapped(lambda u: f.legacy_type(u) or (u, ""))
    kinds = per_value(rows, _At.KIND, types, lambda u: verdict(kind=u[0] or None))
    dates = f.dates(rows, (_At.DATE, _At.TIME), cells["event_date"], cells["time_precision"], notes)
    quantities = _quantities(rows, cells["fatalities"])

    # Title and place name from each distinct combination of type and place.
    place_codes, place_combos = combine(cells["location"], cells["admin1"], cells["country"])
    where = [loc or a1 or ctry for loc, a1, ctry in place_combos]
    names = [f.location_text(w, a1, ctry) or None  # each name once: "Bamako, Mali"
             for w, (_, a1, ctry) in zip(where, place_combos, strict=True)]  # fmt: skip
    title_codes, title_combos = combine(types, cells["sub_event_type"],
                                         Codes(where, place_codes))  # fmt: skip
    titles = [f"{s or ls or e}: {w}" if w else (s or ls or e) for (e, ls), s, w in title_combos]
    titles = cut(rows, _At.TITLE, "title", titles, title_codes)
    names = cut(rows, _At.PLACE_NAME, "place.name", names, place_codes)
    geo = cells["geo_precision"].mapped(f.code_check("geo_precision", f.PLACE_PRECISION))
    geo_bad = [isinstance(c, InputError) for c in geo.uniques]
    approx = geo.mask([c in ("2", "3") for c in geo.uniques])  # near a town, or a region
    points = _Points(rows, cells["latitude"], cells["longitude"],
                     objects(names)[place_codes], approx)  # fmt: skip
    rows.refuse(_At.GEO, geo.mask(geo_bad), lambda i: rows.relocated(i, geo.uniques[geo.codes[i]]))

    keep, errors = rows.reject()
    _duplicates(rows, ids, keep, errors)
    rejected = [Rejected.from_error(errors[i]) for i in sorted(errors)]

    country = joined(cells["country"], cells["iso3"], cells["iso"], fn=_Country.of)
    countries = country.per_row([c.constraint for c in country.uniques])
    places, lat, lon = points.places(country.per_row([c.iso2 for c in country.uniques]))
    geometry = shapely.points(points.lon, points.lat)
    precision = geo.per_row([f.PLACE_PRECISION.get(c) if isinstance(c, str) else None
                             for c in geo.uniques])  # fmt: skip
    flags: list[list[str]] = [[] for _ in range(n)]
    flagged: list[tuple[int, Flagged]] = []

    def flag(i: int, text: str) -> None:
        flags[i].append(text)
        flagged.append((i, Flagged(file, rows.label(i), "place", text)))

    refs = joined(cells["location"], cells["admin3"], cells["admin2"], cells["admin1"],
                   country.mapped(lambda c: c.constraint or ""), fn=f.named_ref)  # fmt: skip
    resolver = PlaceResolver(geocoder)
    unresolved: list[list[str]] = [[] for _ in range(n)]  # the names no geocoder knew
    for i in [i for i in points.named if keep[i]]:  # in file order, as the report lists them
        ref = refs.uniques[refs.codes[i]]
        found = resolver.resolve(ref, file=file, record=rows.label(i), field="place")
        if found is None:
            places[i], geometry[i], lat[i], lon[i], precision[i] = [], None, None, None, None
            unresolved[i] = [ref.name or ref.within[0]]  # a region alone: its name
            continue
        # placed at the point of what it names, as events_frame places it
        places[i], geometry[i] = [found.record], found.geometry
        lat[i], lon[i] = round(found.point.y, 6), round(found.point.x, 6)
        precision[i] = found.precision
        if found.flag:
            flag(i, found.flag)

    # Every placed row is checked against its country: a point given there is kept.
    placed = np.flatnonzero(keep & (countries != None)  # noqa: E711
                            & np.array([g is not None for g in geometry]))  # fmt: skip
    if len(placed):
        at_lat, at_lon = np.array(lat, dtype=float)[placed], np.array(lon, dtype=float)[placed]
        km = np.asarray(outside_country(at_lon, at_lat, countries[placed].tolist()), dtype=float)
        for k in np.flatnonzero((km > 0) | np.isnan(km)).tolist():
            i = int(placed[k])
            label = country.uniques[country.codes[i]].label
            if km[k] > 0:
                what = "coordinates lie" if points.given[i] else f"{places[i][0].name!r} was placed"
                flag(i, f"{what} {km[k]:,.0f} km outside {label}, the row's country")
            elif points.given[i]:  # a place resolved by name lies in it, or is unresolved
                flag(i, f"country {label!r} is not known: its coordinates were not checked")

    details = f.details(cells)
    actor_codes, actor_pairs = combine(cells["actor1"], cells["actor2"])
    pairs = [tuple(a for a in pair if a) for pair in actor_pairs]
    # The notes are the description; ACLED's source makes no claim of its own.
    sources = source.per_row([(Source(name=s),) if s else () for s in source.uniques])
    data = {
        "id": ids, "kind": text_column([ev and ev.kind for ev in kinds], types.codes),
        "title": text_column(titles, title_codes),
        "description": pc.if_else(pc.equal(notes_text, ""), pa.scalar(None, pa.string()),
                                  notes_text),
        **dates,
        "actors": list(map(list, objects(pairs)[actor_codes])),
        "places": places, "place_precision": precision, "unresolved": unresolved,
        "via": [[] for _ in range(n)],
        "quantities": list(map(list, quantities)),
        "sources": list(map(list, sources)),
        "status": "curated",
        "details": list(map(list, details.per_row(details.uniques))),
        "flags": flags,
        "lat": lat, "lon": lon, "geometry": geometry,
    }  # fmt: skip
    data.update(f.analyst(cells))
    if not keep.all():  # the good rows only, so that their columns are typed as theirs
        data = {k: _kept(v, keep) for k, v in data.items()}
    data["lat"], data["lon"] = _numbers(data["lat"]), _numbers(data["lon"])
    if keep.any():
        frame = _frame({k: _column(data.get(k)) for k in [*COLUMNS, *ANALYST_COLUMNS]})
    else:  # typed as a file without rows
        frame = _empty(file, geocoder)
    used = np.unique(types.codes[keep])
    frame.attrs["rejected"] = rejected
    frame.attrs["flagged"] = [fl for i, fl in sorted(flagged, key=lambda x: x[0]) if keep[i]]
    frame.attrs["records"] = n
    frame.attrs["notes"] = notes
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = resolver.report()
    frame.attrs["truncated"] = rows.truncated(keep)
    frame.attrs["kind_labels"] = kind_labels(
        (kinds[k].kind, kinds[k].kind_label) for k in used.tolist() if kinds[k]
    )
    return frame


def _duplicates(rows: Rows, ids: pa.Array, keep: np.ndarray, errors: dict) -> None:
    """Reject each good row whose id a good row before it used."""
    good = np.flatnonzero(keep)
    if len(pc.unique(ids.take(pa.array(good)))) == len(good):
        return
    seen: dict[str, int] = {}
    for i, rid in zip(good.tolist(), ids.take(pa.array(good)).to_pylist(), strict=True):
        if rid in seen:
            errors[i] = rows.fail(i, "id", f"duplicate id; first used by row {seen[rid]}; "
                                           "expected unique ids")  # fmt: skip
            keep[i] = False
        else:
            seen[rid] = int(rows.numbers[i])


def _frame(data: dict) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(data, copy=False), geometry="geometry", crs="EPSG:4326")


def _empty(file: str, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """The frame of an export without rows: its columns, no events."""
    frame = events_frame([], geocoder=geocoder, file=file, record="row", first=2)
    for name in ANALYST_COLUMNS:
        frame[name] = pd.Series([], dtype=object)
    frame.attrs.update(rejected=[], flagged=[], records=0, notes=[])
    return frame


def _kept(values: object, keep: np.ndarray) -> object:
    """A column's values of the rows ``keep`` (a mask)."""
    if isinstance(values, pa.Array):
        return values.filter(pa.array(keep))
    if isinstance(values, np.ndarray):
        return values[keep]
    if isinstance(values, list):
        return [v for v, k in zip(values, keep.tolist(), strict=True) if k]
    return values  # one value for every row


def _column(values: object) -> object:
    """A column as events_frame's rows make it: text as ``str`` (objects if all missing)."""
    if isinstance(values, pa.Array):
        return [None] * len(values) if values.null_count == len(values) else values.to_pandas()
    return values


def _numbers(values: list[float | None]) -> np.ndarray | list:
    """Floats with NaN where missing, or objects if all are (as pandas infers from rows)."""
    if all(v is None for v in values):
        return values
    return np.array(values, dtype=float)  # None → NaN
