"""Illustrative (made-up) bases, schools and agreements, so the dashboard has something to show.

What: `generate()` draws fictional institutions in the 58 districts of Chengdu and Chongqing
(a point inside each one's district polygon) and fictional agreements between them, 2021–2025.
Every row has `provenance = "illustrative"`; names say so in both languages
("示例基地 0012（锦江区）" / "Illustrative base 0012 (Jinjiang District)") and ids start with
`ill-b-`, `ill-s-`, `ill-a-`. Illustrative agreements only ever join illustrative institutions,
so no real base or school appears to have signed something it did not.

Why: the real, sourced records (data/*.csv) are too few to exercise maps, trends and filters.
The dashboard labels illustrative rows wherever it shows them, and users can hide them.

How: the output is fully determined by the seed and sizes (and `today`, which only matters
while the year range reaches the current year: no date is ever after it). Re-run with

    .venv/bin/python -m tools.illustrative [DATA_DIR] [--seed N]

which rewrites DATA_DIR/illustrative/{bases,schools,agreements}.csv (DATA_DIR defaults to
data/) and never touches the real tables in DATA_DIR itself.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from analysis.core.atomic import write_atomic
from analysis.core.loading import ILLUSTRATIVE_DIR
from analysis.core.schema import (
    CATEGORIES,
    ILLUSTRATIVE,
    ILLUSTRATIVE_TABLES,
    LEVELS,
    STAGES,
    TABLES,
)

DEFAULT_SEED = 20231214  # the day of the 3rd forum
SHIPPED_SIZES = {"n_bases": 160, "n_schools": 240, "n_agreements": 900}

CITY_SHARE = {"Chengdu": 0.45, "Chongqing": 0.55}
CITIES = tuple(CITY_SHARE)
URBAN_WEIGHT = 3.0  # a district (区) gets three times the institutions of a county (县/市)
CATEGORY_P = dict(zip(CATEGORIES, (0.15, 0.10, 0.10, 0.15, 0.15, 0.15, 0.10, 0.10)))
LEVEL_P = dict(zip(LEVELS, (0.10, 0.25, 0.40, 0.25)))
STAGE_P = dict(zip(STAGES, (0.35, 0.30, 0.15, 0.10, 0.07, 0.03)))
DESIGNATED_YEARS = (2010, 2025)

# base_school: a base and a school; base_base: two bases; other: two schools (an exchange).
KIND_P = {"base_school": 0.60, "base_base": 0.30, "other": 0.10}
CROSS_CITY_P = 0.27
YEAR_GROWTH = 1.35  # each year brings ~35% more agreements than the one before
# A within-city partner is in the party's own district (if it has one) or one of the nearest.
NEAR_P = np.array([0.50, 0.20, 0.15, 0.15])
TITLE = "示例协议 / Illustrative agreement"


@dataclass(frozen=True)
class _Districts:
    """The districts usable for placement, sorted by (city, code) so each city is contiguous."""
    code: np.ndarray
    name_zh: np.ndarray
    name_en: np.ndarray
    city: np.ndarray        # index into CITIES
    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray      # probability that an institution is placed here
    polygons: list


def generate(districts: pd.DataFrame, geometry: dict, n_bases: int, n_schools: int,
             n_agreements: int, seed: int = DEFAULT_SEED, years: tuple[int, int] = (2021, 2025),
             today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Tables bases, schools, agreements with exactly the contract's columns, all illustrative.

    `districts` is data/districts.csv (strings or typed); `geometry` the GeoJSON of
    data/geo/districts.geojson. Same arguments, same output.
    """
    if n_agreements and (n_bases < 2 or n_schools < 2):
        raise ValueError("agreements need at least 2 bases and 2 schools")
    today = today or dt.date.today()
    rng = np.random.default_rng(seed)
    d = _district_table(districts, geometry)
    base_d, bases = _bases(rng, d, n_bases, today)
    school_d, schools = _schools(rng, d, n_schools)
    agreements = _agreements(rng, d, base_d, school_d, bases["base_id"].to_numpy(),
                             schools["school_id"].to_numpy(), n_agreements, years, today)
    return {"bases": bases, "schools": schools, "agreements": agreements}


def write_illustrative(data_dir: Path, seed: int = DEFAULT_SEED,
                       n_bases: int = SHIPPED_SIZES["n_bases"],
                       n_schools: int = SHIPPED_SIZES["n_schools"],
                       n_agreements: int = SHIPPED_SIZES["n_agreements"],
                       geo_path: Path | None = None, today: dt.date | None = None) -> list[Path]:
    """Generate and write data_dir/illustrative/{bases,schools,agreements}.csv atomically.

    Reads data_dir/districts.csv and the boundaries (default data_dir/geo/districts.geojson).
    Never writes the real tables in data_dir.
    """
    data_dir = Path(data_dir)
    districts = pd.read_csv(data_dir / TABLES["districts"].file, dtype=str, keep_default_na=False)
    geo_path = Path(geo_path or data_dir / "geo" / "districts.geojson")
    geometry = json.loads(geo_path.read_text(encoding="utf-8"))
    tables = generate(districts, geometry, n_bases, n_schools, n_agreements, seed=seed, today=today)
    out_dir = data_dir / ILLUSTRATIVE_DIR
    out_dir.mkdir(exist_ok=True)
    if out_dir.resolve() == data_dir.resolve():
        raise ValueError(f"{out_dir} resolves to the real data directory")
    targets = [out_dir / TABLES[name].file for name in ILLUSTRATIVE_TABLES]
    for name, target in zip(ILLUSTRATIVE_TABLES, targets):
        write_atomic(target, tables[name].to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return targets


# --- places -----------------------------------------------------------------------------

def _district_table(districts: pd.DataFrame, geometry: dict) -> _Districts:
    df = districts.astype({"district_code": str, "city": str})
    df = df[df["city"].isin(CITIES)].sort_values(["city", "district_code"]).reset_index(drop=True)
    features = {str(f["properties"]["district_code"]): f["geometry"] for f in geometry["features"]}
    missing = sorted(set(df["district_code"]) - features.keys())
    if missing:
        raise ValueError(f"no boundary for district(s) {', '.join(missing)}")
    polygons = [shape(features[c]) for c in df["district_code"]]
    for p in polygons:
        shapely.prepare(p)
    city = df["city"].map({c: i for i, c in enumerate(CITIES)}).to_numpy()
    urban = np.where(df["name_zh"].astype(str).str.endswith("区"), URBAN_WEIGHT, 1.0)
    weight = np.zeros(len(df))
    for i, c in enumerate(CITIES):
        in_city = city == i
        weight[in_city] = CITY_SHARE[c] * urban[in_city] / urban[in_city].sum()
    return _Districts(
        code=df["district_code"].to_numpy(str), name_zh=df["name_zh"].to_numpy(str),
        name_en=df["name_en"].to_numpy(str), city=city,
        lon=pd.to_numeric(df["lon"]).to_numpy(float), lat=pd.to_numeric(df["lat"]).to_numpy(float),
        weight=weight / weight.sum(), polygons=polygons)


def _points_in(rng: np.random.Generator, polygons: list, district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A uniform point inside each row's district polygon (rejection sampling in the bbox).

    Points are rounded to 4 decimals before the test, so the stored point is the one inside.
    """
    lon, lat = np.empty(len(district)), np.empty(len(district))
    for i, poly in enumerate(polygons):
        rows = np.flatnonzero(district == i)
        x0, y0, x1, y1 = poly.bounds
        fill = poly.area / ((x1 - x0) * (y1 - y0))
        while len(rows):
            k = int(len(rows) / fill * 1.3) + 8
            x = np.round(rng.uniform(x0, x1, k), 4)
            y = np.round(rng.uniform(y0, y1, k), 4)
            inside = shapely.contains_xy(poly, x, y)
            x, y = x[inside][:len(rows)], y[inside][:len(rows)]
            lon[rows[:len(x)]], lat[rows[:len(y)]] = x, y
            rows = rows[len(x):]
    return lon, lat


def _institutions(rng: np.random.Generator, d: _Districts, n: int, prefix: str,
                  label_zh: str, label_en: str) -> tuple[np.ndarray, pd.DataFrame]:
    """District index per institution, and the columns bases and schools share."""
    district = rng.choice(len(d.code), size=n, p=d.weight)
    lon, lat = _points_in(rng, d.polygons, district)
    num = _numbers(n)
    frame = pd.DataFrame({
        "id": prefix + num,
        "name_zh": f"{label_zh} " + num + "（" + d.name_zh[district] + "）",
        "name_en": f"{label_en} " + num + " (" + d.name_en[district] + ")",
        "city": np.array(CITIES)[d.city[district]],
        "district_code": d.code[district],
        "lon": lon, "lat": lat,
        "geo_precision": "exact",
        "provenance": ILLUSTRATIVE,
    })
    return district, frame


def _bases(rng, d: _Districts, n: int, today: dt.date) -> tuple[np.ndarray, pd.DataFrame]:
    district, f = _institutions(rng, d, n, "ill-b-", "示例基地", "Illustrative base")
    f = f.rename(columns={"id": "base_id"})
    f["category"] = _pick(rng, CATEGORY_P, n)
    f["level"] = _pick(rng, LEVEL_P, n)
    f["designated_year"] = rng.integers(DESIGNATED_YEARS[0], min(DESIGNATED_YEARS[1], today.year) + 1, n)
    return district, f[TABLES["bases"].column_names]


def _schools(rng, d: _Districts, n: int) -> tuple[np.ndarray, pd.DataFrame]:
    district, f = _institutions(rng, d, n, "ill-s-", "示例学校", "Illustrative school")
    f = f.rename(columns={"id": "school_id"})
    f["stage"] = _pick(rng, STAGE_P, n)
    return district, f[TABLES["schools"].column_names]


def _pick(rng: np.random.Generator, p: dict[str, float], n: int) -> np.ndarray:
    return np.array(list(p))[rng.choice(len(p), size=n, p=list(p.values()))]


def _numbers(n: int, width: int = 4) -> pd.Series:
    """'0001', '0002', ... zero-padded to at least `width` digits, so ids sort in order."""
    return pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(max(width, len(str(n))))


# --- agreements -------------------------------------------------------------------------

class _Pool:
    """Institutions of one type grouped by district, to draw partners by place quickly."""

    def __init__(self, d: _Districts, district: np.ndarray):
        n_d = len(d.code)
        self.order = np.argsort(district, kind="stable")
        self.count = np.bincount(district, minlength=n_d)
        self.start = np.cumsum(self.count) - self.count
        city_count = np.bincount(d.city, weights=self.count, minlength=len(CITIES)).astype(int)
        self.city_start = np.cumsum(city_count) - city_count
        self.city_count = city_count
        self.near = self._nearest(d)

    def _nearest(self, d: _Districts) -> np.ndarray:
        """Per district, the len(NEAR_P) nearest same-city districts that hold members (-1: none)."""
        dist = np.hypot(d.lon[:, None] - d.lon[None, :], d.lat[:, None] - d.lat[None, :])
        usable = (d.city[:, None] == d.city[None, :]) & (self.count[None, :] > 0)
        dist = np.where(usable, dist, np.inf)
        ranked = np.argsort(dist, axis=1, kind="stable")
        n_ok = usable.sum(axis=1)
        cols = np.arange(len(NEAR_P))[None, :] % np.maximum(n_ok, 1)[:, None]  # cycle if fewer
        near = np.take_along_axis(ranked, cols, axis=1)
        return np.where(n_ok[:, None] > 0, near, -1)

    def draw(self, rng: np.random.Generator, district: np.ndarray, city: np.ndarray,
             cross: np.ndarray) -> np.ndarray:
        """A member per row: in the other city when `cross`, else near `district`."""
        n = len(district)
        u = rng.random(n)
        target = self.near[district, rng.choice(len(NEAR_P), size=n, p=NEAR_P)]
        pos = self.start[target] + (u * self.count[target]).astype(np.int64)
        other = 1 - city  # CITIES holds exactly two
        pos_cross = self.city_start[other] + (u * self.city_count[other]).astype(np.int64)
        pos = np.where(cross, pos_cross, pos)
        # No member where we looked (a city without any): take anyone.
        empty = np.where(cross, self.city_count[other] == 0, target < 0)
        pos[empty] = (u[empty] * len(self.order)).astype(np.int64)
        return self.order[pos]


def _agreements(rng, d: _Districts, base_d: np.ndarray, school_d: np.ndarray,
                base_ids: np.ndarray, school_ids: np.ndarray, n: int,
                years: tuple[int, int], today: dt.date) -> pd.DataFrame:
    kinds = np.array(list(KIND_P))[rng.choice(len(KIND_P), size=n, p=list(KIND_P.values()))]
    cross = rng.random(n) < CROSS_CITY_P
    bases, schools = _Pool(d, base_d), _Pool(d, school_d)
    ids = np.concatenate([base_ids, school_ids])
    n_b = len(base_ids)
    party_a, party_b = np.empty(n, np.int64), np.empty(n, np.int64)
    # kind: districts of the party-a candidates, their offset in `ids`, party-b pool, its offset
    plans = {"base_school": (base_d, 0, schools, n_b),
             "base_base": (base_d, 0, bases, 0),
             "other": (school_d, n_b, schools, n_b)}
    for kind, (a_district, off_a, pool_b, off_b) in plans.items():
        rows = np.flatnonzero(kinds == kind)
        a = rng.integers(0, len(a_district), len(rows))
        where = (a_district[a], d.city[a_district[a]], cross[rows])
        b = pool_b.draw(rng, *where)
        if off_a == off_b:  # both parties from one pool
            b = _not_self(rng, pool_b, a, b, where)
        party_a[rows], party_b[rows] = a + off_a, b + off_b
    signed = _dates(rng, n, years, today)
    order = np.argsort(signed, kind="stable")  # ids follow signing order
    return pd.DataFrame({
        "agreement_id": "ill-a-" + _numbers(n, 6),
        "kind": kinds[order],
        "party_a_id": ids[party_a[order]],
        "party_b_id": ids[party_b[order]],
        "signed_on": np.datetime_as_string(signed[order], unit="D"),
        "event_id": pd.Series(None, index=range(n), dtype="str"),
        "title": TITLE,
        "provenance": ILLUSTRATIVE,
    })[TABLES["agreements"].column_names]


def _not_self(rng, pool: _Pool, a: np.ndarray, b: np.ndarray, where: tuple) -> np.ndarray:
    """Redraw party b where it is party a: a few times by the place rule, then anyone else."""
    for _ in range(10):
        clash = np.flatnonzero(b == a)
        if not len(clash):
            return b
        b[clash] = pool.draw(rng, *(w[clash] for w in where))
    clash = b == a
    b[clash] = (a[clash] + 1 + rng.integers(0, len(pool.order) - 1, clash.sum())) % len(pool.order)
    return b


def _dates(rng: np.random.Generator, n: int, years: tuple[int, int], today: dt.date) -> np.ndarray:
    """Signing days, growing year by year, never after `today`."""
    first, last = years
    starts = np.array([f"{y}-01-01" for y in range(first, last + 2)], dtype="datetime64[D]")
    ends = np.minimum(starts[1:], np.datetime64(today, "D") + 1)
    days = np.maximum((ends - starts[:-1]).astype(np.int64), 0)
    weight = YEAR_GROWTH ** np.arange(len(days)) * days / 365.0
    if weight.sum() == 0:
        raise ValueError(f"no day in {first}–{last} is on or before {today}")
    year = rng.choice(len(days), size=n, p=weight / weight.sum())
    return starts[year] + (rng.random(n) * days[year]).astype(np.int64)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from analysis.core.loading import default_data_dir

    parser = argparse.ArgumentParser(prog="python -m tools.illustrative",
                                     description="rewrite DATA_DIR/illustrative/*.csv (made-up records)")
    parser.add_argument("data_dir", nargs="?", type=Path, default=default_data_dir())
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in write_illustrative(args.data_dir, seed=args.seed):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
