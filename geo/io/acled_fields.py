"""What ACLED's fields say, value by value: the spellings its exports use for dates,
codes and missing values, the names its older exports gave to event types and
columns, and the texts an event's popup shows (``details``).

Every function here reads one distinct value (or one combination of values) of a
column; :mod:`geo.io.acled` applies them to a whole table at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from geo.errors import brief

__all__ = [
    "MISSING", "RENAMED", "ANALYST_COLUMNS", "legacy_type", "Dates", "code", "role",
    "interaction", "actor_text", "location_text", "GEO_PRECISION", "PLACE_PRECISION",
    "TIME_PRECISION", "precision_error",
]  # fmt: skip

#: The spellings of a missing value: pandas writes ``""`` (or ``nan`` from a float
#: column), R writes ``NA``, databases ``NULL``. In every column they mean "not given".
MISSING = frozenset({"", "NA", "N/A", "nan", "NaN", "NULL"})

#: Columns later exports renamed: the 2015 export's ``ALLY_ACTOR_*`` became ``assoc_actor_*``.
RENAMED = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}

#: ACLED's columns analysts filter on, kept in the frame after the events columns, under
#: their own names (text, or None where missing).
ANALYST_COLUMNS = (
    "sub_event_type", "disorder_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country",
    "admin1", "admin2", "admin3", "location", "geo_precision", "time_precision", "source_scale",
    "tags", "timestamp",
)  # fmt: skip

# --------------------------------------------------------------------------- event types

# Event types of exports before 2019, as ACLED mapped them onto today's (type, sub-type).
# "Riots/Protests" was split into two types: which one a row was is not known, so it
# stays a type of its own.
_LEGACY_TYPES = {
    "remote violence": ("Explosions/Remote violence", ""),
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": (
        "Battles", "Non-state actor overtakes territory"),
    "strategic development": ("Strategic developments", ""),
    "headquarters or base established": (
        "Strategic developments", "Headquarters or base established"),
    "non-violent transfer of territory": (
        "Strategic developments", "Non-violent transfer of territory"),
}  # fmt: skip


def legacy_type(event_type: str) -> tuple[str, str] | None:
    """Today's (event type, sub-event type) for an event type of an older export, or None.

    >>> legacy_type("Remote violence")
    ('Explosions/Remote violence', '')
    """
    return _LEGACY_TYPES.get(" ".join(event_type.split()).lower())


# --------------------------------------------------------------------------- codes

#: ACLED's actor types (``inter1``, ``inter2``): older exports write the code, newer the text.
ROLES = {
    "1": "State forces", "2": "Rebel groups", "3": "Political militias",
    "4": "Identity militias", "5": "Rioters", "6": "Protesters", "7": "Civilians",
    "8": "External/Other forces",
}  # fmt: skip
_CODE = re.compile(r"^(\d+)(?:\.0*)?$")  # pandas writes 2.0 for a column with a blank


def code(value: str) -> str:
    """A code as ACLED means it: ``2.0`` (a float column re-saved by pandas) is ``2``."""
    m = _CODE.match(value)
    return str(int(m.group(1))) if m else value


def role(value: str) -> str:
    """An actor type (``inter1``) as its name: ``1`` is ``State forces``; a text stays."""
    return ROLES.get(code(value), value) if value else ""


def interaction(value: str) -> str:
    """An interaction code as its names: ``17`` is ``State forces-Civilians``, ``60``
    ``Protesters only``; newer exports write the text, kept as it is."""
    c = code(value)
    if len(c) == 2 and c[0] in ROLES and (c[1] in ROLES or c[1] == "0"):
        first = ROLES[c[0]]
        return f"{first} only" if c[1] == "0" else f"{first}-{ROLES[c[1]]}"
    return value


# --------------------------------------------------------------------------- precision

#: ``geo_precision`` → what the point stands for, as the events table says it.
PLACE_PRECISION = {"1": "point", "2": "near", "3": "admin1"}
GEO_PRECISION = {
    "1": "the town (ACLED geo_precision 1)",
    "2": "near the town (ACLED geo_precision 2)",
    "3": "a larger region, at its centre (ACLED geo_precision 3)",
}
#: ``time_precision`` → the date's precision (a day, the week from it, its month).
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}


def precision_error(name: str, value: str) -> str:
    """The reason a precision code is refused."""
    known = {"geo_precision": "1 (the town), 2 (near it) or 3 (a region)",
             "time_precision": "1 (the day), 2 (the week) or 3 (the month)"}[name]  # fmt: skip
    return f"expected {known}, got {brief(value)}"


# --------------------------------------------------------------------------- dates

_MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
}
# 28 December 2022, 01-January-2015, 9-May-20, 9 May 2020
_WORDY = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4}|\d{2})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")


def _year(text: str) -> int:
    """A year of four digits, or of two as strptime's %y reads them (69-99: 1900s)."""
    y = int(text)
    return y if len(text) == 4 else (1900 + y if y >= 69 else 2000 + y)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


class Dates:
    """A file's distinct date spellings, read as ISO dates for the schema to read.

    Slash dates are read in one order for the whole file: day first if a first part
    is above 12, month first if a second part is; when no value tells, day first, as
    ACLED writes them (noted). A file with both is read in the order most of its
    values tell, and the values that contradict it are refused (:attr:`refused`).
    """

    def __init__(self, values: Iterable[str]):
        values = list(values)
        slashes = [m.groups() for v in values if (m := _SLASH.match(v))]
        day_first = sum(int(a) > 12 for a, b, _ in slashes)
        month_first = sum(int(b) > 12 for a, b, _ in slashes)
        self.day_first = day_first >= month_first
        self.note: str | None = None
        if slashes and not day_first and not month_first:
            self.note = (
                f"dates like {brief('/'.join(slashes[0]))} are read day first (day/month/year), "
                "as ACLED writes them: no date in the file has a part above 12 to tell"
            )
        elif day_first and month_first:
            chosen, other = ("day", "month") if self.day_first else ("month", "day")
            self.note = (
                f"dates with slashes are written both day first and month first: read "
                f"{chosen} first, as {max(day_first, month_first)} of them tell; the "
                f"{min(day_first, month_first)} written {other} first are refused"
            )
        self.order = "day/month/year" if self.day_first else "month/day/year"

    def iso(self, value: str) -> str:
        """The date as ``YYYY-MM-DD``, or the value as written (for the schema to read:
        ISO dates and timestamps, or to refuse in its words)."""
        m = _WORDY.match(value)
        if m:
            month = _MONTHS.get(m.group(2).lower())
            if month:
                return _iso(_year(m.group(3)), month, int(m.group(1))) or value
            return value
        m = _SLASH.match(value)
        if m:
            a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
            day, month = (a, b) if self.day_first else (b, a)
            return _iso(y, month, day) or value
        return value

    def refused(self, value: str) -> str | None:
        """Why a slash date is refused (a day or month out of range in the file's order)."""
        m = _SLASH.match(value)
        if m and self.iso(value) == value:
            return f"expected a date written {self.order}, as this file's are, got {brief(value)}"
        return None


# --------------------------------------------------------------------------- details


def actor_text(actor: str, associated: str, inter: str) -> str:
    """``Military Forces of Russia (2022-) (State forces); with: Wagner Group``."""
    if not actor:
        return ""
    kind = role(inter)
    text = f"{actor} ({kind})" if kind and kind != actor else actor
    return f"{text}; with: {associated}" if associated else text


def location_text(*names: str) -> str:
    """The names of a place, most specific first, each once: ``Sumy, Sumskyi, Ukraine``."""
    seen: list[str] = []
    for n in names:
        if n and n not in seen:
            seen.append(n)
    return ", ".join(seen)
