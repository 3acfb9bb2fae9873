"""An export's table worked a column at a time: each column as its distinct values and
each row's code (:class:`Codes`), the distinct combinations of several columns, and
the rows as messages name them, the checks they fail and the texts cut (:class:`Rows`).

:mod:`geo.io.acled` reads a 200,000-row export with these: what a row's value means
is worked out once per distinct value, and a row's problems are kept as masks, so
that the rows refused and the first reason of each are found at the end.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import InputError
from geo.fields import MAX_TEXT, Located
from geo.io.missing import MISSING, blank_missing
from geo.model import Event
from geo.schema import parse_event, record_label

__all__ = [
    "Rows", "Codes", "objects", "combine", "joined", "text_column", "matches", "strip",
    "coded", "texts", "cut", "per_value", "SPACES", "MISSING", "verdict",
]  # fmt: skip


_BASE = {"id": "x", "kind": "x", "title": "x", "sources": ["x"]}


def verdict(**fields: object) -> Event | InputError:
    """What :func:`parse_event` makes of ``fields`` in a record otherwise valid: the
    event, or the error (whose field and reason are the row's; its record is not)."""
    try:
        return parse_event({**_BASE, **fields})
    except InputError as exc:
        return exc


class Rows:
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


class Codes:
    """A column as its distinct values (stripped, missing ones ``""``, and cut) and
    each row's code."""

    def __init__(self, uniques: list, codes: np.ndarray):
        self.uniques, self.codes = uniques, codes

    @classmethod
    def encode(cls, values: pa.Array) -> Codes:
        encoded = pc.dictionary_encode(values)  # one Array: first-seen order
        uniques = [v.strip() for v in encoded.dictionary.to_pylist()]
        uniques = ["" if v in MISSING else v for v in uniques]
        return cls(uniques, encoded.indices.to_numpy(zero_copy_only=False))

    def __len__(self) -> int:
        return len(self.uniques)

    def per_row(self, per_unique: list) -> np.ndarray:
        """A value per distinct value → that value for every row (objects are shared)."""
        return objects(per_unique)[self.codes]

    def mask(self, per_unique: list[bool]) -> np.ndarray:
        return np.array(per_unique, dtype=bool)[self.codes]

    def mapped(self, fn: Callable[[str], object]) -> Codes:
        """The column with ``fn`` of each distinct value."""
        return Codes([fn(u) for u in self.uniques], self.codes)


def objects(values: list) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def combine(*columns: Codes) -> tuple[np.ndarray, list[tuple]]:
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


def joined(*columns: Codes, fn: Callable[..., object]) -> Codes:
    """``fn`` of each distinct combination of the columns' values, as a column."""
    codes, combos = combine(*columns)
    return Codes([fn(*c) for c in combos], codes)


def text_column(per_unique: list, codes: np.ndarray) -> pa.Array:
    """A string column from a value (or None) per distinct value."""
    return pa.array(per_unique, type=pa.string()).take(pa.array(codes))


def matches(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)


# What str.strip() removes, as an RE2 class: a value with one of these at either end
# is stripped in Python, so that every Unicode space is stripped as the schema strips.
SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACES) + "]"
_PADDED = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"


def strip(values: pa.Array) -> pa.Array:
    """``str.strip()`` on every value, and a missing spelling (``NA``, ``null``, ...; see
    :mod:`geo.io.missing`) as ``""``;
    Python only touches the padded ones."""
    padded = pc.match_substring_regex(values, _PADDED)
    if pc.any(padded).as_py():
        stripped = [v.strip() for v in values.filter(padded).to_pylist()]
        values = pc.replace_with_mask(values, padded, pa.array(stripped, pa.string()))
    return blank_missing(values)


def coded(rows: Rows, order: int, name: str, values: pa.Array) -> Codes:
    """A column of few distinct values, its cells checked (check ``order``) and cut once
    per value."""
    column = Codes.encode(values)
    nul = ["\x00" in u for u in column.uniques]
    rows.nul(order, name, column.mask(nul), lambda i: column.uniques[column.codes[i]])
    for k, u in enumerate(column.uniques):
        if len(u) > MAX_TEXT and not nul[k]:
            for i in np.flatnonzero(column.codes == k).tolist():
                cut = rows.cell(i, order, u, name)
            column.uniques[k] = cut
    return column


def texts(rows: Rows, order: int, name: str, values: pa.Array) -> pa.Array:
    """A column of mostly distinct values (stripped), its cells checked (check ``order``)
    and cut in Arrow."""
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


def cut(rows: Rows, order: int, name: str, texts: list, codes: np.ndarray) -> list:
    """Texts made of several cells (one per distinct combination), cut as the schema cuts."""
    for k in [k for k, t in enumerate(texts) if len(t or "") > MAX_TEXT]:
        for i in np.flatnonzero(codes == k).tolist():
            cut = rows.cell(i, order, texts[k], name)
        texts[k] = cut
    return texts


def per_value(rows: Rows, order: int, column: Codes, check: Callable[[str], object]) -> list:
    """``check`` once per distinct value; the rows whose value it refuses are refused."""
    verdicts = [check(u) for u in column.uniques]
    bad = [isinstance(v, InputError) for v in verdicts]
    rows.refuse(order, column.mask(bad), lambda i: rows.relocated(i, verdicts[column.codes[i]]))
    return [None if b else v for v, b in zip(verdicts, bad, strict=True)]
