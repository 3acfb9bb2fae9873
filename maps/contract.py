"""What the page reads: its data blocks' schema, and the one function that fills it.

The page code (``maps/js/``) reads ``<script type="application/json">`` blocks
(:mod:`maps.elements`). Their records are declared here as ``TypedDict``\\ s,
because they *are* the JSON: a key the page does without is left out rather
than written as ``null`` (a source's missing URL, a circle's ``radius``); such
keys are declared in a ``total=False`` part of the record.

* :class:`OverlayBlock` — one overlay: its features and, for the compact layer,
  its columns (:class:`CompactLayer`).
* A feature is an event (:class:`EventFeature`), several events on one route
  (:class:`BundleFeature`), or a place the events point to, a front region or
  where claims come from (:class:`PlaceFeature`).
* :class:`EventPopup` is what ``popup.js`` shows for an event: title, date,
  place, figures (:class:`Figure`), sources (:class:`PopupSource`: name, claim,
  date, URL, document), confidence, status, actors and notes. The rich layer
  sends it inside each feature; the compact layer sends the same fields as
  columns, and ``decode.js`` rebuilds the same record from them.
* :class:`TitleBlock`, :class:`TimeBlock`, :class:`LegendBlock`,
  :class:`AttributionBlock` and :class:`LayerControlBlock` are the page's
  controls; :class:`BasemapBlock` is the embedded basemap of offline pages.

:func:`event_popups` is the one place an events frame becomes popup records:
every layer (:mod:`maps.layers.rich`, :mod:`~maps.layers.regions`,
:mod:`~maps.layers.sources`, :mod:`~maps.layers.compact`) gets its text from it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, TypeVar

import pandas as pd

from geo.model import Place, Quantity, Source
from maps.labels import date_label, quantity_label

__all__ = [
    "Figure", "PopupSource", "OtherFigure", "EventPopup", "EventFeature", "BundleFeature",
    "PlaceFeature", "Feature", "DictionaryColumn", "CompactLayer", "CompactText",
    "OverlayOptions", "OverlayBlock", "TitleBlock", "TimeBlock", "LegendBlock",
    "AttributionBlock", "LayerControlBlock", "BasemapLabel", "BasemapBlock", "TextRef",
    "COMPACT_COLUMNS", "COMPACT_TEXT", "EventPopups", "event_popups",
    "document_names", "size_value", "ms",
]  # fmt: skip

# --------------------------------------------------------------------------- popups


class Figure(TypedDict):
    """One figure of an event: ``about 13,000 soldiers``, and the words of the report."""

    label: str
    text: str | None


class _Named(TypedDict):
    name: str


class PopupSource(_Named, total=False):
    """Who says so, as a popup lists it: its name, then only the fields it has."""

    date: str
    claim: str
    url: str
    #: The name of the document it was reported in (the file's ``documents``).
    document: str


class OtherFigure(TypedDict):
    """On the casualty layer: another claim placed at the same spot."""

    label: str
    source: str
    date: str | None


class _EventPopup(TypedDict):
    """What the page shows for one event: its popup and tooltip."""

    id: str
    layer_label: str
    color: str
    title: str
    date: str | None
    where: str | None
    figures: list[Figure]
    description: str | None
    sources: list[PopupSource]
    confidence: str | None
    status: str | None
    actors: list[str]
    notes: str | None


class EventPopup(_EventPopup, total=False):
    """What the page shows for one event: its popup and tooltip (on the
    casualty layer, with the other claims placed at the same spot)."""

    others: list[OtherFigure]


Shape = Literal["flow", "area", "circle"]


class _EventFeature(EventPopup):
    kind: str
    start: int | None
    dashed: bool
    value: float | None
    shape: Shape
    lat: float | None
    lon: float | None


class EventFeature(_EventFeature, total=False):
    """One event as the rich layer draws it.

    A ``flow`` has ``geom`` (GeoJSON, 5 decimals), ``route`` and ``width``; an
    ``area`` has ``geom``; a ``circle`` has ``points`` ([lat, lon] each) and
    ``radius``. ``start`` is the first day it may have happened (ms since
    1970, for the time control); ``value`` the figure that sizes it.
    """

    geom: dict
    route: list[str]
    points: list[list[float]]
    width: float
    radius: float


class _BundleFeature(TypedDict):
    id: str
    kind: str
    layer_label: str
    color: str
    shape: Literal["flow"]
    geom: dict
    route: list[str]
    lat: float | None
    lon: float | None
    where: str | None
    title: str
    date: None
    start: int | None
    value: float | None
    dashed: bool
    members: list[EventFeature]


class BundleFeature(_BundleFeature, total=False):
    """Flows of one layer along the same route, drawn as one line; the popup
    lists each member still shown by the time control."""

    width: float


class _PlaceFeature(TypedDict):
    id: str
    kind: Literal["front_region", "source"]
    layer_label: str
    color: str
    shape: Shape
    title: str
    date: str | None
    start: int | None
    where: str
    figures: list[Figure]
    description: str | None
    sources: list[PopupSource]
    lat: float
    lon: float
    dashed: bool


class PlaceFeature(_PlaceFeature, total=False):
    """A place the events point to: a front region (``area``), or where claims
    come from (``circle``); its popup lists the events or claims."""

    geom: dict
    points: list[list[float]]
    radius: float


Feature = EventFeature | BundleFeature | PlaceFeature

# --------------------------------------------------------------------------- compact layer

#: The compact layer's dictionary columns: :class:`EventPopup` fields, each
#: distinct value once. ``figures``, ``sources`` and ``actors`` are JSON text
#: of the list (one string per distinct list); in ``sources``, a claim that is
#: the event's own description is written ``{"text": "description"}`` (a
#: :class:`TextRef`), so an ACLED export (whose sources claim its notes) keeps
#: one entry per source.
COMPACT_COLUMNS = ("title", "date", "where", "figures", "sources", "actors", "confidence",
                   "status")  # fmt: skip
#: The compact layer's unique text: :class:`EventPopup` fields, in :class:`CompactText`.
COMPACT_TEXT = ("id", "description", "notes")


class DictionaryColumn(TypedDict):
    """Each distinct value once (``values[0]`` is null, for missing), then a
    little-endian Uint16 (``bytes`` 2) or Uint32 (4) code per event, base64."""

    values: list[str | None]
    codes: str
    bytes: Literal[2, 4]


class CompactText(TypedDict):
    """The compact layer's unique text, a value per event (gzip JSON, base64)."""

    id: list[str]
    description: list[str | None]
    notes: list[str | None]


class TextRef(TypedDict):
    """A source's ``claim`` in a compact layer's ``sources`` column that is
    the event's own text: the :class:`CompactText` field holding it."""

    text: Literal["description"]


class CompactLayer(TypedDict):
    """Point events of one layer as columns (:mod:`maps.layers.compact`).

    ``lon``/``lat``: Int32, 1e-5 degrees; ``day``: Int32 days since 1970
    (-2**31 when undated); ``radius`` and ``value``: Float32 (NaN: no figure);
    all little-endian, base64. ``dict`` holds :data:`COMPACT_COLUMNS`; ``text``
    a :class:`CompactText`, gzip-compressed JSON, base64.
    """

    n: int
    lon: str
    lat: str
    day: str
    radius: str
    value: str
    unit: str | None
    dict: dict[str, DictionaryColumn]
    text: str
    layer_label: str
    color: str


class _OverlayOptions(TypedDict):
    symbol: str
    className: str
    aggregate: bool
    lane: float


class OverlayOptions(_OverlayOptions, total=False):
    """How the page draws an overlay; areas may set their fill, weight and dashes."""

    fillOpacity: float
    weight: float
    dashArray: str


class OverlayBlock(TypedDict):
    """One overlay (``Eventmap.overlay``): toggled by name in the layer control."""

    name: str
    features: list[Feature]
    options: OverlayOptions
    compact: CompactLayer | None
    show: bool


# --------------------------------------------------------------------------- controls


class TitleBlock(TypedDict):
    title: str
    subtitle: str


class Month(TypedDict):
    label: str
    t: int  # the month's last millisecond


class TimeBlock(TypedDict):
    months: list[Month]
    undated: int


class LegendSize(TypedDict):
    label: str
    px: float


class LegendEntry(TypedDict):
    label: str
    color: str
    symbol: str
    description: str
    sizes: list[LegendSize]


class LegendBlock(TypedDict):
    entries: list[LegendEntry]
    notes: list[str]


class AttributionBlock(TypedDict):
    parts: list[str]


class LayerControlBlock(TypedDict):
    """Leaflet's layer control, listing every overlay by its name."""

    position: str  # Leaflet's: topleft | topright | bottomleft | bottomright
    collapsed: bool


class BasemapLabel(TypedDict):
    """A name on the embedded basemap: a country's always, a place's (a city,
    a region the events name) from zoom 5."""

    text: str
    lat: float
    lon: float
    level: Literal["country", "place"]


class BasemapBlock(TypedDict):
    """The embedded basemap of offline pages, under the overlays and not
    interactive: GeoJSON ``FeatureCollection``\\ s (countries, then regions),
    the Leaflet path style of each, and labels."""

    layers: list[dict]
    styles: list[dict]
    labels: list[BasemapLabel]


# --------------------------------------------------------------------------- events → popups


@dataclass
class EventPopups:
    """The popups of a batch of events, column by column: one list per
    :class:`EventPopup` field, one item per event, in the frame's order.

    Equal lists (two events citing the same sources, or with the same figures)
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
        actors=[list(a) for a in frame["actors"].tolist()],
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
