"""The partner finder: schools with no agreement with the chosen base, ranked by distance, then
fewer existing partners, then school id (see tests/test_compare_metrics.py for the fixture)."""
from __future__ import annotations

import pytest

from analysis.core.db import Database
from analysis.core.loading import load
from analysis.core.schema import STAGES
from tests.conftest import filter_params

COLUMNS = ["rank", "school_id", "distance_km", "partners", "same_city", "approximate"]


def shortlist(db, base_id, stages=STAGES, max_km=500.0, scope="any", top=100, **overrides):
    df = db.query("compare/partners", **filter_params(**overrides), base_id=base_id,
                  stages=list(stages), max_km=max_km, scope=scope, top=top)
    return [tuple(r) for r in df[COLUMNS].itertuples(index=False)]


def test_shortlist_for_jinjiang_museum(fixture_db):
    # fb-1 already signed with fs-1 (fa-2). Partners: fs-2 has fb-5 (fa-7), fs-3 has fb-2 and
    # fb-3, fs-4 has fb-4, fs-5 has none.
    assert shortlist(fixture_db, "fb-1") == [
        (1, "fs-2", 8.6, 1, True, False), (2, "fs-5", 21.0, 0, True, False),
        (3, "fs-3", 261.0, 2, False, False), (4, "fs-4", 261.2, 1, False, False)]


@pytest.mark.parametrize("kwargs, expected", [
    ({"stages": ["primary"]}, ["fs-5"]),
    ({"scope": "same"}, ["fs-2", "fs-5"]),
    ({"scope": "cross"}, ["fs-3", "fs-4"]),
    ({"max_km": 10.0}, ["fs-2"]),
    ({"max_km": 21.0}, ["fs-2", "fs-5"]),               # the limit applies to the shown 0.1 km
    ({"include_illustrative": False}, ["fs-2", "fs-5", "fs-3"]),
    ({"cities": ["Chengdu"]}, ["fs-2", "fs-5"]),         # schools of the sidebar's cities only
])
def test_filters(fixture_db, kwargs, expected):
    assert [r[1] for r in shortlist(fixture_db, "fb-1", **kwargs)] == expected


@pytest.mark.parametrize("base_id, kwargs", [
    ("fb-1", {"stages": ["vocational"]}),          # no vocational school
    ("fb-1", {"stages": []}),
    ("fb-1", {"max_km": 5.0}),                     # nearest is 8.6 km
    ("fb-1", {"cities": ["Chongqing"]}),           # the base is outside the sidebar's cities
    ("fb-5", {"include_illustrative": False}),     # an illustrative base, hidden
    ("no-such-base", {}),
])
def test_no_candidates(fixture_db, base_id, kwargs):
    assert shortlist(fixture_db, base_id, **kwargs) == []


def test_city_precision_makes_distances_approximate(fixture_db):
    # fb-6 is known only to city level (and has no agreement yet)
    assert shortlist(fixture_db, "fb-6", scope="cross") == [
        (1, "fs-1", 263.3, 2, False, True), (2, "fs-2", 272.4, 1, False, True),
        (3, "fs-5", 274.2, 0, False, True)]
    # fb-4 sits at its district's centroid ("district" precision)
    assert {r[5] for r in shortlist(fixture_db, "fb-4")} == {True}


def test_illustrative_partners_count_only_when_shown(fixture_db):
    # fs-2's only partner is the illustrative fb-5
    rows = {r[1]: r for r in shortlist(fixture_db, "fb-2", include_illustrative=False)}
    assert rows["fs-2"][3] == 0
    rows = {r[1]: r for r in shortlist(fixture_db, "fb-2")}
    assert rows["fs-2"][3] == 1


def test_ties_are_broken_by_fewer_partners_then_school_id(data_copy):
    """Three schools known only to city level share Chengdu's centre: equal distances."""
    d = data_copy()
    with (d / "schools.csv").open("a", encoding="utf-8") as f:
        for sid in ("fs-6", "fs-7", "fs-8"):
            f.write(f"{sid},成都学校 {sid},City school {sid},middle,Chengdu,,104.0657,30.6574,city,"
                    f"https://example.org/{sid}\n")
    with (d / "agreements.csv").open("a", encoding="utf-8") as f:
        f.write("fa-9,base_school,fb-2,fs-6,2022-03-01,,Tie-break partner,https://example.org/fa-9\n")
    dataset, problems = load(d)
    assert problems == []
    got = shortlist(Database(dataset), "fb-1", stages=["middle"], scope="same")
    # fs-6 has one partner (fb-2), fs-7 and fs-8 none: fs-7, fs-8 (by id), then fs-6; fs-2 is
    # 8.6 km away, the city centre 6.8 km (5.3 km north, 4.2 km west)
    assert got == [(1, "fs-7", 6.8, 0, True, True), (2, "fs-8", 6.8, 0, True, True),
                   (3, "fs-6", 6.8, 1, True, True), (4, "fs-2", 8.6, 1, True, False)]
    # the first `top` only, cut inside the tie as the whole list is; `total` counts them all
    db = Database(dataset)
    for top in (1, 2, 3, 4, 5):
        assert shortlist(db, "fb-1", stages=["middle"], scope="same", top=top) == got[:top]
        df = db.query("compare/partners", **filter_params(), base_id="fb-1", stages=["middle"],
                      max_km=500.0, scope="same", top=top)
        assert set(df["total"]) == {4}


def test_bases_to_pick_from_busiest_first(fixture_db):
    df = fixture_db.query("compare/bases", **filter_params())
    assert [tuple(r) for r in df[["base_id", "agreements"]].itertuples(index=False)] == [
        ("fb-3", 3), ("fb-1", 2), ("fb-2", 2), ("fb-4", 2), ("fb-5", 1), ("fb-6", 0)]
    df = fixture_db.query("compare/bases", **filter_params(include_illustrative=False, cities=["Chengdu"]))
    assert df["base_id"].tolist() == ["fb-1", "fb-2"]
