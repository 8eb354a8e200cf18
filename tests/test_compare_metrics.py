"""Compare page figures on the fixture, worked out by hand from tests/fixtures/data.

Fixture recap: Chengdu has fb-1 (Jinjiang), fb-2 (Wuhou), fb-5 (Shuangliu, illustrative) and
schools fs-1 (Jinjiang), fs-2 (Wuhou), fs-5 (Shuangliu); Chongqing has fb-3 (Yuzhong), fb-4
(Yubei), fb-6 (city level only) and schools fs-3 (Yuzhong), fs-4 (Yubei, illustrative).
Agreements: fa-1 fb-1–fb-3 2021 bb×; fa-2 fb-1–fs-1 2021 bs; fa-3 fb-2–fs-3 2022 bs×;
fa-4 fb-3–fs-3 2022 bs; fa-5 fb-4–fs-4 2023 bs (ill.); fa-6 fb-2–fb-4 2023 bb×;
fa-7 fb-5–fs-2 2023 other (ill.); fa-8 fb-3–fs-1 2023 bs× (× = cross-city).
Population: Jinjiang 1,000,000, Wuhou 500,000, Yuzhong 600,000, Yongchuan 1,200,000;
Shuangliu blank and Yubei 0 (both unknown). Cities (cities.csv): Chengdu 2,000,000, Chongqing
blank (unknown); a city's population is its own row, never a sum of districts.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.areas import metrics as area_figures
from analysis.compare import data as compare
from analysis.core.db import Database
from analysis.core.loading import load
from tests.conftest import filter_params

NAN = float("nan")


def whole(df: pd.DataFrame) -> pd.DataFrame:
    return compare.whole_range(df).set_index("area_id")


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        return b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    return a == pytest.approx(b)


@pytest.fixture(scope="module")
def metrics(fixture_db):
    return compare.area_metrics(fixture_db, filter_params())


def _areas(db):
    params = filter_params()
    return compare.areas(db.query("areas/districts", **params), params["cities"])


def test_areas_in_order_cities_first(fixture_db, metrics):
    """The areas (from areas/districts alone) are area_metrics' areas, in its order."""
    assert list(_areas(fixture_db)) == compare.whole_range(metrics)["area_id"].tolist()
    assert list(_areas(fixture_db)) == ["Chengdu", "Chongqing", "510104", "510107", "510116",
                                            "500103", "500112", "500118"]
    assert _areas(fixture_db)["510104"].label("zh") == "锦江区 · 成都"
    assert _areas(fixture_db)["Chongqing"].label("en") == "Chongqing"
    assert compare.default_areas(list(_areas(fixture_db))) == ["Chengdu", "Chongqing"]
    assert compare.default_areas(["510104", "510107", "500103"]) == ["510104", "510107"]


# (bases, schools, institutions, agreements, cross_city, schools_reached) over 2021–2023
COUNTS = {
    "Chengdu": (3, 3, 6, 6, 4, 2),    # fa-1,2,3,6,7,8; reached fs-1 (fa-2), fs-3 (fa-3)
    "Chongqing": (3, 2, 5, 6, 4, 3),  # fa-1,3,4,5,6,8; reached fs-3, fs-4, fs-1
    "510104": (1, 1, 2, 3, 2, 1),     # fa-1, fa-2, fa-8
    "510107": (1, 1, 2, 3, 2, 1),     # fa-3, fa-6, fa-7
    "510116": (1, 1, 2, 1, 0, 0),     # fa-7 (other, not base_school)
    "500103": (1, 1, 2, 4, 3, 2),     # fa-1, fa-3, fa-4, fa-8; reached fs-3, fs-1
    "500112": (1, 1, 2, 2, 1, 1),     # fa-5, fa-6
    "500118": (0, 0, 0, 0, 0, 0),
}


def test_counts_over_the_whole_range(metrics):
    w = whole(metrics)
    got = {a: tuple(int(w.at[a, c]) for c in ("bases", "schools", "institutions", "agreements",
                                               "cross_city", "schools_reached")) for a in COUNTS}
    assert got == COUNTS


# (population, per-100k of bases, schools, agreements, cross-city; per 100 institutions of
#  agreements, cross-city; schools reached per base)
RATIOS = {
    "Chengdu": (2_000_000, 0.15, 0.15, 0.3, 0.2, 100.0, 400 / 6, 2 / 3),
    "Chongqing": (None, NAN, NAN, NAN, NAN, 120.0, 80.0, 1.0),
    "510104": (1_000_000, 0.1, 0.1, 0.3, 0.2, 150.0, 100.0, 1.0),
    "510107": (500_000, 0.2, 0.2, 0.6, 0.4, 150.0, 100.0, 1.0),
    "510116": (None, NAN, NAN, NAN, NAN, 50.0, 0.0, 0.0),            # population blank
    "500103": (600_000, 1 / 6, 1 / 6, 4 / 6, 0.5, 200.0, 150.0, 2.0),
    "500112": (None, NAN, NAN, NAN, NAN, 100.0, 50.0, 1.0),          # population 0: unknown
    "500118": (1_200_000, 0.0, 0.0, 0.0, 0.0, NAN, NAN, NAN),        # known, nothing there
}


@pytest.mark.parametrize("area", RATIOS)
def test_normalised_figures_blank_never_zero_when_population_unknown(metrics, area):
    w = whole(metrics)
    cols = ("population", "bases_per_100k", "schools_per_100k", "agreements_per_100k",
            "cross_city_per_100k", "agreements_per_100_institutions",
            "cross_city_per_100_institutions", "schools_reached_per_base")
    for col, expected in zip(cols, RATIOS[area]):
        assert same(w.at[area, col], expected), (area, col, w.at[area, col])


def test_city_population_comes_from_cities_csv(fixture_db, data_copy):
    assert fixture_db.query("areas/city_population", cities=["Chengdu", "Chongqing", "Mianyang"]) \
        .astype(object).where(lambda d: d.notna(), None).values.tolist() == [
        ["Chengdu", 2_000_000, 2023, 3, 2], ["Chongqing", None, None, 3, 2],
        ["Mianyang", None, None, 0, 0]]
    d = data_copy()
    for name, old, new in [
            ("cities.csv", "Chongqing,重庆市,Chongqing,106.5770,29.5573,,",
             "Chongqing,重庆市,Chongqing,106.5770,29.5573,3000000,2023"),
            # a complete set of districts is still not summed: the city's own row counts
            ("districts.csv", "Shuangliu District,Chengdu,103.9500,30.5000,,",
             "Shuangliu District,Chengdu,103.9500,30.5000,1500000,2023")]:
        text = (d / name).read_text(encoding="utf-8")
        assert old in text
        (d / name).write_text(text.replace(old, new), encoding="utf-8")
    dataset, problems = load(d)
    assert problems == []
    db = Database(dataset)
    pop = db.query("areas/city_population", cities=["Chengdu", "Chongqing"])
    assert pop["population"].tolist() == [2_000_000, 3_000_000]
    w = whole(compare.area_metrics(db, filter_params()))
    assert w.at["Chongqing", "agreements_per_100k"] == pytest.approx(0.2)  # 6 per 3,000,000
    assert w.at["Chongqing", "bases_per_100k"] == pytest.approx(0.1)       # 3 per 3,000,000
    assert w.at["Chengdu", "agreements_per_100k"] == pytest.approx(0.3)    # 6 per 2,000,000


def test_per_year_rows_and_the_year_before_a_single_year_range(fixture_db, metrics):
    per_year = metrics[metrics["area_id"] == "Chengdu"][["year", "agreements", "cross_city",
                                                         "schools_reached"]]
    assert per_year.astype(object).values.tolist() == [
        [pd.NA, 6, 4, 2], [2021, 2, 1, 1], [2022, 1, 1, 1], [2023, 3, 2, 0]]
    single = compare.area_metrics(fixture_db, filter_params(year_from=2023))
    chq = single[single["area_id"] == "Chongqing"][["year", "agreements", "cross_city"]]
    # 2022 is outside the range but is there for the change against the previous year
    assert chq.astype(object).values.tolist() == [[pd.NA, 3, 2], [2022, 2, 1], [2023, 3, 2]]


def test_districts_use_the_map_metrics(fixture_db, metrics):
    """One implementation: the compare page's district density figures are the map's."""
    mine = whole(metrics)
    theirs = area_figures.district_metrics(fixture_db, filter_params()).set_index("district_code")
    for code in theirs.index:
        assert mine.at[code, "agreements"] == theirs.at[code, "agreements"]
        assert mine.at[code, "institutions"] == theirs.at[code, "institutions"]
        assert same(mine.at[code, "agreements_per_100k"], theirs.at[code, "agreements_per_100k"])
        assert same(mine.at[code, "agreements_per_100_institutions"],
                    theirs.at[code, "agreements_per_100_institutions"])


def test_hiding_illustrative_records(fixture_db):
    w = whole(compare.area_metrics(fixture_db, filter_params(include_illustrative=False)))
    # fb-5, fs-4, fa-5, fa-7 are gone
    assert tuple(w.loc["Chengdu", ["bases", "schools", "agreements", "cross_city", "schools_reached"]]) == (2, 3, 5, 4, 2)
    assert tuple(w.loc["500112", ["bases", "schools", "agreements", "schools_reached"]]) == (1, 0, 1, 0)
    assert tuple(w.loc["510116", ["bases", "schools", "agreements"]]) == (0, 1, 0)


def test_area_extras_query(fixture_db):
    df = fixture_db.query("areas/area_extras", **filter_params(year_from=2023))
    rows = [tuple(r) for r in df.astype(object).where(df.notna(), None).itertuples(index=False)]
    assert rows == [
        ("city", "Chengdu", None, 2, 0), ("city", "Chengdu", 2022, 1, 1), ("city", "Chengdu", 2023, 2, 0),
        ("city", "Chongqing", None, 2, 2), ("city", "Chongqing", 2022, 1, 1),
        ("city", "Chongqing", 2023, 2, 2),
        ("district", "500103", None, 1, 1), ("district", "500103", 2022, 1, 1),
        ("district", "500103", 2023, 1, 1),
        ("district", "500112", None, 1, 1), ("district", "500112", 2023, 1, 1),
        ("district", "510104", None, 1, 0), ("district", "510104", 2023, 1, 0),
        ("district", "510107", None, 1, 0), ("district", "510107", 2022, 1, 1),
        ("district", "510107", 2023, 1, 0)]


def test_side_by_side_with_change_against_previous_year(metrics):
    side = compare.side_by_side(metrics, ["Chengdu", "510104"], 2023)
    got = {(r.metric, r.area_id): (r.value, r.current, r.previous, r.change) for r in side.itertuples()}
    assert got[("agreements", "Chengdu")] == (6, 3, 1, 2)
    assert got[("cross_city", "Chengdu")] == (4, 2, 1, 1)
    assert got[("bases", "Chengdu")] == (3, None, None, None)       # undated: no yearly value
    v, cur, prev, change = got[("agreements_per_100k", "Chengdu")]  # 6, 3 and 1 per 2,000,000
    assert (v, cur, prev, change) == (pytest.approx(0.3), pytest.approx(0.15), pytest.approx(0.05),
                                      pytest.approx(0.1))
    assert got[("agreements", "510104")] == (3, 1, 0, 1)
    v, cur, prev, change = got[("agreements_per_100k", "510104")]
    assert (v, cur, prev, change) == (pytest.approx(0.3), pytest.approx(0.1), 0.0, pytest.approx(0.1))
    v, cur, prev, change = got[("schools_reached_per_base", "Chengdu")]
    assert (v, cur, prev, change) == (pytest.approx(2 / 3), 0.0, pytest.approx(1 / 3), pytest.approx(-1 / 3))
    assert len(side) == len(compare.METRICS) * 2


def test_side_by_side_as_text_and_as_numbers(fixture_db, metrics):
    areas = _areas(fixture_db)
    labels = {a: areas[a].label("en") for a in areas}
    side = compare.side_by_side(metrics, ["Chengdu", "Chongqing"], 2023)
    shown = compare.side_by_side_display(side, labels, (2021, 2023), "en").set_index("Metric")
    assert list(shown.columns) == [
        "Chengdu · 2021–2023 total", "Chengdu · 2023", "Chengdu · Change vs 2022",
        "Chongqing · 2021–2023 total", "Chongqing · 2023", "Chongqing · Change vs 2022"]
    assert shown.loc["Agreements"].tolist() == ["6", "3", "+2", "6", "3", "+1"]
    assert shown.loc["Schools reached per base"].tolist() == ["0.67", "0.00", "−0.33", "1.00", "0.67", "+0.33"]
    assert shown.loc["Bases"].tolist() == ["3", "—", "—", "3", "—", "—"]
    assert shown.loc["Agreements per 100,000 residents"].tolist() == ["0.30", "0.15", "+0.10"] + ["—"] * 3
    zh_labels = {a: areas[a].label("zh") for a in areas}
    numbers = compare.side_by_side_download(side, zh_labels, (2021, 2023), "zh")
    assert list(numbers.columns) == ["指标", "地区", "2021–2023 合计", "2023 年", "2022 年", "较 2022 年变化"]
    assert numbers.iloc[4].tolist() == ["协议数", "成都", 6, 3, 1, 2]


def test_population_notes_say_why(metrics):
    assert compare.population_notes(metrics, ["Chengdu", "Chongqing", "510104", "500112"]) == [
        {"area_id": "Chongqing", "area_type": "city", "known": 2, "total": 3},
        {"area_id": "500112", "area_type": "district", "known": 0, "total": 1}]


def test_ranking_ties_share_a_rank(metrics):
    r = compare.ranking(metrics, "agreements")
    assert r[["rank", "district_code", "value"]].values.tolist() == [
        [1, "500103", 4], [2, "510104", 3], [2, "510107", 3], [4, "500112", 2],
        [5, "510116", 1], [6, "500118", 0]]


def test_ranking_puts_unknown_last_without_rank(metrics):
    r = compare.ranking(metrics, "agreements_per_100k")
    assert r["district_code"].tolist() == ["500103", "510107", "510104", "500118", "500112", "510116"]
    assert r["rank"].tolist()[:4] == [1, 2, 3, 4]
    assert r["rank"].isna().tolist() == [False] * 4 + [True] * 2
    assert r["value"].tolist()[:4] == pytest.approx([4 / 6, 0.6, 0.3, 0.0])


def test_trend_series(metrics):
    t = compare.trend(metrics, ["510104", "Chengdu"], "cross_city", "per_100k", (2021, 2023))
    assert t[["area_id", "year", "count"]].values.tolist() == [
        ["510104", 2021, 1], ["510104", 2022, 0], ["510104", 2023, 1],
        ["Chengdu", 2021, 1], ["Chengdu", 2022, 1], ["Chengdu", 2023, 2]]
    assert t["normalised"].tolist()[:3] == pytest.approx([0.1, 0.0, 0.1])
    assert t["normalised"].tolist()[3:] == pytest.approx([0.05, 0.05, 0.1])  # per 2,000,000


def test_schools_without_district(fixture_db, metrics):
    assert compare.schools_without_district(metrics) == 0
    assert compare.fmt_change(-0.5, "agreements_per_100k", "en") == "−0.50"
    assert compare.fmt_change(0, "agreements", "en") == "±0"


def test_ranking_ties_on_a_ratio(metrics):
    r = compare.ranking(metrics, "agreements_per_100_institutions")
    assert r[["rank", "district_code"]].astype(object).where(r.notna(), None).values.tolist() == [
        [1, "500103"], [2, "510104"], [2, "510107"], [4, "500112"], [5, "510116"],
        [None, "500118"]]  # no institution: no value, no rank
