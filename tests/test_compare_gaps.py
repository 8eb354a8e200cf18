"""Gap tables and cross-city flows of the compare page, on the fixture (see
tests/test_compare_metrics.py for a recap of the fixture)."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.db import Database
from analysis.core.loading import load
from tests.conftest import filter_params


def rows(df, cols):
    """Plain tuples, every kind of missing value as None."""
    return [tuple(None if pd.isna(v) else v for v in r)
            for r in df[cols].astype(object).itertuples(index=False)]


@pytest.mark.parametrize("overrides, expected", [
    # fb-5 (Shuangliu) signed only fa-7, of kind "other"
    ({}, [("510116", "Chengdu", 1, 1, 1, None)]),
    # without illustrative records fb-5 is gone, and fb-4's only base_school agreement (fa-5) too
    ({"include_illustrative": False}, [("500112", "Chongqing", 1, 0, 1, None)]),
    # no base_school kind in the sidebar: every district with bases is listed
    ({"kinds": ["base_base", "other"]}, [
        ("500103", "Chongqing", 1, 1, 1, 600000), ("500112", "Chongqing", 1, 1, 1, None),
        ("510104", "Chengdu", 1, 1, 1, 1000000), ("510107", "Chengdu", 1, 1, 1, 500000),
        ("510116", "Chengdu", 1, 1, 1, None)]),
    ({"cities": []}, []),
])
def test_districts_with_bases_but_no_base_school_agreement(fixture_db, overrides, expected):
    df = fixture_db.query("compare/gap_idle_districts", **filter_params(**overrides))
    assert rows(df, ["district_code", "city", "bases", "schools", "base_agreements", "population"]) == expected


@pytest.mark.parametrize("overrides, expected", [
    ({}, ["fb-6"]),                          # the city-level base has no agreement at all
    ({"year_from": 2023}, ["fb-1", "fb-6"]),  # fb-1 signed only in 2021
    ({"kinds": ["other"]}, ["fb-1", "fb-2", "fb-3", "fb-4", "fb-6"]),
    ({"cities": ["Chengdu"], "year_from": 2022, "year_to": 2022}, ["fb-1", "fb-5"]),
])
def test_bases_with_no_agreement(fixture_db, overrides, expected):
    df = fixture_db.query("compare/gap_idle_bases", **filter_params(**overrides))
    assert df["base_id"].tolist() == expected


def test_bases_with_no_agreement_carry_their_source(fixture_db):
    df = fixture_db.query("compare/gap_idle_bases", **filter_params(year_from=2023))
    assert rows(df, ["base_id", "district_en", "geo_precision", "provenance"]) == [
        ("fb-1", "Jinjiang District", "exact", "https://example.org/fb-1"),
        ("fb-6", None, "city", "seed:fixture")]


FAR_COLUMNS = ["district_code", "schools", "nearest_base_km", "nearest_base_id", "approximate"]


@pytest.mark.parametrize("km, overrides, expected", [
    # every school has a base within 5 km
    (5.0, {}, []),
    # fs-4 is 2.9 km from fb-4 (a district centroid: approximate); fs-5 2.9 km from fb-5
    (2.5, {}, [("500112", 1, 2.9, "fb-4", True), ("510116", 1, 2.9, "fb-5", False)]),
    (1.0, {}, [("500112", 1, 2.9, "fb-4", True), ("510116", 1, 2.9, "fb-5", False),
               ("510107", 1, 2.4, "fb-2", False), ("500103", 1, 2.2, "fb-3", False),
               ("510104", 1, 1.5, "fb-1", False)]),
    # without fb-5, Shuangliu's school is 17.8 km from fb-2; fs-4 (Yubei) is gone
    (2.5, {"include_illustrative": False}, [("510116", 1, 17.8, "fb-2", False)]),
    (20.0, {"include_illustrative": False}, []),
])
def test_districts_with_schools_but_no_base_nearby(fixture_db, km, overrides, expected):
    df = fixture_db.query("compare/gap_far_schools", **filter_params(**overrides), max_km=km)
    assert rows(df, FAR_COLUMNS) == expected


def test_no_base_at_all_leaves_the_distance_blank(data_copy):
    """A copy without Chongqing's bases (and the agreements that name them)."""
    d = data_copy()
    gone = ("fb-3", "fb-4", "fb-6")
    for name, keep in (("bases.csv", lambda l: not l.startswith(gone)),
                       ("agreements.csv", lambda l: not any(f",{b}," in l for b in gone))):
        lines = (d / name).read_text(encoding="utf-8").splitlines()
        (d / name).write_text("\n".join(filter(keep, lines)) + "\n", encoding="utf-8")
    dataset, problems = load(d)
    assert problems == []
    df = Database(dataset).query("compare/gap_far_schools", **filter_params(cities=["Chongqing"]),
                                 max_km=10.0)
    assert rows(df, FAR_COLUMNS) == [("500103", 1, None, None, None), ("500112", 1, None, None, None)]


def test_city_flows_for_the_sankey(fixture_db):
    df = fixture_db.query("compare/city_flows", **filter_params())
    assert rows(df, ["a_city", "b_city", "cross_city", "agreements"]) == [
        ("Chengdu", "Chengdu", False, 2), ("Chongqing", "Chongqing", False, 2),
        ("Chengdu", "Chongqing", True, 3), ("Chongqing", "Chengdu", True, 1)]
    df = fixture_db.query("compare/city_flows", **filter_params(include_illustrative=False))
    assert rows(df, ["a_city", "b_city", "agreements"]) == [
        ("Chengdu", "Chengdu", 1), ("Chongqing", "Chongqing", 1),
        ("Chengdu", "Chongqing", 3), ("Chongqing", "Chengdu", 1)]


def test_an_agreement_between_two_bases_of_a_district_counts_once(data_copy):
    d = data_copy()
    with (d / "bases.csv").open("a", encoding="utf-8") as f:
        f.write("fb-7,锦江第二基地,Jinjiang Base Two,park,district,Chengdu,510104,104.1000,30.6000,exact,2020,https://example.org/fb-7\n")
    with (d / "agreements.csv").open("a", encoding="utf-8") as f:
        f.write("fa-9,base_base,fb-1,fb-7,2022-02-01,,Jinjiang pact,https://example.org/fa-9\n")
    dataset, problems = load(d)
    assert problems == []
    df = Database(dataset).query("compare/gap_idle_districts", **filter_params(kinds=["base_base"]))
    # Jinjiang's bases signed fa-1 (with fb-3) and fa-9 (with each other): two agreements
    assert rows(df, ["district_code", "bases", "base_agreements"])[0] == ("510104", 2, 2)  # most bases first
