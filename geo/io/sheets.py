"""Spreadsheets (``.xlsx``, ``.xls``, ``.ods``) as rows of text, read with calamine.

The first sheet with data is read; its first row with a cell is the header. Each
cell becomes the text a CSV export would hold: numbers as their shortest decimal
(``12``, ``50.9216``, never ``12.0`` nor ``1e-05``), dates as ISO dates
(``2024-03-14``; a time of day only when there is one). Rows are numbered as the
spreadsheet numbers them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np

from geo.errors import InputError, brief
from geo.report import Rejected

__all__ = ["sheet_rows", "number_text"]


def sheet_rows(data: bytes | Path, *, file: str):
    """A workbook's first sheet with data → header, rows (each as wide as the header),
    their row numbers, the rejected rows (a cell right of the header's last column)
    as ``(number, Rejected)``, and notes."""
    from python_calamine import CalamineWorkbook  # only when a spreadsheet is read

    try:
        if isinstance(data, Path):
            book = CalamineWorkbook.from_path(str(data))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in book.sheet_names]  # fmt: skip
    except Exception as exc:  # calamine's errors (zip, XML, password) have no common base
        raise InputError(f"not a readable workbook: {brief(str(exc))}", file=file) from None
    notes: list[str] = []
    with_data = [(name, cells) for name, cells in sheets if any(map(any, cells))]
    if not with_data:
        raise InputError("the workbook has no cell with data; expected a header row", file=file)
    name, cells = with_data[0]
    if len(sheets) > 1:
        others = [n for n, _ in sheets if n != name]
        notes.append(
            f"{file}: read the sheet {name!r}; not the others ({brief(', '.join(others))})"
        )
    rows = [[cell_text(v) for v in row] for row in cells]
    top = next(i for i, row in enumerate(rows) if any(row))
    header = rows[top]
    width = max(j for j, v in enumerate(header) if v) + 1
    header = header[:width]
    out, numbers, rejected = [], [], []
    for i in range(top + 1, len(rows)):
        row = rows[i]
        if not any(row):
            continue  # an empty row is no record, as an empty line in a CSV
        used = max(j for j, v in enumerate(row) if v) + 1
        if used > width:
            reason = f"expected {width} fields as in the header, got {used}: {brief(row[:used])}"
            rejected.append((i + 1, Rejected(file, f"row {i + 1}", None, reason)))
            continue
        out.append(row[:width] + [""] * (width - len(row)))
        numbers.append(i + 1)
    return header, out, numbers, rejected, notes


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat() if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M:%S}"
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def number_text(value: float) -> str:
    """A number as its shortest decimal, never in exponent notation.

    >>> [number_text(v) for v in (12.0, 50.9216, 1e-05, 1731024000.0, 7)]
    ['12', '50.9216', '0.00001', '1731024000', '7']
    """
    if isinstance(value, int):
        return str(value)
    if not np.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return np.format_float_positional(value, trim="-")
