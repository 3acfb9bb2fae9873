"""ACLED exports, read as they come.

ACLED's columns (event_id_cnty, event_date, event_type, actor1, ..., latitude,
longitude, fatalities, notes, source) map onto the event schema; coordinates are
given, so nothing is geocoded. ``geo_precision`` 2 or 3 means ACLED placed the
event at a nearby town or region centre: we mark those points approximate.

Two ways to read a table, with the same result:

* :func:`acled_record` maps one row to the mapping :func:`geo.schema.parse_event`
  validates. It is the definition, and what reads rows that are unusual or wrong.
* :func:`acled_columns` maps a whole table at once (an export of the war in
  Ukraine has 200,000 rows). Columns with few distinct values (event types,
  actors, places, dates, fatalities) are worked out once per distinct value with
  the same functions the row path uses; the others (ids, notes, coordinates) are
  checked with Arrow compute. Any row it cannot vouch for is flagged for the row
  path, which reads it or raises the error that names its line and field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import InputError
from geo.model import Event, Place, Quantity, Source
from geo.schema import (
    DAY_MAX,
    DAY_MIN,
    MAX_TEXT,
    _Located,
    _number,
    kind_labels,
    normalize_kind,
    parse_date,
    parse_event,
    record_label,
)

__all__ = ["ACLED_COLUMNS", "is_acled", "acled_record", "acled_event", "acled_columns"]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "fatalities", "notes", "source",
)  # fmt: skip
_REQUIRED = {"event_id_cnty", "event_date", "event_type", "latitude", "longitude"}
_GIVEN = "coordinates given in the data"  # the source of a point read with the data


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
    return value  # let the event parser report it with file:record:field


def acled_record(row: Mapping[str, str]) -> dict:
    """One ACLED row → one event mapping (see ``data/events/README.md``)."""
    get = lambda k: (row.get(k) or "").strip()  # noqa: E731
    event_type = get("event_type")
    sub = get("sub_event_type")
    location = get("location") or get("admin1") or get("country")
    title = f"{sub or event_type}: {location}" if location else (sub or event_type)
    raw: dict = {
        "id": get("event_id_cnty"),
        "date": _date(get("event_date")),
        "kind": event_type or None,
        "title": title,
        "description": get("notes") or None,
        "actors": [a for a in (get("actor1"), get("actor2")) if a],
        "place": {
            "name": ", ".join(x for x in (location, get("admin1"), get("country")) if x) or None,
            "lat": get("latitude"),
            "lon": get("longitude"),
            "approximate": get("geo_precision") not in ("", "1"),
        },
    }
    if get("fatalities") not in ("",):
        raw["quantities"] = [{"value": get("fatalities"), "unit": "fatalities"}]
    if get("source"):
        raw["sources"] = [{"name": get("source"), "claim": get("notes") or None}]
    return raw


def acled_event(row: Mapping[str, str | None], *, file: str | None, line: int) -> Event:
    """One ACLED row → a validated :class:`Event`, named ``row {line}`` in messages.

    Each cell is checked first (no NUL; beyond :data:`~geo.schema.MAX_TEXT` characters
    it is cut, and the cut noted under its column's name), so that messages name
    ACLED's columns; a row must name its ``source``.
    """
    cells = {k: (row.get(k) or "").strip() for k in ACLED_COLUMNS}
    loc = _Located(file, record_label("row", line, {"id": cells["event_id_cnty"]}))
    # The id is left whole: parse_event names the record by it, and refuses it if too long.
    cells = {k: loc.text(v, k, cut=k != "event_id_cnty") for k, v in cells.items()}
    if not cells["source"]:
        raise loc.fail(
            "source",
            "empty; expected the name of who reports the event"
            if "source" in row
            else "missing; expected a 'source' column naming who reports each event",
        )
    ev = parse_event(acled_record(cells), file=file, index=line, record="row")
    return dataclasses.replace(ev, truncated=(*loc.notes, *ev.truncated))


# --------------------------------------------------------------------------- whole tables

# What str.strip() removes, as an RE2 class: a value with one of these at either end
# is stripped in Python, so that both paths agree on every Unicode space.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACES) + "]"
_PADDED = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"  # geo.schema._ID
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"  # what ACLED writes; anything else takes the row path


@dataclass
class AcledColumns:
    """The event fields of every row of an ACLED table, column by column.

    ``slow`` flags the rows whose values here are placeholders: read them one by
    one with :func:`acled_record` and :func:`geo.schema.parse_event`.
    """

    ids: pa.Array  # stripped event ids, for the duplicate check
    slow: np.ndarray  # bool
    text: dict[str, pa.Array]  # id, kind, title, description, date, date_precision
    dates: dict[str, np.ndarray]  # date_start, date_end (datetime64[ns])
    nested: dict[str, list]  # actors, places, quantities, sources: a list per row
    lat: np.ndarray
    lon: np.ndarray
    geometry: np.ndarray  # shapely Points
    kind_labels: dict[str, str]  # kind id → the event type as written


class _Codes:
    """A column as its distinct values (stripped, as ``acled_record`` strips) and codes."""

    def __init__(self, uniques: list, codes: np.ndarray):
        self.uniques, self.codes = uniques, codes

    @classmethod
    def encode(cls, values: pa.ChunkedArray) -> _Codes:
        encoded = pc.dictionary_encode(values).combine_chunks()  # one dictionary, all rows
        uniques = [v.strip() for v in encoded.dictionary.to_pylist()]
        return cls(uniques, encoded.indices.to_numpy(zero_copy_only=False))

    def __len__(self) -> int:
        return len(self.uniques)

    def per_row(self, per_unique: list) -> np.ndarray:
        """A value per distinct value → that value for every row (objects are shared)."""
        return _objects(per_unique)[self.codes]


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


def _matches(values: pa.ChunkedArray, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).to_numpy()


def _strip(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``str.strip()`` on every value; Python only touches the padded ones."""
    padded = pc.match_substring_regex(values, _PADDED)
    if not pc.any(padded).as_py():
        return values
    stripped = [v.strip() for v in values.filter(padded).to_pylist()]
    mask = padded.combine_chunks()
    fixed = pc.replace_with_mask(values.combine_chunks(), mask, pa.array(stripped, pa.string()))
    return pa.chunked_array([fixed])


def _round6(values: list[float], text: pa.ChunkedArray) -> list[float]:
    """``round(v, 6)`` for each value, calling it only where the text has more decimals:
    a float read from a decimal of 6 places or fewer (and |v| <= 180) is its own rounding."""
    out = list(values)
    for i in np.flatnonzero(_matches(text, r"\.[0-9]{7}")).tolist():
        out[i] = round(out[i], 6)
    return out


def _dates(dates: _Codes) -> tuple[dict[str, pa.Array | np.ndarray], np.ndarray]:
    """Each distinct date once, through the row path's own functions; bad rows flagged."""
    text, precision, start, end, bad = [], [], [], [], []
    for u in dates.uniques:
        try:
            d = parse_date(_date(u))
        except ValueError:
            d, wrong = None, True
        else:
            wrong = d is not None and not DAY_MIN <= d.start <= d.end <= DAY_MAX
        d = None if wrong else d
        bad.append(wrong)
        text.append(str(d) if d else None)
        precision.append(d.precision if d else None)
        start.append(np.datetime64(d.start if d else "NaT", "ns"))
        end.append(np.datetime64(d.end if d else "NaT", "ns"))
    columns = {
        "date": _text(text, dates.codes),
        "date_precision": _text(precision, dates.codes),
        "date_start": np.array(start, dtype="datetime64[ns]")[dates.codes],
        "date_end": np.array(end, dtype="datetime64[ns]")[dates.codes],
    }
    return columns, np.array(bad, dtype=bool)[dates.codes]


def _fatalities(fatalities: _Codes) -> tuple[list, np.ndarray]:
    """The quantities column (a number per distinct value); bad or negative rows flagged."""
    where = _Located(None, "")
    values, bad = [], []
    for u in fatalities.uniques:
        v = None
        if u:
            try:
                v = _number(where, u, "value")
            except InputError:
                pass
        values.append(v)
        bad.append(bool(u) and (v is None or v < 0))
    records = [Quantity(value=v, unit="fatalities") if v is not None else None for v in values]
    quantities = [[q] if q is not None else [] for q in fatalities.per_row(records)]
    return quantities, np.array(bad, dtype=bool)[fatalities.codes]


def _coordinates(lat_text: pa.ChunkedArray, lon_text: pa.ChunkedArray):
    """Latitude and longitude written as plain decimals in range; others flagged (as 0, 0)."""
    decimal = pc.and_(
        pc.match_substring_regex(lat_text, _DECIMAL), pc.match_substring_regex(lon_text, _DECIMAL)
    )
    ok = decimal.to_numpy()
    lat = pc.cast(pc.if_else(decimal, lat_text, "0"), pa.float64()).to_numpy()
    lon = pc.cast(pc.if_else(decimal, lon_text, "0"), pa.float64()).to_numpy()
    ok &= (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return np.where(ok, lat, 0.0), np.where(ok, lon, 0.0), ok


def _places(names: np.ndarray, lat, lon, lat_text, lon_text, approx) -> tuple[list, list, list]:
    """The places column, as ``PlaceResolver`` and ``ResolvedPlace.record`` build it for
    a point given with the data; and the rounded latitude and longitude."""
    lat_list, lon_list = lat.tolist(), lon.tolist()
    lat_r, lon_r = _round6(lat_list, lat_text), _round6(lon_list, lon_text)
    for i in np.flatnonzero(names == None).tolist():  # noqa: E711 (elementwise)
        names[i] = f"{lat_list[i]:.4f}, {lon_list[i]:.4f}"
    places = [
        [Place(query=nm, name=nm, id=f"point:{a:.5f},{b:.5f}", kind="place", country=None,
               lat=ar, lon=br, source=_GIVEN, score=1.0, approximate=ap)]
        for nm, a, b, ar, br, ap in zip(
            names, lat_list, lon_list, lat_r, lon_r, approx, strict=True
        )
    ]  # fmt: skip
    return places, lat_r, lon_r


def _odd_cells(table: pa.Table) -> np.ndarray:
    """Rows with a cell the row path must read: one holding NUL, or longer than a text
    may be (Arrow has checked that every cell is UTF-8)."""
    odd = np.zeros(table.num_rows, dtype=bool)
    for values in table.columns:
        if (pc.max(pc.binary_length(values)).as_py() or 0) > MAX_TEXT:  # bytes >= characters
            odd |= pc.greater(pc.utf8_length(values), MAX_TEXT).to_numpy()
        if pc.any(pc.match_substring(values, "\x00")).as_py():
            odd |= pc.match_substring(values, "\x00").to_numpy()
    return odd


def _longer(texts: list[str | None], codes: np.ndarray) -> np.ndarray:
    """Per row: whether its text (one per distinct combination) is longer than a text may be."""
    return np.array([len(t or "") > MAX_TEXT for t in texts], dtype=bool)[codes]


def acled_columns(table: pa.Table) -> AcledColumns:
    """Map a whole ACLED table (every column as strings) onto the event fields.

    The values are those :func:`acled_record` and :func:`geo.schema.parse_event`
    give row by row, for every row not flagged ``slow``. Only the columns in
    :data:`ACLED_COLUMNS` are used.
    """
    n = table.num_rows
    empty = pa.chunked_array([pa.array([""] * n, type=pa.string())])

    def column(name: str) -> pa.ChunkedArray:
        return table.column(name) if name in table.column_names else empty

    def codes(name: str) -> _Codes:
        return _Codes.encode(column(name))

    ids = _strip(column("event_id_cnty"))
    event_type, sub_type = codes("event_type"), codes("sub_event_type")
    dates, bad_date = _dates(codes("event_date"))
    quantities, bad_number = _fatalities(codes("fatalities"))
    lat_text, lon_text = column("latitude"), column("longitude")
    lat, lon, located = _coordinates(lat_text, lon_text)
    kinds = [normalize_kind(u) for u in event_type.uniques]
    source = codes("source")
    slow = (
        ~_matches(ids, _ID)
        | ~np.array([bool(k) for k in kinds], dtype=bool)[event_type.codes]
        | ~np.array([bool(u) for u in source.uniques], dtype=bool)[source.codes]
        | bad_date
        | bad_number
        | ~located
        | _odd_cells(table)
    )

    # Title and place name from each distinct combination of type and place.
    place_codes, place_combos = _combine(codes("location"), codes("admin1"), codes("country"))
    place_name, where = [], []
    for loc, a1, ctry in place_combos:
        loc = loc or a1 or ctry
        where.append(loc)
        place_name.append(", ".join(x for x in (loc, a1, ctry) if x) or None)
    title_codes, title_combos = _combine(event_type, sub_type, _Codes(where, place_codes))
    titles = [f"{s or e}: {loc}" if loc else (s or e) for e, s, loc in title_combos]
    # A title or place name longer than a text may be is cut by the row path.
    slow |= _longer(titles, title_codes) | _longer(place_name, place_codes)

    precision = codes("geo_precision")
    approx = precision.per_row([u not in ("", "1") for u in precision.uniques])
    names = _objects(place_name)[place_codes]
    places, lat_r, lon_r = _places(names, lat, lon, lat_text, lon_text, approx)

    actor_codes, actor_pairs = _combine(codes("actor1"), codes("actor2"))
    pairs = [tuple(a for a in pair if a) for pair in actor_pairs]
    actors = [list(pairs[k]) for k in actor_codes.tolist()]

    notes = _strip(column("notes"))
    sources = [
        [Source(name=s, claim=c or None)] if s else []
        for s, c in zip(source.per_row(source.uniques), notes.to_pylist(), strict=True)
    ]
    return AcledColumns(
        ids=ids,
        slow=slow,
        text={
            "id": ids,
            "kind": _text(kinds, event_type.codes),
            "title": _text(titles, title_codes),
            "description": pc.if_else(pc.equal(notes, ""), pa.scalar(None, pa.string()), notes),
            "date": dates.pop("date"),
            "date_precision": dates.pop("date_precision"),
        },
        dates=dates,
        nested={"actors": actors, "places": places, "quantities": quantities, "sources": sources},
        lat=np.array(lat_r, dtype=float),
        lon=np.array(lon_r, dtype=float),
        geometry=shapely.points(lon, lat),
        kind_labels=kind_labels(
            zip(kinds, (" ".join(u.split()) for u in event_type.uniques), strict=True)
        ),
    )
