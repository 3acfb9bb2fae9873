"""The names automaton's cache on disk holds data only, and is read only from the user's folders."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from geo.extract import Extractor, _automaton
from geo.extract._lexicon import default_lexicon
from geo.gazetteer.core import default_gazetteer
from geo.gazetteer.demonyms import default_demonyms

TEXT = "Environ 13 000 soldats nord-coréens ont combattu dans la région de Koursk."
EXPECTED = [("région de Koursk", "ne:RU-KRS")]


class _Plant:
    """Unpickling this creates ``marker``: what a planted cache file could do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _extract_in_child(cache: Path) -> subprocess.CompletedProcess:
    """Extract ``TEXT`` in a new process, so no automaton is cached in memory yet."""
    code = (
        "import json\n"
        "from geo.extract import Extractor\n"
        f"doc = Extractor().extract({TEXT!r})\n"
        "print(json.dumps([(m.text, m.place.id) for m in doc.mentions]))\n"
    )
    env = {**os.environ, "EVENTMAP_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )


def _path(cache: Path, monkeypatch) -> Path:
    monkeypatch.setenv("EVENTMAP_CACHE_DIR", str(cache))
    return _automaton.cache_path(default_gazetteer(), default_demonyms(), default_lexicon())


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    d = tmp_path / "cache"
    d.mkdir(mode=0o700)
    return d


@pytest.mark.parametrize("suffix", [".ac", ".pickle"])
def test_a_planted_pickle_runs_no_code(cache, tmp_path, monkeypatch, suffix):
    # At the exact path the extractor reads, and at the old pickle's path.
    path = _path(cache, monkeypatch).with_suffix(suffix)
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(_Plant(marker)))  # the plant works when unpickled
    assert marker.exists()
    marker.unlink()
    path.write_bytes(pickle.dumps(_Plant(marker)))

    run = _extract_in_child(cache)

    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert [tuple(m) for m in json.loads(run.stdout)] == EXPECTED
    # The plant is replaced by a real cache, which the next run reads.
    assert path.with_suffix(".ac").read_bytes().startswith(_automaton._MAGIC)
    assert _extract_in_child(cache).stdout == run.stdout


def test_the_cache_is_read_back(cache, monkeypatch):
    path = _path(cache, monkeypatch)
    built = _automaton._build(default_gazetteer(), default_demonyms(), default_lexicon())
    _automaton._save(built, path)
    loaded = _automaton._load(path)
    assert loaded is not None and len(loaded) == len(built)
    view = " la region de koursk et pyongyang "
    assert list(loaded.iter(view)) == list(built.iter(view))


def _damaged(data: bytes) -> list[bytes]:
    head = len(_automaton._MAGIC) + data[len(_automaton._MAGIC) :].index(b"\n") + 1
    flipped = bytearray(data)
    flipped[head + 1000] ^= 0xFF
    return [
        b"",
        data[:10],  # inside the magic
        data[: head - 5],  # inside the header
        data[: head + 100],  # truncated nodes
        data[:-1],
        data + b"\0",
        bytes(flipped),  # same size, one byte changed: the CRC says so
        data.replace(b'"store": 10', b'"store": 30'),  # values that would need a deserializer
        _automaton._MAGIC + b"{}\n",
        _automaton._MAGIC + b"[1, 2]\n" + data[head:],
    ]


def test_a_damaged_cache_is_rebuilt_not_a_traceback(cache, monkeypatch):
    path = _path(cache, monkeypatch)
    _automaton._save(
        _automaton._build(default_gazetteer(), default_demonyms(), default_lexicon()), path
    )
    good = path.read_bytes()
    for i, bad in enumerate(_damaged(good)):
        path.write_bytes(bad)
        assert _automaton._load(path) is None, i
    path.write_bytes(good[: len(good) // 2])
    run = _extract_in_child(cache)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert [tuple(m) for m in json.loads(run.stdout)] == EXPECTED
    # Rebuilt and written again (not byte for byte: the C structs' padding is not
    # zeroed, so the CRCs, and the header's length, differ from build to build).
    assert _automaton._load(path) is not None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_folder_others_may_write_to_is_not_used(cache, monkeypatch):
    path = _path(cache, monkeypatch)
    _automaton._save(
        _automaton._build(default_gazetteer(), default_demonyms(), default_lexicon()), path
    )
    assert _automaton._unsafe(path) is None
    cache.chmod(0o777)  # anyone may replace the file
    assert _automaton._unsafe(path) == str(cache)
    assert _automaton._unsafe(path.parent) == str(cache)
    cache.chmod(0o1777)  # sticky, like /tmp: others cannot rename what is not theirs
    assert _automaton._unsafe(cache) is None
    cache.chmod(0o700)
    path.chmod(0o666)
    assert _automaton._unsafe(path) == str(path)

    path.chmod(0o600)
    cache.chmod(0o770)
    _automaton.automaton.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ex = Extractor()
        assert [(m.text, m.place.id) for m in ex.extract(TEXT).mentions] == EXPECTED
    finally:
        _automaton.automaton.cache_clear()
        cache.chmod(0o700)
    ours = [w for w in caught if w.category is _automaton.CacheWarning]
    assert len(ours) == 1 and str(cache) in str(ours[0].message)
    assert path.stat().st_mode & 0o777 == 0o600  # neither read nor rewritten
