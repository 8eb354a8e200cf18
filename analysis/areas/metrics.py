"""District density metrics: how much cooperation touches each district, raw and normalised.

One implementation for every page (the map colours districts with it; other pages reuse
`district_metrics`). `db` is anything with `.query(name, **params)` and `.query_many(calls)`: an
analysis.core.db.Database, or a page's cached wrapper around it.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

METRICS = ("agreements", "agreements_per_100_institutions", "agreements_per_100k", "institutions")
COLUMNS = ["district_code", "name_zh", "name_en", "city", "population", "population_year",
           "agreements", "institutions", "bases", "schools",
           "agreements_per_100_institutions", "agreements_per_100k"]


class Queries(Protocol):
    def query(self, name: str, **params) -> pd.DataFrame: ...

    def query_many(self, calls: list[tuple[str, dict]]) -> list[pd.DataFrame]: ...


def district_metrics(db: Queries, filters_params: dict, year: int | None = None,
                     cumulative: bool = True) -> pd.DataFrame:
    """One row per district of the selected cities (all of them, zeros included).

    filters_params: the shared filters as SQL parameters (analysis.core.filters.Filters.sql_params()).
    year=None: agreements signed anywhere in the filter's years (`cumulative` is then ignored).
    year=Y, cumulative=True: signed from the filter's first year up to and including Y.
    year=Y, cumulative=False: signed in Y only (zero everywhere if Y is outside the filter's years).

    Columns:
    - district_code, name_zh, name_en, city; population (Int64, <NA> when unknown) and
      population_year, from data/districts.csv;
    - agreements: agreements touching the district (either party located in it; one that joins
      two institutions of the same district counts once);
    - institutions, bases, schools: institutions located in the district under the city and
      illustrative filters. They do not depend on the year (the data has no founding year for
      schools). Institutions known only to city level (no district_code) are in no district:
      they count for their city (see city_totals), and their agreements touch no district;
    - agreements_per_100_institutions = agreements * 100 / institutions (NaN if no institution);
    - agreements_per_100k = agreements * 100,000 / population (NaN if population unknown or 0).
    """
    if year is None:
        year, cumulative = int(filters_params["year_to"]), True
    return district_metrics_by_year(db, filters_params, cumulative, years=[year]).drop(columns="year")


def district_metrics_by_year(db: Queries, filters_params: dict, cumulative: bool = True,
                             years: list[int] | None = None) -> pd.DataFrame:
    """district_metrics for several years at once (default: every year of the filter), with a
    `year` column: two queries in all, which the map's year-by-year animation needs."""
    if years is None:
        years = list(range(int(filters_params["year_from"]), int(filters_params["year_to"]) + 1))
    districts, counts = db.query_many(metric_calls(filters_params))
    return metrics_for_years(districts, counts, years, cumulative)


def metric_calls(filters_params: dict) -> list[tuple[str, dict]]:
    """The two queries metrics_for_years reads (for a caller that runs them with others)."""
    return [("areas/districts", filters_params), ("areas/district_agreements", filters_params)]


def metrics_for_years(districts: pd.DataFrame, counts: pd.DataFrame, years: list[int],
                      cumulative: bool) -> pd.DataFrame:
    """The metrics from the two query results (map_districts, map_district_agreements)."""
    # each count's district row, summed per year with bincount (pivot_table took most of this)
    row = pd.Index(districts["district_code"].astype(str)).get_indexer(counts["district_code"].astype(str))
    counted, year_of = row >= 0, counts["year"].to_numpy()
    n = counts["agreements"].to_numpy(np.int64)
    frames = []
    for year in years:
        sel = counted & ((year_of <= year) if cumulative else (year_of == year))
        agreements = np.bincount(row[sel], weights=n[sel], minlength=len(districts)).astype(np.int64)
        frames.append(districts.assign(year=int(year), agreements=agreements))
    out = pd.concat(frames, ignore_index=True) if frames else districts.assign(year=[], agreements=[])
    return add_ratios(out)[["year", *COLUMNS]]


def rate(numerator: pd.Series, denominator: pd.Series, scale: int) -> np.ndarray:
    """numerator * scale / denominator, NaN where the denominator is unknown or 0: the rule of
    every per-100-institutions and per-100,000-residents figure (map and compare)."""
    num = pd.to_numeric(numerator, errors="coerce").astype("float64").to_numpy()
    den = pd.to_numeric(denominator, errors="coerce").astype("Float64").fillna(0).astype("float64").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num * scale / den, np.nan)


def add_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """agreements_per_100_institutions and agreements_per_100k, NaN where undefined."""
    per_inst = rate(frame["agreements"], frame["institutions"], 100)
    per_pop = rate(frame["agreements"], frame["population"], 100_000)
    return frame.assign(
        population=pd.array(frame["population"], dtype="Int64"),
        population_year=pd.array(frame["population_year"], dtype="Int64"),
        agreements=frame["agreements"].astype("int64"),
        institutions=frame["institutions"].astype("int64"),
        bases=frame["bases"].astype("int64"), schools=frame["schools"].astype("int64"),
        agreements_per_100_institutions=per_inst, agreements_per_100k=per_pop)


def city_totals(db: Queries, filters_params: dict) -> pd.DataFrame:
    """Per selected city over the filter's years: institutions (bases, schools), of which known
    only to city level, and agreements touching the city (of which with such a party): the
    filter's years of areas/city_year_totals, summed."""
    per_year = db.query("areas/city_year_totals", **filters_params)
    first, total = ("institutions", "bases", "schools", "city_level_institutions"), ("agreements", "city_level_agreements")
    return (per_year.groupby("city", sort=True)   # institutions do not depend on the year
            .agg(**{c: (c, "first") for c in first}, **{c: (c, "sum") for c in total})
            .reset_index())
