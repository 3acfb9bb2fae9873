"""The data the seed map's page reads, against a committed golden file.

Every ``<script type="application/json">`` block of the seed render (the
default page, with its embedded basemap) is compared with
``tests/maps/golden/seed-map.json``, keyed by element name without its
auto-numbered id (``event_layer_em0010`` → ``event_layer``), each key holding
its blocks in page order. The eventmap version in the attribution line is
kept out, so that a release does not change the golden file. The basemap's
geometries and labels (hundreds of thousands of lines, all from the gazetteer)
are kept as feature counts and a digest: a change still fails the test, but
the file stays small enough to review (``tests/maps/test_basemap.py`` tests
what the basemap holds).

When a change to what the page reads is intended, regenerate the file and
review its diff::

    EVENTMAP_REGOLD=1 .venv/bin/python -m pytest tests/maps/test_golden.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import maps

GOLDEN = Path(__file__).parent / "golden" / "seed-map.json"
_BLOCK = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)
_ID = re.compile(r"_em\d{4,}$")


def data_blocks(html: str) -> dict[str, list]:
    """The page's JSON data blocks by element name, in page order."""
    blocks: dict[str, list] = {}
    for m in _BLOCK.finditer(html):
        blocks.setdefault(_ID.sub("", m.group(1)), []).append(json.loads(m.group(2)))
    for basemap in blocks.get("basemap", []):
        for key in ("layers", "labels"):
            if key in basemap:
                basemap[key] = _digest(basemap[key])
    for attribution in blocks.get("attribution", []):
        attribution["parts"] = [
            "eventmap <version>" if p.startswith("eventmap ") else p for p in attribution["parts"]
        ]
    return blocks


def _digest(value: list) -> dict:
    """A list of basemap layers or labels as its length, feature counts and a sha256."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    out: dict = {"items": len(value), "sha256": hashlib.sha256(text.encode()).hexdigest()}
    if value and isinstance(value[0], dict) and "features" in value[0]:
        out["features"] = [len(layer["features"]) for layer in value]
    return out


def dumps(blocks: dict) -> str:
    return json.dumps(blocks, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_seed_map_data_matches_the_golden_file(seed_events):
    got = dumps(data_blocks(maps.EventMap(seed_events).html()))
    if os.environ.get("EVENTMAP_REGOLD"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(got, encoding="utf-8")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing; write it with EVENTMAP_REGOLD=1"
    want = GOLDEN.read_text(encoding="utf-8")
    if got != want:
        diff = _first_difference(json.loads(want), json.loads(got))
        raise AssertionError(
            f"the seed map's page data differ from {GOLDEN.name} at {diff}.\n"
            "If the change is intended, regenerate it and review the diff:\n"
            "    EVENTMAP_REGOLD=1 .venv/bin/python -m pytest tests/maps/test_golden.py"
        )


def _first_difference(want, got, path: str = "$") -> str:
    """Where two JSON values first differ, as ``$.event_layer[0].features[3].title: 'a' != 'b'``."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got)):
            if key not in want or key not in got:
                return f"{path}.{key}: only in the {'page' if key in got else 'golden file'}"
            if want[key] != got[key]:
                return _first_difference(want[key], got[key], f"{path}.{key}")
    elif isinstance(want, list) and isinstance(got, list):
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            if w != g:
                return _first_difference(w, g, f"{path}[{i}]")
        if len(want) != len(got):
            return f"{path}: {len(want)} items in the golden file, {len(got)} on the page"
    return f"{path}: {want!r:.80} in the golden file, {got!r:.80} on the page"
