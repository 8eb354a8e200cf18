"""Benchmark case for the cooperation network (picked up by `python -m tools.bench.run`).

What a filter change costs the network page, uncached, for the default view (widest
filters, cumulative up to the last year): the DuckDB queries (institutions, pairs), the
measures (igraph and networkx on the analysed part, exact counts and components on all
pairs), the growth chart's data, the drawing in each layout and its JSON (as
st.plotly_chart sends it), and the GEXF export (built for the whole network on the download
button's click).
"""
from __future__ import annotations

import statistics
import time

import plotly.io as pio

from analysis.core.db import Database
from analysis.core.loading import Dataset
from analysis.network.data import load_network
from analysis.network.export import PAGE_EDGE_LIMIT, build_graph, gexf_bytes
from analysis.network.figures import growth_figure, network_figure
from analysis.network.growth import growth
from analysis.network.measures import compute
from analysis.network.view import NetworkView
from tools.bench.map import _filters
from tools.bench.run import register_case

RUNS = 3


def _median(fn, runs: int = RUNS):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


@register_case
def network_page(db: Database, dataset: Dataset) -> dict:
    """Filter change to figures ready, default view, force layout (geo measured apart)."""
    params = _filters()
    view = NetworkView(year=params["year_to"])
    queries_s, data = _median(lambda: load_network(db, params, view))
    measures_s, measures = _median(lambda: compute(data))
    growth_s, rows = _median(lambda: growth(db, params, True))
    force_s, payload = _median(lambda: pio.to_json(
        network_figure(measures, data.pairs, "force", "city", "zh", "").to_dict(), validate=False))
    geo_s, _ = _median(lambda: pio.to_json(
        network_figure(measures, data.pairs, "geo", "community", "zh", "").to_dict(), validate=False))
    chart_s, _ = _median(lambda: pio.to_json(growth_figure(rows, True, "zh").to_dict(), validate=False))
    return {"page_s": queries_s + measures_s + growth_s + force_s + chart_s,
            "queries_s": queries_s, "measures_s": measures_s, "growth_s": growth_s,
            "force_fig_json_s": force_s, "geo_fig_json_s": geo_s, "growth_chart_s": chart_s,
            "payload_mb": len(payload.encode("utf-8")) / 1e6, "nodes": len(data.nodes),
            "edges": len(data.pairs), "analysed_nodes": measures.summary["analysed_nodes"],
            "analysed_edges": measures.summary["analysed_edges"]}


@register_case
def network_export(db: Database, dataset: Dataset) -> dict:
    """GEXF of the whole network of the default view, as the download button builds it; not
    measured above export.PAGE_EDGE_LIMIT pairs, where the page points to the command line."""
    params = _filters()
    data = load_network(db, params, NetworkView(year=params["year_to"]))
    if len(data.pairs) > PAGE_EDGE_LIMIT:
        return {"pairs": len(data.pairs), "gexf": "command line only"}
    measures = compute(data)
    started = time.perf_counter()
    content = gexf_bytes(build_graph(data, measures, params))
    return {"gexf_s": time.perf_counter() - started, "gexf_mb": len(content) / 1e6}
