"""District density metrics (analysis.areas.metrics) on the fixture, with exact values.

Fixture districts: 510104 Jinjiang (pop 1,000,000), 510107 Wuhou (500,000), 510116 Shuangliu
(population unknown), 500103 Yuzhong (600,000), 500112 Yubei (population 0), 500118 Yongchuan
(1,200,000, no institution). fb-6 is known only to city level (Chongqing).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.areas.metrics import (
    COLUMNS,
    city_totals,
    district_metrics,
    district_metrics_by_year,
    metrics_for_years,
)
from tests.conftest import filter_params

NAN = math.nan


def table(df: pd.DataFrame, *columns: str) -> dict[str, tuple]:
    """{district_code: (column values...)} with NaN kept as NaN for comparison."""
    return {r["district_code"]: tuple(r[c] for c in columns) for r in df.to_dict("records")}


def same(a: dict, b: dict) -> bool:
    def eq(x, y):
        if isinstance(x, float) and math.isnan(x):
            return isinstance(y, float) and math.isnan(y)
        return x == pytest.approx(y) if isinstance(y, float) else x == y
    return a.keys() == b.keys() and all(len(a[k]) == len(b[k]) and all(map(eq, a[k], b[k])) for k in a)


METRIC_COLUMNS = ("agreements", "institutions", "bases", "schools",
                  "agreements_per_100_institutions", "agreements_per_100k")


def test_whole_range_every_metric(fixture_db):
    df = district_metrics(fixture_db, filter_params())
    assert list(df.columns) == COLUMNS
    assert same(table(df, *METRIC_COLUMNS), {
        "510104": (3, 2, 1, 1, 150.0, 0.3),
        "510107": (3, 2, 1, 1, 150.0, 0.6),
        "510116": (1, 2, 1, 1, 50.0, NAN),        # population unknown
        "500103": (4, 2, 1, 1, 200.0, 4 / 6),
        "500112": (2, 2, 1, 1, 100.0, NAN),       # population 0: no per-resident figure
        "500118": (0, 0, 0, 0, NAN, 0.0),         # no institution: no per-institution figure
    })
    pop = dict(zip(df["district_code"], df["population"]))
    assert pop["510116"] is pd.NA and pop["500112"] == 0 and pop["500118"] == 1_200_000
    assert str(df["population"].dtype) == "Int64"


def test_per_year_and_cumulative(fixture_db):
    per_year = district_metrics(fixture_db, filter_params(), year=2022, cumulative=False)
    assert table(per_year, "agreements") == {"510104": (0,), "510107": (1,), "510116": (0,),
                                             "500103": (2,), "500112": (0,), "500118": (0,)}
    cumulative = district_metrics(fixture_db, filter_params(), year=2022, cumulative=True)
    assert same(table(cumulative, "agreements", "agreements_per_100_institutions", "agreements_per_100k"), {
        "510104": (2, 100.0, 0.2), "510107": (1, 50.0, 0.2), "510116": (0, 0.0, NAN),
        "500103": (3, 150.0, 0.5), "500112": (0, 0.0, NAN), "500118": (0, NAN, 0.0)})
    outside = district_metrics(fixture_db, filter_params(), year=2019, cumulative=False)
    assert set(outside["agreements"]) == {0}


def test_real_records_only(fixture_db):
    df = district_metrics(fixture_db, filter_params(include_illustrative=False))
    assert same(table(df, "agreements", "institutions", "agreements_per_100_institutions", "agreements_per_100k"), {
        "510104": (3, 2, 150.0, 0.3), "510107": (2, 2, 100.0, 0.4), "510116": (0, 1, 0.0, NAN),
        "500103": (4, 2, 200.0, 4 / 6), "500112": (1, 1, 100.0, NAN), "500118": (0, 0, NAN, 0.0)})


def test_one_city_keeps_its_cross_city_agreements(fixture_db):
    df = district_metrics(fixture_db, filter_params(cities=["Chengdu"]))
    assert table(df, "agreements", "institutions") == {
        "510104": (3, 2), "510107": (3, 2), "510116": (1, 2)}


def test_by_year_matches_single_years(fixture_db):
    by_year = district_metrics_by_year(fixture_db, filter_params(), cumulative=True)
    assert sorted(set(by_year["year"])) == [2021, 2022, 2023]
    last = by_year[by_year["year"] == 2023].drop(columns="year").reset_index(drop=True)
    pd.testing.assert_frame_equal(last, district_metrics(fixture_db, filter_params()).reset_index(drop=True))
    per_year = district_metrics_by_year(fixture_db, filter_params(), cumulative=False)
    sums = per_year.groupby("district_code")["agreements"].sum().to_dict()
    assert sums == dict(zip(last["district_code"], last["agreements"]))


def test_raw_counts_per_district_and_year(fixture_db):
    df = fixture_db.query("areas/district_agreements", **filter_params())
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        ("500103", 2021, 1), ("500103", 2022, 2), ("500103", 2023, 1), ("500112", 2023, 2),
        ("510104", 2021, 2), ("510104", 2023, 1), ("510107", 2022, 1), ("510107", 2023, 2),
        ("510116", 2023, 1)]
    districts = fixture_db.query("areas/districts", **filter_params(cities=["Chongqing"]))
    assert list(districts["district_code"]) == ["500103", "500112", "500118"]


def test_city_totals(fixture_db):
    df = city_totals(fixture_db, filter_params())
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        # city, institutions, bases, schools, city level only, agreements, with a city-level party
        ("Chengdu", 6, 3, 3, 0, 6, 0),
        ("Chongqing", 5, 3, 2, 1, 6, 0)]
    assert list(city_totals(fixture_db, filter_params(cities=["Chengdu"]))["city"]) == ["Chengdu"]
    one_year = city_totals(fixture_db, filter_params(year_from=2022, year_to=2022))
    assert one_year[["city", "institutions", "agreements"]].values.tolist() == [["Chengdu", 6, 1], ["Chongqing", 5, 2]]


def test_city_year_totals(fixture_db):
    """One row per city and year, zeros included; an agreement of two cities counts in both
    (fa-1, fa-3, fa-6 and fa-8), one within a city once (fa-2, fa-4, fa-5, fa-7)."""
    got = fixture_db.query("areas/city_year_totals", **filter_params(year_from=2020, year_to=2023))
    assert list(zip(got["year"], got["city"])) == [
        (y, c) for y in (2020, 2021, 2022, 2023) for c in ("Chengdu", "Chongqing")]
    assert got.groupby("year")["agreements"].apply(list).to_dict() == {
        2020: [0, 0], 2021: [2, 1], 2022: [1, 2], 2023: [3, 3]}
    assert set(got.loc[got["city"] == "Chongqing", "institutions"]) == {5}   # the same every year


DISTRICTS = pd.DataFrame({"district_code": ["510104", "510107", "500103"], "name_zh": ["锦江区", "武侯区", "渝中区"],
                          "name_en": ["Jinjiang", "Wuhou", "Yuzhong"], "city": ["Chengdu", "Chengdu", "Chongqing"],
                          "population": [1_000_000, None, 600_000], "population_year": [2020, None, 2020],
                          "institutions": [2, 0, 3], "bases": [1, 0, 2], "schools": [1, 0, 1]})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["510104", "510107", "500103", "999999"]), st.integers(2019, 2023),
                          st.integers(1, 5)), max_size=30), st.booleans())
def test_metrics_for_years_sum_each_districts_counts(rows, cumulative):
    """Each year's agreements of a district are its counts of that year (or up to it), zero
    without any; a district the list does not hold (999999) counts nowhere."""
    counts = pd.DataFrame(rows, columns=["district_code", "year", "agreements"]).astype({"year": "int64",
                                                                                        "agreements": "int64"})
    got = metrics_for_years(DISTRICTS, counts, [2020, 2022, 2023], cumulative)
    for r in got.itertuples():
        want = sum(n for code, y, n in rows if code == r.district_code
                   and (y <= r.year if cumulative else y == r.year))
        assert r.agreements == want
    assert len(got) == 9 and got["agreements_per_100k"].isna().sum() == 3   # Wuhou: population unknown
