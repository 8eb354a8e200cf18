"""The illustrative generator: deterministic, clearly fictional, self-contained, and harmless to
the real tables."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from analysis.core.loading import load
from analysis.core.schema import TABLES
from tools.illustrative import generate, write_illustrative

DATA = Path(__file__).resolve().parent.parent / "data"
GEO = DATA / "geo" / "districts.geojson"
SIZES = {"n_bases": 40, "n_schools": 60, "n_agreements": 3000}


@pytest.fixture(scope="module")
def places():
    districts = pd.read_csv(DATA / "districts.csv", dtype=str, keep_default_na=False)
    return districts, json.loads(GEO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tables(places):
    return generate(*places, **SIZES, seed=7)


def _institutions(tables) -> pd.DataFrame:
    return pd.concat([tables["bases"].rename(columns={"base_id": "id"}),
                      tables["schools"].rename(columns={"school_id": "id"})]).set_index("id")


def test_same_seed_same_output(places, tables):
    again = generate(*places, **SIZES, seed=7)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, again[name])


def test_different_seed_different_output(places, tables):
    other = generate(*places, **SIZES, seed=8)
    for name, frame in tables.items():
        assert not frame.equals(other[name]), name


def test_contract_columns_and_provenance(tables):
    for name, frame in tables.items():
        assert list(frame.columns) == TABLES[name].column_names
        assert (frame["provenance"] == "illustrative").all()
        key = TABLES[name].key
        assert frame[key].is_unique
    assert tables["bases"]["base_id"].str.startswith("ill-b-").all()
    assert tables["schools"]["school_id"].str.startswith("ill-s-").all()
    assert tables["agreements"]["agreement_id"].str.startswith("ill-a-").all()


def test_names_say_they_are_made_up(tables):
    for name, zh, en in (("bases", "示例基地 ", "Illustrative base "),
                         ("schools", "示例学校 ", "Illustrative school ")):
        assert tables[name]["name_zh"].str.startswith(zh).all()
        assert tables[name]["name_en"].str.startswith(en).all()


def test_agreements_only_join_illustrative_institutions(tables):
    known = set(_institutions(tables).index)
    a = tables["agreements"]
    for col in ("party_a_id", "party_b_id"):
        assert a[col].isin(known).all()
        assert a[col].str.startswith("ill-").all()
    assert (a["party_a_id"] != a["party_b_id"]).all()


def test_roles_follow_the_kind(tables):
    a = tables["agreements"]
    bases, schools = set(tables["bases"]["base_id"]), set(tables["schools"]["school_id"])
    bs = a[a["kind"] == "base_school"]
    assert bs["party_a_id"].isin(bases).all() and bs["party_b_id"].isin(schools).all()
    bb = a[a["kind"] == "base_base"]
    assert bb["party_a_id"].isin(bases).all() and bb["party_b_id"].isin(bases).all()
    assert set(a["kind"]) == {"base_school", "base_base", "other"}


def test_mix_of_kinds_and_cities(tables):
    a = tables["agreements"]
    inst = _institutions(tables)
    cross = inst.loc[a["party_a_id"], "city"].to_numpy() != inst.loc[a["party_b_id"], "city"].to_numpy()
    assert 0.2 < cross.mean() < 0.35
    assert 0.5 < (a["kind"] == "base_school").mean() < 0.7
    assert set(inst["city"]) == {"Chengdu", "Chongqing"}


def test_points_inside_their_district(places, tables):
    polygons = {f["properties"]["district_code"]: shape(f["geometry"]) for f in places[1]["features"]}
    for name in ("bases", "schools"):
        for code, group in tables[name].groupby("district_code"):
            assert shapely.contains_xy(polygons[code], group["lon"], group["lat"]).all(), code
        assert (tables[name]["lon"] == tables[name]["lon"].round(4)).all()
        assert (tables[name]["geo_precision"] == "exact").all()


def test_dates_grow_and_stop_today(places):
    today = dt.date(2025, 6, 30)
    a = generate(*places, **SIZES, seed=7, today=today)["agreements"]
    signed = pd.to_datetime(a["signed_on"], format="%Y-%m-%d")
    assert signed.min() >= pd.Timestamp("2021-01-01")
    assert signed.max() <= pd.Timestamp(today)
    per_year = signed.dt.year.value_counts().sort_index()
    assert list(per_year.index) == [2021, 2022, 2023, 2024, 2025]
    assert per_year[2024] > per_year[2021]
    assert a["agreement_id"].is_monotonic_increasing and signed.is_monotonic_increasing


def test_writing_leaves_real_tables_alone_and_validates(tmp_path):
    for path in DATA.glob("*.csv"):
        shutil.copy2(path, tmp_path / path.name)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.csv")}

    written = write_illustrative(tmp_path, seed=3, n_bases=30, n_schools=40, n_agreements=200,
                                 geo_path=GEO)

    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.csv")} == before
    assert sorted(p.name for p in (tmp_path / "illustrative").iterdir()) == \
        ["agreements.csv", "bases.csv", "schools.csv"]  # and no temp file left behind
    assert all(p.parent == tmp_path / "illustrative" for p in written)
    dataset, problems = load(tmp_path)
    assert problems == []
    assert (dataset.tables["agreements"]["provenance"] == "illustrative").sum() == 200


def test_too_few_institutions_for_agreements(places):
    with pytest.raises(ValueError):
        generate(*places, n_bases=1, n_schools=10, n_agreements=5)
