"""What the page filters by: each event's filter fields, and the options, counted.

:func:`event_fields` works out, once per map and column by column, the fields
every event carries for the page's filters (its end, sub-type, actors,
country, admin-1 region, fatalities and place precision: the contract's
per-event filter fields); the rich and compact layers send them
(:mod:`maps.layers.rich`, :mod:`maps.layers.compact`). :func:`filter_options`
counts every option the events have (what :func:`maps.select` accepts);
:func:`filter_block` makes the :class:`~maps.contract.FilterBlock` of a map:
those options over the drawn events, and the outlines of the regions with
events, for the choropleth.
"""

from __future__ import annotations

import json
import operator
import re
from collections import Counter

import numpy as np
import pandas as pd
import shapely

from geo.model import PRECISIONS
from maps.contract import AGGREGATES, FilterBlock
from maps.layers.admin import Regions, event_regions
from maps.style import specs_for_kinds

__all__ = ["AGGREGATES", "NO_DAY", "PRECISION_OPTIONS", "event_fields", "filter_options",
           "filter_block"]  # fmt: skip

#: A compact layer's day (or end) of an undated event.
NO_DAY = int(np.iinfo(np.int32).min)

#: The filter panel's name of each place precision (:data:`geo.model.PRECISIONS`).
PRECISION_OPTIONS = {
    "point": "At the place", "near": "Near a town (within about 25 km)",
    "admin2": "District (admin2)", "admin1": "Region (admin1)", "country": "Country",
    "area": "Area",
}  # fmt: skip

#: The units a fatalities figure is given in: ACLED's ``fatalities``, a
#: report's ``dead``, ``deaths``, ``civilians killed``.
_FATAL = re.compile(r"\b(fatalities|fatality|deaths?|killed|dead)\b", re.I)

#: Tolerance (degrees) and decimals of the choropleth's region outlines.
SHAPE_TOLERANCE = 0.02
SHAPE_DECIMALS = 3

_DAY_MS = 86_400_000


def _places(places) -> tuple[str | None, str | None, bool]:
    """(country of the first place with one, id of the first region named,
    whether every place is a country)."""
    if not isinstance(places, (list, tuple)) or not places:
        return None, None, False
    country = next((p.country for p in places if p.country), None)
    region = next((p.id for p in places if p.kind == "region"), None)
    return country, region, all(p.kind == "country" for p in places)


def _place_columns(values: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per event: its country, the region it names, whether it names countries only.

    Most events have one place (every ACLED row): theirs are read with C-level
    ``map`` calls; only the others go through :func:`_places`.
    """
    n = len(values)
    lens = _lengths(values)
    country = np.full(n, None, dtype=object)
    named = np.full(n, None, dtype=object)
    only_countries = np.zeros(n, dtype=bool)
    one = np.flatnonzero(lens == 1)
    if len(one):
        firsts = list(map(operator.itemgetter(0), _take(values, one)))
        kinds = np.array(list(map(operator.attrgetter("kind"), firsts)), dtype=object)
        ids = np.array(list(map(operator.attrgetter("id"), firsts)), dtype=object)
        country[one] = list(map(operator.attrgetter("country"), firsts))
        named[one] = np.where(kinds == "region", ids, None)
        only_countries[one] = kinds == "country"
    for i in np.flatnonzero(lens > 1).tolist():
        country[i], named[i], only_countries[i] = _places(values[i])
    country[pd.isna(pd.Series(country, dtype=object)).to_numpy() | (country == "")] = None
    return country, named, only_countries


def _fatal(quantities) -> float:
    for q in quantities:
        if _FATAL.search(q.unit or ""):
            return float(q.value)
    return np.nan


def _fatalities(values: list) -> np.ndarray:
    """Per event, its first figure in fatalities (NaN: none). Readers share
    Quantity objects between rows with equal figures (ACLED's per distinct
    value): an event's single figure is looked at once per object."""
    n = len(values)
    out = np.full(n, np.nan)
    lens = _lengths(values)
    one = np.flatnonzero(lens == 1)
    if len(one):
        firsts = list(map(operator.itemgetter(0), _take(values, one)))
        codes, _ = pd.factorize(np.fromiter(map(id, firsts), np.int64, len(firsts)))
        _, first = np.unique(codes, return_index=True)
        out[one] = np.array([_fatal((firsts[i],)) for i in first.tolist()])[codes]
    for i in np.flatnonzero(lens > 1).tolist():
        out[i] = _fatal(values[i])
    return out


def _take(values: list, rows: np.ndarray) -> list:
    """``values[i]`` for each of ``rows``."""
    if len(rows) == len(values):
        return values
    return [values[i] for i in rows.tolist()]


def _lengths(values: list) -> np.ndarray:
    """The length of each list (0 for a missing one)."""
    try:
        return np.fromiter(map(len, values), np.int64, len(values))
    except TypeError:  # a None or NaN among them
        return np.fromiter(
            (len(v) if isinstance(v, (list, tuple)) else 0 for v in values), np.int64, len(values)
        )


def _actor_lists(column: pd.Series) -> tuple[np.ndarray, list[list[str]]]:
    """A code per event into each distinct list of actors (as given), found by
    their text at C speed (``str`` of a list of names is one C call)."""
    values = column.tolist()
    codes, _ = pd.factorize(np.array(list(map(str, values)), dtype=object), sort=False)
    _, first = np.unique(codes, return_index=True)
    lists = []
    for i in first.tolist():
        v = values[i]
        ok = isinstance(v, (list, tuple, np.ndarray))
        lists.append([str(a) for a in v if a is not None] if ok else [])
    return codes.astype(np.int64), lists


class EventFields:
    """The per-event filter fields of a whole events frame, column by column
    (numpy arrays in the frame's row order), and the regions looked in.

    ``end`` is Int32 days since 1970 (:data:`NO_DAY` when undated), the last
    day the event may have happened; ``fatalities`` float (NaN: no figure);
    the rest object arrays of str or None. ``actors`` holds a code per event
    into ``actor_lists`` (each distinct list once, as given).
    """

    def __init__(self, frame: pd.DataFrame, *, gazetteer=None):
        n = len(frame)
        self.n = n
        end = frame["date_end"].fillna(frame["date_start"]) if n else frame["date_start"]
        days = end.to_numpy(dtype="datetime64[D]")
        self.end = np.where(np.isnat(days), NO_DAY, days.astype(np.int64)).astype(np.int32)
        self.kind = frame["kind"].astype(object).to_numpy() if n else np.array([], object)
        self.sub_type = _strings(frame["sub_event_type"]) if "sub_event_type" in frame else _none(n)
        self.place_precision = (
            _strings(frame["place_precision"]) if "place_precision" in frame else _none(n)
        )
        self.actors, self.actor_lists = _actor_lists(frame["actors"])
        self.country, named, country_level = _place_columns(frame["places"].tolist())
        self.fatalities = _fatalities(frame["quantities"].tolist())
        self.region, self.regions = event_regions(
            frame, named, self.country, country_level, gazetteer=gazetteer
        )
        self.gazetteer = gazetteer

    def __len__(self) -> int:
        return self.n

    def take(self, mask: np.ndarray) -> EventFields:
        """The fields of the events ``mask`` selects (bool or positions)."""
        out = object.__new__(EventFields)
        for name in ("end", "kind", "sub_type", "place_precision", "actors", "country",
                     "fatalities", "region"):  # fmt: skip
            setattr(out, name, getattr(self, name)[mask])
        out.n = len(out.end)
        out.actor_lists, out.regions, out.gazetteer = self.actor_lists, self.regions, self.gazetteer
        return out

    def end_ms(self) -> list[int | None]:
        """Each event's last millisecond (JavaScript time), None when undated."""
        last = (self.end.astype(np.int64) + 1) * _DAY_MS - 1
        days = self.end.tolist()
        return [None if d == NO_DAY else t for d, t in zip(days, last.tolist(), strict=True)]

    def actor_json(self) -> list[str | None]:
        """Each event's actors as JSON text (None: none), each distinct list once."""
        texts = [json.dumps(a, ensure_ascii=False) if a else None for a in self.actor_lists]
        return np.array(texts, dtype=object)[self.actors].tolist() if self.n else []


def _none(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _strings(column: pd.Series) -> np.ndarray:
    """A column's texts, None where missing."""
    values = column.astype(object).to_numpy(copy=True)
    values[pd.isna(column).to_numpy()] = None
    return values


def event_fields(frame: pd.DataFrame, *, gazetteer=None) -> EventFields:
    """The per-event filter fields of an events frame (:class:`EventFields`).

    >>> import geo
    >>> fields = event_fields(geo.read_events("tests/data/exports/acled/current_2024.csv"))
    >>> fields.country[0], fields.region[0], fields.fatalities[0]
    ('UA', 'ne:UA-59', np.float64(2.0))
    """
    return EventFields(frame, gazetteer=gazetteer)


def _counted(values: np.ndarray) -> list[tuple[str, int]]:
    """(value, count) of the non-missing values, count descending, then value."""
    counts = pd.Series(values, dtype=object).dropna().value_counts(sort=False)
    return sorted(((str(k), int(c)) for k, c in counts.items()), key=lambda kc: (-kc[1], kc[0]))


def filter_options(
    frame: pd.DataFrame,
    fields: EventFields | None = None,
    *,
    drawn: np.ndarray | None = None,
    specs: dict | None = None,
    layers: list[str] | tuple[str, ...] = (),
) -> dict:
    """Every filter option the events have, each with how many have it: a
    :class:`~maps.contract.FilterBlock` without ``aggregate`` and ``shapes``
    (``total``, ``kinds``, ``sub_types``, ``actors``, ``countries``, ``regions``,
    ``precisions``, ``fatalities``).

    Parameters
    ----------
    frame : DataFrame
        An events frame.
    fields : EventFields, optional
        Its events' fields (:func:`event_fields`), if worked out already.
    drawn : bool array, optional
        The events counted (default: every one).
    specs : dict, optional
        The layer of each kind (:class:`~maps.style.LayerSpec` by kind id; a kind
        without one is left out); default the layers a map of the counted events
        makes (:func:`maps.style.specs_for_kinds`).
    layers : list of str
        The layer keys in legend order, which orders the kinds (then by count).
    """
    if fields is None:
        fields = event_fields(frame)
    f = fields.take(drawn) if drawn is not None else fields
    kind_labels = frame.attrs.get("kind_labels") or {}
    if specs is None:
        counts = pd.Series(f.kind, dtype=object).astype(str).value_counts().to_dict()
        specs = specs_for_kinds(counts, kind_labels)
    kinds = _kinds(f.kind, specs, {key: i for i, key in enumerate(layers)}, kind_labels)
    table = fields.regions.frame.set_index("id")
    regions = [
        {"id": r, "name": str(table.at[r, "name"]), "country": str(table.at[r, "iso2"]), "count": c}
        for r, c in _counted(f.region)
    ]
    precisions = dict(_counted(f.place_precision))
    fat = f.fatalities[~np.isnan(f.fatalities)]
    # Each event's actors once: counted per distinct list, then spread to its names.
    per_list = np.bincount(f.actors, minlength=len(fields.actor_lists)) if f.n else []
    actors: Counter = Counter()
    for names, count in zip(fields.actor_lists, per_list, strict=False):
        if count:
            for name in dict.fromkeys(names):
                actors[name] += int(count)
    return dict(
        total=int(f.n),
        kinds=kinds,
        sub_types=[{"value": v, "count": c} for v, c in _counted(f.sub_type)],
        actors=[{"value": v, "count": c}
                for v, c in sorted(actors.items(), key=lambda kc: (-kc[1], kc[0]))],
        countries=[{"id": c, "name": _country_name(c, fields.gazetteer), "count": k}
                   for c, k in _counted(f.country)],
        regions=regions,
        precisions=[{"id": p, "label": PRECISION_OPTIONS[p], "count": precisions[p]}
                    for p in PRECISIONS if p in precisions],
        fatalities={"max": float(fat.max()) if len(fat) else None, "count": int(len(fat))},
    )  # fmt: skip


def filter_block(frame: pd.DataFrame, layers, *, aggregate: str = "points") -> FilterBlock:
    """The page's filter options (:class:`~maps.contract.FilterBlock`):
    :func:`filter_options` over the drawn events, and the regions' outlines.

    Parameters
    ----------
    frame : DataFrame
        The map's events frame.
    layers : maps.layers.rich.Layers
        Its overlays, in legend order: which events are drawn
        (``layers.drawn``), on which layer each kind is, and the events' fields
        (``layers.fields``), worked out once for the layers.
    aggregate : str
        How the page first shows point events (:data:`AGGREGATES`).
    """
    fields = getattr(layers, "fields", None)
    if fields is None:
        fields = event_fields(frame)
    drawn = getattr(layers, "drawn", None)
    if drawn is None:
        drawn = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
    options = filter_options(frame, fields, drawn=drawn, specs=getattr(layers, "specs", {}) or {},
                             layers=[data.spec.key for data in layers])  # fmt: skip
    shapes = region_shapes(fields.regions, [r["id"] for r in options["regions"]])
    return FilterBlock(**options, aggregate=aggregate, shapes=shapes)


def _kinds(kinds: np.ndarray, specs: dict, order: dict, kind_labels: dict) -> list[dict]:
    """Each kind counted, with its layer: in legend order (``order``: a layer
    key's place), then by count; a kind without a layer in ``specs`` is left out."""
    out = []
    for kind, count in _counted(kinds):
        spec = specs.get(kind)
        if spec is None:
            continue
        # A kind of its own layer is named as its layer; one of a known layer
        # (``recruitment`` on Troop deployments) as the data spells it.
        label = kind_labels.get(kind) or kind
        if spec.key == f"kind:{kind}":
            label = spec.label
        elif label == kind:
            label = kind.replace("_", " ").strip().capitalize()
        out.append({"id": kind, "label": label, "count": count, "color": spec.color,
                    "layer": spec.label, "_order": order.get(spec.key, len(order))})  # fmt: skip
    out.sort(key=lambda k: k.pop("_order"))  # stable: count order within a layer
    return out


def _country_name(iso2: str, gazetteer=None) -> str:
    if gazetteer is None:
        import geo

        gazetteer = geo.default_gazetteer()
    place = gazetteer.geocode(f"iso:{iso2}")
    return place.name if place is not None else iso2


def region_shapes(regions: Regions, ids: list[str]) -> dict:
    """The outlines of regions ``ids`` for the choropleth: a GeoJSON
    FeatureCollection in id order, properties ``{id, name}``, simplified to
    :data:`SHAPE_TOLERANCE` (a region is seen whole, never at street level)
    and rounded to :data:`SHAPE_DECIMALS` decimals."""
    frame = regions.frame[regions.frame["id"].isin(ids)].sort_values("id", kind="stable")
    geoms = shapely.simplify(frame.geometry.values, SHAPE_TOLERANCE, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda c: np.round(c, SHAPE_DECIMALS))
    features = [
        {"type": "Feature", "properties": {"id": str(i), "name": str(name)},
         "geometry": shapely.geometry.mapping(g)}
        for i, name, g in zip(frame["id"], frame["name"], geoms, strict=True)
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}
