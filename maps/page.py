"""Events → an interactive, self-contained HTML map.

:class:`EventMap` is what users hold: in a notebook it displays itself
(``_repr_html_``), for a report it gives an embeddable ``<iframe srcdoc>``
fragment, and :meth:`EventMap.save` writes the page atomically. The same
events always give byte-identical HTML.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo import InputError, read_events
from maps._ids import deterministic_ids
from maps._output import write_atomic
from maps.assets import load_assets
from maps.basemap import basemap_layers, tile_layer
from maps.contract import (
    AttributionBlock,
    LegendBlock,
    OverlayOptions,
    TimeBlock,
    TimeStep,
    TitleBlock,
)
from maps.elements import (
    SURROGATE,
    Attribution,
    Basemap,
    EventLayer,
    Filters,
    LayerControl,
    Legend,
    Ready,
    Runtime,
    TimeControl,
    Title,
)
from maps.filters import AGGREGATES, filter_block
from maps.generic import as_events, is_events_frame, without_attrs
from maps.labels import count_label, month_label
from maps.layers.rich import Layers, build_layers
from maps.layers.sizes import legend_scales
from maps.layers.sources import capped_names, cited_sources, document_names
from maps.popups import ms
from maps.style import AREA_STYLE, GENERIC_AREA, PLACED_LABELS, placed

__all__ = ["EventMap", "render", "MapSummary", "COMPACT_THRESHOLD", "AGGREGATES"]

#: Above this many events, ``layer="auto"`` draws points on a canvas: past a few
#: thousand SVG markers, pages slow down and then stop drawing (folium #1399).
COMPACT_THRESHOLD = 3000

#: The initial fit's top padding (px): the top-left stack of zoom buttons,
#: title and filter panel (search box and its bar, maps/js/panel.js) ends
#: 245 px down at 1280 x 800 with a one-line title; 10 px more of air.
_FIT_TOP = 255


def _aggregate(value: bool | str) -> str:
    if value is True or value is False:
        return "cluster" if value else "points"
    if value not in AGGREGATES:
        raise InputError(f"aggregate: expected one of {', '.join(AGGREGATES)}, got {value!r}")
    return value


def _version() -> str:
    try:
        return version("eventmap")
    except PackageNotFoundError:
        return "dev"


class _Map(folium.Map):
    """folium's Map without its CDN links: eventmap inlines what it needs."""

    default_js: list = []
    default_css: list = []


@dataclass
class MapSummary:
    """What a render produced, for the CLI's report and for tests."""

    events: int
    drawn: int
    places: int
    unresolved: list = field(default_factory=list)
    layers: dict = field(default_factory=dict)


class EventMap:
    """An interactive map of events.

    Parameters
    ----------
    events : GeoDataFrame
        As read by :func:`geo.read_events`, or any GeoDataFrame of points,
        lines or polygons, in any CRS, as ``gdf.explore()`` takes it
        (:func:`maps.generic.as_events`): each row is drawn, its columns shown
        in its popup.
    title : str, optional
        Defaults to the data file's title.
    tiles : str, optional
        Online tiles instead of the embedded basemap: any xyzservices provider
        name without an API key (``"Esri.WorldGrayCanvas"``, ``"OpenTopoMap"``). By default
        the page embeds its basemap (countries, admin-1 borders, towns) and
        makes no network request at all.
    offline : bool
        The embedded basemap even if ``tiles`` is given (the default anyway).
    aggregate : {"points", "cluster", "hexbin", "region", "heat"}
        How point events are first shown (the page can switch): each event,
        counted clusters when zoomed out, hexagon bins, a choropleth of admin-1
        regions, or a heatmap. ``True`` is ``"cluster"``, ``False`` ``"points"``.
    rejects_file : str or path, optional
        Where the records the reader rejected (``events.attrs["rejected"]``)
        are listed; the map's note on them names it.
    flagged_file : str or path, optional
        Where the events placed with a doubt (``events.attrs["flagged"]``) are
        listed; the map's note on them names it.
    kind : str, optional
        The column whose values are the layers, each in its own colour
        (default: the events' ``kind``; any other GeoDataFrame: one layer).
    size : str, optional
        A numeric column that sizes the symbols (circle area, line width).
    color : str, optional
        A categorical column that colours the symbols (default: ``kind``'s);
        without ``kind``, its values are the layers too.
    popup : bool or list of str, optional
        The columns a popup lists (``True``: all but the geometry, the
        default for a GeoDataFrame that is not an events frame).
    tooltip : str or list of str, optional
        The column(s) the tooltip shows (default: the first text column).

    Examples
    --------
    >>> import geo, maps
    >>> m = maps.EventMap(geo.read_events("data/events/dprk-russia.yaml"))  # doctest: +SKIP
    >>> m.save("dprk-russia.html")                                          # doctest: +SKIP
    >>> maps.EventMap(geopandas.read_file("countries.gpkg"), kind="continent",
    ...               tooltip="name", size="pop_est")                       # doctest: +SKIP
    """

    def __init__(
        self,
        events: gpd.GeoDataFrame,
        *,
        title: str | None = None,
        offline: bool = False,
        tiles: str | None = None,
        height: str = "600px",
        layer: str = "auto",
        compact_threshold: int = COMPACT_THRESHOLD,
        aggregate: bool | str = "points",
        rejects_file: str | os.PathLike | None = None,
        flagged_file: str | os.PathLike | None = None,
        kind: str | None = None,
        size: str | None = None,
        color: str | None = None,
        popup: bool | list[str] | None = None,
        tooltip: str | list[str] | None = None,
    ):
        if layer not in ("auto", "rich", "compact"):
            raise InputError(f"layer: expected 'auto', 'rich' or 'compact', got {layer!r}")
        generic = not is_events_frame(events) or any(
            v is not None for v in (kind, size, color, popup, tooltip)
        )
        if generic:
            events = as_events(
                events, kind=kind, size=size, color=color, popup=popup, tooltip=tooltip
            )
        #: The frame as given (after ``as_events``), its attrs with it.
        self.events = events
        # pandas deep-copies ``attrs`` on nearly every operation, and a reader's
        # list every rejected and flagged record: take them out once, and work
        # on the same columns without them.
        self._attrs = dict(events.attrs)
        self._frame = without_attrs(events)
        self.rejects_file = None if rejects_file is None else str(rejects_file)
        self.flagged_file = None if flagged_file is None else str(flagged_file)
        # A title is shown as text; a lone surrogate (argv in a broken locale,
        # a damaged file) could not be written as UTF-8, so it shows as U+FFFD.
        self.title = SURROGATE.sub("\ufffd", str(title or self._attrs.get("title") or "Events"))
        #: Online tiles (an xyzservices name), or None: the embedded basemap.
        self.tiles = None if offline else tiles
        self.height = height
        #: How point events are first shown (:data:`AGGREGATES`).
        self.aggregate = _aggregate(aggregate)
        #: "rich" draws one feature per event; "compact" draws point events on
        #: a canvas from column-encoded data (see maps.layers.compact).
        self.layer = layer if layer != "auto" else (
            "compact" if len(events) > compact_threshold else "rich"
        )  # fmt: skip
        self._layers: Layers = build_layers(
            self._frame,
            compact=self.layer == "compact",
            documents=self._attrs.get("documents"),
            kind_labels=self._attrs.get("kind_labels"),
            areas=bool(self._attrs.get("generic")),
        )
        self._html: str | None = None

    # ------------------------------------------------------------------ outputs

    def html(self) -> str:
        """The whole page as text (built once, then cached)."""
        if self._html is None:
            with deterministic_ids():
                figure = self._build().get_root()
                self._html = figure.render()
        return self._html

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page; a crash never leaves a half-written file behind.

        Raises
        ------
        geo.OutputError
            When ``path`` cannot be written (a folder, a folder that is a file,
            no permission).
        """
        return write_atomic(path, self.html().encode("utf-8"))

    def to_iframe(self, *, width: str = "100%", height: str | None = None) -> str:
        """An embeddable fragment: the page in a sandboxed ``<iframe srcdoc>``.

        The page as it is, not packed as a notebook output is: a fragment is
        served by a web server, which compresses it anyway, and read by any
        browser, years later, with nothing to unpack.
        """
        from maps._packed import iframe

        return iframe(self.html(), title=self.title, width=width, height=height or self.height)

    def to_image(
        self,
        target: str | os.PathLike | IO[bytes],
        *,
        format: str | None = None,
        size: str = "A4",
        landscape: bool = False,
        dpi: int = 300,
        extent: tuple[float, float, float, float] | None = None,
        facet: str | None = None,
    ):
        """A print-quality static map: SVG, PDF or PNG, drawn without a browser.

        The same layers, colours, size scales, legend and provenance as the
        page, on the same embedded basemap, with a scale bar, the time span
        and a sources line. Text stays text in SVG and PDF; two calls give
        identical bytes.

        Parameters
        ----------
        target : str, path or binary file
            Where to write (a path is written atomically).
        format : {"svg", "pdf", "png"}, optional
            Default: ``target``'s extension (required for a buffer).
        size : str
            ``"A4"`` (default), ``"A5"``, ``"letter"`` or ``"WxH"`` in mm or
            in (``"180x120mm"``, ``"7x5in"``): the whole figure.
        landscape : bool
            Turn the paper size.
        dpi : int
            Pixels per inch of a PNG (and of any raster part of a PDF).
        extent : (west, south, east, north), optional
            The area drawn, in degrees (default: the data's, as the page fits it).
        facet : {"month", "kind"}, optional
            Small multiples: one panel per month or per kind, one shared legend.

        Returns
        -------
        pathlib.Path or None
            The path written, or None for a buffer.

        Examples
        --------
        >>> m = maps.EventMap(geo.read_events("data/events/dprk-russia.yaml"))  # doctest: +SKIP
        >>> m.to_image("dprk-russia.pdf", size="A4", landscape=True)             # doctest: +SKIP
        """
        from maps.figure import to_image

        return to_image(
            self, target, format=format, size=size, landscape=landscape, dpi=dpi,
            extent=extent, facet=facet,
        )  # fmt: skip

    def _repr_html_(self) -> str:
        """A light notebook output: the page gzip-packed in a small boot page
        (a third of the plain iframe's size), and a plain-text message, removed when
        the frame loads, saying why a map cannot run where it does not (an
        untrusted notebook strips frames and scripts). See maps._packed."""
        from maps._packed import notebook_output

        return notebook_output(
            self.html(), title=self.title, width="100%", height=self.height,
            about=count_label(len(self._frame), "events"),
        )  # fmt: skip

    def __repr__(self) -> str:
        # The text/plain output too: what a notebook shows where HTML is not.
        layers = ", ".join(f"{d.spec.label} ({len(d):,})" for d in self._layers)
        return (
            f"<EventMap {self.title!r}: {count_label(len(self._frame), 'events')}"
            f"{'; ' + layers if layers else ''}. Interactive HTML: .save('map.html'); "
            "static: .to_image('map.pdf')>"
        )

    @property
    def summary(self) -> MapSummary:
        frame = self._frame
        drawn = int((~frame.geometry.isna() & ~frame.geometry.is_empty).sum()) if len(frame) else 0
        return MapSummary(
            events=len(frame),
            drawn=drawn,
            places=sum(p.get("id") is not None for p in self._attrs.get("places", [])),
            unresolved=list(self._attrs.get("unresolved", [])),
            layers={d.spec.label: len(d) for d in self._layers},
        )

    # ------------------------------------------------------------------ building

    def _build(self) -> folium.Map:
        generic = bool(self._attrs.get("generic"))
        # Fractional zoom lets the view fit the data instead of jumping a whole level.
        m = _Map(
            location=None, tiles=None, control_scale=True, zoom_snap=0.25, zoom_delta=0.5,
            max_zoom=18,  # the embedded basemap has no tile layer to set one; fitBounds needs it
        )  # fmt: skip
        root = m.get_root()
        root.title = html.escape(self.title)
        root.header.add_child(Runtime(), name="eventmap_runtime")
        if self.tiles is None:
            m.add_child(Basemap(*basemap_layers(self._frame)))
        else:
            tile_layer(self.tiles).add_to(m)
        for data in self._layers:
            options = OverlayOptions(
                symbol=data.spec.symbol,
                className="em-animated" if data.spec.symbol == "animated" else "",
                aggregate=self.aggregate == "cluster",
                lane=self._lane(data.spec.key),
                dated=not self._attrs.get("generic"),
                **AREA_STYLE.get(data.spec.key, GENERIC_AREA if generic else {}),
            )
            compact = [c.payload() for c in data.compact]
            m.add_child(
                EventLayer(
                    data.spec.label, data.features, options, compact=compact, key=data.spec.key
                )
            )
        m.add_child(
            Title(TitleBlock(title=self.title, subtitle=self._subtitle(), notices=self._notices()))
        )
        timeline = self._timeline()
        if timeline["steps"] or not generic:  # a GeoDataFrame without dates has no time
            m.add_child(TimeControl(timeline))
        m.add_child(Legend(self._legend()))
        m.add_child(Attribution(AttributionBlock(
            parts=self._provenance(),
            documents=capped_names(document_names(self._attrs)),
            sources=capped_names(cited_sources(self._frame)),
        )))  # fmt: skip
        m.add_child(LayerControl(position="topright", collapsed=False))
        m.add_child(Filters(filter_block(self._frame, self._layers, aggregate=self.aggregate)))
        m.add_child(Ready())
        bounds = self._bounds()
        if bounds:
            # Keep the data clear of the title and the filter panel (top
            # left, _FIT_TOP), the legend (right) and the time slider (bottom
            # left). A single place should not fit to street level.
            fit = folium.map.FitBounds(
                bounds, padding_top_left=(24, _FIT_TOP), padding_bottom_right=(250, 90), max_zoom=7
            )
            fit.options["animate"] = False  # open at the final view, not mid-zoom
            m.add_child(fit)
        return m

    def _lane(self, key: str) -> float:
        """How far (px) beyond its route a layer's flows are drawn.

        Shipments travel the same corridors, in the same direction, as troops
        (Pyongyang → Moscow and → Kursk share most of a great circle), so supply
        runs in a lane beside the widest troop flow. Flows in the opposite
        direction are already apart: each is drawn on the right of its travel.
        """
        if key != "supply":
            return 0.0
        widths = [f["width"] for d in self._layers if d.spec.key == "deployments"
                  for f in d.features if f["shape"] == "flow"]  # fmt: skip
        return max(widths) + 3.0 if widths else 0.0

    def _subtitle(self) -> str:
        frame = self._frame
        starts = frame["date_start"].dropna()
        span = ""
        if len(starts):
            lo, hi = starts.min(), starts.max()
            span = f" · {month_label(lo, short=True)} – {month_label(hi, short=True)}"
        source = Path(self._attrs.get("file") or "").name
        noun = "features" if self._attrs.get("generic") else "events"
        return count_label(len(frame), noun) + span + (f" · data: {source}" if source else "")

    def _notices(self) -> list[str]:
        """What the reader rejected or doubted, said on the map itself."""
        attrs = self._attrs
        out = []
        rejected = attrs.get("rejected") or []
        if len(rejected):
            note = count_label(len(rejected), "records") + " rejected"
            if self.rejects_file:
                note += f" (listed in {Path(self.rejects_file).name})"
            out.append(note)
        flagged = attrs.get("flagged") or []
        if len(flagged):
            see = "see its popup" if len(flagged) == 1 else "see their popups"
            if self.flagged_file:
                see += f" (listed in {Path(self.flagged_file).name})"
            out.append(f"{count_label(len(flagged), 'events')} flagged: {see}")
        return out

    def _timeline(self) -> TimeBlock:
        frame = self._frame
        starts = frame["date_start"].dropna()
        undated = int(frame["date_start"].isna().sum())
        if not len(starts):
            return TimeBlock(unit="month", steps=[], undated=undated)
        first = starts.min().normalize()
        last = frame["date_end"].fillna(frame["date_start"]).max().normalize()
        unit = time_unit(first, last)
        periods = pd.period_range(first, last, freq=_PERIOD[unit])
        t0 = periods.start_time
        steps = [
            TimeStep(label=_step_label(start, unit), token=_step_token(start, unit),
                     t0=ms(start), t1=ms(end))
            for start, end in zip(t0, periods.end_time.floor("ms"), strict=True)
        ]  # fmt: skip
        return TimeBlock(unit=unit, steps=steps, undated=undated)

    def _legend(self) -> LegendBlock:
        entries = [
            {
                "label": f"{data.spec.label} ({len(data):,})",
                "color": data.spec.color,
                "symbol": data.spec.symbol,
                "description": data.spec.description,
            }
            for data in self._layers
        ]
        colors = self._attrs.get("colors")
        if colors:  # EventMap(color=...) besides kind=: each value's colour
            entries += [
                {"label": f"{colors['column']}: {value}", "color": c, "symbol": "circle",
                 "description": f"Colour of {colors['column']} {value}"}
                for value, c in colors["values"].items()
            ]  # fmt: skip
        features = [f for data in self._layers for f in data.features]
        said = []  # only what this map draws (an ACLED map has no flows, nothing dashed)
        if any(f.get("dashed") and f.get("kind") != "source" for f in features):
            said.append("Dashed: low confidence.")
        if any(f["shape"] == "flow" for f in features):
            said.append("Lines follow great circles.")
        notes = [" ".join(said)] if said else []
        generic = self._attrs.get("generic")
        notes.append("Click a symbol for its data." if generic else
                     "Click a symbol for its figures and sources.")  # fmt: skip
        unresolved = self._attrs.get("unresolved") or []
        if unresolved:
            names = sorted({u.name for u in unresolved})
            notes.append(f"Not placed ({len(names)}): " + ", ".join(names))
        return {
            "entries": entries,
            "scales": legend_scales(self._layers.scales),
            "marks": self._marks(),
            "notes": notes,
        }

    def _marks(self) -> list[dict]:
        """The placements drawn on this map, when not every event is at its place."""
        frame = self._frame
        if "place_precision" not in frame or not len(frame):
            return []
        used = {placed(p) for p in frame["place_precision"].dropna().unique().tolist()}
        if used <= {"exact"}:
            return []
        return [{"placed": k, "label": PLACED_LABELS[k]} for k in PLACED_LABELS
                if k in used or k == "exact"]  # fmt: skip

    def _provenance(self) -> list[str]:
        parts = [f"eventmap {_version()}", f"Leaflet {load_assets().leaflet_version}"]
        parts.append("places: GeoNames, Natural Earth")
        if self.tiles is None:
            parts.append("basemap: Natural Earth (public domain), GeoNames (CC BY 4.0)")
        return parts

    def _bounds(self) -> list[list[float]] | None:
        """Fit the view to flows and symbols; sources and alliances would
        zoom out to half the world (London, Washington, all of China)."""
        geoms = []
        for data in self._layers:
            if data.spec.key in ("sources", "alliances"):
                continue
            for c in data.compact:
                lon = c.frame["lon"].to_numpy(dtype=float)
                lat = c.frame["lat"].to_numpy(dtype=float)
                geoms.append(shapely.box(lon.min(), lat.min(), lon.max(), lat.max()))
            for f in data.features:
                if f["shape"] in ("flow", "line", "area"):
                    geoms.append(shapely.geometry.shape(f["geom"]))
                else:
                    geoms.extend(shapely.Point(lon, lat) for lat, lon in f["points"])
        if not geoms:
            return None
        minx, miny, maxx, maxy = shapely.GeometryCollection(geoms).bounds
        return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


#: The pandas period of each time unit: weeks run Monday to Sunday.
_PERIOD = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}


def time_unit(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The time slider's step for dates from ``first`` to ``last`` (both
    days included): days up to 92 days, weeks up to a year, months up to 30
    years, else years, so that a slider has a few dozen to a few hundred steps.

    >>> [time_unit(pd.Timestamp(a), pd.Timestamp(b)) for a, b in
    ...  [("2024-01-01", "2024-03-31"), ("2024-01-01", "2024-12-31"), ("1997-01-01", "2025-06-30"),
    ...   ("1989-01-01", "2025-06-30")]]
    ['day', 'week', 'month', 'year']
    """
    days = (last - first).days + 1
    if days <= 92:
        return "day"
    if days <= 366:
        return "week"
    if last < first + pd.DateOffset(years=30):
        return "month"
    return "year"


def _step_label(start: pd.Timestamp, unit: str) -> str:
    """``19 Jun 2024``, ``Week of 17 Jun 2024``, ``Jun 2024`` or ``2024``."""
    if unit == "year":
        return str(start.year)
    if unit == "month":
        return month_label(start, short=True)
    day = f"{start.day} {month_label(start, short=True)}"
    return f"Week of {day}" if unit == "week" else day


def _step_token(start: pd.Timestamp, unit: str) -> str:
    """How the URL fragment's ``time=`` writes a step: ``2024``, ``2024-06``,
    or the day (a week's Monday) ``2024-06-17``."""
    return start.strftime({"year": "%Y", "month": "%Y-%m"}.get(unit, "%Y-%m-%d"))


def render(
    source: str | os.PathLike | gpd.GeoDataFrame,
    *,
    title: str | None = None,
    offline: bool = False,
    tiles: str | None = None,
    strict: bool = False,
    rejects_file: str | os.PathLike | None = None,
) -> EventMap:
    """Read (if given a path) and map events in one call.

    >>> maps.render("data/events/dprk-russia.yaml", offline=True).save("x.html")  # doctest: +SKIP
    """
    events = source if isinstance(source, gpd.GeoDataFrame) else read_events(source, strict=strict)
    return EventMap(events, title=title, offline=offline, tiles=tiles, rejects_file=rejects_file)
