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
import math
from pathlib import Path

import numpy as np

from geo.errors import InputError, brief
from geo.report import Rejected

__all__ = ["sheet_rows", "number_text"]


def sheet_rows(data: bytes | Path, *, file: str):
    """A workbook's first sheet with data → its header, its columns (lists of text, as
    wide as the header), the row numbers of their rows, the rejected rows (with a cell
    right of the header's last column) as ``(number, Rejected)``, and notes."""
    from python_calamine import CalamineWorkbook  # only when a spreadsheet is read

    try:
        if isinstance(data, Path):
            book = CalamineWorkbook.from_path(str(data))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        cells: list[list] = []
        for name in names:  # the first sheet with a cell
            sheet = book.get_sheet_by_name(name)
            if sheet.height and sheet.width:
                cells = sheet.to_python(skip_empty_area=False)
                if any(row.count("") < len(row) for row in cells):
                    break
    except Exception as exc:  # calamine's errors (zip, XML, password) have no common base
        raise InputError(f"not a readable workbook: {brief(str(exc))}", file=file) from None
    top = next((i for i, row in enumerate(cells) if row.count("") < len(row)), None)
    if top is None:
        raise InputError("the workbook has no cell with data; expected a header row", file=file)
    notes: list[str] = []
    if len(names) > 1:
        others = ", ".join(n for n in names if n != name)
        notes.append(f"{file}: read the sheet {name!r}; not the others ({brief(others)})")
    header = [cell_text(v) for v in cells[top]]
    width = max(j for j, v in enumerate(header) if v) + 1
    kept, numbers, rejected = [], [], []
    for i in range(top + 1, len(cells)):
        row = cells[i]
        blank = row.count("")
        if blank == len(row):
            continue  # an empty row is no record, as an empty line in a CSV
        if blank - row[:width].count("") < len(row) - width:  # a cell beyond the header
            texts = [cell_text(v) for v in row]
            used = max(j for j, v in enumerate(texts) if v) + 1
            reason = f"expected {width} fields as in the header, got {used}: {brief(texts[:used])}"
            rejected.append((i + 1, Rejected(file, f"row {i + 1}", None, reason)))
            continue
        kept.append(row)
        numbers.append(i + 1)
    columns = [_texts([r[j] if j < len(r) else "" for r in kept]) for j in range(width)]
    return header[:width], columns, numbers, rejected, notes


def _texts(values: list) -> list[str]:
    """A column's cells as text; most are text or numbers already."""
    return [
        v if type(v) is str else _float_text(v) if type(v) is float else cell_text(v)
        for v in values
    ]


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None:
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

    >>> [number_text(v) for v in (12.0, 50.9216, 1e-05, 1731024000.0, 7, -0.0)]
    ['12', '50.9216', '0.00001', '1731024000', '7', '0']
    """
    if isinstance(value, int):
        return str(value)
    return _float_text(value)


def _float_text(value: float) -> str:
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = repr(value)
    if "e" in text and math.isfinite(value):
        return np.format_float_positional(value, trim="-")
    return text
