"""The shipped real data: valid, sourced, and faithful to the seed article and references."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.core.loading import load
from tests.conftest import SHIPPED_DIR

SEED = "seed:forum-2023-article"


@pytest.fixture(scope="module")
def real():
    return {t: pd.read_csv(SHIPPED_DIR / f"{t}.csv", dtype=str, keep_default_na=False)
            for t in ("bases", "schools", "agreements", "events", "honours", "districts")}


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
        ["forum-2023", "2023-12-14", "Chongqing"], ["forum-2024", "2024-12-10", "Chengdu"]]


def test_listed_bases_keep_their_source(real):
    b = real["bases"]
    assert len(b) >= 80
    from_lists = b[b.provenance.str.startswith("http")]
    assert len(from_lists) >= 75
    # a base without a district sits at its city, one with a district at that district
    assert set(b.loc[b.district_code == "", "geo_precision"]) == {"city"}
    assert set(b.loc[b.district_code != "", "geo_precision"]) == {"district"}


def test_districts_and_boundaries(real):
    d = real["districts"]
    assert d.groupby("city").size().to_dict() == {"Chengdu": 20, "Chongqing": 38}
    assert (d.name_en != "").all() and (d.name_zh != "").all()
    with_pop = d[d.population != ""]
    assert len(with_pop) == 17 and with_pop.provenance.str.startswith("http").all()
    geo = json.loads((SHIPPED_DIR / "geo" / "districts.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["district_code"] for f in geo["features"]) == sorted(d.district_code)
