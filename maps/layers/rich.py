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

import geopandas as gpd
import numpy as np
import shapely

from maps.contract import BundleFeature, EventFeature, Feature, OtherFigure
from maps.layers.compact import CompactData, encode_compact
from maps.layers.regions import front_regions
from maps.layers.shapes import display, geojson
from maps.layers.sources import cited_places, source_places
from maps.popups import document_names, event_popups, ms, size_value
from maps.style import BY_KEY, FRONT_KINDS, LayerSpec, SizeScale, specs_for_kinds

__all__ = ["LayerData", "build_layers", "event_features", "symbol_shrink", "DENSE_FROM"]


class LayerData:
    """The features of one overlay, plus what its legend needs."""

    def __init__(self, spec: LayerSpec):
        self.spec = spec
        self.features: list[Feature] = []
        self.scale: SizeScale | None = None
        self.values: list[float] = []
        self.compact: CompactData | None = None  # when drawn on a canvas

    def __len__(self) -> int:
        members = sum(len(f.get("members", [f])) for f in self.features)
        return members + (len(self.compact) if self.compact is not None else 0)


def build_layers(
    frame: gpd.GeoDataFrame,
    *,
    region_geometry: Callable[[str], shapely.Geometry] | None = None,
    compact: bool = False,
    documents: list[dict] | None = None,
    kind_labels: dict[str, str] | None = None,
) -> list[LayerData]:
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
    """
    drawable = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
    kinds = frame["kind"].astype(str)
    if kind_labels is None:
        kind_labels = frame.attrs.get("kind_labels")
    specs = specs_for_kinds(kinds[drawable].value_counts().to_dict(), kind_labels)
    keys = kinds.map(lambda k: specs[k].key if k in specs else "").to_numpy()
    by_key = {**BY_KEY, **{s.key: s for s in specs.values()}}  # known layers first
    order = list(by_key)
    layers = {key: LayerData(by_key[key]) for key in order}
    # Sources cite documents by id; popups show the document's name.
    names = document_names(documents if documents is not None else frame.attrs.get("documents"))

    points = np.zeros(len(frame), dtype=bool)
    if compact:
        geom_type = frame.geometry.geom_type.to_numpy()
        area_layer = np.array([by_key[k].symbol == "area" if k else False for k in keys])
        points = drawable & (geom_type == "Point") & ~area_layer
        for key in order:
            mask = points & (keys == key)
            if mask.any():
                layers[key].compact = encode_compact(by_key[key], frame[mask], documents=names)

    for key in order:
        mask = drawable & ~points & (keys == key)
        if mask.any():
            layers[key].features = event_features(by_key[key], frame[mask], documents=names)
    front = drawable & kinds.isin(FRONT_KINDS).to_numpy()
    layers["front"].features += front_regions(layers["front"].spec, frame[front], region_geometry)
    cited = drawable & np.array(cited_places(frame), dtype=bool)
    layers["sources"].features += source_places(layers["sources"].spec, frame[cited])
    shrink = symbol_shrink(int(drawable.sum()))
    for data in layers.values():
        _finish(data, shrink)
    return [data for data in layers.values() if data.features or data.compact is not None]


def event_features(
    spec: LayerSpec, frame: gpd.GeoDataFrame, *, documents: Mapping[str, str] | None = None
) -> list[EventFeature]:
    """One feature per event of one layer: its popup, and how it is drawn."""
    popups = event_popups(frame, layer_label=spec.label, color=spec.color, documents=documents)
    rows = zip(
        frame["kind"].tolist(), frame["date_start"].tolist(), frame["quantities"].tolist(),
        frame.geometry.tolist(), frame["origin"].tolist(), frame["via"].tolist(),
        frame["destination"].tolist(), frame["places"].tolist(),
        frame["lat"].tolist(), frame["lon"].tolist(), strict=True,
    )  # fmt: skip
    features = []
    for i, (kind, start, quantities, geom, origin, via, destination, places, lat, lon) in enumerate(
        rows
    ):
        p = popups[i]
        f = EventFeature(
            id=p["id"], kind=kind, layer_label=p["layer_label"], color=p["color"],
            title=p["title"], date=p["date"], start=ms(start), where=p["where"],
            figures=p["figures"], description=p["description"], sources=p["sources"],
            confidence=p["confidence"], status=p["status"], actors=p["actors"], notes=p["notes"],
            dashed=p["confidence"] == "low", value=size_value(quantities),
            shape="circle",
        )  # fmt: skip
        lat, lon = _number(lat), _number(lon)
        if geom.geom_type in ("LineString", "MultiLineString"):
            f["shape"] = "flow"
            f["geom"] = geojson(geom)
            f["route"] = [origin, *via, destination]
        elif spec.symbol == "area" and geom.geom_type in ("Polygon", "MultiPolygon"):
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


def _finish(data: LayerData, shrink: float = 1.0) -> None:
    """Bundle shared routes, set symbol sizes, order small symbols on top."""
    feats = _bundle_flows(data.features)
    values = [f["value"] for f in feats if f.get("value")]
    if data.compact is not None:
        sized = data.compact.values[np.isfinite(data.compact.values) & (data.compact.values > 0)]
        if sized.size:
            values += [float(sized.min()), float(sized.max())]
    data.values = values
    if data.spec.symbol in ("flow", "animated"):
        data.scale = SizeScale(max(values), 2.5, 12.0) if values else None
    else:
        data.scale = SizeScale(max(values), 5.0 * shrink, 30.0 * shrink) if values else None
    if data.compact is not None:
        data.compact.scale, data.compact.default_radius = data.scale, 6.0 * shrink
    for f in feats:
        if f["shape"] == "flow":
            f["width"] = data.scale(f.get("value")) if data.scale else 3.0
        elif f["shape"] == "circle" and "radius" not in f:
            f["radius"] = data.scale(f.get("value")) if data.scale else 6.0 * shrink
    # Larger symbols first, so smaller ones stay clickable on top of them.
    feats.sort(key=lambda f: -(f.get("radius") or 0))
    data.features = feats
    _casualty_siblings(data)


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
        values = [g["value"] for g in group if g.get("value")]
        out.append(BundleFeature(
            **{k: first[k] for k in ("kind", "layer_label", "color", "geom", "shape", "route",
                                     "lat", "lon", "where")},
            id="+".join(g["id"] for g in group),
            title=f"{len(group)} events: {' → '.join(first['route'])}",
            date=None,
            start=None if None in starts else min(starts),
            value=max(values) if values else None,
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
