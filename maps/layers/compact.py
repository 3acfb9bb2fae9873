"""A compact point layer for large event sets (10⁵–10⁶ events).

folium markers cost ~340 bytes and a DOM node per event; this layer sends
columns instead of features and draws on one canvas:

* coordinates quantized to 1e-5° (about a metre) as little-endian Int32 arrays;
* dates as Int32 days since 1970, sizes as Float32;
* repeated strings (titles, places, sources, figures, actors) dictionary-encoded:
  each distinct value once, then a Uint16/Uint32 code per event;
* unique text (ids, notes) as one gzip-compressed JSON array, which the page
  decompresses with the browser's ``DecompressionStream``.

Everything is built column-wise from the events frame (no per-event Python
objects), and encodes deterministically (gzip with mtime 0).
"""

from __future__ import annotations

import base64
import gzip
import json

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.model import quantity_label
from maps.layers.rich import date_label
from maps.style import LayerSpec, SizeScale

__all__ = ["CompactData", "encode_compact"]

_NO_DAY = np.iinfo(np.int32).min  # an undated event


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _dictionary(values) -> dict:
    """Distinct values once (None for missing), then one small code per event."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    uniques = [None, *(str(u) for u in uniques)]
    codes = codes.astype(np.int64) + 1  # 0 = missing
    dtype = "<u2" if len(uniques) < 65_536 else "<u4"
    return {"values": uniques, "codes": _b64(codes.astype(dtype)), "bytes": int(dtype[-1])}


def _json_list(items: list[str]) -> str | None:
    return json.dumps(items, ensure_ascii=False) if items else None


def _first_place(places) -> str | None:
    return places[0]["name"] if places else None


def _figures(quantities) -> tuple[str | None, float]:
    """All figures of an event as one label, and the count that sizes it."""
    if not quantities:
        return None, np.nan
    label = "; ".join(quantity_label(q) for q in quantities)
    size = next((float(q["value"]) for q in quantities if q.get("value", 0) >= 1), np.nan)
    return label, size


class CompactData:
    """One layer's events, column-encoded for the page."""

    def __init__(self, spec: LayerSpec, frame: gpd.GeoDataFrame):
        self.spec = spec
        self.frame = frame
        figures = [_figures(q) for q in frame["quantities"]]
        self.figure_labels = [f[0] for f in figures]
        self.values = np.array([f[1] for f in figures], dtype=float)
        # The unit clusters sum ("fatalities"): the most common unit of the figures.
        units = pd.Series([q[0].get("unit") for q in frame["quantities"] if q], dtype=object)
        self.unit = str(units.mode().iloc[0]) if len(units) else None
        # The layer's size scale, set once the whole layer is known, so that its
        # points are sized as its rich symbols are and as its legend shows.
        self.scale: SizeScale | None = None
        self.default_radius = 6.0  # for a layer without figures

    def __len__(self) -> int:
        return len(self.frame)

    def payload(self) -> dict:
        f = self.frame
        lon = np.round(f["lon"].to_numpy(dtype=float) * 1e5).astype("<i4")
        lat = np.round(f["lat"].to_numpy(dtype=float) * 1e5).astype("<i4")
        days = f["date_start"].to_numpy(dtype="datetime64[D]")
        day = np.where(np.isnat(days), _NO_DAY, days.astype(np.int64)).astype("<i4")
        radius = (
            self.scale.sizes(self.values) if self.scale else np.full(len(f), self.default_radius)
        )
        dates = [
            date_label(d, p) if isinstance(d, str) else None
            for d, p in zip(f["date"], f["date_precision"], strict=True)
        ]
        # Lists as JSON text, dictionary-encoded like any string: a name may hold "; ".
        sources = [_json_list([s["name"] for s in row]) for row in f["sources"]]
        actors = [_json_list(list(row)) for row in f["actors"]]
        text = {
            "id": list(f["id"].astype(str)),
            "description": [None if pd.isna(v) else str(v) for v in f["description"]],
            "notes": [None if pd.isna(v) else str(v) for v in f["notes"]],
        }
        blob = gzip.compress(
            json.dumps(text, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            compresslevel=6,
            mtime=0,
        )
        return {
            "n": len(f),
            "lon": _b64(lon),
            "lat": _b64(lat),
            "day": _b64(day),
            "radius": _b64(np.round(radius, 2).astype("<f4")),
            "value": _b64(self.values.astype("<f4")),
            "unit": self.unit,
            "dict": {
                "title": _dictionary(f["title"].astype(object).where(f["title"].notna(), None)),
                "date": _dictionary(dates),
                "where": _dictionary([_first_place(p) for p in f["places"]]),
                "figures": _dictionary(self.figure_labels),
                "sources": _dictionary(sources),
                "actors": _dictionary(actors),
                "confidence": _dictionary(list(f["confidence"].astype(object))),
                "status": _dictionary(list(f["status"].astype(object))),
            },
            "text": base64.b64encode(blob).decode("ascii"),
            "layer_label": self.spec.label,
            "color": self.spec.color,
        }


def encode_compact(spec: LayerSpec, frame: gpd.GeoDataFrame) -> CompactData:
    """Column-encode the point events of one layer."""
    return CompactData(spec, frame.reset_index(drop=True))
