"""Map geometry (analysis.core.geo) and view state (analysis.map.view)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core import geo
from analysis.core.geo import ARC_POINTS, arc_midpoints, arc_paths
from analysis.map.view import MapView, parse_selection, selection_from_points

from_query = MapView.from_query
from tests.conftest import SHIPPED_DIR

# Jinjiang (Chengdu) and Yuzhong (Chongqing) centroids, and a north-south pair
LON0, LAT0, LON1, LAT1 = [104.117, 104.0], [30.60, 30.0], [106.54, 104.0], [29.55, 31.0]


def test_arcs_are_packed_into_flat_float32_arrays_with_gaps():
    lon, lat = arc_paths(LON0, LAT0, LON1, LAT1)
    assert lon.dtype == lat.dtype == np.float32
    assert lon.shape == lat.shape == (2 * (ARC_POINTS + 1),)
    step = ARC_POINTS + 1
    assert np.isnan(lon[step - 1]) and np.isnan(lat[2 * step - 1])   # one gap after each arc
    assert np.isfinite(lon[:step - 1]).all() and np.isfinite(lat[step:2 * step - 1]).all()
    # each arc starts and ends exactly at its two parties
    assert (lon[0], lat[0], lon[step - 2], lat[step - 2]) == pytest.approx((104.117, 30.60, 106.54, 29.55), abs=1e-5)
    assert (lon[step], lat[step], lon[-2], lat[-2]) == pytest.approx((104.0, 30.0, 104.0, 31.0), abs=1e-5)


def test_arcs_bend_the_same_way_whichever_party_comes_first():
    lon_ab, lat_ab = arc_paths([104.117], [30.60], [106.54], [29.55])
    lon_ba, lat_ba = arc_paths([106.54], [29.55], [104.117], [30.60])
    assert lon_ab[:-1] == pytest.approx(lon_ba[:-1][::-1], abs=1e-5)
    assert lat_ab[:-1] == pytest.approx(lat_ba[:-1][::-1], abs=1e-5)
    # a west-east arc bulges north: its middle lies above the chord's middle
    assert lat_ab[ARC_POINTS // 2] > (30.60 + 29.55) / 2 + 0.1


def test_midpoint_is_the_middle_of_the_curve():
    lon, lat = arc_paths(LON0, LAT0, LON1, LAT1)
    mid_lon, mid_lat = arc_midpoints(LON0, LAT0, LON1, LAT1)
    half = ARC_POINTS // 2  # ARC_POINTS is odd: the middle sample is t = 0.5
    assert mid_lon[0] == pytest.approx(lon[half], abs=1e-5)
    assert mid_lat[1] == pytest.approx(lat[ARC_POINTS + 1 + half], abs=1e-5)


def test_degenerate_and_empty_arcs():
    lon, lat = arc_paths([104.0], [30.0], [104.0], [30.0])  # two parties at one point
    assert np.allclose(lon[:-1], 104.0) and np.allclose(lat[:-1], 30.0)
    lon, lat = arc_paths([], [], [], [])
    assert lon.size == lat.size == 0


def test_shipped_boundaries_match_the_districts_table():
    gj = geo.districts_geojson()
    codes = [f["id"] for f in gj["features"]]
    assert len(codes) == 58
    districts = pd.read_csv(SHIPPED_DIR / "districts.csv", dtype=str)
    assert sorted(codes) == sorted(districts["district_code"])
    assert [f["id"] for f in geo.feature_subset(gj, ["510104", "500103"])["features"]] == ["500103", "510104"]


def test_framing_fits_both_cities():
    box = geo.bounds([f["id"] for f in geo.districts_geojson()["features"]])
    west, south, east, north = box
    assert 102.5 < west < 103.5 and 109.5 < east < 110.5 and 28 < south < 28.5 and 32 < north < 32.5
    centre, zoom = geo.framing(box)
    assert west < centre["lon"] < east and south < centre["lat"] < north
    _, zoom_chengdu = geo.framing(geo.bounds(["510104", "510107"]))
    assert zoom_chengdu > zoom + 2  # two central districts: much closer in
    assert geo.bounds([], [(104.0, 30.0), (None, 1.0)]) == (104.0, 30.0, 104.0, 30.0)
    assert geo.bounds([]) is None


@pytest.mark.parametrize("query, expected", [
    ({}, MapView(year=2023)),
    ({"map_metric": "agreements_per_100k", "map_period": "per_year", "map_year": "2022",
      "map_cross": "1", "map_sel": "d:510104"},
     MapView(year=2022, metric="agreements_per_100k", period="per_year", cross_only=True,
             selection="d:510104")),
    ({"map_metric": "nonsense", "map_period": "weekly", "map_year": "soon", "map_cross": "yes",
      "map_sel": "x:1"}, MapView(year=2023)),
    ({"map_year": "1999", "map_sel": "i:"}, MapView(year=2021)),   # clamped; empty id dropped
    ({"map_year": ["2021", "2022"]}, MapView(year=2022)),           # repeated key: the last one
])
def test_view_from_the_url(query, expected):
    assert from_query(query, (2021, 2023)) == expected


def test_view_round_trips_through_the_url():
    view = MapView(year=2022, metric="institutions", period="per_year", cross_only=True,
                   selection="c:Chongqing")
    assert from_query(view.to_query(), (2021, 2023)) == view
    assert "map_sel" not in MapView(year=2022).to_query()
    assert MapView(year=2022).widget_state() == {"map_metric": "agreements", "map_period": "cumulative",
                                                 "map_year": 2022, "map_cross": False, "map_sel": None}


def test_selection_ids():
    assert parse_selection("d:510104") == ("d", "510104")
    assert parse_selection("i:ill-b-0001") == ("i", "ill-b-0001")
    assert parse_selection("c:Chengdu") == ("c", "Chengdu")
    assert parse_selection("i:a:b") == ("i", "a:b")
    assert [parse_selection(v) for v in (None, "", "510104", "z:1", "d:")] == [None] * 5


def test_selection_from_clicked_points():
    """Point shapes as Streamlit reports them for the map's traces."""
    district = {"curve_number": 2, "point_index": 3, "location": "510104",
                "customdata": ["d:510104", "<b>锦江区</b>"]}
    marker = {"curve_number": 9, "point_index": 0, "lon": 104.1, "lat": 30.6,
              "customdata": ["i:fb-1", "Jinjiang Museum", "", "2", "2", ""]}
    # an arc's card: its customdata starts with "" (a link is not a selection), then the card
    arc_midpoint = {"curve_number": 5, "point_index": 1, "lon": 105.0, "lat": 30.2,
                    "customdata": ["", "<b>d:510104</b> ↔ <b>i:fb-1</b>", "", "1", "0"]}
    assert selection_from_points([district]) == "d:510104"
    assert selection_from_points([arc_midpoint, marker]) == "i:fb-1"
    assert selection_from_points([arc_midpoint]) is None
    assert selection_from_points([]) is None
