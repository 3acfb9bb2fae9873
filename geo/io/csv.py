"""Tables → the events frame: each export by its reader, a flat CSV row by row.

:func:`geo.io.tabular.open_table` reads the file and tells its format; an ACLED,
UCDP GED or GDELT table goes to its reader (:mod:`geo.io.acled`,
:mod:`geo.io.ucdp`, :mod:`geo.io.gdelt`), any other table is read as the YAML
fields written as columns (``id, date, kind, title, place, lat, lon, value,
unit, qualifier, source, ...``), one row at a time. A bad row is skipped and
listed in ``attrs["rejected"]`` (its line if it could not be read as a row, else
``row N`` and its first bad field), with the reader's own, in file order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pyarrow as pa

from geo.errors import InputError
from geo.fields import Located
from geo.io.missing import is_missing
from geo.io.tabular import Tabular, open_table
from geo.io.written import is_written_table, written_table_frame
from geo.model import Event
from geo.report import Rejected
from geo.resolve import Geocoder
from geo.schema import parse_event, record_label
from geo.table import records_frame

__all__ = ["csv_frame", "table_frame"]


def csv_frame(path: str | Path, *, geocoder: Geocoder | None = None) -> gpd.GeoDataFrame:
    """Read a table file (CSV, TSV, a spreadsheet, ACLED's API JSON; see
    :func:`~geo.io.tabular.open_table`) into the events frame.

    Rows are named by their number, the header being row 1; where the header names
    a column twice, its first one is read.
    """
    frame = table_frame(open_table(path), file=str(path), geocoder=geocoder)
    # Give back what Arrow's allocator keeps of the table now that it is freed
    # (hundreds of MB for a large export), before the map is built.
    pa.default_memory_pool().release_unused()
    return frame


def table_frame(tab: Tabular, *, file: str, geocoder: Geocoder | None = None) -> gpd.GeoDataFrame:
    """The events frame of a table :func:`~geo.io.tabular.open_table` read, by its format.

    Its ``attrs`` hold, besides the reader's: ``rejected`` (the rows the table could
    not hold and those the reader refused, in file order), ``notes`` (how the file
    was read, then the reader's) and ``records`` (rows read plus rejected).
    """
    # A CSV write_events wrote has an export's columns too: it is read as written.
    written = is_written_table(tab.table.column_names)
    reader = (lambda: written_table_frame) if written else _READERS.get(tab.format)
    if reader is None:
        frame = _rows_frame(tab, file=file, geocoder=geocoder)
    else:
        with _gc_paused():
            frame = reader()(tab.table, file=file, geocoder=geocoder, numbers=tab.numbers)
    own = frame.attrs.get("rejected", [])
    frame.attrs["rejected"] = _in_file_order(tab, own)
    frame.attrs["notes"] = [*tab.notes, *frame.attrs.get("notes", [])]
    frame.attrs["records"] = frame.attrs.get("records", len(frame) + len(own)) + len(tab.rejected)
    return frame


def _acled():
    from geo.io.acled import acled_frame

    return acled_frame


def _ucdp():
    from geo.io.ucdp import ucdp_frame

    return ucdp_frame


def _gdelt():
    from geo.io.gdelt import gdelt_frame

    return gdelt_frame


#: Each export's reader, imported when a file of it is read.
_READERS = {"acled": _acled, "ucdp": _ucdp, "gdelt": _gdelt}

_ROW = re.compile(r"(?:row|line) (\d+)")


def _in_file_order(tab: Tabular, theirs: list[Rejected]) -> list[Rejected]:
    """The table's rejections (by record number) merged with a reader's (``row N``, in
    file order already)."""
    if not tab.rejected:
        return list(theirs)
    ours = list(zip(tab.rejected_numbers, tab.rejected, strict=True))

    def number(r: Rejected) -> int:
        found = _ROW.match(r.record or "")
        return int(found.group(1)) if found else 1 << 62

    keyed = [(number(r), 1, k, r) for k, r in enumerate(theirs)]
    keyed += [(n, 0, k, r) for k, (n, r) in enumerate(ours)]
    return [r for *_, r in sorted(keyed, key=lambda x: x[:3])]


# --------------------------------------------------------------------------- row by row


def _rows_frame(tab: Tabular, *, file: str, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """A flat CSV (the YAML fields as columns), parsed row by row: a row the schema
    refuses, or whose id an earlier row used, is rejected."""
    table = tab.table
    names = table.column_names
    columns = [c.to_pylist() for c in table.columns]
    numbers = tab.numbers.tolist()
    parsed: list[Event | InputError] = []
    for n, cells in zip(numbers, zip(*columns, strict=True), strict=True):
        row: dict = {}
        for k, v in zip(names, cells, strict=True):
            row.setdefault(k, v)
        try:
            parsed.append(_generic_event(row, file=file, line=n))
        except InputError as exc:
            parsed.append(exc)
    return records_frame(parsed, geocoder=geocoder, file=file, record="row", numbers=numbers)


def _generic_event(row: Mapping[str, str], *, file: str, line: int) -> Event:
    """A flat CSV row → an event; its cells checked first, so messages name the column."""
    loc = Located(file, record_label("row", line, {"id": row.get("id") or None}))
    cells = {k: loc.text(v, k, cut=k != "id") for k, v in row.items()}  # as ACLED's are
    raw = _generic_csv_record(cells)
    if raw.get("sources") is None:
        if "source" in row or "sources" in row:
            raise loc.fail("source", "empty; expected the name of who says so")
        raise loc.fail("source", "missing; expected a 'source' column naming who says so")
    ev = parse_event(raw, file=file, index=line, record="row")
    return dataclasses.replace(ev, truncated=(*loc.notes, *ev.truncated))


def _generic_csv_record(row: Mapping[str, str]) -> dict:
    """A flat CSV row (the YAML fields as columns) → one event mapping; a missing
    spelling (``""``, ``NA``, ``null``, ...; see :mod:`geo.io.missing`) is not given."""
    raw: dict = {k: (None if is_missing(v) else v) for k, v in row.items()}
    for key in ("actors", "via"):
        if raw.get(key):
            raw[key] = [x.strip() for x in raw[key].split(";") if x.strip()]
    lat, lon = raw.pop("lat", None), raw.pop("lon", None)
    if lat is not None or lon is not None:
        raw["place"] = {"name": raw.get("place"), "lat": lat, "lon": lon}
    if raw.get("value") is not None:
        raw["quantities"] = [
            {"value": raw.pop("value"), "unit": raw.pop("unit", None),
             "qualifier": raw.pop("qualifier", None)}
        ]  # fmt: skip
    if raw.get("source") is not None:
        raw["sources"] = [
            {"name": raw.pop("source"), "url": raw.pop("source_url", None),
             "date": raw.pop("source_date", None), "claim": raw.pop("claim", None)}
        ]  # fmt: skip
    return raw


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building a few million small lists and
    records: its repeated full passes over them cost more than building them, and they
    hold no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
