"""``eventmap render``: an event file to a self-contained HTML map.

The summary (events read and drawn, places resolved, the unresolved and truncated
ones, the layers) goes to stderr.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

__all__ = ["add_parser"]


def add_parser(subparsers) -> None:
    """Add the ``render`` subcommand."""
    render = subparsers.add_parser(
        "render",
        help="render an event file to an interactive HTML map",
        description="Render events (YAML, CSV/ACLED, GeoJSON, GeoParquet) to a self-contained "
        "HTML map.",
    )
    render.add_argument("file", type=Path, help="the event file")
    render.add_argument(
        "-o", "--output", type=Path, help="the HTML file to write (default: FILE's name .html)"
    )
    render.add_argument(
        "--offline",
        action="store_true",
        help="embed a basemap instead of loading tiles: the page makes no network request",
    )
    render.add_argument("--title", help="the map's title (default: the file's title)")
    render.add_argument(
        "--layer",
        choices=("auto", "rich", "compact"),
        default="auto",
        help="rich: one interactive feature per event; compact: point events on a canvas, for "
        "10^5-10^6 events; auto (default): compact above a few thousand events",
    )
    render.add_argument(
        "--aggregate",
        action="store_true",
        help="with the compact layer: group points into counted clusters when zoomed out",
    )
    render.add_argument(
        "--strict", action="store_true", help="fail (exit 2) if any place name is unresolved"
    )
    render.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    render.set_defaults(run=_run)


def _run(args: argparse.Namespace, console: Console) -> int:
    from geo import read_events
    from maps._output import check_writable
    from maps.page import EventMap

    out = check_writable(args.output or Path(args.file.with_suffix(".html").name))
    started = time.perf_counter()
    # Names, paths and titles come from data: the console shows them as text,
    # never as rich markup (a "[/x]" in a place name would raise).
    with console.status(f"Reading and geocoding {escape(str(args.file))} …"):
        events = read_events(args.file, strict=args.strict)
    with console.status("Rendering the map …"):
        emap = EventMap(
            events,
            title=args.title,
            offline=args.offline,
            layer=args.layer,
            aggregate=args.aggregate,
        )
        path = emap.save(out)
    summary = emap.summary
    size = path.stat().st_size
    console.print(
        f"[bold]{summary.events}[/] events read, [bold]{summary.drawn}[/] drawn; "
        f"[bold]{summary.places}[/] places resolved, "
        f"[bold]{len(summary.unresolved)}[/] unresolved"
    )
    for u in summary.unresolved:
        console.print(f"  [yellow]unresolved[/] {escape(str(u))}", highlight=False)
    for note in events.attrs.get("truncated") or []:
        console.print(f"  [yellow]truncated[/] {escape(str(note))}", highlight=False)
    layers = ", ".join(f"{name} ({n})" for name, n in summary.layers.items())
    console.print(f"{len(summary.layers)} {emap.layer} layers: {escape(layers)}", highlight=False)
    console.print(
        f"wrote [bold]{escape(str(path))}[/] ({size / 1024:,.0f} KiB"
        f"{', offline' if args.offline else ''}) in {time.perf_counter() - started:.2f} s",
        highlight=False,
    )
    return 0
