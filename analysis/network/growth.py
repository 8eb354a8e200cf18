"""The network year by year across the filter's range: nodes, edges, components, the largest
component's share of the nodes and the share of cross-city edges, each year counted
cumulatively (everything signed up to that year) or for that year alone."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.areas.metrics import Queries
from analysis.network.data import FILTER_KEYS, NetworkData, cross_city, institutions
from analysis.network.measures import joined

COLUMNS = ["year", "nodes", "edges", "components", "largest_share", "cross_share"]


def growth(db: Queries, params: dict, cumulative: bool, network: NetworkData | None = None) -> pd.DataFrame:
    """One row per year of params' range (years with no agreement included, as zeros).
    network: the view's network; when it spans the range, its pairs (each with its first year)
    are the cumulative growth's, and the query is not run again."""
    params = {k: params[k] for k in FILTER_KEYS}
    years = range(int(params["year_from"]), int(params["year_to"]) + 1)
    if cumulative and network is not None and network.span == (years[0], years[-1]):
        rows = network.pairs.rename(columns={"first_year": "year"})
        cross = rows["cross_city"].to_numpy(bool)
    else:   # one row per pair (its first year) or per pair and year: each year's pairs are distinct
        rows = db.query("network/pair_first_years" if cumulative else "network/pair_years", **params)
        cross = cross_city(institutions(db, params), rows["a"].to_numpy(), rows["b"].to_numpy())
    return growth_table(rows["year"].to_numpy(), rows["a"].to_numpy(), rows["b"].to_numpy(),
                        cross, years, cumulative)


def growth_table(year_of: np.ndarray, a: np.ndarray, b: np.ndarray, cross: np.ndarray,
                 years: range, cumulative: bool) -> pd.DataFrame:
    """The growth rows from the pairs: pair i joins nodes a[i] and b[i] in year_of[i]."""
    total = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    # a node is in the network from the first year one of its pairs is
    first = np.full(total, np.iinfo(np.int64).max)
    for year in np.unique(year_of)[::-1]:        # the latest first, so the earliest stays
        sel = year_of == year
        first[a[sel]] = first[b[sel]] = year
    group = np.arange(total)   # cumulative: each node's component so far
    out = []
    for year in years:
        if cumulative:
            new = year_of <= year if year == years.start else year_of == year
            group, sel, present = joined(group, a[new], b[new]), year_of <= year, first <= year
        else:
            sel = year_of == year
            present = np.zeros(total, dtype=bool)
            present[a[sel]] = present[b[sel]] = True
            group = joined(np.arange(total), a[sel], b[sel])
        m, n = int(sel.sum()), int(present.sum())
        sizes = np.bincount(group[present]) if n else np.zeros(1, dtype=np.int64)   # nodes not yet present left out
        out.append((year, n, m, int((sizes > 0).sum()) if n else 0,
                    float(sizes.max() / n) if n else 0.0, float(cross[sel].mean()) if m else 0.0))
    return pd.DataFrame(out, columns=COLUMNS)
