"""CSV files: a flat CSV of the YAML fields, or an ACLED export (:mod:`geo.io.acled`).

Both are read with Arrow's CSV reader, every cell as text. A row with more or
fewer fields than the header, a byte that is not UTF-8, a cell with NUL: each is
an :class:`~geo.errors.InputError` naming its line (the header is line 1) or row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import gc
import mmap
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.errors import InputError, brief
from geo.fields import Located
from geo.io.acled import ACLED_COLUMNS, acled_frame, is_acled
from geo.io.utf8 import not_utf8, other_encoding
from geo.model import Event
from geo.resolve import Geocoder
from geo.schema import parse_event, record_label
from geo.table import check_unique, events_frame

__all__ = ["csv_frame"]


def csv_frame(path: Path, *, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """Read a CSV file (ACLED as it comes, or the YAML fields as columns) into the frame.

    Rows are named by their number, the header being row 1; where the header names
    a column twice, its first one is read.
    """
    header = _csv_header(path)
    if is_acled(header):
        return _acled_frame(path, header, geocoder=geocoder)
    return _rows_frame(path, header, geocoder=geocoder)


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), [])
    except UnicodeDecodeError as exc:
        raise _utf8_error(path) or InputError(f"not UTF-8: {exc}", file=str(path)) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=str(path)) from None


def _read_table(path: Path, header: list[str], include: list[str] | None = None) -> pa.Table:
    """Every cell as text (``""`` when empty); errors name the line they are on."""
    name = str(path)
    block, size = 1 << 20, path.stat().st_size
    while True:
        try:
            return pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(block_size=block),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in header},
                    include_columns=include or [],
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            message = str(exc)
            if "straddl" in message and block < min(size, 2**30):
                block *= 8  # a row longer than a block: read in larger blocks
                continue
            not_utf8 = _utf8_error(path)  # Arrow's messages do not say where
            if not_utf8 is not None:
                raise not_utf8 from None
            ragged = _RAGGED.search(message)
            if ragged:
                raise _ragged_error(path, *ragged.groups()) from None
            raise InputError(f"not a readable CSV file: {exc}", file=name) from None
        except pa.ArrowException as exc:
            raise InputError(f"not a readable CSV file: {exc}", file=name) from None


# Arrow's message for a row with another number of fields than the header: the row's
# text follows, its first hundred characters or so, then " ..." if there are more.
_RAGGED = re.compile(r"Expected (\d+) columns, got (\d+): (.*)", re.DOTALL)


def _ragged_error(path: Path, expected: str, got: str, text: str) -> InputError:
    """The row Arrow found with a wrong number of fields, named by its line: the first
    line that starts with its text (the whole row, or the start Arrow quotes)."""
    whole = not text.endswith(" ...")
    needle = b"\n" + (text if whole else text[:-4]).encode("utf-8")
    line = None
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        pos = mm.find(needle)
        while pos >= 0:
            end = pos + len(needle)
            if not whole or end == len(mm) or mm[end : end + 1] in (b"\n", b"\r"):
                line = _count_newlines(mm, pos) + 2
                break
            pos = mm.find(needle, pos + 1)
    return InputError(
        f"expected {expected} fields as in the header, got {got}: {brief(text)}",
        file=str(path), record=f"line {line}" if line else None,
    )  # fmt: skip


def _count_newlines(mm: mmap.mmap, end: int) -> int:
    chunk, n = 1 << 24, 0
    for start in range(0, end, chunk):
        n += mm[start : min(start + chunk, end)].count(b"\n")
    return n


def _utf8_error(path: Path) -> InputError | None:
    """Where a file stops being UTF-8 (its line, and the byte found), or the encoding its
    UTF-16 or UTF-32 byte order mark announces; None if it is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as f:
        other = other_encoding(f.read(4), file=str(path))
        if other is not None:
            return other
        f.seek(0)
        while chunk := f.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return not_utf8(exc, file=str(path), line=line + chunk.count(b"\n", 0, exc.start))
            line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return InputError(
            f"expected UTF-8 text, found a truncated character at the end ({exc.reason})",
            file=str(path), record=f"line {line}",
        )  # fmt: skip
    return None


# --------------------------------------------------------------------------- row by row


def _rows_frame(path: Path, header: list[str], *, geocoder: Geocoder | None):
    """A flat CSV (the YAML fields as columns), parsed row by row."""
    name = str(path)
    table = _read_table(path, header)
    columns = [c.to_pylist() for c in table.columns]
    events = []
    for i, cells in enumerate(zip(*columns, strict=True), 2):  # the header is row 1
        row: dict = {}
        for k, v in zip(table.column_names, cells, strict=True):
            row.setdefault(k, v)
        events.append(_generic_event(row, file=name, line=i))
    check_unique(events, name, record="row", first=2)
    return events_frame(events, geocoder=geocoder, file=name, record="row", first=2)


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
    """A flat CSV row (the YAML fields as columns) → one event mapping."""
    raw: dict = {k: (v if v != "" else None) for k, v in row.items()}
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


# --------------------------------------------------------------------------- ACLED


def _acled_frame(path: Path, header: list[str], *, geocoder: Geocoder | None) -> gpd.GeoDataFrame:
    """An ACLED export, read column by column (see :mod:`geo.io.acled`)."""
    name = str(path)
    include = list(dict.fromkeys(c for c in header if c in ACLED_COLUMNS))  # each once
    table = _read_table(path, header, include=include)
    with _gc_paused():
        frame = acled_frame(table, file=name, geocoder=geocoder)
    # Give back what Arrow's allocator keeps of the table once it is freed
    # (hundreds of MB for a large export), before the map is built.
    del table
    pa.default_memory_pool().release_unused()
    return frame


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
