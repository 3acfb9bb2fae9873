"""Delimited text (CSV, TSV, GDELT's tab-separated events) read by Arrow, every cell as text.

What the first bytes say is read: the encoding (UTF-8, a byte order mark, else
Windows-1252), the delimiter (``,`` ``;`` tab ``|``), and whether the first line is
a header or a GDELT event (57, 58 or 61 tab-separated fields, a numeric
GLOBALEVENTID and an 8-digit SQLDATE). Arrow reads the rest at its speed.

An empty line is no record, but counts in the rows' numbers as a spreadsheet shows them.
A field opened by a quote no quote closes (a hand-edited export) makes Arrow read
the lines after it as one record: such a record, no CSV, has its first line
rejected and the lines after it read on their own.

A row with another number of fields than the header (a truncated last line, a
stray delimiter) is skipped by Arrow. Arrow does not say on which line it was,
so the file is then read once more with Python's csv module, which splits records
as Arrow does (a field is quoted only when it starts with a quote, an empty line
is no record): each skipped row is named by its line, and every row read keeps
its record number.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import lzma
import mmap
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo.errors import InputError, brief
from geo.io.utf8 import not_utf8
from geo.report import Rejected

__all__ = ["read_delimited", "gdelt_columns", "HEAD"]

HEAD = 1 << 20  #: the bytes read to tell the encoding, delimiter and header


class Delimited(NamedTuple):
    """A delimited file's header and rows (columns ``f0``, ``f1``, ... in header order)."""

    header: list[str]
    table: pa.Table
    numbers: np.ndarray
    rejected: list[tuple[int, Rejected]]  # (record number, rejection)
    notes: list[str]
    gdelt: bool  # a headerless GDELT events file, named by the codebook


def read_delimited(source: Any, head: bytes, file: str) -> Delimited:
    """Read a delimited text file; ``source.open()`` gives its bytes from the start,
    ``source.arrow()`` what Arrow reads; ``head`` is its first :data:`HEAD` bytes."""
    encoding, notes = _encoding(head, file)
    if encoding is None:  # not UTF-8
        encoding = "cp1252"
        notes.append(
            f"{file}: read as Windows-1252: not UTF-8 (line {_first_bad_line(source, file)})"
        )
    text = _decode_head(head, encoding)
    if not text.lstrip("\ufeff").strip():
        raise InputError("empty file; expected a header line naming the columns", file=file)
    text = text.lstrip("\ufeff").lstrip("\r\n")  # blank lines before the header
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    gdelt = gdelt_columns(len(first.split("\t"))) if _is_gdelt_row(first.split("\t")) else None
    if gdelt:
        delimiter, header = "\t", gdelt
    else:
        delimiter = _delimiter(first)
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    try:
        return _read(source, file, header, encoding, notes, delimiter, gdelt)
    except _NotUtf8 as bad:  # past the first bytes
        notes.append(f"{file}: read as Windows-1252: not UTF-8 (line {bad.line})")
        return _read(source, file, header, "cp1252", notes, delimiter, gdelt)


# --------------------------------------------------------------------------- GDELT

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_EVENT = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
          "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")  # fmt: skip


def gdelt_columns(fields: int) -> list[str] | None:
    """The codebook's column names of a GDELT events file of ``fields`` fields: 57 or 58
    (1.0, without or with ``SOURCEURL``), 61 (2.0, whose geo blocks have ``ADM2Code``);
    None for any other count.

    >>> cols = gdelt_columns(61)
    >>> len(gdelt_columns(57)), len(gdelt_columns(58)), len(cols)
    (57, 58, 61)
    >>> cols[:3], cols[-2:], cols[cols.index("ActionGeo_ADM1Code") + 1]
    (['GLOBALEVENTID', 'SQLDATE', 'MonthYear'], ['DATEADDED', 'SOURCEURL'], 'ActionGeo_ADM2Code')
    """
    if fields not in (57, 58, 61):
        return None
    geo = ("Type", "FullName", "CountryCode", "ADM1Code", *(("ADM2Code",) * (fields == 61)),
           "Lat", "Long", "FeatureID")  # fmt: skip
    names = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    names += [a + x for a in ("Actor1", "Actor2") for x in _ACTOR]
    names += _EVENT
    names += [g + x for g in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_") for x in geo]
    return names + ["DATEADDED"] + ["SOURCEURL"] * (fields != 57)


def _is_gdelt_row(fields: list[str]) -> bool:
    """A GDELT event line: its field count, a numeric GLOBALEVENTID, an 8-digit SQLDATE."""
    return (
        gdelt_columns(len(fields)) is not None
        and fields[0].isdigit()
        and re.fullmatch(r"(19|20)\d{6}", fields[1]) is not None
    )


# --------------------------------------------------------------------------- encoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf8", None),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)  # fmt: skip


def _encoding(head: bytes, file: str) -> tuple[str | None, list[str]]:
    """The encoding a file's first bytes show (as Arrow names it; None: not UTF-8), and
    the note it deserves."""
    for bom, encoding, name in _BOMS:  # UTF-32 first: its BOM starts like UTF-16's
        if head.startswith(bom):
            return encoding, [f"{file}: read as {name} (its byte order mark)"] if name else []
    even, odd = head[:4096:2], head[1:4096:2]  # mostly ASCII as UTF-16: every other byte NUL
    if len(odd) >= 2 and odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le", [f"{file}: read as UTF-16 (little-endian, no byte order mark)"]
    if len(odd) >= 2 and even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be", [f"{file}: read as UTF-16 (big-endian, no byte order mark)"]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < HEAD)
    except UnicodeDecodeError:
        return None, []
    return "utf8", []


def _decode_head(head: bytes, encoding: str) -> str:
    """The text of a file's first bytes (a character cut at their end dropped)."""
    codec = "utf-8" if encoding == "utf8" else encoding
    return codecs.getincrementaldecoder(codec)("replace").decode(head, final=False)


# Bytes Windows-1252 leaves undefined: a file with one is in neither encoding.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class _NotUtf8(Exception):
    def __init__(self, line: int):
        self.line = line


def _first_bad_line(source: Any, file: str) -> int:
    """The line of a file's first byte that is not UTF-8.

    Raises
    ------
    InputError
        If the file is not Windows-1252 either (it has a byte Windows-1252 leaves
        undefined): where it stops being UTF-8, and that byte.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, bad, error = 1, None, None
    with source.open() as f:
        while chunk := f.read(1 << 20):
            if bad is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad = line + chunk.count(b"\n", 0, exc.start)
                    error = not_utf8(exc, file=file, line=bad)
            other = _NOT_CP1252.search(chunk)
            if other is not None and error is not None:
                at = line + chunk.count(b"\n", 0, other.start())
                raise InputError(
                    f"{error.reason}; not Windows-1252 either (byte 0x{chunk[other.start()]:02X} "
                    f"on line {at})",
                    file=file, record=error.record,
                )  # fmt: skip
            line += chunk.count(b"\n")
    return line if bad is None else bad  # None: a character cut at the very end


def _delimiter(line: str) -> str:
    """The delimiter a header line uses most, outside quotes: ``,`` ``;`` tab or ``|``."""
    counts = dict.fromkeys(",\t;|", 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=counts.__getitem__)  # a tie: the first, a comma
    return best if counts[best] else ","


# --------------------------------------------------------------------------- reading


def _read(source, file, header, encoding, notes, delimiter, gdelt) -> Delimited:
    """Read the file with Arrow: the header as its first row, unless GDELT's has none."""
    width, quote = len(header), not gdelt  # GDELT never quotes: a '"' is text
    ragged: list[tuple[int, str]] = []  # each skipped row's fields and text

    def invalid(row: pacsv.InvalidRow) -> str:
        ragged.append((row.actual_columns, row.text))
        return "skip"

    parse = pacsv.ParseOptions(
        delimiter=delimiter,
        quote_char='"' if quote else False,
        newlines_in_values=quote,
        invalid_row_handler=invalid,
        ignore_empty_lines=False,  # an empty line: a row of "" (found below), to number the rows
    )
    table = _arrow_read(source, file, width, encoding, parse)
    first = 1 if gdelt else 2  # the first row's number, without empty lines
    blank = _blank_rows(table)
    if not gdelt and table.num_rows:
        top = 0 if blank is None else int(np.argmin(blank))  # empty lines before the header
        header = [c[top].as_py() for c in table.columns]  # as Arrow reads the rows
        table = table.slice(top + 1)
        blank = None if blank is None or not blank[top + 1 :].any() else blank[top + 1 :]
    folded = quote and _line_breaks(table)  # a record over lines: an unclosed quote?
    if not ragged and blank is None and not folded:
        numbers = np.arange(first, first + table.num_rows, dtype=np.int64)
        return Delimited(header, table, numbers, [], notes, bool(gdelt))
    found = _scan_bytes(source, encoding, delimiter, quote, width, first, ragged)
    if not _agrees(found, table.num_rows, ragged):  # a stray quote, UTF-16: split in Python
        found = _scan(source, encoding, delimiter, quote, width, first)
        if not _agrees(found, table.num_rows, ragged):  # pragma: no cover - a safeguard
            table = _python_table(source, encoding, delimiter, quote, width, first)
            found = (found[0], found[1], np.ones(table.num_rows, dtype=bool), [])
    good, bad, keep, malformed = found
    bad = sorted(bad + malformed)
    if not keep.all():
        table = table.filter(pa.array(keep))  # the empty lines: no records
    what = f"{width} fields (GDELT {'2.0' if width == 61 else '1.0'})" if gdelt else (
        f"{width} fields as in the header")  # fmt: skip
    table, numbers, rejected = _unfold(table, good, bad, delimiter, width, what, file)
    return Delimited(header, table, numbers, rejected, notes, bool(gdelt))


def _line_breaks(table: pa.Table) -> bool:
    """Whether a cell holds a line break: a record over several lines. (The cells' bytes
    as Arrow keeps them, at numpy's speed: 35 ms for a 100 MB export, where Arrow's
    match_substring takes 300.)"""
    for column in table.columns:
        for chunk in column.chunks:
            data = chunk.buffers()[2]  # the texts one after the other (a header's too)
            if data is not None:
                a = np.frombuffer(data, dtype=np.uint8)
                low = a[a <= 13]  # a line end, a tab: rare in a cell
                if np.any((low == 10) | (low == 13)):
                    return True
    return False


def _blank_rows(table: pa.Table) -> np.ndarray | None:
    """Which rows are empty lines (every cell ``""``), None when none is: an empty line
    is no record, but it is a row in a spreadsheet and so in the rows' numbers."""
    if not table.num_columns or not table.num_rows:
        return None
    empty = pc.equal(table.column(0), "")
    if not pc.any(empty).as_py():  # an id column: never empty, nothing more to look at
        return None
    for column in table.columns[1:]:
        empty = pc.and_(empty, pc.equal(column, ""))
    mask = empty.to_numpy(zero_copy_only=False)
    return mask if mask.any() else None


def _arrow_read(source, file: str, width: int, encoding: str, parse) -> pa.Table:
    """Every cell as text (``""`` when empty); a row longer than a block read with
    larger blocks."""
    names = [f"f{i}" for i in range(width)]
    block = 1 << 20
    while True:
        given = source.arrow()
        try:
            return pacsv.read_csv(
                given,
                read_options=pacsv.ReadOptions(
                    block_size=block, column_names=names, encoding=encoding
                ),
                parse_options=parse,
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            message = str(exc)
            if "straddl" in message and block < 2**30:
                block *= 8  # a row longer than a block: read in larger blocks
                continue
            if "invalid UTF8" in message and encoding == "utf8":
                raise _NotUtf8(_first_bad_line(source, file)) from None
            raise InputError(f"not a readable table: {exc}", file=file) from None
        except (pa.ArrowException, OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as exc:
            raise InputError(f"not a readable table: {exc}", file=file) from None
        finally:
            if hasattr(given, "close"):
                given.close()


def _scan_bytes(source, encoding, delimiter, quote, width, first, ragged):
    """:func:`_scan` at numpy's speed, for the rows Arrow skipped (``ragged``: each one's
    fields and text): the file's records, split at the line ends outside quotes, and
    among them those of the skipped rows' texts.

    This counts every quote, where Arrow quotes only a field that starts with one:
    :func:`_agrees` tells whether both split the file alike. None for an encoding whose
    line ends and quotes are not single bytes (UTF-16, UTF-32), or a text not found.
    """
    if encoding not in ("utf8", "cp1252"):
        return None
    with source.open() as f:
        buffer: Any = None
        if isinstance(f, io.BufferedReader):
            with contextlib.suppress(OSError, ValueError):  # empty, or not a mappable file
                buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if buffer is None:
            buffer = f.read()
    codec = "utf-8" if encoding == "utf8" else encoding
    try:
        return _locate(
            np.frombuffer(buffer, dtype=np.uint8), codec, delimiter, quote, width, first, ragged
        )
    finally:
        if isinstance(buffer, mmap.mmap):
            buffer.close()  # the array is gone: _locate keeps no view of it


def _locate(a: np.ndarray, codec: str, delimiter: str, quote: bool, width: int, first: int,
            ragged):  # fmt: skip
    size = len(a)
    newline = np.flatnonzero(a == 10)
    cr = np.flatnonzero(a == 13)
    if len(cr):  # a \r alone ends a line too; \r\n is one line end
        cr = cr[(cr + 1 >= size) | (a[np.minimum(cr + 1, size - 1)] != 10)]
        newline = np.union1d(newline, cr)
    ends = newline
    if quote:
        quotes = np.flatnonzero(a == 34)
        ends = ends[np.searchsorted(quotes, ends) % 2 == 0]
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [size]])
    if len(ends) and ends[-1] == size - 1:  # the file's last line end: no line after it
        starts, stops = starts[:-1], stops[:-1]
    crlf = (stops > starts) & (stops < size)
    crlf[crlf] = a[stops[crlf] - 1] == 13  # the \r of a \r\n is not the record's
    stops = stops - crlf
    empty = stops <= starts  # an empty line is no record, but a spreadsheet's row
    records = np.flatnonzero(~empty)
    begin = int(records[first - 2]) + 1 if first > 1 and len(records) else 0  # after the header
    numbers = np.arange(begin, len(starts)) + 1  # as a spreadsheet numbers its rows
    starts, stops, empty = starts[begin:], stops[begin:], empty[begin:]
    lengths = np.where(empty, -1, stops - starts)
    found: dict[int, int] = {}  # segment → its ragged row
    for r, (_, text) in enumerate(ragged):
        data = text.encode(codec, "replace")
        for k in np.flatnonzero(lengths == len(data)).tolist():
            if k not in found and a[starts[k] : stops[k]].tobytes() == data:
                found[k] = r
                break
        else:
            return None
    bad = sorted(found)
    skipped = np.zeros(len(starts), dtype=bool)
    skipped[bad] = True
    malformed = []  # records over several lines, as wide as the header, but no CSV
    if quote:
        over = np.searchsorted(newline, stops) > np.searchsorted(newline, starts)
        for k in np.flatnonzero(over & ~skipped & ~empty).tolist():
            text = a[starts[k] : stops[k]].tobytes().decode(codec, "replace")
            if not _well_formed(text, delimiter):
                line = int(np.searchsorted(newline, starts[k])) + 1
                malformed.append((int(numbers[k]), line, width, text))
    table = ~empty & ~skipped
    table[[n - numbers[0] for n, *_ in malformed]] = False
    good = numbers[table].tolist()
    lines = (np.searchsorted(newline, starts[bad]) + 1).tolist()
    keep = table[~skipped]  # of the rows Arrow gave (the others): an empty line is a row of ""
    return (
        good,
        [(int(numbers[k]), line, *ragged[found[k]]) for k, line in zip(bad, lines, strict=True)],
        keep,
        malformed,
    )


def _agrees(found: tuple | None, rows: int, ragged: list[tuple[int, str]]) -> bool:
    """Whether a scan found the rows Arrow read and the rows it skipped."""
    if found is None:
        return False
    good, bad, keep, _ = found
    return (
        len(keep) == rows
        and len(good) == int(keep.sum())
        and sorted(tuple(b[2:]) for b in bad) == sorted(ragged)
    )


def _split(f: Iterable[str], delimiter: str, quote: bool, *, strict: bool = False):
    """Each record's fields, the line it starts on (from 1) and its text, split as Arrow
    splits them (an empty line gives ``[]``), from a text's lines (``newline=""``)."""
    lines: list[str] = []

    def feed() -> Iterator[str]:
        for line in f:
            lines.append(line)
            yield line.replace("\x00", "\ufffd")  # Python 3.10's csv refuses NUL

    options = {} if quote else {"quoting": csv.QUOTE_NONE}
    start = 1
    with _fields_of_any_size():  # Arrow reads a cell of any size: so must this
        for fields in csv.reader(feed(), delimiter=delimiter, strict=strict, **options):
            yield fields, start, "".join(lines).rstrip("\r\n")
            start += len(lines)  # each a line, whatever its end (\n, \r\n or \r)
            lines.clear()


@contextlib.contextmanager
def _fields_of_any_size() -> Iterator[None]:
    """Lift the csv module's 128 KiB limit on a field (a process-wide setting, put
    back after)."""
    old = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _records(source, encoding: str, delimiter: str, quote: bool) -> Iterator[tuple[list, int, str]]:
    """Each record of the file: :func:`_split`."""
    codec = "utf-8-sig" if encoding == "utf8" else encoding
    with source.open() as raw:
        yield from _split(
            io.TextIOWrapper(raw, encoding=codec, errors="replace", newline=""), delimiter, quote
        )


def _scan(source, encoding, delimiter, quote, width, first):
    """The record numbers of the rows as wide as the header, (number, line, fields,
    text) of the others, and which of the rows Arrow gives are no empty line."""
    good: list[int] = []
    bad: list[tuple[int, int, int, str]] = []
    keep: list[bool] = []
    malformed: list[tuple[int, int, int, str]] = []
    seen = 0  # records: the header is the first
    for n, (fields, line, text) in enumerate(_records(source, encoding, delimiter, quote), 1):
        if seen < first - 1:  # the header, and the empty lines before it
            seen += bool(fields)
            continue
        if not fields:  # an empty line: no record, but a row as a spreadsheet numbers them
            keep.append(False)
        elif len(fields) == width and (_one_line(text) or _well_formed(text, delimiter)):
            good.append(n)
            keep.append(True)
        elif len(fields) == width:  # an unclosed quote took in the lines after it
            malformed.append((n, line, len(fields), text))
            keep.append(False)
        else:
            bad.append((n, line, len(fields), text))
    return good, bad, np.asarray(keep, dtype=bool), malformed


def _python_table(source, encoding, delimiter, quote, width, first) -> pa.Table:
    """The rows as wide as the header, as Python's csv module reads them."""
    rows = [f for f, _, _ in _records(source, encoding, delimiter, quote) if f][first - 1 :]
    rows = [r for r in rows if len(r) == width]
    columns = [pa.array([r[j] for r in rows], type=pa.string()) for j in range(width)]
    return pa.table(columns, names=[f"f{i}" for i in range(width)])


# --------------------------------------------------------------------------- stray quotes

_LINE_END = re.compile(r"\r\n|\r|\n")


def _unfold(table, good, bad, delimiter, width, what, file):
    """The rejections of the records Arrow skipped (``bad``: number, line, fields, text),
    and the table with the rows an unclosed quote took in read on their own.

    A field that opens with a quote no quote closes runs on to the next quote, often
    the end of the file: Arrow reads it all as one record. Such a record is malformed
    as CSV (its end is in the quoted field, or its quote is followed by more text):
    its first line is rejected alone and the lines after it are read as records.
    """
    rows: list[tuple[int, list[str]]] = []  # (number, fields) of the rows read again
    rejected: list[tuple[int, Rejected]] = []
    shifts: list[tuple[int, int]] = []  # (number, records it was more than one)
    shift = 0
    for n, line, got, text in bad:
        extra, more, no = _unfold_one(n + shift, line, got, text, delimiter, width, what, file)
        rows += more
        rejected += no
        if extra:
            shifts.append((n, extra))
            shift += extra
    numbers = np.asarray(good, dtype=np.int64)
    if shifts:
        at, extra = np.asarray(shifts).T
        numbers = numbers + np.concatenate([[0], np.cumsum(extra)])[np.searchsorted(at, numbers)]
    if rows:
        names = table.column_names
        more = pa.table(
            [pa.array([r[j] for _, r in rows], type=pa.string()) for j in range(width)], names=names
        )
        numbers = np.concatenate([numbers, [n for n, _ in rows]])
        order = np.argsort(numbers, kind="stable")
        table = pa.concat_tables([table, more]).take(pa.array(order))
        numbers = numbers[order]
    return table, numbers, rejected


def _unfold_one(n, line, got, text, delimiter, width, what, file):
    """One skipped record (number ``n``, from ``line``): how many records more than one
    it holds, the rows read in it (number, fields), its rejections (number, Rejected)."""
    text = text.rstrip("\r\n")  # a quote open at the end of the file: its last line end
    ends = _LINE_END.findall(text)
    if ends and not _well_formed(text, delimiter):
        head, rest = _LINE_END.split(text, maxsplit=1)
        reason = (
            f"an unclosed quote on line {line}: it took in the {len(ends)} "
            f"line{'s' * (len(ends) > 1)} after it, read on their own; expected {what} "
            f"and each quote closed: {brief(head)}"
        )
        rejected = [(n, Rejected(file, f"line {line}", None, reason))]
        rows: list[tuple[int, list[str]]] = []
        m = n
        for fields, at, part in _split(io.StringIO(rest, newline=""), delimiter, True):
            m += 1
            if not fields:
                continue  # an empty line: a row of the count, no record
            if len(fields) == width and (_one_line(part) or _well_formed(part, delimiter)):
                rows.append((m, fields))
                continue
            extra, more, no = _unfold_one(m, line + at, len(fields), part, delimiter, width,
                                          what, file)  # fmt: skip
            rows += more
            rejected += no
            m += extra
        return m - n, rows, rejected
    span = f" (a record of lines {line}-{line + len(ends)})" if ends else ""
    reason = f"expected {what}, got {got}{span}: {brief(text)}"
    return 0, [], [(n, Rejected(file, f"line {line}", None, reason))]


def _one_line(text: str) -> bool:
    return "\n" not in text and "\r" not in text


def _well_formed(text: str, delimiter: str) -> bool:
    """Whether a record is one record of well-formed CSV: each quoted field closed, and
    followed by a delimiter or the line's end."""
    try:
        with _fields_of_any_size():
            return len(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                       strict=True))) == 1  # fmt: skip
    except csv.Error:
        return False
