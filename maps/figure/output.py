"""Options, paper and saving: the static figure's way in and out.

:func:`to_image` checks every option before any drawing starts, builds the
figure (:mod:`maps.figure.single`, or :mod:`maps.figure.facets` for small
multiples) and saves it so that the same input gives the same bytes: no
date in the SVG or PDF metadata, a fixed SVG id salt, TrueType fonts embedded
in the PDF and text kept as text in the SVG.
"""

from __future__ import annotations

import io
import math
import os
import re
from pathlib import Path
from typing import IO

from geo import InputError
from maps._output import write_atomic
from maps.figure import FACETS, FORMATS, PAPER

__all__ = ["format_for", "paper_size", "check_options", "to_image", "check_extent", "RC"]

_MM = 25.4
#: The smallest paper side: the title block, legend and sources line are set
#: at a readable size (never below 0.75 × A4's), so below about A5's width
#: they leave the map no room (180 × 120 mm and 7 × 5 in are accepted). A smaller
#: figure is drawn larger and scaled down in the document.
MIN_SIDE_MM = 120.0
#: The most pixels a PNG may have (A0 at 300 dpi is 139 million): its RGBA
#: canvas is 4 bytes a pixel, allocated whole before any drawing.
MAX_PIXELS = 150_000_000
_WXH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|in)\s*", re.IGNORECASE)

#: matplotlib settings of every figure, over matplotlib's defaults (never the
#: user's: a ``matplotlibrc`` in the folder or a notebook's dark style would
#: change the bytes): text stays text (SVG), fonts are embedded TrueType (PDF),
#: ids do not change between runs (SVG), dashes are in points as the page's are
#: in pixels (not scaled by line width), the font is the one matplotlib ships,
#: and no text is read as mathtext (a ``$`` in a name stays a ``$``).
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "eventmap",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "lines.scale_dashes": False,
    "font.family": "DejaVu Sans",
    "text.usetex": False,
    "text.parse_math": False,
    "path.simplify": True,
    "image.interpolation": "nearest",
}

#: What each format's metadata leaves out (dates) or fixes.
_METADATA = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {"Software": None},
}


def format_for(path, format: str | None = None) -> str:
    """The static format: ``format`` if given, else ``path``'s extension.

    Raises
    ------
    geo.InputError
        An unknown format or extension (the message names the accepted
        ones), or a buffer without ``format``.

    >>> format_for("map.PDF"), format_for("x.out", "png")
    ('pdf', 'png')
    """
    accepted = ", ".join(f".{f}" for f in FORMATS)
    if format is not None:
        fmt = str(format).lower().lstrip(".")
        if fmt not in FORMATS:
            raise InputError(f"format: expected one of {', '.join(FORMATS)}, got {format!r}")
        return fmt
    if path is None or not isinstance(path, str | os.PathLike):
        raise InputError(f"format: a buffer needs format= (one of {', '.join(FORMATS)})")
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        got = f"'.{suffix}'" if suffix else "no extension"
        raise InputError(f"{Path(path).name}: expected the extension {accepted}, got {got}")
    return suffix


def paper_size(size: str = "A4", *, landscape: bool = False) -> tuple[float, float]:
    """``A4``, ``A5``, ``letter`` (any case) or ``WxH`` with unit ``mm`` or
    ``in`` → (width, height) in inches; ``landscape`` puts the long side across.

    >>> paper_size("a4"), paper_size("7x5in"), paper_size("A5", landscape=True)
    ((8.268, 11.693), (7.0, 5.0), (8.268, 5.827))
    """
    text = str(size).strip()
    named = {k.lower(): v for k, v in PAPER.items()}
    if text.lower() in named:
        w, h = (v / _MM for v in named[text.lower()])
    else:
        m = _WXH.fullmatch(text)
        if not m:
            raise InputError(
                f"size: expected {', '.join(PAPER)} or WxH in mm or in "
                f"('180x120mm', '7x5in'), got {size!r}"
            )
        w, h = float(m.group(1)), float(m.group(2))
        if m.group(3).lower() == "mm":
            w, h = w / _MM, h / _MM
    lo = MIN_SIDE_MM / _MM
    if not (lo <= w <= 100 and lo <= h <= 100):
        raise InputError(
            f"size: expected {MIN_SIDE_MM:.0f} mm to 2.5 m a side (A5 is 148 × 210 mm; the title, "
            f"legend and sources leave no room for the map on less), got {size!r}"
        )
    if landscape and h > w:
        w, h = h, w
    return round(w, 3), round(h, 3)


def check_extent(extent) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` in degrees, checked, or None."""
    if extent is None:
        return None
    try:
        w, s, e, n = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise InputError(
            f"extent: expected four numbers west, south, east, north, got {extent!r}"
        ) from None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InputError(f"extent: expected finite degrees, got {extent!r}")
    if not (-180 <= w < e <= 180):
        raise InputError(f"extent: expected -180 <= west < east <= 180, got west {w}, east {e}")
    if not (-90 <= s < n <= 90):
        raise InputError(f"extent: expected -90 <= south < north <= 90, got south {s}, north {n}")
    return w, s, e, n


def _check_dpi(dpi) -> int:
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 50 <= dpi <= 1200:
        raise InputError(f"dpi: expected a number from 50 to 1200, got {dpi!r}")
    return int(dpi)


def _check_pixels(fmt: str, width: float, height: float, dpi: int, size) -> None:
    """A PNG's pixels, before its canvas is allocated."""
    if fmt != "png":
        return
    px = round(width * dpi) * round(height * dpi)
    if px > MAX_PIXELS:
        raise InputError(
            f"dpi: {size} at {dpi} dpi is a PNG of {px / 1e6:,.0f} million pixels, more than "
            f"{MAX_PIXELS / 1e6:,.0f} million; lower --dpi, or write SVG or PDF (vector, any size)"
        )


def check_options(
    *,
    format: str = "png",
    size: str = "A4",
    landscape: bool = False,
    dpi: int = 300,
    extent=None,
    facet: str | None = None,
) -> dict:
    """Check a figure's options without drawing (a CLI can call it before
    reading its input); raise :class:`geo.InputError` naming the bad one.

    Returns them checked: ``format``, ``width`` and ``height`` (inches, whole
    pixels at ``dpi``), ``dpi``, ``extent`` (a tuple or None) and ``facet``.
    What only the data can tell (a legend leaving the map no room) is checked
    when drawing.

    >>> opts = check_options(format="png", size="A5", landscape=True, dpi=72)
    >>> round(opts["width"] * 72), round(opts["height"] * 72)
    (595, 420)
    """
    fmt = format_for(None, format)
    width, height = paper_size(size, landscape=landscape)
    dpi = _check_dpi(dpi)
    _check_pixels(fmt, width, height, dpi, size)
    box = check_extent(extent)
    if facet is not None and facet not in FACETS:
        raise InputError(f"facet: expected one of {', '.join(FACETS)}, got {facet!r}")
    # Whole pixels: A5 at 72 dpi is 595 px across, not 595.3 cut to 595.
    width, height = round(width * dpi) / dpi, round(height * dpi) / dpi
    return {"format": fmt, "width": width, "height": height, "dpi": dpi, "extent": box,
            "facet": facet}  # fmt: skip


def to_image(
    emap,
    target: str | os.PathLike | IO[bytes],
    *,
    format: str | None = None,
    size: str = "A4",
    landscape: bool = False,
    dpi: int = 300,
    extent: tuple[float, float, float, float] | None = None,
    facet: str | None = None,
) -> Path | None:
    """Draw ``emap`` as a static figure and write it to ``target``.

    See :meth:`maps.EventMap.to_image`. Every option is checked before the
    drawing starts; a path is written atomically (a crash leaves no half file).
    """
    is_path = isinstance(target, str | os.PathLike)
    fmt = format_for(target if is_path else None, format)
    if not is_path and not hasattr(target, "write"):
        raise InputError(f"target: expected a path or a binary buffer, got {type(target).__name__}")
    opts = check_options(format=fmt, size=size, landscape=landscape, dpi=dpi, extent=extent,
                         facet=facet)  # fmt: skip
    width, height, dpi, box = opts["width"], opts["height"], opts["dpi"], opts["extent"]
    import matplotlib.style

    # "default" first: RC over matplotlib's defaults, not over the user's settings
    # (rc_context alone would keep every key RC does not name).
    with matplotlib.style.context(["default", RC]):
        if facet is None:
            from maps.figure.single import draw_map

            fig = draw_map(emap, width, height, extent=box)
        else:
            from maps.figure.facets import draw_facets

            fig = draw_facets(emap, width, height, extent=box, by=facet)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    data = buf.getvalue()
    if is_path:
        return write_atomic(target, data)
    target.write(data)
    return None
