"""The compare page's distance queries against a brute force over every school–base pair, on
generated data dense enough that the far-schools gap settles most districts by its fine grid
cells alone, at radii from well below to well above the typical distance between them."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.db import Database
from analysis.core.schema import STAGES
from tests.conftest import generated

EARTH_KM = 6371.0088   # as the haversine_km macro


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    dataset = generated(tmp_path_factory.mktemp("dense"), seed=5, n_bases=400, n_schools=1500,
                        n_agreements=3000)
    db = Database(dataset)
    cities = sorted(db.query("core/cities")["city"])
    params = {"year_from": 2000, "year_to": 2100, "cities": cities, "kinds": ["base_base", "base_school", "other"],
              "include_illustrative": True}
    bases = dataset.tables["bases"].rename(columns={"base_id": "id"})
    schools = dataset.tables["schools"].rename(columns={"school_id": "id"})
    yield db, params, bases, schools, dataset.tables["agreements"]
    db.close()


def km_between(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(h))


def distances(schools: pd.DataFrame, bases: pd.DataFrame) -> np.ndarray:
    """km from every school (rows) to every base (columns)."""
    s, b = schools[["lat", "lon"]].to_numpy(float), bases[["lat", "lon"]].to_numpy(float)
    return km_between(s[:, :1], s[:, 1:], b[:, 0][None, :], b[:, 1][None, :])


@pytest.mark.parametrize("km", [1.0, 2.0, 3.0, 5.0, 10.0, 25.0])
def test_far_schools_equal_the_brute_force(dense, km):
    db, params, bases, schools, _ = dense
    in_district = schools[schools["district_code"].notna() & (schools["district_code"] != "")]
    nearest = distances(in_district, bases).min(axis=1)
    by_district = pd.DataFrame({"district_code": in_district["district_code"].astype(str).to_numpy(),
                                "km": nearest}).groupby("district_code")["km"].agg(["min", "size"])
    far = by_district[by_district["min"] > km]
    expected = sorted((code, int(n), round(float(d), 1)) for code, d, n in far.itertuples())
    got = db.query("compare/gap_far_schools", **params, max_km=km)
    assert 0 < len(far) < len(by_district) or km in (1.0, 25.0)   # the radii span the data
    assert sorted(zip(got["district_code"], got["schools"].astype(int), got["nearest_base_km"])) == expected


@pytest.mark.parametrize("max_km", [5.0, 20.0, 500.0])
def test_partners_equal_the_brute_force(dense, max_km):
    db, params, bases, schools, agreements = dense
    partners = pd.concat([agreements.rename(columns={"party_a_id": "id", "party_b_id": "other"}),
                          agreements.rename(columns={"party_b_id": "id", "party_a_id": "other"})])
    partners = partners[partners["id"].isin(schools["id"])].groupby("id")["other"].nunique()
    for base_id in bases["id"].iloc[:: len(bases) // 4]:
        base = bases[bases["id"] == base_id]
        linked = set(agreements.loc[agreements["party_a_id"] == base_id, "party_b_id"]) | set(
            agreements.loc[agreements["party_b_id"] == base_id, "party_a_id"])
        km = np.round(distances(schools, base)[:, 0], 1)
        pick = schools.assign(distance_km=km, partners=schools["id"].map(partners).fillna(0).astype(int))
        pick = pick[(pick["distance_km"] <= max_km) & ~pick["id"].isin(linked)]
        expected = list(pick.sort_values(["distance_km", "partners", "id"])[["id", "distance_km", "partners"]]
                        .itertuples(index=False, name=None))
        for top in (5, 20, len(schools)):
            got = db.query("compare/partners", **params, base_id=base_id, stages=list(STAGES),
                           max_km=max_km, scope="any", top=top)
            assert list(zip(got["school_id"], got["distance_km"], got["partners"].astype(int))) == expected[:top]
            assert set(got["total"]) == ({len(expected)} if expected else set())
