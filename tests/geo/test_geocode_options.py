"""``eventmap geocode``'s numbers and other hostile input: one-line errors, never a traceback.

Numeric flags are checked by argparse (exit 2, a line naming the flag and what
was expected); the library checks the same numbers, naming its parameters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_nominatim import running

from geo.errors import InputError
from geo.geocoders import Throttle, make_geocoder
from geo.geocoders.chain import _file_name
from maps.cli import main

ROOT = Path(__file__).resolve().parents[2]


# Each test gets its own geocoding cache (conftest.py).
pytestmark = pytest.mark.usefixtures("cache_dir")


def run(args, capsys):
    code = main(["geocode", *args])
    out, err = capsys.readouterr()
    return code, out, err


def argparse_error(args, capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(["geocode", "Kursk", *args])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert out == ""
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


# --------------------------------------------------------------------------- numeric flags

NUMBERS = {
    "--retries": "expected a whole number from 0 to 10",
    "--top": "expected a whole number from 1 to 100",
    "--timeout": "expected a number of seconds above 0, at most 3600",
    "--min-delay": "expected a number of seconds from 0 to 3600",
    "--backoff": "expected a number of seconds from 0 to 3600",
}
BAD = {
    "--retries": ["-1", "11", "99999999999999999999", "1.5", "nan", "x", ""],
    "--top": ["0", "-3", "101", "10000000000000000000000", "2.0", "inf", "K"],
    "--timeout": ["0", "-1", "nan", "inf", "-inf", "1e400", "3601", "ten", ""],
    "--min-delay": ["-1", "-0.001", "nan", "inf", "1e309", "86400", "soon"],
    "--backoff": ["-1", "nan", "inf", "1e999", "3600.5", "x"],
}


@pytest.mark.parametrize(
    ("flag", "value"), [(flag, value) for flag, values in BAD.items() for value in values]
)
def test_bad_numbers_are_one_line_argparse_errors(capsys, flag, value):
    line = argparse_error([f"{flag}={value}"], capsys)
    assert line.startswith(f"eventmap geocode: error: argument {flag}: ")
    expected = NUMBERS[flag]
    assert expected in line or "expected a whole number, got" in line or "seconds, got" in line
    assert line.endswith(f"got {value!r}")


def test_a_long_bad_number_is_cut_short(capsys):
    line = argparse_error(["--retries", "9" * 5000], capsys)
    assert len(line) < 200 and line.endswith("…'")


@pytest.mark.parametrize(
    "args",
    [
        ["--retries", "0"], ["--retries", "10"], ["--top", "100"], ["--timeout", "0.001"],
        ["--timeout", "3600"], ["--min-delay", "0"], ["--backoff", "0"], ["--min-delay", "1e3"],
    ],
)  # fmt: skip
def test_numbers_at_the_bounds_are_accepted(capsys, args):
    code, out, err = run(["Kursk", *args], capsys)
    assert code == 0, err
    assert json.loads(out)[0]["id"] == "geonames:538560"


def test_retries_0_asks_once_and_retries_n_asks_n_plus_one_times(capsys):
    for retries, asked in (("0", 1), ("1", 2), ("2", 3)):
        with running(script=["500"] * 5) as server:
            args = ["Kursk", "--provider", "nominatim", "--provider-url", server.url,
                    "--min-delay", "0", "--backoff", "0", "--retries", retries]  # fmt: skip
            code, out, err = run(args, capsys)
            assert code == 0
            assert len(server.searches) == asked
            plural = "s" if asked > 1 else ""
            assert f"gave up after {asked} attempt{plural})" in err


def test_default_is_two_retries(capsys):
    with running(script=["500"] * 5) as server:
        args = ["Kursk", "--provider", "nominatim", "--provider-url", server.url,
                "--min-delay", "0", "--backoff", "0"]  # fmt: skip
        run(args, capsys)
        assert len(server.searches) == 3


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("retries", -1, "retries: expected a whole number from 0 to 10, got -1"),
        ("retries", 11, "retries: expected a whole number from 0 to 10, got 11"),
        ("retries", 1.0, "retries: expected a whole number"),
        ("retries", True, "retries: expected a whole number"),
        ("timeout", 0, "timeout: expected a number of seconds above 0"),
        ("timeout", float("nan"), "timeout: expected a number of seconds above 0"),
        pytest.param("timeout", 10**5000, "got an integer of 16,610 bits", id="huge"),
        ("min_delay", -1, "min_delay: expected a number of seconds from 0 to 3600, got -1"),
        ("min_delay", float("inf"), "min_delay: expected"),
        ("backoff", float("-inf"), "backoff: expected"),
        ("backoff", "1", "backoff: expected a number of seconds from 0 to 3600, got '1'"),
    ],
)
def test_make_geocoder_checks_its_numbers(option, value, message):
    with pytest.raises(InputError) as err:
        make_geocoder("nominatim", url="http://127.0.0.1:9", cache=False, **{option: value})
    assert str(err.value) == message or message in str(err.value)
    assert err.value.field == option


def test_throttle_checks_its_numbers():
    with pytest.raises(InputError, match="max_tries: expected a whole number from 1 to 11"):
        Throttle(lambda q: [], max_tries=0)
    with pytest.raises(InputError, match="min_delay: expected"):
        Throttle(lambda q: [], min_delay=float("nan"))
    with pytest.raises(InputError, match="max_wait: expected"):
        Throttle(lambda q: [], max_wait=-1)


# --------------------------------------------------------------------------- other input


def test_cli_prints_markup_in_a_warning_literally(capsys):
    """A query (or a provider's message) holding rich markup prints as it is."""
    with running(script=["500", "500"]) as server:
        args = ["geocode", "[/x]", "[bold]Kursk", "--provider", "nominatim", "--provider-url",
                server.url, "--min-delay", "0", "--backoff", "0", "--retries", "0"]  # fmt: skip
        assert main(args) == 0
    out, err = capsys.readouterr()
    assert [r["query"] for r in json.loads(out)] == ["[/x]", "[bold]Kursk"]
    assert "warning: nominatim" in err and "'[/x]': HTTP 500" in err
    assert "'[bold]Kursk': HTTP 500" in err


def test_undecodable_bytes_in_a_query_are_an_input_error():
    """argv carries bytes that are not UTF-8 as lone surrogates (PEP 383)."""
    done = subprocess.run(
        [sys.executable, "-m", "maps.cli", "geocode", "Kursk", os.fsdecode(b"K\xffursk")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "eventmap: error: QUERY 2: expected UTF-8 text, got undecodable bytes at character 2"
    ]


def test_undecodable_bytes_on_a_c_locale_stdin_are_located(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("Kursk\n# x\nK\udcffursk\n"))
    code, out, err = run(["--file", "-"], capsys)
    assert code == 2
    assert err.strip() == (
        "eventmap: error: -: line 3: expected UTF-8 text, got undecodable bytes at character 2"
    )


@pytest.mark.parametrize("flag", ["--country-hint", "--context"])
def test_undecodable_bytes_in_a_hint_are_an_input_error(capsys, flag):
    code, out, err = run(["Kursk", flag, "R\udcffU"], capsys)
    assert code == 2 and out == ""
    assert err.strip() == (
        f"eventmap: error: {flag}: expected UTF-8 text, got undecodable bytes at character 2"
    )


def test_an_option_nested_too_deep_is_kept_as_text(capsys):
    code, out, err = run(["Kursk", "--option", "api_key=" + "[" * 100_000], capsys)
    assert code == 0, err  # offline: the option goes nowhere, but it is read
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "text",
    [
        "../../x", "..", ".", "/etc/passwd", "a/../../b", "nominatim|../../../x",
        "x" * 5000, "\x00", "é/ü", "",
    ],
)  # fmt: skip
def test_spacing_file_names_stay_in_their_directory(tmp_path, text):
    name = _file_name(text)
    assert 0 < len(name) <= 100
    assert not name.startswith(".") and "/" not in name and "\\" not in name
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_long_names_stay_apart():
    assert _file_name("a" * 200 + "1") != _file_name("a" * 200 + "2")


def test_a_provider_url_cannot_move_the_spacing_file(cache_dir):
    gc = make_geocoder("nominatim", url="http://127.0.0.1:9/../../../../tmp/x", cache=False)
    shared = gc.primary.search.shared
    assert shared.parent == cache_dir / "spacing"
    assert shared.name == "nominatim_127.0.0.1_9_.._.._.._.._tmp_x"


def test_the_spacing_file_is_not_followed_through_a_symlink(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "spacing"
    link.symlink_to(victim)
    throttle = Throttle(lambda q: [], min_delay=0, shared=link)
    assert throttle("x") == []
    assert victim.read_text(encoding="utf-8") == "precious"
    assert throttle.shared is None  # spaced alone from then on


@pytest.mark.parametrize("garbage", [b"inf", b"1e999", b"nan", b"\xff" * 1000, b"-"])
def test_a_spacing_file_of_garbage_is_no_time(tmp_path, garbage):
    shared = tmp_path / "spacing"
    shared.write_bytes(garbage)
    waits = []
    throttle = Throttle(lambda q: [], min_delay=5, shared=shared, sleep=waits.append)
    throttle("x")
    assert waits == []  # no reason to wait: not a time
    assert float(shared.read_text(encoding="ascii")) >= 0  # replaced by this call's time


def test_stdout_closed_early_is_no_traceback():
    proc = subprocess.Popen(
        [sys.executable, "-m", "maps.cli", "geocode", "Moscow", "Kursk"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    proc.stdout.close()  # like `| head -0`: nobody reads what it writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert err == ""


@pytest.mark.parametrize(
    "bias",
    ["nan,nan,nan,nan", "1e999,0,1,1", "-inf,0,1,1", "a,b,c,d", ",,,", "1,2,3,4,5", "1,2,3",
     "0,91,1,92", "181,0,182,1", "9" * 5000 + ",0,1,1"],
)  # fmt: skip
def test_bad_bias_boxes_are_one_line_errors(capsys, bias):
    code, out, err = run(["Kursk", f"--bias={bias}"], capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eventmap: error: --bias: expected ")
    assert len(lines[0]) < 300


def test_a_bias_of_huge_ints_is_an_input_error():
    from geo.model import check_bbox

    with pytest.raises(InputError, match="got a list holding a number too long to show"):
        check_bbox([10**5000, 0, 1, 1])
