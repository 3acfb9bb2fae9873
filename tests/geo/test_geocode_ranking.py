"""Ranking: explanations that add up, batches that agree with single queries, the index file."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo.errors import GeocodingError, InputError
from geo.gazetteer.core import Gazetteer, ambiguous, default_gazetteer
from geo.gazetteer.index_file import BLOCK_KEYS, IndexFile, write_index
from geo.gazetteer.normalize import normalize, soft_normalize, transliteration_variants
from geo.model import Place


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="module")
def sample(gaz) -> list[str]:
    """A few hundred realistic queries: names from the index in many forms, and misses."""
    rng = random.Random(7)
    keys = [k for k in gaz.name_keys() if k.isascii() and len(k) > 3]
    names = rng.sample(keys, 200)
    regions = rng.sample(gaz._t.region_name, 30)
    return [
        *names,
        *(n.title() for n in names[:50]),
        *(f"{r} region" for r in regions[:10]),
        *(f"région de {r}" for r in regions[10:20]),
        *(f"{n}, {c}" for n, c in zip(names[:20], ["RU", "US", "France", "Idaho"] * 5, strict=True)),
        "Tcheliabinsk", "Pyeongyang", "Oussouriisk", "DPRK", "la Russie", "ne:RU-KRS", "Xyzzy",
        "", "   ", "Москва", "평양", "Kursk, Kursk Oblast",
    ]  # fmt: skip


def test_batch_agrees_with_single_queries(gaz, sample):
    queries = sample + sample[:40]  # repeats
    batch = gaz.candidates_many(queries, k=3)
    single = [gaz.candidates(q, k=3) for q in queries]
    assert batch == single
    assert sum(1 for b in batch if b) > len(queries) * 0.8  # the sample mostly resolves
    assert gaz.geocode_many(queries) == [s[0] if s else None for s in single]


def test_batch_with_context_agrees_too(gaz, sample):
    options = {"country_hint": "US", "context": ["Chicago"], "bias": (-100, 30, -80, 50)}
    assert gaz.candidates_many(sample, k=2, **options) == [
        gaz.candidates(q, k=2, **options) for q in sample
    ]


def test_explained_parts_add_up_to_the_score(gaz, sample):
    checked = 0
    # A bias box, not a country hint: the hint is a filter, which would leave
    # few of the sample's names any candidate to explain.
    options = {"context": ["Kursk"], "bias": (30, 50, 40, 60)}
    for query in sample[::3]:
        explanation = gaz.explain(query, k=3, **options)
        assert [c.place for c in explanation.candidates] == gaz.candidates(query, k=3, **options)
        for c in explanation.candidates:
            assert sum(c.parts.values()) == pytest.approx(c.place.score, abs=0.01), query
            checked += 1
    assert checked > 50


def test_explanation_of_georgia(gaz):
    e = gaz.explain("Georgia")
    assert e.winner.id == "iso:GE" and e.ambiguous
    assert [c.place.id for c in e.candidates] == ["iso:GE", "ne:US-GA"]
    assert e.candidates[0].parts == {"kind": 8.0, "name": 1.5}
    text = str(e)
    assert "beat Georgia (region US, ne:US-GA), score 6.50 (3.00 behind)" in text
    hinted = gaz.explain("Georgia", country_hint="US")
    assert hinted.winner.id == "ne:US-GA"
    assert hinted.candidates[0].parts["country hint"] == 3.5
    assert "given country hint US" in str(hinted)


def test_explanations_name_the_step(gaz):
    assert "region pattern" in str(gaz.explain("région de Koursk"))
    assert "transliteration variant" in str(gaz.explain("Iekaterinbourg"))
    assert "qualifier 'Idaho' read as Idaho, US" in str(gaz.explain("Moscow, Idaho"))
    rason = gaz.explain("Rason")  # the region's canonical name, and the city's other name
    assert rason.winner.id == "geonames:2042645"
    region = next(c for c in rason.candidates if c.place.id == "ne:KP-13")
    assert region.parts["namesake city"] < 0  # the region yields to its city
    assert "no place of that name" in str(gaz.explain("Xyzzyville"))


def test_context_accepts_places_ids_names_and_countries(gaz):
    idaho = gaz.geocode("Idaho")
    online_like = Place("Boise", "Boise", "city", "US", 43.6, -116.2, "osm:node/1", "x", 1.0)
    pullman = Place("Pullman", "Pullman", "city", "US", 46.73, -117.18, "osm:node/2", "x", 1.0)
    assert gaz.geocode("Moscow", context=[idaho]).country == "US"
    assert gaz.geocode("Moscow", context=["ne:US-ID"]).country == "US"
    assert gaz.geocode("Moscow", context=[pullman]).country == "US"
    assert gaz.geocode("Moscow", context=[online_like]).country == "RU"  # 350 km: too far
    assert gaz.geocode("Moscow", context=["US"]).country == "RU"  # a country alone: +1 only
    with pytest.raises(GeocodingError, match="context: 'Xyzzyville' names no place"):
        gaz.geocode("Moscow", context=["Xyzzyville"])


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"bias": (1, 2, 3)}, ValueError, "bias: expected"),
        ({"bias": (10, 50, 20, 40)}, ValueError, "min_lat <= max_lat"),
        ({"kind": "town"}, ValueError, "kind must be one of"),
        ({"k": 0}, ValueError, "k must be at least 1"),
        ({"country_hint": "Xyzzyland"}, GeocodingError, "country hint 'Xyzzyland'"),
    ],
)
def test_bad_options_are_errors(gaz, options, error, match):
    with pytest.raises(error, match=match):
        gaz.candidates("Kursk", **options)


def test_bias_box_across_the_antimeridian(gaz):
    # A box from 170°E to 170°W holds New Zealand's Woodend, not Australia's.
    assert gaz.geocode("Woodend").country == "AU"
    assert gaz.geocode("Woodend", bias=(170, -50, -170, -30)).country == "NZ"
    assert gaz.geocode("Woodend", bias=(140, -50, 150, -30)).country == "AU"


def test_ambiguity_rule():
    def p(score, pid="geonames:1"):
        return Place("q", "n", "city", "RU", 0, 0, pid, "s", score)

    assert ambiguous([p(9.5), p(6.5)])
    assert not ambiguous([p(9.5), p(5.9)])
    assert not ambiguous([p(9.5)])
    assert not ambiguous([p(0.8, "osm:node/1"), p(0.7, "osm:node/2")])  # provider scores


def test_progress_callback_reaches_the_total(gaz, sample):
    seen = []
    gaz.geocode_many(sample * 2, progress=lambda done, total: seen.append((done, total)))
    unique = len(set(sample) - {"ne:RU-KRS"})  # ids answer themselves, unranked
    assert seen and seen[-1] == (unique, unique)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_name_keys_cover_all_scripts(gaz):
    keys = gaz.name_keys()
    assert all(a < b for a, b in zip(keys[:5000], keys[1:5001], strict=False))
    found = set(np.searchsorted(keys, ["moscou", normalize("Москва"), normalize("평양"), "DPRK"]))
    assert len(found) == 4
    for key in ("moscou", normalize("Москва"), normalize("평양"), "DPRK"):
        assert keys[np.searchsorted(keys, key)] == key


@pytest.mark.parametrize(
    ("key", "variant"),
    [
        ("tcheliabinsk", "cheliabinsk"),
        ("zaporojie", "zaporozhye"),
        ("iekaterinbourg", "yekaterinburg"),
        ("blagovechtchensk", "blagoveshchensk"),
        ("pyeongyang", "pyongyang"),
        ("gaeseong", "kaesong"),
        ("rostov na donu", "rostov on donu"),
        ("nizhniy novgorod", "nizhny novgorod"),
    ],
)
def test_transliteration_variants(key, variant):
    assert variant in transliteration_variants(key)
    assert key not in transliteration_variants(key)


def test_no_variants_for_other_scripts_or_nothing():
    assert transliteration_variants(normalize("Москва")) == []
    assert transliteration_variants("") == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
@example("Ǣ")  # NFKD gives æ and a macron: æ must still become ae
@example("Strǣtburg")
def test_normalize_is_idempotent_and_lower_case(text):
    key = normalize(text)
    assert normalize(key) == key
    assert key == key.strip() and "  " not in key and "'" not in key
    assert soft_normalize(soft_normalize(text)) == soft_normalize(text)


def test_index_file_round_trip(tmp_path):
    rng = random.Random(3)
    keys = sorted({"".join(rng.choices("abcdéжㅎ ", k=rng.randint(1, 9))) for _ in range(5000)})
    keys = [k for k in keys if k.strip()]
    entries = [(k, i % 3, i, i % 4) for i, k in enumerate(keys) for _ in range(1 + i % 2)]
    entries.sort(key=lambda e: e[0])
    path = tmp_path / "names.idx"
    counts = write_index(
        path, [e[0] for e in entries], [e[1] for e in entries], [e[3] - 1 for e in entries],
        [e[2] for e in entries],
    )  # fmt: skip
    assert counts == {
        "keys": len(keys),
        "entries": len(entries),
        "blocks": -(-len(keys) // BLOCK_KEYS),
    }
    index = IndexFile(path)
    assert index.keys() == keys
    for i, k in enumerate(keys):
        p = index.find(k)
        assert len(p) == 1 + i % 2
        assert set(p.row.tolist()) == {i} and set(p.kind.tolist()) == {i % 3}
        assert set(p.quality.tolist()) == {i % 4 - 1}
    assert index.find("zzz") is None and index.find("") is None and index.find("\x00") is None
    assert set(index.find_many(["zzz", keys[0], keys[-1]])) == {keys[0], keys[-1]}


def test_a_foreign_file_is_not_an_index(tmp_path):
    (tmp_path / "names.idx").write_bytes(b"PAR1" + bytes(64))
    with pytest.raises(ValueError, match="not an eventmap name index"):
        IndexFile(tmp_path / "names.idx")
    with pytest.raises(InputError, match="names.idx"):
        Gazetteer.load(tmp_path)
