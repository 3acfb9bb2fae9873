"""What ACLED's fields say, value by value: the spellings its exports use for dates,
codes and missing values, the names its older exports gave to event types and
columns, and the texts an event's popup shows (``details``).

The functions of the first part read one distinct value (or one combination of
values) of a column; those of the second apply them to a whole table's columns
(:class:`~geo.io.acled_columns.Codes`) for :func:`geo.io.acled.acled_frame`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import InputError, brief
from geo.io.acled_columns import (
    MISSING,
    Codes,
    Rows,
    joined,
    per_value,
    strip,
    text_column,
    verdict,
)
from geo.model import Event, PartialDate, PlaceRef

__all__ = [
    "MISSING", "RENAMED", "ANALYST_COLUMNS", "legacy_type", "Dates", "code", "role",
    "interaction", "actor_text", "location_text", "GEO_PRECISION", "PLACE_PRECISION",
    "TIME_PRECISION", "precision_error", "row_ids", "code_check", "dates", "named_ref",
    "details", "analyst",
]  # fmt: skip


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
# December 28, 2022 (a spreadsheet's long US date); 2022/12/28; 28.12.2022 (always day first)
_US_LONG = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _year(text: str, today: dt.date | None = None) -> int:
    """A year of four digits, or of two (``9-May-20``) read as the latest year ending
    in them that is not after today's: in 2026, ``00`` to ``26`` are 2000-2026 and
    ``27`` to ``99`` 1927-1999 (``68`` is 1968, never 2068 as strptime's %y reads it).
    An event an export lists has happened, so its year is never in the future."""
    y = int(text)
    if len(text) == 4:
        return y
    this = (today or dt.date.today()).year
    year = this - this % 100 + y
    return year if year <= this else year - 100


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
        m = _US_LONG.match(value)
        if m and _MONTHS.get(m.group(1).lower()):
            return _iso(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))) or value
        m = _YMD_SLASH.match(value)
        if m:
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) or value
        m = _DOTTED.match(value)
        if m:
            return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))) or value
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
    """``Military Forces of Russia (2022-) (State forces); with: Wagner Group``; a role
    the name says already is not repeated (``Protesters (Mali)``).

    >>> actor_text("Protesters (Mali)", "Students (Mali)", "6")
    'Protesters (Mali); with: Students (Mali)'
    """
    if not actor:
        return ""
    kind = role(inter)
    # "Protesters (Mali)" says its role already; "Military Forces of Mali" does not.
    said = kind.lower().rstrip("s") and actor.lower().startswith(kind.lower().rstrip("s"))
    text = f"{actor} ({kind})" if kind and not said else actor
    return f"{text}; with: {associated}" if associated else text


def location_text(*names: str) -> str:
    """The names of a place, most specific first, each once: ``Sumy, Sumskyi, Ukraine``."""
    seen: list[str] = []
    for n in names:
        if n and n not in seen:
            seen.append(n)
    return ", ".join(seen)


# --------------------------------------------------------------------------- columns


def row_ids(columns: dict[str, pa.Array], n: int) -> pa.Array:
    """Ids for an export without ``event_id_cnty``: ``acled-`` and a hash of the row's
    cells (by column name, so a re-ordered copy gives the same ids; the index column
    a re-save adds left out), the second of identical rows ``-2``, and so on."""
    names = sorted(c for c in columns if c and not c.startswith("unnamed"))
    cells = [strip(columns[c]) for c in names] or [pa.array([""] * n, pa.string())]
    rows = pc.binary_join_element_wise(*cells, "\x1f").to_pylist()
    ids = pd.Series(["acled-" + hashlib.blake2b(t.encode(), digest_size=6).hexdigest()
                     for t in rows])  # fmt: skip
    nth = ids.groupby(ids).cumcount().to_numpy()
    suffix = np.where(nth > 0, "-" + (nth + 1).astype(str), "")
    return pa.array((ids + suffix).tolist(), pa.string())


# --------------------------------------------------------------------------- fields


def code_check(name: str, known: dict) -> Callable[[str], object]:
    """A precision code as its code (``2.0`` is ``2``), or the error refusing it."""

    def check(u: str) -> str | InputError:
        c = code(u)
        return c if not c or c in known else InputError(precision_error(name, u), field=name)

    return check


def dates(rows: Rows, order: tuple[int, int], dates: Codes, time: Codes, notes: list[str]) -> dict:
    """The date columns: each distinct date read by the schema once (its refusals check
    ``order[0]``, time_precision's ``order[1]``), then each distinct (date,
    time_precision) made the day, the week from it, or its month."""
    spelled = Dates(dates.uniques)
    if spelled.note:
        notes.append(f"{rows.file}: event_date: {spelled.note}")

    def check(u: str) -> Event | InputError:
        refused = spelled.refused(u)
        if refused:
            return InputError(refused, field="date")
        return verdict(date=spelled.iso(u) or None)

    read = [ev.date if ev else None for ev in per_value(rows, order[0], dates, check)]
    time = time.mapped(code_check("time_precision", TIME_PRECISION))
    bad = [isinstance(c, InputError) for c in time.uniques]
    rows.refuse(order[1], time.mask(bad), lambda i: rows.relocated(i, time.uniques[time.codes[i]]))

    def precise(d: PartialDate | None, c: object) -> PartialDate | None:
        if d is None or d.precision != "day" or c not in ("2", "3"):
            return d
        return (
            PartialDate.week(d.start)
            if c == "2"
            else PartialDate.month(d.start.year, d.start.month)
        )

    both = joined(Codes(read, dates.codes), time, fn=precise)
    found, codes = both.uniques, both.codes
    return {
        "date": text_column([str(d) if d else None for d in found], codes),
        "date_precision": text_column([d.precision if d else None for d in found], codes),
        "date_start": _days([d.start if d else None for d in found])[codes],
        "date_end": _days([d.end if d else None for d in found])[codes],
    }


def _days(days: list[dt.date | None]) -> np.ndarray:
    return np.array([np.datetime64(d or "NaT", "ns") for d in days], dtype="datetime64[ns]")


def named_ref(location: str, admin3: str, admin2: str, admin1: str, country: str) -> PlaceRef:
    """A row's place without coordinates: its most specific name within the others, in
    its country (a constraint, not a hint).

    A row without a ``location`` (a dashboard row of a region) is placed at the most
    specific admin unit it names, as an area: the query names nothing below its units
    (an empty name), so that ``admin1=Sagaing`` is Sagaing Region, never the town."""
    levels = [x for x in dict.fromkeys((location, admin3, admin2, admin1)) if x]
    if not levels:
        return PlaceRef(name=country, country=country or None)
    if not location:
        return PlaceRef(name="", within=tuple(levels), country=country or None)
    return PlaceRef(name=levels[0], within=tuple(levels[1:]), country=country or None)


# --------------------------------------------------------------------------- details


def details(cells: dict[str, Codes]) -> Codes:
    """What a popup shows of each row, as (label, text) pairs, per distinct combination."""

    def one(label: str, column: Codes, fn: Callable[[str], str] = str) -> Codes:
        return column.mapped(lambda u: ((label, t),) if u and (t := fn(u)) else ())

    def several(label: str, fn: Callable[..., str], *names: str) -> Codes:
        return joined(*(cells[n] for n in names),
                       fn=lambda *v: ((label, t),) if (t := fn(*v)) else ())  # fmt: skip

    def event_type(written: str, sub: str) -> tuple:
        today, default_sub = legacy_type(written) or (written, "")
        sub = sub or default_sub
        text = f"{today}: {sub}" if sub and sub != today else today
        if today != written:
            text += f" (written {written!r}, ACLED's name before 2019)"
        return (("Event type", text),) if text else ()

    def flat(*parts: tuple) -> tuple:
        return tuple(x for part in parts for x in part)

    # What and who, then where: each has few combinations, all of them together many.
    what = joined(
        joined(cells["event_type"], cells["sub_event_type"], fn=event_type),
        one("Disorder type", cells["disorder_type"]),
        several("Actor 1", actor_text, "actor1", "assoc_actor_1", "inter1"),
        several("Actor 2", actor_text, "actor2", "assoc_actor_2", "inter2"),
        one("Interaction", cells["interaction"], interaction),
        one("Civilian targeting", cells["civilian_targeting"]),
        fn=flat,
    )
    where = joined(
        several("Location", location_text, "location", "admin3", "admin2", "admin1", "country"),
        one("Geo precision", cells["geo_precision"], lambda u: GEO_PRECISION.get(code(u))),
        one("Source scale", cells["source_scale"]),
        one("Tags", cells["tags"]),
        fn=flat,
    )
    return joined(what, where, fn=tuple.__add__)


def analyst(cells: dict[str, Codes | pa.Array]) -> dict[str, pa.Array]:
    """The analyst columns: text (codes as their names), None where missing."""
    shown = {"inter1": role, "inter2": role, "interaction": interaction,
             "geo_precision": code, "time_precision": code, "iso": code}  # fmt: skip
    out = {}
    for name in ANALYST_COLUMNS:
        c = cells[name]
        if isinstance(c, pa.Array):
            out[name] = pc.if_else(pc.equal(c, ""), pa.scalar(None, pa.string()), c)
        else:
            fn = shown.get(name, str)
            out[name] = text_column([fn(u) or None if u else None for u in c.uniques], c.codes)
    return out
