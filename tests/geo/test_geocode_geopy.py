"""The offline gazetteer as a geopy Geocoder, through geopandas.tools.geocode."""

from __future__ import annotations

import geopandas
import pytest
from geopy.exc import GeocoderServiceError as GeopyServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoders import OfflineGeocoder


def test_geopandas_geocode_with_the_offline_provider():
    names = ["Koursk", "Pyongyang", "région de Koursk", "Xyzzyville", "Moscow, Idaho"]
    frame = geopandas.tools.geocode(names, provider=OfflineGeocoder)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == len(names)
    assert frame["address"].tolist()[:3] == ["Kursk, RU", "Pyongyang, KP", "Kursk Oblast, RU"]
    assert frame.geometry.iloc[3].is_empty and frame["address"].isna().iloc[3]
    assert frame.geometry.iloc[4].x == pytest.approx(-117.0, abs=0.01)  # Idaho, not Russia
    assert frame.geometry.iloc[0].y == pytest.approx(51.73, abs=0.01)


def test_geopandas_passes_options_to_the_class():
    frame = geopandas.tools.geocode(["Georgia"], provider=OfflineGeocoder, country_hint="US")
    assert frame["address"].tolist() == ["Georgia, US"]


def test_geopy_interface():
    coder = OfflineGeocoder()
    assert isinstance(coder, Geocoder)
    location = coder.geocode("Séoul")
    assert isinstance(location, Location)
    assert location.raw["id"] == "geonames:1835848"
    several = coder.geocode("Moscow", exactly_one=False, limit=3)
    assert [loc.raw["country"] for loc in several][:2] == ["RU", "RU"]
    assert len(several) == 3
    viewbox = [(46.0, -117.5), (47.5, -116.0)]  # geopy's (lat, lon) corners
    assert coder.geocode("Moscow", viewbox=viewbox).raw["country"] == "US"
    assert coder.geocode("Xyzzyville") is None
    assert coder.geocode("Xyzzyville", exactly_one=False) is None
    assert coder.headers["User-Agent"].startswith("eventmap/")


def test_it_never_uses_the_network():
    coder = OfflineGeocoder()
    with pytest.raises(GeopyServiceError, match="makes no request"):
        coder.adapter.get_json("https://example.org", timeout=1, headers={})
    with pytest.raises(NotImplementedError):
        coder.reverse("51.7, 36.2")
