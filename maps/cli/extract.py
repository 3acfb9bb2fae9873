"""``eventmap extract``: place mentions (GeoJSON) or draft events (YAML) from news text.

Data goes to stdout; progress and the summary go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from rich.console import Console

__all__ = ["add_parser"]

#: From this many documents on, a progress bar shows on stderr...
PROGRESS_FROM = 20
#: ... or from this many characters, so that one long document shows its progress too.
PROGRESS_CHARS = 1_000_000


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
    # geo.extract.LANGS, written out: every `eventmap` command imports this module,
    # and only `extract` should pay for loading the extractor.
    p.add_argument(
        "--lang", choices=("auto", "fr", "en"), default="auto", help="the text's language"
    )
    p.add_argument(
        "--format",
        choices=("geojson", "yaml"),
        default="geojson",
        help="geojson: place mentions; yaml: draft events (default: geojson)",
    )
    p.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, console: Console) -> int:
    import yaml
    from rich.progress import Progress

    from geo.extract import Extractor, documents, drafts, geojson

    started = time.perf_counter()
    docs = list(documents(args.paths))
    extractor = Extractor()
    # One bar over the characters of all documents, advanced by the extractor
    # after each document, and within a long one after each piece it resolves.
    total = sum(len(doc.text) for doc in docs)
    shown = len(docs) >= PROGRESS_FROM or total >= PROGRESS_CHARS
    results = []
    with Progress(console=console, transient=True, disable=not shown) as bar:
        task = bar.add_task("extracting", total=total)
        before = 0
        for doc in docs:
            results.append(
                extractor.extract(
                    doc,
                    lang=args.lang,
                    progress=lambda done, _n, at=before: bar.update(task, completed=at + done),
                )
            )
            before += len(doc.text)

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
