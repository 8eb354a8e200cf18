"""Benchmark case for the cooperation map (picked up by `python -m tools.bench.run`).

What a filter change costs the map page, uncached: the map's queries, building the figure,
and turning it into the JSON Streamlit sends (as st.plotly_chart does), plus that JSON's size.
Measured for the default view (widest filters, cumulative, last year) and with a district
selected (the side panel's two extra queries and the highlight).
"""
from __future__ import annotations

import statistics
import time

import plotly.io as pio

from analysis.core import geo
from analysis.core.db import Database
from analysis.core.loading import Dataset
from analysis.map.data import load_map_data
from analysis.map.figure import cooperation_map
from analysis.map.view import MapView
from tools.bench.pandas_queries import Params
from tools.bench.run import register_case

RUNS = 3
SELECTED_DISTRICT = "d:510104"  # Jinjiang, Chengdu


def measure_map(db: Database, params: dict, view: MapView, runs: int = RUNS) -> dict:
    """Median seconds for queries, figure and JSON over `runs` runs, and the JSON's size."""
    codes = [f["id"] for f in geo.districts_geojson()["features"]]
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        data = load_map_data(db, params, view, codes)
        t1 = time.perf_counter()
        fig = cooperation_map(data, "zh", served=geo.served_districts())  # as the page draws it
        t2 = time.perf_counter()
        payload = pio.to_json(fig.to_dict(), validate=False)  # what st.plotly_chart sends
        t3 = time.perf_counter()
        timings.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
    total, queries, figure, to_json = (statistics.median(col) for col in zip(*timings))
    return {"compute_s": total, "queries_s": queries, "figure_s": figure, "json_s": to_json,
            "payload_mb": len(payload.encode("utf-8")) / 1e6, "arcs": data.arc_mode,
            "markers": len(data.markers), "frames": len(fig.frames)}


def _filters() -> dict:
    """The bench's shared filters (widest view), without its extra `limit`."""
    p = Params()
    return {"year_from": p.year_from, "year_to": p.year_to, "cities": list(p.cities),
            "kinds": list(p.kinds), "include_illustrative": p.include_illustrative}


@register_case
def map_page(db: Database, dataset: Dataset) -> dict:
    """Filter change to figure ready, default view."""
    params = _filters()
    return measure_map(db, params, MapView(year=params["year_to"]))


@register_case
def map_page_selected(db: Database, dataset: Dataset) -> dict:
    """Filter change to figure ready, with a district selected (side panel queries included)."""
    params = _filters()
    return measure_map(db, params, MapView(year=params["year_to"], selection=SELECTED_DISTRICT))
