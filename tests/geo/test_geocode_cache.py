"""The answer cache with hostile content: rows it did not write are asked again, never a traceback."""

from __future__ import annotations

import json
import math

import pytest

from geo.errors import InputError
from geo.geocoders import Cached, GeocodeCache
from geo.model import Place

KURSK = Place("Kursk", "Kursk", "city", "RU", 51.73, 36.19, "x:1", "test", 1.0)


def counting(answer):
    calls = []

    def search(query, **options):
        calls.append(query)
        return answer

    search.namespace = "test|local"
    search.calls = calls
    return search


def poison(store: GeocodeCache, cached: Cached, text: str) -> None:
    key = cached.key("Kursk", {"limit": 5})
    store._db.execute(
        "INSERT OR REPLACE INTO answers VALUES (?, 'test', 'Kursk', ?, 0)", (key, text)
    )


@pytest.mark.parametrize(
    "stored",
    [
        "not json",
        "[" * 100_000,  # nested too deep for json
        '{"a": 1}',
        "[1, 2]",
        '[{"name": "Kursk"}]',  # fields missing
        json.dumps([{**KURSK.__dict__, "extra": 1}]),  # a field eventmap has not
        json.dumps([{**KURSK.__dict__, "lat": 951}]),
        json.dumps([{**KURSK.__dict__, "lon": "abc"}]),
        json.dumps([{**KURSK.__dict__, "lat": math.nan}]),
    ],
)
def test_a_row_eventmap_did_not_write_is_asked_again(tmp_path, stored):
    store = GeocodeCache(tmp_path / "c.sqlite3")
    search = counting([KURSK])
    cached = Cached(search, store)
    poison(store, cached, stored)
    assert cached("Kursk", limit=5) == [KURSK]
    assert search.calls == ["Kursk"] and cached.misses == 1
    assert cached("Kursk", limit=5) == [KURSK]  # replaced: now a hit
    assert search.calls == ["Kursk"] and cached.hits == 1


def test_a_good_row_is_a_hit(tmp_path):
    store = GeocodeCache(tmp_path / "c.sqlite3")
    search = counting([])
    cached = Cached(search, store)
    poison(store, cached, json.dumps([KURSK.__dict__]))
    assert cached("Kursk", limit=5) == [KURSK] and search.calls == []


def test_queries_are_parameters_not_sql(tmp_path):
    store = GeocodeCache(tmp_path / "c.sqlite3")
    query = "Kursk'); DROP TABLE answers; --"
    cached = Cached(counting([]), store)
    assert cached(query, limit=5) == [] and cached(query, limit=5) == []
    assert len(store) == 1


@pytest.mark.parametrize("timeout", [-1, math.nan, math.inf, 10**400])
def test_cache_timeout_is_checked(tmp_path, timeout):
    with pytest.raises(InputError, match="timeout: expected a number of seconds"):
        GeocodeCache(tmp_path / "c.sqlite3", timeout=timeout)
