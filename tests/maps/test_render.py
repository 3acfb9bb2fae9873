"""Rendering: self-contained, deterministic, embeddable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import maps
from maps import to_js

EXTERNAL = re.compile(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", re.I)


def test_offline_html_is_self_contained(offline_map):
    text = offline_map.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "tile.openstreetmap" not in text and "basemaps.cartocdn" not in text
    assert "leaflet" in text.lower() and "Eventmap.overlay(" in text


def test_default_html_inlines_its_code(online_map):
    text = online_map.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "cdn.jsdelivr" not in text and "bootstrap" not in text.lower()


def test_same_input_gives_byte_identical_files(tmp_path, seed_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"map{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "maps.cli", "render", str(seed_path), "--offline", "-o", str(out)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert len(outs[0]) > 100_000


def test_layers_and_summary(seed_events):
    m = maps.EventMap(seed_events)
    s = m.summary
    assert s.events == len(seed_events) and s.unresolved == []
    assert set(s.layers) == {
        "Troop deployments", "Casualties (reported)", "Supply routes", "Technology transfer",
        "Front regions", "Alliances & treaties", "Official statements", "Sources of the claims",
    }  # fmt: skip
    assert s.layers["Casualties (reported)"] == 3


def test_notebook_and_report_outputs(seed_events):
    m = maps.EventMap(seed_events, title='Title with "quotes" & <tags>')
    frag = m.to_iframe(height="480px")
    assert frag.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts' in frag
    assert "&lt;tags&gt;" in frag and "<tags>" not in frag
    light = m._repr_html_()  # the page packed: tests/maps/test_repr.py
    assert light.startswith('<div class="eventmap-output">') and "<tags>" not in light
    assert "<title>Title with &quot;quotes&quot; &amp; &lt;tags&gt;</title>" in m.html()


@given(st.text())
def test_to_js_never_closes_a_script(text):
    encoded = to_js({"t": text})
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded) == {"t": text}


class _Counted:
    """An attrs entry that counts how often pandas deep-copies it."""

    copies = 0

    def __deepcopy__(self, memo):
        _Counted.copies += 1
        return self


@pytest.mark.parametrize("layer", ["rich", "compact"])
@pytest.mark.parametrize("generic", [False, True])
def test_a_map_never_copies_the_readers_attrs(seed_events, layer, generic):
    """pandas deep-copies ``attrs`` on nearly every operation; a reader's list
    every flagged record (70,000 on a large export: most of the render's time).
    A map takes them out once, and leaves the frame given as it was."""
    events = seed_events.copy()
    flagged = [_Counted() for _ in range(3)]
    events.attrs = {**seed_events.attrs, "flagged": flagged}
    before = events.attrs
    _Counted.copies = 0
    m = maps.EventMap(events, layer=layer, offline=True, kind="kind" if generic else None)
    m.html()
    assert m.summary.events == len(events)
    assert _Counted.copies == 0
    assert "3 events flagged: see their popups" in m.html()
    assert events.attrs is before and events.attrs["flagged"] is flagged
