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
  alone (:func:`_verdict`);
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

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import InputError
from geo.fields import MAX_TEXT, Located
from geo.io import acled_fields as f
from geo.model import Event, PartialDate, PlaceRef, Source
from geo.report import Flagged, Rejected
from geo.resolve import Geocoder, PlaceResolver, given_place
from geo.schema import kind_labels, parse_event, record_label
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
_MISSING = pa.array(sorted(f.MISSING), pa.string())


class _At(IntEnum):
    """The order of a row's checks: its cells (for NUL) in ACLED_COLUMNS' order (0, 1,
    ...), its source, then its fields as parse_event checks them, then its id's
    uniqueness; and the order of its cuts."""

    SOURCE, ID, KIND, DATE, TIME, PLACE, GEO, QUANTITY = range(100, 108)
    DUPLICATE = 150
    TITLE, PLACE_NAME = 200, 201


def _name(column: str) -> str:
    key = column.strip().lower()
    return f.RENAMED.get(key, key)


def is_acled(columns: Iterable[str]) -> bool:
    """True when a table's columns (any case) are ACLED's: a date and an event type,
    and ids, coordinates or place names."""
    names = {_name(c) for c in columns}
    return {"event_date", "event_type"} <= names and bool(
        names & {"event_id_cnty", "latitude", "location", "admin1"}
    )


_BASE = {"id": "x", "kind": "x", "title": "x", "sources": ["x"]}


def _verdict(**fields: object) -> Event | InputError:
    """What :func:`parse_event` makes of ``fields`` in a record otherwise valid: the
    event, or the error (whose field and reason are the row's; its record is not)."""
    try:
        return parse_event({**_BASE, **fields})
    except InputError as exc:
        return exc


class _Rows:
    """A table's rows as messages name them, the checks they fail, and the texts cut."""

    def __init__(self, file: str, ids: pa.Array, numbers: np.ndarray):
        self.file, self.ids, self.numbers = file, ids, numbers
        self.checks: list[tuple[int, np.ndarray, Callable[[int], InputError]]] = []
        self.cuts: list[tuple[int, int, str]] = []  # (row, order, message)

    def label(self, i: int) -> str:
        return record_label("row", int(self.numbers[i]), {"id": self.ids[i].as_py()})

    def refuse(self, order: int, bad: np.ndarray, error: Callable[[int], InputError]) -> None:
        """Rows ``bad`` fail the check ``order``; ``error(i)`` is the message for row ``i``."""
        if bad.any():
            self.checks.append((order, bad, error))

    def relocated(self, i: int, exc: InputError) -> InputError:
        """The error :func:`_verdict` found, as row ``i``'s."""
        return InputError(exc.reason, file=self.file, record=self.label(i), field=exc.field)

    def fail(self, i: int, field: str, reason: str) -> InputError:
        return InputError(reason, file=self.file, record=self.label(i), field=field)

    def reject(self) -> tuple[np.ndarray, dict[int, InputError]]:
        """Each bad row's first error (in the order of the checks): the mask of the good
        rows, and the errors by row."""
        first = np.full(len(self.ids), -1)
        for k in sorted(range(len(self.checks)), key=lambda k: self.checks[k][0]):
            first[(first < 0) & self.checks[k][1]] = k
        bad = np.flatnonzero(first >= 0).tolist()
        return first < 0, {i: self.checks[first[i]][2](i) for i in bad}

    def cell(self, i: int, order: int, value: str, name: str, *, cut: bool = True) -> str:
        """A text of row ``i`` checked as :meth:`Located.text` checks it (raises on NUL);
        cut, and the cut noted, beyond MAX_TEXT characters."""
        where = Located(self.file, self.label(i))
        out = where.text(value, name, cut=cut)
        self.cuts.extend((i, order, note) for note in where.notes)
        return out

    def nul(self, order: int, name: str, bad: np.ndarray, value: Callable[[int], str]) -> None:
        def error(i: int) -> InputError:
            try:
                Located(self.file, self.label(i)).text(value(i), name, cut=False)
            except InputError as exc:
                return exc
            raise AssertionError("a cell with NUL passed")  # pragma: no cover

        self.refuse(order, bad, error)

    def truncated(self, keep: np.ndarray) -> list[str]:
        return [note for i, _, note in sorted(self.cuts, key=lambda c: c[:2]) if keep[i]]


class _Codes:
    """A column as its distinct values (stripped, missing ones ``""``, and cut) and
    each row's code."""

    def __init__(self, uniques: list, codes: np.ndarray):
        self.uniques, self.codes = uniques, codes

    @classmethod
    def encode(cls, values: pa.Array) -> _Codes:
        encoded = pc.dictionary_encode(values)  # one Array: first-seen order
        uniques = [v.strip() for v in encoded.dictionary.to_pylist()]
        uniques = ["" if v in f.MISSING else v for v in uniques]
        return cls(uniques, encoded.indices.to_numpy(zero_copy_only=False))

    def __len__(self) -> int:
        return len(self.uniques)

    def per_row(self, per_unique: list) -> np.ndarray:
        """A value per distinct value → that value for every row (objects are shared)."""
        return _objects(per_unique)[self.codes]

    def mask(self, per_unique: list[bool]) -> np.ndarray:
        return np.array(per_unique, dtype=bool)[self.codes]

    def mapped(self, fn: Callable[[str], object]) -> _Codes:
        """The column with ``fn`` of each distinct value."""
        return _Codes([fn(u) for u in self.uniques], self.codes)


def _objects(values: list) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def _combine(*columns: _Codes) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct combinations of several columns, and each combination's values.

    Columns are combined two at a time, so that a key never exceeds (rows x distinct
    values) however many distinct values each column has.
    """
    first = columns[0]
    codes, combos = first.codes, [(u,) for u in first.uniques]
    for c in columns[1:]:
        width = max(len(c), 1)
        codes, keys = pd.factorize(codes.astype(np.int64) * width + c.codes)
        combos = [combos[k // width] + (c.uniques[k % width],) for k in keys.tolist()]
    return codes, combos


def _joined(*columns: _Codes, fn: Callable[..., object]) -> _Codes:
    """``fn`` of each distinct combination of the columns' values, as a column."""
    codes, combos = _combine(*columns)
    return _Codes([fn(*c) for c in combos], codes)


def _text(per_unique: list, codes: np.ndarray) -> pa.Array:
    """A string column from a value (or None) per distinct value."""
    return pa.array(per_unique, type=pa.string()).take(pa.array(codes))


def _matches(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)


# What str.strip() removes, as an RE2 class: a value with one of these at either end
# is stripped in Python, so that every Unicode space is stripped as the schema strips.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACES) + "]"
_PADDED = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"  # geo.schema._ID: others are asked of the schema
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"  # what ACLED writes; others are asked of the schema


def _strip(values: pa.Array) -> pa.Array:
    """``str.strip()`` on every value, and a missing spelling (``NA``, ...) as ``""``;
    Python only touches the padded ones."""
    padded = pc.match_substring_regex(values, _PADDED)
    if pc.any(padded).as_py():
        stripped = [v.strip() for v in values.filter(padded).to_pylist()]
        values = pc.replace_with_mask(values, padded, pa.array(stripped, pa.string()))
    return pc.if_else(pc.is_in(values, value_set=_MISSING), "", values)


# --------------------------------------------------------------------------- cells


def _coded(rows: _Rows, name: str, values: pa.Array) -> _Codes:
    """A column of few distinct values, its cells checked and cut once per value."""
    column = _Codes.encode(values)
    order = ACLED_COLUMNS.index(name)
    nul = ["\x00" in u for u in column.uniques]
    rows.nul(order, name, column.mask(nul), lambda i: column.uniques[column.codes[i]])
    for k, u in enumerate(column.uniques):
        if len(u) > MAX_TEXT and not nul[k]:
            for i in np.flatnonzero(column.codes == k).tolist():
                cut = rows.cell(i, order, u, name)
            column.uniques[k] = cut
    return column


def _texts(rows: _Rows, name: str, values: pa.Array) -> pa.Array:
    """A column of mostly distinct values (stripped), its cells checked and cut in Arrow."""
    order = ACLED_COLUMNS.index(name)
    nul = pc.match_substring(values, "\x00").to_numpy(zero_copy_only=False)
    rows.nul(order, name, nul, lambda i: values[i].as_py())
    if name == "event_id_cnty":  # kept whole: the schema refuses a long id, named by it
        return values
    if (pc.max(pc.binary_length(values)).as_py() or 0) > MAX_TEXT:  # bytes >= characters
        long = pc.greater(pc.utf8_length(values), MAX_TEXT).to_numpy(zero_copy_only=False)
        long &= ~nul
        cut = [rows.cell(i, order, values[i].as_py(), name) for i in np.flatnonzero(long)]
        values = pc.replace_with_mask(values, pa.array(long), pa.array(cut, pa.string()))
    return values


def _cut(rows: _Rows, order: int, name: str, texts: list, codes: np.ndarray) -> list:
    """Texts made of several cells (one per distinct combination), cut as the schema cuts."""
    for k in [k for k, t in enumerate(texts) if len(t or "") > MAX_TEXT]:
        for i in np.flatnonzero(codes == k).tolist():
            cut = rows.cell(i, order, texts[k], name)
        texts[k] = cut
    return texts


def _row_ids(columns: dict[str, pa.Array], n: int) -> pa.Array:
    """Ids for an export without ``event_id_cnty``: ``acled-`` and a hash of the row's
    cells (by column name, so a re-ordered copy gives the same ids; the index column
    a re-save adds left out), the second of identical rows ``-2``, and so on."""
    names = sorted(c for c in columns if c and not c.startswith("unnamed"))
    cells = [_strip(columns[c]) for c in names] or [pa.array([""] * n, pa.string())]
    joined = pc.binary_join_element_wise(*cells, "\x1f").to_pylist()
    ids = pd.Series(["acled-" + hashlib.blake2b(t.encode(), digest_size=6).hexdigest()
                     for t in joined])  # fmt: skip
    nth = ids.groupby(ids).cumcount().to_numpy()
    suffix = np.where(nth > 0, "-" + (nth + 1).astype(str), "")
    return pa.array((ids + suffix).tolist(), pa.string())


# --------------------------------------------------------------------------- fields


def _per_value(rows: _Rows, order: int, column: _Codes, check: Callable[[str], object]) -> list:
    """``check`` once per distinct value; the rows whose value it refuses are refused."""
    verdicts = [check(u) for u in column.uniques]
    bad = [isinstance(v, InputError) for v in verdicts]
    rows.refuse(order, column.mask(bad), lambda i: rows.relocated(i, verdicts[column.codes[i]]))
    return [None if b else v for v, b in zip(verdicts, bad, strict=True)]


def _ids(rows: _Rows, ids: pa.Array) -> None:
    """Ids as the schema takes them; the others (and those it would cut) are asked of it."""
    long = pc.greater(pc.utf8_length(ids), MAX_TEXT).to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(~_matches(ids, _ID) | long).tolist()
    verdicts = {i: _verdict(id=ids[i].as_py()) for i in odd}
    bad = np.zeros(len(ids), dtype=bool)
    bad[[i for i, v in verdicts.items() if isinstance(v, InputError)]] = True
    rows.refuse(_At.ID, bad, lambda i: rows.relocated(i, verdicts[i]))


def _code_check(name: str, known: dict) -> Callable[[str], object]:
    """A precision code as its code (``2.0`` is ``2``), or the error refusing it."""

    def check(u: str) -> str | InputError:
        c = f.code(u)
        return c if not c or c in known else InputError(f.precision_error(name, u), field=name)

    return check


def _dates(rows: _Rows, dates: _Codes, time: _Codes, notes: list[str]) -> dict:
    """The date columns: each distinct date read by the schema once, then each distinct
    (date, time_precision) made the day, the week from it, or its month."""
    spelled = f.Dates(dates.uniques)
    if spelled.note:
        notes.append(f"{rows.file}: event_date: {spelled.note}")

    def check(u: str) -> Event | InputError:
        refused = spelled.refused(u)
        if refused:
            return InputError(refused, field="date")
        return _verdict(date=spelled.iso(u) or None)

    read = [ev.date if ev else None for ev in _per_value(rows, _At.DATE, dates, check)]
    time = time.mapped(_code_check("time_precision", f.TIME_PRECISION))
    bad = [isinstance(c, InputError) for c in time.uniques]
    rows.refuse(_At.TIME, time.mask(bad), lambda i: rows.relocated(i, time.uniques[time.codes[i]]))

    def precise(d: PartialDate | None, c: object) -> PartialDate | None:
        if d is None or d.precision != "day" or c not in ("2", "3"):
            return d
        return (
            PartialDate.week(d.start)
            if c == "2"
            else PartialDate.month(d.start.year, d.start.month)
        )

    both = _joined(_Codes(read, dates.codes), time, fn=precise)
    found, codes = both.uniques, both.codes
    return {
        "date": _text([str(d) if d else None for d in found], codes),
        "date_precision": _text([d.precision if d else None for d in found], codes),
        "date_start": _days([d.start if d else None for d in found])[codes],
        "date_end": _days([d.end if d else None for d in found])[codes],
    }


def _days(days: list[dt.date | None]) -> np.ndarray:
    return np.array([np.datetime64(d or "NaT", "ns") for d in days], dtype="datetime64[ns]")


def _quantities(rows: _Rows, fatalities: _Codes) -> np.ndarray:
    """The quantities of each row: each distinct figure read by the schema once."""

    def check(u: str) -> Event | InputError | None:
        return _verdict(quantities=[{"value": u, "unit": "fatalities"}]) if u else None

    found = _per_value(rows, _At.QUANTITY, fatalities, check)
    return fatalities.per_row([ev.quantities if ev else () for ev in found])


class _Points:
    """Every row's place: a point given with the data, or a name to geocode."""

    def __init__(self, rows: _Rows, lat_text: pa.Array, lon_text: pa.Array, names, approx):
        """``names`` and ``approx``: each row's place name (or None) and approximate flag."""
        decimal = _matches(lat_text, _DECIMAL) & _matches(lon_text, _DECIMAL)
        lat = _floats(lat_text, decimal)
        lon = _floats(lon_text, decimal)
        plain = decimal & (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & (names != None)  # noqa: E711
        # A float read from a decimal of 6 places or fewer (|v| <= 180) is its own rounding.
        self.round = ~plain | _matches(lat_text, r"\.[0-9]{7}") | _matches(lon_text, r"\.[0-9]{7}")
        self.named: list[int] = []  # the rows to geocode
        errors: dict[int, InputError] = {}
        for i in np.flatnonzero(~plain).tolist():
            v = _verdict(place={"name": names[i], "lat": lat_text[i].as_py(),
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

    def places(self) -> tuple[list, list[float], list[float]]:
        """The places column, as ``PlaceResolver`` and ``ResolvedPlace.record`` make it
        for a point given with the data; and the latitudes and longitudes rounded."""
        lat, lon = self.lat.tolist(), self.lon.tolist()
        lat_r, lon_r = list(lat), list(lon)
        for i in np.flatnonzero(self.round).tolist():
            lat_r[i], lon_r[i] = round(lat[i], 6), round(lon[i], 6)
        places = [
            [given_place(nm, a, b, approximate=ap, at=(ar, br))]
            for nm, a, b, ar, br, ap in zip(
                self.names, lat, lon, lat_r, lon_r, self.approx.tolist(), strict=True
            )
        ]  # fmt: skip
        return places, lat_r, lon_r


def _floats(text: pa.Array, decimal: np.ndarray) -> np.ndarray:
    """The values written as plain decimals, as floats (0 elsewhere)."""
    plain = pc.if_else(pa.array(decimal), text, "0")
    return pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False).copy()


#: The precision of a place resolved by name, by its kind, if the resolver gives none.
_KIND = {"country": "country", "region": "admin1"}
_WITHIN = "within" in {x.name for x in dataclasses.fields(PlaceRef)}


def _named_ref(location: str, admin3: str, admin2: str, admin1: str, country: str) -> PlaceRef:
    """A row's place without coordinates: its most specific name within the others, in
    its country (a constraint, not a hint)."""
    levels = [x for x in dict.fromkeys((location, admin3, admin2, admin1)) if x]
    if not _WITHIN:  # pragma: no cover - until geo.model has PlaceRef.within (issue #10)
        first = location or admin1 or country
        name = ", ".join(x for x in (first, admin1, country) if x)
        return PlaceRef(name=name, country=country or None)
    if not levels:
        return PlaceRef(name=country, country=country or None)
    return PlaceRef(name=levels[0], within=tuple(levels[1:]), country=country or None)


def _outside(lon: np.ndarray, lat: np.ndarray, countries: list) -> np.ndarray:
    """Km outside each row's country (``geo.resolve.outside_country``), 0 where unknown."""
    try:
        from geo.resolve import outside_country
    except ImportError:  # pragma: no cover - until geo.resolve has it (issue #10)
        return np.zeros(len(lon))
    km = np.asarray(outside_country(lon, lat, countries), dtype=float)
    return np.nan_to_num(km, nan=0.0)


# --------------------------------------------------------------------------- details


def _details(cells: dict[str, _Codes], types: _Codes) -> _Codes:
    """What a popup shows of each row, as (label, text) pairs, per distinct combination."""

    def one(label: str, column: _Codes, fn: Callable[[str], str] = str) -> _Codes:
        return column.mapped(lambda u: ((label, t),) if u and (t := fn(u)) else ())

    def several(label: str, fn: Callable[..., str], *names: str) -> _Codes:
        return _joined(*(cells[n] for n in names),
                       fn=lambda *v: ((label, t),) if (t := fn(*v)) else ())  # fmt: skip

    def event_type(written: str, sub: str) -> tuple:
        today, default_sub = f.legacy_type(written) or (written, "")
        sub = sub or default_sub
        text = f"{today}: {sub}" if sub and sub != today else today
        if today != written:
            text += f" (written {written!r}, ACLED's name before 2019)"
        return (("Event type", text),) if text else ()

    parts = [
        _joined(cells["event_type"], cells["sub_event_type"], fn=event_type),
        one("Disorder type", cells["disorder_type"]),
        several("Actor 1", f.actor_text, "actor1", "assoc_actor_1", "inter1"),
        several("Actor 2", f.actor_text, "actor2", "assoc_actor_2", "inter2"),
        one("Interaction", cells["interaction"], f.interaction),
        one("Civilian targeting", cells["civilian_targeting"]),
        several("Location", f.location_text, "location", "admin3", "admin2", "admin1", "country"),
        one("Geo precision", cells["geo_precision"], lambda u: f.GEO_PRECISION.get(f.code(u))),
        one("Source scale", cells["source_scale"]),
        one("Tags", cells["tags"]),
    ]
    return _joined(*parts, fn=lambda *p: tuple(x for part in p for x in part))


def _analyst(cells: dict[str, _Codes | pa.Array]) -> dict[str, pa.Array]:
    """The analyst columns: text (codes as their names), None where missing."""
    shown = {"inter1": f.role, "inter2": f.role, "interaction": f.interaction,
             "geo_precision": f.code, "time_precision": f.code, "iso": f.code}  # fmt: skip
    out = {}
    for name in ANALYST_COLUMNS:
        c = cells[name]
        if isinstance(c, pa.Array):
            out[name] = pc.if_else(pc.equal(c, ""), pa.scalar(None, pa.string()), c)
        else:
            fn = shown.get(name, str)
            out[name] = _text([fn(u) or None if u else None for u in c.uniques], c.codes)
    return out


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
        ids = _strip(columns["event_id_cnty"])
    else:
        ids = _row_ids(columns, n)
        notes.append(f"{file}: event_id_cnty: no such column: each event's id is 'acled-' and "
                     "a hash of its row's cells (identical rows numbered -2, -3, ...)")  # fmt: skip
    rows = _Rows(file, ids, numbers)
    cells = {
        c: _texts(rows, c, ids if c == "event_id_cnty" else _strip(column(c)))
        if c in _MANY
        else _coded(rows, c, column(c))
        for c in ACLED_COLUMNS
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
    kinds = _per_value(rows, _At.KIND, types, lambda u: _verdict(kind=u[0] or None))
    dates = _dates(rows, cells["event_date"], cells["time_precision"], notes)
    quantities = _quantities(rows, cells["fatalities"])

    # Title and place name from each distinct combination of type and place.
    place_codes, place_combos = _combine(cells["location"], cells["admin1"], cells["country"])
    where = [loc or a1 or ctry for loc, a1, ctry in place_combos]
    names = [", ".join(x for x in (w, a1, ctry) if x) or None
             for w, (_, a1, ctry) in zip(where, place_combos, strict=True)]  # fmt: skip
    title_codes, title_combos = _combine(types, cells["sub_event_type"],
                                         _Codes(where, place_codes))  # fmt: skip
    titles = [f"{s or ls or e}: {w}" if w else (s or ls or e) for (e, ls), s, w in title_combos]
    titles = _cut(rows, _At.TITLE, "title", titles, title_codes)
    names = _cut(rows, _At.PLACE_NAME, "place.name", names, place_codes)
    geo = cells["geo_precision"].mapped(_code_check("geo_precision", f.PLACE_PRECISION))
    geo_bad = [isinstance(c, InputError) for c in geo.uniques]
    approx = geo.mask([c in ("2", "3") for c in geo.uniques])  # near a town, or a region
    points = _Points(rows, cells["latitude"], cells["longitude"],
                     _objects(names)[place_codes], approx)  # fmt: skip
    rows.refuse(_At.GEO, geo.mask(geo_bad), lambda i: rows.relocated(i, geo.uniques[geo.codes[i]]))

    keep, errors = rows.reject()
    _duplicates(rows, ids, keep, errors)
    rejected = [Rejected.from_error(errors[i]) for i in sorted(errors)]

    places, lat, lon = points.places()
    geometry = shapely.points(points.lon, points.lat)
    precision = geo.per_row([f.PLACE_PRECISION.get(c) if isinstance(c, str) else None
                             for c in geo.uniques])  # fmt: skip
    country = _joined(cells["country"], cells["iso3"], fn=lambda c, iso3: c or iso3 or None)
    countries = country.per_row(country.uniques)
    flags: dict[int, list[str]] = {}
    flagged: list[tuple[int, Flagged]] = []

    def flag(i: int, text: str) -> None:
        flags.setdefault(i, []).append(text)
        flagged.append((i, Flagged(file, rows.label(i), "place", text)))

    refs = _joined(cells["location"], cells["admin3"], cells["admin2"], cells["admin1"],
                   country.mapped(lambda c: c or ""), fn=_named_ref)  # fmt: skip
    resolver = PlaceResolver(geocoder)
    for i in [i for i in points.named if keep[i]]:  # in file order, as the report lists them
        ref = refs.uniques[refs.codes[i]]
        found = resolver.resolve(ref, file=file, record=rows.label(i), field="place")
        if found is None:
            places[i], geometry[i], lat[i], lon[i], precision[i] = [], None, None, None, None
            continue
        # placed at the point of what it names, as events_frame places it
        places[i], geometry[i] = [found.record], found.geometry
        lat[i], lon[i] = round(found.point.y, 6), round(found.point.x, 6)
        precision[i] = getattr(found, "precision", None) or _KIND.get(found.place.kind, "point")
        if getattr(found, "flag", None):
            flag(i, found.flag)

    # Every placed row is checked against its country: a point given there is kept.
    placed = np.flatnonzero(keep & (countries != None)  # noqa: E711
                            & np.array([g is not None for g in geometry]))  # fmt: skip
    if len(placed):
        at_lat = np.array([lat[i] for i in placed], dtype=float)
        at_lon = np.array([lon[i] for i in placed], dtype=float)
        km = _outside(at_lon, at_lat, countries[placed].tolist())
        for k in np.flatnonzero(km > 0).tolist():
            i = int(placed[k])
            what = "coordinates lie" if points.given[i] else f"{places[i][0].name!r} was placed"
            flag(i, f"{what} {km[k]:,.0f} km outside {countries[i]}, the row's country")

    details = _details(cells, types)
    actor_codes, actor_pairs = _combine(cells["actor1"], cells["actor2"])
    pairs = [tuple(a for a in pair if a) for pair in actor_pairs]
    # The notes are the description; ACLED's source makes no claim of its own.
    sources = source.per_row([(Source(name=s),) if s else () for s in source.uniques])
    data = {
        "id": ids, "kind": _text([ev and ev.kind for ev in kinds], types.codes),
        "title": _text(titles, title_codes),
        "description": pc.if_else(pc.equal(notes_text, ""), pa.scalar(None, pa.string()),
                                  notes_text),
        **dates,
        "actors": list(map(list, _objects(pairs)[actor_codes])),
        "places": places, "place_precision": precision,
        "via": [[] for _ in range(n)],
        "quantities": list(map(list, quantities)),
        "sources": list(map(list, sources)),
        "status": "curated",
        "details": list(map(list, details.per_row(details.uniques))),
        "flags": [flags.get(i, []) for i in range(n)],
        "lat": _numbers(lat), "lon": _numbers(lon), "geometry": geometry,
    }  # fmt: skip
    frame = _frame({**{k: _column(data.get(k)) for k in _columns()},
                    **{k: _column(v) for k, v in _analyst(cells).items()}})  # fmt: skip
    if not keep.all():
        frame = frame[keep].reset_index(drop=True)
    used = np.unique(types.codes[keep])
    frame.attrs["rejected"] = rejected
    frame.attrs["flagged"] = [fl for i, fl in sorted(flagged, key=lambda x: x[0]) if keep[i]]
    frame.attrs["records"] = n
    frame.attrs["notes"] = notes
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = [r.as_dict() for r in resolver.resolved]
    frame.attrs["truncated"] = rows.truncated(keep)
    frame.attrs["kind_labels"] = kind_labels(
        (kinds[k].kind, kinds[k].kind_label) for k in used.tolist() if kinds[k]
    )
    return frame


def _duplicates(rows: _Rows, ids: pa.Array, keep: np.ndarray, errors: dict) -> None:
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


def _columns() -> list[str]:
    """The events columns (with place_precision, details and flags if COLUMNS has not
    listed them yet)."""
    columns = list(COLUMNS)
    if "place_precision" not in columns:  # pragma: no cover - until geo.table has them
        columns.insert(columns.index("places") + 1, "place_precision")
    for name in ("details", "flags"):
        if name not in columns:  # pragma: no cover
            columns.insert(columns.index("lat"), name)
    return columns


def _frame(data: dict) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry="geometry", crs="EPSG:4326")


def _empty(file: str, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """The frame of an export without rows: its columns, no events."""
    frame = events_frame([], geocoder=geocoder, file=file, record="row", first=2)
    for name in [c for c in _columns() if c not in frame.columns]:
        frame.insert(_columns().index(name), name, pd.Series([], dtype=object))
    for name in ANALYST_COLUMNS:
        frame[name] = pd.Series([], dtype=object)
    frame.attrs.update(rejected=[], flagged=[], records=0, notes=[])
    return frame


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
