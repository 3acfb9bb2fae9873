"""Building a provider from hostile settings: a bad URL or User-Agent is one line, exit 2."""

from __future__ import annotations

import pytest

from maps.cli import main


def run(args, capsys):
    code = main(["geocode", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "provider URL 'http://[::1': Invalid IPv6 URL"),
        ("http://127.0.0.1:99999", "Port out of range"),
        ("http://127.0.0.1:port", "provider URL 'http://127.0.0.1:port'"),
        ("http://exa mple.org", "expected http(s)://host[:port][/path]"),
        ("http://example.org/\nHost: x", "expected http(s)://host[:port][/path]"),
        ("http://user:secret@example.org", "without user:password@"),
        ("ftp://example.org", "expected http(s)://host[:port][/path]"),
        ("http://", "expected http(s)://host[:port][/path]"),
    ],
)
def test_bad_provider_urls_are_one_line_errors(capsys, url, message):
    code, out, err = run(["Kursk", "--provider", "nominatim", "--provider-url", url], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eventmap: error: provider URL ")
    assert message in lines[0]
    assert "--provider-url" not in lines[0]  # geo's messages name no CLI flag


def test_a_user_agent_with_a_line_break_is_refused(capsys):
    args = ["Kursk", "--provider", "nominatim", "--provider-url", "http://127.0.0.1:9",
            "--user-agent", "me\r\nX-Evil: 1"]  # fmt: skip
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.strip() == (
        "eventmap: error: user agent 'me\\r\\nX-Evil: 1': expected one line of printable text"
    )


def test_a_provider_url_with_markup_shows_in_the_progress_bar_as_text(capsys):
    """rich reads a progress bar's label as markup; a URL path may hold "[/x]"."""
    import warnings

    from fake_nominatim import running

    from geo.geocoders import make_geocoder

    with running() as server:
        gc = make_geocoder("nominatim", url=server.url + "/[/x]", min_delay=0, cache=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # /[/x]/search is a 404: offline answers
            found = gc.candidates_many(["Moscow", "Kursk"], k=1, progress=True)
    assert [p[0].country for p in found] == ["RU", "RU"]


def test_the_geopy_adapter_takes_an_empty_list_of_country_codes():
    from geo.geocoders import OfflineGeocoder

    coder = OfflineGeocoder()
    assert coder.geocode("Georgia", country_codes=[]).raw["id"] == "iso:GE"
    assert coder.geocode("Georgia", country_codes=("US",)).raw["id"] == "ne:US-GA"
