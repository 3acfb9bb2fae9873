"""``eventmap render``: event files to a self-contained HTML map.

Several files, or a folder, are read as one dataset. A bad record is skipped,
never fatal: the summary on stderr counts the rejected records and shows the
first ones (file: record: field: reason), and ``<output>.rejects.csv`` lists
them all. Events placed with a doubt are counted and shown likewise (and on
their popups), and listed in ``<output>.flagged.csv``. ``--report FILE.csv``
writes the resolution report: every distinct place name, its resolution,
precision, score and runner-up.
``--strict`` makes any rejected record, unresolved place or flagged event an
error: exit 2, one located line, nothing written.

Every output is checked before the work starts and written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from maps.contract import AGGREGATES

__all__ = ["add_parser"]

#: How many rejected records, flagged events and unresolved names the summary shows.
SHOWN = 5


def add_parser(subparsers) -> None:
    """Add the ``render`` subcommand."""
    render = subparsers.add_parser(
        "render",
        help="render event files to an interactive HTML map",
        description="Render events (YAML; CSV, TSV, XLSX or JSON exports of ACLED, UCDP GED "
        "or GDELT; GeoJSON, GeoParquet, GeoPackage) to a self-contained HTML map. Several "
        "files, or a folder, are read as one dataset.",
    )
    render.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="an event file or a folder of them"
    )
    render.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the HTML file to write (default: the first FILE's name, .html)",
    )
    basemap = render.add_mutually_exclusive_group()
    basemap.add_argument(
        "--tiles",
        metavar="NAME",
        help="online tiles instead of the embedded basemap: any xyzservices provider "
        "without an API key (Esri.WorldGrayCanvas, Esri.WorldImagery, OpenTopoMap, "
        "OpenStreetMap.Mapnik); the page then loads images from that provider",
    )
    basemap.add_argument(
        "--offline",
        action="store_true",
        help="the embedded basemap, no network request (the default; kept as a synonym)",
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
        choices=AGGREGATES,
        default="points",
        help="how point events are first shown (the page can switch): points (default), "
        "cluster (counted clusters when zoomed out), hexbin, region (a choropleth of "
        "admin-1 regions by events or fatalities) or heat",
    )
    render.add_argument(
        "--report",
        type=Path,
        metavar="FILE.csv",
        help="write the resolution report: every distinct place name, its resolution, "
        "precision, score and runner-up",
    )
    render.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 2, nothing written) if any record is rejected, any place name is "
        "unresolved or any event is placed with a doubt; by default bad records are skipped "
        "and listed in OUTPUT.rejects.csv, doubtful events flagged in OUTPUT.flagged.csv",
    )
    render.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    render.set_defaults(run=_run)


def _run(args: argparse.Namespace, console: Console) -> int:
    from geo import read_events
    from geo.io.atomic import check_writable
    from maps.cli.reports import flagged_path, rejects_path, write_rejects, write_resolution_report
    from maps.page import EventMap

    out = check_writable(args.output or _default_output(args.files[0]))
    rejects = check_writable(rejects_path(out))
    doubts = check_writable(flagged_path(out))
    report = check_writable(args.report) if args.report else None
    outputs = {"the map": out, "the rejects": rejects, "the flagged": doubts, "the report": report}
    _refuse_overwriting_inputs(args.files, outputs)
    started = time.perf_counter()
    given = _inputs(args.files, [rejects, doubts, report])
    # Names, paths and titles come from data: the console shows them as text,
    # never as rich markup (a "[/x]" in a place name would raise).
    shown = ", ".join(str(f) for f in args.files)
    with console.status(f"Reading and geocoding {escape(shown)} …"):
        events = read_events(given, strict=args.strict)  # strict: raises, nothing written
    rejected = list(events.attrs.get("rejected") or [])
    flagged = list(events.attrs.get("flagged") or [])

    with console.status("Rendering the map …"):
        emap = EventMap(
            events,
            title=args.title,
            offline=args.offline,
            tiles=args.tiles,
            layer=args.layer,
            aggregate=args.aggregate,
            rejects_file=rejects.name if rejected else None,  # the map names it in its note
        )
        path = emap.save(out)
    for listed, entries in ((rejects, rejected), (doubts, flagged)):
        if entries:
            write_rejects(listed, entries)
        elif listed.is_file():  # an earlier run's, which would list what this run has not
            with contextlib.suppress(OSError):
                listed.unlink()
                console.print(
                    f"removed {escape(str(listed))} (an earlier run's)",
                    highlight=False,
                    soft_wrap=True,
                )
    if report is not None:
        write_resolution_report(
            report, events.attrs.get("places") or [], events.attrs.get("unresolved") or []
        )

    summary = emap.summary
    records = events.attrs.get("records", len(events) + len(rejected))
    files = events.attrs.get("files") or [events.attrs.get("file")]
    console.print(
        f"[bold]{records:,}[/] {_plural(records, 'records')} read from "
        f"{len(files)} {_plural(len(files), 'files')}: [bold]{summary.events:,}[/] "
        f"{_plural(summary.events, 'events')}, [bold]{len(rejected):,}[/] rejected"
        + (f" (listed in [bold]{escape(str(rejects))}[/])" if rejected else ""),
        highlight=False,
        soft_wrap=True,
    )
    _listed(console, "rejected", rejected, f"in {rejects}")
    if flagged:
        console.print(
            f"[bold]{len(flagged):,}[/] {_plural(len(flagged), 'events')} flagged "
            "(placed with a doubt, said on their popups; listed in "
            f"[bold]{escape(str(doubts))}[/])",
            highlight=False,
            soft_wrap=True,
        )
        _listed(console, "flagged", flagged, f"in {doubts}")
    console.print(
        f"[bold]{summary.drawn:,}[/] drawn; [bold]{summary.places:,}[/] places resolved, "
        f"[bold]{len(summary.unresolved):,}[/] unresolved",
        highlight=False,
        soft_wrap=True,
    )
    _listed(console, "unresolved", summary.unresolved, "in the --report" if not report else "")
    for note in events.attrs.get("truncated") or []:
        console.print(
            f"  [yellow]truncated[/] {escape(str(note))}", highlight=False, soft_wrap=True
        )
    for note in events.attrs.get("notes") or []:
        console.print(f"  [yellow]note[/] {escape(str(note))}", highlight=False, soft_wrap=True)
    layers = ", ".join(f"{name} ({n})" for name, n in summary.layers.items())
    console.print(
        f"{len(summary.layers)} {emap.layer} layers: {escape(layers)}",
        highlight=False,
        soft_wrap=True,
    )
    if report is not None:
        console.print(
            f"wrote the resolution report to {escape(str(report))}", highlight=False, soft_wrap=True
        )
    tiles = f", tiles: {escape(args.tiles)}" if args.tiles else ""
    if args.tiles and args.tiles.lower().startswith("openstreetmap"):
        console.print(
            "note: OpenStreetMap's tile servers refuse pages opened from disk (file://): "
            "serve the page over http, or pick another provider (--tiles Esri.WorldGrayCanvas)",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"wrote [bold]{escape(str(path))}[/] ({path.stat().st_size / 1024:,.0f} KiB{tiles}) "
        f"in {time.perf_counter() - started:.2f} s",
        highlight=False,
        soft_wrap=True,
    )
    return 0


def _default_output(first: Path) -> Path:
    """The map beside the current folder, named after the first file or the folder."""
    if first.is_dir():
        return Path(f"{first.resolve().name or 'events'}.html")
    return Path(first.with_suffix(".html").name)


def _inputs(files: list[Path], outputs: list[Path | None]) -> Path | list[Path]:
    """What to read: a folder that holds this run's outputs (an earlier run's rejects, the
    report) stands for its event files without them, which are not events."""
    from geo.io.reader import SUFFIXES

    outs = {p.resolve() for p in outputs if p is not None}
    given: list[Path] = []
    for f in files:
        if f.is_dir() and any(o.parent == f.resolve() for o in outs):
            given += sorted(
                p for p in f.iterdir()
                if p.is_file() and not p.name.startswith(".")
                and p.name.lower().endswith(SUFFIXES) and p.resolve() not in outs
            )  # fmt: skip
        else:
            given.append(f)
    return given[0] if len(given) == 1 else given


def _refuse_overwriting_inputs(files: list[Path], outputs: dict) -> None:
    """An output path that is one of the files read (``--report events.csv``) is refused:
    writing it would replace the data."""
    from geo.errors import OutputError

    inputs = {f.resolve() for f in files if f.is_file()}
    named = {}
    for what, path in outputs.items():
        if path is None:
            continue
        if path.resolve() in inputs:
            raise OutputError(f"is a file being read; {what} would replace it", path=str(path))
        if path.resolve() in named:
            raise OutputError(f"{named[path.resolve()]} and {what} would be the same file",
                              path=str(path))  # fmt: skip
        named[path.resolve()] = what


def _listed(console: Console, label: str, items: list, rest: str) -> None:
    """The first :data:`SHOWN` of ``items``, one a line, then how many more (and where)."""
    for item in items[:SHOWN]:
        console.print(f"  [yellow]{label}[/] {escape(str(item))}", highlight=False, soft_wrap=True)
    if len(items) > SHOWN:
        where = f" {escape(rest)}" if rest else ""
        console.print(
            f"  … and {len(items) - SHOWN:,} more{where}", highlight=False, soft_wrap=True
        )


def _plural(n: int, nouns: str) -> str:
    """``nouns`` as said of ``n`` things, by the rule the map's labels use."""
    from maps.labels import singular

    return singular(nouns) if n == 1 else nouns
