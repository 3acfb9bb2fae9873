"""eventmap's maps package: geometry → interactive map (and the CLI).

>>> import geo, maps
>>> m = maps.render("data/events/dprk-russia.yaml")   # doctest: +SKIP
>>> m                                                  # shows itself in a notebook
"""

from .elements import to_js
from .render import EventMap, MapSummary, render

__all__ = ["EventMap", "MapSummary", "render", "to_js"]
