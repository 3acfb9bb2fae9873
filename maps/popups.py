"""Events → what the page shows of them: the one place an events frame
becomes popup records (:class:`~maps.contract.EventPopup`).

The rich and compact layers (:mod:`maps.layers.rich`,
:mod:`~maps.layers.compact`) get their popups from :func:`event_popups`, so
they show the same popup; the front regions and source places
(:mod:`~maps.layers.regions`, :mod:`~maps.layers.sources`) list only the
events' titles, dates and sources, read from the frame. Beside
it, the few values a feature carries that are worked out from an event:
:func:`size_value` (the figure that sizes its symbol), :func:`ms` (a date as
JavaScript time) and :func:`document_names` (what a source's document is called).
The records themselves are declared in :mod:`maps.contract`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from geo.model import Place, Quantity, Source
from maps.contract import EventPopup, Figure, PopupSource
from maps.labels import date_label, quantity_label

__all__ = ["EventPopups", "event_popups", "document_names", "size_value", "ms"]


@dataclass
class EventPopups:
    """The popups of a batch of events, column by column: one list per
    :class:`EventPopup` field, one item per event, in the frame's order.

    Equal lists (two events citing the same sources, with the same figures or actors)
    are one shared object, so that the compact layer encodes each once.
    """

    layer_label: str
    color: str
    id: list[str]
    title: list[str]
    date: list[str | None]
    where: list[str | None]
    figures: list[list[Figure]]
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
            date=self.date[i], where=self.where[i], figures=self.figures[i],
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
    dates = _per_distinct(
        zip(_texts(frame["date"]), _texts(frame["date_precision"]), strict=True),
        lambda key: date_label(*key),
    )
    where = [
        _where(origin, via, destination, length, places)
        for origin, via, destination, length, places in zip(
            _texts(frame["origin"]), frame["via"].tolist(), _texts(frame["destination"]),
            _texts(frame["length_km"]), frame["places"].tolist(), strict=True,
        )
    ]  # fmt: skip
    figures = _per_distinct(
        (tuple(qs) for qs in frame["quantities"].tolist()),
        lambda qs: [Figure(label=quantity_label(q), text=q.text) for q in qs],
    )
    sources = _per_distinct(
        (tuple(ss) for ss in frame["sources"].tolist()),
        lambda ss: [_popup_source(s, documents) for s in ss],
    )
    return EventPopups(
        layer_label=layer_label,
        color=color,
        id=[str(v) for v in frame["id"].tolist()],
        title=_texts(frame["title"]),
        date=dates,
        where=where,
        figures=figures,
        description=_texts(frame["description"]),
        sources=sources,
        confidence=_texts(frame["confidence"]),
        status=_texts(frame["status"]),
        actors=_per_distinct((tuple(a) for a in frame["actors"].tolist()), list),
        notes=_texts(frame["notes"]),
    )


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


def size_value(quantities: Sequence[Quantity]) -> float | None:
    """The figure that sizes an event's symbol: its first count (shares don't size)."""
    for q in quantities:
        if q.value >= 1:
            return float(q.value)
    return None


def ms(ts: pd.Timestamp | None) -> int | None:
    """Milliseconds since 1970 (JavaScript time), or None for a missing date.

    >>> ms(pd.Timestamp("2024-10-01")), ms(pd.NaT)
    (1727740800000, None)
    """
    if ts is None or pd.isna(ts):
        return None
    return int((ts - pd.Timestamp("1970-01-01")) // pd.Timedelta(milliseconds=1))


def _popup_source(s: Source, documents: Mapping[str, str]) -> PopupSource:
    out = PopupSource(name=s.name)
    for key in ("date", "claim", "url"):
        value = getattr(s, key)
        if value:
            out[key] = value
    if s.document:
        out["document"] = documents.get(s.document, s.document)
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
    return [None if _missing(v) else v for v in column.tolist()]


def _missing(v: object) -> bool:
    return v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and v != v)
