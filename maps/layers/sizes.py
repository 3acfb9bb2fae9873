"""Symbol sizes: one scale per unit over the whole map, not one per layer.

A 2-fatality protest and a 10-fatality attack are on different layers; sized
by a scale of each layer's own, both would be drawn at the layer's largest
size. Here every circle whose figure counts the same thing (people: soldiers,
fatalities, the dead, ...; or one kind of object: shells, containers) shares
one square-root scale, whichever layer it is on, and so does every line
(flows, and the lines of any GeoDataFrame) by its own scales. The legend shows
each scale once (:func:`legend_scales`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from maps.contract import LegendScale, LegendSize
from maps.labels import singular
from maps.style import SizeScale

__all__ = ["MapScale", "unit_key", "size_layers", "legend_scales", "CIRCLE", "LINE"]

#: Circle radii and line widths (CSS px): the floor, the ceiling.
CIRCLE = (5.0, 30.0)
LINE = (2.5, 12.0)
#: The radius of a dot (a layer of dots: statements, sources) that has no figure;
#: any other symbol without a figure is drawn at its scale's floor.
DOT_RADIUS = 6.0

#: Words that make a unit a count of people, all sized on one scale.
_PEOPLE = frozenset(
    "people person persons soldier soldiers troop troops personnel combatant combatants "
    "fighter fighters civilian civilians fatality fatalities dead death deaths killed "
    "wounded injured casualty casualties loss losses lost deminer deminers builder builders "
    "engineer engineers forces officer officers recruit recruits worker workers prisoner "
    "prisoners refugees displaced victims victim men women children militants".split()
)


def unit_key(unit: str | None) -> str | None:
    """What a unit counts, for its size scale: ``people`` for any count of
    people, else the unit's noun (``artillery shells`` → ``shell``).

    >>> unit_key("fatalities"), unit_key("special forces troops"), unit_key("dead")
    ('people', 'people', 'people')
    >>> unit_key("containers of munitions"), unit_key("shells"), unit_key(None)
    ('container', 'shell', None)
    """
    if not unit or not unit.strip():
        return None
    words = unit.lower().replace(",", " ").split()
    if any(w in _PEOPLE for w in words):
        return "people"
    one = singular(unit.lower()).split()
    head = [w for w, p in zip(one, words, strict=False) if w != p]
    return head[0] if head else unit.strip().lower()


@dataclass
class MapScale:
    """One size scale of the map: a symbol family (circle or line), what it counts."""

    symbol: str  # "circle" | "line"
    key: str
    units: list[str] = field(default_factory=list)  # as the data spells them, in order
    values: list[float] = field(default_factory=list)
    scale: SizeScale | None = None


def _family(shape: str) -> str:
    return "line" if shape in ("flow", "line") else "circle"


def size_layers(layers: Iterable, shrink: float = 1.0) -> list[MapScale]:
    """Set every symbol's size from one scale per (symbol, unit) over ``layers``
    (:class:`~maps.layers.rich.LayerData`), and return the scales, in order of
    first use, for the legend.

    A symbol without a figure gets its scale's floor (a layer of dots:
    :data:`DOT_RADIUS`), so that it never looks larger than a figure;
    circles scale with ``shrink`` (a dense map's symbols are smaller).
    """
    layers = list(layers)
    scales: dict[tuple[str, str], MapScale] = {}

    def add(symbol: str, unit: str | None, value: float | None) -> None:
        key = unit_key(unit)
        if value is None or key is None or not value > 0:
            return
        s = scales.setdefault((symbol, key), MapScale(symbol, key))
        if unit not in s.units:
            s.units.append(unit)
        s.values.append(float(value))

    for data in layers:
        for f in data.features:
            if f.get("kind") in ("front_region", "source"):
                continue
            add(_family(f["shape"]), f.get("unit"), f.get("value"))
        for c in data.compact:
            ok = np.isfinite(c.values) & (c.values > 0)
            for unit in dict.fromkeys(c.units[ok].tolist()):
                vals = c.values[ok & (c.units == unit)]
                add("circle", unit, float(vals.max()))
                add("circle", unit, float(vals.min()))
    for s in scales.values():
        lo, hi = CIRCLE if s.symbol == "circle" else LINE
        f = shrink if s.symbol == "circle" else 1.0
        s.scale = SizeScale(max(s.values), lo * f, hi * f)

    def size(symbol: str, unit: str | None, value: float | None, default: float) -> float:
        s = scales.get((symbol, unit_key(unit) or ""))
        return s.scale(value) if s is not None and value else default

    for data in layers:
        dot = data.spec.symbol == "dot"
        floor = (DOT_RADIUS if dot else CIRCLE[0]) * shrink
        for f in data.features:
            if f["shape"] in ("flow", "line"):
                f["width"] = size("line", f.get("unit"), f.get("value"), LINE[0])
            elif f["shape"] == "circle" and "radius" not in f:
                f["radius"] = size("circle", f.get("unit"), f.get("value"), floor)
        for c in data.compact:
            radius = np.full(len(c), floor, dtype=float)
            for unit in dict.fromkeys(c.units.tolist()):
                s = scales.get(("circle", unit_key(unit) or ""))
                if s is not None:
                    at = c.units == unit
                    vals = c.values[at]
                    sized = np.isfinite(vals) & (vals > 0)
                    radius[at] = np.where(sized, s.scale.sizes(vals), floor)
            c.radius = radius
    return list(scales.values())


def _what(s: MapScale) -> str:
    """What a scale counts, as its legend says: the unit, or for several,
    ``people`` or the plural of their noun (``containers``)."""
    if len(s.units) == 1:
        return s.units[0]
    return "people" if s.key == "people" else s.units[0].split(" of ")[0]


def legend_scales(scales: Iterable[MapScale]) -> list[LegendScale]:
    """The legend's size scales: what each sizes, and two or three sample sizes."""
    out = []
    for s in scales:
        if s.scale is None:
            continue
        what = _what(s)
        if s.symbol == "circle":
            label = f"Circle area ∝ {what} (one scale for all layers)"
        else:
            label = f"Line width ∝ √{what} (one scale for all layers)"
        across = 2 if s.symbol == "circle" else 1  # a circle's diameter, a line's width
        sizes = [
            LegendSize(label=_sample_label(v), px=round(s.scale(v) * across, 1))
            for v in _samples(s)
        ]
        out.append(LegendScale(label=label, symbol=s.symbol, sizes=sizes))
    return out


def _samples(s: MapScale) -> list[float]:
    """The scale's sample values: of counts (whole numbers, as fatalities
    are), whole numbers only; a sample never reads 0."""
    values = s.scale.legend_values(min(s.values))
    if all(float(v).is_integer() for v in s.values):
        values = [v for v in values if v >= 1 and float(v).is_integer()] or values[:1]
    return [v for v in values if v > 0] or values[:1]


def _sample_label(v: float) -> str:
    """``5,000``; ``0.5`` (a sample below 1 keeps its digits, never ``0``)."""
    return f"{v:,.0f}" if v >= 1 else f"{v:.2g}"
