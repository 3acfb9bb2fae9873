"""Online providers against a local imitation of Nominatim that misbehaves on purpose.

Nothing here touches the internet: every request goes to 127.0.0.1 (the
``fake_nominatim`` fixture) or to a port where nothing listens. Waits are
short: Retry-After 1 s, timeouts 0.5 s, backoffs 0.05 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import geopy.geocoders
import pytest
from fake_nominatim import FakeNominatim, closed_port_url

from geo.errors import CacheError, FallbackWarning, GeocoderServiceError, GeocodingError
from geo.geocoders import Cached, GeocodeCache, Throttle, default_user_agent, make_geocoder
from geo.geocoders.chain import Fallback, Online
from maps.cli import main

ROOT = Path(__file__).resolve().parents[2]


# Each test gets its own geocoding cache (conftest.py).
pytestmark = pytest.mark.usefixtures("cache_dir")


def run_cli(args, capsys) -> tuple[int, list[dict] | str, str]:
    code = main(["geocode", *args])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except ValueError:
        return code, out, err


def fast(url, **options):
    """A Nominatim chain for tests: no spacing, short backoffs and timeout."""
    defaults = {"min_delay": 0, "backoff": 0.05, "timeout": 0.5, "retries": 1}
    return make_geocoder("nominatim", url=url, **{**defaults, **options})


# --------------------------------------------------------------------------- Done when


def test_survives_429_then_answers_from_cache(fake_nominatim, capsys, cache_dir):
    """The issue's bar: a first 429 is waited out; a second run asks nothing."""
    fake_nominatim.script = ["429"]
    args = ["Moscow", "--provider", "nominatim", "--provider-url", fake_nominatim.url]
    code, first, err = run_cli(args, capsys)
    assert code == 0, err
    assert [r["id"] for r in first] == ["osm:relation/2555133"]
    assert first[0]["country"] == "RU" and first[0]["kind"] == "city"
    assert "Nominatim" in first[0]["source"]
    assert len(fake_nominatim.searches) == 2  # the 429, then the answer
    # Retry-After: 1 was honoured.
    assert fake_nominatim.searches[1].at - fake_nominatim.searches[0].at >= 1.0
    assert "warning" not in err  # no fallback: the provider answered

    code, second, err = run_cli(args, capsys)
    assert code == 0
    assert second == first
    assert len(fake_nominatim.searches) == 2  # answered from the cache, no request
    assert (cache_dir / "geocode.sqlite3").exists()


def test_default_user_agent_is_eventmaps_not_geopys(fake_nominatim, capsys):
    run_cli(["Moscow", "--provider", "nominatim", "--provider-url", fake_nominatim.url], capsys)
    agent = fake_nominatim.searches[0].headers["User-Agent"]
    assert agent.startswith("eventmap/")
    assert agent != geopy.geocoders.options.default_user_agent
    assert "geopy" not in agent


def test_user_agent_contact_and_override(fake_nominatim, capsys, monkeypatch):
    url = fake_nominatim.url
    run_cli(["Moscow", "--provider", "nominatim", "--provider-url", url, "--no-cache",
             "--contact", "ops@example.org"], capsys)  # fmt: skip
    assert fake_nominatim.searches[-1].headers["User-Agent"].endswith("(ops@example.org)")
    monkeypatch.setenv("EVENTMAP_USER_AGENT", "newsroom-maps/2 (desk@example.org)")
    run_cli(["Moscow", "--provider", "nominatim", "--provider-url", url, "--no-cache"], capsys)
    assert fake_nominatim.searches[-1].headers["User-Agent"] == "newsroom-maps/2 (desk@example.org)"
    assert default_user_agent() == "newsroom-maps/2 (desk@example.org)"


def test_request_carries_nominatim_parameters(fake_nominatim):
    gc = fast(fake_nominatim.url, cache=False)
    gc.candidates("Moscow", country_hint="RU", bias=(30, 50, 40, 60), kind="city", k=1)
    params = fake_nominatim.searches[0].params
    assert params["q"] == "Moscow"
    assert params["format"] == "json"
    assert params["countrycodes"] == "ru"
    assert params["addressdetails"] == "1"
    assert params["featureType"] == "settlement"
    # Nominatim's viewbox: two corners as lon,lat,lon,lat.
    assert [float(v) for v in params["viewbox"].split(",")] == [30, 50, 40, 60]


# --------------------------------------------------------------------------- misbehaviour


def test_500_is_retried(fake_nominatim):
    fake_nominatim.script = ["500"]
    place = fast(fake_nominatim.url, cache=False).geocode("Moscow")
    assert place.id == "osm:relation/2555133"
    assert len(fake_nominatim.searches) == 2


def test_malformed_json_is_retried(fake_nominatim):
    fake_nominatim.script = ["malformed"]
    place = fast(fake_nominatim.url, cache=False).geocode("Moscow")
    assert place.id == "osm:relation/2555133"
    assert len(fake_nominatim.searches) == 2


def test_slow_answers_time_out_and_fall_back_offline(fake_nominatim):
    fake_nominatim.script = ["slow", "slow"]
    fake_nominatim.slow_seconds = 1.0
    gc = fast(fake_nominatim.url, cache=False)
    with pytest.warns(FallbackWarning, match=r"timed out after 0.5 s.*offline gazetteer"):
        place = gc.geocode("Moscow")
    assert place.id == "geonames:524901"  # the offline answer
    assert len(fake_nominatim.searches) == 2  # both attempts timed out


def test_slow_answers_with_strict_are_an_error(fake_nominatim):
    fake_nominatim.script = ["slow"]
    fake_nominatim.slow_seconds = 1.0
    with pytest.raises(GeocoderServiceError) as err:
        fast(fake_nominatim.url, cache=False, strict=True, retries=0).geocode("Moscow")
    assert err.value.query == "Moscow"
    assert fake_nominatim.url.removeprefix("http://") in str(err.value)
    assert "timed out after 0.5 s" in str(err.value)
    assert "gave up after 1 attempt)" in str(err.value)


def test_persistent_500_falls_back_with_a_warning_on_the_cli(fake_nominatim, capsys):
    fake_nominatim.script = ["500"] * 3
    args = ["Kursk", "--provider", "nominatim", "--provider-url", fake_nominatim.url,
            "--retries", "2", "--min-delay", "0", "--backoff", "0.05"]  # fmt: skip
    code, records, err = run_cli(args, capsys)
    assert code == 0
    assert records[0]["id"] == "geonames:538560"
    assert "warning" in err and "HTTP 500" in err and "offline gazetteer" in err
    assert "gave up after 3 attempts" in err
    assert len(fake_nominatim.searches) == 3
    # --strict makes the same failure an error: one line, exit 2.
    fake_nominatim.script = ["500"] * 3
    code, out, err = run_cli([*args, "--strict"], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("eventmap: error: nominatim (127.0.0.1:")
    assert len(err.strip().splitlines()) == 1


def test_connection_refused_falls_back_and_stops_asking():
    gc = make_geocoder(
        "nominatim", url=closed_port_url(), min_delay=0, backoff=0.01, retries=1, cache=False
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        places = gc.candidates_many(["Kursk", "Moscow", "Koursk", "Seoul"], k=1)
    assert [p[0].country for p in places] == ["RU", "RU", "RU", "KR"]
    messages = [str(w.message) for w in caught if w.category is FallbackWarning]
    assert len(messages) == 3  # then the provider is taken for down
    assert "refused" in messages[0].lower() or "request failed" in messages[0]
    assert "not asked again" in messages[-1]
    assert gc.down


def test_connection_refused_with_strict_names_the_provider():
    gc = make_geocoder(
        "nominatim", url=closed_port_url(), min_delay=0, backoff=0.01, retries=0,
        cache=False, strict=True,
    )  # fmt: skip
    with pytest.raises(GeocoderServiceError, match=r"nominatim \(127\.0\.0\.1:\d+\): 'Kursk'"):
        gc.geocode("Kursk")


def test_nothing_found_online_asks_the_offline_gazetteer(fake_nominatim):
    gc = fast(fake_nominatim.url, cache=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not a failure: no warning
        place = gc.geocode("région de Koursk")
    assert place.id == "ne:RU-KRS"
    assert len(fake_nominatim.searches) == 1


def test_requests_are_spaced(fake_nominatim):
    gc = fast(fake_nominatim.url, cache=False, min_delay=0.3)
    gc.candidates_many(["Moscow", "Kursk Oblast", "Moscow, Russia"], k=1)
    at = [r.at for r in fake_nominatim.searches]
    assert len(at) == 3
    # Starts are 0.3 s apart on the client; arrivals may drift by the time a
    # busy machine takes to accept a connection, hence some slack.
    assert all(b - a >= 0.2 for a, b in zip(at, at[1:], strict=False))


def test_throttles_sharing_a_file_space_their_calls_together(tmp_path):
    """Two processes (here two throttles on one clock) calling one provider."""
    t = FakeTime()
    shared = tmp_path / "spacing" / "provider"
    a = Throttle(flaky(), min_delay=1.0, shared=shared, sleep=t.sleep, clock=t.clock)
    b = Throttle(flaky(), min_delay=1.0, shared=shared, sleep=t.sleep, clock=t.clock)
    a("x")
    t.now += 0.25
    b("y")  # b has never called, but a just did
    a("z")
    assert t.sleeps == [0.75, 1.0]
    shared.write_text(str(t.now + 3600))  # a time from before a reboot
    b("w")
    assert t.sleeps[-1] == 1.0  # waits min_delay, not an hour


def test_processes_space_their_requests_to_one_provider_together(fake_nominatim):
    script = (
        "import sys; from geo.geocoders import make_geocoder\n"
        "gc = make_geocoder('nominatim', url=sys.argv[1], min_delay=1.0, cache=False)\n"
        "gc.candidates_many(sys.argv[2:], k=1)\n"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, fake_nominatim.url, *names])
        for names in (["Moscow", "Kursk Oblast"], ["Moscow, Russia", "Pyongyang"])
    ]
    assert [p.wait(timeout=60) for p in runs] == [0, 0]
    at = sorted(r.at for r in fake_nominatim.searches)
    assert len(at) == 4
    # 1 s apart across both processes. Each process takes its turn before it sends, so
    # on a busy machine arrivals drift by the time a process waits to be scheduled
    # (0.1-0.2 s seen with two test runs on two cores): the margin allows 0.3 s.
    assert all(b - a >= 0.7 for a, b in zip(at, at[1:], strict=False))


def test_public_nominatim_is_never_asked_more_than_once_a_second():
    gc = make_geocoder("nominatim", min_delay=0.1, cache=False)  # builds, asks nothing
    throttle = gc.primary.search
    assert isinstance(throttle, Throttle)
    assert throttle.min_delay == 1.0
    assert throttle.search.domain == "nominatim.openstreetmap.org"
    # With every other eventmap process on this machine.
    assert throttle.shared.name == "nominatim_nominatim.openstreetmap.org"
    assert throttle.shared.parent.parent == Path(os.environ["EVENTMAP_CACHE_DIR"])
    assert make_geocoder("nominatim", url="http://127.0.0.1:9", min_delay=0.1,
                         cache=False).primary.search.min_delay == 0.1  # fmt: skip


def test_other_geopy_providers_by_name(fake_nominatim):
    # Photon speaks another protocol: our imitation answers 404, a refusal
    # (no retry), and the offline gazetteer answers.
    gc = make_geocoder("photon", url=fake_nominatim.url, min_delay=0, cache=False)
    with pytest.warns(FallbackWarning, match="photon"):
        assert gc.geocode("Kursk").id == "geonames:538560"
    assert len(fake_nominatim.requests) == 1
    with pytest.raises(GeocodingError, match="no such geopy service"):
        make_geocoder("nosuchservice")
    with pytest.raises(GeocodingError, match="expected http"):
        make_geocoder("nominatim", url="ftp://example.org")


# --------------------------------------------------------------------------- throttle alone


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 6))
        self.now += seconds

    def clock(self):
        return self.now


def flaky(*errors):
    calls = []

    def search(query, **options):
        calls.append(query)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return []

    search.calls = calls
    return search


def transient(retry_after=None):
    return GeocoderServiceError("busy", transient=True, retry_after=retry_after)


def test_throttle_backs_off_exponentially_and_honours_retry_after():
    t = FakeTime()
    search = flaky(transient(), transient(), transient(retry_after=7))
    throttle = Throttle(search, min_delay=0, max_tries=4, backoff=0.5, sleep=t.sleep, clock=t.clock)
    assert throttle("Kursk") == []
    assert t.sleeps == [0.5, 1.0, 7.0]  # 0.5, 1, then max(2, Retry-After 7)
    assert throttle.requests == 4


def test_throttle_spaces_calls_by_min_delay():
    t = FakeTime()
    throttle = Throttle(flaky(), min_delay=1.0, sleep=t.sleep, clock=t.clock)
    throttle("a")
    t.now += 0.25
    throttle("b")
    throttle("c")
    assert t.sleeps == [0.75, 1.0]


def test_throttle_does_not_retry_refusals_nor_wait_beyond_max_wait():
    t = FakeTime()
    refused = GeocoderServiceError("HTTP 403", transient=False)
    search = flaky(refused)
    with pytest.raises(GeocoderServiceError, match="403"):
        Throttle(search, min_delay=0, sleep=t.sleep, clock=t.clock)("x")
    assert search.calls == ["x"] and t.sleeps == []
    search = flaky(transient(retry_after=3600))
    with pytest.raises(GeocoderServiceError, match="asked to wait 3600 s"):
        Throttle(search, min_delay=0, max_wait=60, sleep=t.sleep, clock=t.clock)("x")
    assert t.sleeps == []


# --------------------------------------------------------------------------- cache


def test_cache_stores_answers_and_misses(tmp_path):
    store = GeocodeCache(tmp_path / "c.sqlite3")
    calls = []

    def search(query, **options):
        calls.append(query)
        return [] if query == "nowhere" else make_geocoder().candidates(query, k=1)

    search.namespace = "test|local"
    cached = Cached(search, store)
    first = cached("Kursk", limit=5)
    again = cached("Kursk", limit=5)
    assert again == first and calls == ["Kursk"]
    assert cached("nowhere", limit=5) == [] and cached("nowhere", limit=5) == []
    assert calls == ["Kursk", "nowhere"]  # "not found" is cached too
    cached("Kursk", limit=10)  # other options, another answer
    assert calls == ["Kursk", "nowhere", "Kursk"]
    assert (cached.hits, cached.misses, len(store)) == (2, 3, 3)


def test_cache_error_names_the_file(tmp_path):
    bad = tmp_path / "geocode.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError) as err:
        GeocodeCache(bad)
    assert str(bad) in str(err.value)
    assert "EVENTMAP_CACHE_DIR" in str(err.value)


_WRITER = """
import sys
from geo.model import Place
from geo.geocoders import GeocodeCache
store = GeocodeCache(sys.argv[1], timeout=30)
tag = sys.argv[2]
for i in range(300):
    place = Place(f"q{i}", f"n{i}", "city", "RU", 1.0, 2.0, f"x:{i}", tag, 1.0)
    store.put(f"{tag}-{i}", "test", f"q{i}", [place.__dict__])
    store.put(f"shared-{i}", "test", f"q{i}", [place.__dict__])
    assert store.get(f"shared-{i}") is not None
print("ok")
"""


def test_two_processes_share_one_cache(tmp_path):
    path = tmp_path / "shared.sqlite3"
    GeocodeCache(path).close()  # create it (WAL mode) before the race
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for tag in ("a", "b")
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    store = GeocodeCache(path)
    assert len(store) == 900  # 300 each, plus 300 shared keys written by both
    assert store.get("a-299")[0]["source"] == "a" and store.get("b-0")[0]["source"] == "b"
    assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --------------------------------------------------------------------------- composition


def test_user_overrides_beat_the_provider(fake_nominatim, tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "places:\n  - id: moscow-depot\n    name: Moscow\n    kind: place\n    country: RU\n"
        "    lat: 55.6\n    lon: 37.5\n    source: Our desk, 2024\n",
        encoding="utf-8",
    )
    args = ["Moscow", "Kursk Oblast", "--provider", "nominatim", "--provider-url",
            fake_nominatim.url, "--gazetteer", str(mine), "--min-delay", "0"]  # fmt: skip
    code, records, err = run_cli(args, capsys)
    assert code == 0, err
    assert records[0]["id"] == "curated:moscow-depot"
    assert records[0]["source"] == "Our desk, 2024"
    assert records[1]["id"] == "osm:relation/72223"
    assert [r.params["q"] for r in fake_nominatim.searches] == ["Kursk Oblast"]


def test_chain_is_built_of_small_wrappers(fake_nominatim):
    gc = fast(fake_nominatim.url)
    assert isinstance(gc, Fallback)
    assert isinstance(gc.primary, Online)
    assert isinstance(gc.primary.search, Cached)
    assert isinstance(gc.primary.search.search, Throttle)
    assert gc.secondary.name == "offline"
    # Geometry: a country answer gets the offline polygon, a city a point.
    moscow = gc.geocode("Moscow")
    assert gc.geometry(moscow).geom_type == "Point"
    explanation = str(gc.explain("Moscow"))
    assert "rank 1 of nominatim" in explanation


def test_fake_server_records_and_stops():
    server = FakeNominatim(script=["429"]).start()
    url = server.url
    gc = make_geocoder("nominatim", url=url, min_delay=0, retries=0, cache=False, strict=True)
    with pytest.raises(GeocoderServiceError, match="429"):
        gc.geocode("Moscow")
    server.stop()
    with pytest.raises(GeocoderServiceError):
        gc.geocode("Moscow")  # nothing listens any more
    assert len(server.searches) == 1
