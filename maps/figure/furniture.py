"""What frames the map on paper: title, subtitle with the time span, the
notices, the scale bar and the credits and sources line. Every text drawn
from data is literal (``parse_math=False``): a ``$`` stays a dollar."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

from maps.figure.legend import MUTED, TEXT, wrap
from maps.labels import count_label, month_label

__all__ = ["Texts", "texts_of", "draw_scale_bar", "bar_covers", "draw_lines", "CORNERS"]

#: The most sources (and documents) the line names; beyond, it says how many
#: more. Each name is cut at maps.layers.sources.MAX_NAME_CHARS with "…".
_MAX_SOURCES = 12
#: The most lines of the credits and sources block (the data's names never
#: take the map's room: the last line ends with "…").
MAX_SOURCE_LINES = 8


class Texts:
    """The figure's words: title, subtitle, notices, the sources line."""

    def __init__(self, title: str, subtitle: str, notices: list[str], parts: list):
        self.title, self.subtitle, self.notices = title, subtitle, notices
        #: the sources line's parts: (head, names) of the documents and of the
        #: sources cited (each name cut at 200 characters), then the map's credits
        self.parts = parts
        self.sources = " ".join(p if isinstance(p, str) else _named(*p) for p in parts)


def _named(head: str, names: list[str], limit: int = _MAX_SOURCES) -> str:
    more = len(names) - limit
    shown = names[:limit] + ([f"and {more} more"] if more > 0 else [])
    return head + "; ".join(shown) + "."


def _span(emap) -> str:
    """The time span: the selection's window if one was chosen, else the data's."""
    selection = emap._attrs.get("selection") or {}
    window = selection.get("time")
    if window:
        lo, hi = (pd.Timestamp(v) if v else None for v in window)
        first = _day_or_month(lo, True) if lo else "…"
        last = _day_or_month(hi, False) if hi else "…"
        if lo is not None and hi is not None and lo.to_period("M") == hi.to_period("M"):
            if lo.day == 1 and hi.is_month_end:
                return first  # one whole month: "Oct 2024"
        return first if first == last else f"{first} – {last}"
    starts = emap._frame["date_start"].dropna()
    if not len(starts):
        return ""
    ends = emap._frame["date_end"].fillna(emap._frame["date_start"]).dropna()
    return f"{month_label(starts.min(), short=True)} – {month_label(ends.max(), short=True)}"


def _day_or_month(ts: pd.Timestamp, first: bool) -> str:
    """``Oct 2024`` for a month's first (``first``) or last day, else ``3 Oct 2024``."""
    whole = ts.day == 1 if first else ts.is_month_end
    return month_label(ts, short=True) if whole else f"{ts.day} {month_label(ts, short=True)}"


def texts_of(emap, *, projection: str) -> Texts:
    """Title, subtitle (count, time span, selection, data file), notices and
    the credits and sources line of ``emap``."""
    frame = emap._frame
    noun = "features" if emap._attrs.get("generic") else "events"
    parts = [count_label(len(frame), noun)]
    span = _span(emap)
    if span:
        parts.append(span)
    selection = emap._attrs.get("selection") or {}
    # The window is the span already: the selection adds its other filters.
    # (An older selection without "filters" says only its text, when it has no window.)
    filters = selection.get("filters") if "filters" in selection else (
        None if selection.get("time") else selection.get("text"))  # fmt: skip
    if filters:
        parts.append(filters)
    source = Path(emap._attrs.get("file") or "").name
    if source:
        parts.append(f"data: {source}")
    from maps.layers.sources import capped_names, cited_sources, document_names

    line: list = []
    for head, names in (
        ("Documents", document_names(emap._attrs)),
        ("Sources cited", cited_sources(emap._frame)),
    ):
        if names:
            line.append((f"{head}: ", capped_names(names, len(names))))
    credits = [p for p in emap._provenance() if not p.startswith("Leaflet")]
    credits.insert(1, f"matplotlib {matplotlib.__version__}")
    line.append("Map: " + " · ".join(credits) + f" · {projection}.")
    return Texts(emap.title, " · ".join(parts), paper_notices(emap), line)


def paper_notices(emap) -> list[str]:
    """The page's notices, for paper: a flagged event has no popup there, so
    the notice says what flagged means and names the file that lists them
    (``EventMap(flagged_file=)``: the CLI's ``OUTPUT.flagged.csv``)."""
    flagged = len(emap._attrs.get("flagged") or [])
    if not flagged:
        return list(emap._notices())
    page = count_label(flagged, "events") + " flagged"
    note = f"{page} (placed with a doubt"
    if emap.flagged_file:
        note += f"; listed in {Path(emap.flagged_file).name}"
    note += ")"
    return [note if n.startswith(page) else n for n in emap._notices()]


#: The most lines the documents, and the sources cited, each take of the
#: sources block; the map's credits are always whole.
MAX_PART_LINES = 3


def source_lines(texts: Texts, width: float, size: float) -> list[str]:
    """The sources block's lines at ``size`` pt in ``width`` pt: the documents
    and the sources cited as many names as fit :data:`MAX_PART_LINES` lines
    each (at most 12; the rest "and N more"), the whole block at most
    :data:`MAX_SOURCE_LINES` (the last line then ends with "…")."""
    parts = []
    for part in texts.parts:
        if not isinstance(part, str):
            head, names = part
            limit = min(len(names), _MAX_SOURCES)
            while (
                limit > 1 and len(wrapped(_named(head, names, limit), width, size)) > MAX_PART_LINES
            ):
                limit -= 1
            part = _named(head, names, limit)
        parts.append(part)
    lines = wrapped(" ".join(parts), width, size)
    if len(lines) > MAX_SOURCE_LINES:
        lines = [*lines[: MAX_SOURCE_LINES - 1], lines[MAX_SOURCE_LINES - 1].rstrip() + " …"]
    return lines


def draw_lines(fig, x, y, lines, size, *, color=TEXT, weight="normal", style="normal",
               gid=None) -> float:  # fmt: skip
    """Text lines from (x, y) figure points (top left, y down from the
    paper's top); returns the height used."""
    h = fig.bbox_inches.height * 72
    if not lines:
        return 0.0
    fig.text(x / (fig.bbox_inches.width * 72), 1 - y / h, "\n".join(lines), fontsize=size,
             color=color, fontweight=weight, fontstyle=style, va="top", ha="left",
             linespacing=1.2, parse_math=False, gid=gid)  # fmt: skip
    return size * 1.2 * len(lines)


def wrapped(text: str, width: float, size: float) -> list[str]:
    return wrap(text, width, size) if text else []


def _bar_boxes(view):
    """The scale bar's ground length, length in points, box width and
    height (projected) and its box's lower left in each corner."""
    metres, length = view.scale_bar(max(40.0, view.width * 0.2))
    per = view.per_pt
    bw, bh = (length + 64) * per, 30 * per
    (xmin, xmax), (ymin, ymax) = view.xlim, view.ylim
    spots = {
        "bottom left": (xmin + 6 * per, ymin + 6 * per),
        "bottom right": (xmax - 6 * per - bw, ymin + 6 * per),
        "top right": (xmax - 6 * per - bw, ymax - 6 * per - bh),
        "top left": (xmin + 6 * per, ymax - 6 * per - bh),
    }
    return metres, length, bw, bh, spots


def bar_covers(view, avoid, corner: str) -> int:
    """How many of ``avoid`` (x, y arrays, projected) the scale bar's box
    would cover in ``corner``."""
    if avoid is None or not len(avoid[0]):
        return 0
    _, _, bw, bh, spots = _bar_boxes(view)
    x, y = spots[corner]
    m = 8 * view.per_pt  # a symbol whose centre is just outside still shows under it
    ax_, ay_ = (np.asarray(v, dtype=float) for v in avoid)
    return int(((ax_ >= x - m) & (ax_ <= x + bw + m) & (ay_ >= y - m) & (ay_ <= y + bh + m)).sum())


#: Where a scale bar may go, in order of preference.
CORNERS = ("bottom left", "bottom right", "top right", "top left")


def draw_scale_bar(ax, view, *, size: float = 7.0, avoid=None, corners=CORNERS):
    """A scale bar in a corner of the map, true at its centre; returns its
    white box (the patch), whose ``em_scale`` is (ground metres, length in
    points). Of ``corners``, it takes the one whose box covers the fewest of
    ``avoid`` (projected x, y arrays: the symbols drawn), the first on a tie."""
    from matplotlib.patches import Rectangle

    metres, length, bw, bh, spots = _bar_boxes(view)
    per = view.per_pt
    km = metres / 1000
    label = f"{km:,.0f} km" if km >= 1 else f"{metres:,.0f} m"
    corner = min(corners, key=lambda c: (bar_covers(view, avoid, c), corners.index(c)))
    bx, by = spots[corner]
    x0, y0 = bx + 6 * per, by + 6 * per
    box = Rectangle((bx, by), bw, bh, facecolor=(1, 1, 1, 0.85), edgecolor="none", zorder=8)
    box.em_scale = (metres, length)
    ax.add_patch(box)
    half = length / 2
    for i, color in enumerate(("#333333", "#ffffff")):
        ax.add_patch(Rectangle((x0 + i * half * per, y0), half * per, 3.5 * per,
                               facecolor=color, edgecolor="#333333", linewidth=0.6,
                               zorder=9, gid="em-scale-bar" if i == 0 else None))  # fmt: skip
    ax.text(x0, y0 + 6 * per, "0", fontsize=size, ha="center", va="bottom", zorder=9,
            color=TEXT, parse_math=False)  # fmt: skip
    ax.text(x0 + length * per, y0 + 6 * per, label, fontsize=size, ha="center", va="bottom",
            zorder=9, color=TEXT, parse_math=False, gid="em-scale-label")  # fmt: skip
    lat = view.lat0
    ax.text(x0 + length * per + 6 * per + (len(label) * size * 0.3) * per, y0 + 1.5 * per,
            f"at {abs(lat):.0f}°{'N' if lat >= 0 else 'S'}", fontsize=size * 0.85, ha="left",
            va="center", zorder=9, color=MUTED, parse_math=False)  # fmt: skip
    return box
