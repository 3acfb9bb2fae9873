"""Places you can trust: a country named is a constraint, fallbacks are visible,
coordinates are checked against the row's country (issue 10, section 3)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.gazetteer.countries import fips_country, iso3_country, numeric_country


@pytest.fixture(scope="module")
def gaz():
    from geo import default_gazetteer

    return default_gazetteer()


# --------------------------------------------------------------------------- the gazetteer


def test_koria_burkina_faso_is_not_korla_china(gaz):
    # GeoNames (cities500) has no Koria in Burkina Faso: unresolved, never China.
    assert gaz.geocode("Koria") is not None and gaz.geocode("Koria").country == "CN"
    assert gaz.geocode("Koria, Burkina Faso") is None
    assert gaz.candidates("Koria, Burkina Faso", k=5) == []
    assert gaz.geocode("Koria", country_hint="BF") is None
    assert gaz.geocode("Koria", country_hint="Burkina Faso") is None


@pytest.mark.parametrize(
    ("query", "options", "country"),
    [
        ("Djibo, Burkina Faso", {}, "BF"),
        ("Djibo", {"country_hint": "BFA"}, "BF"),  # ISO3
        ("Djibo", {"country_hint": "854"}, "BF"),  # ISO numeric, as ACLED's iso
        ("Moscow, Idaho", {}, "US"),
        ("Moscow, ID", {}, "US"),
        ("Moscow", {"country_hint": "US"}, "US"),
        ("Paris, Frnace", {}, "FR"),  # a qualifier that names nothing restricts nothing
    ],
)
def test_a_country_named_is_where_the_answer_lies(gaz, query, options, country):
    assert gaz.geocode(query, **options).country == country


def test_a_name_only_elsewhere_with_a_country_is_unresolved(gaz):
    assert gaz.geocode("Kyiv").country == "UA"
    assert gaz.geocode("Kyiv", country_hint="RU") is None
    assert gaz.geocode("Kyiv, Russia") is None
    assert gaz.geocode("Koursk, France") is None  # nor a transliteration variant elsewhere
    assert gaz.geocode("Iekaterinbourg, Russie").id == "geonames:1486209"  # one inside
    assert gaz.geocode("iso:UA", country_hint="RU") is None  # a place id too
    assert gaz.geocode("iso:UA", country_hint="UA").id == "iso:UA"


def test_an_explanation_says_the_hint_filters(gaz):
    assert str(gaz.explain("Kyiv", country_hint="RU")) == (
        "'Kyiv': no place of that name in RU, nor a transliteration variant (the country "
        "hint is a filter)"
    )
    hinted = gaz.explain("Georgia", country_hint="US")
    assert [c.place.country for c in hinted.candidates] == ["US"] * len(hinted.candidates)


def test_qualified_names_turned_round(gaz):
    assert gaz.geocode("Korea, North").id == "iso:KP"  # was South Korea
    assert gaz.geocode("Congo, Democratic Republic of the").id == "iso:CD"  # was CG
    assert gaz.geocode("Virgin Islands, U.S.").id == "iso:VI"  # the whole text still first


@pytest.mark.parametrize(
    ("text", "iso2"),
    [
        ("BF", "BF"), ("bf", "BF"), ("BFA", "BF"), ("854", "BF"), (854, "BF"), ("854.0", "BF"),
        ("Burkina Faso", "BF"), ("  Burkina   Faso ", "BF"),
        ("Russia (Soviet Union)", "RU"), ("DR Congo (Zaire)", "CD"),
        ("Yemen (North Yemen)", "YE"), ("Serbia (Yugoslavia)", "RS"),
        ("Cambodia (Kampuchea)", "KH"), ("Kingdom of eSwatini (Swaziland)", "SZ"),
        ("Democratic Republic of Congo", "CD"), ("Ivory Coast", "CI"), ("eSwatini", "SZ"),
        ("Korea, Republic of", "KR"), ("Iran, Islamic Republic of", "IR"),
        ("Bosnia-Herzegovina", "BA"), ("North Macedonia", "MK"), ("Bailiwick of Jersey", "JE"),
        ("Kosovo", "XK"), ("XKX", "XK"), ("0", "XK"),  # ACLED's Kosovo
        ("Reunion", "RE"), ("Caribbean Netherlands", "BQ"), ("643", "RU"), ("UK", "GB"),
        ("Xyzzyland", None), ("", None), (None, None), (True, None), ("999", None),
    ],
)  # fmt: skip
def test_country_code(gaz, text, iso2):
    from geo.resolve import country_code

    assert gaz.country_code(text) == iso2
    assert country_code(text) == iso2


def test_code_tables():
    assert iso3_country("BFA") == "BF" and numeric_country(854) == "BF"
    # FIPS reuses ISO codes for other countries (GDELT): its own table.
    fips = [fips_country(c) for c in ("RS", "UP", "KN", "KS", "UV", "XX")]
    assert fips == ["RU", "UA", "KP", "KR", "BF", None]
    assert numeric_country("8a4") is None and iso3_country("ZZZ") is None


# --------------------------------------------------------------------------- the resolver


def _resolve(ref, resolver=None):
    from geo.resolve import PlaceResolver

    resolver = resolver or PlaceResolver()
    return resolver.resolve(ref, file="f.csv", record="row 2", field="place"), resolver


@pytest.mark.parametrize(
    ("name", "within", "country", "expected"),
    [
        # query -> (name, id, precision, flag or None)
        ("Djibo", ("Djibo", "Soum", "Sahel"), "Burkina Faso", ("Djibo", "geonames:2361177", "point", None)),
        ("Djibo", (), "BF", ("Djibo", "geonames:2361177", "point", None)),
        ("Sudzha", ("Sudzhanskiy", "Kursk"), "Russia", ("Sudzha", "geonames:486816", "point", None)),
        ("Vovchansk", ("Vovchanska", "Chuhuiv", "Kharkiv"), "804", ("Vovchansk", "geonames:689304", "point", None)),
        # 22 Ivanivkas in Ukraine: the one in the unit, though not among the first ten
        ("Ivanivka", ("Kirovohrad Oblast",), "UA", ("Ivanivka", "geonames:707399", "point", None)),
        # no location: the unit itself, at its level, nothing to flag
        ("", ("Kharkiv",), "Ukraine", ("Kharkiv Oblast", "ne:UA-63", "admin1", None)),
        ("", ("Soum", "Sahel"), "BFA", ("Soum", "ne:BF-SOM", "admin2", None)),
    ],
)  # fmt: skip
def test_hierarchy_finds_the_place_inside_its_units(name, within, country, expected):
    from geo.model import PlaceRef

    found, resolver = _resolve(PlaceRef(name, country=country, within=within))
    assert (found.place.name, found.place.id, found.precision, found.flag) == expected
    assert found.place.query == name and resolver.unresolved == []


OFFLINE = "its areas are Natural Earth's admin-1 units"


@pytest.mark.parametrize(
    ("name", "within", "country", "expected"),
    [
        # Burkina Faso's Natural Earth admin-1 units are its provinces (ACLED's admin2).
        ("Koria", ("Oudalan", "Sahel"), "Burkina Faso",
         ("Oudalan", "ne:BF-OUD", "admin2", "placed at Oudalan (admin2): 'Koria' was not found in it")),
        ("Koria", ("Gorom-Gorom", "Oudalan", "Sahel"), "Burkina Faso",
         ("Oudalan", "ne:BF-OUD", "admin2",
          "placed at Oudalan (admin2): 'Koria' was not found in it; the offline gazetteer has "
          f"no area 'Gorom-Gorom' (admin3): {OFFLINE}")),
        ("Koria", ("Sahel",), "Burkina Faso",
         ("Burkina Faso", "iso:BF", "country",
          "placed at Burkina Faso (country): 'Koria' was not found in it; the offline gazetteer "
          f"has no area 'Sahel' (admin1) in Burkina Faso: {OFFLINE}")),
        ("Koria", (), "Burkina Faso",
         ("Burkina Faso", "iso:BF", "country", "placed at Burkina Faso (country): 'Koria' was not found in it")),
        ("Xyzzy", ("Chuhuiv", "Kharkiv"), "Ukraine",
         ("Kharkiv Oblast", "ne:UA-63", "admin1",
          "placed at Kharkiv Oblast (admin1): 'Xyzzy' was not found in it; the offline gazetteer "
          f"has no area 'Chuhuiv' (admin2): {OFFLINE}")),
        # Djibo exists, in Soum: not in Oudalan, which the row names.
        ("Djibo", ("Oudalan", "Sahel"), "Burkina Faso",
         ("Oudalan", "ne:BF-OUD", "admin2",
          "placed at Oudalan (admin2): 'Djibo' was not found in it; 1 place of that name in "
          "Burkina Faso lies outside it")),
    ],
)  # fmt: skip
def test_hierarchy_fallbacks_say_so(name, within, country, expected):
    from geo.model import PlaceRef

    found, resolver = _resolve(PlaceRef(name, country=country, within=within))
    assert (found.place.name, found.place.id, found.precision, found.flag) == expected
    assert found.place.query == name and found.place.score == 0.0  # placed, not matched
    assert found.geometry.geom_type in ("Polygon", "MultiPolygon")  # drawn as an area
    assert resolver.unresolved == []  # placed, flagged: not unresolved


def test_within_as_a_list_and_blank_units_are_read_as_given():
    from geo.model import PlaceRef

    found, resolver = _resolve(PlaceRef("Djibo", country="BF", within=["", "Soum", " Sahel "]))
    again, _ = _resolve(PlaceRef("Djibo", country="BF", within=("", "Soum", " Sahel ")), resolver)
    assert found is again and found.place.id == "geonames:2361177"
    assert resolver.report()[0]["within"] == "Soum, Sahel"


def test_the_runner_up_of_a_fallback_is_the_namesake_outside():
    from geo.model import PlaceRef

    found, _ = _resolve(PlaceRef("Djibo", country="Burkina Faso", within=("Oudalan", "Sahel")))
    assert found.runner_up.id == "geonames:2361177"


def test_a_name_only_in_another_country_is_unresolved_without_fallback():
    from geo.model import PlaceRef
    from geo.resolve import PlaceResolver

    resolver = PlaceResolver(fallback=False)
    for ref in (
        PlaceRef("Kyiv", country="Russia"),
        PlaceRef("Koria", country="Burkina Faso", within=("Sahel",)),
        PlaceRef("Djibo", country="BF", within=("Oudalan", "Sahel")),
    ):
        assert resolver.resolve(ref, file="f.csv", record="row 2", field="place") is None
    assert [str(u) for u in resolver.unresolved] == [
        "f.csv: row 2: place: 'Kyiv'", "f.csv: row 2: place: 'Koria'", "f.csv: row 2: place: 'Djibo'"
    ]  # fmt: skip
    flags = [row["flag"] for row in resolver.report()]
    assert flags == [
        "no place 'Kyiv' in Russia",
        "no place 'Koria' in Burkina Faso",
        "no place 'Djibo' in Oudalan (admin2), Burkina Faso",
    ]


def test_a_text_query_naming_a_country_is_unresolved():
    from geo.model import PlaceRef

    found, resolver = _resolve(PlaceRef("Koria, Burkina Faso"))
    assert found is None and [u.name for u in resolver.unresolved] == ["Koria, Burkina Faso"]


def test_an_unknown_country_is_unresolved_and_said():
    from geo.model import PlaceRef

    found, resolver = _resolve(PlaceRef("Kyiv", country="Xyzzyland"))
    assert found is None and len(resolver.unresolved) == 1
    assert resolver.report()[0]["flag"] == (
        "the country 'Xyzzyland' is not one the gazetteer knows, so 'Kyiv' could not be "
        "looked for in it"
    )


def test_namesakes_the_units_cannot_tell_apart_are_flagged():
    from geo.model import PlaceRef

    # No country: two Korias (China's Korla, Finland's Koria); 'Sahel' is no area.
    found, _ = _resolve(PlaceRef("Koria", within=("Sahel",)))
    assert found.place.id == "geonames:1529376" and found.runner_up.id == "geonames:651514"
    assert found.flag == (
        "one of 2 places named 'Koria', which its admin units could not tell apart: the "
        f"offline gazetteer has no area 'Sahel' (admin1): {OFFLINE}"
    )


def test_points_given_keep_their_precision():
    from geo.model import PlaceRef

    exact, _ = _resolve(PlaceRef("Djibo", lat=14.1, lon=-1.63, country="BF"))
    near, _ = _resolve(PlaceRef("Djibo", lat=14.1, lon=-1.63, approximate=True))
    assert (exact.precision, exact.flag, near.precision) == ("point", None, "near")


def test_each_distinct_query_is_asked_once_and_reported_in_order():
    from geo.model import PlaceRef
    from geo.resolve import REPORT_FIELDS, PlaceResolver

    asked = []

    class Counting:
        name = "counting"

        def __init__(self, gaz):
            self.gaz = gaz

        def candidates(self, query, **options):
            asked.append((query, options.get("country_hint"), options.get("kind")))
            return self.gaz.candidates(query, **options)

        def geocode(self, query, **options):  # pragma: no cover - candidates is used
            raise AssertionError

        def geometry(self, place):
            return self.gaz.geometry(place)

    from geo import default_gazetteer

    resolver = PlaceResolver(Counting(default_gazetteer()))
    refs = [
        PlaceRef("Koria", country="Burkina Faso", within=("Oudalan", "Sahel")),
        PlaceRef("Djibo", country="Burkina Faso", within=("Djibo", "Soum", "Sahel")),
        PlaceRef("Xyzzyville"),
        PlaceRef("Kursk"),
    ]
    for _ in range(3):
        for ref in refs:
            resolver.resolve(ref, file="f.csv", record="row 2", field="place")
    # Each name once; each unit name once per country (Sahel: once for both rows).
    assert len(asked) == len(set(asked)), asked
    assert asked.count(("Sahel", "BF", "region")) == 1
    assert len(resolver.unresolved) == 3  # Xyzzyville, each time it was asked
    report = resolver.report()
    assert [r["query"] for r in report] == ["Koria", "Djibo", "Xyzzyville", "Kursk"]
    assert all(tuple(r) == REPORT_FIELDS for r in report)
    koria, djibo, xyzzy, kursk = report
    assert koria["within"] == "Oudalan, Sahel" and koria["country"] == "Burkina Faso"
    assert (koria["precision"], koria["flag"]) == (
        "admin2", "placed at Oudalan (admin2): 'Koria' was not found in it"
    )  # fmt: skip
    assert (djibo["name"], djibo["precision"], djibo["flag"]) == ("Djibo", "point", None)
    assert (xyzzy["name"], xyzzy["id"], xyzzy["precision"]) == (None, None, None)
    assert kursk["id"] == "geonames:538560" and kursk["runner_up_id"] == "ne:RU-KRS"
    assert kursk["score"] > kursk["runner_up_score"]
    # resolved: the resolved ones only, as the report shows them
    assert [r.as_dict() for r in resolver.resolved] == [koria, djibo, kursk]


def test_a_geocoder_with_geocode_only_is_enough():
    """Readers' tests pass a stub that knows one name (tests/acled_rows.py)."""
    import shapely

    from geo.model import Place, PlaceRef
    from geo.resolve import PlaceResolver

    class Stub:
        def geocode(self, query, *, country_hint=None):
            if query == "Sudzha":
                return Place(query, "Sudzha", "city", "RU", 51.19, 35.27, "geonames:1", "s", 1.0)
            return None

        def geometry(self, place):
            return shapely.Point(place.lon, place.lat)

    resolver = PlaceResolver(Stub())
    assert resolver.resolve(PlaceRef("Sudzha", country="Russia")).place.id == "geonames:1"
    # The stub ignores the country: its answer in Russia is still refused.
    other = resolver.resolve(PlaceRef("Sudzha", country="Ukraine"))
    assert (other.place.id, other.precision) == ("iso:UA", "country")
    assert other.flag == "placed at Ukraine (country): 'Sudzha' was not found in it"
    assert resolver.resolve(PlaceRef("Sudzha")).precision == "point"


# --------------------------------------------------------------------------- coordinates


OUAGADOUGOU = (-1.53388, 12.36566)  # lon, lat
KORLA = (86.15231, 41.76055)
SIMFEROPOL = (34.10, 44.95)


@pytest.mark.parametrize(
    ("point", "country", "expected"),
    [
        (OUAGADOUGOU, "Burkina Faso", 0.0),
        (OUAGADOUGOU, "BF", 0.0),
        (OUAGADOUGOU, "BFA", 0.0),
        (OUAGADOUGOU, 854, 0.0),  # ACLED's iso, ISO 3166 numeric
        (OUAGADOUGOU, "854", 0.0),
        ((37.62, 55.75), "Russia (Soviet Union)", 0.0),  # UCDP's name, Moscow
        ((15.31, -4.32), "DR Congo (Zaire)", 0.0),  # Kinshasa
        (SIMFEROPOL, "Ukraine", 0.0),  # ISO 3166-2 UA-43: Ukraine, as ACLED codes it
        (SIMFEROPOL, "Russia", 0.0),  # and Russia, as Natural Earth draws it
        ((55.45, -20.88), "Reunion", 0.0),  # a territory drawn inside France
        (OUAGADOUGOU, None, "nan"),
        (OUAGADOUGOU, "", "nan"),
        (OUAGADOUGOU, "Xyzzyland", "nan"),
        ((float("nan"), 12.0), "BF", "nan"),
    ],
)
def test_outside_country_inside_and_unknown(point, country, expected):
    from geo.resolve import outside_country

    km = outside_country([point[0]], [point[1]], [country])
    assert km.shape == (1,)
    if expected == "nan":
        assert np.isnan(km[0])
    else:
        assert km[0] == expected


def test_outside_country_measures_km_past_the_tolerance(gaz):
    from geo.resolve import BORDER_TOLERANCE_KM, outside_country

    # East of Burkina Faso's easternmost point: as far outside as we step.
    outline = gaz.borders.outline("BF")
    xy = shapely.get_coordinates(outline)
    lon0, lat0 = xy[np.argmax(xy[:, 0])]
    steps = np.array([2.0, 8.0, 25.0, 100.0, 400.0])
    lon = lon0 + steps / (111.32 * np.cos(np.radians(lat0)))
    km = outside_country(lon, np.full(len(steps), lat0), ["BF"] * len(steps))
    assert BORDER_TOLERANCE_KM == 10.0
    assert km[:2].tolist() == [0.0, 0.0]  # within the tolerance
    assert km[2:] == pytest.approx(steps[2:], rel=0.02)
    far = outside_country([KORLA[0]], [KORLA[1]], ["Burkina Faso"])[0]
    assert 8000 < far < 9500  # Korla, China: about 8,600 km off
    strict = outside_country(lon[:2], [lat0, lat0], ["BF", "BF"], tolerance_km=0.5)
    assert strict == pytest.approx(steps[:2], rel=0.05)


def test_outside_country_takes_columns_of_any_kind():
    import pandas as pd
    import pyarrow as pa

    from geo.resolve import outside_country

    lon = np.array([OUAGADOUGOU[0], KORLA[0], OUAGADOUGOU[0]])
    lat = np.array([OUAGADOUGOU[1], KORLA[1], OUAGADOUGOU[1]])
    names = ["Burkina Faso", "BF", None]
    expected = outside_country(lon, lat, names)
    assert expected[0] == 0 and expected[1] > 8000 and np.isnan(expected[2])
    for column in (pd.Series(names), np.array(names, dtype=object), pa.array(names)):
        np.testing.assert_array_equal(outside_country(lon, lat, column), expected)
    with pytest.raises(ValueError, match="as many"):
        outside_country(lon, lat, names[:2])
    assert outside_country([], [], []).shape == (0,)


_COUNTRIES = ["BF", "Burkina Faso", "854", "ML", "Mali", "NE", "UA", "Ukraine", "RU", "804",
              "Russia (Soviet Union)", "CN", "FI", "US", "FR", None, "Xyzzyland"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-20, 140, allow_nan=False),
            st.floats(-40, 70, allow_nan=False),
            st.sampled_from(_COUNTRIES),
        ),
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_outside_country_is_per_row_whatever_the_order(gaz, rows, random):
    """Grouping by country is invisible: each row's value is that row's alone, 0
    exactly when the point is inside (or near), NaN exactly when the country is
    unknown."""
    from geo.resolve import outside_country

    lon, lat, names = (list(x) for x in zip(*rows, strict=True)) if rows else ([], [], [])
    km = outside_country(lon, lat, names)
    alone = [outside_country([x], [y], [c])[0] for x, y, c in rows]
    np.testing.assert_array_equal(km, alone)
    order = list(range(len(rows)))
    random.shuffle(order)
    shuffled = outside_country([lon[i] for i in order], [lat[i] for i in order],
                               [names[i] for i in order])  # fmt: skip
    np.testing.assert_array_equal(shuffled, km[order])
    for (x, y, c), v in zip(rows, km, strict=True):
        iso = gaz.country_code(c) if c else None
        assert np.isnan(v) == (iso is None)
        if iso is not None and shapely.contains_xy(gaz.borders.outline(iso), x, y):
            assert v == 0


# --------------------------------------------------------------------------- the property


_NAMES = ["Paris", "Moscow", "Koria", "Georgia", "Kyiv", "Washington", "Odessa", "London",
          "Springfield", "Alexandria", "Djibo", "Sahel", "Kharkiv", "Kursk", "Koursk",
          "Saint Petersburg", "Tripoli", "Santiago", "Cordoba", "Valencia", "Ouagadougou",
          "Korla", "Iekaterinbourg", "la Russie", "Corée du Nord", "iso:UA", "ne:US-GA"]  # fmt: skip
_CONSTRAINTS = ["BF", "Burkina Faso", "854", "BFA", "UA", "Ukraine", "RU", "Russia", "643",
                "US", "United States", "FR", "France", "GE", "CN", "ES", "AR", "LY", "LB",
                "Russia (Soviet Union)", "DR Congo (Zaire)"]  # fmt: skip


@pytest.fixture(scope="module")
def sample_names(gaz):
    keys = gaz.name_keys()
    rng = np.random.default_rng(10)
    return [str(k) for k in rng.choice(keys, 300)] + _NAMES


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_country_constraint_is_never_broken(gaz, sample_names, data):
    """For any query with a country constraint, the answer lies in that country or
    there is none: the gazetteer's country_hint, a qualifier naming a country, and
    the resolver with admin units and fallbacks."""
    from geo.model import PlaceRef
    from geo.resolve import PlaceResolver

    name = data.draw(st.sampled_from(sample_names), label="name")
    country = data.draw(st.sampled_from(_CONSTRAINTS), label="country")
    iso = gaz.country_code(country)
    for found in gaz.candidates(name, country_hint=country, k=5):
        assert found.country == iso, (name, country, found)
    # A qualifier restricts to the countries it may name ("Georgia": GE, or the US
    # of its state); a whole-text name ("Virgin Islands, U.S.") may be a country.
    qualifier = gaz.geocode(f"iso:{iso}").name
    allowed = {gaz._t.codes[c] for c, _ in gaz._index.readings(qualifier)}
    assert iso in allowed
    for found in gaz.candidates(f"{name}, {qualifier}", k=5):
        assert found.country in allowed or found.kind == "country", (name, qualifier, found)
    within = tuple(data.draw(st.lists(st.sampled_from(sample_names), max_size=3), label="within"))
    fallback = data.draw(st.booleans(), label="fallback")
    resolved = PlaceResolver(gaz, fallback=fallback).resolve(
        PlaceRef(name, country=country, within=within)
    )
    assert resolved is None or resolved.place.country == iso, (name, within, country, resolved)
    if resolved is not None and resolved.flag and not fallback:
        assert not resolved.flag.startswith("placed at")
