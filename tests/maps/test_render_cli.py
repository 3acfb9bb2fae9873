"""``eventmap render``: several files or a folder as one dataset, the rejected records said
and listed in OUTPUT.rejects.csv, the flagged events said, the resolution report, --strict."""

from __future__ import annotations

import csv

import pytest

import geo
from geo.report import Flagged, Rejected
from maps.cli import main

HEADER = "id,kind,title,place,source\n"
GOOD = "a,statement,T,Moscow,S\nb,statement,T,Kursk,S\n"


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")  # one line per message


def _csv(path, rows: str):
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _bad_rows(n: int) -> str:
    return "".join(f"bad{i},statement,T,Moscow,\n" for i in range(n))  # no source


# --------------------------------------------------------------------------- several files


def test_several_files_are_one_dataset_named_after_the_first(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one = _csv(tmp_path / "one.csv", GOOD)
    two = _csv(tmp_path / "two.csv", "c,statement,T,Kyiv,S\na,statement,T,Moscow,S\n")
    assert main(["render", str(one), str(two)]) == 0
    err = capsys.readouterr().err
    assert "4 records read from 2 files: 3 events, 1 rejected (listed in one.rejects.csv)" in err
    assert (tmp_path / "one.html").is_file()
    (row,) = _rows(tmp_path / "one.rejects.csv")
    assert (row["file"], row["field"]) == (str(two), "id")  # the later file's use of 'a'
    assert row["reason"].startswith("duplicate id")


def test_a_folder_is_read_whole_and_names_the_map(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    _csv(folder / "a.csv", GOOD)
    _csv(folder / "b.csv", "c,statement,T,Kyiv,S\n")
    (folder / "readme.txt.bak").write_text("not events")
    monkeypatch.chdir(tmp_path)
    assert main(["render", "exports"]) == 0
    assert "3 records read from 2 files: 3 events, 0 rejected" in capsys.readouterr().err
    assert (tmp_path / "exports.html").is_file()
    assert not (tmp_path / "exports.rejects.csv").exists()  # nothing rejected: not written


def test_a_folder_does_not_read_back_this_runs_outputs(tmp_path, capsys, monkeypatch):
    # `eventmap render .` writes its rejects and report into the folder it reads.
    _csv(tmp_path / "a.csv", GOOD + _bad_rows(1))
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert main(["render", ".", "-o", "m.html", "--report", "places.csv"]) == 0
        assert "3 records read from 1 file: 2 events, 1 rejected" in capsys.readouterr().err
    assert [r["file"] for r in _rows(tmp_path / "m.rejects.csv")] == ["a.csv"]


# --------------------------------------------------------------------------- rejections


def test_rejections_are_counted_shown_and_listed(tmp_path, capsys):
    f = _csv(tmp_path / "x.csv", GOOD + _bad_rows(7))
    out = tmp_path / "map.html"
    assert main(["render", str(f), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    rejects = tmp_path / "map.rejects.csv"
    assert f"9 records read from 1 file: 2 events, 7 rejected (listed in {rejects})" in err
    shown = [line for line in err.splitlines() if line.startswith("  rejected ")]
    assert shown == [
        f"  rejected {f}: row {i + 4} ('bad{i}'): source: empty; expected the name of who says so"
        for i in range(5)
    ]
    assert f"  … and 2 more in {rejects}" in err
    rows = _rows(rejects)
    assert list(rows[0]) == ["file", "record", "field", "reason"]
    assert [r["record"] for r in rows] == [f"row {i + 4} ('bad{i}')" for i in range(7)]
    assert {r["file"] for r in rows} == {str(f)} and {r["field"] for r in rows} == {"source"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "map.rejects.csv", "x.csv"]


def test_the_map_is_told_where_the_rejects_are(tmp_path, monkeypatch):
    import maps.page

    seen = {}
    real = maps.page.EventMap

    class Spy(real):
        def __init__(self, events, *, rejects_file=None, **options):
            seen["rejects_file"] = rejects_file
            super().__init__(events, rejects_file=rejects_file, **options)

    monkeypatch.setattr(maps.page, "EventMap", Spy)
    f = _csv(tmp_path / "x.csv", GOOD + _bad_rows(2))
    out = tmp_path / "map.html"
    assert main(["render", str(f), "-o", str(out)]) == 0
    assert seen["rejects_file"] == "map.rejects.csv"
    assert "map.rejects.csv" in out.read_text(encoding="utf-8")  # the map's note names it


def test_an_earlier_runs_rejects_are_removed(tmp_path, capsys):
    f = _csv(tmp_path / "x.csv", GOOD + _bad_rows(1))
    out = tmp_path / "map.html"
    assert main(["render", str(f), "-o", str(out)]) == 0
    assert (tmp_path / "map.rejects.csv").is_file()
    _csv(f, GOOD)  # fixed
    capsys.readouterr()
    assert main(["render", str(f), "-o", str(out)]) == 0
    assert not (tmp_path / "map.rejects.csv").exists()
    assert "removed " in capsys.readouterr().err


def test_reasons_with_markup_quotes_and_line_breaks(tmp_path, capsys, monkeypatch):
    reason = 'expected [bold]x[/bold], got "a,\nb" [/]'
    _fake_read(monkeypatch, rejected=[Rejected("[red]f.csv", "row 2 ('[/x]')", "f[i]", reason)])
    out = tmp_path / "map.html"
    assert main(["render", str(_csv(tmp_path / "x.csv", GOOD)), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "  rejected [red]f.csv: row 2 ('[/x]'): f[i]: expected [bold]x[/bold]" in err
    (row,) = _rows(tmp_path / "map.rejects.csv")
    assert row == {"file": "[red]f.csv", "record": "row 2 ('[/x]')", "field": "f[i]",
                   "reason": reason}  # fmt: skip


def test_flagged_events_are_counted_and_shown(tmp_path, capsys, monkeypatch):
    flags = [Flagged("x.csv", f"row {i} ('e{i}')", "place", "coordinates lie 140 km outside "
                     "Burkina Faso, the row's country") for i in range(2, 9)]  # fmt: skip
    _fake_read(monkeypatch, flagged=flags)
    out = tmp_path / "map.html"
    assert main(["render", str(_csv(tmp_path / "x.csv", GOOD)), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    listed = tmp_path / "map.flagged.csv"
    assert (
        f"7 events flagged (placed with a doubt, said on their popups; listed in {listed})" in err
    )
    assert "  flagged x.csv: row 2 ('e2'): place: coordinates lie 140 km outside" in err
    assert err.count("  flagged ") == 5 and f"  … and 2 more in {listed}" in err
    assert not (tmp_path / "map.rejects.csv").exists()
    rows = _rows(listed)  # every flagged event, as the rejected are listed
    assert [(r["file"], r["record"], r["field"]) for r in rows] == [
        ("x.csv", f"row {i} ('e{i}')", "place") for i in range(2, 9)]  # fmt: skip
    assert rows[0]["reason"].startswith("coordinates lie 140 km outside Burkina Faso")


def _fake_read(monkeypatch, *, rejected=(), flagged=()):
    """read_events as the CLI calls it, its frame given these rejections and flags."""
    real = geo.read_events

    def read(path, **options):
        frame = real(path, **options)
        frame.attrs["rejected"] = list(rejected)
        frame.attrs["flagged"] = list(flagged)
        frame.attrs["records"] = len(frame) + len(rejected)
        return frame

    monkeypatch.setattr(geo, "read_events", read)


# --------------------------------------------------------------------------- the report


def test_the_resolution_report_lists_every_place_name(tmp_path, capsys):
    f = _csv(tmp_path / "x.csv", GOOD + "c,statement,T,[/x] Nowhere,S\nd,statement,T,Moscow,S\n")
    report = tmp_path / "places.csv"
    assert main(["render", str(f), "-o", str(tmp_path / "m.html"), "--report", str(report)]) == 0
    assert f"wrote the resolution report to {report}" in capsys.readouterr().err
    rows = _rows(report)
    assert [r["query"] for r in rows] == ["Moscow", "Kursk", "[/x] Nowhere"]  # each once
    header = list(rows[0])
    expected = geo.read_events(f).attrs["places"]  # the columns the reader defines
    assert header[: len(expected[0])] == list(expected[0])
    assert {"query", "name", "precision", "score", "runner_up_name", "flag"} <= set(header)
    assert (rows[0]["name"], rows[0]["precision"]) == ("Moscow", "point")
    assert rows[2]["name"] == "" and rows[2]["flag"]  # unresolved, and why


def test_the_report_is_written_only_when_asked(tmp_path):
    f = _csv(tmp_path / "x.csv", GOOD)
    assert main(["render", str(f), "-o", str(tmp_path / "m.html")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html", "x.csv"]


# --------------------------------------------------------------------------- --strict


def test_strict_with_an_unresolved_place_writes_nothing(tmp_path, capsys):
    f = _csv(tmp_path / "x.csv", GOOD + "c,statement,T,Nowhere-at-all,S\n")
    args = ["render", str(f), "-o", str(tmp_path / "m.html"), "--report", str(tmp_path / "r.csv")]
    assert main([*args, "--strict"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"eventmap: error: {f}: 1 unresolved place")
    assert "Nowhere-at-all" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_strict_with_a_rejection_in_a_later_file_writes_nothing(tmp_path, capsys):
    one = _csv(tmp_path / "one.csv", GOOD)
    two = _csv(tmp_path / "two.csv", _bad_rows(1))
    assert main(["render", str(one), str(two), "-o", str(tmp_path / "m.html"), "--strict"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == f"eventmap: error: {two}: row 2 ('bad0'): source: empty; expected the name " \
                   "of who says so"  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.csv", "two.csv"]


def test_strict_passes_a_clean_dataset(tmp_path):
    f = _csv(tmp_path / "x.csv", GOOD)
    assert main(["render", str(f), "-o", str(tmp_path / "m.html"), "--strict"]) == 0


# --------------------------------------------------------------------------- outputs


@pytest.mark.parametrize("option", ["--report", "-o"])
def test_an_output_that_is_an_input_is_refused(tmp_path, capsys, option):
    f = _csv(tmp_path / "x.csv", GOOD)
    before = f.read_bytes()
    args = ["render", str(f), option, str(f)]
    if option == "--report":
        args += ["-o", str(tmp_path / "m.html")]
    assert main(args) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"eventmap: error: {f}: is a file being read")
    assert f.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_the_report_and_the_map_cannot_be_one_file(tmp_path, capsys):
    f = _csv(tmp_path / "x.csv", GOOD)
    out = tmp_path / "m.html"
    assert main(["render", str(f), "-o", str(out), "--report", str(out)]) == 2
    assert "the map and the report would be the same file" in capsys.readouterr().err


def test_a_report_that_cannot_be_written_is_said_before_the_work(tmp_path, capsys):
    f = _csv(tmp_path / "x.csv", GOOD)
    (tmp_path / "plain").write_text("x")
    report = tmp_path / "plain" / "r.csv"
    assert main(["render", str(f), "-o", str(tmp_path / "m.html"), "--report", str(report)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert not (tmp_path / "m.html").exists()


def test_a_formula_from_the_data_is_shown_never_run_in_the_csvs(tmp_path, monkeypatch):
    # A spreadsheet runs '=...' (and + - @) as a formula: the report and the rejects
    # file are opened in one, so such a text is written with a ' in front.
    monkeypatch.chdir(tmp_path)
    _csv(tmp_path / "=1+1.csv", GOOD + 'c,statement,T,"=HYPERLINK(""http://x"",""y"")",S\n'
         "d,statement,T,Moscow,S,extra\n")  # fmt: skip
    assert main(["render", "=1+1.csv", "-o", "m.html", "--report", "places.csv"]) == 0
    rows = _rows(tmp_path / "places.csv")
    queries = [r["query"] for r in rows]
    assert '\'=HYPERLINK("http://x","y")' in queries
    assert not any(q.startswith("=") for q in queries)
    assert all(not r["lat"].startswith("'") for r in rows)  # numbers as they are
    (rejected,) = _rows(tmp_path / "m.rejects.csv")
    assert rejected["file"] == "'=1+1.csv"


@pytest.mark.parametrize("suffix", [".html", ".svg"])
def test_the_map_names_the_flagged_file(tmp_path, capsys, monkeypatch, suffix):
    """With flagged events and no rejected record, the page's and the figure's
    notice name OUTPUT.flagged.csv (paper has no popups to point to)."""
    flags = [Flagged("x.csv", f"row {i} ('e{i}')", "place", "outside") for i in (2, 3)]
    _fake_read(monkeypatch, flagged=flags)
    out = tmp_path / f"map{suffix}"
    assert main(["render", str(_csv(tmp_path / "x.csv", GOOD)), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "listed in map.flagged.csv" in text
