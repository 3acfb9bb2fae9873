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
a typo must not silently widen a figure. The windows and ranges are read by
:mod:`maps.ranges`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.errors import InputError
from maps.filters import event_fields, filter_options
from maps.generic import without_attrs
from maps.popups import event_popups
from maps.ranges import Window, fatality_range, range_text, time_window

__all__ = ["select"]

#: How many known values an error names when none is close.
_NAMED = 12


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
        said.append(f"fatalities: {range_text(*bounds)}")
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
