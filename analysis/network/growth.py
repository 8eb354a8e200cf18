"""The network year by year across the filter's range: nodes, edges, components, the largest
component's share of the nodes and the share of cross-city edges, each year counted
cumulatively (everything signed up to that year) or for that year alone."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.areas.metrics import Queries
from analysis.network.data import FILTER_KEYS
from analysis.network.measures import components

COLUMNS = ["year", "nodes", "edges", "components", "largest_share", "cross_share"]


def growth(db: Queries, params: dict, cumulative: bool) -> pd.DataFrame:
    """One row per year of params' range (years with no agreement included, as zeros)."""
    params = {k: params[k] for k in FILTER_KEYS}
    # one row per pair (its first year) or per pair and year: each year's pairs are distinct
    rows = db.query("network/pair_first_years" if cumulative else "network/pair_years", **params)
    year_of = rows["year"].to_numpy()
    out = []
    for year in range(int(params["year_from"]), int(params["year_to"]) + 1):
        part = rows[year_of <= year] if cumulative else rows[year_of == year]
        ids, inverse = np.unique(np.concatenate([part["a"], part["b"]]), return_inverse=True)
        n, m = len(ids), len(part)
        comp = components(n, inverse[:m], inverse[m:])
        out.append((year, n, m, int(comp.max()) if n else 0,
                    float(np.bincount(comp).max() / n) if n else 0.0,
                    float(part["cross_city"].mean()) if m else 0.0))
    return pd.DataFrame(out, columns=COLUMNS)
