"""`eventmap extract` end to end on the project's own article: stdin, folders, errors,
determinism and drafts that render. Checks on the seed article and with the shared
scorer are in ``eval/`` (``make eval``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import geo
from geo.extract import Extractor

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "tests" / "data" / "extract" / "kursk-report.fr.txt"
EVENTMAP = Path(sys.executable).with_name("eventmap")


@pytest.fixture(scope="module")
def seed_text() -> str:
    """A French report written for these tests, of the seed article's kind."""
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return Extractor().extract(seed_text)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    # The automaton cache goes to a temporary folder, not the user's.
    return {**os.environ, "EVENTMAP_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}


def run(env, *args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(EVENTMAP), *map(str, args)], input=stdin, capture_output=True, env=env, timeout=300
    )


def test_geojson_on_stdout(env, seed_text):
    r = run(env, "extract", "-", stdin=seed_text.encode())
    assert r.returncode == 0, r.stderr.decode()
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection"
    feats = fc["features"]
    starts = [f["properties"]["start"] for f in feats]
    assert starts == sorted(starts)  # document order
    for f in feats:
        p = f["properties"]
        assert p["doc"] == "-"
        assert seed_text[p["start"] : p["end"]] == p["text"]
    assert "place mentions" in r.stderr.decode()  # the summary goes to stderr


def test_places_of_the_article(seed):
    found = {(m.text, m.place.kind, m.place.country) for m in seed.mentions}
    assert {
        ("Corée du Nord", "country", "KP"), ("Russie", "country", "RU"),
        ("région de Koursk", "region", "RU"), ("Pyongyang", "city", "KP"),
        ("Moscou", "city", "RU"), ("Séoul", "city", "KR"),
    } <= found, sorted(found)  # fmt: skip
    assert not any("Kim" in m.text or "Poutine" in m.text for m in seed.mentions)  # people


def test_output_is_deterministic(env):
    a = run(env, "extract", ARTICLE, "--format", "yaml")
    b = run(env, "extract", ARTICLE, "--format", "yaml")
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_errors_are_one_line_exit_2(env, tmp_path):
    r = run(env, "extract", tmp_path / "missing.txt")
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert err.count("\n") == 0 and "missing.txt: no such file or folder" in err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Kursk \xff")
    r = run(env, "extract", bad)
    assert r.returncode == 2 and "bad.txt: byte 6: expected UTF-8 text" in r.stderr.decode()


def test_draft_yaml_renders(env, tmp_path):
    draft = tmp_path / "draft.yaml"
    r = run(env, "extract", ARTICLE, "--format", "yaml")
    assert r.returncode == 0, r.stderr.decode()
    draft.write_bytes(r.stdout)
    assert yaml.safe_load(r.stdout)["documents"][0]["id"] == "kursk-report-fr"
    events = geo.read_events(draft, strict=True)
    assert set(events["status"]) == {"draft"}
    assert {"deployment", "supply", "diplomacy"} <= set(events["kind"]) <= set(geo.KINDS)
    quantities = [q for qs in events["quantities"] for q in qs]
    assert {"about", "nearly", "over"} <= {q.qualifier for q in quantities}
    assert events[events["kind"] == "diplomacy"].iloc[0]["date"] == "2024-06"
    html = tmp_path / "draft.html"
    r = run(env, "render", draft, "-o", html)
    assert r.returncode == 0, r.stderr.decode()
    assert html.stat().st_size > 10_000


def test_folder_with_progress(env, tmp_path, seed_text):
    for i in range(25):
        (tmp_path / f"a{i:02d}.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>Frappes sur <b>Kharkiv</b></p>", encoding="utf-8")
    r = run(env, "extract", tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    fc = json.loads(r.stdout)
    docs = [f["properties"]["doc"] for f in fc["features"]]
    assert docs == sorted(docs)
    html_feats = [f for f in fc["features"] if f["properties"]["doc"].endswith("page.html")]
    assert [f["properties"]["text"] for f in html_feats] == ["Kharkiv"]
    assert "26 document(s)" in r.stderr.decode()


def test_lang_choices_match_the_extractor():
    import argparse

    from geo.extract import LANGS
    from maps.cli import extract as cli_extract

    sub = argparse.ArgumentParser().add_subparsers()
    cli_extract.add_parser(sub)
    [parser] = sub.choices.values()
    [action] = [a for a in parser._actions if a.dest == "lang"]
    assert tuple(action.choices) == LANGS


def test_top_level_debug_reaches_subcommands():
    from maps.cli.main import _parser

    for command in (["render", "x.yaml"], ["geocode", "Kursk"], ["extract", "x.txt"]):
        assert _parser().parse_args(["--debug", *command]).debug is True
        assert _parser().parse_args([*command, "--debug"]).debug is True
        assert _parser().parse_args(command).debug is False
