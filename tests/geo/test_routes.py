"""Routes: geodesic, densified, split at the antimeridian, with their length."""

from __future__ import annotations

import pytest
import shapely

from geo import geodesic_route, split_antimeridian


def test_length_matches_pyproj_and_is_densified():
    from pyproj import Geod

    line, km = geodesic_route([(125.754, 39.034), (37.618, 55.752)], spacing_km=50)
    expected = Geod(ellps="WGS84").inv(125.754, 39.034, 37.618, 55.752)[2] / 1000
    assert km == pytest.approx(expected, rel=1e-9)
    assert line.geom_type == "LineString"
    assert len(line.coords) >= km // 50
    # A geodesic from Pyongyang to Moscow arcs north of both ends.
    assert max(y for _, y in line.coords) > 58


def test_waypoints_add_up():
    _, direct = geodesic_route([(130.28, 42.26), (37.6, 55.75)])
    _, via = geodesic_route([(130.28, 42.26), (131.87, 43.12), (37.6, 55.75)])
    assert via > direct


def test_antimeridian_split():
    line, km = geodesic_route([(170.0, 60.0), (-170.0, 62.0)])
    assert line.geom_type == "MultiLineString"
    west, east = line.geoms
    assert west.coords[-1][0] == 180.0 and east.coords[0][0] == -180.0
    assert west.coords[-1][1] == pytest.approx(east.coords[0][1])
    assert all(-180 <= x <= 180 for g in line.geoms for x, _ in g.coords)
    assert 1000 < km < 1200  # the short way round, not 20,000 km


def test_no_split_when_not_crossing():
    line = split_antimeridian([10.0, 20.0, 30.0], [0.0, 1.0, 2.0])
    assert isinstance(line, shapely.LineString)


def test_needs_two_points():
    with pytest.raises(ValueError):
        geodesic_route([(0.0, 0.0)])
