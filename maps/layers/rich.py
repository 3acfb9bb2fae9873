"""Events frame → the plain data each layer sends to the page.

:func:`build_layers` splits a frame into the map's overlays; this module draws
each event as one feature (:class:`~maps.contract.EventFeature`), its popup
from :func:`maps.popups.event_popups`. The front regions
(:mod:`maps.layers.regions`), the places claims come from
(:mod:`maps.layers.sources`) and, for large sets, column-encoded points
(:mod:`maps.layers.compact`) are built beside them.

Everything here is deterministic: rows keep file order, coordinates are rounded
to 5 decimals (about a metre), and no set or dict order leaks into output.
Flows that share a route within a layer are bundled into one line whose popup
lists every event on it, so five shipments North Korea → Russia draw one line,
not five lines on top of each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from maps.contract import BundleFeature, EventFeature, Feature, OtherFigure
from maps.filters import EventFields, event_fields
from maps.layers.compact import CompactData, encode_compact
from maps.layers.regions import front_regions
from maps.layers.shapes import display, geojson
from maps.layers.sizes import MapScale, size_layers
from maps.layers.sources import cited_places, source_places
from maps.popups import document_names, event_popups, ms, size_figure
from maps.style import BY_KEY, FRONT_KINDS, LayerSpec, css_color, placed, specs_for_kinds

__all__ = ["LayerData", "Layers", "build_layers", "event_features", "symbol_shrink", "DENSE_FROM"]


class LayerData:
    """The features of one overlay, plus what its legend needs."""

    def __init__(self, spec: LayerSpec):
        self.spec = spec
        self.features: list[Feature] = []
        #: Its point events on canvases (when compact), one per colour.
        self.compact: list[CompactData] = []

    def __len__(self) -> int:
        members = sum(len(f.get("members", [f])) for f in self.features)
        return members + sum(len(c) for c in self.compact)


class Layers(list):
    """The map's overlays (:class:`LayerData`, in legend order), the size
    scales they share (:attr:`scales`, for the legend) and, for the filters
    (:func:`maps.filters.filter_block`), every event's filter fields
    (:attr:`fields`, worked out once for all layers), which events are drawn
    (:attr:`drawn`) and each kind's layer (:attr:`specs`)."""

    scales: list[MapScale]
    fields: EventFields
    drawn: np.ndarray
    specs: dict[str, LayerSpec]


def build_layers(
    frame: gpd.GeoDataFrame,
    *,
    region_geometry: Callable[[str], shapely.Geometry] | None = None,
    compact: bool = False,
    documents: list[dict] | None = None,
    kind_labels: dict[str, str] | None = None,
    areas: bool = False,
) -> Layers:
    """Split an events frame into the map's overlays, in legend order.

    Parameters
    ----------
    frame : GeoDataFrame
        As made by :func:`geo.read_events`.
    region_geometry : callable, optional
        ``place_id -> geometry`` for region places (the front layer draws their
        polygons); the offline gazetteer's by default.
    compact : bool
        Put point events in column-encoded canvas data (``LayerData.compact``)
        instead of one feature each: for 10⁵–10⁶ events. Flows and areas stay
        features either way.
    documents : list of dict, optional
        The file's ``documents`` (id, name), when not in ``frame.attrs``.
    kind_labels : dict, optional
        Kind id → its spelling in the data (``attrs["kind_labels"]`` of
        :func:`geo.read_events`), to name the layers of kinds eventmap does not know.
    areas : bool
        Draw polygons as areas and lines as plain lines on every layer, as
        they are in any GeoDataFrame (:mod:`maps.generic`); otherwise an
        event's polygon is drawn as a symbol at its places, and its line as a flow.

    An optional ``color`` column gives an event its own colour (``#rgb``,
    ``#rrggbb``, with alpha or not, or a CSS colour name, :func:`maps.style.css_color`);
    a missing or malformed one is its layer's colour. A compact layer then draws
    one canvas per colour.
    """
    drawable = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
    kinds = frame["kind"].astype(str)
    if kind_labels is None:
        kind_labels = frame.attrs.get("kind_labels")
    specs = specs_for_kinds(kinds[drawable].value_counts().to_dict(), kind_labels)
    if areas:
        specs = _symbols_by_geometry(specs, kinds[drawable], frame.geometry[drawable])
    keys = kinds.map(lambda k: specs[k].key if k in specs else "").to_numpy()
    by_key = {**BY_KEY, **{s.key: s for s in specs.values()}}  # known layers first
    order = list(by_key)
    layers = {key: LayerData(by_key[key]) for key in order}
    # Sources cite documents by id; popups show the document's name.
    names = document_names(documents if documents is not None else frame.attrs.get("documents"))
    fields = event_fields(frame)

    colors = (
        np.array([css_color(c) for c in frame["color"].tolist()], dtype=object)
        if "color" in frame
        else None
    )

    points = np.zeros(len(frame), dtype=bool)
    if compact:
        geom_type = frame.geometry.geom_type.to_numpy()
        area_layer = np.array([by_key[k].symbol == "area" if k else False for k in keys])
        points = drawable & (geom_type == "Point") & ~area_layer
        for key in order:
            mask = points & (keys == key)
            if not mask.any():
                continue
            if colors is None:
                groups = [(by_key[key], mask)]
            else:
                # An event without a colour of its own is in its layer's.
                own = np.where(colors == None, by_key[key].color, colors)  # noqa: E711
                groups = [(replace(by_key[key], color=c), mask & (own == c))
                          for c in dict.fromkeys(own[mask].tolist())]  # fmt: skip
            layers[key].compact = [
                encode_compact(spec, frame[m], documents=names, fields=fields.take(m))
                for spec, m in groups
            ]

    for key in order:
        mask = drawable & ~points & (keys == key)
        if mask.any():
            layers[key].features = event_features(
                by_key[key], frame[mask], documents=names, areas=areas, fields=fields.take(mask)
            )
    front = drawable & kinds.isin(FRONT_KINDS).to_numpy()
    layers["front"].features += front_regions(layers["front"].spec, frame[front], region_geometry)
    cited = drawable & np.array(cited_places(frame), dtype=bool)
    layers["sources"].features += source_places(layers["sources"].spec, frame[cited])
    for data in layers.values():
        data.features = _bundle_flows(data.features)
    out = Layers(data for data in layers.values() if data.features or data.compact)
    out.scales = size_layers(out, symbol_shrink(int(drawable.sum())))
    out.fields, out.drawn, out.specs = fields, drawable, specs
    for data in out:
        # Larger symbols first, so smaller ones stay clickable on top of them.
        data.features.sort(key=lambda f: -(f.get("radius") or 0))
        _casualty_siblings(data)
    return out


def _symbols_by_geometry(specs: dict[str, LayerSpec], kinds, geoms) -> dict[str, LayerSpec]:
    """A layer of any GeoDataFrame is drawn, and shown in the legend, as its
    geometry is: areas, lines, or circles (the most common type decides)."""
    family = geoms.geom_type.map(
        lambda t: "area" if "Polygon" in t else "line" if "LineString" in t else "circle"
    )
    common = (
        pd.DataFrame({"kind": kinds.to_numpy(), "family": family.to_numpy()})
        .value_counts().reset_index()
        .sort_values(["kind", "count", "family"], ascending=[True, False, True])
        .drop_duplicates("kind")
    )  # fmt: skip
    symbol = dict(zip(common["kind"], common["family"], strict=True))
    return {
        k: replace(spec, symbol=symbol.get(k, spec.symbol), description=spec.label)
        if spec.key.startswith("kind:") else spec
        for k, spec in specs.items()
    }  # fmt: skip


def event_features(
    spec: LayerSpec,
    frame: gpd.GeoDataFrame,
    *,
    documents: Mapping[str, str] | None = None,
    areas: bool = False,
    fields: EventFields | None = None,
) -> list[EventFeature]:
    """One feature per event of one layer: its popup, its filter fields
    (``fields``, of these events: :func:`maps.filters.event_fields` of the
    frame by default) and how it is drawn (``areas``: as :func:`build_layers` says)."""
    popups = event_popups(frame, layer_label=spec.label, color=spec.color, documents=documents)
    if fields is None:
        fields = event_fields(frame)
    ends = fields.end_ms()
    actor_lists = fields.actor_lists
    fatalities = [None if v != v else v for v in fields.fatalities.tolist()]
    filter_fields = zip(
        ends, fields.sub_type.tolist(), fields.actors.tolist(), fields.country.tolist(),
        fields.region.tolist(), fatalities, fields.place_precision.tolist(), strict=True,
    )  # fmt: skip
    n = len(frame)
    precisions = frame["place_precision"].tolist() if "place_precision" in frame else [None] * n
    colors = frame["color"].tolist() if "color" in frame else [None] * n
    rows = zip(
        frame["kind"].tolist(), frame["date_start"].tolist(), frame["quantities"].tolist(),
        frame.geometry.tolist(), frame["origin"].tolist(), frame["via"].tolist(),
        frame["destination"].tolist(), frame["places"].tolist(),
        frame["lat"].tolist(), frame["lon"].tolist(), precisions, colors, strict=True,
    )  # fmt: skip
    features = []
    for i, (row, more) in enumerate(zip(rows, filter_fields, strict=True)):
        kind, start, quantities, geom, origin, via, destination, places, lat, lon = row[:10]
        precision, color = row[10:]
        end, sub_type, actors, country, region, fatal, place_precision = more
        p = popups[i]
        value, unit = size_figure(quantities)
        f = EventFeature(
            id=p["id"], kind=kind, layer_label=p["layer_label"],
            color=css_color(color) or p["color"],
            title=p["title"], date=p["date"], start=ms(start), where=p["where"],
            precision=p["precision"], figures=p["figures"], details=p["details"],
            flags=p["flags"], description=p["description"], sources=p["sources"],
            confidence=p["confidence"], status=p["status"], actors=p["actors"], notes=p["notes"],
            dashed=p["confidence"] == "low", value=value, unit=unit,
            shape="circle", placed=placed(precision), end=end, sub_type=sub_type,
            actor_names=list(actor_lists[actors]), country=country, region=region,
            fatalities=fatal, place_precision=place_precision,
        )  # fmt: skip
        lat, lon = _number(lat), _number(lon)
        line = geom.geom_type in ("LineString", "MultiLineString")
        if line and areas:
            f["shape"] = "line"
            f["geom"] = geojson(geom)
        elif line:
            f["shape"] = "flow"
            f["geom"] = geojson(geom)
            f["route"] = [origin, *via, destination]
        elif (areas or spec.symbol == "area") and geom.geom_type in ("Polygon", "MultiPolygon"):
            f["shape"] = "area"
            f["geom"] = geojson(display(geom))
        else:
            f["points"] = (
                [[round(q.lat, 5), round(q.lon, 5)] for q in places]
                if places
                else [[round(lat, 5), round(lon, 5)]]
            )
        f["lat"], f["lon"] = lat, lon
        features.append(f)
    return features


def _number(v: float | None) -> float | None:
    return None if v is None or v != v else v


#: Up to this many events, circles span their full size range; past it they
#: shrink smoothly, so that a dense map stays legible however it is drawn.
DENSE_FROM = 3000


def symbol_shrink(n: int) -> float:
    """The factor on circle sizes for a map of ``n`` events: 1 up to
    :data:`DENSE_FROM`, then ``(DENSE_FROM / n) ** 0.25``, never below 0.5.

    It depends on the events only, never on how they are drawn, so rich and
    compact layers of the same data look the same and share one legend.

    >>> symbol_shrink(30), round(symbol_shrink(30_000), 2), symbol_shrink(1_000_000)
    (1.0, 0.56, 0.5)
    """
    if n <= DENSE_FROM:
        return 1.0
    return max(0.5, (DENSE_FROM / n) ** 0.25)


def _bundle_flows(feats: list[Feature]) -> list[Feature]:
    by_route: dict[tuple, list[dict]] = {}
    order: list[tuple] = []
    for f in feats:
        key = tuple(f["route"]) if f["shape"] == "flow" else ("#", f["id"])
        if key not in by_route:
            by_route[key] = []
            order.append(key)
        by_route[key].append(f)
    out = []
    for key in order:
        group = by_route[key]
        if len(group) == 1:
            out.append(group[0])
            continue
        first = group[0]
        starts = [g["start"] for g in group]
        sized = [g for g in group if g.get("value")]
        top = max(sized, key=lambda g: g["value"]) if sized else None
        out.append(BundleFeature(
            **{k: first[k] for k in ("kind", "layer_label", "color", "geom", "shape", "route",
                                     "lat", "lon", "where")},
            id="+".join(g["id"] for g in group),
            title=f"{len(group)} events: {' → '.join(first['route'])}",
            date=None,
            start=None if None in starts else min(starts),
            value=top["value"] if top else None,
            unit=top.get("unit") if top else None,
            dashed=all(g["dashed"] for g in group),
            members=group,
        ))  # fmt: skip
    return out


def _casualty_siblings(data: LayerData) -> None:
    """On the casualty layer, each claim's popup also lists the others at its place."""
    if data.spec.key != "casualties":
        return
    at: dict[tuple, list[dict]] = {}
    for f in data.features:
        at.setdefault((f["lat"], f["lon"]), []).append(f)
    for group in at.values():
        for f in group:
            f["others"] = [
                OtherFigure(
                    label=o["figures"][0]["label"] if o["figures"] else o["title"],
                    source="; ".join(s["name"] for s in o["sources"]) or "unsourced",
                    date=o["date"],
                )
                for o in group
                if o is not f
            ]
