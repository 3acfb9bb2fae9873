"""The documents and sources a map's events cite (maps.layers.sources), and
the page data that carries them for print (AttributionBlock documents/sources)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pandas as pd

import maps
from maps.layers.sources import (
    MAX_NAME_CHARS,
    MAX_NAMES,
    capped_names,
    cited_sources,
    document_names,
)


def _src(name):
    return SimpleNamespace(name=name)


def test_most_cited_first_then_by_name():
    frame = pd.DataFrame({"sources": [
        [_src("Beta"), _src("Alpha")],
        [{"name": "Gamma"}, _src("Beta")],
        [{"name": "Alpha"}, {"name": "Beta"}],
        [],
        None,
        float("nan"),
        [{"name": ""}, _src(None), {"claim": "no name"}],
    ]})  # fmt: skip
    # Beta 3, Alpha 2, Gamma 1; dicts and objects alike; empty and missing names skipped.
    assert cited_sources(frame) == ["Beta", "Alpha", "Gamma"]


def test_ties_sort_by_name():
    frame = pd.DataFrame({"sources": [[_src("b"), _src("a"), _src("c")], [_src("c")]]})
    assert cited_sources(frame) == ["c", "a", "b"]


def test_a_frame_without_sources_cites_none():
    assert cited_sources(pd.DataFrame({"x": [1, 2]})) == []


def test_document_names_fall_back_to_ids():
    attrs = {"documents": [{"id": "a", "name": "Article"}, {"id": "b"}, {}, {"name": 7}]}
    assert document_names(attrs) == ["Article", "b", "7"]
    assert document_names({}) == []
    assert document_names({"documents": None}) == []


def test_capped_names():
    names = [f"n{i:02d}" for i in range(MAX_NAMES + 5)]
    assert capped_names(names) == names[:MAX_NAMES] + ["and 5 more"]
    assert capped_names(names[:MAX_NAMES]) == names[:MAX_NAMES]
    assert capped_names([]) == []
    long = "x" * (MAX_NAME_CHARS + 50)
    (cut,) = capped_names([long])
    assert len(cut) == MAX_NAME_CHARS and cut.endswith("…")
    exact = "y" * MAX_NAME_CHARS
    assert capped_names([exact]) == [exact]


def _attribution(html: str) -> dict:
    (block,) = re.findall(
        r'<script type="application/json" id="attribution_em\d+">(.*?)</script>', html, re.S
    )
    return json.loads(block)


def test_the_page_carries_documents_and_sources(seed_events, tmp_path):
    path = tmp_path / "seed.html"
    maps.EventMap(seed_events, offline=True).save(path)
    block = _attribution(path.read_text(encoding="utf-8"))
    assert block["documents"] == document_names(seed_events.attrs)
    assert block["documents"][0].startswith("French news article")
    assert block["sources"] == cited_sources(seed_events)[:MAX_NAMES]
    assert block["parts"]  # the attribution line is unchanged


def test_the_page_caps_long_lists(tmp_path):
    import yaml

    import geo

    n = MAX_NAMES + 12
    events = [
        {"id": f"e{i}", "kind": "statement", "title": f"Event {i}", "date": "2024-11",
         "place": "Kyiv", "sources": [{"name": f"Source {i:02d} " + "z" * 300}]}
        for i in range(n)
    ]  # fmt: skip
    src = tmp_path / "many.yaml"
    src.write_text(yaml.safe_dump({"title": "Many", "events": events}), encoding="utf-8")
    path = tmp_path / "many.html"
    maps.EventMap(geo.read_events(src), offline=True).save(path)
    block = _attribution(path.read_text(encoding="utf-8"))
    assert block["documents"] == []
    assert len(block["sources"]) == MAX_NAMES + 1
    assert block["sources"][-1] == "and 12 more"
    assert all(len(s) <= MAX_NAME_CHARS for s in block["sources"])
    assert block["sources"][0].startswith("Source 00 ")
