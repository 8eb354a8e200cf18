"""The compare page's distance queries against a brute force over every school–base pair: on
generated data dense enough that the far-schools gap settles many districts (most from 10 km
up) by its fine grid cells alone, at radii from well below to well above the typical distance
between them; and on pairs placed at about the distance, in every direction."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.db import Database
from analysis.core.loading import load
from analysis.core.schema import STAGES
from analysis.core.loading import DATA_DIR_ENV
from tests.conftest import SHIPPED_DIR, app_test, filter_params, generated

EARTH_KM = 6371.0088   # as the haversine_km macro


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dense")
    dataset = generated(data_dir, seed=5, n_bases=400, n_schools=1500, n_agreements=3000)
    db = Database(dataset)
    cities = sorted(db.query("core/cities")["city"])
    params = {"year_from": 2000, "year_to": 2100, "cities": cities, "kinds": ["base_base", "base_school", "other"],
              "include_illustrative": True}
    bases = dataset.tables["bases"].rename(columns={"base_id": "id"})
    schools = dataset.tables["schools"].rename(columns={"school_id": "id"})
    yield db, params, bases, schools, dataset.tables["agreements"], data_dir
    db.close()


def km_between(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(h))


def distances(schools: pd.DataFrame, bases: pd.DataFrame) -> np.ndarray:
    """km from every school (rows) to every base (columns)."""
    s, b = schools[["lat", "lon"]].to_numpy(float), bases[["lat", "lon"]].to_numpy(float)
    return km_between(s[:, :1], s[:, 1:], b[:, 0][None, :], b[:, 1][None, :])


def isolated_pairs(data_dir: Path, km: float, seed: int) -> tuple[Database, list[str]]:
    """The shipped districts, each with one school and one base at 0.8–1.3 × km from it
    (diagonal, in any direction, or due east), ~50 km from any other district's; no
    agreement. Plus one school and base 9.995 km apart due east at the largest latitude,
    where the distance pass once made its cells too narrow. The Database and the districts
    whose base is beyond km."""
    for name in ("districts.csv", "cities.csv", "events.csv"):
        shutil.copy2(SHIPPED_DIR / name, data_dir / name)
    for name, header in (("agreements.csv", "agreement_id,kind,party_a_id,party_b_id,signed_on,event_id,title,provenance"),
                         ("honours.csv", "year,list,name_zh,name_en,affiliation,city,provenance")):
        (data_dir / name).write_text(header + "\n", encoding="utf-8")
    districts = list(csv.DictReader((SHIPPED_DIR / "districts.csv").open(encoding="utf-8")))
    rng = np.random.default_rng(seed)
    schools, bases = [], []
    for i, d in enumerate(districts):
        lat, lon = 26.5 + 0.5 * (i // 8), 98.0 + 0.6 * (i % 8)
        bearing = rng.choice([45.0, 135.0, 225.0, 315.0, 90.0, rng.uniform(0, 360)])
        blat, blon = _destination(lat, lon, bearing, km * rng.uniform(0.8, 1.3))
        if i == len(districts) - 1 and km == 10.0:   # the narrow-cell case
            lat, lon, blat, blon = 34.3, 105.0441759, 34.3, 105.1529851   # 9.995 km, two old cells apart
        schools.append((f"s{i}", d["district_code"], d["city"], lon, lat))
        bases.append((f"b{i}", d["district_code"], d["city"], blon, blat))
    with (data_dir / "schools.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["school_id", "name_zh", "name_en", "stage", "city", "district_code", "lon", "lat",
                    "geo_precision", "provenance"])
        w.writerows([sid, f"学校{sid}", "", "primary", city, code, f"{x:.7f}", f"{y:.7f}", "exact",
                     "https://example.org/t"] for sid, code, city, x, y in schools)
    with (data_dir / "bases.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["base_id", "name_zh", "name_en", "category", "level", "city", "district_code", "lon",
                    "lat", "geo_precision", "designated_year", "provenance"])
        w.writerows([bid, f"基地{bid}", "", "museum", "municipal", city, code, f"{x:.7f}", f"{y:.7f}",
                     "exact", "", "https://example.org/t"] for bid, code, city, x, y in bases)
    dataset, problems = load(data_dir)
    assert problems == []
    s = dataset.tables["schools"].set_index("district_code")
    b = dataset.tables["bases"].set_index("district_code").loc[s.index]
    apart = km_between(s["lat"].to_numpy(), s["lon"].to_numpy(), b["lat"].to_numpy(), b["lon"].to_numpy())
    return Database(dataset), sorted(s.index[apart > km])


def _destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point km from (lat, lon) at this bearing, on the macro's sphere."""
    p1, l1, t, a = np.radians(lat), np.radians(lon), np.radians(bearing), km / EARTH_KM
    p2 = np.arcsin(np.sin(p1) * np.cos(a) + np.cos(p1) * np.sin(a) * np.cos(t))
    l2 = l1 + np.arctan2(np.sin(t) * np.sin(a) * np.cos(p1), np.cos(a) - np.sin(p1) * np.sin(p2))
    return float(np.degrees(p2)), float(np.degrees(l2))


@pytest.mark.parametrize("km, seed", [(1.0, 1), (3.0, 2), (10.0, 3), (10.0, 4), (25.0, 5)])
def test_far_schools_at_about_the_distance(tmp_path, km, seed):
    db, far = isolated_pairs(tmp_path, km, seed)
    cities = sorted(db.query("core/cities")["city"])
    got = db.query("compare/gap_far_schools", year_from=2000, year_to=2100, cities=cities,
                   kinds=["base_base", "base_school", "other"], include_illustrative=True, max_km=km)
    assert 5 < len(far) < 50     # pairs on both sides of the distance
    assert sorted(got["district_code"]) == far


@pytest.mark.parametrize("km", [1.0, 2.0, 3.0, 5.0, 10.0, 25.0])
def test_far_schools_equal_the_brute_force(dense, km):
    db, params, bases, schools, _, _ = dense
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
    db, params, bases, schools, agreements, _ = dense
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
        ties = [i + 1 for i in range(len(expected) - 1) if expected[i][1] == expected[i + 1][1]]
        for top in (5, 20, len(schools), *ties[:3]):   # cut inside a tie, partners break it
            got = db.query("compare/partners", **params, base_id=base_id, stages=list(STAGES),
                           max_km=max_km, scope="any", top=top)
            assert list(zip(got["school_id"], got["distance_km"], got["partners"].astype(int))) == expected[:top]
            assert set(got["total"]) == ({len(expected)} if expected else set())


def test_the_page_shows_the_first_schools_of_the_total(dense, monkeypatch):
    db, *_, data_dir = dense
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    at = app_test("compare.py", {"lang": "en", "cmp_top": "10", "cmp_section": "partners"}).run()
    assert not at.exception
    base = at.selectbox(key="cmp_base").value
    total = len(db.query("compare/partners", **filter_params(cities=at.multiselect(key="cities").value),
                         base_id=base, stages=list(STAGES), max_km=500.0, scope="any", top=100_000))
    assert total > 10
    shown = next(d.value for d in at.dataframe if "distance_km" in d.value.columns)
    assert len(shown) == 10
    count = f"{total:,}".replace(",", "\\,")   # the caption's markdown escapes the comma
    assert any(c.value == f"{count} schools match; the first 10 are shown." for c in at.caption)
