"""eventmap's maps package: geometry → interactive map (and the CLI).

>>> import geo, maps
>>> m = maps.render("data/events/dprk-russia.yaml")   # doctest: +SKIP
>>> m                                                  # doctest: +SKIP
>>> oct = maps.select(events, time="2024-10", kinds="Battles")  # doctest: +SKIP

Names are imported on first use (PEP 562): the ``eventmap`` command imports
``maps.cli``, and ``eventmap geocode`` must not pay for folium and geopandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_LAZY = {
    "to_js": "elements",
    "EventMap": "page",
    "MapSummary": "page",
    "render": "page",
    "select": "selection",
}

__all__ = ["EventMap", "MapSummary", "render", "select", "to_js"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # pragma: no cover
    from maps.elements import to_js
    from maps.page import EventMap, MapSummary, render
    from maps.selection import select
