"""Cooperation network: hubs, cross-city brokers and bridges, communities, growth year by year,
one institution's neighbourhood, and exports for Gephi and VOSviewer. UI only: the numbers,
figures, tables and files come from analysis/network/."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.core import display, i18n
from analysis.network import export, figures, tables
from analysis.network.data import load_network
from analysis.network.growth import growth
from analysis.network.measures import busiest, compute, neighbourhood
from analysis.network.view import COLORS, LAYOUTS, PERIODS, NetworkView
from pages import shell, ui
from pages.shell import Context

FOCUS_OPTIONS = 5000               # institutions offered in the neighbourhood box, busiest first
PAIR_QUERIES = ("network/pairs", "network/pair_years", "network/pair_first_years")


@dataclass(frozen=True)
class _Sources:
    """The network's queries: the pairs (up to one per agreement, or per pair and year) straight
    from DuckDB, kept in what is made of them (_network, the growth chart); the institution list
    kept as it is (_institutions), since neither the years nor the view change it (~50 ms to
    query at 1M agreements, ~30 ms to copy out of st.cache_data)."""
    ctx: Context

    def query(self, name: str, **params) -> pd.DataFrame:
        if name == "network/institutions":
            return _institutions(self.ctx.db, self.ctx.db.version, tuple(params["cities"]),
                                 params["include_illustrative"])
        if name in PAIR_QUERIES:
            return self.ctx.db.query(name, **params)
        return self.ctx.query(name, **params)


@st.cache_resource(max_entries=8, ttl=1800, show_spinner=False)   # shared, never modified
def _institutions(_db, version: str, cities: tuple, include_illustrative: bool) -> pd.DataFrame:
    return _db.query("network/institutions", cities=list(cities), include_illustrative=include_illustrative)


# Cached per data version and view (cache_resource: shared, not copied on every rerun; the
# results are never modified). At 1M agreements a first computation takes seconds, then
# every toggle, table and download of that view is served from here.
@st.cache_resource(max_entries=8, ttl=1800, show_spinner=False)
def _network(_sources: _Sources, version: str, params_json: str, year: int, period: str):
    data = load_network(_sources, json.loads(params_json), NetworkView(year=year, period=period))
    return data, compute(data)


def on_chart_select() -> None:
    """A click on an institution opens its neighbourhood."""
    event = st.session_state.get("net_chart") or {}
    for point in event.get("selection", {}).get("points", []):
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom:
            st.session_state["net_focus"] = str(custom[0])
            return


def controls(ctx: Context, years: list[int]) -> None:
    top = st.columns([2, 1.4], vertical_alignment="bottom")
    if len(years) > 1:
        top[0].select_slider(ctx.t("net.year"), years, key="net_year")
    else:
        top[0].caption(f"{ctx.t('net.year')}: {years[0]}")
    below = st.columns([1, 1, 1.4], vertical_alignment="bottom")
    for col, key, options, names in ((top[1], "net_period", PERIODS, "period_name"),
                                     (below[0], "net_layout", LAYOUTS, "layout_name"),
                                     (below[1], "net_color", COLORS, "color_name")):
        col.segmented_control(ctx.t(f"net.{key[4:]}"), options, key=key, required=True,
                              format_func=lambda v, n=names: ctx.t(f"net.{n}.{v}"))


def kpis(ctx: Context, s: dict) -> None:
    lang = ctx.lang
    values = {"nodes": i18n.fmt_int(s["nodes"], lang), "edges": i18n.fmt_int(s["edges"], lang),
              "agreements": i18n.fmt_int(s["agreements"], lang),
              "components": i18n.fmt_int(s["components"], lang),
              "largest_share": i18n.fmt_pct(s["largest_share"], lang),
              "density": i18n.fmt_num(s["density"], lang, 4),
              "cross_share": i18n.fmt_pct(s["cross_share"], lang),
              "communities": i18n.fmt_int(s["communities"], lang),
              "isolated": i18n.fmt_int(s["isolated"], lang)}
    items = list(values.items())
    for row in (items[:5], items[5:]):
        for col, (key, value) in zip(st.columns(5), row):
            col.metric(ctx.t(f"net.kpi.{key}"), value)


def notes(ctx: Context, data, measures, view: NetworkView) -> list[str]:
    """What the drawing and the measures stand for, in words."""
    lang, s = ctx.lang, measures.summary
    n = lambda v: i18n.fmt_int(v, lang)  # noqa: E731
    start, end = data.span
    out = [ctx.t("net.note.span_cumulative", start=start, end=end) if view.cumulative
           else ctx.t("net.note.span_per_year", year=end)]
    drawn = figures.drawn_nodes(measures, view.layout)
    among = len(figures.drawn_edges(data.pairs, drawn, limit=len(data.pairs)))
    if s["analysed_nodes"] < s["nodes"] or len(drawn) < s["analysed_nodes"]:
        out.append(ctx.t("net.note.summarised", nodes=n(s["nodes"]), edges=n(s["edges"]),
                         shown=n(len(drawn)), shown_edges=n(min(among, figures.EDGE_DRAW_LIMIT)),
                         analysed=n(s["analysed_nodes"]), analysed_edges=n(s["analysed_edges"])))
    if among > figures.EDGE_DRAW_LIMIT:
        out.append(ctx.t("net.note.edges_capped", shown=n(figures.EDGE_DRAW_LIMIT), total=n(among)))
    if measures.nodes["geo_precision"].eq("city").any():
        out.append(ctx.t("net.note.city_level"))
    if view.color == "community":
        out.append(ctx.t("net.note.communities_seed"))
    return out


def drawing(ctx: Context, data, measures, view: NetworkView) -> None:
    span = ctx.t("net.note.span_cumulative", start=data.span[0], end=data.span[1]) if view.cumulative \
        else ctx.t("net.note.span_per_year", year=data.span[1])
    title = ctx.t("net.fig.title", span=span)
    fig = ui.figure(ctx, "net_drawing", lambda: figures.network_figure(
        measures, data.pairs, view.layout, view.color, ctx.lang, title), view.year, view.period,
        view.layout, view.color)
    st.plotly_chart(fig, key="net_chart", on_select=on_chart_select, selection_mode="points",
                    width="stretch",
                    config={"displaylogo": False, "scrollZoom": True,
                            "toImageButtonOptions": {"format": "png", "width": 1600,
                                                     "height": figures.HEIGHT, "scale": 2,
                                                     "filename": "chengdu-chongqing-network"}})
    for line in notes(ctx, data, measures, view):
        st.caption(line)


def table_tabs(ctx: Context, data, measures) -> None:
    tabs = st.tabs([ctx.t("net.section.hubs"), ctx.t("net.section.brokers"),
                    ctx.t("net.section.bridges"), ctx.t("net.section.isolated")])
    with tabs[0]:
        ui.table(ctx, tables.hubs(measures, ctx.lang), {}, "network-hubs", key="net_hubs")
    with tabs[1]:
        ui.table(ctx, tables.brokers(measures, ctx.lang), {}, "network-brokers", key="net_brokers")
    with tabs[2]:
        if measures.bridges.empty:
            st.info(ctx.t("net.note.no_bridges"))
        else:
            ui.table(ctx, tables.bridges(measures, ctx.lang), {}, "network-bridges", key="net_bridges")
    with tabs[3]:
        isolated_list(ctx, data)


def isolated_list(ctx: Context, data) -> None:
    lang = ctx.lang
    text = ctx.t("net.note.isolated", n=i18n.fmt_int(data.isolated_total, lang))
    if data.isolated_total > len(data.isolated):
        text += " " + ctx.t("net.note.isolated_more", shown=i18n.fmt_int(len(data.isolated), lang))
    st.caption(text)
    if data.isolated_total:
        ui.table(ctx, tables.isolated(data.isolated, lang), {}, "network-no-agreements", key="net_isolated")


def focus_section(ctx: Context, data, measures, view: NetworkView) -> None:
    nodes = measures.nodes
    top = busiest(nodes, ("weighted_degree",), FOCUS_OPTIONS)
    offered = pd.concat([top, nodes[nodes["id"] == view.focus]]).drop_duplicates("ix")
    options = sorted(top["id"])
    if view.focus and view.focus not in options:
        options.append(view.focus)
    names = dict(zip(offered["id"], display.names(offered, ctx.lang)))
    st.selectbox(ctx.t("net.focus"), options, key="net_focus", placeholder=ctx.t("net.focus_none"),
                 format_func=lambda i: f"{names.get(i, i)} ({i})", help=ctx.t("net.focus_help"))
    if not view.focus:
        return
    where = nodes.index[nodes["id"] == view.focus]
    if where.empty:
        st.warning(ctx.t_md("net.focus_unknown", id=view.focus))   # text from the URL
        return
    near, pairs, total = neighbourhood(nodes, data.pairs, int(nodes.loc[where[0], "ix"]))
    if total > len(near):
        st.caption(ctx.t("net.note.focus_capped", shown=i18n.fmt_int(len(near), ctx.lang),
                         total=i18n.fmt_int(total, ctx.lang)))
    name = names[view.focus]
    st.plotly_chart(figures.neighbourhood_figure(near, pairs, int(nodes.loc[where[0], "ix"]), view.layout,
                                                 view.color, ctx.lang,
                                                 ctx.t("net.fig.focus_title", name=name)),
                    key="net_focus_chart", width="stretch", config={"displaylogo": False})
    partners = near[near["hops"] > 0].sort_values(["hops", "weighted_degree"], ascending=[True, False])
    ui.table(ctx, tables.neighbourhood(partners, ctx.lang), {}, "network-neighbourhood",
             key="net_focus_table")


def export_section(ctx: Context, data, measures, params: dict) -> None:
    st.caption(ctx.t("net.section.export_help"))
    if len(data.pairs) > export.PAGE_EDGE_LIMIT:
        f = ctx.filters
        st.info(ctx.t("net.note.export_cli", n=i18n.fmt_int(len(data.pairs), ctx.lang)))
        st.code(f"python -m analysis network --out network-export --years {data.span[0]}-{data.span[1]} "
                f"--cities {' '.join(f.cities)} --kinds {' '.join(f.kinds)}"
                + ("" if f.include_illustrative else " --no-illustrative"), language="bash")
        return
    graph = lambda: export.build_graph(data, measures, params)  # noqa: E731
    vos = lambda i: export.vosviewer_files(measures, data.pairs, ctx.lang)[i]  # noqa: E731
    stem = f"chengdu-chongqing-network-{data.span[0]}-{data.span[1]}"
    cols = st.columns(4)
    for i, (col, label, file_name, make) in enumerate((
            (cols[0], "GEXF", f"{stem}.gexf", lambda: export.gexf_bytes(graph())),
            (cols[1], "GraphML", f"{stem}.graphml", lambda: export.graphml_bytes(graph())),
            (cols[2], "VOSviewer map", f"{stem}-vosviewer-map.txt", lambda: vos(0)),
            (cols[3], "VOSviewer network", f"{stem}-vosviewer-network.txt", lambda: vos(1)))):
        col.download_button(label, make, file_name, "application/octet-stream", on_click="ignore",
                            key=f"net_export_{i}")


def render(ctx: Context) -> None:
    ui.header(ctx, "net.title", "net.subtitle")
    f = ctx.filters
    years = list(range(f.year_from, f.year_to + 1))
    view = shell.page_view(lambda q: NetworkView.from_query(q, (years[0], years[-1])))
    controls(ctx, years)
    params = f.sql_params()
    params_json = json.dumps(params, sort_keys=True)
    sources = _Sources(ctx)
    with st.spinner(ctx.t("net.computing")):
        data, measures = _network(sources, ctx.db.version, params_json, view.year, view.period)
    if data.nodes.empty:
        ui.empty_state(ctx, "net.note.empty")
        isolated_list(ctx, data)
        return
    kpis(ctx, measures.summary)
    st.subheader(ctx.t("net.section.drawing"))
    drawing(ctx, data, measures, view)
    table_tabs(ctx, data, measures)
    st.subheader(ctx.t("net.section.growth"))
    years_chart = ui.figure(ctx, "net_growth", lambda: figures.growth_figure(
        growth(sources, params, view.cumulative, data), view.cumulative, ctx.lang), view.cumulative)
    st.plotly_chart(years_chart, key="net_growth", width="stretch", config={"displaylogo": False})
    st.subheader(ctx.t("net.section.focus"))
    focus_section(ctx, data, measures, view)
    with st.expander(ctx.t("net.section.export")):
        export_section(ctx, data, measures, params)
    st.caption(ctx.t("app.copy_link"))
    ui.view_link()


render(shell.context())
