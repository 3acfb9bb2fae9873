"""Hostile and malformed input (issue #8): each file is a map, or exit 2 with one line
naming the file, the record and the field, what was found and what was expected;
never a traceback, never a bomb."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo import InputError, read_events
from geo.schema import MAX_TEXT
from maps.cli import main

ACLED = ("event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,"
         "location,latitude,longitude,geo_precision,fatalities,notes,source")  # fmt: skip
ROW = "UKR{},2024-03-14,Battles,Armed clash,A,B,Ukraine,Kharkiv,Vovchansk,50.2,36.9,1,0,n,S"
E = "{id: a, kind: statement, title: t, place: Moscow, sources: [s]"  # an event, open


def acled(*rows: str, header: str = ACLED) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def nested(depth: int) -> str:
    return "[" * depth + "x" + "]" * depth


def bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"events:\n  - {E}, actors: *a{levels}}}\n"])


#: Files that cannot be read at all (YAML syntax or bombs, an encoding that is not
#: text, the file's own fields): exit 2 and one located line, with or without --strict.
FILE_CASES = [
    # YAML: tracebacks until now
    ("n.yaml", f"- {E}, actors: {nested(1000)}}}",
     "line 1: lists and mappings nested deeper than 64 levels; expected at most 64"),
    ("k.yaml", f"- {E},\n   title: again}}",
     "line 2: the key 'title' is given twice in one mapping; expected it once"),
    # YAML: accepted silently until now
    ("z.yaml", f"- {E}, title: 'T\x00x'}}",
     "line 1: not valid YAML: character U+0000 is not allowed in YAML text"),
    ("b.yaml", bomb(6), "line 6: aliases expand this node to 597,871 nodes, from 39 written; "
                        "expected at most 100,039 (an alias bomb?)"),
    ("r.yaml", "events:\n  - &e {id: a, kind: x, title: t, sources: [s], actors: [*e]}",
     "line 2: an alias refers to a node that contains it; expected a tree"),
    ("u.yaml", b"- {id: a, kind: x, title: t, sources: [s]}\n- {id: b, title: \xff}\n",
     "line 2: expected UTF-8 text, found byte 0xFF (invalid start byte)"),
    ("t.yaml", f"- {E}, notes: !!int ''}}", "line 1: not valid YAML: cannot read '' as tag:yaml.org,2002:int"),
    ("t.yaml", f"- {E},\n   notes: !!bool maybe}}",
     "line 2: not valid YAML: cannot read 'maybe' as tag:yaml.org,2002:bool"),
    ("m.yaml", f"title: [a, b]\nevents:\n  - {E}}}", "title: expected a text, got list ['a', 'b']"),
    ("m.yaml", f"documents: 12\nevents:\n  - {E}}}", "documents: expected a list of {id, name}, got 12"),
    ("m.yaml", f"documents: [{{id: d}}, x]\nevents:\n  - {E}}}",
     "documents[1]: expected {id, name, ...}, got 'x'"),
    # CSV
    # GeoJSON (its reader validates each feature with parse_event)
    ("s.geojson", '{"type": "FeatureCollection", "title": "a\\udc00", "features": []}',
     "title: found a lone surrogate (U+DC00) at character 2"),
]  # fmt: skip

#: A bad record: skipped and listed in OUTPUT.rejects.csv (exit 0, the map written); with
#: --strict, exit 2 with the one located line that names it, and nothing written.
RECORD_CASES = [
    # YAML: tracebacks until now
    ("d.yaml", f"- {E}, date: 2025-02-30}}",
     "event 1 ('a'): date: expected a day of the calendar, got '2025-02-30' (day is out of range for month)"),
    ("d.yaml", f"- {E}, date: 1500-01-01}}",
     "event 1 ('a'): date: expected a date from 1678-01-01 to 2261-12-31, got 1500-01-01"),
    ("d.yaml", f"- {E}, date: 2024, end_date: 2300-01-01}}",
     "event 1 ('a'): end_date: expected a date from 1678-01-01 to 2261-12-31, got 2300-01-01"),
    ("d.yaml", f"- {E}, date: 2262}}",
     "event 1 ('a'): date: expected a date from 1678-01-01 to 2261-12-31, got 2262"),
    ("s.yaml", '- {id: a, kind: statement, title: "ok \\ud800", place: Moscow, sources: [s]}',
     "event 1 ('a'): title: found a lone surrogate (U+D800) at character 4; expected valid Unicode text"),
    ("s.yaml", f'- {E[:-1]}, {{name: "\\udfff"}}]}}',
     "event 1 ('a'): sources[1].name: found a lone surrogate (U+DFFF) at character 1"),
    ("n.yaml", f"- {E}, actors: {nested(30)}}}",
     "event 1 ('a'): actors[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested deeper than 20 levels"),
    ("i.yaml", f"- {E}, quantities: [{{value: 1{'0' * 5000}, unit: x}}]}}",
     "event 1 ('a'): quantities[0].value: expected a finite number, got '10000"),
    ("i.yaml", f"- {E}, quantities: [{{value: 1{'0' * 400}, unit: x}}]}}",
     "event 1 ('a'): quantities[0].value: expected a number a float can hold, got an integer of 1,329 bits"),
    ("i.yaml", f"- {E}, notes: 1{'0' * 400}}}",
     "event 1 ('a'): notes: expected a number a float can hold"),
    # YAML: accepted silently until now
    ("z.yaml", f'- {E}, notes: "T\\0x"}}',
     "event 1 ('a'): notes: found a NUL character (U+0000) at character 2; expected text without NUL"),
    ("q.yaml", f"- {E}, quantities: [{{value: -5, unit: soldiers}}]}}",
     "event 1 ('a'): quantities[0].value: expected a number of 0 or more, got -5"),
    ("q.yaml", f"- {E}, quantities: [{{value: 5, low: -1, unit: soldiers}}]}}",
     "event 1 ('a'): quantities[0].low: expected a number of 0 or more, got -1"),
    ("o.yaml", "- {id: a, kind: statement, title: t, place: Moscow}",
     "event 1 ('a'): sources: missing; expected at least one source (who says so)"),
    ("o.yaml", "- {id: a, kind: statement, title: t, place: Moscow, sources: []}",
     "event 1 ('a'): sources: missing; expected at least one source"),
    ("k.yaml", "- {id: a, kind: '--!', title: t, place: Moscow, sources: [s]}",
     "event 1 ('a'): kind: expected a word with letters or digits, got '--!'"),
    ("t.yaml", f"- {E}, actors: [[Russia]]}}", "event 1 ('a'): actors[0]: expected a text, got list"),
    # CSV
    ("r.csv", "id,kind,title,place\na,statement,T,Moscow,extra,more\n",
     "line 2: expected 4 fields as in the header, got 6: 'a,statement,T,Moscow,extra,more'"),
    ("r.csv", 'id,kind,title,place,source\na,statement,"T\nT",Moscow,s\nb,statement\n',
     "line 4: expected 5 fields as in the header, got 2: 'b,statement'"),
    ("z.csv", b"id,kind,title,place,source\na,statement,T\x00x,Moscow,s\n",
     "row 2 ('a'): title: found a NUL character (U+0000) at character 2"),
    ("u.csv", "id,kind,title,place,source\na,statement,T,Moscow,s\na,statement,T,Moscow,s\n",
     "row 3 ('a'): id: duplicate id; first used by row 2; expected unique ids"),
    ("q.csv", "id,kind,title,place,value,unit,source\na,casualties,T,Kursk,-3,killed,s\n",
     "row 2 ('a'): quantities[0].value: expected a number of 0 or more, got -3"),
    ("d.csv", "id,kind,title,place,date,source\na,statement,T,Moscow,1500-01-01,s\n",
     "row 2 ('a'): date: expected a date from 1678-01-01 to 2261-12-31, got 1500-01-01"),
    ("o.csv", "id,kind,title,place\na,statement,T,Moscow\n",
     "row 2 ('a'): source: missing; expected a 'source' column naming who says so"),
    ("o.csv", "id,kind,title,place,source\na,statement,T,Moscow,\n",
     "row 2 ('a'): source: empty; expected the name of who says so"),
    # ACLED, read column by column, and row by row (a header naming a column twice)
    ("a.csv", acled(ROW.format(1), ROW.format(2) + ",extra"),
     "line 3: expected 15 fields as in the header, got 16"),
    ("a.csv", acled(ROW.format(1) + ",x", "UKR2,2024-03-14", header=ACLED + ",notes"),
     "line 3: expected 16 fields as in the header, got 2: 'UKR2,2024-03-14'"),
    ("a.csv", acled(ROW.format(1), ROW.format(2).replace(",n,", ",a\x00b,")),
     "row 3 ('UKR2'): notes: found a NUL character (U+0000) at character 2"),
    ("a.csv", acled(ROW.format(1), ROW.format(2)[:-2] + ","),
     "row 3 ('UKR2'): source: empty; expected the name of who reports the event"),
    ("a.csv", acled(ROW.format(1) + ",x", ROW.format(2)[:-2] + ",,x", header=ACLED + ",notes"),
     "row 3 ('UKR2'): source: empty; expected the name of who reports the event"),
    ("a.csv", acled(ROW.format(1)[:-2], header=ACLED[: -len(",source")]),
     "row 2 ('UKR1'): source: missing; expected a 'source' column naming who reports each event"),
    ("a.csv", acled(ROW.format(1).replace("2024-03-14", "1500-01-01")),
     "row 2 ('UKR1'): date: expected a date from 1678-01-01 to 2261-12-31, got 1500-01-01"),
    ("a.csv", acled(ROW.format(1).replace(",Battles,", ",?!,")),
     "row 2 ('UKR1'): kind: expected a word with letters or digits, got '?!'"),
    # GeoJSON (its reader validates each feature with parse_event)
    ("s.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
     '"properties": {"id": "a", "kind": "x", "title": "\\ud800", "place": "Moscow", "sources": "[\\"s\\"]"}}]}',
     "event 1 ('a'): title: found a lone surrogate (U+D800) at character 1"),
    ("o.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
     '"properties": {"id": "a", "kind": "x", "title": "t", "place": "Moscow"}}]}',
     "event 1 ('a'): sources: missing; expected at least one source"),
]  # fmt: skip

#: Encodings read as they are (until now refused), with a note on stderr and the map.
TEXT = "id,kind,title,place,source\na,statement,T,Moscow,s\n"
NOTED_CASES = [
    ("s.csv", b"id,kind,title,place,source\na,statement,T\xed\xa0\x80,Moscow,s\n",
     "read as Windows-1252"),
    ("w.csv", TEXT.encode("utf-16"), "read as UTF-16"),
    ("w.csv", b"\xfe\xff" + TEXT.encode("utf-16-be"), "read as UTF-16"),
    ("w.csv", TEXT.encode("utf-32"), "read as UTF-32"),
    ("a.csv", acled(ROW.format(1)).decode().encode("utf-16"), "read as UTF-16"),
]  # fmt: skip


def _bad_file(tmp_path, name, content):
    f = tmp_path / name
    f.write_bytes(
        content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    )
    return f


def _expected(f, name, message) -> str:
    expected = re.escape(f"{f}: {message}")
    if name.endswith(".geojson"):  # its reader names records features
        expected = expected.replace("event\\ 1", "(event|feature)\\ 1")
    return expected


def _one_line(capsys) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(("name", "content", "message"), FILE_CASES, ids=lambda x: repr(x)[:40])
def test_bad_file_is_one_located_line_and_exit_2(tmp_path, capsys, name, content, message, strict):
    f = _bad_file(tmp_path, name, content)
    out = tmp_path / "out.html"
    assert main(["render", str(f), "-o", str(out), *(["--strict"] if strict else [])]) == 2
    line = _one_line(capsys)
    assert re.match("eventmap: error: " + _expected(f, name, message), line), line
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


@pytest.mark.parametrize(("name", "content", "message"), RECORD_CASES, ids=lambda x: repr(x)[:40])
def test_bad_record_is_rejected_and_listed(tmp_path, capsys, name, content, message):
    f = _bad_file(tmp_path, name, content)
    out = tmp_path / "out.html"
    assert main(["render", str(f), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert out.is_file() and "Traceback" not in err
    with (tmp_path / "out.rejects.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    located = [": ".join(v for v in r.values() if v) for r in rows]
    assert any(re.match(_expected(f, name, message), x) for x in located), located
    assert " rejected (listed in " in err


@pytest.mark.parametrize(("name", "content", "message"), RECORD_CASES, ids=lambda x: repr(x)[:40])
def test_bad_record_with_strict_is_one_located_line_and_exit_2(
    tmp_path, capsys, name, content, message
):
    f = _bad_file(tmp_path, name, content)
    out = tmp_path / "out.html"
    assert main(["render", str(f), "-o", str(out), "--strict"]) == 2
    line = _one_line(capsys)
    assert re.match("eventmap: error: " + _expected(f, name, message), line), line
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no map, no rejects


@pytest.mark.parametrize(("name", "content", "note"), NOTED_CASES, ids=lambda x: repr(x)[:40])
def test_other_encodings_are_read_with_a_note(tmp_path, capsys, monkeypatch, name, content, note):
    monkeypatch.setenv("COLUMNS", "2000")  # one line per message
    f = _bad_file(tmp_path, name, content)
    out = tmp_path / "out.html"
    assert main(["render", str(f), "-o", str(out), "--strict"]) == 0
    assert note in capsys.readouterr().err
    assert len(read_events(f, strict=True)) == 1


def test_alias_bomb_is_refused_at_once(tmp_path):
    # Nine levels of nine aliases: 387 million nodes; it rendered a 510 MB page in 134 s.
    f = tmp_path / "bomb.yaml"
    f.write_text(bomb(9))
    r = subprocess.run([sys.executable, "-m", "maps.cli", "render", str(f), "-o",
                        str(tmp_path / "o.html")], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 2 and "an alias bomb?" in r.stderr


def test_a_few_anchors_and_merges_still_load(tmp_path):
    f = tmp_path / "anchors.yaml"
    f.write_text(
        "sources: &nis {name: NIS, url: 'https://www.nis.go.kr'}\n"
        "place: &kursk {name: Kursk, lat: 51.73, lon: 36.19}\n"
        "events:\n"
        "  - {id: a, kind: deployment, title: t, place: *kursk, sources: [*nis]}\n"
        "  - {id: b, kind: casualties, title: t, place: *kursk,\n"
        "     sources: [{<<: *nis, claim: 'About 2,000 lost'}]}\n"
    )
    ev = read_events(f)
    assert list(ev["id"]) == ["a", "b"]
    assert ev.loc[1, "sources"][0] == geo.Source(name="NIS", url="https://www.nis.go.kr",
                                                 claim="About 2,000 lost")  # fmt: skip
    assert ev.loc[0, "lat"] == ev.loc[1, "lat"] == 51.73


def test_timestamps_in_yaml_keep_their_day(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(
        f"- {E}, date: 2024-06-19 10:00:00}}\n"
        "- {id: b, kind: x, title: t, sources: [s], date: 2024-06-19T10:00:00Z}\n"
    )
    assert list(read_events(f)["date"]) == ["2024-06-19", "2024-06-19"]


# --------------------------------------------------------------------------- long texts

LONG = "x" * (MAX_TEXT * 3 + 7)
MARK = f"… [truncated: {len(LONG):,} characters in all]"
CUT = f"truncated to {MAX_TEXT:,} of {len(LONG):,} characters"


def _geojson(path: Path) -> Path:
    props = {"id": "a", "kind": "x", "title": LONG, "place": "Moscow",
             "sources": json.dumps([{"name": "s", "claim": LONG}])}  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "title": LONG, "features": [
        {"type": "Feature", "geometry": None, "properties": props}]}))  # fmt: skip
    return path


LONG_FILES = {
    "yaml": (lambda p: p.write_text(json.dumps({"title": LONG, "events": [
        {"id": "a", "kind": "x", "title": LONG, "place": "Moscow",
         "sources": [{"name": "s", "claim": LONG}]}]})) and p, "x.yaml",
        ["{f}: title: {cut}", "{f}: event 1 ('a'): title: {cut}",
         "{f}: event 1 ('a'): sources[0].claim: {cut}"]),
    "csv": (lambda p: p.write_text(f"id,kind,title,place,source,claim\na,x,{LONG},Moscow,s,{LONG}\n")
            and p, "x.csv", ["{f}: row 2 ('a'): title: {cut}", "{f}: row 2 ('a'): claim: {cut}"]),
    "acled": (lambda p: p.write_bytes(acled(ROW.format(1), ROW.format(2).replace(",n,", f",{LONG},")))
              and p, "a.csv", ["{f}: row 3 ('UKR2'): notes: {cut}"]),
    "geojson": (_geojson, "x.geojson", ["{f}: title: {cut}", "{f}: event 1 ('a'): title: {cut}",
                                        "{f}: event 1 ('a'): sources[0].claim: {cut}"]),
}  # fmt: skip


@pytest.mark.parametrize("fmt", LONG_FILES)
def test_long_texts_are_cut_visibly_and_reported(tmp_path, fmt):
    write, name, expected = LONG_FILES[fmt]
    f = write(tmp_path / name) or tmp_path / name
    ev = read_events(f)
    got = [re.sub(r"^(.*?: )feature ", r"\1event ", t) for t in ev.attrs["truncated"]]
    assert got == [e.format(f=f, cut=CUT) for e in expected]  # GeoJSON: "feature 1" too
    cut = ev["description"].iloc[-1] if fmt == "acled" else ev["title"].iloc[0]
    assert len(cut) == MAX_TEXT and cut.endswith(MARK) and cut.startswith("x" * 100)
    if fmt != "acled":
        assert ev.loc[0, "sources"][0].claim == cut
    if fmt in ("yaml", "geojson"):
        assert ev.attrs["title"] == cut


def test_acled_long_title_is_cut_as_the_row_path_cuts_it(tmp_path):
    # Each cell fits; the title made of two of them does not.
    half = "y" * (MAX_TEXT // 2 + 10)
    f = tmp_path / "a.csv"
    f.write_bytes(acled(ROW.format(1), ROW.format(2).replace("Armed clash", half)
                        .replace("Vovchansk", half)))  # fmt: skip
    ev = read_events(f)
    assert ev.attrs["truncated"] == [
        f"{f}: row 3 ('UKR2'): title: truncated to {MAX_TEXT:,} of {2 * len(half) + 2:,} characters"
    ]
    assert len(ev.loc[1, "title"]) == MAX_TEXT and ev.loc[0, "title"] == "Armed clash: Vovchansk"


def test_short_texts_are_not_reported(seed_events):
    assert seed_events.attrs["truncated"] == []


# --------------------------------------------------------------------------- kinds


def test_kinds_that_differ_in_case_or_punctuation_are_one_layer(tmp_path):
    f = tmp_path / "k.yaml"
    kinds = ["battles", "_battles", "battles_", "Battles ", "battles!", "BATTLES"]
    f.write_text("".join(f"- {{id: k{i}, kind: '{k}', title: t, place: Moscow, sources: [s]}}\n"
                         for i, k in enumerate(kinds)))  # fmt: skip
    assert set(read_events(f)["kind"]) == {"battles"}


def test_acled_kinds_are_the_same_ids_by_either_path(tmp_path):
    rows = [ROW.format(1).replace(",Battles,", ",Explosions/Remote violence,"),
            ROW.format(2).replace(",Battles,", ",Strategic developments,")]  # fmt: skip
    fast, slow = tmp_path / "fast.csv", tmp_path / "slow.csv"
    fast.write_bytes(acled(*rows))
    slow.write_bytes(acled(*(r + ",x" for r in rows), header=ACLED + ",notes"))
    for f in (fast, slow):
        assert list(read_events(f)["kind"]) == ["explosions_remote_violence",
                                                "strategic_developments"]  # fmt: skip


def test_every_known_kind_is_its_own_id():
    from maps.style import _BY_KIND

    assert all(geo.schema.normalize_kind(k) == k for k in (*geo.KINDS, *_BY_KIND))


# --------------------------------------------------------------------------- no input error


def test_errors_stay_one_short_line_for_any_value(tmp_path):
    # A huge value in a bad field is shown shortened, not printed whole.
    f = tmp_path / "x.yaml"
    f.write_text(f"- {E}, confidence: '{'z' * 50_000}'}}\n")
    with pytest.raises(InputError) as info:
        read_events(f, strict=True)
    assert len(str(info.value)) < 300 and "confidence: expected one of" in str(info.value)


def test_a_row_longer_than_arrows_block_is_read(tmp_path):
    # Arrow reads a CSV in blocks of 1 MB; a longer row is read with larger blocks.
    notes = "n" * 3_000_000
    f = tmp_path / "a.csv"
    f.write_bytes(acled(ROW.format(1), ROW.format(2).replace(",n,", f',"{notes}\n{notes}",')))
    ev = read_events(f)
    assert ev.attrs["truncated"] == [
        f"{f}: row 3 ('UKR2'): notes: truncated to {MAX_TEXT:,} of {2 * len(notes) + 1:,} characters"
    ]
