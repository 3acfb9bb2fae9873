"""``eventmap render``: event files to a self-contained HTML map, a print-quality
static figure (SVG, PDF, PNG), or an embeddable fragment.

Several files, or a folder, are read as one dataset. A bad record is skipped,
never fatal: the summary on stderr counts the rejected records and shows the
first ones (file: record: field: reason), and ``<output>.rejects.csv`` lists
them all. Events placed with a doubt are counted and shown likewise (and on
their popups), and listed in ``<output>.flagged.csv``. ``--report FILE.csv``
writes the resolution report: every distinct place name, its resolution,
precision, score and runner-up.
``--strict`` makes any rejected record, unresolved place or flagged event an
error: exit 2, one located line, nothing written.

The output's extension picks the format (``.html``, ``.svg``, ``.pdf``,
``.png``; ``--format`` overrides it); ``--fragment`` writes the page as an
``<iframe srcdoc>`` for Quarto, Jupyter Book or a CMS. The filters
(``--time``, ``--kind``, ...) mean what the page's filters mean
(:func:`maps.select`), for every format.

Every output and figure option is checked before the work starts (maps.figure.check_options),
and every output written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from maps import figure
from maps.contract import AGGREGATES

__all__ = ["add_parser"]

#: How many rejected records, flagged events and unresolved names the summary shows.
SHOWN = 5

#: The formats, by the extensions that pick them: HTML and the static ones
#: (maps.figure's package module is light: the drawing is imported when drawn).
FORMATS = ("html", *figure.FORMATS)
_EXTENSIONS = {".html": "html", ".htm": "html", **{f".{f}": f for f in figure.FORMATS}}
#: What the figure does with an option left out.
_FIGURE_DEFAULTS = figure.to_image.__kwdefaults__
#: The static-only options: (argparse dest, flag), refused with HTML output.
_STATIC = (("size", "--size"), ("landscape", "--landscape"), ("dpi", "--dpi"),
           ("extent", "--extent"), ("facet", "--facet"))  # fmt: skip
#: The filters: (argparse dest, flag, maps.select keyword).
_FILTERS = (("time", "--time", "time"), ("kind", "--kind", "kinds"),
            ("sub_type", "--sub-type", "sub_types"), ("actor", "--actor", "actors"),
            ("country", "--country", "countries"), ("admin1", "--admin1", "regions"),
            ("fatalities", "--fatalities", "fatalities"),
            ("precision", "--precision", "precision"),
            ("search", "--search", "search"))  # fmt: skip


def add_parser(subparsers) -> None:
    """Add the ``render`` subcommand."""
    render = subparsers.add_parser(
        "render",
        help="render event files to an interactive HTML map or a static SVG, PDF or PNG",
        description="Render events (YAML; CSV, TSV, XLSX or JSON exports of ACLED, UCDP GED "
        "or GDELT; GeoJSON, GeoParquet, GeoPackage) to a self-contained HTML map, a "
        "print-quality SVG, PDF or PNG figure (drawn without a browser), or an embeddable "
        "fragment. Several files, or a folder, are read as one dataset.",
    )
    render.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="an event file or a folder of them"
    )
    render.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the file to write; its extension picks the format: .html, .svg, .pdf or .png "
        "(default: the first FILE's name, with the format's extension)",
    )
    render.add_argument(
        "--format",
        choices=FORMATS,
        help="the format, whatever the output's extension (default: from the extension; html)",
    )
    render.add_argument(
        "--fragment",
        action="store_true",
        help="write the map as an embeddable <iframe srcdoc> (for Quarto, Jupyter Book or a "
        "CMS) instead of a whole page (default output: FILE.frag.html)",
    )
    static = render.add_argument_group(
        "static figures (SVG, PDF, PNG)",
        "The same layers, legend and sources as the page, on the embedded basemap, with a "
        "scale bar and the time span.",
    )
    static.add_argument(
        "--size",
        metavar="SIZE",
        help=f"paper size: {_FIGURE_DEFAULTS['size']} (default), "
        f"{', '.join(p for p in figure.PAPER if p != _FIGURE_DEFAULTS['size'])}, or WxH in mm "
        "or in (180x120mm, 7x5in)",
    )
    static.add_argument("--landscape", action="store_true", help="turn the paper sideways")
    static.add_argument(
        "--dpi",
        metavar="N",
        help=f"pixels per inch of a PNG (default {_FIGURE_DEFAULTS['dpi']})",
    )
    static.add_argument(
        "--extent",
        metavar="W,S,E,N",
        help="the area drawn, in degrees (default: the data's); write --extent=-10,35,40,60 "
        "when W is negative",
    )
    static.add_argument(
        "--facet",
        choices=figure.FACETS,
        help="small multiples: one panel per month or per kind, one shared legend",
    )
    filters = render.add_argument_group(
        "filters (every format)",
        "Keep the events the page's filters would show. Names are ids or labels, "
        "case-insensitive; a repeated option keeps events with any of its values.",
    )
    filters.add_argument(
        "--time",
        metavar="FROM/TO",
        help="events overlapping a window: 2024-10/2024-12, 2024-10 (one month), 2024/, "
        "/2024-06-30 (YYYY, YYYY-MM or YYYY-MM-DD ends); undated events are left out",
    )
    for flag, noun, example in (
        ("--kind", "kind", "battles or Battles"),
        ("--sub-type", "sub-type", "'Armed clash'"),
        ("--actor", "actor", "'Military Forces of Russia (2000-)'"),
        ("--country", "country", "UA or Ukraine"),
        ("--admin1", "admin-1 region", "'Kursk Oblast' or ne:RU-KRS"),
        ("--precision", "place precision", "point, near, admin2, admin1, country, area"),
    ):
        filters.add_argument(
            flag, action="append", metavar="NAME", help=f"keep events of this {noun} ({example}); "
            "repeatable",
        )  # fmt: skip
    filters.add_argument(
        "--fatalities",
        metavar="MIN-MAX",
        help="events with a fatalities figure in range, both included: 1-10, 100-, -5",
    )
    filters.add_argument(
        "--search", metavar="TEXT", help="events whose title, place, description or notes "
        "hold TEXT (case and accents aside)",
    )  # fmt: skip
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
    from geo import InputError, read_events
    from geo.io.atomic import check_writable
    from maps.cli.reports import flagged_path, rejects_path, write_rejects, write_resolution_report
    from maps.page import EventMap

    if args.output is not None:  # a folder, or a file being read, is said before its extension
        _refuse_overwriting_inputs(args.files, {"the map": check_writable(args.output)})
    fmt = _format(args)
    static = _static_options(args, fmt)
    wanted = _wanted(args)
    out = check_writable(args.output or _default_output(args.files[0], fmt, args.fragment))
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
    read = len(events)
    if wanted:
        events = _select(events, wanted)

    with console.status("Rendering the map …"):
        emap = EventMap(
            events,
            title=args.title,
            offline=args.offline,
            tiles=args.tiles,
            layer=args.layer,
            aggregate=args.aggregate,
            rejects_file=rejects.name if rejected else None,  # the map names it in its note
            flagged_file=doubts.name if flagged else None,
        )
        if fmt != "html":
            try:  # checked before the reading; what only the data can tell, said now
                path = emap.to_image(out, format=fmt, **static)
            except InputError as exc:
                raise _as_flag(exc) from None
        elif args.fragment:
            from maps._output import write_atomic

            path = write_atomic(out, emap.to_iframe().encode("utf-8"))
        else:
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
    records = events.attrs.get("records", read + len(rejected))
    files = events.attrs.get("files") or [events.attrs.get("file")]
    console.print(
        f"[bold]{records:,}[/] {_plural(records, 'records')} read from "
        f"{len(files)} {_plural(len(files), 'files')}: [bold]{read:,}[/] "
        f"{_plural(read, 'events')}, [bold]{len(rejected):,}[/] rejected"
        + (f" (listed in [bold]{escape(str(rejects))}[/])" if rejected else ""),
        highlight=False,
        soft_wrap=True,
    )
    if wanted:
        selection = events.attrs.get("selection") or {}
        console.print(
            f"[bold]{summary.events:,}[/] of {read:,} {_plural(read, 'events')} kept: "
            f"{escape(str(selection.get('text', '')))}",
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


def _default_output(first: Path, fmt: str = "html", fragment: bool = False) -> Path:
    """The map in the current folder, named after the first file or the folder,
    with the format's extension (``.frag.html`` for a fragment)."""
    suffix = ".frag.html" if fragment else f".{fmt}"
    if first.is_dir():
        return Path(f"{first.resolve().name or 'events'}{suffix}")
    return Path(first.with_suffix("").name + suffix)


def _format(args: argparse.Namespace) -> str:
    """The output's format: --format, else the output's extension, else html."""
    from geo.errors import InputError

    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = _EXTENSIONS.get(args.output.suffix.lower())
        if fmt is None:
            accepted = ", ".join(_EXTENSIONS)
            got = f"'{args.output.suffix}'" if args.output.suffix else "no extension"
            raise InputError(f"{args.output}: {got}: expected one of {accepted} (or say --format)")
    fmt = fmt or "html"
    if args.fragment and fmt != "html":  # said as given: the --format, else the -o name
        if args.format is not None:
            raise InputError(f"--fragment writes HTML, not {fmt.upper()}: leave out "
                             f"--format {fmt}")  # fmt: skip
        raise InputError(f"--fragment writes HTML, but -o {args.output} names a "
                         f"{fmt.upper()} file: give -o a .html name")  # fmt: skip
    return fmt


def _static_options(args: argparse.Namespace, fmt: str) -> dict:
    """to_image's options, checked before the work starts; each is refused with HTML."""
    from geo.errors import InputError

    given = [flag for dest, flag in _STATIC if getattr(args, dest) not in (None, False)]
    if fmt == "html":
        if given:
            raise InputError(f"{', '.join(given)}: only for static figures (svg, pdf, png); "
                             "the output is HTML")  # fmt: skip
        return {}
    if args.tiles:
        raise InputError("--tiles: a static figure is drawn on the embedded basemap; "
                         "leave --tiles out")  # fmt: skip
    given = {"size": args.size, "landscape": args.landscape, "dpi": _whole(args.dpi, "--dpi"),
             "extent": _extent(args.extent), "facet": args.facet}  # fmt: skip
    options = {k: _FIGURE_DEFAULTS[k] if v is None else v for k, v in given.items()}
    try:
        checked = figure.check_options(format=fmt, **options)
    except InputError as exc:
        raise _as_flag(exc) from None
    return {**options, "extent": checked["extent"]}


def _as_flag(exc):
    """A figure option's error (``size: expected ...``) as the flag's (``--size: ...``)."""
    from geo.errors import InputError

    text = str(exc)
    if any(text.startswith(f"{dest}:") for dest, _ in (*_STATIC, ("format", ""))):
        return InputError(f"--{text}")
    return exc


def _wanted(args: argparse.Namespace) -> dict:
    """maps.select's keywords of the filters given; the window and range checked now,
    before the reading (the names need the data)."""
    from geo.errors import InputError
    from maps.ranges import fatality_range, time_window

    wanted = {
        kw: getattr(args, dest) for dest, _, kw in _FILTERS if getattr(args, dest) is not None
    }
    for check, kw, flag in ((time_window, "time", "--time"),
                            (fatality_range, "fatalities", "--fatalities")):  # fmt: skip
        try:
            check(wanted.get(kw))
        except InputError as exc:
            raise InputError(f"{flag}: {exc.reason}") from None
    return wanted


def _select(events, wanted: dict):
    """The events the filters keep; an error names the flag, not the keyword."""
    from geo.errors import InputError
    from maps.selection import select

    flags = {kw: flag for _, flag, kw in _FILTERS}
    try:
        kept = select(events, **wanted)
    except InputError as exc:
        raise InputError(f"{flags.get(exc.field, exc.field)}: {exc.reason}") from None
    if not len(kept):  # a map of nothing: said, and nothing written
        text = kept.attrs["selection"]["text"]
        raise InputError(f"no event of {len(events):,} is kept by the filters ({text})")
    return kept


def _whole(text: str | None, flag: str) -> int | None:
    """A flag's whole number (its range is the figure's to check)."""
    from geo.errors import InputError

    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{flag}: expected a whole number, got {text!r}") from None


def _extent(text: str | None) -> tuple[float, ...] | None:
    """``W,S,E,N`` as four numbers; the figure checks them (finite, on the globe)."""
    if text is None:
        return None
    from geo.errors import InputError

    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise InputError(f"--extent: expected W,S,E,N in degrees (20,44,45,56), got {text!r}")
    return parts


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
