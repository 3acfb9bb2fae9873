"""A compact point layer for large event sets (10⁵–10⁶ events).

folium markers cost ~340 bytes and a DOM node per event; this layer sends
columns instead of features and draws on one canvas:

* coordinates quantized to 1e-5° (about a metre) as little-endian Int32 arrays;
* dates as Int32 days since 1970, sizes as Float32;
* repeated strings (titles, places, sources, figures, actors, flags)
  dictionary-encoded: each distinct value once, then a Uint16/Uint32 code per event;
* the export's own fields (``details``) as one such dictionary per label, the
  codes of all labels gzip-compressed together (most labels have few values);
* unique text (ids, descriptions, notes) as one gzip-compressed JSON array,
  which the page decompresses with the browser's ``DecompressionStream``.

The popup fields are :func:`maps.popups.event_popups`' columns, so that the
page's ``decode.js`` rebuilds for each event the popup record the rich layer
sends (:class:`~maps.contract.EventPopup`): every source with its claim, date,
URL and document, every figure with the words of the report, every detail and flag. The schema is
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
    COMPACT_FILTER_COLUMNS,
    COMPACT_TEXT,
    CompactDetails,
    CompactLayer,
    CompactText,
)
from maps.filters import NO_DAY, EventFields, event_fields
from maps.labels import singular
from maps.popups import EventPopups, event_popups, size_figure
from maps.style import PLACED_CODES, LayerSpec, placed

__all__ = ["CompactData", "encode_compact"]

_NO_DAY = NO_DAY  # an undated event


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _dictionary(values) -> dict:
    """Distinct values once (None for missing), then one code per event, as
    small as the values allow. No codes at all when every event has the same
    value (the layer's kind, often its country) or every value is missing:
    ``values`` then says which (``[None, value]`` or ``[None]``)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    uniques = [None, *(str(u) for u in uniques)]
    if len(uniques) == 1 or (len(uniques) == 2 and codes.min() == 0):  # no -1: none missing
        return {"values": uniques, "codes": "", "bytes": 0}
    codes = codes.astype(np.int64) + 1  # 0 = missing
    width = 1 if len(uniques) <= 256 else 2 if len(uniques) <= 65_536 else 4
    return {"values": uniques, "codes": _b64(codes.astype(f"<u{width}")), "bytes": width}


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


def _details(popups: EventPopups) -> CompactDetails:
    """The events' details as a dictionary per label (:class:`CompactDetails`).

    Worked out once per distinct details list (equal lists are one shared
    object, :func:`~maps.popups.event_popups`), then spread to the events.
    """
    where: dict[int, int] = {}  # id of a shared list -> its number among the distinct ones
    distinct: list[list] = []
    inverse = np.empty(len(popups), dtype=np.int64)
    for i, details in enumerate(popups.details):
        j = where.get(id(details))
        if j is None:
            j = where[id(details)] = len(distinct)
            distinct.append(details)
        inverse[i] = j
    labels: dict[str, int] = {}
    orders = []
    texts_of: dict[tuple, str | None] = {}  # few distinct orders: each written once
    for details in distinct:
        nums = tuple(labels.setdefault(d["label"], len(labels)) for d in details)
        if nums not in texts_of:
            texts_of[nums] = json.dumps(list(nums)) if nums else None
        orders.append(texts_of[nums])
    texts = [[None] * len(distinct) for _ in labels]
    for j, details in enumerate(distinct):
        for d in details:
            texts[labels[d["label"]]][j] = d["text"]
    values, codes = [], []
    for column in texts:
        c, uniques = pd.factorize(pd.Series(column, dtype=object), use_na_sentinel=True)
        values.append([None, *(str(u) for u in uniques)])
        codes.append((c.astype(np.int64) + 1)[inverse])
    width = 4 if any(len(v) > 65_536 for v in values) else 2
    raw = b"".join(np.ascontiguousarray(c.astype(f"<u{width}")).tobytes() for c in codes)
    order = np.array(orders, dtype=object)[inverse] if distinct else np.array([], dtype=object)
    return CompactDetails(
        labels=list(labels),
        values=values,
        codes=base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii"),
        bytes=width,
        order=_dictionary(order.tolist()),
    )


class CompactData:
    """One layer's events (of one colour), column-encoded for the page."""

    def __init__(
        self,
        spec: LayerSpec,
        frame: gpd.GeoDataFrame,
        documents: dict[str, str] | None = None,
        fields: EventFields | None = None,
    ):
        self.spec = spec
        self.frame = frame
        self.documents = documents or {}
        #: The events' filter fields (:func:`maps.filters.event_fields`).
        self.fields = fields if fields is not None else event_fields(frame)
        figures = [size_figure(q) for q in frame["quantities"]]
        self.values = np.array([np.nan if v is None else v for v, _ in figures], dtype=float)
        #: The unit of each value (None without one): one size scale per unit.
        self.units = np.array([u for _, u in figures], dtype=object)
        # The unit clusters sum ("fatalities"): the most common unit of the figures.
        units = pd.Series([q[0].unit for q in frame["quantities"] if q], dtype=object)
        self.unit = str(units.mode().iloc[0]) if len(units) else None
        # Each point's radius, set once the whole map is known
        # (:func:`maps.layers.sizes.size_layers`), as its rich symbol would be.
        self.radius = np.full(len(frame), 6.0)
        precision = frame["place_precision"] if "place_precision" in frame else None
        self.placed = np.array(
            [PLACED_CODES[placed(p)] for p in precision.tolist()] if precision is not None
            else np.zeros(len(frame)),
            dtype="<u1",
        )  # fmt: skip

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
        # Lists as JSON text, dictionary-encoded like any string: a name may hold "; ".
        lists = {
            "figures": _json_lists(popups.figures),
            "sources": _json_lists(popups.sources),
            "actors": _json_lists(popups.actors),
            "flags": _json_lists(popups.flags),
        }
        columns = {
            name: lists[name] if name in lists else getattr(popups, name)
            for name in COMPACT_COLUMNS
        }
        fields = self.fields
        filters = {
            "kind": fields.kind, "sub_type": fields.sub_type,
            "actor_names": fields.actor_json(), "country": fields.country,
            "region": fields.region, "place_precision": fields.place_precision,
        }  # fmt: skip
        columns.update((name, filters[name]) for name in COMPACT_FILTER_COLUMNS)
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
            end=_b64(fields.end.astype("<i4")),
            radius=_b64(np.round(self.radius, 2).astype("<f4")),
            value=_b64(self.values.astype("<f4")),
            fatalities=_b64(fields.fatalities.astype("<f4")),
            placed=_b64(self.placed),
            unit=self.unit,
            unit_one=singular(self.unit) if self.unit else None,
            dict={name: _dictionary(values) for name, values in columns.items()},
            details=_details(popups),
            text=base64.b64encode(blob).decode("ascii"),
            layer_label=self.spec.label,
            color=self.spec.color,
        )


def encode_compact(
    spec: LayerSpec,
    frame: gpd.GeoDataFrame,
    *,
    documents: dict[str, str] | None = None,
    fields: EventFields | None = None,
) -> CompactData:
    """Column-encode the point events of one layer; ``documents`` maps a
    document id to the name its sources' popups show, ``fields`` are the
    events' filter fields (worked out from ``frame`` when not given)."""
    return CompactData(spec, frame.reset_index(drop=True), documents, fields)
