"""The JavaScript and CSS a map carries inside its own HTML.

Leaflet comes from the pinned npm packages ``leaflet`` and
``leaflet-polylineoffset`` (``package-lock.json``); eventmap's own page code
is the ES modules of ``maps/js/``, bundled by the pinned esbuild into one
script, ``eventmap.js``, that defines the global ``Eventmap``. ``make assets``
runs ``npm ci`` and ``node maps/js/build.mjs``, which puts them all in
``maps/static/`` with ``eventmap.css`` (built, not committed). Images the CSS
refers to are inlined as data URIs, so a page never asks the network for
``images/layers.png``.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import AssetsMissingError

__all__ = ["Assets", "load_assets", "script_safe"]

_STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class Assets:
    """Leaflet's and eventmap's code and style, ready to inline."""

    leaflet_js: str
    leaflet_css: str
    leaflet_version: str
    plugins_js: str  # leaflet-polylineoffset: draws opposite flows side by side
    eventmap_js: str  # the page code (maps/js/), bundled
    eventmap_css: str


def _directory() -> Path:
    return Path(os.environ.get("EVENTMAP_ASSETS_DIR", _STATIC))


@functools.cache
def load_assets() -> Assets:
    """Read the built assets once per process.

    Raises
    ------
    AssetsMissingError
        When ``make assets`` has not been run (or ``EVENTMAP_ASSETS_DIR`` is wrong).
    """
    folder = _directory()
    js, css = folder / "leaflet.js", folder / "leaflet.css"
    offset = folder / "leaflet.polylineoffset.js"
    if not (js.is_file() and css.is_file() and offset.is_file()):
        raise AssetsMissingError(
            f"{folder}: leaflet.js, leaflet.css or leaflet.polylineoffset.js not found; "
            "run `make assets` (npm ci, then node maps/js/build.mjs)"
        )
    page_js, page_css = folder / "eventmap.js", folder / "eventmap.css"
    if not (page_js.is_file() and page_css.is_file()):
        raise AssetsMissingError(
            f"{folder}: eventmap.js or eventmap.css (the page code, bundled from maps/js/) "
            "not found; run `make assets` (npm ci, then node maps/js/build.mjs)"
        )
    meta = folder / "leaflet.package.json"
    version = json.loads(meta.read_text())["version"] if meta.is_file() else "unknown"
    style = re.sub(
        r"url\((['\"]?)images/([\w.-]+\.png)\1\)",
        lambda m: _data_uri(folder / "images" / m.group(2)),
        css.read_text(encoding="utf-8"),
    )
    return Assets(
        script_safe(js.read_text(encoding="utf-8")),
        style,
        version,
        script_safe(offset.read_text(encoding="utf-8")),
        script_safe(page_js.read_text(encoding="utf-8")),
        page_css.read_text(encoding="utf-8"),
    )


def _data_uri(path: Path) -> str:
    if not path.is_file():  # an image we do not use; keep the page request-free
        return "none"
    return "url(data:image/png;base64," + base64.b64encode(path.read_bytes()).decode() + ")"


def script_safe(code: str) -> str:
    """Make code safe inside ``<script>``: no early ``</script>`` or ``<!--``."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
