"""What the UCDP and GDELT readers share: cells read as the exports write them, rows
skipped and listed (never fatal), points checked against their country, the frame.

A reader takes a table of text columns (``""`` when empty) and works a column at a
time: values few and repeated (codes, dates, figures) are asked of
:func:`geo.schema.parse_event` once per distinct value (:func:`per_value`), so the
schema stays the one definition of what a field accepts; values mostly distinct
(ids, coordinates) are checked with Arrow, and only the odd ones asked of the
schema. A row that fails a check is not read: :class:`Rows` keeps, for each row,
its first bad field in the export's column order, and lists it as a
:class:`~geo.report.Rejected` naming the file, the row (``row 5 ('244657')``, as
``numbers`` counts rows), the field and what was expected.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import InputError
from geo.fields import MAX_TEXT, Located
from geo.gazetteer.core import default_gazetteer
from geo.io.missing import MISSING, blank_missing
from geo.model import Event, Place, PlaceRef
from geo.report import Flagged, Rejected
from geo.resolve import PlaceResolver, given_place, outside_country
from geo.schema import parse_event, record_label
from geo.table import COLUMNS

__all__ = [
    "MISSING",
    "Rows",
    "cleaned",
    "column",
    "verdict",
    "per_value",
    "decimals",
    "check_ids",
    "outside_flags",
    "country_name",
    "Placed",
    "build_frame",
    "nulls",
    "coded",
    "per_row",
    "date_columns",
]

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"  # geo.schema._ID: others are asked of the schema
_DECIMAL = r"^[-+]?[0-9]+(\.[0-9]+)?$"


def cleaned(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Text stripped, each missing spelling (:data:`geo.io.missing.MISSING`) as ``""``."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = pc.utf8_trim_whitespace(pc.fill_null(values.cast(pa.string()), ""))
    return blank_missing(values)


def column(table: pa.Table, name: str) -> pa.Array:
    """A column by name, cleaned (its first, if the header names it twice), or all
    ``""`` if the table has none."""
    if name in table.column_names:
        return cleaned(table.column(table.column_names.index(name)))
    return pa.array([""] * table.num_rows, type=pa.string())


def texts(values: pa.Array) -> list[str | None]:
    """A cleaned column as Python texts, None where missing."""
    return [v or None for v in values.to_pylist()]


def nulls(values: pa.Array) -> pa.Array:
    """A cleaned column with null where missing (a frame's text column: None there)."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def coded(values: pa.Array | Sequence[pa.Array], fn: Callable[..., object]) -> np.ndarray:
    """``fn`` once per distinct value (of several columns: per distinct combination,
    ``fn(*values)``), for each row (objects shared between rows)."""
    results, index = per_value(values, fn)
    out = np.empty(len(results), dtype=object)
    out[:] = results
    return out[index]


def per_row(rows: Sequence[Sequence]) -> list[list]:
    """Columns of optional items (None where a row has none) → each row's items."""
    return [[x for x in row if x is not None] for row in zip(*rows, strict=True)]


_BASE = {"id": "x", "kind": "x", "title": "x", "sources": ["x"]}


def verdict(**fields: object) -> Event | InputError:
    """What :func:`parse_event` makes of ``fields`` in a record otherwise valid: the
    event, or the error (whose field and reason are the row's, its record not)."""
    try:
        return parse_event({**_BASE, **fields})
    except InputError as exc:
        return exc


def per_value(
    values: pa.Array | Sequence[pa.Array], fn: Callable[..., object]
) -> tuple[list, np.ndarray]:
    """``fn`` once per distinct value: (the results, each row's index into them). Of
    several columns, once per distinct combination of their values, ``fn(*values)``,
    in the order each first occurs."""
    if isinstance(values, pa.Array):
        encoded = pc.dictionary_encode(values)
        results = [fn(u) for u in encoded.dictionary.to_pylist()]
        return results, encoded.indices.to_numpy(zero_copy_only=False)
    encoded = [pc.dictionary_encode(v) for v in values]
    index = [e.indices.to_numpy(zero_copy_only=False).astype(np.int64) for e in encoded]
    codes = np.zeros(len(index[0]), dtype=np.int64)
    for e, k in zip(encoded, index, strict=True):  # two at a time: codes < rows x values
        codes, _ = pd.factorize(codes * max(len(e.dictionary), 1) + k)
    _, first = np.unique(codes, return_index=True)
    combos = zip(*(np.asarray(e.dictionary.to_pylist() or [""], dtype=object)[k[first]]
                   for e, k in zip(encoded, index, strict=True)), strict=True)  # fmt: skip
    return [fn(*c) for c in combos], codes


class Rows:
    """A table's rows as messages name them, the first problem of each bad row, and
    the texts cut.

    ``numbers`` holds each row's record number (the header being row 1, an HXL
    hashtag row counted); None means rows 2, 3, ...
    """

    def __init__(self, file: str | None, ids: pa.Array, numbers: Sequence[int] | None = None):
        self.file, self.n = file, len(ids)
        self.ids = ids.to_pylist()
        if numbers is None:
            self.numbers = np.arange(2, self.n + 2)
        else:
            self.numbers = np.asarray(numbers, dtype=np.int64)
            if len(self.numbers) != self.n:
                raise ValueError(f"{len(self.numbers)} row numbers for {self.n} rows")
        self._bad: dict[int, tuple[int, str | None, str]] = {}  # row → (order, field, why)
        self.truncated: list[tuple[int, int, str]] = []  # (row, order, note)
        self.flagged: list[tuple[int, Flagged]] = []

    def label(self, i: int) -> str:
        return record_label("row", int(self.numbers[i]), {"id": self.ids[i] or None})

    def refuse(
        self, order: int, field: str | None, bad: np.ndarray, reason: str | Callable[[int], str]
    ) -> None:
        """Rows ``bad`` (a mask) fail the check of column ``order`` (its place in the
        export's columns) on ``field``; ``reason`` is the text, or gives it for a row."""
        for i in np.flatnonzero(bad).tolist():
            self.refuse_row(i, order, field, reason(i) if callable(reason) else reason)

    def refuse_row(self, i: int, order: int, field: str | None, reason: str) -> None:
        """Row ``i`` fails the check of column ``order`` on ``field``."""
        if i not in self._bad or order < self._bad[i][0]:
            self._bad[i] = (order, field, reason)

    def refuse_values(
        self, found: Sequence, index: np.ndarray, where: Callable[[InputError], tuple[int, str]]
    ) -> None:
        """Refuse the rows whose distinct value (``found[index[i]]``) is an error, on the
        column and field ``where(error)`` says."""
        bad = np.fromiter((isinstance(v, InputError) for v in found), dtype=bool, count=len(found))
        if bad.any():
            for i in np.flatnonzero(bad[index]).tolist():
                exc = found[index[i]]
                self.refuse_row(i, *where(exc), exc.reason)

    @property
    def good(self) -> np.ndarray:
        ok = np.ones(self.n, dtype=bool)
        ok[list(self._bad)] = False
        return ok

    def unique(self, order: int, field: str) -> None:
        """Refuse each later row of an id a good row used first."""
        good = np.flatnonzero(self.good)
        codes, _ = pd.factorize(pd.Series(self.ids, dtype=object).iloc[good])
        _, first = np.unique(codes, return_index=True)
        again = np.flatnonzero(first[codes] != np.arange(len(codes)))
        for k in again.tolist():
            number = int(self.numbers[good[first[codes[k]]]])
            why = f"duplicate id; first used by row {number}; expected unique ids"
            self._bad[int(good[k])] = (order, field, why)

    def rejected(self) -> list[Rejected]:
        return [
            Rejected(self.file, self.label(i), field, why)
            for i, (_, field, why) in sorted(self._bad.items())
        ]

    def cut(self, i: int, order: int, field: str, value: str) -> str:
        """A text of row ``i``, cut beyond MAX_TEXT characters and the cut noted."""
        where = Located(self.file, self.label(i))
        out = where.text(value, field, cut=True)
        self.truncated.extend((i, order, note) for note in where.notes)
        return out

    def flag(self, i: int, field: str | None, reason: str) -> None:
        self.flagged.append((i, Flagged(self.file, self.label(i), field, reason)))

    def nul(self, order: int, field: str, values: pa.Array) -> None:
        """Refuse the rows whose cell holds NUL, in the words of :meth:`Located.text`."""
        bad = pc.match_substring(values, "\x00").to_numpy(zero_copy_only=False)

        def why(i: int) -> str:
            try:
                Located(self.file, None).text(values[i].as_py(), field, cut=False)
            except InputError as exc:
                return exc.reason
            raise AssertionError("a cell with NUL passed")  # pragma: no cover

        self.refuse(order, field, bad, why)

    def long(self, order: int, field: str, values: pa.Array) -> pa.Array:
        """``values`` with each text beyond MAX_TEXT characters cut (and noted)."""
        if (pc.max(pc.binary_length(values)).as_py() or 0) <= MAX_TEXT:  # bytes >= characters
            return values
        long = pc.greater(pc.utf8_length(values), MAX_TEXT).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(long)
        cut = [self.cut(i, order, field, values[i].as_py()) for i in rows.tolist()]
        return pc.replace_with_mask(values, pa.array(long), pa.array(cut, pa.string()))


def matches(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)


def check_ids(rows: Rows, order: int, field: str, ids: pa.Array) -> None:
    """Ids as the schema takes them; the others (and the long ones) asked of it."""
    long = pc.greater(pc.utf8_length(ids), MAX_TEXT).to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(~matches(ids, _ID) | long).tolist()
    errors = {}
    for i in odd:
        v = verdict(id=ids[i].as_py() or None)
        if isinstance(v, InputError):
            errors[i] = v
    for i, exc in errors.items():
        why = exc.reason
        if not ids[i].as_py():
            why = "missing; expected the event's id"
        rows.refuse_row(i, order, field, why)


def decimals(
    rows: Rows, lat_text: pa.Array, lon_text: pa.Array, *, order: tuple[int, int],
    names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Latitudes and longitudes as written, checked: (lat, lon, given), NaN where not
    given. A row with one and not the other, a value that is no number, or out of
    range, is refused on the field at fault, as the schema words it."""
    lat_given = pc.not_equal(lat_text, "").to_numpy(zero_copy_only=False)
    lon_given = pc.not_equal(lon_text, "").to_numpy(zero_copy_only=False)
    plain = matches(lat_text, _DECIMAL) & matches(lon_text, _DECIMAL)
    lat = _floats(lat_text, plain)
    lon = _floats(lon_text, plain)
    ok = plain & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    odd = np.flatnonzero(~ok & (lat_given | lon_given)).tolist()
    for i in odd:
        la, lo = lat_text[i].as_py(), lon_text[i].as_py()
        if not la or not lo:
            field = names[0] if not la else names[1]
            at = order[0] if not la else order[1]
            other = names[1] if not la else names[0]
            rows.refuse_row(i, at, field, f"missing; expected it with {other}, or neither")
            continue
        v = verdict(place={"lat": la, "lon": lo})
        if isinstance(v, InputError):
            first = 1 if v.field == "place.lon" else 0
            rows.refuse_row(i, order[first], names[first], v.reason)
        else:
            lat[i], lon[i] = v.places[0].lat, v.places[0].lon
            ok[i] = True
    given = ok & lat_given & lon_given
    lat[~given], lon[~given] = np.nan, np.nan
    return lat, lon, given


def _floats(text: pa.Array, plain: np.ndarray) -> np.ndarray:
    """The values written as plain decimals, as floats (0 elsewhere)."""
    values = pc.if_else(pa.array(plain), text, "0")
    return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False).copy()


# --------------------------------------------------------------------------- places


@functools.cache
def _country_names() -> dict[str, str]:
    countries = default_gazetteer().countries()
    return dict(zip(countries["iso2"].tolist(), countries["name"].tolist(), strict=True))


def country_name(iso2: str | None) -> str | None:
    """The name of a country by its ISO2 code (``"UA"`` → ``"Ukraine"``), or None
    (read once, when a flag first needs it)."""
    return _country_names().get(iso2) if iso2 else None


def outside_flags(
    rows: Rows, at: np.ndarray, lon: np.ndarray, lat: np.ndarray, countries: list,
    names: list, *, field: str, named: Sequence[bool] | None = None
) -> list[list[str]]:  # fmt: skip
    """The flags of the rows ``at`` (indices) placed at ``lon``/``lat`` outside the
    country each names (``countries``: ISO2, ISO3, a name, or None; ``names``: how
    each row names it), each flag listed in ``rows.flagged`` too.

    A row that names a country the gazetteer does not know (``named[k]``; by default,
    ``countries[k]`` given) is flagged too: its point could not be checked.
    """
    flags: list[list[str]] = [[] for _ in range(len(at))]
    if not len(at):
        return flags
    km = np.asarray(outside_country(lon, lat, countries), dtype=float)
    if named is None:
        named = [bool(c) for c in countries]
    unknown = np.isnan(km) & np.asarray(named, dtype=bool) & np.isfinite(lon) & np.isfinite(lat)
    for k in np.flatnonzero((km > 0) | unknown).tolist():
        if unknown[k]:
            text = f"country {names[k]!r} is not known: its coordinates were not checked"
        else:
            text = f"coordinates lie {km[k]:,.0f} km outside {names[k]}, the row's country"
        flags[k].append(text)
        rows.flag(int(at[k]), field, text)
    return flags


@dataclass
class Placed:
    """Each kept row's place, as the frame holds it: ``places`` (a list of one
    :class:`~geo.model.Place`, or none), ``geometry``, ``lat``/``lon`` (rounded to 6
    decimals, NaN where unplaced), ``precision`` and ``flags``."""

    places: list[list]
    geometry: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    precision: list
    flags: list[list[str]]

    @classmethod
    def given(
        cls, lat: np.ndarray, lon: np.ndarray, given: np.ndarray, *, names: Sequence,
        countries: Sequence, approximate: Sequence, precision: list
    ) -> Placed:  # fmt: skip
        """The rows ``given`` coordinates placed at them (a point named ``names[k]``, in
        ISO2 ``countries[k]``); the others unplaced. Rows at the same point, with the same
        name, share their place."""
        n = len(given)
        lat_r, lon_r = np.round(lat, 6), np.round(lon, 6)
        lat_l, lon_l, lat_rl, lon_rl = lat.tolist(), lon.tolist(), lat_r.tolist(), lon_r.tolist()
        places: list[list] = [[] for _ in range(n)]
        shared: dict[tuple, Place] = {}
        at = np.flatnonzero(given)
        for k in at.tolist():
            key = (names[k], lat_l[k], lon_l[k], countries[k], approximate[k])
            if key not in shared:
                name = names[k] or f"{lat_l[k]:.4f}, {lon_l[k]:.4f}"
                shared[key] = given_place(
                    name, lat_l[k], lon_l[k], country=countries[k],
                    approximate=bool(approximate[k]), at=(lat_rl[k], lon_rl[k]),
                )  # fmt: skip
            places[k] = [shared[key]]
        geometry = np.empty(n, dtype=object)
        geometry[at] = shapely.points(lon[at], lat[at])
        lat_r[~given], lon_r[~given] = np.nan, np.nan
        return cls(places, geometry, lat_r, lon_r, list(precision), [[] for _ in range(n)])

    def check(
        self, rows: Rows, keep: np.ndarray, at: np.ndarray, lon: np.ndarray, lat: np.ndarray,
        countries: list, names: list, *, field: str, named: Sequence[bool] | None = None
    ) -> None:  # fmt: skip
        """Flag the rows ``at`` whose point lies outside the country each names, or
        whose country is not known (see :func:`outside_flags`)."""
        flags = outside_flags(rows, keep[at], lon[at], lat[at], countries, names, field=field,
                              named=named)  # fmt: skip
        for k, f in zip(at.tolist(), flags, strict=True):
            self.flags[k] = f

    def resolve(
        self, rows: Rows, keep: np.ndarray, resolver: PlaceResolver,
        refs: Iterable[tuple[int, PlaceRef]], *, field: str
    ) -> None:  # fmt: skip
        """Place the rows ``refs`` names (``(k, ref)``, in file order) where ``resolver``
        finds them: unresolved ones stay unplaced (and are listed by it), a fallback is
        flagged."""
        for k, ref in refs:
            found = resolver.resolve(ref, file=rows.file, record=rows.label(int(keep[k])),
                                     field=field)  # fmt: skip
            if found is None:  # not guessed: unplaced, its precision unknown
                self.precision[k] = None
                continue
            self.places[k], self.geometry[k] = [found.record], found.geometry
            self.lat[k], self.lon[k] = round(found.point.y, 6), round(found.point.x, 6)
            self.precision[k] = found.precision
            if found.flag:
                self.flags[k] = [*self.flags[k], found.flag]
                rows.flag(int(keep[k]), field, found.flag)

    def columns(self) -> dict[str, object]:
        return {"places": self.places, "place_precision": self.precision, "flags": self.flags,
                "lat": self.lat, "lon": self.lon, "geometry": self.geometry}  # fmt: skip


# --------------------------------------------------------------------------- the frame


def days(values: Sequence[dt.date | None]) -> np.ndarray:
    """Days as ``datetime64[ns]``, NaT where None."""
    return np.array([np.datetime64(d or "NaT", "ns") for d in values], dtype="datetime64[ns]")


def date_columns(
    first: Sequence, last: Sequence, index: np.ndarray
) -> dict[str, np.ndarray | list]:
    """The frame's date columns from each distinct date's first and last day
    (:class:`~geo.model.PartialDate`, ``last`` None when the same) and each row's index
    into them; each distinct date written once."""
    text = np.array([str(d) if d else None for d in first], dtype=object)
    end_text = np.array([str(d) if d else None for d in last], dtype=object)
    precision = np.array([d.precision if d else None for d in first], dtype=object)
    start = days([d.start if d else None for d in first])
    end = days([(e or d).end if d else None for d, e in zip(first, last, strict=True)])
    return {
        "date": text[index], "end_date": end_text[index], "date_precision": precision[index],
        "date_start": start[index], "date_end": end[index],
    }  # fmt: skip


def build_frame(
    data: Mapping[str, object],
    analyst: Mapping[str, list],
    *,
    rows: Rows,
    resolver: PlaceResolver,
    kind_labels: dict[str, str],
    keep: np.ndarray,
) -> gpd.GeoDataFrame:
    """The events frame: ``data`` (the :data:`~geo.table.COLUMNS`, one value per kept
    row) then the ``analyst`` columns, with the attrs of a read."""
    n = len(keep)
    columns = COLUMNS
    frame = gpd.GeoDataFrame(
        pd.DataFrame(
            {
                **{k: _values(data.get(k), n) for k in columns},
                **{k: _values(v, n) for k, v in analyst.items() if k not in columns},
            }
        ),
        geometry="geometry",
        crs="EPSG:4326",
    )
    for name in ("date_start", "date_end"):
        frame[name] = frame[name].astype("datetime64[ns]")
    kept = {int(i) for i in keep.tolist()}
    rejected = rows.rejected()
    frame.attrs["rejected"] = rejected
    frame.attrs["flagged"] = [f for i, f in sorted(rows.flagged, key=lambda x: x[0]) if i in kept]
    frame.attrs["records"] = rows.n
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = resolver.report()
    frame.attrs["truncated"] = [
        note for i, _, note in sorted(rows.truncated, key=lambda c: c[:2]) if i in kept
    ]
    frame.attrs["kind_labels"] = kind_labels
    assert len(frame) + len(rejected) == rows.n
    return frame


def _values(values: object, n: int) -> object:
    if isinstance(values, pa.Array):
        return values.to_pandas()
    if values is None:
        return [None] * n
    if isinstance(values, str):
        return [values] * n
    return values
