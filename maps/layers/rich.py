"""Events frame → the plain data each layer sends to the page.

Everything here is deterministic: rows keep file order, coordinates are rounded
to 5 decimals (about a metre), and no set or dict order leaks into output.
Flows that share a route within a layer are bundled into one line whose popup
lists every event on it, so five shipments North Korea → Russia draw one line,
not five lines on top of each other.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.model import quantity_label
from maps.style import BY_KEY, FRONT_KINDS, LayerSpec, SizeScale, specs_for_kinds

__all__ = ["LayerData", "build_layers", "date_label", "month_label", "ms"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def month_label(ts: pd.Timestamp, *, short: bool = False) -> str:
    """``June 2025``, or ``Jun 2025`` with ``short``."""
    name = _MONTHS[ts.month - 1]
    return f"{name[:3] if short else name} {ts.year}"


def date_label(date: str | None, precision: str | None) -> str | None:
    """``2025-06`` → ``June 2025``; ``2024-06-19`` → ``19 June 2024``."""
    if not date:
        return None
    parts = date.split("-")
    if precision == "year" or len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    if precision == "month" or len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def _none_if_missing(v):
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    return v


def ms(ts: pd.Timestamp | None) -> int | None:
    """Milliseconds since 1970 (JavaScript time), or None for a missing date."""
    if ts is None or pd.isna(ts):
        return None
    return int((ts - pd.Timestamp("1970-01-01")) // pd.Timedelta(milliseconds=1))


def _geojson(geom: shapely.Geometry, decimals: int = 5) -> dict:
    """GeoJSON with rounded coordinates (plain rounding: no topology to break)."""
    return shapely.geometry.mapping(shapely.transform(geom, lambda c: np.round(c, decimals)))


def _display(geom: shapely.Geometry) -> shapely.Geometry:
    """Simplify an area in proportion to its size: Russia does not need the
    detail of Kursk Oblast to be drawn at the scale it is seen at."""
    tolerance = max(0.005, float(np.sqrt(geom.area)) / 500)
    return shapely.simplify(geom, tolerance, preserve_topology=True)


def _size_value(quantities: list[dict]) -> float | None:
    """The figure that sizes a symbol: the event's first count (shares don't size)."""
    for q in quantities:
        if q.get("value", 0) >= 1:
            return float(q["value"])
    return None


class LayerData:
    """The features of one overlay, plus what its legend needs."""

    def __init__(self, spec: LayerSpec):
        self.spec = spec
        self.features: list[dict] = []
        self.scale: SizeScale | None = None
        self.values: list[float] = []
        self.compact = None  # maps.layers.compact.CompactData when drawn on a canvas

    def __len__(self) -> int:
        members = sum(len(f.get("members", [f])) for f in self.features)
        return members + (len(self.compact) if self.compact is not None else 0)


def _base(row: dict, spec: LayerSpec, documents: dict[str, str]) -> dict:
    where = None
    if row["origin"]:
        stops = [row["origin"], *row["via"], row["destination"]]
        where = " → ".join(stops)
        if row["length_km"] is not None:
            where += f" ({row['length_km']:,.0f} km)"
    elif row["places"]:
        where = ", ".join(p["name"] for p in row["places"])
    return {
        "id": row["id"],
        "kind": row["kind"],
        "layer_label": spec.label,
        "color": spec.color,
        "title": row["title"],
        "date": date_label(row["date"], row["date_precision"]),
        "start": ms(row["date_start"]),
        "where": where,
        "figures": [{"label": quantity_label(q), "text": q.get("text")} for q in row["quantities"]],
        "description": row["description"],
        "sources": [
            {
                **{k: s[k] for k in ("name", "date", "claim", "url") if s.get(k)},
                **(
                    {"document": documents.get(s["document"], s["document"])}
                    if s.get("document")
                    else {}
                ),
            }
            for s in row["sources"]
        ],
        "confidence": row["confidence"],
        "status": row["status"],
        "actors": list(row["actors"]),
        "notes": row["notes"],
        "dashed": row["confidence"] == "low",
    }


def build_layers(
    frame: gpd.GeoDataFrame,
    *,
    region_geometry=None,
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

    points = np.zeros(len(frame), dtype=bool)
    if compact:
        geom_type = frame.geometry.geom_type.to_numpy()
        area_layer = np.array([by_key[k].symbol == "area" if k else False for k in keys])
        points = drawable & (geom_type == "Point") & ~area_layer
        from maps.layers.compact import encode_compact

        for key in order:
            mask = points & (keys == key)
            if mask.any():
                layers[key].compact = encode_compact(by_key[key], frame[mask])

    # Sources cite documents by id; popups show the document's name.
    names = {
        str(d["id"]): str(d.get("name") or d["id"])
        for d in (documents if documents is not None else frame.attrs.get("documents")) or []
        if isinstance(d, dict) and d.get("id")
    }
    for row in _records(frame[drawable & ~points]):
        spec = specs[row["kind"]]
        layers[spec.key].features.append(_event_feature(row, spec, names))
    front_rows = _records(frame[drawable & kinds.isin(FRONT_KINDS).to_numpy()])
    _front_regions(layers["front"], front_rows, region_geometry)
    cited = np.array([any("lat" in s for s in row) for row in frame["sources"]], dtype=bool)
    _sources(layers["sources"], _records(frame[drawable & cited]))
    shrink = symbol_shrink(int(drawable.sum()))
    for data in layers.values():
        _finish(data, shrink)
    return [data for data in layers.values() if data.features or data.compact is not None]


def _records(frame: gpd.GeoDataFrame) -> list[dict]:
    # pandas stores missing text as NaN (pandas 3 even for None): make it None again.
    return [{k: _none_if_missing(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _event_feature(row: dict, spec: LayerSpec, documents: dict[str, str]) -> dict:
    f = _base(row, spec, documents)
    f["value"] = _size_value(row["quantities"])
    geom = row["geometry"]
    if geom.geom_type in ("LineString", "MultiLineString"):
        f["shape"] = "flow"
        f["geom"] = _geojson(geom)
        f["route"] = [row["origin"], *row["via"], row["destination"]]
    elif spec.symbol == "area" and geom.geom_type in ("Polygon", "MultiPolygon"):
        f["shape"] = "area"
        f["geom"] = _geojson(_display(geom))
    else:
        f["shape"] = "circle"
        f["points"] = _points(row)
    f["lat"], f["lon"] = row["lat"], row["lon"]
    return f


def _points(row: dict) -> list[list[float]]:
    """Symbol positions: each place's representative point."""
    if row["places"]:
        return [[round(p["lat"], 5), round(p["lon"], 5)] for p in row["places"]]
    return [[round(row["lat"], 5), round(row["lon"], 5)]]


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


def _bundle_flows(feats: list[dict]) -> list[dict]:
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
        out.append({
            **{k: first[k] for k in ("kind", "layer_label", "color", "geom", "shape", "route",
                                     "lat", "lon", "where")},
            "id": "+".join(g["id"] for g in group),
            "title": f"{len(group)} events: {' → '.join(first['route'])}",
            "date": None,
            "start": None if None in starts else min(starts),
            "value": max(values) if values else None,
            "dashed": all(g["dashed"] for g in group),
            "members": group,
        })  # fmt: skip
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
                {
                    "label": o["figures"][0]["label"] if o["figures"] else o["title"],
                    "source": "; ".join(s["name"] for s in o["sources"]) or "unsourced",
                    "date": o["date"],
                }
                for o in group
                if o is not f
            ]


def _front_regions(data: LayerData, rows: Iterable[dict], region_geometry) -> None:
    """The polygons of the regions where fighting, losses or deployments are placed."""
    regions: dict[str, dict] = {}
    for row in rows:
        if row["kind"] not in FRONT_KINDS:
            continue
        for p in row["places"]:
            if p["kind"] != "region":
                continue
            entry = regions.setdefault(p["id"], {"place": p, "rows": []})
            entry["rows"].append(row)
    if not regions:
        return
    if region_geometry is None:
        from geo import default_gazetteer

        region_geometry = default_gazetteer().geometry
    spec = data.spec
    for pid, entry in regions.items():
        place, related = entry["place"], entry["rows"]
        known = [r["date_start"] for r in related if r["date_start"] is not None]
        geom = _display(region_geometry(pid))
        data.features.append({
            "id": f"region:{pid}",
            "kind": "front_region",
            "layer_label": spec.label,
            "color": spec.color,
            "shape": "area",
            "geom": _geojson(geom),
            "title": f"{place['name']} — front region",
            "date": month_label(min(known)) if known else None,
            "start": ms(min(known)) if known else None,
            "where": f"{place['name']} ({place['country']})",
            "figures": [],
            "description": "Events placed here: " + "; ".join(r["title"] for r in related),
            "sources": [{"name": place["source"], "claim": f"Boundary of {place['name']}"}],
            "lat": place["lat"], "lon": place["lon"],
            "dashed": False,
        })  # fmt: skip


def _sources(data: LayerData, rows: Iterable[dict]) -> None:
    """One symbol per place a claim comes from, listing the claims made there."""
    spec = data.spec
    at: dict[tuple, dict] = {}
    for row in rows:
        for s in row["sources"]:
            if s.get("lat") is None:
                continue
            key = (s["lat"], s["lon"])
            entry = at.setdefault(key, {"place": s["place"], "claims": [], "starts": []})
            entry["claims"].append({
                "name": s["name"],
                "date": s.get("date") or date_label(row["date"], row["date_precision"]),
                "claim": s.get("claim") or row["title"],
                "url": s.get("url"),
            })  # fmt: skip
            entry["starts"].append(ms(row["date_start"]))
    for (lat, lon), entry in at.items():
        names = sorted({c["name"] for c in entry["claims"]})
        starts = entry["starts"]
        data.features.append({
            "id": f"source:{entry['place']}",
            "kind": "source",
            "layer_label": spec.label,
            "color": spec.color,
            "shape": "circle",
            "radius": 7.0,
            "points": [[round(lat, 5), round(lon, 5)]],
            "title": f"{entry['place']}: {len(entry['claims'])} claim(s) from {', '.join(names)}",
            "date": None,
            "start": None if None in starts else min(starts),
            "where": entry["place"],
            "figures": [],
            "description": None,
            "sources": [{k: v for k, v in c.items() if v} for c in entry["claims"]],
            "lat": lat, "lon": lon,
            "dashed": False,
        })  # fmt: skip
