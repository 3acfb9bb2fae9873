"""What the page filters by: each option, counted, for the filter panel.

:func:`filter_block` makes the :class:`~maps.contract.FilterBlock` of a map,
from its events frame and its layers.
"""

from __future__ import annotations

__all__ = ["AGGREGATES", "filter_block"]

#: How point events can be shown: each one, counted clusters when zoomed out,
#: hexagon bins, a choropleth of admin-1 regions, or a heatmap.
AGGREGATES = ("points", "cluster", "hexbin", "region", "heat")


def filter_block(frame, layers, *, aggregate: str = "points") -> dict:
    """The page's filter options (to be filled: kinds, sub-types, actors, ...)."""
    return {"aggregate": aggregate}
