"""The text the map shows for dates, places and figures: ``week of 12 March 2024``,
``about 13,000 soldiers``, ``1 fatality``.

Pure functions of the records (no pandas frame, no page): the popup contract
(:mod:`maps.contract`), the page's title and time control (:mod:`maps.page`)
and the legend share them.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.model import Quantity

__all__ = [
    "month_label", "date_label", "quantity_label", "precision_label", "singular", "count_label",
]  # fmt: skip

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def month_label(ts: pd.Timestamp, *, short: bool = False) -> str:
    """``June 2025``, or ``Jun 2025`` with ``short``.

    >>> month_label(pd.Timestamp("2025-06-19")), month_label(pd.Timestamp("2025-06-19"), short=True)
    ('June 2025', 'Jun 2025')
    """
    name = _MONTHS[ts.month - 1]
    return f"{name[:3] if short else name} {ts.year}"


def _parts(date: str) -> tuple[str, int | None, int | None]:
    parts = date.split("-")
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    return parts[0], month, day


def _one(date: str, precision: str | None, *, short: bool = False) -> str:
    year, month, day = _parts(date)
    if precision == "year" or month is None:
        return year
    name = _MONTHS[month - 1][:3] if short else _MONTHS[month - 1]
    if precision == "month" or day is None:
        return f"{name} {year}"
    if precision == "week":
        return f"week of {day} {name} {year}"
    return f"{day} {name} {year}"


def date_label(date: str | None, precision: str | None, end_date: str | None = None) -> str | None:
    """An event's date as a reader says it, with its precision.

    ``date`` is the first day, month or year (``2024-03-12``, ``2024-03``,
    ``2024``); a week (ACLED's ``time_precision`` 2) is written as its first
    day. ``end_date``, when given and different, closes a range, whose shared
    month and year are said once; an end inside the week, month or year the
    date already names (ACLED's week ends 6 days after its first) says nothing more.

    >>> date_label("2025-06", "month"), date_label("2024-06-19", "day"), date_label(None, None)
    ('June 2025', '19 June 2024', None)
    >>> date_label("2024-03-12", "week"), date_label("2024", "year")
    ('week of 12 March 2024', '2024')
    >>> date_label("2022-02-24", "day", "2022-03-03"), date_label("2022-02-24", "day", "2022-02-28")
    ('24 Feb – 3 Mar 2022', '24–28 Feb 2022')
    >>> date_label("2024-10", "month", "2024-12"), date_label("2021-12-28", "day", "2022-01-03")
    ('Oct – Dec 2024', '28 Dec 2021 – 3 Jan 2022')
    >>> date_label("2024-03-12", "week", "2024-03-18"), date_label("2024-03", "month", "2024-03-31")
    ('week of 12 March 2024', 'March 2024')
    """
    if not date:
        return None
    if not end_date or end_date == date or _within(date, precision, end_date):
        return _one(date, precision)
    (y0, m0, d0), (y1, m1, d1) = _parts(date), _parts(end_date)
    if precision in ("day", None) and d0 is not None and d1 is not None:
        if (y0, m0) == (y1, m1):
            return f"{d0}–{d1} {_MONTHS[m0 - 1][:3]} {y0}"
        if y0 == y1:
            return f"{d0} {_MONTHS[m0 - 1][:3]} – {d1} {_MONTHS[m1 - 1][:3]} {y0}"
        return f"{_one(date, 'day', short=True)} – {_one(end_date, 'day', short=True)}"
    if precision == "month" and d0 is None and d1 is None and m0 and m1:
        if y0 == y1:
            return f"{_MONTHS[m0 - 1][:3]} – {_MONTHS[m1 - 1][:3]} {y0}"
        return f"{_one(date, 'month', short=True)} – {_one(end_date, 'month', short=True)}"
    if precision == "year" and m0 is None and m1 is None:
        return f"{y0}–{y1}"
    end_precision = "day" if d1 is not None else "month" if m1 is not None else "year"
    return f"{_one(date, precision)} – {_one(end_date, end_precision)}"


def _within(date: str, precision: str | None, end_date: str) -> bool:
    """Whether ``end_date`` lies inside the week, month or year ``date`` names."""
    if precision not in ("week", "month", "year"):
        return False
    try:
        start = pd.Timestamp(date)
        end = pd.Timestamp(end_date)
    except (ValueError, TypeError):
        return False
    period = {"week": pd.Timedelta(days=6), "month": pd.offsets.MonthEnd(0),
              "year": pd.offsets.YearEnd(0)}[precision]  # fmt: skip
    return start <= end <= start + period


#: How an event's place was found (the frame's ``place_precision``), as its popup
#: says it; a point (a town, or coordinates given) says nothing.
PRECISION_LABELS = {
    "near": "placed near the town named (within about 25 km)",
    "admin2": "placed at: admin2 centre (the district; the exact place is not known)",
    "admin1": "placed at: admin1 centre (the region; the exact place is not known)",
    "country": "placed at: country centre (the exact place is not known)",
    "area": "placed at: the centre of the area given",
}


def precision_label(precision: str | None) -> str | None:
    """What a popup says of how precisely its event is placed (None: at the place).

    >>> precision_label("admin1"), precision_label("point"), precision_label(None)
    ('placed at: admin1 centre (the region; the exact place is not known)', None, None)
    """
    return PRECISION_LABELS.get(precision) if precision else None


# --------------------------------------------------------------------------- number


#: Plural nouns whose singular no rule below finds.
_SINGULAR = {
    "people": "person", "persons": "person", "children": "child", "men": "man",
    "women": "woman", "lives": "life", "wives": "wife", "knives": "knife", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "leaves": "leaf", "halves": "half",
    "thieves": "thief", "shelves": "shelf", "wolves": "wolf", "selves": "self",
    "heroes": "hero", "caches": "cache", "niches": "niche", "data": "datum",
    "criteria": "criterion", "phenomena": "phenomenon",
    "indices": "index", "matrices": "matrix", "vertices": "vertex", "crises": "crisis",
    "analyses": "analysis", "bases": "base", "cases": "case", "houses": "house",
    "horses": "horse", "courses": "course", "responses": "response", "uses": "use",
    "causes": "cause", "buses": "bus", "gases": "gas", "statuses": "status",
    "movies": "movie", "series": "series", "species": "species", "means": "means",
    "news": "news", "headquarters": "headquarters", "barracks": "barracks",
    "arms": "arms", "ammunition": "ammunition", "equipment": "equipment",
    "aircraft": "aircraft", "spacecraft": "spacecraft", "personnel": "personnel",
    "police": "police", "sheep": "sheep", "deer": "deer", "fish": "fish",
    "livestock": "livestock", "cattle": "cattle", "staff": "staff", "crew": "crew",
}  # fmt: skip
#: Words that end in ``s`` without being plural.
_NOT_PLURAL = re.compile(r"(ss|us|is|gas)$", re.I)
#: Plural endings and their singular, most specific first.
_ENDINGS = (
    (re.compile(r"([^aeiou])ies$", re.I), r"\1y"),  # fatalities, casualties, militaries
    (re.compile(r"(ss|sh|ch|x|z)es$", re.I), r"\1"),  # losses, launches, boxes
    (re.compile(r"([^s])s$", re.I), r"\1"),  # soldiers, troops, shells, missiles
)


def _singular_word(word: str) -> str | None:
    """A plural noun's singular, or None when ``word`` is not a plural noun."""
    lower = word.lower()
    if lower in _SINGULAR:
        out = _SINGULAR[lower]
        return out[:1].upper() + out[1:] if word[:1].isupper() else out
    if len(word) < 3 or not word.isalpha() or _NOT_PLURAL.search(word):
        return None
    for pattern, repl in _ENDINGS:
        if pattern.search(word):
            return pattern.sub(repl, word)
    return None


def singular(unit: str) -> str:
    """A unit (a plural noun, or a phrase around one) as said of one thing.

    The head noun is the last plural noun of the phrase's first part (up to
    a preposition, ``and``, ``or`` or a comma): ``special forces troops`` →
    ``special forces troop``, ``soldiers killed`` → ``soldier killed``,
    ``tonnes of ammunition`` → ``tonne of ammunition``. A phrase with no
    plural noun is left as it is.

    >>> [singular(u) for u in ("fatalities", "soldiers", "people", "civilians killed")]
    ['fatality', 'soldier', 'person', 'civilian killed']
    >>> [singular(u) for u in ("artillery shells", "tonnes of ammunition", "aircraft", "losses")]
    ['artillery shell', 'tonne of ammunition', 'aircraft', 'loss']
    """
    words = unit.split(" ")
    head = None
    for i, word in enumerate(words):
        if word.lower() in _BOUNDARIES:
            break  # ``of the troops``: the noun is before the preposition
        if _singular_word(word.rstrip(",;")) is not None:
            head = i
        if word.endswith((",", ";")):
            break
    if head is None:
        return unit
    word = words[head]
    bare = word.rstrip(",;")
    words[head] = _singular_word(bare) + word[len(bare) :]
    return " ".join(words)


_BOUNDARIES = frozenset("of in at from to for on by and or with".split())


def _is_one(value: float) -> bool:
    return float(value) == 1.0


def count_label(count: int, noun: str) -> str:
    """``1 event``, ``2 events``, ``1,204 records``: ``noun`` is the plural.

    >>> count_label(1, "events"), count_label(2, "fatalities"), count_label(1200, "records")
    ('1 event', '2 fatalities', '1,200 records')
    """
    return f"{count:,} {singular(noun) if count == 1 else noun}"


def quantity_label(q: Quantity) -> str:
    """A figure as a reader says it, in the singular for one.

    Shares read as percentages (0.33 → 33%); a low/high range follows in brackets.

    >>> quantity_label(Quantity(13000, "soldiers", qualifier="about"))
    'about 13,000 soldiers'
    >>> quantity_label(Quantity(1, "fatalities")), quantity_label(Quantity(1, "men", low=1, high=3))
    ('1 fatality', '1 man (range 1–3)')
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
    unit = singular(q.unit) if q.unit and _is_one(q.value) else q.unit
    out = " ".join(w for w in (q.note, qualifier, number(q.value), unit) if w)
    same = q.low is not None and q.low == q.high == q.value  # UCDP's low = best = high
    if (q.low is not None or q.high is not None) and not same:
        out += f" (range {number(q.low)}–{number(q.high)})"
    return out
