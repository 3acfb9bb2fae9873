"""The text the map shows for dates and figures: ``June 2025``, ``about 13,000 soldiers``.

Pure functions of the records (no pandas frame, no page): the popup contract
(:mod:`maps.contract`), the page's title and time control (:mod:`maps.page`)
and the legend share them.
"""

from __future__ import annotations

import pandas as pd

from geo.model import Quantity

__all__ = ["month_label", "date_label", "quantity_label"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def month_label(ts: pd.Timestamp, *, short: bool = False) -> str:
    """``June 2025``, or ``Jun 2025`` with ``short``.

    >>> month_label(pd.Timestamp("2025-06-19")), month_label(pd.Timestamp("2025-06-19"), short=True)
    ('June 2025', 'Jun 2025')
    """
    name = _MONTHS[ts.month - 1]
    return f"{name[:3] if short else name} {ts.year}"


def date_label(date: str | None, precision: str | None) -> str | None:
    """``2025-06`` → ``June 2025``; ``2024-06-19`` → ``19 June 2024``.

    >>> date_label("2025-06", "month"), date_label("2024-06-19", "day"), date_label(None, None)
    ('June 2025', '19 June 2024', None)
    """
    if not date:
        return None
    parts = date.split("-")
    if precision == "year" or len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    if precision == "month" or len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def quantity_label(q: Quantity) -> str:
    """A figure as a reader says it.

    Shares read as percentages (0.33 → 33%); a low/high range follows in brackets.

    >>> quantity_label(Quantity(13000, "soldiers", qualifier="about"))
    'about 13,000 soldiers'
    >>> quantity_label(Quantity(0.3, "of the troops", low=0.25, high=0.4))
    '30% of the troops (range 25%–40%)'
    """
    share = 0 < float(q.value) < 1  # a share reads as a percentage, its range too

    def number(v) -> str:
        if v is None:
            return "?"
        v = float(v)
        if share:
            return f"{v:.0%}"
        return f"{v:,.0f}" if v.is_integer() else f"{v:,}"

    qualifier = None if q.qualifier == "exactly" else q.qualifier
    out = " ".join(w for w in (q.note, qualifier, number(q.value), q.unit) if w)
    if q.low is not None or q.high is not None:
        out += f" (range {number(q.low)}–{number(q.high)})"
    return out
