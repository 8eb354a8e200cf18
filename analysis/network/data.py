"""The network of one view, from DuckDB: its nodes (institutions with at least one agreement),
its edges (agreements summed per institution pair: the graph library never sees single
agreements) and the institutions left out because they have none.

The pairs travel as two integer columns, the institutions' numbers in the database; here they
are renumbered 0..n-1 over the nodes, in the same (id) order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.areas.metrics import Queries
from analysis.network.view import NetworkView

FILTER_KEYS = ("year_from", "year_to", "cities", "kinds", "include_illustrative")
ISOLATED_LIMIT = 500   # institutions without agreements listed (all are counted)
ISOLATED_COLUMNS = ["id", "type", "subtype", "name_zh", "name_en", "city", "district_code",
                    "district_zh", "district_en", "illustrative"]


@dataclass(frozen=True)
class NetworkData:
    span: tuple[int, int]       # the years whose agreements are in the network
    nodes: pd.DataFrame         # one row per institution with an agreement, row i has ix == i
    pairs: pd.DataFrame         # network/pairs: a < b (node numbers), agreements,
    #                             illustrative_agreements, first_year, cross_city; unordered
    isolated: pd.DataFrame      # selected institutions without agreement: at most ISOLATED_LIMIT rows
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
    return numbered((p["year_from"], p["year_to"]), institutions(db, p), db.query("network/pairs", **p))


def institutions(db: Queries, params: dict) -> pd.DataFrame:
    """network/institutions: every institution, row i numbered ix == i, as the pairs number them."""
    return db.query("network/institutions", cities=params["cities"],
                    include_illustrative=params["include_illustrative"])


def cross_city(everyone: pd.DataFrame, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair (a[i], b[i], institution numbers) joins the two cities."""
    codes, cities = pd.factorize(everyone["city"])
    # small codes: looked up 2 x 10M times, an int16 table stays in the CPU's cache (5x faster)
    city = codes.astype(np.int16 if len(cities) < 2 ** 15 else np.int64)
    return city[a] != city[b]


def numbered(span: tuple[int, int], everyone: pd.DataFrame, pairs: pd.DataFrame) -> NetworkData:
    """The institutions some pair holds become the nodes 0..n-1 (everyone's row i has ix i)."""
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    present = np.zeros(len(everyone), dtype=bool)
    present[a] = present[b] = True
    # int32: 2 x 10M numbers gathered from a table half the size into arrays half the size
    # (0.54 s -> 0.19 s at 10M pairs); there are far fewer than 2**31 institutions
    number = (np.cumsum(present) - 1).astype(np.int32)
    nodes = everyone[present].drop(columns="selected").reset_index(drop=True)
    nodes["ix"] = np.arange(len(nodes), dtype=np.int64)
    left_out = everyone[everyone["selected"].to_numpy() & ~present]
    # a new frame over the columns' own arrays (assign would copy them: 0.4 s at 10M pairs)
    renumbered = pd.DataFrame({"a": number[a], "b": number[b],
                               **{c: pairs[c].to_numpy() for c in pairs.columns if c not in ("a", "b")},
                               "cross_city": cross_city(everyone, a, b)}, copy=False)
    return NetworkData(
        span=span, nodes=nodes, pairs=renumbered,
        isolated=left_out.sort_values(["city", "type", "id"]).head(ISOLATED_LIMIT)[ISOLATED_COLUMNS]
        .reset_index(drop=True),
        isolated_total=len(left_out),
    )
