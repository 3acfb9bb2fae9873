"""The render command: bad output paths and markup in data, as users meet them."""

from __future__ import annotations

import os

import pytest

from maps.cli import main

CSV = "id,kind,title,place,source\na,statement,T [bold]x,[/x] [red]Nowhere[/red],S [/]\n"


@pytest.fixture
def events_csv(tmp_path):
    path = tmp_path / "[red]events[bold].csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("eventmap: error: "), err
    assert "Traceback" not in err[0]
    return err[0]


def test_output_that_is_a_folder_is_one_located_line(tmp_path, events_csv, capsys):
    assert main(["render", str(events_csv), "-o", str(tmp_path)]) == 2
    line = _one_line_error(capsys)
    assert f"{tmp_path}: is a folder" in line


def test_output_under_a_plain_file_is_one_located_line(tmp_path, events_csv, capsys):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    out = plain / "sub" / "map.html"
    assert main(["render", str(events_csv), "-o", str(out)]) == 2
    assert f"{plain} is a file, not a folder" in _one_line_error(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_output_in_a_folder_without_write_permission(tmp_path, events_csv, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert main(["render", str(events_csv), "-o", str(locked / "map.html")]) == 2
    assert "cannot write in the folder" in _one_line_error(capsys)


def test_output_the_system_refuses_is_one_located_line(events_csv, capsys):
    # sysfs refuses new files even to root, so this runs under CI's root too.
    assert main(["render", str(events_csv), "-o", "/sys/eventmap-test.html"]) == 2
    assert "/sys/eventmap-test.html: cannot" in _one_line_error(capsys)


def test_output_error_leaves_no_temporary_file(tmp_path, events_csv, capsys):
    out = tmp_path / "map.html"
    out.mkdir()
    assert main(["render", str(events_csv), "-o", str(out)]) == 2
    assert list(tmp_path.glob(".map.html.*")) == []


def test_markup_in_data_and_paths_prints_literally(tmp_path, events_csv, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")  # one line per message
    out = tmp_path / "[/x]" / "map [bold].html"
    assert main(["render", str(events_csv), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "[/x] [red]Nowhere[/red]" in err  # the unresolved name, as written
    assert "[red]events[bold].csv" in err
    assert f"wrote {out} (" in err
    assert out.is_file()


def test_title_with_bytes_the_locale_cannot_decode(tmp_path, events_csv):
    # Python hands undecodable argv bytes over as lone surrogates (surrogateescape).
    out = tmp_path / "map.html"
    assert main(["render", str(events_csv), "-o", str(out), "--title", "bad \udcff title"]) == 0
    text = out.read_bytes().decode("utf-8")  # valid UTF-8
    assert "<title>bad \ufffd title</title>" in text


def test_an_error_naming_a_line_break_is_still_one_line(tmp_path, capsys):
    missing = tmp_path / "two\nlines [bold].csv"
    assert main(["render", str(missing), "-o", str(tmp_path / "m.html")]) == 2
    line = _one_line_error(capsys)
    assert "two\\nlines [bold].csv: no such file" in line
