"""Event files in and out: YAML; tables and real exports (CSV, TSV, spreadsheets,
compressed: ACLED, UCDP GED, GDELT, through ``tabular``); GeoJSON, GeoParquet,
GeoPackage.

Every reader ends in the same table (:data:`geo.table.COLUMNS`); ``reader``
picks the format from the file, ``writers`` writes it by extension. ``yaml`` is
the one bounded YAML loader and ``utf8`` the one text check every file a user
gives goes through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import attach

_NAMES = {"read_events": "reader", "write_events": "writers"}
__all__ = ["read_events", "write_events"]
__getattr__, __dir__ = attach(__name__, _NAMES)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from geo.io.reader import read_events
    from geo.io.writers import write_events
