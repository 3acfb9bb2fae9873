"""The one set of spellings that mean "not given", for every table reader (ACLED,
UCDP GED, GDELT and the flat CSV).

A cell, once stripped, is missing when it is empty or one of :data:`WORDS` in any
case: R writes ``NA``, pandas ``nan`` (a float column) or ``None`` (an object
column written with ``str``), spreadsheets ``N/A`` or ``#N/A``, databases ``NULL``,
pandas' nullable types ``<NA>``. These are pandas' own default missing spellings
(``pandas.read_csv``'s ``na_values``) without the numeric ones (``-1.#IND``), and
read whatever their case (``Na``, ``n/a``, ``Null``), as exports by hand write them.

:data:`MISSING` holds every case variant, so that a column is checked with one hash
look-up per cell (:func:`missing_mask`), however long the column.
"""

from __future__ import annotations

import itertools

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["WORDS", "MISSING", "is_missing", "missing_mask", "blank_missing"]

#: The words that mean "not given", whatever their case.
WORDS = ("NA", "N/A", "NAN", "NULL", "NONE", "<NA>", "#N/A")


def _cases(word: str) -> set[str]:
    return {"".join(c) for c in itertools.product(*({ch.lower(), ch.upper()} for ch in word))}


#: Every spelling of a missing value (a stripped cell): ``""`` and each case of WORDS.
MISSING: frozenset[str] = frozenset({"", *itertools.chain.from_iterable(map(_cases, WORDS))})
_SET = pa.array(sorted(MISSING), type=pa.string())


def is_missing(text: str | None) -> bool:
    """Whether a cell (stripped or not, or None) is not given."""
    return text is None or text.strip() in MISSING


def missing_mask(values: pa.Array) -> pa.Array:
    """Which cells of a stripped string column are missing (a boolean column)."""
    return pc.is_in(values, value_set=_SET)


def blank_missing(values: pa.Array) -> pa.Array:
    """A stripped string column with each missing spelling as ``""``."""
    return pc.if_else(missing_mask(values), "", values)
