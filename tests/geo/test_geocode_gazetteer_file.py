"""Hostile ``--gazetteer`` files: every one is places or a located one-line error, exit 2."""

from __future__ import annotations

import codecs
import math
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputError
from geo.gazetteer.files import CuratedPlace, read_curated
from maps.cli import main

GOOD = (
    "places:\n  - id: depot\n    name: Depot\n    kind: place\n    country: RU\n"
    "    lat: 51.7\n    lon: 36.1\n    source: Our desk\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def bomb(levels: int) -> str:
    """A "billion laughs": each level repeats the one before nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join([*lines, f"places: *l{levels - 1}", ""])


# (file content, what the one line says after "<file>: "); bytes are written as
# is, text as UTF-8; a callable makes the path itself.
CASES = [
    (bytes(range(128, 256)) * 2, "line 1: expected UTF-8 text, found byte 0x80"),
    (PNG, "line 1: expected UTF-8 text, found byte 0x89"),
    (GOOD.encode("utf-16"), "expected UTF-8 text, got UTF-16 (save the file as UTF-8)"),
    (codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"), "got UTF-16"),
    (GOOD.encode("utf-32"), "got UTF-32"),
    ("places:\n  - id: caf\xe9\n".encode("latin-1"), "line 2: expected UTF-8 text, found byte 0xE9"),
    (b"", "the file is empty; expected a mapping with a 'places' list"),
    (b"  \n\n", "the file is empty"),
    ("id,name,lat,lon\nkursk,Kursk,51.7\nx,y,1,2,3,4\n", "expected a mapping with a 'places' list, got text 'id,name,lat,lon kursk,Kursk,51.7 x,y,1,2,3,4' (the file is read as YAML)"),
    ("- a\n- b\n", "expected a mapping with a 'places' list, got a list"),
    ("places: 5\n", "got a 'places' of int 5"),
    ("places:\n  name: x\n", "got a 'places' of a mapping"),
    ("other: []\n", "expected a mapping with a 'places' list, got a mapping with no 'places'"),
    ("places:\n", "expected a mapping with a 'places' list, got a 'places' of nothing"),
    ("places: [\n", "line 2: not valid YAML: while parsing a flow node: expected the node content"),
    ("places:\n  - id: a\n   name: b\n", "line 3: not valid YAML: "),
    ("places:\n  - id: a\x00b\n", "line 2: not valid YAML: character U+0000 is not allowed"),
    # Dates and integers beyond Python's digit limit stay text: the field says what it expected.
    ("places:\n  - id: a\n    name: A\n    kind: place\n    country: RU\n    lon: 1\n    source: s\n    lat: 2024-13-45\n", "place 1 ('a'): lat: expected a number of degrees, got '2024-13-45'"),
    ("places:\n  - id: a\n    name: A\n    kind: place\n    country: RU\n    lon: 1\n    source: s\n    lat: " + "1" * 5000 + "\n", "place 1 ('a'): lat: expected a number of degrees, got '1111"),
    ("places:\n  - !!python/object/apply:os.system [echo pwned]\n", "line 2: not valid YAML: could not determine a constructor for the tag"),
    ("x: !!int 'abc'\nplaces: []\n", "line 1: not valid YAML: cannot read 'abc' as tag:yaml.org,2002:int"),
    ("places: " + "[" * 5000 + "]" * 5000 + "\n", "line 1: lists and mappings nested deeper than 64 levels"),
    (bomb(9), "aliases expand this node to "),
    ("a: &a [*a]\nplaces: *a\n", "line 1: an alias refers to a node that contains it"),
    ("places:\n  - [1, 2]\n", "place 1: expected a mapping, got [1, 2]"),
    (bomb(4).replace("places: *l3", "places:\n  - *l3"), "place 1: expected a mapping, got [[[...], [...], [...], [...], ...], "),
    ("places:\n  - id: a\n    name: A\n    kind: place\n    country: RU\n    lat: " + "9" * 400 + "\n    lon: 1\n    source: s\n", "place 1 ('a'): lat: expected a value between -90 and 90, got an integer of 1,329 bits"),
    ("places:\n  - id: a\n    name: A\n    kind: place\n    country: RU\n    lat: .nan\n    lon: 1\n    source: s\n", "place 1 ('a'): lat: expected a value between -90 and 90, got nan"),
    ("places:\n  - id: '" + "X" * 10_000 + "'\n", "XXXXXXXX'): id: expected [a-z0-9-] characters, got 'XXXXXXXX"),
    ("places:\n  - id: [bold]\n", "place 1: id: expected non-empty text, got ['bold']"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "message"), CASES)
def test_hostile_files_are_one_located_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "mine.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code = main(["geocode", "Kursk", "--gazetteer", str(path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    assert len(lines[0]) < 400
    assert lines[0].startswith(f"eventmap: error: {path}: ")
    assert message in lines[0], lines[0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.yaml", "missing.yaml: no such file"),
        (lambda d: d, "expected a YAML file, found a directory"),
    ],
)
def test_files_that_are_not_there_or_not_files(tmp_path, capsys, make, message):
    path = make(tmp_path)
    code = main(["geocode", "Kursk", "--gazetteer", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip() == f"eventmap: error: {path}: {message.split(': ')[-1]}"


def test_an_endless_file_is_not_read_to_its_end(capsys):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    assert main(["geocode", "Kursk", "--gazetteer", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "eventmap: error: /dev/zero: larger than 64 MiB; expected a hand-written YAML file"
    )


def test_an_unreadable_file(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    assert main(["geocode", "Kursk", "--gazetteer", str(path)]) == 2
    assert "cannot read the file: Permission denied" in capsys.readouterr().err


def test_a_good_file_with_a_bom_still_reads(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_bytes(codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    assert main(["geocode", "Depot", "--gazetteer", str(path)]) == 0
    assert '"curated:depot"' in capsys.readouterr().out


def test_shared_aliases_within_bounds_still_read(tmp_path):
    """Anchors used the ordinary way (one source for many places) are fine."""
    places = "\n".join(
        f"  - id: p{i}\n    name: P{i}\n    kind: place\n    country: RU\n    lat: 1\n"
        f"    lon: 2\n    source: {'&desk Our desk' if i == 0 else '*desk'}"
        for i in range(200)
    )
    path = tmp_path / "mine.yaml"
    path.write_text(f"places:\n{places}\n", encoding="utf-8")
    assert len(read_curated(path, {"RU"})) == 200


# --------------------------------------------------------------------------- properties

_yaml_chars = st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\n\t .\\") + ["  ", "\n  - ", "\n    "])
_yamlish = st.lists(_yaml_chars | st.text(max_size=4), max_size=40).map("".join)
_scalar = st.one_of(
    _yamlish,
    st.sampled_from(["51.7", ".nan", "-.inf", "1e999", "2024-13-45", "0x1F", "~", "RU", "city",
                     "true", "&a x", "*a", "!!str 5", "!!python/name:os.system", "[1, *a]"]),
)  # fmt: skip
_fields = ["id", "name", "kind", "country", "lat", "lon", "source", "approximate",
           "alternate_names", "feature", "coordinates_source"]  # fmt: skip
_entry = st.dictionaries(st.sampled_from(_fields), _scalar, max_size=len(_fields)).map(
    lambda d: "  - " + "\n    ".join(f"{k}: {v}" for k, v in d.items()) if d else "  - "
)
_documents = st.one_of(
    st.binary(max_size=300),
    _yamlish.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(_entry, max_size=4).map(
        lambda es: ("places:\n" + "\n".join(es) + "\n").encode("utf-8", "surrogatepass")
    ),
    st.tuples(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\xff", b"\x00"]),
              st.binary(max_size=50)).map(b"".join),
)  # fmt: skip
_COUNTRIES = {"RU", "KP", "UA"}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_documents)
def test_any_bytes_are_places_or_a_located_input_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mine.yaml"
        path.write_bytes(data)
        try:
            places = read_curated(path, _COUNTRIES)
        except InputError as exc:
            assert exc.file == str(path)
            text = str(exc)
            assert text.startswith(f"{path}: ") and "\n" not in text and len(text) < 600
        else:
            for p in places:
                assert isinstance(p, CuratedPlace)
                assert math.isfinite(p.lat) and -90 <= p.lat <= 90
                assert math.isfinite(p.lon) and -180 <= p.lon <= 180
                assert p.country in _COUNTRIES and p.kind in ("city", "place")


def test_the_property_test_can_read_a_good_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (place,) = read_curated(path, _COUNTRIES)
    assert (place.id, place.lat, place.lon) == ("depot", 51.7, 36.1)
