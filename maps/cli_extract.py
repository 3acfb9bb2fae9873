"""``eventmap extract``: place mentions (GeoJSON) or draft events (YAML) from news text.

Data goes to stdout; progress and the summary go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from geo.extract import LANGS, Extractor, documents, drafts, geojson

__all__ = ["add_parser"]

#: From this many documents on, a progress bar shows on stderr.
PROGRESS_FROM = 20


def add_parser(subparsers) -> None:
    """Add the ``extract`` subcommand."""
    p = subparsers.add_parser(
        "extract",
        help="find places, figures and dates in news text (French or English)",
        description="Find place mentions, figures and dates in articles and print them as "
        "GeoJSON (one Point per mention), or draft events as YAML for `eventmap render`.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a text file, a folder of .txt/.md/.html files, or - for standard input",
    )
    p.add_argument("--lang", choices=LANGS, default="auto", help="the text's language")
    p.add_argument(
        "--format",
        choices=("geojson", "yaml"),
        default="geojson",
        help="geojson: place mentions; yaml: draft events (default: geojson)",
    )
    p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, console: Console) -> int:
    started = time.perf_counter()
    docs = list(documents(args.paths))
    extractor = Extractor()
    results = []
    if len(docs) >= PROGRESS_FROM:
        columns = (
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("extract", total=len(docs))
            for doc in docs:
                results.append(extractor.extract(doc, lang=args.lang))
                progress.advance(task)
    else:
        results = [extractor.extract(doc, lang=args.lang) for doc in docs]

    if args.format == "geojson":
        out = json.dumps(geojson(results), ensure_ascii=False, indent=1)
        n_events = None
    else:
        data = drafts(results, extractor.gazetteer)
        n_events = len(data["events"])
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 5x faster
        out = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    sys.stdout.flush()

    mentions = sum(len(r.mentions) for r in results)
    figures = sum(len(r.figures) for r in results)
    dates = sum(len(r.dates) for r in results)
    summary = (
        f"{len(results)} document(s): {mentions} place mentions, {figures} figures, {dates} dates"
    )
    if n_events is not None:
        summary += f"; {n_events} draft events"
    console.print(f"{summary} in {time.perf_counter() - started:.2f} s", highlight=False)
    return 0
