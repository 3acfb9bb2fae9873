"""The windows and ranges the filters take, read from their text: a time
window (``"2024-10/2024-12"``, ``"2024-10"``, ``"2024/"``, a pair of dates) and
a fatalities range (``"1-10"``, ``"100-"``), as the page's URL fragment
writes them (``maps/js/fragment.js``), and how a selection says them.

:func:`maps.select` filters with them; ``eventmap render`` checks its
``--time`` and ``--fatalities`` with them before it reads anything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.errors import InputError
from maps.labels import month_label

__all__ = ["Window", "time_window", "fatality_range", "range_text"]

_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NUMBER = re.compile(r"\d{1,15}(\.\d{1,6})?")  # as the fragment's fat= reads it


@dataclass(frozen=True)
class Window:
    """A time window: its first and last day (inclusive; None: open), and how
    finely each end was given (``"year"``, ``"month"``, ``"day"``)."""

    first: dt.date | None
    last: dt.date | None
    first_grain: str = "day"
    last_grain: str = "day"

    def iso(self) -> list[str | None]:
        """``["2024-10-01", "2024-12-31"]``; None for an open end."""
        return [d.isoformat() if d else None for d in (self.first, self.last)]

    def text(self) -> str:
        """``Oct 2024 – Dec 2024``, ``2024``, ``from 3 Oct 2024``."""
        a = _said(self.first, self.first_grain) if self.first else None
        b = _said(self.last, self.last_grain) if self.last else None
        if a is None:
            return f"until {b}"
        if b is None:
            return f"from {a}"
        return a if a == b else f"{a} – {b}"


def _said(day: dt.date, grain: str) -> str:
    if grain == "year":
        return str(day.year)
    if grain == "month":
        return month_label(pd.Timestamp(day), short=True)
    return f"{day.day} {month_label(pd.Timestamp(day), short=True)}"


def _period(text: str, what: str) -> tuple[dt.date, dt.date, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → (first day, last day, grain)."""
    m = _PERIOD.fullmatch(text.strip())
    if not m:
        raise InputError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}", field=what)
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
        first = dt.date(year, int(month), 1)
        if day is None:
            after = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return first, after - dt.timedelta(days=1), "month"
        first = dt.date(year, int(month), int(day))
    except ValueError as exc:  # 2024-13, 2024-02-30, year 0
        raise InputError(f"no such date: {text!r} ({exc})", field=what) from None
    return first, first, "day"


def _end(value, what: str) -> tuple[dt.date | None, dt.date | None, str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None, "day"
    if isinstance(value, str):
        return _period(value, what)
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return None, None, "day"
        return ts.date(), ts.date(), "day"
    raise InputError(f"expected a date or YYYY[-MM[-DD]], got {value!r}", field=what)


def time_window(time) -> Window | None:
    """A window as :func:`select` takes it: ``"FROM/TO"`` (each end ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``, either one left empty for an open end, TO
    included: ``2024-10/2024-12`` is October to December) or a ``(from, to)``
    pair of such texts, dates or None; one period alone (``"2024-10"``) is all of
    it. None: no window.

    >>> time_window("2024-10/2024-12").iso()
    ['2024-10-01', '2024-12-31']
    >>> time_window("2024-10/").text()
    'from Oct 2024'
    """
    if time is None:
        return None
    if isinstance(time, str):
        parts = time.split("/") if "/" in time else [time, time]  # one period: all of it
        if len(parts) != 2:
            raise InputError(f"expected FROM/TO (2024-10/2024-12, 2024/), got {time!r}",
                             field="time")  # fmt: skip
    elif isinstance(time, (tuple, list)) and len(time) == 2:
        parts = list(time)
    else:
        raise InputError(f"expected 'FROM/TO' or a (from, to) pair, got {time!r}", field="time")
    (first, _, g0), (_, last, g1) = _end(parts[0], "time"), _end(parts[1], "time")
    if first is None and last is None:
        raise InputError(f"a window needs at least one end, got {time!r}", field="time")
    if first is not None and last is not None and last < first:
        raise InputError(f"the window ends before it starts: {time!r}", field="time")
    return Window(first, last, g0, g1)


def fatality_range(fatalities) -> tuple[float | None, float | None] | None:
    """``"MIN-MAX"`` (either bound left empty: ``"10-"``), or a ``(min, max)``
    pair of numbers or None, → (min, max), both included. None: no range.

    >>> fatality_range("1-10"), fatality_range("100-")
    ((1.0, 10.0), (100.0, None))
    """
    if fatalities is None:
        return None
    if isinstance(fatalities, str):
        m = re.fullmatch(r"\s*([^-]*?)\s*-\s*([^-]*?)\s*", fatalities)
        bad = not m or not (m[1] or m[2]) or any(b and not _NUMBER.fullmatch(b) for b in m.groups())
        if bad:
            raise InputError(f"expected MIN-MAX (0-10, 100-), got {fatalities!r}",
                             field="fatalities")  # fmt: skip
        lo, hi = (float(b) if b else None for b in m.groups())
    elif isinstance(fatalities, (tuple, list)) and len(fatalities) == 2:
        try:
            lo, hi = (None if b is None else float(b) for b in fatalities)
        except (TypeError, ValueError):
            raise InputError(f"expected two numbers or None, got {fatalities!r}",
                             field="fatalities") from None  # fmt: skip
        if lo is None and hi is None:
            raise InputError("a range needs at least one bound", field="fatalities")
    else:
        raise InputError(f"expected 'MIN-MAX' or a (min, max) pair, got {fatalities!r}",
                         field="fatalities")  # fmt: skip
    if lo is not None and hi is not None and hi < lo:
        raise InputError(f"the range's maximum is below its minimum: {fatalities!r}",
                         field="fatalities")  # fmt: skip
    return lo, hi


def range_text(lo: float | None, hi: float | None) -> str:
    """A range as a selection says it: ``1–10``, ``at least 100``, ``at most 5``, ``2``."""

    def num(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"

    if lo is None:
        return f"at most {num(hi)}"
    if hi is None:
        return f"at least {num(lo)}"
    return num(lo) if lo == hi else f"{num(lo)}–{num(hi)}"
