"""The map's named queries and their shaping per animation frame, exact on the fixture.

Fixture agreements (party districts): fa-1 base_base 2021 Jinjiang–Yuzhong (cross-city);
fa-2 base_school 2021 Jinjiang–Jinjiang; fa-3 base_school 2022 Wuhou–Yuzhong (cross);
fa-4 base_school 2022 Yuzhong–Yuzhong; fa-5 base_school 2023 Yubei–Yubei (illustrative);
fa-6 base_base 2023 Wuhou–Yubei (cross); fa-7 other 2023 Shuangliu–Wuhou (illustrative);
fa-8 base_school 2023 Yuzhong–Jinjiang (cross).
"""
from __future__ import annotations

import pytest

from analysis.areas.metrics import city_totals, district_metrics
from analysis.core.db import Database
from analysis.core.loading import load
from analysis.map.data import arcs_by_frame
from tests.conftest import filter_params

PAIR_COLUMNS = ["year", "kind", "cross_city", "place_1", "place_2", "agreements", "illustrative_agreements"]


def agreements_by_district(db) -> dict[str, int]:
    df = district_metrics(db, filter_params())
    return dict(zip(df["district_code"], df["agreements"]))


def rows(df, columns=None):
    return [tuple(r) for r in (df[columns] if columns else df).itertuples(index=False)]


def test_district_pair_aggregation_exact_counts(fixture_db):
    df = fixture_db.query("map/arc_pairs", **filter_params(), cross_only=False)
    assert rows(df, PAIR_COLUMNS) == [
        (2021, "base_base", True, "500103", "510104", 1, 0),
        (2021, "base_school", False, "510104", "510104", 1, 0),
        (2022, "base_school", False, "500103", "500103", 1, 0),
        (2022, "base_school", True, "500103", "510107", 1, 0),
        (2023, "base_school", True, "500103", "510104", 1, 0),
        (2023, "base_school", False, "500112", "500112", 1, 1),
        (2023, "base_base", True, "500112", "510107", 1, 0),
        (2023, "other", False, "510107", "510116", 1, 1)]
    first = df.iloc[0]
    # endpoints at the districts' centroids (districts.csv), in the pair's order
    assert (first.name_en_1, first.lon_1, first.lat_1) == ("Yuzhong District", 106.54, 29.55)
    assert (first.name_en_2, first.lon_2, first.lat_2) == ("Jinjiang District", 104.117, 30.60)
    cross = fixture_db.query("map/arc_pairs", **filter_params(), cross_only=True)
    assert cross["cross_city"].all() and cross["agreements"].sum() == 4


def links(db, cumulative: bool, limit: int = 400):
    return db.query("map/arc_links", **filter_params(), cross_only=False, cumulative=cumulative, limit=limit)


def test_pairs_summed_per_frame(fixture_db):
    cumulative = links(fixture_db, True)
    key = ["frame", "place_1", "place_2", "kind", "agreements"]
    # a district paired with itself draws no arc and is dropped; most agreements first, then by place
    assert rows(cumulative[cumulative["frame"] == 2023], key) == [
        (2023, "500103", "510104", "base_base", 1), (2023, "500103", "510104", "base_school", 1),
        (2023, "500103", "510107", "base_school", 1), (2023, "500112", "510107", "base_base", 1),
        (2023, "510107", "510116", "other", 1)]
    assert list(cumulative.groupby("frame").size()) == [1, 2, 5]
    assert list(cumulative.groupby("frame")["links_in_frame"].first()) == [1, 2, 5]
    first = cumulative.iloc[0]   # endpoints at the districts' centroids, in the pair's order
    assert (first.name_en_1, first.lon_1, first.name_en_2, first.lat_2) == (
        "Yuzhong District", 106.54, "Jinjiang District", 30.60)
    per_year = links(fixture_db, False)
    assert list(per_year.groupby("frame").size()) == [1, 1, 3]
    assert rows(per_year[per_year["frame"] == 2023], ["place_1", "place_2", "illustrative_agreements"]) == [
        ("500103", "510104", 0), ("500112", "510107", 0), ("510107", "510116", 1)]


def test_pairs_keep_the_strongest_links(data_copy):
    data = data_copy()
    with (data / "agreements.csv").open("a", encoding="utf-8") as f:  # two more Wuhou–Yuzhong
        f.write("fa-11,base_school,fb-2,fs-3,2023-02-01,,,https://example.org/fa-11\n")
        f.write("fa-12,base_school,fb-2,fs-3,2023-03-01,,,https://example.org/fa-12\n")
    dataset, problems = load(data)
    assert problems == []
    last = links(Database(dataset), True, limit=2).query("frame == 2023")
    assert rows(last, ["place_1", "place_2", "kind", "agreements", "links_in_frame"]) == [
        ("500103", "510107", "base_school", 3, 5), ("500103", "510104", "base_base", 1, 5)]


def test_detail_arcs_and_their_count(fixture_db):
    arcs = fixture_db.query("map/arc_list", **filter_params(), cross_only=False, limit=100)
    assert list(arcs["agreement_id"]) == [f"fa-{i}" for i in range(1, 9)]
    assert rows(arcs.head(1), ["a_name_en", "a_district_en", "a_lon", "b_name_en", "b_lat"]) == [
        ("Jinjiang Museum", "Jinjiang District", 104.11, "Yuzhong Science Centre", 29.56)]
    cross = fixture_db.query("map/arc_list", **filter_params(), cross_only=True, limit=100)
    assert list(cross["agreement_id"]) == ["fa-1", "fa-3", "fa-6", "fa-8"]
    assert fixture_db.query("map/arc_count", **filter_params(), cross_only=False).iloc[0, 0] == 8
    assert fixture_db.query("map/arc_count", **filter_params(), cross_only=True).iloc[0, 0] == 4
    frames = arcs_by_frame(arcs, [2021, 2022, 2023], True)
    assert list(frames.groupby("frame").size()) == [2, 4, 8]


def test_institution_markers(fixture_db):
    df = fixture_db.query("map/institution_markers", **filter_params(), limit=100)
    assert rows(df, ["id", "partners", "agreements"]) == [
        ("fb-3", 3, 3), ("fb-1", 2, 2), ("fb-2", 2, 2), ("fb-4", 2, 2), ("fs-1", 2, 2),
        ("fs-3", 2, 2), ("fb-5", 1, 1), ("fs-2", 1, 1), ("fs-4", 1, 1), ("fs-5", 0, 0)]
    assert set(df["total"]) == {10}  # fb-6 (city level only) is drawn by map_city_level
    # at the limit, bases and schools take turns, the busiest first
    limited = fixture_db.query("map/institution_markers", **filter_params(), limit=4)
    assert rows(limited, ["id", "type"]) == [("fb-3", "base"), ("fb-1", "base"),
                                             ("fs-1", "school"), ("fs-3", "school")]
    assert set(limited["total"]) == {10}
    real = fixture_db.query("map/institution_markers", **filter_params(include_illustrative=False), limit=100)
    assert "fb-5" not in set(real["id"]) and len(real) == 8


@pytest.fixture
def city_level_db(data_copy) -> Database:
    """The fixture plus two agreements of fb-6, the base known only to city level (Chongqing)."""
    data = data_copy()
    with (data / "agreements.csv").open("a", encoding="utf-8") as f:
        f.write("fa-9,base_base,fb-6,fb-1,2023-05-01,,City-level pact,https://example.org/fa-9\n")
        f.write("fa-10,base_school,fb-6,fs-3,2022-02-02,,City-level school link,https://example.org/fa-10\n")
    dataset, problems = load(data)
    assert problems == []
    return Database(dataset)


def test_city_level_group(fixture_db, city_level_db):
    assert rows(fixture_db.query("map/city_level", **filter_params())) == [
        ("Chongqing", 106.577, 29.5573, 1, 1, 0, 0, 0, 0)]
    assert rows(city_level_db.query("map/city_level", **filter_params())) == [
        ("Chongqing", 106.577, 29.5573, 1, 1, 0, 0, 2, 2)]
    pairs = city_level_db.query("map/arc_pairs", **filter_params(), cross_only=False)
    city = pairs[pairs["place_2"] == "city:Chongqing"]
    assert rows(city, ["year", "place_1", "place_2", "agreements", "lon_2", "lat_2"]) == [
        (2022, "500103", "city:Chongqing", 1, 106.577, 29.5573),
        (2023, "510104", "city:Chongqing", 1, 106.577, 29.5573)]


@pytest.mark.parametrize("kind, value, partners, agreements", [
    ("d", "510104", [("fb-3", 2), ("fb-1", 1), ("fs-1", 1)], ["fa-8", "fa-2", "fa-1"]),
    ("i", "fb-3", [("fs-1", 1), ("fs-3", 1), ("fb-1", 1)], ["fa-8", "fa-4", "fa-1"]),
    ("i", "nobody", [], []),
    ("x", "510104", [], []),
])
def test_selection_partners_and_agreements(fixture_db, kind, value, partners, agreements):
    params = {**filter_params(), "sel_kind": kind, "sel_value": value, "limit": 50}
    p = fixture_db.query("map/selection_partners", **params)
    a = fixture_db.query("map/selection_agreements", **params)
    assert rows(p, ["id", "agreements"]) == partners
    assert list(a["agreement_id"]) == agreements
    if agreements:
        assert set(a["total"]) == {len(agreements)} and set(p["total"]) == {len(partners)}
        assert a["provenance"].str.startswith("https://example.org/").all()


def test_selection_of_a_city_level_group(city_level_db):
    params = {**filter_params(), "sel_kind": "c", "sel_value": "Chongqing", "limit": 50}
    assert rows(city_level_db.query("map/selection_partners", **params), ["id", "agreements"]) == [
        ("fb-1", 1), ("fs-3", 1)]
    assert list(city_level_db.query("map/selection_agreements", **params)["agreement_id"]) == ["fa-9", "fa-10"]
    limited = city_level_db.query("map/selection_agreements", **{**params, "limit": 1})
    assert len(limited) == 1 and limited["total"].iloc[0] == 2


def test_one_institution(fixture_db):
    row = fixture_db.query("map/institution", id="fb-6").iloc[0]
    assert (row["name_en"], row["city"], row["geo_precision"], row["provenance"]) == (
        "Chongqing City Base", "Chongqing", "city", "seed:fixture")
    assert fixture_db.query("map/institution", id="nobody").empty


def test_city_level_parties_count_for_the_city_not_a_district(city_level_db, fixture_db):
    before = agreements_by_district(fixture_db)
    after = agreements_by_district(city_level_db)
    # fa-9 touches Jinjiang through fb-1, fa-10 Yuzhong through fs-3; fb-6's side touches nothing
    assert after == {**before, "510104": 4, "500103": 5}
    totals = city_totals(city_level_db, filter_params())
    assert [tuple(r) for r in totals.itertuples(index=False)] == [
        ("Chengdu", 6, 3, 3, 0, 7, 0),
        ("Chongqing", 5, 3, 2, 1, 8, 2)]
