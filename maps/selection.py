"""The events a map shows with some filters: :func:`select`, in Python.

The page's filter panel and its URL fragment (``#time=2024-10/2024-12&kind=battles``,
README "Views you can cite") narrow what a map shows; :func:`select` does the
same to an events frame, with the same meaning (``maps/js/query.js`` and
``maps/js/fragment.js``), so that a static figure, a notebook or a script can
show exactly the view a reader cites:

* an event is in a time window when it overlaps it (it starts on or before the
  window's last day and ends on or after its first); undated events are left
  out once a window is given;
* each list filter keeps the events with any of its values (an event's actors:
  any of them); the filters together keep the events every one keeps;
* a fatalities range keeps the events with a figure inside it (both bounds
  included), so an event without a figure is left out;
* a search keeps the events whose title, place, description or notes hold the
  text, case and accents aside (``kharkiv`` finds ``Kharkív``).

Values are named as the fragment names them: by id (``battles``, ``UA``,
``ne:UA-63``, ``point``), or by the label the panel shows (``Battles``,
``Ukraine``, ``Kharkiv``, ``At the place``), case-insensitively. Unlike the
page, which skips a value it does not know, :func:`select` refuses it:
a typo must not silently widen a figure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.errors import InputError
from maps.filters import event_fields, filter_options
from maps.generic import without_attrs
from maps.labels import month_label
from maps.popups import event_popups

__all__ = ["Window", "select", "time_window", "fatality_range"]

_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NUMBER = re.compile(r"\d{1,15}(\.\d{1,6})?")  # as the fragment's fat= reads it
#: How many known values an error names when none is close.
_NAMED = 12


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


def _fold(text: str) -> str:
    """Text as the page's search compares it (query.js ``fold``): marks dropped, lower case."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def _values(value, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise InputError(f"expected a text or a list of texts, got {value!r}", field=what)
    out = list(dict.fromkeys(str(v) for v in value if v is not None and str(v) != ""))
    if not out:
        raise InputError("expected at least one value", field=what)
    return out


def _resolve(values: list[str], options: list[tuple[str, str | None]], what: str) -> list[str]:
    """The ids ``values`` name, as the fragment reads them (fragment.js ``optionsOf``):
    an id as given, else case-insensitively, else a label case-insensitively (as
    every id it names). An unknown value is an error naming the closest or the known."""
    ids = {i for i, _ in options}
    by_id: dict[str, list[str]] = {}
    by_label: dict[str, list[str]] = {}
    for i, label in options:
        by_id.setdefault(i.lower(), []).append(i)
        if label is not None:
            by_label.setdefault(str(label).lower(), []).append(i)
    out: list[str] = []
    for v in values:
        found = [v] if v in ids else by_id.get(v.lower()) or by_label.get(v.lower())
        if not found:
            raise InputError(_unknown(v, options), field=what)
        out += [i for i in found if i not in out]
    return out


def _unknown(value: str, options: list[tuple[str, str | None]]) -> str:
    """What a value not in the data is told: the closest options, or the known ones,
    each named once, by its label if it has one (``Supply``, not also ``supply``)."""
    folded: dict[str, str] = {}  # each id and label, case aside → the option's name
    for i, label in options:
        name = str(label if label is not None else i)
        for n in (name, str(i)):
            folded.setdefault(n.lower(), name)
    names = list(dict.fromkeys(folded.values()))
    if not names:
        return f"{value!r} is not in the data, which has none"
    # Names that hold it ("kursk": "Kursk Oblast"), then names spelled alike.
    close = [n for n in folded if value.lower() in n][:3]
    close = close or difflib.get_close_matches(value.lower(), list(folded), n=3, cutoff=0.6)
    if close:
        return f"{value!r} is not in the data; did you mean " + " or ".join(
            repr(n) for n in dict.fromkeys(folded[c] for c in close)
        ) + "?"  # fmt: skip
    shown = ", ".join(repr(n) for n in names[:_NAMED])
    more = f" and {len(names) - _NAMED:,} more" if len(names) > _NAMED else ""
    return f"{value!r} is not in the data, which has {shown}{more}"


def _options(frame: pd.DataFrame, fields) -> dict[str, list[tuple[str, str | None]]]:
    """Each list filter's options (id, label) as the page's panel has them
    (:func:`maps.filters.filter_options`), over every event of the frame."""
    block = filter_options(frame, fields)
    return {
        "kinds": [(k["id"], k["label"]) for k in block["kinds"]],
        "sub_types": [(s["value"], None) for s in block["sub_types"]],
        "actors": [(a["value"], None) for a in block["actors"]],
        "countries": [(c["id"], c["name"]) for c in block["countries"]],
        "regions": [(r["id"], r["name"]) for r in block["regions"]],
        "precision": [(p["id"], p["label"]) for p in block["precisions"]],
    }


#: How the selection's text names each list filter.
_NAMES = {"kinds": "kind", "sub_types": "sub-type", "actors": "actor", "countries": "country",
          "regions": "admin-1", "precision": "precision"}  # fmt: skip


def select(
    frame: pd.DataFrame,
    *,
    time=None,
    kinds: str | Iterable[str] | None = None,
    sub_types: str | Iterable[str] | None = None,
    actors: str | Iterable[str] | None = None,
    countries: str | Iterable[str] | None = None,
    regions: str | Iterable[str] | None = None,
    fatalities=None,
    precision: str | Iterable[str] | None = None,
    search: str | None = None,
):
    """The events a map of ``frame`` shows with these filters, as the page's
    filter panel and URL fragment mean them.

    Parameters
    ----------
    frame : GeoDataFrame
        An events frame, as :func:`geo.read_events` makes it.
    time : str or (from, to), optional
        ``"FROM/TO"``: ``"2024-10/2024-12"`` (October to December), ``"2024"``-style
        years, ``YYYY-MM-DD`` days, an open end (``"2024-10/"``), one period
        (``"2024-10"``); or a pair of those, dates or None. Events overlapping it
        are kept; undated events are not.
    kinds, sub_types, actors, countries, regions, precision : str or list of str, optional
        The kinds (``battles`` or ``Battles``), sub-types (``Armed clash``), actors (an
        event with any of them), countries (``UA`` or ``Ukraine``), admin-1 regions
        (``ne:UA-63`` or ``Kharkiv``) and place precisions (``point`` or ``At the
        place``; :data:`maps.filters.PRECISION_OPTIONS`) to keep.
    fatalities : str or (min, max), optional
        ``"1-10"``, ``"100-"``, ``(None, 5)``: events with a fatalities figure in range.
    search : str, optional
        Text the title, place, description or notes hold (case and accents aside).

    Returns
    -------
    GeoDataFrame
        The kept rows, in order, with ``frame``'s attrs (shared, not copied) and
        ``attrs["selection"]``, what a figure's subtitle says::

            {"time": ["2024-10-01", "2024-12-31"],   # the window's days; None: no window
             "window": "Oct 2024 – Dec 2024",        # it, as given; None: no window
             "text": "Oct 2024 – Dec 2024 · kind: Battles",  # the whole selection
             "filters": "kind: Battles"}             # the text without the window

        An open end is None in ``time`` and said in ``window`` (``from Oct
        2024``); one month is ``Oct 2024``, one year ``2024``, one day ``3 Oct
        2024``. No filter given: the frame's rows, attrs unchanged.

    Raises
    ------
    geo.InputError
        A malformed window or range, or a value the data does not have (the
        message names the closest ones, or those it has).

    Examples
    --------
    >>> import geo, maps
    >>> ev = geo.read_events("tests/data/exports/acled/current_2024.csv")
    >>> autumn = maps.select(ev, time="2024-10/2024-11", kinds="Battles")
    >>> len(autumn), autumn.attrs["selection"]["time"], autumn.attrs["selection"]["text"]
    (1, ['2024-10-01', '2024-11-30'], 'Oct 2024 – Nov 2024 · kind: Battles')
    >>> maps.select(ev, regions="kursk")
    Traceback (most recent call last):
    geo.errors.InputError: regions: 'kursk' is not in the data; did you mean 'Kursk Oblast'?
    """
    window = time_window(time)
    bounds = fatality_range(fatalities)
    lists = {"kinds": kinds, "sub_types": sub_types, "actors": actors, "countries": countries,
             "regions": regions, "precision": precision}  # fmt: skip
    given = {k: _values(v, k) for k, v in lists.items() if v is not None}
    query = search.strip() if isinstance(search, str) else None
    if search is not None and not isinstance(search, str):
        raise InputError(f"expected a text, got {search!r}", field="search")
    attrs = dict(frame.attrs)
    plain = without_attrs(frame)
    # The one attr the filters read: how the data spells kinds (their labels).
    plain.attrs = {"kind_labels": attrs.get("kind_labels") or {}}
    fields = event_fields(plain)
    keep = np.ones(len(plain), dtype=bool)
    said: list[str] = []
    if window is not None:
        keep &= _in_window(plain, fields, window)
        said.append(window.text())
    if given:
        options = _options(plain, fields)
        columns = {"kinds": fields.kind, "sub_types": fields.sub_type,
                   "countries": fields.country, "regions": fields.region,
                   "precision": fields.place_precision}  # fmt: skip
        for key, values in given.items():
            ids = _resolve(values, options[key], key)
            if key == "actors":
                wanted = set(ids)
                per_list = np.array([any(a in wanted for a in names) for names in
                                     fields.actor_lists], dtype=bool)  # fmt: skip
                keep &= per_list[fields.actors] if len(per_list) else False
            else:
                keep &= pd.Series(columns[key], dtype=object).isin(ids).to_numpy()
            label = dict(options[key])
            named = [label.get(i) or i for i in ids]
            said.append(f"{_NAMES[key]}: {', '.join(named)}")
    if bounds is not None:
        keep &= _in_range(fields.fatalities, *bounds)
        said.append(f"fatalities: {_range_text(*bounds)}")
    if query:
        keep &= _matching(plain, _fold(query))
        said.append(f"search: “{query}”")
    out = plain[keep]
    out.attrs = attrs
    if said:
        rest = said[1:] if window is not None else said
        out.attrs = {**attrs, "selection": {
            "time": window.iso() if window is not None else None,
            "window": said[0] if window is not None else None,
            "text": " · ".join(said), "filters": " · ".join(rest),
        }}  # fmt: skip
    return out


def _in_window(frame: pd.DataFrame, fields, window: Window) -> np.ndarray:
    """Events overlapping the window (query.js ``filterTable``): start on or before
    its last day, end (:attr:`EventFields.end`) on or after its first; undated ones out."""
    start = frame["date_start"].to_numpy(dtype="datetime64[D]")
    dated = ~np.isnat(start)
    keep = dated.copy()
    days = np.where(dated, start, np.datetime64(0, "D")).astype(np.int64)
    if window.last is not None:
        keep &= days <= (np.datetime64(window.last, "D").astype(np.int64))
    if window.first is not None:
        keep &= fields.end.astype(np.int64) >= np.datetime64(window.first, "D").astype(np.int64)
    return keep


def _in_range(fatalities: np.ndarray, lo: float | None, hi: float | None) -> np.ndarray:
    """Events with a figure in [lo, hi]. The page holds figures as 32-bit floats
    (table.js ``Float32Array``) and compares them with the bounds as doubles."""
    values = fatalities.astype(np.float32).astype(np.float64)
    with np.errstate(invalid="ignore"):
        keep = ~np.isnan(values)
        if lo is not None:
            keep &= values >= lo
        if hi is not None:
            keep &= values <= hi
    return keep


def _range_text(lo: float | None, hi: float | None) -> str:
    def num(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"

    if lo is None:
        return f"at most {num(hi)}"
    if hi is None:
        return f"at least {num(lo)}"
    return num(lo) if lo == hi else f"{num(lo)}–{num(hi)}"


def _matching(frame: pd.DataFrame, q: str) -> np.ndarray:
    """Events whose title, place (a popup's ``where``), description or notes hold
    ``q`` (folded): the texts the page searches (query.js ``searchRows``)."""
    popups = event_popups(frame, layer_label="", color="")
    found: dict[str, bool] = {}

    def holds(text) -> bool:
        if text is None or text == "":
            return False
        hit = found.get(text)
        if hit is None:
            hit = found[text] = q in _fold(str(text))
        return hit

    texts = zip(popups.title, popups.where, popups.description, popups.notes, strict=True)
    return np.fromiter((any(map(holds, row)) for row in texts), dtype=bool, count=len(frame))
