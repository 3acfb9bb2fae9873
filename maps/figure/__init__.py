"""Events → a print-quality static map: SVG, PDF or PNG, without a browser.

:func:`to_image` draws with matplotlib what the interactive map draws, from
the same layers (:mod:`maps.layers.rich`: colours, widths, radii, one size
scale per unit), the same embedded basemap (:mod:`maps.basemap`) and the same
legend, title and provenance blocks, so the two views cannot drift apart.
Text stays text (SVG and PDF), and two renders of the same input give
identical bytes.
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from maps.page import EventMap

__all__ = ["FORMATS", "FACETS", "PAPER", "format_for", "paper_size", "check_options", "to_image"]

#: The static formats, by the extension that picks them.
FORMATS = ("svg", "pdf", "png")
#: What ``facet=`` splits a figure by: one panel per month, or per kind (layer).
FACETS = ("month", "kind")
#: Paper sizes (width, height in mm, portrait).
PAPER = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "letter": (215.9, 279.4)}


def format_for(path, format: str | None = None) -> str:
    """The static format: ``format`` if given, else ``path``'s extension."""
    from maps.figure.output import format_for as _format_for

    return _format_for(path, format)


def paper_size(size: str = "A4", *, landscape: bool = False) -> tuple[float, float]:
    """``A4``, ``A5``, ``letter`` or ``WxH`` in mm or in → (width, height) in inches."""
    from maps.figure.output import paper_size as _paper_size

    return _paper_size(size, landscape=landscape)


def check_options(
    *,
    format: str = "png",
    size: str = "A4",
    landscape: bool = False,
    dpi: int = 300,
    extent: tuple[float, float, float, float] | None = None,
    facet: str | None = None,
) -> dict:
    """Check a figure's options without drawing: :class:`geo.InputError` for a
    bad one (an unknown format, paper too small, a PNG of too many pixels, an
    extent out of range, an unknown facet). Returns them checked."""
    from maps.figure.output import check_options as _check_options

    return _check_options(format=format, size=size, landscape=landscape, dpi=dpi,
                          extent=extent, facet=facet)  # fmt: skip


def to_image(
    emap: EventMap,
    target: str | os.PathLike | IO[bytes],
    *,
    format: str | None = None,
    size: str = "A4",
    landscape: bool = False,
    dpi: int = 300,
    extent: tuple[float, float, float, float] | None = None,
    facet: str | None = None,
):
    """Draw ``emap`` as a static figure into ``target`` (a path, written
    atomically, or a binary buffer). See :meth:`maps.EventMap.to_image`."""
    from maps.figure.output import to_image as _to_image

    return _to_image(
        emap, target, format=format, size=size, landscape=landscape, dpi=dpi,
        extent=extent, facet=facet,
    )  # fmt: skip
