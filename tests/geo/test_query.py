"""A query's options travel as one Query: checked once, hashable, one cache key."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from geo.errors import InputError
from geo.gazetteer.core import Gazetteer, default_gazetteer
from geo.geocoders import Cached, GeocodeCache
from geo.geocoders.base import distinct_queries
from geo.geocoders.chain import Online, Overrides
from geo.model import Place, Query

KURSK = Place("Kursk", "Kursk", "city", "RU", 51.73, 36.19, "x:1", "test", 1.0)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


# --------------------------------------------------------------------------- checked once


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"text": 5}, None, "text must be a str, got 5"),
        ({"country_hint": 7}, None, "country_hint must be an ISO 3166-1 code"),
        ({"kind": "town"}, None, "kind must be one of country, region, city, place, got 'town'"),
        ({"k": 0}, None, "k must be at least 1, got 0"),
        ({"k": 2.5}, None, "k must be a whole number, got 2.5"),
        ({"k": True}, None, "k must be a whole number, got True"),
        ({"bias": (1, 2, 3)}, "bias", "bias: expected four numbers W,S,E,N"),
        ({"bias": (10, 50, 20, 40)}, "bias", "bias: expected longitudes in [-180, 180]"),
        ({"bias": (math.nan, 0, 1, 1)}, "bias", "bias: expected longitudes"),
        ({"bias": "1,2,3,4"}, "bias", "bias: expected four numbers"),
        ({"context": [""]}, "context", "context: expected a Place, a place id or a name, got ''"),
        ({"context": [None]}, "context", "context: expected a Place, a place id or a name"),
        ({"context": "Kursk"}, "context", "context: expected a list of places or names"),
        ({"context": KURSK}, "context", "context: expected a list of places or names"),
        ({"context": 5}, "context", "context: expected a list of places or names, got 5"),
    ],
)  # fmt: skip
def test_a_bad_option_is_an_input_error_that_names_it(options, field, message):
    with pytest.raises(InputError) as err:
        Query(**{"text": "Kursk", **options})
    assert isinstance(err.value, ValueError)  # `except ValueError` keeps working
    assert str(err.value).startswith(message)
    assert err.value.field == field
    assert "--" not in str(err.value)  # the Python API's names, not the CLI's flags


def test_options_are_normalised_when_checked():
    q = Query("Moscow", bias=["-118", 46, -116, "48"], context=iter(["Pullman", KURSK]))
    assert q.bias == (-118.0, 46.0, -116.0, 48.0) and all(type(v) is float for v in q.bias)
    assert q.context == ("Pullman", KURSK)
    np = pytest.importorskip("numpy")
    assert Query("x", k=np.int64(3)).k == 3 and type(Query("x", k=np.int64(3)).k) is int


def test_of_builds_or_replaces():
    q = Query.of("Georgia", country_hint="US")
    assert q == Query("Georgia", country_hint="US")
    assert Query.of(q) is q
    assert Query.of(q, k=2) == Query("Georgia", country_hint="US", k=2)
    with pytest.raises(InputError, match="kind must be one of"):
        Query.of(q, kind="town")  # replaced options are checked too


def test_with_text_is_replace_checking_only_the_text():
    shared = Query("", country_hint="US", bias=[-118, 46, -116, 48], context=["Pullman"], k=3)
    q = shared.with_text("Moscow")
    assert q == replace(shared, text="Moscow") and hash(q) == hash(replace(shared, text="Moscow"))
    assert repr(q) == repr(replace(shared, text="Moscow"))
    assert shared.text == "" and q.bias == shared.bias and q.context == ("Pullman",)
    for bad in (5, None, b"Moscow"):
        with pytest.raises(InputError) as err:
            shared.with_text(bad)
        with pytest.raises(InputError) as expected:
            replace(shared, text=bad)
        assert str(err.value) == str(expected.value) and err.value.field == expected.value.field


# --------------------------------------------------------------------------- one cache key


def test_equal_queries_are_one_key():
    a = Query("Moscow", country_hint="US", bias=(-118, 46, -116, 48), context=["Pullman"], k=3)
    b = Query("Moscow", country_hint="US", bias=[-118.0, 46.0, -116.0, 48.0],
              context=("Pullman",), k=3)  # fmt: skip
    assert a == b and hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert len({a, b, Query("Moscow"), Query("Moscow", k=3)}) == 3
    assert hash(Query("Moscow", context=[KURSK])) == hash(Query("Moscow", context=(KURSK,)))


def counting():
    calls = []

    def search(query, **options):
        calls.append(query)
        return [KURSK]

    search.namespace = "test|local"
    search.calls = calls
    return search


def test_the_answer_cache_keys_on_the_query(tmp_path):
    cached = Cached(counting(), GeocodeCache(tmp_path / "c.sqlite3"))
    q = Query("Kursk", country_hint="RU", k=5)
    assert cached.key(q) == cached.key(Query("Kursk", country_hint="RU"))
    # A text and options are the query they make; ``limit`` is the providers' word for k.
    assert cached.key("Kursk", {"country_hint": "RU", "limit": 5}) == cached.key(q)
    assert cached.key(" Kursk ", {"country_hint": "RU"}) == cached.key(q)  # text stripped
    # What a provider is sent counts; the context, which no provider takes, does not.
    assert cached.key(Query("Kursk", country_hint="RU", context=["Moscow"])) == cached.key(q)
    for other in (Query("Kursk"), Query("Kursk", country_hint="RU", k=6),
                  Query("Kursk", country_hint="RU", kind="city"), Query("Koursk", country_hint="RU"),
                  Query("Kursk", country_hint="RU", bias=(30, 50, 40, 60))):  # fmt: skip
        assert cached.key(other) != cached.key(q), other

    assert cached(q) == [KURSK] and cached(Query("Kursk", country_hint="RU")) == [KURSK]
    assert cached("Kursk", country_hint="RU", limit=5) == [KURSK]
    assert (cached.hits, cached.misses, len(cached.search.calls)) == (2, 1, 1)


def test_the_key_of_an_online_query_is_the_one_of_earlier_versions(tmp_path):
    """Caches written before queries were one value still answer."""
    import hashlib
    import json

    cached = Cached(counting(), GeocodeCache(tmp_path / "c.sqlite3"))
    sent = {"country_hint": "RU", "kind": None, "bias": [30.0, 50.0, 40.0, 60.0], "limit": 5}
    text = json.dumps(["test|local", "Kursk", sent], sort_keys=True, default=list)
    old = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert cached.key(Query("Kursk", country_hint="RU", bias=(30, 50, 40, 60))) == old


# --------------------------------------------------------------------------- down the chain


def test_online_sends_the_query_without_context_and_with_its_limit():
    seen = []

    def search(query):
        seen.append(query)
        return [KURSK] * query.k

    online = Online(search, limit=5)
    q = Query("Kursk", country_hint="RU", context=["Moscow"], k=2)
    assert online.candidates(q) == [KURSK, KURSK]
    assert seen == [Query("Kursk", country_hint="RU", k=5)]
    seen.clear()
    assert online.candidates_many([q, q, "Kursk"], country_hint="RU", k=2) == [[KURSK] * 2] * 3
    assert len(seen) == 2  # one search per distinct query (the context tells q from "Kursk")
    assert online.geocode("Kursk") == KURSK


def test_the_gazetteer_answers_a_query_as_its_options(gaz):
    q = Query("Georgia", country_hint="US", k=3)
    assert gaz.candidates(q) == gaz.candidates("Georgia", country_hint="US", k=3)
    assert gaz.geocode(q).id == "ne:US-GA"
    assert gaz.candidates(q, country_hint=None)[0].id == "iso:GE"  # an option replaced
    assert str(gaz.explain(q)) == str(gaz.explain("Georgia", country_hint="US", k=3))


def test_a_batch_of_queries_with_different_options(gaz):
    items = [
        Query("Georgia", country_hint="US"),
        "Georgia",
        Query("Moscow", bias=(-118, 46, -116, 48)),
        "Moscow",
        Query("Georgia", country_hint="US"),
        Query("Paris", context=["Dallas"], k=2),
    ]
    expected = [gaz.candidates(q) for q in items]
    assert gaz.candidates_many(items) == expected
    assert [p.id for p in gaz.geocode_many(items)] == [
        "ne:US-GA", "iso:GE", "geonames:5601538", "geonames:524901", "ne:US-GA",
        "geonames:4717560",
    ]  # fmt: skip


def test_a_batch_checks_its_options_even_when_empty(gaz):
    with pytest.raises(InputError, match="kind must be one of"):
        gaz.candidates_many([], kind="town")
    with pytest.raises(LookupError, match="country hint 'Xyzzyland'"):
        gaz.candidates_many([], country_hint="Xyzzyland")


def test_a_batch_builds_each_distinct_query_once(monkeypatch):
    built = []
    check = Query.__post_init__
    monkeypatch.setattr(Query, "__post_init__", lambda q: (built.append(q.text), check(q)))
    q = Query("Kursk", country_hint="RU")
    unique, where = distinct_queries(["Kursk", q, "Paris", "Kursk", q, "Paris"], {"k": 2})
    assert built == ["Kursk", "", "Kursk"]  # q; the shared options; q with k=2
    assert unique == [Query("Kursk", country_hint=None, k=2), Query("Kursk", country_hint="RU", k=2),
                      Query("Paris", k=2)]  # fmt: skip
    assert where == [0, 1, 2, 0, 1, 2]
    # A text and a query that build one query are one.
    assert distinct_queries(["Kursk", Query("Kursk", k=2)], {"k": 2})[1] == [0, 0]
    # The first bad item's error, as Query.of gives it.
    with pytest.raises(InputError, match="text must be a str, got 5"):
        distinct_queries(["Kursk", 5], {})
    with pytest.raises(InputError, match="kind must be one of"):
        distinct_queries(["Kursk"], {"kind": "town"})
    assert distinct_queries([], {"kind": "town"}) == ([], [])


def test_overrides_check_the_options_even_when_no_query_is_left(gaz):
    over = Overrides([], gaz)
    assert over.candidates_many(["Kursk", "Kursk"], k=1) == [gaz.candidates("Kursk", k=1)] * 2
    with pytest.raises(LookupError, match="country hint 'Xyzzyland'"):
        over.candidates_many([], country_hint="Xyzzyland")
    with pytest.raises(LookupError, match="country hint 'Xyzzyland'"):
        over.candidates_many(["Kursk"], country_hint="Xyzzyland")
