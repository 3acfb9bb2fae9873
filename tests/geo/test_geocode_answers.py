"""Hostile providers: bad answers, HTTP errors and timeouts are reported truthfully,
retried, then answered offline (or an error with strict), never a traceback.

Every request goes to the local imitation of Nominatim (``fake_nominatim``) or
to a port where nothing listens.
"""

from __future__ import annotations

import json
import math
import warnings

import pytest
from fake_nominatim import PLACES, closed_port_url, running
from geopy.location import Location
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.errors import FallbackWarning, GeocoderServiceError
from geo.geocoders import make_geocoder
from geo.geocoders._answers import location_places, nominatim_places
from maps.cli import main

KURSK = "geonames:538560"  # the offline answer for "Kursk"


# Each test gets its own geocoding cache (conftest.py).
pytestmark = pytest.mark.usefixtures("cache_dir")


def fast(url, **options):
    defaults = {"min_delay": 0, "backoff": 0.01, "timeout": 0.5, "retries": 1, "cache": False}
    return make_geocoder("nominatim", url=url, **{**defaults, **options})


def answer(**fields) -> bytes:
    """One Nominatim result for Kursk, with ``fields`` changed (None: removed)."""
    place = {
        "osm_type": "node",
        "osm_id": 1,
        "lat": "51.73",
        "lon": "36.19",
        "name": "Kursk",
        "addresstype": "city",
        "display_name": "Kursk, Russia",
        "address": {"country_code": "ru"},
    }
    place.update(fields)
    return json.dumps([{k: v for k, v in place.items() if v is not None}]).encode()


# --------------------------------------------------------------------------- bad answers

BAD_ANSWERS = [
    (answer(lat="abc"), "invalid latitude 'abc' in result 1"),
    (answer(lat="951"), "invalid latitude '951' in result 1"),
    (answer(lat=951), "invalid latitude 951 in result 1"),
    (answer(lat="-90.5"), "invalid latitude '-90.5'"),
    (answer(lat="NaN"), "invalid latitude 'NaN'"),
    (answer(lon="Infinity"), "invalid longitude 'Infinity'"),
    (answer(lon="500"), "invalid longitude '500'"),  # geopy would wrap it to 140
    (answer(lon=-180.01), "invalid longitude -180.01"),
    (answer(lat=True), "invalid latitude True"),
    (answer(lat=[51.7]), "invalid latitude [51.7]"),
    (answer(lat=None), "result 1 without a latitude"),  # geopy would put it at 0, 0
    (answer(lon=None), "result 1 without a longitude"),
    (b'{"lat": "51.7", "lon": "36.2"}', "expected a JSON list of places"),
    (b'"Kursk"', "answered 'Kursk', expected a JSON list of places"),
    (b"42", "answered 42, expected a JSON list of places"),
    (b"true", "expected a JSON list of places"),
    (b"[1, 2]", "answered 1 as result 1, expected a JSON object"),
    (b'[["51.7", "36.2"]]', "as result 1, expected a JSON object"),
    (b'[{"lat": "[bold]", "lon": "[/x]"}]', "invalid latitude '[bold]'"),
]


@pytest.mark.parametrize(("body", "message"), BAD_ANSWERS)
def test_a_bad_answer_is_retried_then_answered_offline(fake_nominatim, body, message):
    fake_nominatim.script = [body, body]
    with pytest.warns(FallbackWarning) as caught:
        place = fast(fake_nominatim.url).geocode("Kursk")
    assert place.id == KURSK
    assert len(fake_nominatim.searches) == 2  # retried once (retries=1), as a transient failure
    text = str(caught[0].message)
    assert message in text
    assert text.startswith(f"nominatim ({fake_nominatim.url.removeprefix('http://')}): 'Kursk': ")
    assert "gave up after 2 attempts" in text and "offline gazetteer" in text


def test_a_bad_answer_then_a_good_one(fake_nominatim):
    fake_nominatim.script = [answer(lat="abc")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the retry answered: no fallback
        place = fast(fake_nominatim.url).geocode("Moscow")
    assert place.id == "osm:relation/2555133"


def test_a_bad_answer_with_strict_is_an_error(fake_nominatim):
    fake_nominatim.script = [answer(lat="abc")]
    with pytest.raises(GeocoderServiceError) as err:
        fast(fake_nominatim.url, strict=True, retries=0).geocode("Kursk")
    assert err.value.transient and err.value.query == "Kursk"
    assert "'Kursk': answered an invalid latitude 'abc' in result 1" in str(err.value)


def test_a_bad_answer_is_not_cached(fake_nominatim, cache_dir):
    fake_nominatim.script = [answer(lat="abc")]
    gc = fast(fake_nominatim.url, cache=True, retries=0)
    with pytest.warns(FallbackWarning):
        gc.geocode("Moscow")
    assert gc.geocode("Moscow").id == "osm:relation/2555133"  # asked again, not the bad answer
    assert len(fake_nominatim.searches) == 2


def test_html_instead_of_json(fake_nominatim):
    fake_nominatim.script = ["html", "html"]
    with pytest.warns(FallbackWarning, match="malformed answer, expected JSON"):
        assert fast(fake_nominatim.url).geocode("Kursk").id == KURSK
    assert len(fake_nominatim.searches) == 2


def test_nominatims_error_object_is_a_refusal_not_retried(fake_nominatim):
    fake_nominatim.script = [b'{"error": "Invalid [bold]parameters"}']
    with pytest.warns(FallbackWarning, match=r"refused: 'Invalid \[bold\]parameters'"):
        assert fast(fake_nominatim.url, retries=3).geocode("Kursk").id == KURSK
    assert len(fake_nominatim.searches) == 1


def test_a_lone_surrogate_in_an_answer_is_replaced(fake_nominatim, capsys):
    """JSON may escape half a surrogate pair; UTF-8 (the cache, the output) cannot hold it."""
    fake_nominatim.script = [answer(name="Kur\\ud800sk").replace(b"\\\\", b"\\")]
    args = ["geocode", "Kursk", "--provider", "nominatim", "--provider-url", fake_nominatim.url,
            "--min-delay", "0"]  # fmt: skip
    assert main(args) == 0  # cached, then printed
    record = json.loads(capsys.readouterr().out)[0]
    assert record["name"] == "Kur\ufffdsk" and record["id"] == "osm:node/1"
    assert main(args) == 0  # from the cache
    assert json.loads(capsys.readouterr().out)[0]["name"] == "Kur\ufffdsk"
    assert len(fake_nominatim.searches) == 1


def test_odd_but_usable_fields_are_read_safely(fake_nominatim):
    fake_nominatim.script = [
        answer(osm_id="42", importance="high", address=["ru"], name={"x": 1}, addresstype=[1])
    ]
    place = fast(fake_nominatim.url).geocode("Kursk")
    assert place.id == "osm:node/42"
    assert (place.name, place.kind, place.country, place.score) == ("Kursk", "place", None, 0.0)
    assert (place.lat, place.lon) == (51.73, 36.19)


# --------------------------------------------------------------------------- HTTP, network


@pytest.mark.parametrize(
    ("script", "message", "requests"),
    [
        (["503", "503"], "HTTP 503 Service Unavailable (gave up after 2 attempts)", 2),
        (["502", "502"], "HTTP 502 Bad Gateway", 2),
        (["500", "500"], "HTTP 500 Internal Server Error", 2),
        (["504", "504"], "HTTP 504 Gateway Timeout", 2),
        (["408", "408"], "HTTP 408 Request Timeout", 2),
        (["429", "429"], "HTTP 429 Too Many Requests (rate limited)", 2),
        (["403"], "HTTP 403 Forbidden; answered", 1),  # a refusal: not retried
        (["404"], "HTTP 404 Not Found", 1),
        (["400"], "HTTP 400 Bad Request", 1),
        (["418"], "HTTP 418", 1),
    ],
)
def test_http_errors_say_what_happened(script, message, requests):
    with running(script=script, retry_after="0") as server:
        with pytest.warns(FallbackWarning) as caught:
            assert fast(server.url).geocode("Kursk").id == KURSK
        text = str(caught[0].message)
        assert message in text
        assert "timed out" not in text
        assert len(server.searches) == requests


def test_503_honours_retry_after(fake_nominatim):
    fake_nominatim.script = ["503"]
    fake_nominatim.retry_after = "1"
    fast(fake_nominatim.url).geocode("Moscow")
    first, second = fake_nominatim.searches
    assert second.at - first.at >= 0.9  # Retry-After: 1, not the 0.01 s backoff


def test_a_real_timeout_is_a_timeout(fake_nominatim):
    fake_nominatim.script = ["slow", "slow"]
    fake_nominatim.slow_seconds = 1.0
    with pytest.warns(FallbackWarning, match=r"'Kursk': timed out after 0\.5 s \(gave up"):
        assert fast(fake_nominatim.url).geocode("Kursk").id == KURSK


def test_a_body_that_never_comes_is_a_timeout(fake_nominatim):
    fake_nominatim.script = ["stall", "stall"]
    fake_nominatim.slow_seconds = 1.0
    with pytest.warns(FallbackWarning, match=r"'Kursk': timed out after 0\.5 s"):
        assert fast(fake_nominatim.url).geocode("Kursk").id == KURSK


def test_connection_refused_says_so():
    gc = make_geocoder("nominatim", url=closed_port_url(), min_delay=0, retries=0, cache=False)
    with pytest.warns(FallbackWarning, match=r"'Kursk': connection refused \(gave up after 1"):
        assert gc.geocode("Kursk").id == KURSK


# --------------------------------------------------------------------------- the CLI


def test_cli_bad_answer_falls_back_then_strict_exits_2(fake_nominatim, capsys):
    body = answer(lat="abc")
    fake_nominatim.script = [body] * 3
    args = ["geocode", "Kursk", "--provider", "nominatim", "--provider-url", fake_nominatim.url,
            "--min-delay", "0", "--backoff", "0", "--retries", "2"]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["id"] == KURSK
    assert "invalid latitude 'abc'" in err and "gave up after 3 attempts" in err
    assert len(fake_nominatim.searches) == 3
    fake_nominatim.script = [body] * 3
    assert main([*args, "--strict"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("eventmap: error: nominatim (127.0.0.1:")
    assert "invalid latitude 'abc'" in err and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- properties

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["51.7", "-180", "nan", "1e999", "abc", " 12 ", "node", "a\ud800", "\udfff"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
_fields = st.sampled_from(
    ["lat", "lon", "name", "display_name", "osm_type", "osm_id", "type", "addresstype",
     "address", "importance", "error"]
)  # fmt: skip
_results = st.lists(st.dictionaries(_fields, _json, max_size=8) | _json, max_size=4)


def _check(places):
    for p in places:
        assert math.isfinite(p.lat) and -90 <= p.lat <= 90
        assert math.isfinite(p.lon) and -180 <= p.lon <= 180
        assert isinstance(p.name, str) and p.name
        assert p.country is None or (len(p.country) == 2 and p.country.isupper())
        assert isinstance(p.score, float) and math.isfinite(p.score)
        json.dumps(p.__dict__, allow_nan=False, ensure_ascii=False).encode()  # printed, cached


@settings(max_examples=400, deadline=None)
@given(_json | _results | st.just(json.loads(json.dumps(PLACES["moscow"]))))
def test_any_json_is_places_or_a_service_error(answer):
    try:
        places = nominatim_places(answer, query="Kursk", provider="fake", domain="x")
    except GeocoderServiceError as exc:
        assert exc.query == "Kursk" and exc.provider == "fake"
        assert "\n" not in str(exc) and len(str(exc)) < 400
    else:
        _check(places)


def test_the_property_test_can_tell_a_good_answer():
    places = nominatim_places(PLACES["moscow"], query="Moscow", provider="fake", domain="x")
    assert [p.id for p in places] == ["osm:relation/2555133", "osm:node/151584497"]


class _Loc:
    def __init__(self, lat, lon, raw=None, address="x"):
        self.latitude, self.longitude, self.raw, self.address = lat, lon, raw, address


_coordinate = st.floats() | st.integers() | st.none() | st.text(max_size=5) | st.booleans()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(_Loc, _coordinate, _coordinate, _json, _json), max_size=3) | _json)
def test_any_geopy_answer_is_places_or_a_service_error(found):
    try:
        places = location_places(found, query="Kursk", provider="p", service="s", source="s")
    except GeocoderServiceError as exc:
        assert exc.transient and "\n" not in str(exc)
    else:
        _check(places)


def test_geopy_locations_are_checked_too():
    ok = Location("Kursk, Russia", (51.73, 36.19), {"name": "Kursk"})
    (place,) = location_places([ok], query="Kursk", provider="p", service="photon", source="s")
    assert (place.name, place.lat, place.id) == ("Kursk", 51.73, "photon:51.73,36.19")
    with pytest.raises(GeocoderServiceError, match="invalid longitude nan in result 2"):
        location_places([ok, _Loc(1.0, math.nan)], query="K", provider="p", service="s", source="s")
    with pytest.raises(GeocoderServiceError, match="result 1 without a latitude"):
        location_places(["not a location"], query="K", provider="p", service="s", source="s")


def test_a_query_no_provider_can_take_is_answered_offline(fake_nominatim):
    """A lone surrogate (undecodable bytes decoded by Python) cannot be sent or cached."""
    gc = fast(fake_nominatim.url, cache=True)
    with pytest.warns(FallbackWarning, match=r"'K\\udcffursk': cannot be sent, the query is not"):
        assert gc.candidates("K\udcffursk", k=1) == []  # offline: no such name either
    assert fake_nominatim.searches == []
