"""The shipped real data: valid, sourced, and faithful to the seed article and references."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.compare import data as compare
from analysis.core.db import Database
from analysis.core.loading import load
from tests.conftest import SHIPPED_DIR, filter_params

SEED = "seed:forum-2023-article"


@pytest.fixture(scope="module")
def real():
    return {t: pd.read_csv(SHIPPED_DIR / f"{t}.csv", dtype=str, keep_default_na=False)
            for t in ("bases", "schools", "agreements", "events", "honours", "districts", "cities")}


def test_shipped_data_validates():
    dataset, problems = load(SHIPPED_DIR)
    assert problems == []
    assert dataset is not None


def test_real_tables_hold_no_illustrative_rows(real):
    for name, df in real.items():
        assert "illustrative" not in set(df.get("provenance", [])), name
        assert (df.get("provenance", pd.Series(["x"])) != "").all(), name


def _name(real, table, id_col, id_):
    df = real[table]
    return df.loc[df[id_col] == id_, "name_en"].item()


def test_article_agreements_exactly_as_reported(real):
    a = real["agreements"][real["agreements"].provenance == SEED]
    who = {"base": ("bases", "base_id"), "school": ("schools", "school_id")}
    got = set()
    for r in a.itertuples():
        kind_b = "school" if r.kind == "base_school" else "base"
        got.add((r.kind, _name(real, *who["base"], r.party_a_id), _name(real, *who[kind_b], r.party_b_id),
                 r.signed_on, r.event_id))
    day, ev = "2023-12-14", "forum-2023"
    assert got == {
        ("base_base", "Chongqing Planning Exhibition Hall", "Chengdu Planning Hall", day, ev),
        ("base_base", "Chongqing Blood Center", "Chengdu Blood Center", day, ev),
        ("base_base", "Chongqing Cancer Hospital", "Sichuan Cancer Hospital", day, ev),
        # "a total of 4 science popularization bases signed ... with 5 schools": the first
        # group is one base (the CQUPT institute) with two schools.
        ("base_school", "Institute of Space Communication of Chongqing University of Posts and Telecommunications",
         "Chengdu Institute of Physical Education", day, ev),
        ("base_school", "Institute of Space Communication of Chongqing University of Posts and Telecommunications",
         "Chongqing Nankai Liangjiang Middle School", day, ev),
        ("base_school", "Chongqing Vocational College of Electronic Engineering",
         "Xinglonghu Middle School of Yongchuan District, Chongqing", day, ev),
        ("base_school", "Chengdu Mystery of Life Museum",
         "Chengdu Shude Experimental Middle School (East District)", day, ev),
        ("base_school", "Jiaolonggang Haohai Cube Aquarium Science Popularization Base",
         "Sichuan Shuangliu Tanghu Middle School", day, ev),
    }
    museum_school = a[a.kind == "base_school"]
    assert museum_school.party_a_id.nunique() == 4 and museum_school.party_b_id.nunique() == 5


def test_article_event_and_honour(real):
    ev = real["events"].set_index("event_id").loc["forum-2023"]
    assert (ev.date, ev.city, ev.provenance) == ("2023-12-14", "Chongqing", SEED)
    assert ev.theme_en == "Digital Empowerment Science Popularization, Chengdu-Chongqing Plus 'Digital' Forward"
    h = real["honours"]
    assert h[(h.list == "messenger") & (h.name_en == "Zheng Xue")].year.tolist() == ["2023"]


def test_reference_signing_and_forum_editions(real):
    a = real["agreements"].set_index("agreement_id").loc["agr-2021-10-26-01"]
    bases = real["bases"].set_index("base_id")
    assert (bases.loc[a.party_a_id].name_zh, bases.loc[a.party_b_id].name_zh) == ("重庆自然博物馆", "成都大熊猫繁育研究基地")
    assert a.provenance.startswith("http")
    forums = real["events"][real["events"].event_id.str.startswith("forum-")]
    assert forums[["event_id", "date", "city"]].values.tolist() == [
        ["forum-2021", "2021-10-26", "Chongqing"], ["forum-2022", "2022-12-26", "Chengdu"],
        ["forum-2023", "2023-12-14", "Chongqing"]]
    # its sources call it 2024成渝双城科普行活动, never an edition of the forum: a related event
    tour = real["events"].set_index("event_id").loc["event-2024-12-10"]
    assert (tour.name_zh, tour.date, tour.city) == ("2024成渝双城科普行", "2024-12-10", "Chengdu")
    assert tour.provenance == "https://todaymg.com/a/shang-xin-cheng-yu-di-qu-shu-zi-ke-pu-di-tu-zheng-shi-fa-bu.html"


def test_readme_records_what_the_rows_cannot(real):
    readme = " ".join((SHIPPED_DIR / "README.md").read_text(encoding="utf-8").split())
    # forum-2023: provenance stays the seed tag; the 3rd forum's page is given beside it
    assert real["events"].set_index("event_id").at["forum-2023", "provenance"] == SEED
    assert "https://newsflash.city/2401/277786acc976a4ac.html" in readme
    assert "composed from the series name" in readme
    # cq-b-042's district (渝中区) comes from the 2007 list, not from its provenance page
    assert real["bases"].set_index("base_id").at["cq-b-042", "district_code"] == "500103"
    assert "https://cdpx.cqu.edu.cn/info/1042/1081.htm" in readme
    assert "84 rows" in readme and "82 distinct names" in readme and "80 in bases.csv" in readme


def test_listed_bases_keep_their_source(real):
    b = real["bases"]
    assert len(b) == 89
    from_lists = b[b.provenance.str.startswith("http")]
    # 80 from bases_listed.csv and 重庆自然博物馆 from agreements_reported.csv
    assert len(from_lists) == 81 and len(b[b.provenance == SEED]) == 8
    assert (b.set_index("base_id").loc[["cq-b-034", "cd-b-004", "cq-b-024", "cq-b-042"], "category"]
            .tolist() == ["other", "museum", "enterprise", "museum"])
    # a base without a district sits at its city, one with a district at that district
    assert set(b.loc[b.district_code == "", "geo_precision"]) == {"city"}
    assert set(b.loc[b.district_code != "", "geo_precision"]) == {"district"}


def test_districts_and_boundaries(real):
    d = real["districts"]
    assert d.groupby("city").size().to_dict() == {"Chengdu": 20, "Chongqing": 38}
    assert (d.name_en != "").all() and (d.name_zh != "").all()
    with_pop = d[d.population != ""]
    assert len(with_pop) == 55 and with_pop.provenance.str.startswith("http").all()
    assert set(with_pop.population_year) == {"2020"}  # the 2020 census, no other year
    unknown = d[d.population == ""]
    assert unknown.district_code.tolist() == ["500233", "500235", "500238"]  # 忠县, 云阳县, 巫溪县
    assert set(unknown.population_year) == {""}
    pop = d.set_index("district_code").population.replace("", "0").astype(int)
    assert (pop["510104"], pop["500103"], pop["500112"]) == (902_933, 588_717, 2_191_493)
    geo = json.loads((SHIPPED_DIR / "geo" / "districts.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["district_code"] for f in geo["features"]) == sorted(d.district_code)


def test_cities_are_the_2020_census_totals(real):
    c = real["cities"]
    assert c[["city", "name_zh", "population", "population_year"]].values.tolist() == [
        ["Chengdu", "成都市", "20937757", "2020"], ["Chongqing", "重庆市", "32054159", "2020"]]
    assert c.provenance.str.startswith("http").all()
    # the city centre is the point every city-level record already uses (see data/README.md)
    b = real["bases"]
    for r in c.itertuples():
        at_city = b[(b.city == r.city) & (b.geo_precision == "city")]
        assert set(zip(at_city.lon, at_city.lat)) == {(r.lon, r.lat)}
    d = real["districts"]
    pop = d.population.replace("", "0").astype(int)
    # Chengdu's 20 districts add up to its census total; Chongqing's 35 known ones fall short
    # by the three unknown counties
    assert pop[d.city == "Chengdu"].sum() == 20_937_757
    assert 32_054_159 - pop[d.city == "Chongqing"].sum() == 2_038_695


@pytest.fixture(scope="module")
def shipped_metrics():
    dataset, problems = load(SHIPPED_DIR)
    assert problems == []
    db = Database(dataset)
    yield compare.area_metrics(db, filter_params(year_from=2021, year_to=2024,
                                                 include_illustrative=False))
    db.close()


def test_city_per_100k_on_the_shipped_data(real, shipped_metrics):
    """Worked out from the CSVs alone: the real agreements touching each city, per 100,000 of
    the city's 2020 census population."""
    cities = pd.concat([real["bases"][["base_id", "city"]].set_axis(["id", "city"], axis=1),
                        real["schools"][["school_id", "city"]].set_axis(["id", "city"], axis=1)])
    city_of = cities.set_index("id").city
    a = real["agreements"]
    a = a[a.signed_on.between("2021-01-01", "2024-12-31")]
    ends = pd.DataFrame({"a": a.party_a_id.map(city_of), "b": a.party_b_id.map(city_of)})
    w = compare.whole_range(shipped_metrics).set_index("area_id")
    expected = {"Chengdu": (7, 20_937_757), "Chongqing": (7, 32_054_159)}
    for city, (n, population) in expected.items():
        assert int(((ends.a == city) | (ends.b == city)).sum()) == n
        assert w.at[city, "agreements"] == n and w.at[city, "population"] == population
        assert w.at[city, "agreements_per_100k"] == pytest.approx(n * 100_000 / population)
        bases = int((real["bases"].city == city).sum())
        assert w.at[city, "bases_per_100k"] == pytest.approx(bases * 100_000 / population)
    assert w.at["Chengdu", "agreements_per_100k"] == pytest.approx(0.033432, abs=5e-7)
    assert w.at["Chongqing", "agreements_per_100k"] == pytest.approx(0.021838, abs=5e-7)
    assert compare.population_notes(shipped_metrics, ["Chengdu", "Chongqing"]) == []


def test_the_three_unknown_counties_stay_unknown(shipped_metrics):
    w = compare.whole_range(shipped_metrics).set_index("area_id")
    for code in ("500233", "500235", "500238"):
        assert pd.isna(w.at[code, "population"])
        for col in ("agreements_per_100k", "bases_per_100k", "schools_per_100k", "cross_city_per_100k"):
            assert pd.isna(w.at[code, col]), (code, col)
    assert compare.population_notes(shipped_metrics, ["500233", "500103"]) == [
        {"area_id": "500233", "area_type": "district", "known": 0, "total": 1}]
    assert w.at["500103", "population"] == 588_717
