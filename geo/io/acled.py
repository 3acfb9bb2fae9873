"""ACLED exports, read as they come, a column at a time.

ACLED's columns (event_id_cnty, event_date, event_type, actor1, ..., latitude,
longitude, fatalities, notes, source) map onto the event schema; coordinates are
given, so nothing is geocoded but the rows without any. ``geo_precision`` 2 or 3
means ACLED placed the event at a nearby town or region centre: we mark those
points approximate.

An export of the war in Ukraine has 200,000 rows, so :func:`acled_frame` maps a
whole table at once, and :func:`geo.schema.parse_event` stays the one definition
of what a field accepts and of what a message says:

* columns with few distinct values (event types, dates, fatalities, places) are
  worked out once per distinct value, by asking ``parse_event`` about that value
  alone (:func:`_verdict`);
* the others (ids, notes, coordinates) are checked with Arrow compute, and the
  few values Arrow cannot vouch for (an id with a space, a latitude written
  ``5,1``, a row without coordinates) are asked of ``parse_event`` one by one.

A table is refused as a row-by-row reading would refuse it: its first bad row,
in file order, and in that row its first bad field, in the order the schema
checks them, is an :class:`~geo.errors.InputError` naming the file, the record
(``row N ('UKR123')``, the header being row 1), the field and what was expected.
A text beyond :data:`~geo.schema.MAX_TEXT` characters is cut, and the cut listed
in ``attrs["truncated"]`` under its column's name (``title`` and ``place.name``
for the texts made of several columns).
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Callable, Iterable
from enum import IntEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import InputError
from geo.fields import MAX_TEXT, Located
from geo.model import Event, PlaceRef, Source
from geo.resolve import Geocoder, PlaceResolver, given_place
from geo.schema import kind_labels, parse_event, record_label
from geo.table import COLUMNS, check_unique, events_frame

__all__ = ["ACLED_COLUMNS", "is_acled", "acled_frame"]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "fatalities", "notes", "source",
)  # fmt: skip
_REQUIRED = {"event_id_cnty", "event_date", "event_type", "latitude", "longitude"}
# The columns whose values are mostly distinct: checked in Arrow, not once per value.
_MANY = ("event_id_cnty", "latitude", "longitude", "notes")


class _At(IntEnum):
    """The order of a row's checks: its cells (for NUL) in ACLED_COLUMNS' order (0, 1,
    ...), its source, then its fields as parse_event checks them; and of its cuts."""

    SOURCE, ID, KIND, DATE, PLACE, QUANTITY = range(100, 106)
    TITLE, PLACE_NAME = 200, 201


def is_acled(columns: Iterable[str]) -> bool:
    """True when a table has ACLED's identifying columns."""
    return _REQUIRED <= set(columns)


def _date(value: str) -> str | None:
    """ACLED writes ISO dates, or '05 November 2024' in older exports."""
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value  # for the schema to refuse in its words


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

    def __init__(self, file: str, ids: pa.Array):
        self.file, self.ids = file, ids
        self.checks: list[tuple[int, np.ndarray, Callable[[int], InputError]]] = []
        self.cuts: list[tuple[int, int, str]] = []  # (row, order, message)

    def label(self, i: int) -> str:
        return record_label("row", i + 2, {"id": self.ids[i].as_py()})  # the header is row 1

    def refuse(self, order: int, bad: np.ndarray, error: Callable[[int], InputError]) -> None:
        """Rows ``bad`` fail the check ``order``; ``error(i)`` is the message for row ``i``."""
        if bad.any():
            self.checks.append((order, bad, error))

    def relocated(self, i: int, exc: InputError) -> InputError:
        """The error :func:`_verdict` found, as row ``i``'s."""
        return InputError(exc.reason, file=self.file, record=self.label(i), field=exc.field)

    def raise_first(self) -> None:
        """Raise the first bad row's first error, if any row is bad."""
        if self.checks:
            first = min(int(np.argmax(bad)) for _, bad, _ in self.checks)
            _, _, error = min((c for c in self.checks if c[1][first]), key=lambda c: c[0])
            raise error(first)

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

    @property
    def truncated(self) -> list[str]:
        return [note for _, _, note in sorted(self.cuts, key=lambda c: c[:2])]


class _Codes:
    """A column as its distinct values (stripped, and cut) and each row's code."""

    def __init__(self, uniques: list, codes: np.ndarray):
        self.uniques, self.codes = uniques, codes

    @classmethod
    def encode(cls, values: pa.Array) -> _Codes:
        encoded = pc.dictionary_encode(values)  # one Array: first-seen order
        uniques = [v.strip() for v in encoded.dictionary.to_pylist()]
        return cls(uniques, encoded.indices.to_numpy(zero_copy_only=False))

    def __len__(self) -> int:
        return len(self.uniques)

    def per_row(self, per_unique: list) -> np.ndarray:
        """A value per distinct value → that value for every row (objects are shared)."""
        return _objects(per_unique)[self.codes]

    def mask(self, per_unique: list[bool]) -> np.ndarray:
        return np.array(per_unique, dtype=bool)[self.codes]


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
    """``str.strip()`` on every value; Python only touches the padded ones."""
    padded = pc.match_substring_regex(values, _PADDED)
    if not pc.any(padded).as_py():
        return values
    stripped = [v.strip() for v in values.filter(padded).to_pylist()]
    return pc.replace_with_mask(values, padded, pa.array(stripped, pa.string()))


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


# --------------------------------------------------------------------------- fields


def _per_value(
    rows: _Rows, order: int, column: _Codes, check: Callable[[str], Event | InputError | None]
) -> list:
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


def _dates(rows: _Rows, dates: _Codes) -> dict[str, pa.Array | np.ndarray]:
    """The date columns, each distinct date read by the schema once."""
    verdicts = _per_value(rows, _At.DATE, dates, lambda u: _verdict(date=_date(u)))
    found = [ev.date if ev else None for ev in verdicts]
    return {
        "date": _text([str(d) if d else None for d in found], dates.codes),
        "date_precision": _text([d.precision if d else None for d in found], dates.codes),
        "date_start": _days([d.start if d else None for d in found])[dates.codes],
        "date_end": _days([d.end if d else None for d in found])[dates.codes],
    }


def _days(days: list[dt.date | None]) -> np.ndarray:
    return np.array([np.datetime64(d or "NaT", "ns") for d in days], dtype="datetime64[ns]")


def _quantities(rows: _Rows, fatalities: _Codes) -> list[list]:
    """The quantities column: each distinct figure read by the schema once."""

    def check(u: str) -> Event | InputError | None:
        return _verdict(quantities=[{"value": u, "unit": "fatalities"}]) if u else None

    found = _per_value(rows, _At.QUANTITY, fatalities, check)
    per_unique = [ev.quantities if ev else () for ev in found]
    return [list(q) for q in fatalities.per_row(per_unique)]


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
        self.named: dict[int, PlaceRef] = {}  # row → a place to geocode
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
                self.named[i] = v.places[0]
        bad = np.zeros(len(names), dtype=bool)
        bad[list(errors)] = True
        rows.refuse(_At.PLACE, bad, lambda i: rows.relocated(i, errors[i]))
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


# --------------------------------------------------------------------------- the frame

_Id = namedtuple("_Id", "id")  # what check_unique reads of an event


def acled_frame(
    table: pa.Table, *, file: str, geocoder: Geocoder | None = None
) -> gpd.GeoDataFrame:
    """An ACLED table (every cell as text, ``""`` when empty) → the events frame.

    The frame :func:`geo.table.events_frame` makes of the events the rows are, one
    per row, in file order; rows without coordinates are geocoded by name. Only the
    columns in :data:`ACLED_COLUMNS` are read, each by its name.

    Raises
    ------
    InputError
        For the first bad row (``row N``, the header being row 1) and its first bad
        field, as a row read alone would be refused; then for an id used twice.
    """
    n = table.num_rows
    if n == 0:
        return events_frame([], geocoder=geocoder, file=file, record="row", first=2)

    def column(name: str) -> pa.Array:
        if name in table.column_names:  # a header may name a column twice: the first
            return table.column(table.column_names.index(name)).combine_chunks()
        return pa.array([""] * n, type=pa.string())

    ids = _strip(column("event_id_cnty"))
    rows = _Rows(file, ids)
    cells = {
        c: _texts(rows, c, ids if c == "event_id_cnty" else _strip(column(c)))
        if c in _MANY
        else _coded(rows, c, column(c))
        for c in ACLED_COLUMNS
    }
    source, event_type, notes = cells["source"], cells["event_type"], cells["notes"]
    no_source = (
        "empty; expected the name of who reports the event"
        if "source" in table.column_names
        else "missing; expected a 'source' column naming who reports each event"
    )
    rows.refuse(
        _At.SOURCE,
        source.mask([not u for u in source.uniques]),
        lambda i: InputError(no_source, file=file, record=rows.label(i), field="source"),
    )
    _ids(rows, ids)
    kinds = _per_value(rows, _At.KIND, event_type, lambda u: _verdict(kind=u or None))
    dates = _dates(rows, cells["event_date"])
    quantities = _quantities(rows, cells["fatalities"])

    # Title and place name from each distinct combination of type and place.
    place_codes, place_combos = _combine(cells["location"], cells["admin1"], cells["country"])
    where = [loc or a1 or ctry for loc, a1, ctry in place_combos]
    names = [", ".join(x for x in (w, a1, ctry) if x) or None
             for w, (_, a1, ctry) in zip(where, place_combos, strict=True)]  # fmt: skip
    title_codes, title_combos = _combine(event_type, cells["sub_event_type"],
                                         _Codes(where, place_codes))  # fmt: skip
    titles = [f"{s or e}: {w}" if w else (s or e) for e, s, w in title_combos]
    titles = _cut(rows, _At.TITLE, "title", titles, title_codes)
    names = _cut(rows, _At.PLACE_NAME, "place.name", names, place_codes)
    precision = cells["geo_precision"]
    approx = precision.mask([u not in ("", "1") for u in precision.uniques])
    points = _Points(rows, cells["latitude"], cells["longitude"],
                     _objects(names)[place_codes], approx)  # fmt: skip

    rows.raise_first()
    if len(pc.unique(ids)) < n:  # named as a row-by-row reading names them
        check_unique(map(_Id, ids.to_pylist()), file, record="row", first=2)

    places, lat, lon = points.places()
    geometry = shapely.points(points.lon, points.lat)
    resolver = PlaceResolver(geocoder)
    for i, ref in points.named.items():  # in file order, as the report lists them
        found = resolver.resolve(ref, file=file, record=rows.label(i), field="place")
        if found is None:
            places[i], geometry[i], lat[i], lon[i] = [], None, None, None
        else:  # placed at the point of what it names, as events_frame places it
            places[i], geometry[i] = [found.record], found.geometry
            lat[i], lon[i] = round(found.point.y, 6), round(found.point.x, 6)

    actor_codes, actor_pairs = _combine(cells["actor1"], cells["actor2"])
    pairs = [tuple(a for a in pair if a) for pair in actor_pairs]
    claims = notes.to_pylist()
    data = {
        "id": ids, "kind": _text([ev and ev.kind for ev in kinds], event_type.codes),
        "title": _text(titles, title_codes),
        "description": pc.if_else(pc.equal(notes, ""), pa.scalar(None, pa.string()), notes),
        **dates,
        "actors": [list(pairs[k]) for k in actor_codes.tolist()],
        "places": places,
        "via": [[] for _ in range(n)],
        "quantities": quantities,
        "sources": [[Source(name=s, claim=c or None)]
                    for s, c in zip(source.per_row(source.uniques), claims, strict=True)],
        "status": "curated",
        "lat": _numbers(lat), "lon": _numbers(lon), "geometry": geometry,
    }  # fmt: skip
    frame = gpd.GeoDataFrame(
        pd.DataFrame({k: _column(data.get(k)) for k in COLUMNS}),
        geometry="geometry",
        crs="EPSG:4326",
    )
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = [r.as_dict() for r in resolver.resolved]
    frame.attrs["truncated"] = rows.truncated
    frame.attrs["kind_labels"] = kind_labels((ev.kind, ev.kind_label) for ev in kinds)
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
