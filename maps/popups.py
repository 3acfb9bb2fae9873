"""Events → what the page shows of them: the one place an events frame
becomes popup records (:class:`~maps.contract.EventPopup`).

The rich and compact layers (:mod:`maps.layers.rich`,
:mod:`~maps.layers.compact`) get their popups from :func:`event_popups`, so
they show the same popup; the front regions and source places
(:mod:`~maps.layers.regions`, :mod:`~maps.layers.sources`) list only the
events' titles, dates and sources, read from the frame. Beside
it, the few values a feature carries that are worked out from an event:
:func:`size_figure` (the figure that sizes its symbol, and its unit), :func:`ms` (a date as
JavaScript time) and :func:`document_names` (what a source's document is called).
The records themselves are declared in :mod:`maps.contract`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from geo.model import Place, Quantity
from maps.contract import Detail, EventPopup, Figure, PopupSource
from maps.labels import date_label, precision_label, quantity_label

__all__ = [
    "EventPopups", "event_popups", "document_names", "says_placement", "size_figure", "ms",
]  # fmt: skip


@dataclass
class EventPopups:
    """The popups of a batch of events, column by column: one list per
    :class:`EventPopup` field, one item per event, in the frame's order.

    Equal lists (two events citing the same sources, with the same figures,
    actors, details or flags) are one shared object, so that the compact layer
    encodes each once.
    """

    layer_label: str
    color: str
    id: list[str]
    title: list[str]
    date: list[str | None]
    where: list[str | None]
    precision: list[str | None]
    figures: list[list[Figure]]
    details: list[list[Detail]]
    flags: list[list[str]]
    description: list[str | None]
    sources: list[list[PopupSource]]
    confidence: list[str | None]
    status: list[str | None]
    actors: list[list[str]]
    notes: list[str | None]

    def __len__(self) -> int:
        return len(self.id)

    def __getitem__(self, i: int) -> EventPopup:
        return EventPopup(
            id=self.id[i], layer_label=self.layer_label, color=self.color, title=self.title[i],
            date=self.date[i], where=self.where[i], precision=self.precision[i],
            figures=self.figures[i], details=self.details[i], flags=list(self.flags[i]),
            description=self.description[i], sources=self.sources[i],
            confidence=self.confidence[i], status=self.status[i], actors=list(self.actors[i]),
            notes=self.notes[i],
        )  # fmt: skip


def event_popups(
    frame: pd.DataFrame,
    *,
    layer_label: str,
    color: str,
    documents: Mapping[str, str] | None = None,
) -> EventPopups:
    """Events-frame rows (as :func:`geo.read_events` makes them) → their popups.

    Each text is shown once: notes that repeat the description are left out,
    and so is a source's claim that is the description (an ACLED row's
    source "claims" its notes), actors its details name, and the line on how
    precisely the event is placed when the export says it in a detail of its
    own (:func:`says_placement`) and no flag says the event was placed
    otherwise. ``details``, ``flags`` and
    ``place_precision`` are optional columns (a frame without them shows none).

    Parameters
    ----------
    frame : DataFrame
        Rows of an events frame, all on one layer.
    layer_label, color : str
        The layer's name and colour, shown in each popup's head line.
    documents : mapping, optional
        Document id → name (:func:`document_names`): a source names the
        document it was reported in.

    Examples
    --------
    >>> import geo
    >>> frame = geo.read_events("tests/data/acled_sample.csv")
    >>> popups = event_popups(frame, layer_label="Battles", color="#D55E00")
    >>> popups[0]["figures"], popups[0]["sources"][0]["name"]
    ([{'label': '12 fatalities', 'text': None}], 'Ukrainska Pravda; Kyiv Independent')
    """
    documents = documents or {}
    n = len(frame)
    ends = _texts(frame["end_date"]) if "end_date" in frame else [None] * n
    dates = _per_distinct(
        zip(_texts(frame["date"]), _texts(frame["date_precision"]), ends, strict=True),
        lambda key: date_label(*key),
    )
    where = [
        _where(origin, via, destination, length, places)
        for origin, via, destination, length, places in zip(
            _texts(frame["origin"]), frame["via"].tolist(), _texts(frame["destination"]),
            _texts(frame["length_km"]), frame["places"].tolist(), strict=True,
        )
    ]  # fmt: skip
    precision = _per_distinct(_optional(frame, "place_precision"), precision_label)
    figures = _per_distinct(
        (tuple(qs) for qs in frame["quantities"].tolist()),
        lambda qs: [Figure(label=quantity_label(q), text=q.text) for q in qs],
    )
    # Keyed on the value as it is (a tuple of pairs hashes in C), made once per
    # distinct value: most ACLED rows share their details with none, but
    # normalising each in Python would cost more than the rest of the popup.
    details = _per_distinct(
        (_hashable(d) for d in _optional(frame, "details")),
        lambda raw: [Detail(label=label, text=text) for label, text in _pairs(raw)],
    )
    flags = _per_distinct(
        (_hashable(f) for f in _optional(frame, "flags")), lambda raw: list(_items(raw))
    )
    precision = _placement(precision, details, flags)
    description = _texts(frame["description"])
    # Keyed on what a popup shows of each source: an ACLED event's source
    # claims its own notes, so its list is its own until that claim is left out.
    sources = _per_distinct(
        (
            tuple((s.name, s.date, s.url, s.document, None if s.claim == d else s.claim)
                  for s in ss)
            for ss, d in zip(frame["sources"].tolist(), description, strict=True)
        ),
        lambda key: [_popup_source(*k, documents=documents) for k in key],
    )  # fmt: skip
    notes = [
        None if v == d else v for v, d in zip(_texts(frame["notes"]), description, strict=True)
    ]
    return EventPopups(
        layer_label=layer_label,
        color=color,
        id=[str(v) for v in frame["id"].tolist()],
        title=_texts(frame["title"]),
        date=dates,
        where=where,
        precision=precision,
        figures=figures,
        details=details,
        flags=flags,
        description=description,
        sources=sources,
        confidence=_texts(frame["confidence"]),
        status=_texts(frame["status"]),
        actors=_actors(frame["actors"].tolist(), details),
        notes=notes,
    )


#: A detail label that says how precisely the export places its event:
#: "Geo precision" (ACLED, GDELT), "Where precision" (UCDP), "Place precision", ...
_PLACEMENT_LABEL = re.compile(r"(geo|where|place|location|spatial)[ _-]?prec(ision)?", re.I)


def says_placement(label: str) -> bool:
    """Whether a detail labelled ``label`` says how precisely its event is placed
    (the export's own words and code for it). A popup then leaves out its own
    line on it (``placed near the town named ...``), which would say it twice,
    unless the event is flagged (placed at a region because its town was not
    found, say): then the two differ, and both are shown.

    >>> says_placement("Geo precision"), says_placement("Where precision")
    (True, True)
    >>> says_placement("Date precision"), says_placement("Time precision"), says_placement("Tags")
    (False, False, False)
    """
    return bool(_PLACEMENT_LABEL.fullmatch(label.strip()))


def _placement(
    precision: list[str | None], details: list[list[Detail]], flags: list[list[str]]
) -> list[str | None]:
    """``precision``, None where a detail says it already and no flag says otherwise."""
    said: dict[int, bool] = {}
    out = []
    for line, shown, doubts in zip(precision, details, flags, strict=True):
        if line is not None and not doubts:
            key = id(shown)  # equal details are one shared list
            if key not in said:
                said[key] = any(says_placement(d["label"]) for d in shown)
            if said[key]:
                line = None
        out.append(line)
    return out


#: A detail label that names actors: "Actor 1", "Actor 2" (ACLED, GDELT),
#: "Side A", "Side B" (UCDP).
_ACTOR_LABEL = re.compile(r"(actors?|sides?)( \w+)?", re.I)


def _actors(actors: list, details: list[list[Detail]]) -> list[list[str]]:
    """The actors each popup lists beside its details: those no actor detail
    ("Actor 1", "Side A", ...) names (an ACLED row's details name both actors,
    with their roles); a title or a note that mentions an actor hides none.
    One shared list per distinct (actors, details)."""
    done: dict = {}
    out = []
    for names, shown in zip(actors, details, strict=True):
        key = (tuple(names), id(shown))  # equal details are one shared list
        if key not in done:
            named = [
                n for d in shown if _ACTOR_LABEL.fullmatch(d["label"].strip())
                for n in _names(d["text"])
            ]  # fmt: skip
            done[key] = [a for a in names if not any(_is(a, n) for n in named)]
        out.append(done[key])
    return out


def _names(text: str) -> list[str]:
    """The names an actor detail gives: ``Name (role); with: A; B`` (ACLED),
    ``Name (CODE)`` (GDELT) or a name (UCDP)."""
    head, _, associated = text.partition("; with: ")
    return [head, *associated.split("; ")] if associated else [head]


def _is(actor: str, name: str) -> bool:
    """Whether ``name`` (a detail's) is ``actor``, maybe followed by its role or code."""
    return name == actor or name.startswith(actor + " (")


def _optional(frame: pd.DataFrame, column: str) -> list:
    """An optional column's values (None where missing, or all None without it)."""
    return _texts(frame[column]) if column in frame else [None] * len(frame)


def _hashable(value: object) -> object:
    """A ``details`` or ``flags`` value as a key: as a tuple when it is a list
    (the frame's lists of tuples or texts), each pair a tuple."""
    if isinstance(value, list):
        value = tuple(value)
    try:
        hash(value)
        return value
    except TypeError:
        return tuple(tuple(p) if isinstance(p, (list, np.ndarray)) else p for p in value)


def _pairs(value: object) -> tuple[tuple[str, str], ...]:
    """A ``details`` value → its (label, text) pairs, each once, blank texts left out."""
    if value is None or isinstance(value, (str, bytes)):
        return ()
    if len(set(value)) == len(value) and all(
        type(p) is tuple and len(p) == 2 and type(p[0]) is str and type(p[1]) is str
        and p[1].strip()
        for p in value
    ):  # fmt: skip
        return tuple(value)  # as readers write them: nothing to mend
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for pair in value:
        label, text = (str(x) if x is not None else "" for x in pair)
        if text.strip() and (label, text) not in seen:
            seen.add((label, text))
            out.append((label, text))
    return tuple(out)


def _items(value: object) -> tuple[str, ...]:
    """A ``flags`` value → its texts, each once."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(dict.fromkeys(str(v) for v in value if v is not None and str(v).strip()))


def document_names(documents: Iterable[object] | None) -> dict[str, str]:
    """A file's ``documents`` ({id, name}, ...) → id → the name a popup shows.

    >>> document_names([{"id": "a", "name": "Yonhap, 2024-10-18"}, {"id": "b"}])
    {'a': 'Yonhap, 2024-10-18', 'b': 'b'}
    """
    return {
        str(d["id"]): str(d.get("name") or d["id"])
        for d in documents or []
        if isinstance(d, Mapping) and d.get("id")
    }


def size_figure(quantities: Sequence[Quantity]) -> tuple[float | None, str | None]:
    """The figure that sizes an event's symbol and its unit: its first count
    (shares don't size), or (None, None).

    >>> size_figure([Quantity(0.3, "of the troops"), Quantity(12, "fatalities")])
    (12.0, 'fatalities')
    """
    for q in quantities:
        if q.value >= 1:
            return float(q.value), q.unit
    return None, None


def ms(ts: pd.Timestamp | None) -> int | None:
    """Milliseconds since 1970 (JavaScript time), or None for a missing date.

    >>> ms(pd.Timestamp("2024-10-01")), ms(pd.NaT)
    (1727740800000, None)
    """
    if ts is None or pd.isna(ts):
        return None
    return int((ts - pd.Timestamp("1970-01-01")) // pd.Timedelta(milliseconds=1))


def _popup_source(
    name: str,
    date: str | None,
    url: str | None,
    document: str | None,
    claim: str | None,
    *,
    documents: Mapping[str, str],
) -> PopupSource:
    """A source as its popup lists it: its name, then only the fields it has
    (a claim that is the event's description is given as None: the popup
    shows the description)."""
    out = PopupSource(name=name)
    for key, value in (("date", date), ("claim", claim), ("url", url)):
        if value:
            out[key] = value
    if document:
        out["document"] = documents.get(document, document)
    return out


def _where(
    origin: str | None,
    via: Sequence[str],
    destination: str | None,
    length_km: float | None,
    places: Sequence[Place],
) -> str | None:
    """A route (``North Korea → Kursk Oblast (6,480 km)``), or the places named."""
    if origin:
        where = " → ".join([origin, *via, destination])
        if length_km is not None:
            where += f" ({length_km:,.0f} km)"
        return where
    if places:
        return ", ".join(p.name for p in places)
    return None


_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


def _per_distinct(keys: Iterable[_K], make: Callable[[_K], _V]) -> list[_V]:
    """``make(key)`` for each key, made once per distinct key and shared."""
    done: dict = {}
    out = []
    for key in keys:
        value = done.get(key)
        if value is None and key not in done:
            value = done[key] = make(key)
        out.append(value)
    return out


def _texts(column: pd.Series) -> list:
    """A column's values, with pandas' missing markers (NaN, NA, NaT) as None."""
    values = column.tolist()
    if column.dtype != object or len(values) < 64:
        return [None if _missing(v) else v for v in values]
    # An object column of lists or texts: find the missing ones at C speed.
    for i in np.flatnonzero(column.isna().to_numpy()):
        values[i] = None
    return values


def _missing(v: object) -> bool:
    return v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and v != v)
