"""Tables :func:`geo.write_events` wrote, read back as events: the CSV and, through
:mod:`geo.io.gpkg`, the GeoPackage (GeoParquet and GeoJSON have their own readers).

Each row goes through :func:`geo.io.rows.row_record` (nested fields from their
JSON text, places given as coordinates as points) and
:func:`geo.schema.parse_event`, as a GeoParquet row does; a bad row is refused
alone (``attrs["rejected"]``), never the file. The CSV's geometry is the WKT of
its ``geometry`` column (empty: the event is placed by its place names), checked
as every geometry a file carries is (:mod:`geo.io.geometry`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyproj
import shapely

from geo.errors import InputError
from geo.io.geometry import checked_or_refused, unreadable
from geo.io.messages import describe
from geo.io.rows import row_record
from geo.model import Event
from geo.resolve import Geocoder
from geo.schema import parse_event, record_label
from geo.table import records_frame

__all__ = ["is_written_table", "written_table_frame", "written_frame"]

#: The columns that tell a table write_events wrote from a flat CSV of the YAML fields
#: (which names one ``source`` and places by name, and has no geometry).
_WRITTEN = frozenset({"id", "kind", "sources", "geometry"})


def is_written_table(columns: Sequence[str]) -> bool:
    """Whether a table's columns are those of a CSV :func:`geo.write_events` wrote."""
    return _WRITTEN <= set(columns)


def written_table_frame(
    table: pa.Table,
    *,
    file: str,
    geocoder: Geocoder | None = None,
    numbers: Sequence[int] | None = None,
) -> gpd.GeoDataFrame:
    """The CSV :func:`geo.write_events` wrote (every cell text, ``""`` when empty) →
    the events frame.

    ``numbers`` gives each row's number as messages name it (default 2, 3, ...: the
    header is row 1).
    """
    if numbers is None:
        numbers = range(2, table.num_rows + 2)
    records = [{k: (None if v == "" else v) for k, v in row.items()} for row in table.to_pylist()]
    wkt = np.array([r.pop("geometry", None) for r in records], dtype=object)
    geoms = shapely.from_wkt(wkt, on_invalid="ignore")
    unread = {
        k: _wkt_error(wkt[k], file, record_label("row", numbers[k], records[k]))
        for k in np.flatnonzero(shapely.is_missing(geoms) & (wkt != None)).tolist()  # noqa: E711
    }
    return written_frame(
        records, geoms, file=file, crs=None, geocoder=geocoder, numbers=numbers,
        refused=unread,
    )  # fmt: skip


def written_frame(
    records: Sequence[dict],
    geoms: np.ndarray,
    *,
    file: str,
    crs: pyproj.CRS | None,
    geocoder: Geocoder | None = None,
    numbers: Sequence[int],
    field: str = "geometry",
    refused: dict[int, InputError] | None = None,
) -> gpd.GeoDataFrame:
    """Rows of the events table (mappings of column → value, without the geometry)
    and their geometries in ``crs`` (None: degrees) → the events frame.

    ``refused`` holds the rows already refused (by index), e.g. for a geometry that
    could not be read.
    """
    refused = dict(refused or {})
    geoms = np.asarray(geoms, dtype=object).copy()
    geoms[list(refused)] = None
    parsed: list[Event | InputError] = [
        refused.get(k) or _event(r, numbers[k], file) for k, r in enumerate(records)
    ]
    given, bad = checked_or_refused(geoms, crs, _fail(file, records, geoms, numbers, field), file)
    for k, exc in bad.items():
        if not isinstance(parsed[k], InputError):
            parsed[k] = exc
    return records_frame(
        parsed, geocoder=geocoder, file=file, geometries=list(given), record="row",
        numbers=list(numbers),
    )  # fmt: skip


def _event(raw: dict, number: int, file: str) -> Event | InputError:
    try:
        label = record_label("row", number, raw)
        return parse_event(row_record(raw, file, label), file=file, index=number, record="row")
    except InputError as exc:
        return exc


def _wkt_error(text: str, file: str, record: str) -> InputError:
    return InputError(
        f"not a readable geometry (WKT): {unreadable(shapely.from_wkt, text)}; "
        f"got {describe(text)}",
        file=file,
        record=record,
        field="geometry",
    )


def _fail(file: str, records, geoms, numbers, field: str) -> Callable:
    def fail(i: int, reason: str, position: int | None = None) -> InputError:
        many = position is not None and shapely.get_num_coordinates(geoms[i]) > 1
        where = f" (position {position + 1} of the {geoms[i].geom_type})" if many else ""
        return InputError(
            reason + where,
            file=file,
            record=record_label("row", numbers[i], records[i]),
            field=field,
        )

    return fail
