"""The figure's legend: every part of the page's (``EventMap._legend()``):
an entry per layer, the size scales with sample symbols at the map's sizes,
the placement marks and the notes, laid out in one or more columns.

Sizes are points (1 px of the page = 0.75 pt); the legend is drawn in an
axes whose data units are points from its top left, so a symbol of the
legend is the size of the same symbol on the map.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from maps.figure.paths import PX
from maps.figure.symbols import circle_style

__all__ = ["legend_blocks", "draw_columns", "Block", "TEXT", "MUTED"]

TEXT = "#1a1a1a"
MUTED = "#555555"
#: The page's interaction hints, which mean nothing on paper.
_PAGE_ONLY = ("Click a symbol",)


@dataclass
class Block:
    """A piece of the legend, ``height`` points tall, drawn by ``draw(ax, x, y)``
    with its top left at (x, y) (y grows downwards)."""

    height: float
    draw: Callable


def wrap(text: str, width_pt: float, size: float) -> list[str]:
    """Lines of ``text`` that fit ``width_pt`` at ``size`` pt (DejaVu Sans
    averages 0.55 em a character)."""
    chars = max(8, int(width_pt / (size * 0.56)))
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


def _text(ax, x, y, s, size, **kw):
    return ax.text(x, y, s, fontsize=size, va="top", ha="left", parse_math=False,
                   color=kw.pop("color", TEXT), **kw)  # fmt: skip


def _swatch(ax, x, y, w, h, entry) -> None:
    """The legend's symbol of a layer, as the page's legend draws it."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon, Rectangle

    color, symbol = entry["color"], entry["symbol"]
    cy = y + h / 2
    if symbol in ("flow", "animated", "line"):
        # Solid: on paper a moving (animated) flow is drawn as any flow.
        ax.add_line(Line2D([x, x + w - 5], [cy, cy], color=color, linewidth=3,
                           solid_capstyle="butt"))  # fmt: skip
        if symbol != "line":
            ax.add_patch(Polygon([[x + w - 7, cy - 4], [x + w, cy], [x + w - 7, cy + 4]],
                                 closed=True, facecolor=color, edgecolor="none"))  # fmt: skip
    elif symbol == "area":
        from matplotlib.colors import to_rgba

        r, g, b, _ = to_rgba(color)
        ax.add_patch(Rectangle((x + 2, y + 1), w - 4, h - 2, facecolor=(r, g, b, 0.35),
                               edgecolor=color, linewidth=1.5 * PX))  # fmt: skip
    else:
        dot = symbol == "dot"
        style = circle_style(color, "exact", False, dot)
        if dot:
            style["edgecolors"] = ["#ffffff"]
        ax.scatter([x + w / 2], [cy], s=(6 * PX * 2) ** 2 if dot else 10**2, zorder=3,
                   **{k: v for k, v in style.items() if k != "capstyle"})  # fmt: skip
        if dot:  # the page rings a dot in its colour, so a white edge shows on white
            ax.scatter([x + w / 2], [cy], s=(6 * PX * 2 + 2) ** 2, facecolors="none",
                       edgecolors=[color], linewidths=0.75, zorder=2)  # fmt: skip


def legend_blocks(
    block: dict, width: float, *, size: float = 7.5, extra: list[str] = (), scale: float = 1.0
) -> list[Block]:
    """The legend's blocks for a column ``width`` points wide: entries, size
    scales, placement marks and notes (with ``extra`` notes of the figure).
    ``scale`` sizes the size scales' samples as the map's symbols are drawn
    (small multiples draw them smaller)."""
    out: list[Block] = []
    line = size * 1.25
    sw = 22.0  # swatch width

    for entry in block["entries"]:
        lines = wrap(entry["label"], width - sw - 6, size)
        h = max(line * len(lines), 11.0) + 3

        def draw(ax, x, y, e=entry, ls=lines, h=h):
            _swatch(ax, x, y, sw, min(h - 3, 11.0), e)
            _text(ax, x + sw + 6, y, "\n".join(ls), size, linespacing=1.15)

        out.append(Block(h, draw))

    for sc in block["scales"]:
        lines = wrap(sc["label"], width, size * 0.93)
        head = line * len(lines) + 2
        sizes = [{**s, "px": s["px"] * scale} for s in sc["sizes"]]
        if sc["symbol"] == "circle":
            diam = [s["px"] * PX for s in sizes]
            h = head + max(diam, default=0) + size * 1.3 + 4

            def draw(ax, x, y, ls=lines, sizes=sizes, diam=diam, head=head):
                _text(ax, x, y, "\n".join(ls), size * 0.93, color=MUTED, linespacing=1.15)
                cx = x + 2
                base = y + head + max(diam)
                for i, (s, d) in enumerate(zip(sizes, diam, strict=True)):
                    style = circle_style("#555555", "exact", False, False)
                    style.pop("capstyle")
                    ax.scatter([cx + d / 2], [base - d / 2], s=d**2, gid=f"em-legend-size-{i}",
                               **style)  # fmt: skip
                    ax.text(cx + d / 2, base + 2, s["label"], fontsize=size * 0.9,
                            ha="center", va="top", color=TEXT, parse_math=False)  # fmt: skip
                    cx += max(d, size * 0.6 * len(s["label"])) + 8

        else:
            rows = [max(s["px"] * PX, size) + 3 for s in sizes]
            h = head + sum(rows) + 3

            def draw(ax, x, y, ls=lines, sizes=sizes, rows=rows, head=head):
                from matplotlib.lines import Line2D

                _text(ax, x, y, "\n".join(ls), size * 0.93, color=MUTED, linespacing=1.15)
                cy = y + head
                for s, r in zip(sizes, rows, strict=True):
                    ax.add_line(Line2D([x + 2, x + 32], [cy + r / 2] * 2, color="#555555",
                                       alpha=0.85, linewidth=s["px"] * PX,
                                       solid_capstyle="butt"))  # fmt: skip
                    ax.text(x + 38, cy + r / 2, s["label"], fontsize=size * 0.9, va="center",
                            ha="left", color=TEXT, parse_math=False)  # fmt: skip
                    cy += r

        out.append(Block(h, draw))

    if block["marks"]:
        # The heading and the marks are one block: a column never ends on the heading.
        top = line + 2
        rows = []
        for mark in block["marks"]:
            lines = wrap(mark["label"], width - sw - 6, size * 0.93)
            rows.append((mark, lines, max(line * len(lines), 12.0) + 3))

        def draw(ax, x, y, rows=rows, top=top):
            _text(ax, x, y, "Placement", size, fontweight="bold")
            y += top
            for m, ls, h in rows:
                style = circle_style("#555555", m["placed"], False, False)
                style.pop("capstyle")
                ax.scatter([x + sw / 2], [y + 6], s=11**2, **style)
                _text(ax, x + sw + 6, y, "\n".join(ls), size * 0.93, linespacing=1.15)
                y += h

        out.append(Block(top + sum(h for _, _, h in rows), draw))

    notes = [n for n in block["notes"] if not n.startswith(_PAGE_ONLY)] + list(extra)
    for note in notes:
        lines = wrap(note, width, size * 0.9)
        h = line * 0.95 * len(lines) + 3
        out.append(Block(h, lambda ax, x, y, ls=lines: _text(
            ax, x, y, "\n".join(ls), size * 0.9, color=MUTED, fontstyle="italic",
            linespacing=1.1)))  # fmt: skip
    return out


def pack(blocks: list[Block], columns: int) -> list[list[Block]]:
    """Blocks into ``columns`` columns of about equal height, in order."""
    total = sum(b.height for b in blocks)
    target = total / columns
    out: list[list[Block]] = [[]]
    acc = 0.0
    for b in blocks:
        if out[-1] and acc + b.height / 2 > target and len(out) < columns:
            out.append([])
            acc = 0.0
        out[-1].append(b)
        acc += b.height
    return out


def draw_columns(ax, cols: list[list[Block]], col_width: float, gap: float) -> None:
    """Draw packed columns into ``ax`` (data units: points, y down)."""
    for i, col in enumerate(cols):
        x = i * (col_width + gap)
        y = 0.0
        for b in col:
            b.draw(ax, x, y)
            y += b.height
