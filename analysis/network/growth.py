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
    year_of, a, b = (rows[c].to_numpy() for c in ("year", "a", "b"))
    cross = rows["cross_city"].to_numpy(bool)
    total = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    # a node is in the network from the first year one of its pairs is
    first = np.full(total, np.iinfo(np.int64).max)
    for year in np.unique(year_of)[::-1]:        # the latest first, so the earliest stays
        sel = year_of == year
        first[a[sel]] = first[b[sel]] = year
    out = []
    for year in range(int(params["year_from"]), int(params["year_to"]) + 1):
        sel = year_of <= year if cumulative else year_of == year
        m = int(sel.sum())
        present = first <= year if cumulative else np.isin(np.arange(total), np.concatenate([a[sel], b[sel]]))
        n = int(present.sum())
        comp = components(total, a[sel], b[sel])[present]   # nodes not yet present left out
        sizes = np.bincount(comp) if n else np.zeros(1, dtype=np.int64)
        out.append((year, n, m, int((sizes > 0).sum()) if n else 0,
                    float(sizes.max() / n) if n else 0.0, float(cross[sel].mean()) if m else 0.0))
    return pd.DataFrame(out, columns=COLUMNS)
