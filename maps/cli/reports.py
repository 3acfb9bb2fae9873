"""What ``eventmap render`` writes besides the map: the records the reader rejected
(``<output>.rejects.csv``), the events it flagged (``<output>.flagged.csv``, the
same columns) and the resolution report (``--report FILE.csv``).

Both are CSV (UTF-8, a header row), written atomically, their rows in the order
the reader listed them. The rejections have the columns of
:data:`geo.report.REPORT_FIELDS`; the resolution report has the fields the
reader gives each distinct place query in ``attrs["places"]`` (query,
resolution, precision, score, runner-up...: :data:`geo.resolve.REPORT_FIELDS`),
a field holding a record spread over one column per item (``runner_up_name``),
and a row (its ``flag`` "unresolved") for each unresolved name they do not list.

These files are for people, who open them in a spreadsheet: a text that starts
as a formula would (``=``, ``+``, ``-``, ``@``, a tab or a carriage return: a
place name ``=HYPERLINK(...)`` in an export) is written with a ``'`` in front,
so that it is shown and never run (OWASP's advice for CSV injection). Numbers
are written as they are.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from geo.io.atomic import write_atomic
from geo.report import REPORT_FIELDS

__all__ = [
    "rejects_path",
    "flagged_path",
    "write_rejects",
    "write_resolution_report",
    "resolution_rows",
]

#: The report's columns when no place was looked up (a file of coordinates only).
_EMPTY = ("query", "name", "precision", "score", "runner_up_name", "flag")


def rejects_path(output: Path) -> Path:
    """``map.html`` → ``map.rejects.csv``, beside it."""
    return output.with_name(f"{output.stem or output.name}.rejects.csv")


def flagged_path(output: Path) -> Path:
    """``map.html`` → ``map.flagged.csv``, beside it: the events placed with a doubt."""
    return output.with_name(f"{output.stem or output.name}.flagged.csv")


def write_rejects(path: Path, rejected: Iterable) -> Path:
    """The rejected records, one a row: file, record, field, reason."""
    rows = [r.as_dict() if hasattr(r, "as_dict") else dict(r) for r in rejected]
    return write_atomic(path, _csv(list(REPORT_FIELDS), rows))


def write_resolution_report(path: Path, places: Sequence, unresolved: Sequence = ()) -> Path:
    """Every distinct place query with its resolution, one a row."""
    columns, rows = resolution_rows(places, unresolved)
    return write_atomic(path, _csv(columns, rows))


def resolution_rows(places: Sequence, unresolved: Sequence = ()) -> tuple[list[str], list[dict]]:
    """The report's columns (in the order the places give their fields) and rows."""
    rows = [_flat(_mapping(p)) for p in places]
    listed = {r.get("query") for r in rows} | {r.get("name") for r in rows}
    missing: dict[str, dict] = {}
    for u in unresolved:
        name = getattr(u, "name", None) if not isinstance(u, str) else u
        if name is not None and name not in listed and name not in missing:
            missing[name] = {"query": name, "flag": "unresolved"}
    rows += missing.values()
    columns = list(dict.fromkeys(k for r in rows for k in r)) or list(_EMPTY)
    return columns, rows


def _mapping(place: object) -> Mapping:
    if isinstance(place, Mapping):
        return place
    if hasattr(place, "as_dict"):
        return place.as_dict()
    if dataclasses.is_dataclass(place) and not isinstance(place, type):
        return dataclasses.asdict(place)
    return {"query": str(place)}


def _flat(row: Mapping) -> dict:
    """A record's fields one level deep: ``{"runner_up": {"name": ...}}`` → ``runner_up_name``."""
    out: dict = {}
    for key, value in row.items():
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        if isinstance(value, Mapping):
            for sub, v in value.items():
                out[f"{key}_{sub}"] = v
        else:
            out[str(key)] = value
    return out


def _csv(columns: list[str], rows: list[Mapping]) -> bytes:
    buf = io.StringIO(newline="")
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(columns)
    out.writerows([_cell(r.get(c)) for c in columns] for r in rows)
    return buf.getvalue().encode("utf-8", "replace")  # a file name argv could not decode


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a longitude of -1.5 is a number, not a formula
    if isinstance(value, list | tuple | Mapping):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


#: How a spreadsheet cell that runs as a formula starts.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
