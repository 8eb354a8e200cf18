"""Everything the cooperation map's figure and side panel show, gathered from the named
queries for one view, and shaped per animation frame (one frame per year of the filter's range).

Size limits keep the figure small enough for a projector laptop at any data size: above
ARC_DETAIL_LIMIT agreements the arcs are aggregated by place pair in DuckDB (width by count)
and each frame draws at most LINK_LIMIT links; at most MARKER_LIMIT institutions are drawn,
the most connected first. Everything left out is still counted in the district colours, the
city totals and the side panel.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.areas.metrics import Queries, metric_calls, metrics_for_years
from analysis.map.view import MapView, clamp_year, parse_selection

ARC_DETAIL_LIMIT = 2000   # up to this many agreements, one arc per agreement
LINK_LIMIT = 400          # aggregated links drawn per frame, the strongest first
MARKER_LIMIT = 2000       # institution markers drawn: bases and schools by turns, busiest first
SELECTION_LIMIT = 500     # rows listed in the side panel
FILTER_KEYS = ("year_from", "year_to", "cities", "kinds", "include_illustrative")


@dataclass
class MapData:
    years: list[int]                  # one animation frame per year
    view: MapView
    metrics: pd.DataFrame             # district_metrics_by_year: one row per district and year
    arc_mode: str                     # "detail" (one arc per agreement), "pairs" (aggregated), "none"
    arc_agreements: int               # agreements the arcs stand for, before any limit
    arcs: pd.DataFrame                # one row per arc and frame (detail: arcs_by_frame; pairs: map_arc_links)
    markers: pd.DataFrame             # map_institution_markers (at most MARKER_LIMIT)
    markers_total: int                # institutions located in a district, before the limit
    city_level: pd.DataFrame          # map_city_level: one group per city
    outside: list[str]                # drawn districts with no row here (city not selected)
    selection_agreements: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection_partners: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def links_shown(self) -> dict[int, tuple[int, int]]:
        """Per frame (pairs mode): (links drawn, links in all)."""
        if self.arc_mode != "pairs" or self.arcs.empty:
            return {}
        g = self.arcs.groupby("frame")
        return {int(y): (int(n), int(t)) for y, n, t in
                zip(g.size().index, g.size(), g["links_in_frame"].first())}


def load_map_data(db: Queries, params: dict, view: MapView, all_codes: list[str],
                  arcs: bool = True, marker_limit: int = MARKER_LIMIT) -> MapData:
    """Run the map's queries for these filters (analysis.core.filters.Filters.sql_params()) and view.

    all_codes: every district code drawn on the map (the GeoJSON's feature ids), so districts
    of cities outside the filter are still outlined. arcs=False: no arcs (arc_mode "none");
    marker_limit: institutions drawn (0: none and none counted, so no ranking to pay for).
    """
    params = {k: params[k] for k in FILTER_KEYS}
    years = list(range(int(params["year_from"]), int(params["year_to"]) + 1))
    view = replace(view, year=clamp_year(view.year, (years[0], years[-1])))
    arc_params = {**params, "cross_only": view.cross_only}
    calls = {**dict(zip(("districts", "counts"), metric_calls(params))),
             "markers": ("map/institution_markers", {**params, "limit": marker_limit}),
             "city_level": ("map/city_level", params)}
    if arcs:
        calls["n_arcs"] = ("map/arc_count", arc_params)
    calls |= selection_calls(params, view.selection)
    got = dict(zip(calls, db.query_many(list(calls.values()))))   # none needs another's answer
    metrics = metrics_for_years(got["districts"], got["counts"], years, view.cumulative)
    n_arcs = int(got["n_arcs"].iloc[0, 0]) if arcs else 0
    if not arcs:
        mode, frames = "none", pd.DataFrame({c: pd.Series(dtype="int64") for c in ("year", "frame")})
    elif n_arcs <= ARC_DETAIL_LIMIT:
        mode = "detail"
        frames = arcs_by_frame(db.query("map/arc_list", **arc_params, limit=ARC_DETAIL_LIMIT),
                               years, view.cumulative)
    else:
        mode, frames = "pairs", db.query("map/arc_links", **arc_params, cumulative=view.cumulative,
                                         limit=LINK_LIMIT)
    markers = got["markers"]
    data = MapData(
        years=years, view=view, metrics=metrics, arc_mode=mode, arc_agreements=n_arcs,
        arcs=frames,
        markers=markers, markers_total=int(markers["total"].iloc[0]) if len(markers) else 0,
        city_level=got["city_level"],
        outside=sorted(set(all_codes) - set(metrics["district_code"])),
    )
    return _selected(data, got)


def selection_calls(params: dict, selection: str | None) -> dict[str, tuple[str, dict]]:
    """The side panel's two queries for a selection (none without one)."""
    chosen = parse_selection(selection)
    if not chosen:
        return {}
    sel = {**{k: params[k] for k in FILTER_KEYS}, "sel_kind": chosen[0], "sel_value": chosen[1],
           "limit": SELECTION_LIMIT}
    return {"sel_agreements": ("map/selection_agreements", sel),
            "sel_partners": ("map/selection_partners", sel)}


def for_view(db: Queries, params: dict, shared: MapData, view: MapView) -> MapData:
    """The data of `view` from that of view.shared(): its metric, year and selection put back,
    and the selection's side panel queried (all a click on the map runs)."""
    calls = selection_calls(params, view.selection)
    data = replace(shared, view=replace(shared.view, metric=view.metric, year=view.year,
                                        selection=view.selection))
    return _selected(data, dict(zip(calls, db.query_many(list(calls.values())))))


def _selected(data: MapData, got: dict) -> MapData:
    if "sel_agreements" not in got:
        return data
    return replace(data, selection_agreements=got["sel_agreements"], selection_partners=got["sel_partners"])


def arcs_by_frame(rows: pd.DataFrame, years: list[int], cumulative: bool) -> pd.DataFrame:
    """The arcs each frame draws, with a `frame` column (the frame's year): one row per
    agreement (map_arc_list) signed in the frame's year (per-year) or up to it (cumulative)."""
    frames = [(rows[rows["year"] <= year] if cumulative else rows[rows["year"] == year]).assign(frame=year)
              for year in years]
    if not frames:
        return rows.assign(frame=pd.Series(dtype="int64"))
    return pd.concat(frames, ignore_index=True)
