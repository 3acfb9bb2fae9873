"""A compact point layer for large event sets (10⁵–10⁶ events).

folium markers cost ~340 bytes and a DOM node per event; this layer sends
columns instead of features and draws on one canvas:

* coordinates quantized to 1e-5° (about a metre) as little-endian Int32 arrays;
* dates as Int32 days since 1970, sizes as Float32;
* repeated strings (titles, places, sources, figures, actors) dictionary-encoded:
  each distinct value once, then a Uint16/Uint32 code per event;
* unique text (ids, descriptions, notes) as one gzip-compressed JSON array,
  which the page decompresses with the browser's ``DecompressionStream``.

The popup fields are :func:`maps.popups.event_popups`' columns, so that the
page's ``decode.js`` rebuilds for each event the popup record the rich layer
sends (:class:`~maps.contract.EventPopup`): every source with its claim, date,
URL and document, every figure with the words of the report. The schema is
:class:`~maps.contract.CompactLayer`. Each distinct list is encoded once, and
the whole encodes deterministically (gzip with mtime 0).
"""

from __future__ import annotations

import base64
import gzip
import json

import geopandas as gpd
import numpy as np
import pandas as pd

from maps.contract import (
    COMPACT_COLUMNS,
    COMPACT_TEXT,
    CompactLayer,
    CompactText,
    PopupSource,
    TextRef,
)
from maps.popups import EventPopups, event_popups, size_value
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


def _json_lists(lists: list[list]) -> list[str | None]:
    """Each list as JSON text (None when empty), encoded once per distinct list
    (:func:`~maps.popups.event_popups` shares equal lists)."""
    done: dict = {}
    out = []
    for items in lists:
        k = id(items)
        if k not in done:
            done[k] = json.dumps(items, ensure_ascii=False) if items else None
        out.append(done[k])
    return out


#: A source's claim that is its event's description, as the page reads it back.
_CLAIM_IS_DESCRIPTION = TextRef(text="description")


def _source_lists(popups: EventPopups) -> list[str | None]:
    """Each event's sources as JSON text, a claim that repeats the description
    written as a reference to it (ACLED's sources claim the event's notes)."""
    done: dict = {}
    out = []
    for sources, description in zip(popups.sources, popups.description, strict=True):
        same = tuple(description is not None and s.get("claim") == description for s in sources)
        # Keyed on what is written, not on the list: each ACLED event has its
        # own list, but few distinct ones once its claim is the reference.
        k = tuple(
            (s["name"], s.get("date"), s.get("url"), s.get("document"), ref,
             None if ref else s.get("claim"))
            for s, ref in zip(sources, same, strict=True)
        )  # fmt: skip
        text = done.get(k)
        if text is None and k not in done:
            text = done[k] = _source_json(sources, same)
        out.append(text)
    return out


def _source_json(sources: list[PopupSource], same: tuple[bool, ...]) -> str | None:
    if not sources:
        return None
    items = [{**s, "claim": _CLAIM_IS_DESCRIPTION} if ref else s
             for s, ref in zip(sources, same, strict=True)]  # fmt: skip
    return json.dumps(items, ensure_ascii=False)


class CompactData:
    """One layer's events, column-encoded for the page."""

    def __init__(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, documents: dict[str, str] | None = None
    ):
        self.spec = spec
        self.frame = frame
        self.documents = documents or {}
        sizes = [size_value(q) for q in frame["quantities"]]
        self.values = np.array([np.nan if v is None else v for v in sizes], dtype=float)
        # The unit clusters sum ("fatalities"): the most common unit of the figures.
        units = pd.Series([q[0].unit for q in frame["quantities"] if q], dtype=object)
        self.unit = str(units.mode().iloc[0]) if len(units) else None
        # The layer's size scale, set once the whole layer is known, so that its
        # points are sized as its rich symbols are and as its legend shows.
        self.scale: SizeScale | None = None
        self.default_radius = 6.0  # for a layer without figures

    def __len__(self) -> int:
        return len(self.frame)

    def payload(self) -> CompactLayer:
        f = self.frame
        popups = event_popups(
            f, layer_label=self.spec.label, color=self.spec.color, documents=self.documents
        )
        lon = np.round(f["lon"].to_numpy(dtype=float) * 1e5).astype("<i4")
        lat = np.round(f["lat"].to_numpy(dtype=float) * 1e5).astype("<i4")
        days = f["date_start"].to_numpy(dtype="datetime64[D]")
        day = np.where(np.isnat(days), _NO_DAY, days.astype(np.int64)).astype("<i4")
        radius = (
            self.scale.sizes(self.values) if self.scale else np.full(len(f), self.default_radius)
        )
        # Lists as JSON text, dictionary-encoded like any string: a name may hold "; ".
        lists = {
            "figures": _json_lists(popups.figures),
            "sources": _source_lists(popups),
            "actors": _json_lists(popups.actors),
        }
        columns = {
            name: lists[name] if name in lists else getattr(popups, name)
            for name in COMPACT_COLUMNS
        }
        text = CompactText(**{name: getattr(popups, name) for name in COMPACT_TEXT})
        blob = gzip.compress(
            json.dumps(text, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            compresslevel=6,
            mtime=0,
        )
        return CompactLayer(
            n=len(f),
            lon=_b64(lon),
            lat=_b64(lat),
            day=_b64(day),
            radius=_b64(np.round(radius, 2).astype("<f4")),
            value=_b64(self.values.astype("<f4")),
            unit=self.unit,
            dict={name: _dictionary(values) for name, values in columns.items()},
            text=base64.b64encode(blob).decode("ascii"),
            layer_label=self.spec.label,
            color=self.spec.color,
        )


def encode_compact(
    spec: LayerSpec, frame: gpd.GeoDataFrame, *, documents: dict[str, str] | None = None
) -> CompactData:
    """Column-encode the point events of one layer; ``documents`` maps a
    document id to the name its sources' popups show."""
    return CompactData(spec, frame.reset_index(drop=True), documents)
