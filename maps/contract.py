"""The schema of the page's data: every JSON block the page code reads.

An eventmap page is Leaflet, the page code (the ES modules of ``maps/js/``,
bundled as the global ``Eventmap``) and, in the head, one
``<script type="application/json" id="<element>_emNNNN">`` block per page
element (:mod:`maps.elements`). The page's script calls
``Eventmap.<function>(map, Eventmap.data(id))`` for each, in this order:

================  =================  =============================  ==========================
element           block id           page code                      record
================  =================  =============================  ==========================
``Basemap``       ``basemap``        ``basemap`` (basemap.js)       :class:`BasemapBlock`
``EventLayer``    ``event_layer``    ``overlay`` (overlay.js)       :class:`OverlayBlock`
``Title``         ``title``          ``title`` (title.js)           :class:`TitleBlock`
``TimeControl``   ``time_control``   ``timeControl`` (time.js)      :class:`TimeBlock`
``Legend``        ``legend``         ``legend`` (legend.js)         :class:`LegendBlock`
``Attribution``   ``attribution``    ``attribution`` (controls.js)  :class:`AttributionBlock`
``LayerControl``  ``layer_control``  ``layerControl`` (overlay.js)  :class:`LayerControlBlock`
``Filters``       ``filters``        ``filters`` (view.js)          :class:`FilterBlock`
``Ready``         (none)             ``ready`` (ready.js)           (no data)
================  =================  =============================  ==========================

``Basemap`` is on pages without online tiles (the default); there is one
``EventLayer`` per overlay.

The records are declared here as ``TypedDict``\\ s because they *are* the
JSON: each key below is a key of the block, with the type its value has. The
rules every block keeps:

* A key the page does without is left out rather than written as ``null`` (a
  source's missing URL, a circle's ``radius``); such keys are declared in a
  ``total=False`` part of the record. ``None`` is JSON ``null``; NaN never
  appears (it is written ``null``).
* Times are milliseconds since 1970-01-01 UTC (JavaScript time). Coordinates
  are degrees (WGS 84): ``[lat, lon]`` in ``points``, ``[lon, lat]`` in GeoJSON
  ``geom``, rounded to 5 decimals. Colours are CSS colours.
* Every text is data: the page sets it with ``textContent``, never as HTML.

Overlays (:class:`OverlayBlock`)
    Its ``features`` (drawn by ``draw.js``) and, for the compact layer, its
    ``compact`` columns (:class:`CompactLayer`, read by ``decode.js``).
    A feature is one of three records, told apart as the page does:

    * :class:`BundleFeature` has ``members``: several flows on one route,
      drawn as one line; each member is an :class:`EventFeature`.
    * :class:`PlaceFeature` has ``kind`` ``"front_region"`` or ``"source"``:
      a place the events point to, a front region or where claims come from.
    * Otherwise an :class:`EventFeature`: one event, drawn as its ``shape``
      says (``flow``, ``area`` or ``circle``).

Popups (:class:`EventPopup`)
    What ``popup.js`` shows for an event: title, date, place, figures
    (:class:`Figure`), sources (:class:`PopupSource`: name, claim, date, URL,
    document), confidence, status, actors and notes. An :class:`EventFeature`
    carries these fields itself; a compact layer sends them as columns
    (:data:`COMPACT_COLUMNS`, :data:`COMPACT_TEXT`), and ``decode.js`` rebuilds
    the same record from them. ``popup.js`` shows a field only when it has a
    value, so a :class:`PlaceFeature`, which has no confidence, status, actors
    or notes, uses the same builder.

Filters (:class:`FilterBlock`)
    Every event the page draws carries the fields the page filters by, the
    same on both kinds of layer (a place feature, a front region or a source,
    carries none: it is not an event, and follows its layer's checkbox only):

    ===================  =================================  ==================================
    field                rich :class:`EventFeature`          compact :class:`CompactLayer`
                         (and each bundle member)
    ===================  =================================  ==================================
    ``kind``             ``kind``: the kind id              dict column ``kind``
    ``end``              ``end``: ms, the last ms of its     ``end``: Int32 days (``NO_DAY``
                         last day; null undated              undated); it covers ``day..end``
    ``sub_type``         ``sub_type``: str or null           dict column ``sub_type``
    ``actor_names``      ``actor_names``: list of str        dict column ``actor_names``
                                                             (JSON text; null: none)
    ``country``          ``country``: ISO2 or null           dict column ``country``
    ``region``           ``region``: admin-1 id              dict column ``region``
                         (``ne:UA-63``) or null
    ``fatalities``       ``fatalities``: number or null      ``fatalities``: Float32, NaN none
    ``place_precision``  one of ``geo.model.PRECISIONS``     dict column ``place_precision``
                         or null
    ===================  =================================  ==================================

    ``region`` is the region place the event names, else the region its
    point lies in (:mod:`maps.layers.admin`); null for country-level events,
    flows and areas that name no region. ``country`` is the first of its places' with one;
    ``fatalities`` the first figure in fatalities, deaths, killed or dead.
    The :class:`FilterBlock` lists each option with its count, and the
    outlines of the regions with events.

Controls
    :class:`TitleBlock`, :class:`TimeBlock`, :class:`LegendBlock`,
    :class:`AttributionBlock` and :class:`LayerControlBlock`; without online tiles,
    the embedded basemap, :class:`BasemapBlock`.

This module only declares; :mod:`maps.popups` is the one place an events
frame becomes popup records, and :mod:`maps.layers` and :mod:`maps.page` fill
the other blocks.
"""

from __future__ import annotations

from typing import Literal, TypedDict

__all__ = [
    "Figure", "Detail", "PopupSource", "OtherFigure", "EventPopup", "Shape", "EventFeature",
    "BundleFeature", "PlaceFeature", "Feature", "DictionaryColumn", "CompactLayer",
    "CompactText", "CompactDetails", "Placed", "OverlayOptions", "OverlayBlock", "TitleBlock",
    "TimeStep", "TimeBlock", "KindOption", "ValueOption", "CountryOption", "RegionOption",
    "PrecisionOption", "FatalitiesRange", "FilterBlock", "COMPACT_FILTER_COLUMNS", "LegendSize",
    "LegendScale", "LegendMark", "LegendEntry", "LegendBlock",
    "AttributionBlock", "LayerControlBlock", "BasemapLabel", "BasemapBlock", "COMPACT_COLUMNS",
    "COMPACT_TEXT", "AGGREGATES",
]  # fmt: skip


#: How point events can be shown (``FilterBlock.aggregate``, the fragment's
#: ``agg``): each one, counted clusters when zoomed out, hexagon bins, a
#: choropleth of admin-1 regions, or a heatmap. Here, with nothing to import,
#: so that the CLI offers them without loading the map stack.
AGGREGATES = ("points", "cluster", "hexbin", "region", "heat")

# --------------------------------------------------------------------------- popups


class Figure(TypedDict):
    """One figure of an event: ``about 13,000 soldiers``, and the words of the report."""

    label: str
    text: str | None


class Detail(TypedDict):
    """One of the export's own fields, as the data names it: ``Event type``,
    ``Battles: Armed clash`` (the frame's ``details``, in order, each once)."""

    label: str
    text: str


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
    #: How precisely it is placed, when not at the place itself
    #: (:func:`maps.labels.precision_label`): ``placed at: admin1 centre ...``.
    precision: str | None
    figures: list[Figure]
    details: list[Detail]
    #: Doubts about its place or date, shown as warnings.
    flags: list[str]
    description: str | None
    sources: list[PopupSource]
    confidence: str | None
    status: str | None
    actors: list[str]
    #: Left out (None) when it repeats the description.
    notes: str | None


class EventPopup(_EventPopup, total=False):
    """What the page shows for one event: its popup and tooltip (on the
    casualty layer, with the other claims placed at the same spot)."""

    others: list[OtherFigure]


Shape = Literal["flow", "line", "area", "circle"]
#: How a point symbol shows its placement: at the place (filled), near it
#: (lighter fill), or at the centre of a region or country (a hollow, dotted ring).
Placed = Literal["exact", "near", "region"]


class _EventFeature(EventPopup):
    kind: str
    start: int | None
    #: The last ms of its last day (of ``date_end``, else ``date_start``).
    end: int | None
    sub_type: str | None
    #: Its actors as the data gives them (``actors`` leaves out those a detail names).
    actor_names: list[str]
    country: str | None
    #: Its admin-1 region (``ne:UA-63``): the one it names or its point lies in.
    region: str | None
    fatalities: float | None
    place_precision: str | None
    dashed: bool
    value: float | None
    #: The unit of ``value`` (``fatalities``): one size scale per unit on the map.
    unit: str | None
    shape: Shape
    placed: Placed
    lat: float | None
    lon: float | None


class EventFeature(_EventFeature, total=False):
    """One event as the rich layer draws it.

    A ``flow`` has ``geom`` (GeoJSON, 5 decimals), ``route`` and ``width``; a
    ``line`` (a line of any GeoDataFrame: no direction) has ``geom`` and
    ``width``; an ``area`` has ``geom``; a ``circle`` has ``points`` ([lat, lon] each) and
    ``radius``. ``start`` is the first day it may have happened (ms since
    1970, for the time control), ``end`` the last ms of its last day;
    ``value`` the figure that sizes it. The filter fields (``sub_type``
    to ``place_precision``) are the table under Filters above. A flow's
    ``width`` is set once its layer is sized: the members of a
    :class:`BundleFeature` are shown in its popup only and have none.
    """

    geom: dict
    route: list[str]
    points: list[list[float]]
    width: float
    radius: float
    #: Its own colour, when it is not its layer's (``EventMap(color=...)``).
    fill: str


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
    unit: str | None
    dashed: bool
    members: list[EventFeature]


class BundleFeature(_BundleFeature, total=False):
    """Flows of one layer along the same route, drawn as one line; the popup
    lists each member the view (time window, filters, search) still shows."""

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
#: distinct value once. ``figures``, ``sources``, ``actors`` and ``flags`` are
#: JSON text of the list (one string per distinct list).
COMPACT_COLUMNS = ("title", "date", "where", "precision", "figures", "sources", "actors",
                   "flags", "confidence", "status")  # fmt: skip
#: The compact layer's dictionary columns of the filter fields (see Filters above);
#: ``actor_names`` is JSON text of the list (null when empty).
COMPACT_FILTER_COLUMNS = ("kind", "sub_type", "actor_names", "country", "region",
                          "place_precision")  # fmt: skip
#: The compact layer's unique text: :class:`EventPopup` fields, in :class:`CompactText`.
COMPACT_TEXT = ("id", "description", "notes")


class DictionaryColumn(TypedDict):
    """Each distinct value once (``values[0]`` is null, for missing), then a
    little-endian Uint8 (``bytes`` 1), Uint16 (2) or Uint32 (4) code per
    event, base64. ``bytes`` 0 and no codes when the column is one value:
    ``values`` ``[null, v]``, every event's is ``v`` (the layer's kind, often
    its country); ``values`` ``[null]``, every event's is missing."""

    values: list[str | None]
    codes: str
    bytes: Literal[0, 1, 2, 4]


class CompactText(TypedDict):
    """The compact layer's unique text, a value per event (gzip JSON, base64)."""

    id: list[str]
    description: list[str | None]
    notes: list[str | None]


class CompactDetails(TypedDict):
    """The events' ``details`` (:class:`Detail`), a dictionary per label.

    ``labels`` are every label, in order of first use; ``values[k]`` the
    distinct texts of label ``k`` (``values[k][0]`` null: the event has none);
    ``codes`` is gzip of, for each label in turn, a little-endian Uint16
    (``bytes`` 2) or Uint32 (4) code per event, base64. ``order`` is a
    dictionary column of each event's label numbers in its own order (JSON).
    """

    labels: list[str]
    values: list[list[str | None]]
    codes: str
    bytes: Literal[2, 4]
    order: DictionaryColumn


class CompactLayer(TypedDict):
    """Point events of one layer as columns (:mod:`maps.layers.compact`).

    ``lon``/``lat``: Int32, 1e-5 degrees; ``day`` and ``end``: Int32 days
    since 1970 (-2**31 when undated), the event covers days ``day..end``
    inclusive; ``radius``, ``value`` and ``fatalities``: Float32 (NaN: no
    figure); ``placed``: Uint8, 0 at the place, 1 near it, 2 at a region's or
    country's centre (:data:`Placed`); all little-endian, base64, ``n`` values
    each. ``dict`` holds :data:`COMPACT_COLUMNS` and
    :data:`COMPACT_FILTER_COLUMNS`; ``details`` a
    :class:`CompactDetails`; ``text`` a :class:`CompactText`, gzip-compressed
    JSON, base64. ``unit`` is what the page's clusters sum (``fatalities``),
    ``unit_one`` its singular (``fatality``).
    """

    n: int
    lon: str
    lat: str
    day: str
    end: str
    radius: str
    value: str
    fatalities: str
    placed: str
    unit: str | None
    unit_one: str | None
    dict: dict[str, DictionaryColumn]
    details: CompactDetails
    text: str
    layer_label: str
    color: str


class _OverlayOptions(TypedDict):
    symbol: str
    className: str
    aggregate: bool
    lane: float
    #: Whether its events have dates (a GeoDataFrame's rows do not: its popups
    #: say nothing of a date).
    dated: bool


class OverlayOptions(_OverlayOptions, total=False):
    """How the page draws an overlay; areas may set their fill, weight and dashes."""

    fillOpacity: float
    weight: float
    dashArray: str


class OverlayBlock(TypedDict):
    """One overlay (``Eventmap.overlay``): toggled by name in the layer control;
    ``key`` is its layer's id (``LayerSpec.key``: ``battles``, ``deployments``),
    as the fragment's ``layers=`` names it."""

    name: str
    key: str
    features: list[Feature]
    options: OverlayOptions
    #: Its point events on canvases: one per colour (usually one, or none).
    compact: list[CompactLayer]
    show: bool


# --------------------------------------------------------------------------- controls


class TitleBlock(TypedDict):
    """The map's title and, under it, a line on the data (top left), then
    warnings a reader must see (``12 records rejected (listed in x.rejects.csv)``,
    ``3 events flagged``)."""

    title: str
    subtitle: str
    notices: list[str]


class TimeStep(TypedDict):
    """A step of the time slider: a day, a week, a month or a year.

    ``label`` is shown (``Oct 2024``, ``Week of 7 Oct 2024``), ``token`` is
    how the fragment's ``time=`` writes it (``2024-10``, the Monday
    ``2024-10-07``, ``2024``, ``2024-10-07``); ``t0``, ``t1`` its first and
    last millisecond.
    """

    label: str
    token: str
    t0: int
    t1: int


class TimeBlock(TypedDict):
    """The time slider: every step from the first event's start to the last
    event's end, and how many events have no date (the reader may hide them;
    0: no checkbox). The unit is the finest that keeps the steps few: days up
    to 92 days, weeks (from Monday) up to a year, months up to 30 years, else years."""

    unit: Literal["day", "week", "month", "year"]
    steps: list[TimeStep]
    undated: int


class LegendSize(TypedDict):
    """A figure (``13,000``) and its symbol's size: a circle's diameter or a
    line's width, in CSS pixels."""

    label: str
    px: float


class LegendScale(TypedDict):
    """One size scale of the map, shared by every layer: ``Circle area ∝
    fatalities``; its symbol (``circle`` or ``line``) and sample sizes."""

    label: str
    symbol: Literal["circle", "line"]
    sizes: list[LegendSize]


class LegendMark(TypedDict):
    """How a point symbol shows its placement (:data:`Placed`), and what it means."""

    placed: Placed
    label: str


class LegendEntry(TypedDict):
    """One overlay in the legend; ``label`` counts its events, ``description``
    is the label's hover text."""

    label: str
    color: str
    symbol: str  # flow | animated | circle | area | dot | line (LayerSpec.symbol)
    description: str


class LegendBlock(TypedDict):
    """The legend (bottom right): an entry per overlay, the size scales, the
    placement marks in use, then lines of notes."""

    entries: list[LegendEntry]
    scales: list[LegendScale]
    marks: list[LegendMark]
    notes: list[str]


class AttributionBlock(TypedDict):
    """The attribution line's parts (software, data), shown joined by middle dots,
    and, for print only, the documents the events come from and the sources
    they cite (most cited first), each list at most 30 names then "and N more"."""

    parts: list[str]
    documents: list[str]
    sources: list[str]


class LayerControlBlock(TypedDict):
    """Leaflet's layer control, listing every overlay by its name."""

    position: str  # Leaflet's: topleft | topright | bottomleft | bottomright
    collapsed: bool


class BasemapLabel(TypedDict):
    """A name on the embedded basemap, shown from zoom ``zoom`` on (countries
    always, admin-1 regions and cities from 5-6, towns from 7), in the order
    the page places them when they would collide (see ``maps.basemap``)."""

    text: str
    lat: float
    lon: float
    level: Literal["country", "region", "city", "town"]
    zoom: int


class BasemapBlock(TypedDict):
    """The embedded basemap (the default page), under the overlays and not
    interactive: GeoJSON ``FeatureCollection``\\ s (countries, then regions),
    the Leaflet path style of each, and labels."""

    layers: list[dict]
    styles: list[dict]
    labels: list[BasemapLabel]


# --------------------------------------------------------------------------- filters


class KindOption(TypedDict):
    """A kind of event (its id, as the fragment's ``kind=`` names it), on
    which overlay (``layer``: its name) and in what colour."""

    id: str
    label: str
    count: int
    color: str
    layer: str


class ValueOption(TypedDict):
    """A sub-type or an actor, as the data spells it."""

    value: str
    count: int


class CountryOption(TypedDict):
    """A country (ISO2 ``id``), named as the gazetteer names it."""

    id: str
    name: str
    count: int


class RegionOption(TypedDict):
    """An admin-1 region of the gazetteer (``ne:UA-63``), and its country (ISO2)."""

    id: str
    name: str
    country: str
    count: int


class PrecisionOption(TypedDict):
    """A place precision (:data:`geo.model.PRECISIONS`) and its name in the panel."""

    id: str
    label: str
    count: int


class FatalitiesRange(TypedDict):
    """The largest fatalities figure (None: no event has one) and how many have one."""

    max: float | None
    count: int


class FilterBlock(TypedDict):
    """What the page filters by (``Eventmap.filters``): every option the
    drawn events have, with how many have it (an empty list: the panel hides
    that filter).

    ``total`` counts the events drawn (place features are not events);
    ``kinds`` are in legend order (then by count), ``sub_types``, ``actors``,
    ``countries`` and ``regions`` by count (descending), then value or id,
    ``precisions`` in :data:`geo.model.PRECISIONS` order. ``aggregate`` is how
    point events are first shown (:data:`AGGREGATES`).
    ``shapes`` is a GeoJSON FeatureCollection of the regions listed, in id
    order, properties ``{id, name}``, simplified (0.02°, 3 decimals), for the
    choropleth.
    """

    total: int
    kinds: list[KindOption]
    sub_types: list[ValueOption]
    actors: list[ValueOption]
    countries: list[CountryOption]
    regions: list[RegionOption]
    precisions: list[PrecisionOption]
    fatalities: FatalitiesRange
    aggregate: Literal["points", "cluster", "hexbin", "region", "heat"]
    shapes: dict
