"""``eventmap render`` for reports: the output's extension picks SVG, PDF, PNG
or HTML (``--format`` overrides), the static options and where they are
refused, ``--fragment``, and the filters (counted here with pandas)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import geo
from maps.cli import main
from maps.page import EventMap

ROOT = Path(__file__).resolve().parents[2]
ACLED = ROOT / "tests" / "data" / "exports" / "acled" / "current_2024.csv"
MAGIC = {"svg": b"<?xml", "pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n"}
#: Small and coarse: the drawing is tested in test_figure.py, the plumbing here.
FAST = ["--size", "A5", "--dpi", "50"]


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")  # one line per message


@pytest.fixture(scope="module")
def synthetic_csv(tmp_path_factory, synthetic) -> Path:
    path = tmp_path_factory.mktemp("cli") / "acled.csv"
    synthetic.write_csv(synthetic.make_acled(1500, seed=11), path)
    return path


@pytest.fixture
def drawn(monkeypatch):
    """EventMap.to_image recorded (what it was given, and the map's events), a few bytes written."""
    calls = []

    def fake(self, target, **options):
        calls.append({"target": Path(target), "events": self._frame.copy(),
                      "selection": self._attrs.get("selection"), **options})  # fmt: skip
        Path(target).write_bytes(MAGIC[options["format"]] + b" fake")
        return Path(target)

    monkeypatch.setattr(EventMap, "to_image", fake)
    return calls


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("eventmap: error: ")
    return lines[0]


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_the_extension_picks_the_format(tmp_path, capsys, fmt):
    out = tmp_path / f"map.{fmt}"
    assert main(["render", str(ACLED), "-o", str(out), *FAST]) == 0
    assert out.read_bytes().startswith(MAGIC[fmt])
    assert b"<html" not in out.read_bytes()[:2000].lower()
    assert f"wrote {out} (" in capsys.readouterr().err
    assert _files(tmp_path) == [f"map.{fmt}"]  # nothing rejected or flagged: nothing else


def test_the_png_has_the_pixels_asked_for(tmp_path):
    from PIL import Image

    out = tmp_path / "map.png"
    assert main(["render", str(ACLED), "-o", str(out), "--size", "7x5in", "--dpi", "60",
                 "--landscape"]) == 0  # fmt: skip
    with Image.open(out) as image:
        assert image.size == (420, 300)  # 7 x 5 in at 60 dpi, already landscape


def test_an_uppercase_extension_and_html(tmp_path):
    assert main(["render", str(ACLED), "-o", str(tmp_path / "MAP.PDF"), *FAST]) == 0
    assert (tmp_path / "MAP.PDF").read_bytes().startswith(MAGIC["pdf"])
    assert main(["render", str(ACLED), "-o", str(tmp_path / "map.htm")]) == 0
    assert (tmp_path / "map.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_format_overrides_the_extension(tmp_path, drawn):
    assert main(["render", str(ACLED), "-o", str(tmp_path / "figure.out"), "--format", "png"]) == 0
    assert (tmp_path / "figure.out").read_bytes().startswith(MAGIC["png"])
    assert main(["render", str(ACLED), "-o", str(tmp_path / "x.svg"), "--format", "pdf"]) == 0
    assert [c["format"] for c in drawn] == ["png", "pdf"]
    assert main(["render", str(ACLED), "-o", str(tmp_path / "page.svg"), "--format", "html"]) == 0
    assert (tmp_path / "page.svg").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name", ["map.jpg", "map.svgz", "map", "map.html.bak"])
def test_an_unknown_extension_is_an_error_naming_the_accepted(tmp_path, capsys, name, drawn):
    assert main(["render", str(ACLED), "-o", str(tmp_path / name)]) == 2
    line = _error_line(capsys.readouterr().err)
    for ext in (".html", ".svg", ".pdf", ".png"):
        assert ext in line
    assert "--format" in line
    assert _files(tmp_path) == [] and drawn == []


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png", "html"])
def test_the_default_output_follows_the_format(tmp_path, monkeypatch, drawn, fmt):
    monkeypatch.chdir(tmp_path)
    assert main(["render", str(ACLED), "--format", fmt]) == 0
    assert _files(tmp_path) == [f"current_2024.{fmt}"]


def test_the_static_options_reach_to_image(tmp_path, drawn):
    out = tmp_path / "m.pdf"
    args = ["--size", "a5", "--landscape", "--dpi", "150", "--extent=-10.5,40,45,60.25",
            "--facet", "kind"]  # fmt: skip
    assert main(["render", str(ACLED), "-o", str(out), *args]) == 0
    (call,) = drawn
    assert call["target"] == out
    assert {k: call[k] for k in ("format", "size", "landscape", "dpi", "extent", "facet")} == {
        "format": "pdf", "size": "a5", "landscape": True, "dpi": 150,
        "extent": (-10.5, 40.0, 45.0, 60.25), "facet": "kind",
    }  # fmt: skip
    assert main(["render", str(ACLED), "-o", str(out)]) == 0
    assert {k: drawn[1][k] for k in ("size", "landscape", "dpi", "extent", "facet")} == {
        "size": "A4", "landscape": False, "dpi": 300, "extent": None, "facet": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    "option",
    [
        ["--size", "A5"],
        ["--landscape"],
        ["--dpi", "100"],
        ["--extent", "20,40,50,60"],
        ["--facet", "month"],
    ],  # fmt: skip
)
@pytest.mark.parametrize("out", ["map.html", None])
def test_static_options_are_refused_with_html(tmp_path, capsys, monkeypatch, option, out):
    monkeypatch.chdir(tmp_path)
    given = ["-o", out] if out else []
    assert main(["render", str(ACLED), *given, *option]) == 2
    line = _error_line(capsys.readouterr().err)
    assert option[0] in line and "HTML" in line
    assert _files(tmp_path) == []


@pytest.mark.parametrize(
    ("option", "flag"),
    [(["--size", "B9"], "--size"), (["--size", "0x10mm"], "--size"), (["--dpi", "10"], "--dpi")],
)
def test_a_bad_static_option_is_one_line_naming_the_flag(tmp_path, capsys, option, flag):
    assert main(["render", str(ACLED), "-o", str(tmp_path / "m.svg"), *option]) == 2
    assert _error_line(capsys.readouterr().err).startswith(f"eventmap: error: {flag}: ")
    assert _files(tmp_path) == []


@pytest.mark.parametrize(
    ("option", "flag"),
    [
        (["--extent=1,2,3"], "--extent"),
        (["--extent=50,40,20,60"], "--extent"),
        (["--extent=20,60,50,40"], "--extent"),
        (["--extent=a,b,c,d"], "--extent"),
        (["--extent=0,0,0,0"], "--extent"),
        (["--extent=-200,0,10,10"], "--extent"),
        (["--extent=nan,0,10,10"], "--extent"),
        (["--dpi", "30"], "--dpi"),
        (["--dpi", "5000"], "--dpi"),
        (["--dpi", "abc"], "--dpi"),
        (["--dpi", "0"], "--dpi"),
        (["--size", "2000x2000mm", "--dpi", "1200"], "--dpi"),  # a PNG of too many pixels
        (["--size", "100x100mm"], "--size"),
    ],
)
def test_every_static_option_is_checked_before_the_reading(
    tmp_path, capsys, monkeypatch, option, flag
):
    def never(*args, **kwargs):
        raise AssertionError("read before the options were checked")

    monkeypatch.setattr(geo, "read_events", never)
    assert main(["render", str(ACLED), "-o", str(tmp_path / "m.png"), *option]) == 2
    line = _error_line(capsys.readouterr().err)  # the house error: one line, no usage block
    assert line.startswith(f"eventmap: error: {flag}: "), line
    assert _files(tmp_path) == []


def test_tiles_are_refused_for_a_figure(tmp_path, capsys, drawn):
    assert (
        main(["render", str(ACLED), "-o", str(tmp_path / "m.png"), "--tiles", "OpenTopoMap"]) == 2
    )
    assert "--tiles" in _error_line(capsys.readouterr().err)
    assert _files(tmp_path) == [] and drawn == []


# --------------------------------------------------------------------------- fragment


def test_fragment_writes_an_iframe(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    title = ["--title", 'A "quoted" & <b>title</b>']
    assert main(["render", str(ACLED), "--fragment", *title]) == 0
    out = tmp_path / "current_2024.frag.html"
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert text.endswith("</iframe>")
    assert text.count("<iframe") == 1 and "<script" not in text  # the page is escaped in srcdoc
    assert 'title="A &quot;quoted&quot; &amp; &lt;b&gt;title&lt;/b&gt;"' in text
    assert f"wrote {out.name} (" in capsys.readouterr().err
    assert main(["render", str(ACLED), "--fragment", "-o", "embed.html", *title]) == 0
    assert (tmp_path / "embed.html").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("args", "said", "unsaid"),
    [
        (["-o", "m.svg"], "-o m.svg", "--format"),
        (["-o", "m.PNG"], "-o m.PNG", "--format"),
        (["--format", "png"], "--format png", "-o "),
        (["-o", "m.html", "--format", "pdf"], "--format pdf", "-o "),
        (["-o", "m.html", "--dpi", "90"], "--dpi", "--format"),
    ],
)
def test_fragment_is_html_only(tmp_path, capsys, monkeypatch, args, said, unsaid):
    monkeypatch.chdir(tmp_path)
    assert main(["render", str(ACLED), "--fragment", *args]) == 2
    line = _error_line(capsys.readouterr().err)
    assert said in line and unsaid not in line  # what was given, not what was not
    assert _files(tmp_path) == []


# --------------------------------------------------------------------------- filters


def _kept(err: str) -> int:
    line = next(li for li in err.splitlines() if " kept: " in li)
    return int(line.split(" of ")[0].replace(",", ""))


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_filters_keep_what_pandas_counts(tmp_path, capsys, synthetic_csv, drawn, fmt):
    raw = pd.read_csv(synthetic_csv, keep_default_na=False, na_values={"fatalities": [""]})
    day = pd.to_datetime(raw["event_date"])
    # ACLED's time_precision: 1 the day, 2 the week from it, 3 its month.
    month = day.dt.to_period("M")
    start = day.where(raw["time_precision"] != 3, month.dt.start_time)
    end = day.where(raw["time_precision"] == 1, day + pd.Timedelta(days=6))
    end = end.where(raw["time_precision"] != 3, month.dt.end_time.dt.floor("D"))
    expected = (
        (start <= pd.Timestamp("2024-12-31")) & (end >= pd.Timestamp("2024-01-01"))
        & raw["event_type"].isin(["Battles", "Explosions/Remote violence"])
        & (raw["country"] == "Ukraine") & (raw["fatalities"] >= 1)
    )  # fmt: skip
    assert 0 < expected.sum() < len(raw)
    out = tmp_path / f"m.{fmt}"
    args = ["--time", "2024/2024", "--kind", "battles", "--kind", "Explosions/Remote violence",
            "--country", "ukraine", "--fatalities", "1-"]  # fmt: skip
    assert main(["render", str(synthetic_csv), "-o", str(out), *args]) == 0
    err = capsys.readouterr().err
    assert "1,500 records read from 1 file: 1,500 events, 0 rejected" in err
    assert _kept(err) == expected.sum()
    assert (
        f"{expected.sum():,} of 1,500 events kept: 2024 · kind: Battles, Explosions/Remote "
        "violence · country: Ukraine · fatalities: at least 1" in err
    )
    if fmt == "svg":
        (call,) = drawn
        assert sorted(call["events"]["id"]) == sorted(raw["event_id_cnty"][expected])
        assert call["selection"]["time"] == ["2024-01-01", "2024-12-31"]
        assert call["selection"]["window"] == "2024"


def test_one_month_is_said_as_the_month(tmp_path, capsys, synthetic_csv, drawn):
    out = tmp_path / "m.svg"
    assert main(["render", str(synthetic_csv), "-o", str(out), "--time", "2024-10"]) == 0
    assert " of 1,500 events kept: Oct 2024\n" in capsys.readouterr().err
    (call,) = drawn
    assert call["selection"]["time"] == ["2024-10-01", "2024-10-31"]
    assert call["selection"]["window"] == "Oct 2024" and call["selection"]["filters"] == ""


def test_search_sub_type_actor_admin1_precision(tmp_path, capsys, synthetic_csv):
    raw = pd.read_csv(synthetic_csv, keep_default_na=False)
    expected = (
        (raw["sub_event_type"] == "Armed clash")
        & ((raw["actor1"] == "Military Forces of Ukraine (2019-)")
           | (raw["actor2"] == "Military Forces of Ukraine (2019-)"))
        & (raw["geo_precision"] == 1)
        & raw["notes"].str.lower().str.contains("killed")
    )  # fmt: skip
    assert 0 < expected.sum()
    out = tmp_path / "m.html"
    args = ["--sub-type", "armed clash", "--actor", "Military Forces of Ukraine (2019-)",
            "--precision", "point", "--search", "KILLED"]  # fmt: skip
    assert main(["render", str(synthetic_csv), "-o", str(out), *args]) == 0
    assert _kept(capsys.readouterr().err) == expected.sum()
    assert main(["render", str(synthetic_csv), "-o", str(out), "--admin1", "donetsk oblast"]) == 0
    assert 0 < _kept(capsys.readouterr().err) < len(raw)


@pytest.mark.parametrize(
    ("args", "flag", "hint"),
    [
        (["--kind", "batles"], "--kind", "'Battles'"),
        (["--country", "Narnia"], "--country", "which has"),
        (["--admin1", "kursk"], "--admin1", "'Kursk Oblast'"),
        (["--time", "2024-13"], "--time", "no such date"),
        (["--time", "2024-12/2024-01"], "--time", "ends before"),
        (["--fatalities", "ten"], "--fatalities", "MIN-MAX"),
        (["--kind", "battles", "--time", "1990"], "no event", "(1990 · kind: Battles)"),
    ],
)
def test_a_bad_filter_is_one_line_and_nothing_is_written(tmp_path, capsys, args, flag, hint):
    assert main(["render", str(ACLED), "-o", str(tmp_path / "m.pdf"), *args]) == 2
    line = _error_line(capsys.readouterr().err)
    assert line.startswith(f"eventmap: error: {flag}") and hint in line, line
    assert _files(tmp_path) == []


def test_a_malformed_window_is_said_before_the_reading(tmp_path, capsys, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("read before the options were checked")

    monkeypatch.setattr(geo, "read_events", never)
    assert main(["render", str(ACLED), "-o", str(tmp_path / "m.svg"), "--time", "2024-1"]) == 2
    assert main(["render", str(ACLED), "-o", str(tmp_path / "m.svg"), "--fatalities", "5-1"]) == 2
    assert main(["render", str(ACLED), "-o", str(tmp_path / "m.svg"), "--size", "huge"]) == 2


# --------------------------------------------------------------------------- rejects, strict


BAD = "id,kind,title,place,source\na,statement,T,Moscow,S\nb,statement,T,Moscow,\n"


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_rejects_are_listed_beside_a_figure(tmp_path, capsys, drawn, fmt):
    f = tmp_path / "x.csv"
    f.write_text(BAD, encoding="utf-8")
    assert main(["render", str(f), "-o", str(tmp_path / f"m.{fmt}")]) == 0
    err = capsys.readouterr().err
    assert "2 records read from 1 file: 1 event, 1 rejected (listed in " in err
    assert (tmp_path / "m.rejects.csv").is_file()
    assert (tmp_path / f"m.{fmt}").is_file()


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_strict_still_writes_nothing(tmp_path, capsys, fmt):
    f = tmp_path / "x.csv"
    f.write_text(BAD, encoding="utf-8")
    assert main(["render", str(f), "-o", str(tmp_path / f"m.{fmt}"), "--strict"]) == 2
    _error_line(capsys.readouterr().err)
    assert _files(tmp_path) == ["x.csv"]


def test_geocode_stays_light_with_the_new_options():
    # The import-stack test proper is tests/maps/test_geocode_cli.py; this one
    # says why it matters here: the render options must not pull matplotlib in.
    import subprocess

    code = (
        "import sys; from maps.cli import main; "
        "heavy = {'pandas', 'geopandas', 'shapely', 'matplotlib', 'maps.selection', "
        "'maps.figure.output'} & set(sys.modules); print(sorted(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
