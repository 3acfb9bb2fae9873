"""The ``eventmap`` command: ``main`` parses, ``render``, ``geocode`` and ``extract``
each add and run one subcommand."""

from maps.cli.main import main

__all__ = ["main"]
