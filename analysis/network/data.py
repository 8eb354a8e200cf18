"""The network of one view, from DuckDB: its nodes (institutions with at least one agreement),
its edges (agreements summed per institution pair: the graph library never sees single
agreements) and the institutions left out because they have none.

Nodes are numbered 0..n-1 by id in SQL, so the pairs travel as two integer columns.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.areas.metrics import Queries
from analysis.network.view import NetworkView

FILTER_KEYS = ("year_from", "year_to", "cities", "kinds", "include_illustrative")
ISOLATED_LIMIT = 500   # institutions without agreements listed (all are counted)


@dataclass(frozen=True)
class NetworkData:
    span: tuple[int, int]       # the years whose agreements are in the network
    nodes: pd.DataFrame         # network/nodes: one row per institution, row i has ix == i
    pairs: pd.DataFrame         # network/pairs: a < b (node numbers), agreements, cross_city
    isolated: pd.DataFrame      # network/isolated: at most ISOLATED_LIMIT rows
    isolated_total: int

    @property
    def agreements(self) -> int:
        return int(self.pairs["agreements"].sum())

    @property
    def illustrative_agreements(self) -> int:
        return int(self.pairs["illustrative_agreements"].sum())


def span_params(params: dict, view: NetworkView) -> dict:
    """The shared filters narrowed to the view's years (cumulative up to its year, or that year)."""
    params = {k: params[k] for k in FILTER_KEYS}
    year = min(max(view.year, int(params["year_from"])), int(params["year_to"]))
    start = int(params["year_from"]) if view.cumulative else year
    return {**params, "year_from": start, "year_to": year}


def load_network(db: Queries, params: dict, view: NetworkView) -> NetworkData:
    """params: the shared filters (analysis.core.filters.Filters.sql_params())."""
    p = span_params(params, view)
    isolated = db.query("network/isolated", **p, limit=ISOLATED_LIMIT)
    return NetworkData(
        span=(p["year_from"], p["year_to"]),
        nodes=db.query("network/nodes", **p).reset_index(drop=True),
        pairs=db.query("network/pairs", **p),
        isolated=isolated.drop(columns="total"),
        isolated_total=int(isolated["total"].iloc[0]) if len(isolated) else 0,
    )
