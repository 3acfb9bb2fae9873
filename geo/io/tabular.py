"""Tables as they come: what a file is, told from its content, as one Arrow table of text.

:func:`open_table` reads a delimited text file (``.csv``, ``.tsv``, ``.txt``, GDELT's
``YYYYMMDD.export.CSV``), a spreadsheet (``.xlsx``, ``.xls``, ``.ods``) or ACLED's API
JSON, each of them plain, gzip-, bzip2- or xz-compressed, or the one file of a
``.zip``, and says which export it is (:data:`FORMATS`). What it finds is read:

* **encoding**: UTF-8 (a byte order mark dropped); else Windows-1252, with a note
  naming the first line that is not UTF-8; UTF-16 or UTF-32 with a byte order mark
  (or, without one, ASCII text with every other byte NUL), with a note;
* **delimiter**: ``,`` ``;`` tab or ``|``, whichever the header line has most of
  outside quotes;
* an HDX **HXL hashtag row** (``#date+year``, ...) under the header is skipped, and
  counted: rows keep their numbers in the file;
* a pandas or R **index column** (an unnamed first column, ``""`` or ``Unnamed: 0``)
  is dropped;
* **GDELT**'s headerless events files (1.0: 57 fields, 58 with ``SOURCEURL``; 2.0:
  61) get the codebook's column names (:func:`gdelt_columns`);
* a **ragged row** (more or fewer fields than the header, a truncated last line)
  is not fatal: it becomes a :class:`~geo.report.Rejected` naming its line, and
  the other rows are read.

Delimited text is read by Arrow's CSV reader, every cell as text, so a large
export reads in well under a second. A file that cannot be read at all (empty,
not a table, an unknown byte in Windows-1252 too, a zip of several files) is an
:class:`~geo.errors.InputError`; so is a compressed file (or a workbook's parts) that
decompresses to more than 100 times its size and 64 MB: a decompression bomb, refused
as its reading gets there, not once it is all held.
"""

from __future__ import annotations

import bz2
import contextlib
import dataclasses
import gzip
import io
import json
import lzma
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa

from geo.errors import InputError, brief
from geo.io.delimited import HEAD, gdelt_columns, read_delimited
from geo.io.sheets import number_text, sheet_rows
from geo.io.utf8 import decode_utf8
from geo.report import Rejected

__all__ = ["FORMATS", "Tabular", "open_table", "is_acled_json", "gdelt_columns", "detect_format"]

#: What :func:`open_table` recognises: ACLED, UCDP GED, GDELT events, or any other table
#: (the flat CSV of the YAML fields).
FORMATS = ("acled", "ucdp", "gdelt", "table")


@dataclass(frozen=True, eq=False)
class Tabular:
    """A table read from a file, every cell as text (``""`` when empty).

    Attributes
    ----------
    table : pa.Table
        One row per record read, every column ``pa.string()``. Column names are
        lower-cased and stripped for ACLED and UCDP, GDELT's codebook names for
        GDELT, and as the header writes them otherwise. A header naming a column
        twice gives two columns of that name.
    format : str
        One of :data:`FORMATS`.
    numbers : np.ndarray
        Each table row's record number, as messages name it (``row N``): the header
        is row 1, and skipped lines (an HXL row, a rejected row) keep their
        numbers. A spreadsheet's are its row numbers; an API JSON's rows are
        numbered from 1.
    rejected : list of Rejected
        The records that could not be read as rows (a ragged or truncated line,
        named ``line N``; a JSON item that is not an object), in file order.
    rejected_numbers : list of int
        Each rejection's record number, to merge them with a reader's in file order.
    notes : list of str
        What the reader chose for the user to see: ``"x.csv: read as Windows-1252:
        not UTF-8 (line 7)"``, ``"x.csv: row 2: skipped the HXL hashtag row ..."``.
    """

    table: pa.Table
    format: str
    numbers: np.ndarray
    rejected: list[Rejected] = field(default_factory=list)
    rejected_numbers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        """The records in the file: the rows read and the ones rejected."""
        return self.table.num_rows + len(self.rejected)


def open_table(path: str | Path) -> Tabular:
    """Read a table file as its export is written, told from its content.

    Raises
    ------
    InputError
        For a file that is no table at all (named by its line where there is one).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_bytes(b"id;kind\\na;x\\nb;y;z\\n")
    >>> t = open_table(f)
    >>> t.table.to_pydict(), t.numbers.tolist(), [r.record for r in t.rejected]
    ({'id': ['a'], 'kind': ['x']}, [2], ['line 3'])
    """
    path = Path(path)
    file = str(path)
    source = _Source.of(path)
    if source.spreadsheet:
        return _from_columns(file, *sheet_rows(source.open_bytes(), file=file))
    try:
        with source.open() as f:
            head = f.read(HEAD)
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as exc:
        raise InputError(f"not a readable file: {exc}", file=file) from None
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return _from_columns(file, *_json_rows(source, file))
    text = read_delimited(source, head, file)
    return _finish(file, text.header, text.table, text.numbers, text.rejected, text.notes,
                   format="gdelt" if text.gdelt else None)  # fmt: skip


def is_acled_json(path: str | Path) -> bool:
    """Whether a ``.json`` file holds table rows (ACLED's API: ``{"status": 200,
    "success": true, "count": N, "data": [...]}``) rather than GeoJSON; told from its
    first 64 KiB."""
    with Path(path).open("rb") as f:
        head = f.read(1 << 16).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not head.startswith("{"):
        return False
    data = re.search(r'"data"\s*:\s*\[', head)
    geojson = re.search(r'"type"\s*:\s*"(FeatureCollection|Feature)"|"features"\s*:', head)
    return data is not None and (geojson is None or geojson.start() > data.start())


# --------------------------------------------------------------------------- formats

_ACLED_MARKS = {
    "sub_event_type", "admin1", "admin2", "admin3", "interaction", "fatalities", "actor1",
    "inter1", "geo_precision", "time_precision", "disorder_type", "event_id_no_cnty", "location",
}  # fmt: skip


def detect_format(columns: Iterable[str]) -> str:
    """The export a header names (any case): ``"acled"`` (``event_id_cnty`` and
    ``event_date``, or ``event_date``, ``event_type`` and two more of ACLED's columns,
    as the subsets without coordinates analysts' dashboards have), ``"ucdp"`` (``relid``
    and ``type_of_violence``, or ``type_of_violence``, ``best`` and ``date_start``),
    ``"gdelt"`` (``globaleventid`` and ``sqldate``), else ``"table"``.

    >>> detect_format(["EVENT_ID_CNTY", "EVENT_DATE", "LATITUDE"])
    'acled'
    >>> detect_format(["region", "country", "event_date", "event_type", "admin1", "fatalities"])
    'acled'
    >>> detect_format(["id", "date", "kind", "title"])
    'table'
    """
    names = {c.strip().lower() for c in columns}
    if {"globaleventid", "sqldate"} <= names:
        return "gdelt"
    if "event_date" in names and (
        "event_id_cnty" in names or ("event_type" in names and len(names & _ACLED_MARKS) >= 2)
    ):
        return "acled"
    if "type_of_violence" in names and ("relid" in names or {"best", "date_start"} <= names):
        return "ucdp"
    return "table"


_GDELT_NAMES = {n.lower(): n for n in gdelt_columns(61) + gdelt_columns(57)}


def _names(header: list[str], format: str) -> list[str]:
    """The table's column names for a header of ``format``."""
    if format in ("acled", "ucdp"):
        return [h.strip().lower() for h in header]
    if format == "gdelt":
        return [_GDELT_NAMES.get(h.strip().lower(), h) for h in header]
    return header


# HXL: a row of hashtags such as '#date+year', '#adm1+name', '#affected+killed'.
_HXL = re.compile(r"\s*#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z0-9_-]+)*\s*")


def _is_hxl(cells: Iterable[str]) -> bool:
    cells = [c for c in cells if c.strip()]
    return bool(cells) and all(_HXL.fullmatch(c) for c in cells)


def _index_column(header: list[str]) -> bool:
    """Whether the first column is an index pandas or R wrote (no name)."""
    return len(header) > 1 and header[0].strip() in ("", "Unnamed: 0")


def _finish(
    file: str,
    header: list[str],
    table: pa.Table,
    numbers: np.ndarray,
    rejected: list[tuple[int, Rejected]],
    notes: list[str],
    *,
    format: str | None = None,
) -> Tabular:
    """The table of a header and its rows (columns in header order, any names): the HXL
    row skipped, the index column dropped, the format told and the columns named."""
    if table.num_rows and _is_hxl(c[0].as_py() for c in table.columns):
        tags = [c[0].as_py().strip() for c in table.columns if c[0].as_py().strip()]
        notes.append(f"{file}: row {numbers[0]}: skipped the HXL hashtag row "
                     f"({brief(', '.join(tags))})")  # fmt: skip
        table, numbers = table.slice(1), numbers[1:]
    header = list(header)
    if header:
        header[0] = header[0].removeprefix("\ufeff").removeprefix("ï»¿")  # a BOM read as text
    if _index_column(header):
        table, header = table.remove_column(0), header[1:]
    format = format or detect_format(header)
    table = pa.table(table.columns, names=_names(header, format)) if header else table
    rejected.sort(key=lambda r: r[0])
    return Tabular(
        table=table,
        format=format,
        numbers=np.asarray(numbers, dtype=np.int64),
        rejected=[r for _, r in rejected],
        rejected_numbers=[n for n, _ in rejected],
        notes=notes,
    )


def _from_columns(
    file: str,
    header: list[str],
    columns: list[list[str]],
    numbers: list[int],
    rejected: list[tuple[int, Rejected]],
    notes: list[str],
) -> Tabular:
    """A table given as Python lists of text (a spreadsheet, JSON), one per header name."""
    arrays = [pa.array(c, type=pa.string()) for c in columns]
    table = pa.table(arrays, names=[str(j) for j in range(len(header))])
    return _finish(file, header, table, np.asarray(numbers, dtype=np.int64), rejected, notes)


# --------------------------------------------------------------------------- the file

#: How much larger than its file a compressed file (or a workbook, a zip of XML) may
#: decompress, beyond a floor any file may reach: text gives 5 to 20 times, a
#: decompression bomb thousands (a 1 MB gzip of zeros is 1 GB).
_EXPANSION, _FLOOR = 100, 64 * 2**20

_MAGIC = {b"\x1f\x8b": "gzip", b"\xfd7zXZ\x00": "xz"}
_OLE = b"\xd0\xcf\x11\xe0"  # the start of an OLE file (a .xls workbook)
_OPEN = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}


@dataclass(frozen=True)
class _Source:
    """A file's bytes, uncompressed: opened as often as a reading needs."""

    path: Path
    compression: str | None = None  # gzip, bz2, xz
    member: str | None = None  # the one file of a zip
    spreadsheet: bool = False

    @classmethod
    def of(cls, path: Path) -> _Source:
        file = str(path)
        try:
            with path.open("rb") as f:
                magic = f.read(16)
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", file=file) from None
        for mark, kind in _MAGIC.items():
            if magic.startswith(mark):
                return cls(path, compression=kind)._inner()
        if re.match(rb"BZh[1-9]1AY&SY", magic):
            return cls(path, compression="bz2")._inner()
        if magic.startswith(_OLE):  # a .xls workbook
            return cls(path, spreadsheet=True)
        if magic.startswith(b"PK\x03\x04"):
            return cls._zip(path)
        return cls(path)

    def _inner(self) -> _Source:
        """A compressed or zipped file that is a workbook (``x.xlsx.gz``) is read as one."""
        try:
            with self.open() as f:
                magic = f.read(8)
        except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as exc:
            raise InputError(f"not a readable file: {exc}", file=str(self.path)) from None
        workbook = magic.startswith((b"PK\x03\x04", _OLE))
        return dataclasses.replace(self, spreadsheet=True) if workbook else self

    @classmethod
    def _zip(cls, path: Path) -> _Source:
        file = str(path)
        try:
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if not n.endswith("/")]
                if "mimetype" in names:
                    with z.open("mimetype") as m:
                        mimetype = m.read(100)
                else:
                    mimetype = b""
        except (zipfile.BadZipFile, OSError, KeyError) as exc:
            raise InputError(f"not a readable zip archive: {exc}", file=file) from None
        if "xl/workbook.xml" in names or b"opendocument.spreadsheet" in mimetype:
            return cls(path, spreadsheet=True)
        files = [n for n in names if not n.startswith("__MACOSX/")]
        if len(files) != 1:
            raise InputError(
                f"a zip archive of {len(files)} files; expected one table (or a workbook)",
                file=file,
            )
        return cls(path, member=files[0])._inner()

    def open(self, arrow: bool = False) -> IO[bytes]:
        """The uncompressed bytes, from the start; a compressed file's at most
        :data:`_EXPANSION` times its size (beyond :data:`_FLOOR`), else an InputError
        when its reading goes past it. ``arrow``: gzip decompressed by Arrow (faster
        than Python's gzip, by a third), its errors Arrow's."""
        if not (self.compression or self.member):
            return self.path.open("rb")
        size = self.path.stat().st_size
        if self.compression:
            archive, inner = (
                None,
                (
                    pa.input_stream(str(self.path), compression="gzip")
                    if arrow and self.compression == "gzip"
                    else _OPEN[self.compression](self.path, "rb")
                ),
            )
            what = f"{self.compression} file"
        else:
            archive = zipfile.ZipFile(self.path)
            inner, what = archive.open(self.member), f"zip archive's {self.member!r}"
        bounded = _Bounded(inner, archive, str(self.path), what, size)
        return io.BufferedReader(bounded, 1 << 20)

    def open_bytes(self) -> bytes | Path:
        """What a spreadsheet reader takes: the path of a plain file, else its bytes; a
        workbook that is a zip (.xlsx, .ods) once its parts' sizes are worth reading."""
        if self.compression or self.member:
            with self.open() as f:
                data = f.read()
            _refuse_a_bomb_of_parts(io.BytesIO(data), self.path.stat().st_size, str(self.path))
            return data
        _refuse_a_bomb_of_parts(self.path, self.path.stat().st_size, str(self.path))
        return self.path

    def arrow(self) -> Any:
        """What Arrow's CSV reader reads: the path of a plain file, else a stream."""
        if self.compression or self.member:
            return self.open(arrow=True)
        return str(self.path)


def _bomb(file: str, what: str, size: int, budget: int) -> InputError:
    return InputError(
        f"the {what} decompresses to more than {budget:,} bytes, from a file of {size:,} "
        f"bytes; expected at most {_EXPANSION} times the file's size (is it a decompression "
        "bomb?)",
        file=file,
    )


def _refuse_a_bomb_of_parts(workbook: Any, size: int, file: str) -> None:
    """Refuse a workbook (a zip of XML parts) whose parts say they decompress past the
    budget; the spreadsheet reader holds them whole. Not a zip (.xls): nothing to tell."""
    if not zipfile.is_zipfile(workbook):
        return
    with contextlib.suppress(zipfile.BadZipFile, OSError):  # calamine says why
        with zipfile.ZipFile(workbook) as z:
            total = sum(i.file_size for i in z.infolist())
        budget = max(_FLOOR, _EXPANSION * size)
        if total > budget:
            raise _bomb(file, "workbook", size, budget)


class _Bounded(io.RawIOBase):
    """A decompressing stream that refuses to give more than its budget (and closes its
    zip archive when it is closed)."""

    def __init__(self, inner: IO[bytes], archive, file: str, what: str, size: int):
        self.inner, self.archive, self.file, self.what, self.size = (
            inner, archive, file, what, size)  # fmt: skip
        self.budget, self.given = max(_FLOOR, _EXPANSION * size), 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(b), self.budget + 1 - self.given))
        self.given += len(data)
        if self.given > self.budget:
            raise _bomb(self.file, self.what, self.size, self.budget)
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
            if self.archive is not None:
                self.archive.close()
        super().close()


# --------------------------------------------------------------------------- JSON


def _json_rows(source: _Source, file: str):
    """ACLED's API JSON (``{"status": 200, "success": true, "count": N, "data": [...]}``)
    or a JSON list of row objects → header, columns, numbers, rejected, notes."""
    with source.open() as f:
        text = decode_utf8(f.read(), file=file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", file=file, record=f"line {exc.lineno}"
        ) from None
    notes: list[str] = []
    if isinstance(data, dict):
        items = data.get("data")
        if data.get("success") is False or data.get("status") not in (None, 200, "200"):
            problem = data.get("error") or data.get("message") or data.get("messages")
            raise InputError(
                f"an API error response (status {brief(data.get('status'))}: "
                f"{brief(problem)}); expected rows in 'data'",
                file=file,
            )
        if not isinstance(items, list):
            raise InputError(
                "expected a table in JSON: ACLED's API JSON, an object with a 'data' list of "
                f"rows; got an object with keys {brief(list(data)[:8])}",
                file=file,
            )
        count = data.get("count")
        if count is not None and str(count) != str(len(items)):
            notes.append(f"{file}: 'count' says {brief(count)} rows; 'data' has {len(items)}")
    elif isinstance(data, list):
        items = data
    else:
        raise InputError(f"expected a table in JSON, got {brief(data)}", file=file)
    header = list(dict.fromkeys(k for it in items if isinstance(it, dict) for k in it))
    kept, numbers, rejected = [], [], []
    for n, item in enumerate(items, 1):
        if isinstance(item, dict):
            kept.append(item)
            numbers.append(n)
        else:
            reason = f"expected an object of fields, got {brief(item)}"
            rejected.append((n, Rejected(file, f"row {n}", None, reason)))
    columns = [[_json_text(it.get(k)) for it in kept] for k in header]
    return header, columns, numbers, rejected, notes


def _json_text(value: object) -> str:
    """A JSON value as the text a CSV cell would hold (ACLED's API writes every value
    as a string already)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return json.dumps(value, ensure_ascii=False)
