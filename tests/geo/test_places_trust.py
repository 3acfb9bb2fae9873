"""Places you can trust: a country named is a constraint, fallbacks are visible,
coordinates are checked against the row's country (issue 10, section 3)."""

from __future__ import annotations

import pytest

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
