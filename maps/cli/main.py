"""The ``eventmap`` command.

Errors eventmap raises on purpose become one line on stderr and exit code 2;
tracebacks only with ``--debug``. Progress and the summary go to stderr, so
stdout stays clean for data (``eventmap extract`` and ``geocode`` print there).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from geo import EventmapError
from geo.io.messages import printable
from maps.cli import extract as cli_extract
from maps.cli import geocode as cli_geocode
from maps.cli import render as cli_render

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventmap",
        description="Turn reporting on deployments and supply flows into maps you can cite.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for add_command in _COMMANDS:
        add_command(sub)
    return parser


#: The commands: each module's ``add_parser(subparsers)`` adds one subcommand whose
#: ``run(args, console) -> int`` does the work. Errors it raises as EventmapError
#: become one line on stderr and exit code 2.
_COMMANDS: list = [cli_render.add_parser, cli_extract.add_parser, cli_geocode.add_parser]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``eventmap`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    console = Console(stderr=True, highlight=False)
    try:
        return args.run(args, console)
    except EventmapError as exc:
        if args.debug:
            raise
        # One line whatever the data put in the message (a line break, a control).
        print(f"eventmap: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("eventmap: interrupted", file=sys.stderr)
        return 130
