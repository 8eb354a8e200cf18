"""Benchmark case for the compare page (run by `make bench` via tools.bench.run's registry).

Times what the page computes across all its sections (uncached: every query runs; the page
shows one section at a time, so this is the cost of visiting each once), and the partner
finder and the "no base nearby" gap on their own, as they rerun when their controls move.
"""
from __future__ import annotations

from analysis.compare import data as compare
from analysis.compare.view import GAP_KM, PARTNER_KM, TOP
from analysis.core.db import Database
from analysis.core.loading import Dataset
from analysis.core.schema import STAGES
from tools.bench.pandas_queries import Params
from tools.bench.run import median_ms, register_case

RUNS = 3


def all_sections(db: Database, params: dict) -> None:
    """Every query of the compare page's sections, as pages/compare.py issues them."""
    compare.area_metrics(db, params)
    base = db.query("compare/bases", **params)["base_id"].iloc[0]
    for name in ("core/events", "core/agreements_by_year_pair", "compare/city_flows",
                 "compare/gap_idle_districts", "compare/gap_idle_bases"):
        db.query(name, **params)
    far_schools(db, params)
    partner_finder(db, params, base)


def far_schools(db: Database, params: dict) -> None:
    db.query("compare/gap_far_schools", **params, max_km=float(GAP_KM[2]))


def partner_finder(db: Database, params: dict, base_id: str) -> None:
    db.query("compare/partners", **params, base_id=base_id, stages=list(STAGES),
             max_km=float(PARTNER_KM[2]), scope="any", top=TOP[2])


@register_case
def compare_page(db: Database, dataset: Dataset) -> dict[str, float]:
    params = Params().as_sql()
    base = db.query("compare/bases", **params)["base_id"].iloc[0]
    return {
        "all_sections_ms": median_ms(lambda: all_sections(db, params), RUNS),
        "area_metrics_ms": median_ms(lambda: compare.area_metrics(db, params), RUNS),
        "far_schools_ms": median_ms(lambda: far_schools(db, params), RUNS),
        "partner_finder_ms": median_ms(lambda: partner_finder(db, params, base), RUNS),
    }
