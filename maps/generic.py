"""Any GeoDataFrame → the events frame a map draws, as ``gdf.explore()`` takes it.

:class:`maps.EventMap` draws events frames (:func:`geo.read_events`); given
any other GeoDataFrame of points, lines or polygons, in any CRS, it maps that
instead, through :func:`as_events`: each row becomes an event whose popup lists
its columns (``details``), whose tooltip is a column, whose layer and colour
come from a categorical column and whose symbol is sized by a numeric one.
The same options apply to an events frame (``EventMap(events, kind="actor1")``).

Values are shown as a reader expects them, whatever their type: numbers
without float noise, timestamps as dates (with the time when there is one),
lists joined, and missing values (None, NaN, NaT, empty text) left out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import InputError
from geo.model import Quantity
from geo.schema import normalize_kind
from geo.table import COLUMNS
from maps.style import kind_color

__all__ = ["as_events", "is_events_frame", "display_value", "without_attrs", "EVENT_COLUMNS"]

#: The columns of an events frame a map reads (a subset of geo.table.COLUMNS).
EVENT_COLUMNS = (
    "id", "kind", "title", "description", "date", "date_precision", "date_start", "actors",
    "places", "origin", "via", "destination", "quantities", "sources", "confidence", "status",
    "notes", "lat", "lon", "length_km",
)  # fmt: skip
#: The layer of a GeoDataFrame drawn without ``kind`` or ``color``.
DEFAULT_KIND = "features"


def without_attrs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same frame (its columns shared, not copied) with empty ``attrs``.

    pandas deep-copies ``attrs`` into the result of nearly every operation
    (a column, a mask, ``isna``, even ``copy(deep=False)``); a reader's attrs
    list every rejected and flagged record, so on a 200,000-row export with
    70,000 flags each operation costs a deep copy of 70,000 objects. Take the
    attrs out once (``dict(frame.attrs)``) and work on this instead. The
    frame given is not changed.
    """
    # pandas' own constructor does not carry attrs over; geopandas' would.
    plain = pd.DataFrame(frame, copy=False)
    plain.attrs = {}
    name = frame.active_geometry_name  # (``frame.geometry`` would copy the attrs)
    out = gpd.GeoDataFrame(plain, copy=False)
    if name is not None and out.active_geometry_name != name:  # not "geometry": slower
        out = out.set_geometry(name)
    out.attrs = {}
    return out


def is_events_frame(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` has every column of an events frame a map reads."""
    return all(c in frame.columns for c in EVENT_COLUMNS)


def display_value(value: object) -> str | None:
    """A cell as its popup shows it, or None when it is missing.

    >>> [display_value(v) for v in (3, 2.50, 1e-7, float("nan"), None, "", " a ")]
    ['3', '2.5', '1e-07', None, None, None, ' a ']
    >>> display_value(pd.Timestamp("2024-03-12")), display_value(pd.Timestamp("2024-03-12 14:05"))
    ('2024-03-12', '2024-03-12 14:05')
    >>> display_value([1, None, "b"]), display_value(np.int64(7)), display_value(True)
    ('1, b', '7', 'true')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "∞" if v > 0 else "-∞"
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.0f}"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return None
        if ts == ts.normalize() and ts.tzinfo is None:
            return ts.date().isoformat()
        text = ts.isoformat(sep=" ", timespec="seconds" if ts.second else "minutes")
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return (
            display_value(pd.Timestamp(value))
            if isinstance(value, np.datetime64)
            else str(pd.Timedelta(value))
        )
    if isinstance(value, pd.Timedelta):
        return None if pd.isna(value) else str(value)
    if isinstance(value, shapely.Geometry):
        return None if value.is_empty else value.wkt[:200]
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        texts = [t for t in (display_value(v) for v in items) if t is not None]
        return ", ".join(texts) if texts else None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _columns(frame: gpd.GeoDataFrame, names: str | Sequence[str] | None, what: str) -> list[str]:
    if names is None:
        return []
    names = [names] if isinstance(names, str) else list(names)
    known = [c for c in frame.columns if c != frame.geometry.name]
    for name in names:
        if name not in frame.columns:
            shown = ", ".join(map(str, known[:20])) + (", ..." if len(known) > 20 else "")
            raise InputError(f"{what}: no column {name!r}; expected one of: {shown}")
    return names


def _texts(series: pd.Series) -> list[str | None]:
    return [display_value(v) for v in series.tolist()]


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or isinstance(series.dtype, pd.StringDtype)


def as_events(
    frame: gpd.GeoDataFrame,
    *,
    kind: str | None = None,
    size: str | None = None,
    color: str | None = None,
    popup: bool | Sequence[str] | None = None,
    tooltip: str | Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """An events frame (EPSG:4326) that draws ``frame`` as the options say.

    Parameters
    ----------
    frame : GeoDataFrame
        An events frame, or any GeoDataFrame: points, lines, polygons, in any
        CRS (none is taken as EPSG:4326, as ``explore`` does).
    kind : str, optional
        The column whose values are the layers, each in the colour its value
        has on every map (:func:`maps.style.kind_color`). Default: an events
        frame's ``kind``; any other frame, one layer.
    size : str, optional
        A numeric column: its values (> 0) size the symbols.
    color : str, optional
        A categorical column that colours the symbols; without ``kind``, it
        gives the layers too.
    popup : bool or list of str, optional
        The columns a popup lists, in order, after an events frame's own
        details (``True``: every column but the geometry, and an events
        frame's own; the default for a frame that is not an events frame).
    tooltip : str or list of str, optional
        The column(s) a tooltip (and the popup's title) shows; default: an
        events frame's title, else the first text column, else the index.

    Raises
    ------
    geo.InputError
        When a column named is not in the frame, or ``size`` is not numeric.
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"expected a GeoDataFrame, got {type(frame).__name__}")
    attrs = dict(frame.attrs)
    frame = without_attrs(frame)
    events = is_events_frame(frame)
    kind_cols = _columns(frame, kind, "kind")
    size_cols = _columns(frame, size, "size")
    color_cols = _columns(frame, color, "color")
    tip_cols = _columns(frame, tooltip, "tooltip")
    data_cols = [c for c in frame.columns if c != frame.geometry.name]
    if popup is True or (popup is None and not events):
        # An events frame's own columns are its popup already: True adds the others
        # (an export's analyst columns).
        own = set(COLUMNS) if events else set()
        popup_cols = [c for c in data_cols if c not in size_cols and c not in own]
    elif popup in (None, False):
        popup_cols = []
    else:
        popup_cols = _columns(frame, popup, "popup")

    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    if events:
        out = frame.copy()
    else:
        out = _skeleton(frame)
        attrs["generic"] = True
    n = len(out)

    if not tip_cols and not events:
        text_cols = [c for c in data_cols if _is_text(frame[c])]
        tip_cols = text_cols[:1]
    if tip_cols:
        columns = [_texts(frame[c]) for c in tip_cols]
        fallback = out["title"].tolist()
        out["title"] = [
            " · ".join(t for t in row if t) or fallback[i]
            for i, row in enumerate(zip(*columns, strict=True))
        ]
    if popup_cols:
        columns = [_texts(frame[c]) for c in popup_cols]
        old = out["details"].tolist() if "details" in out else [[] for _ in range(n)]
        out["details"] = [
            list(old[i] or []) + [(str(c), t) for c, t in zip(popup_cols, row, strict=True) if t]
            for i, row in enumerate(zip(*columns, strict=True))
        ]
    if size_cols:
        col = size_cols[0]
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.notna().sum() == 0 and frame[col].notna().any():
            raise InputError(f"size: column {col!r} holds no numbers")
        out["quantities"] = [
            [Quantity(float(v), str(col))] if v == v and v > 0 and math.isfinite(v) else []
            for v in values.to_numpy(dtype=float)
        ]
    layer_col = (kind_cols or color_cols or [None])[0]
    if layer_col is not None:
        texts = [t if t is not None else "(none)" for t in _texts(frame[layer_col])]
        ids = [normalize_kind(t) or "none" for t in texts]
        out["kind"] = ids
        labels: dict[str, str] = {}
        for i, t in zip(ids, texts, strict=True):
            labels.setdefault(i, t)
        attrs["kind_labels"] = labels
    elif not events:
        attrs["kind_labels"] = {DEFAULT_KIND: "Features"}
    if kind_cols and color_cols and color_cols[0] != kind_cols[0]:
        texts = [t if t is not None else "(none)" for t in _texts(frame[color_cols[0]])]
        taken: set[str] = set()
        palette: dict[str, str] = {}
        for t in sorted(set(texts)):
            palette[t] = kind_color(t, taken)
            taken.add(palette[t])
        out["color"] = [palette[t] for t in texts]
        attrs["colors"] = {"column": str(color_cols[0]), "values": palette}
    out.attrs = attrs
    return out


def _skeleton(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The events-frame columns for a frame of anything: undated, one layer."""
    n = len(frame)
    geoms = frame.geometry.to_numpy()
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    anchor = np.full(n, None, dtype=object)
    anchor[ok] = shapely.point_on_surface(geoms[ok])
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    lon[ok] = np.round(shapely.get_x(anchor[ok]), 6)
    lat[ok] = np.round(shapely.get_y(anchor[ok]), 6)
    index = frame.index
    ids = [str(i) for i in index] if index.is_unique else [str(i) for i in range(n)]
    empty = [[] for _ in range(n)]
    out = gpd.GeoDataFrame(
        {
            "id": ids, "kind": [DEFAULT_KIND] * n, "title": ids, "description": [None] * n,
            "date": [None] * n, "end_date": [None] * n,
            "date_start": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"),
            "date_end": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"),
            "date_precision": [None] * n, "actors": empty, "places": [[] for _ in range(n)],
            "origin": [None] * n, "via": [[] for _ in range(n)], "destination": [None] * n,
            "quantities": [[] for _ in range(n)], "sources": [[] for _ in range(n)],
            "confidence": [None] * n, "status": [None] * n, "notes": [None] * n,
            "place_precision": [None] * n, "details": [[] for _ in range(n)],
            "flags": [[] for _ in range(n)], "lat": lat, "lon": lon,
            "length_km": [None] * n,
        },
        geometry=list(geoms),
        crs="EPSG:4326",
    )  # fmt: skip
    return out
