"""Compare (for planners): cities and districts side by side, trends with the forum editions,
the district ranking, cross-city flows, gaps, and the partner finder, one section at a time
(only the chosen one's queries and figures run). The view lives in the URL."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.compare import data as compare
from analysis.compare import figures
from analysis.compare.view import GAP_KM, PARTNER_KM, SCOPES, SECTIONS, TOP, CompareView, Options
from analysis.core import display, i18n
from analysis.core.schema import STAGES
from pages import shell, ui
from pages.shell import Context


def side_by_side(ctx: Context, metrics: pd.DataFrame, labels: dict, chosen: tuple) -> None:
    f, lang = ctx.filters, ctx.lang
    years = (f.year_from, f.year_to)
    st.subheader(ctx.t("compare.side_title"))
    if len(chosen) < 2:
        st.info(ctx.t("compare.areas_few"))
    if not chosen:
        return
    side = compare.side_by_side(metrics, list(chosen), f.year_to)
    st.caption(ctx.t_md("compare.side_note", years=compare.period_columns(years, lang)["value"],
                     year=f.year_to, prev=f.year_to - 1))
    ui.table(ctx, compare.side_by_side_display(side, labels, years, lang), {}, "compare_side_by_side",
             "cmp_side", download=compare.side_by_side_download(side, labels, years, lang), all_rows=True)
    notes = compare.population_notes(metrics, list(chosen))
    if notes:
        with st.container(border=True):
            st.markdown(f"**{ctx.t('compare.pop_unknown_title')}**")
            for n in notes:
                key = ("compare.pop_unknown_district" if n["area_type"] == "district"
                       else "compare.pop_unknown_city" if n["total"] else "compare.pop_unknown_city_none")
                st.markdown("- " + ctx.t_md(key, area=labels[n["area_id"]], known=n["known"], total=n["total"]))
    st.caption(ctx.t("compare.undated_note"))
    st.caption(ctx.t("compare.precision_note"))


def trends(ctx: Context, metrics: pd.DataFrame, areas: dict, labels: dict, chosen: tuple) -> None:
    f, lang = ctx.filters, ctx.lang
    years = (f.year_from, f.year_to)
    st.subheader(ctx.t("compare.trend_section"))
    left, right = st.columns(2)
    metric = left.radio(ctx.t("compare.trend_metric"), compare.TREND_METRICS, key="cmp_trend",
                        horizontal=True, format_func=lambda m: compare.metric_label(m, lang))
    norm = right.radio(ctx.t("compare.trend_norm"), compare.NORMS, key="cmp_norm", horizontal=True,
                       format_func=lambda n: ctx.t(f"compare.norm_{n}"))
    if not chosen:
        st.info(ctx.t("compare.areas_few"))
        return
    series = compare.trend(metrics, list(chosen), metric, norm, years)
    events = ctx.query("core/events", **f.sql_params())
    st.plotly_chart(ui.figure(ctx, "trend", lambda: figures.trend_chart(series, events, areas, metric, norm,
                                                                         years, lang), chosen, metric, norm),
                    width="stretch", key="cmp_trend_chart")
    st.caption(ctx.t("compare.trend_note"))
    ui.downloads(ctx, series.assign(area=series["area_id"].map(labels))
                 [["area", "year", "count", "normalised"]]
                 .rename(columns={"area": ctx.t("compare.col_area"), "year": ctx.t("col.year"),
                                  "count": compare.metric_label(metric, lang),
                                  "normalised": compare.metric_label(f"{metric}_{norm}", lang)}),
                 "compare_trend", key="cmp_trend_dl")


def ranking(ctx: Context, metrics: pd.DataFrame) -> None:
    lang = ctx.lang
    st.subheader(ctx.t("compare.ranking_section"))
    metric = st.selectbox(ctx.t("compare.ranking_metric"), list(compare.METRICS), key="cmp_rank",
                          format_func=lambda m: compare.metric_label(m, lang))
    ranked = compare.ranking(metrics, metric)
    if ranked.empty:
        ui.empty_state(ctx)
        return
    if ranked["value"].notna().any():
        st.plotly_chart(ui.figure(ctx, "ranking", lambda: figures.ranking_bar(ranked, metric, lang), metric),
                        width="stretch", key="cmp_rank_chart")
    unknown = int(ranked["value"].isna().sum())
    st.caption(ctx.t("compare.ranking_rule")
               + (" " + ctx.t_md("compare.ranking_unknown", n=unknown) if unknown else ""))
    table = display.with_names(ranked, lang).assign(city=display.labels(ranked.city, "city", lang))
    fmt = "%d" if compare.METRICS[metric] == "count" else "%.2f"
    ui.table(ctx, table[["rank", "name", "city", "district_code", "value", "population"]],
             {"rank": ctx.t("compare.col_rank"), "name": ctx.t("col.name"), "city": ctx.t("col.city"),
              "district_code": ctx.t("compare.col_code"),
              "value": st.column_config.NumberColumn(compare.metric_label(metric, lang), format=fmt),
              "population": st.column_config.NumberColumn(ctx.t("compare.col_population"), format="localized")},
             f"district_ranking_{metric}", "cmp_rank")


def flows(ctx: Context) -> None:
    f, lang = ctx.filters, ctx.lang
    params = f.sql_params()
    st.subheader(ctx.t("compare.flows_section"))
    pairs = ctx.query("core/agreements_by_year_pair", **params)
    city_flows = ctx.query("compare/city_flows", **params)
    if city_flows.empty:
        ui.empty_state(ctx)
        return
    left, right = st.columns(2)
    with left:
        st.plotly_chart(ui.figure(ctx, "heatmap", lambda: figures.pair_year_heatmap(pairs, (f.year_from, f.year_to),
                                                                                    lang)),
                        width="stretch", key="cmp_heatmap")
        st.caption(ctx.t("compare.heatmap_note"))
        table = pairs.assign(city_pair=pairs.city_pair.map(lambda p: figures.pair_label(p, lang)))
        ui.table(ctx, table[["city_pair", "year", "agreements", "cross_city"]],
                 {"city_pair": ctx.t("compare.col_pair"),
                  "year": st.column_config.NumberColumn(ctx.t("col.year"), format="%d"),
                  "agreements": ctx.t("chart.agreements"), "cross_city": ctx.t("compare.col_cross")},
                 "city_pair_by_year", "cmp_pairs")
    with right:
        st.plotly_chart(ui.figure(ctx, "sankey", lambda: figures.city_sankey(city_flows, lang)), width="stretch",
                        key="cmp_sankey")
        table = city_flows.assign(a_city=display.labels(city_flows.a_city, "city", lang),
                                  b_city=display.labels(city_flows.b_city, "city", lang))
        ui.table(ctx, table[["a_city", "b_city", "agreements", "cross_city"]],
                 {"a_city": ctx.t("compare.col_from"), "b_city": ctx.t("compare.col_to"),
                  "agreements": ctx.t("chart.agreements"), "cross_city": ctx.t("compare.col_cross")},
                 "city_flows", "cmp_flows")


def district_columns(ctx: Context) -> dict:
    return {"name": ctx.t("col.district"), "city": ctx.t("col.city"),
            "district_code": ctx.t("compare.col_code"),
            "bases": ctx.t("compare.col_bases"), "schools": ctx.t("compare.col_schools"),
            "population": st.column_config.NumberColumn(ctx.t("compare.col_population"), format="localized")}


def gaps(ctx: Context, metrics: pd.DataFrame, view: CompareView) -> None:
    st.subheader(ctx.t("compare.gaps_section"))
    idle_districts(ctx)
    idle_bases(ctx)
    far_schools(ctx, metrics, view)


def gap_rows(ctx: Context, rows: pd.DataFrame) -> bool:
    """Say when a gap table is empty, and how many rows it has otherwise."""
    if rows.empty:
        st.info(ctx.t("compare.gap_none"))
        return False
    st.caption(ctx.t_md("compare.gap_count", n=i18n.fmt_int(len(rows), ctx.lang)))
    return True


def idle_districts(ctx: Context) -> None:
    lang = ctx.lang
    st.markdown(f"#### {ctx.t('compare.gap_idle_districts')}")
    st.caption(ctx.t("compare.gap_idle_districts_note"))
    if "base_school" not in ctx.filters.kinds:
        st.warning(ctx.t("compare.gap_no_base_school_kind"))
    rows = ctx.query("compare/gap_idle_districts", **ctx.filters.sql_params())
    if not gap_rows(ctx, rows):
        return
    rows = display.with_names(rows, lang).assign(city=display.labels(rows.city, "city", lang))
    ui.table(ctx, rows[["name", "city", "district_code", "bases", "schools", "base_agreements", "population"]],
             {**district_columns(ctx), "base_agreements": ctx.t("compare.col_base_agreements")},
             "districts_bases_without_school_agreement", "cmp_gap_districts")


def idle_bases(ctx: Context) -> None:
    f, lang = ctx.filters, ctx.lang
    st.markdown(f"#### {ctx.t_md('compare.gap_idle_bases', years=compare.years_text((f.year_from, f.year_to)))}")
    st.caption(ctx.t("compare.gap_idle_bases_note"))
    rows = ctx.query("compare/gap_idle_bases", **f.sql_params())
    if not gap_rows(ctx, rows):
        return
    rows = display.with_names(display.with_names(rows, lang), lang, "district_zh", "district_en", "district")
    rows = rows.assign(city=display.labels(rows.city, "city", lang),
                       category=display.labels(rows.category, "category", lang),
                       level=display.labels(rows.level, "level", lang),
                       geo_precision=rows.geo_precision.map(lambda v: ctx.t(f"compare.precision_{v}"),
                                                            na_action="ignore"))
    ui.table(ctx, display.source_columns(rows[["name", "category", "level", "city", "district",
                                               "designated_year", "geo_precision", "provenance"]], lang),
             {"name": ctx.t("col.name"), "category": ctx.t("col.category"), "level": ctx.t("col.level"),
              "city": ctx.t("col.city"), "district": ctx.t("col.district"),
              "designated_year": st.column_config.NumberColumn(ctx.t("compare.col_designated"), format="%d"),
              "geo_precision": ctx.t("compare.col_precision"), **ui.source_column_config(ctx)},
             "bases_without_agreement", "cmp_gap_bases")


def far_schools(ctx: Context, metrics: pd.DataFrame, view: CompareView) -> None:
    lang = ctx.lang
    st.markdown(f"#### {ctx.t('compare.gap_far')}")
    st.slider(ctx.t("compare.gap_km"), *GAP_KM[:2], key="cmp_gap_km")
    km = view.cmp_gap_km
    st.caption(ctx.t_md("compare.gap_far_note", km=km, n=compare.schools_without_district(metrics)))
    rows = ctx.query("compare/gap_far_schools", **ctx.filters.sql_params(), max_km=float(km))
    if not gap_rows(ctx, rows):
        return
    rows = display.with_names(display.with_names(rows, lang), lang, "nearest_base_zh", "nearest_base_en",
                              "nearest_base")
    rows = rows.assign(city=display.labels(rows.city, "city", lang))
    ui.table(ctx, rows[["name", "city", "district_code", "schools", "nearest_base", "nearest_base_km",
                        "approximate", "population"]],
             {**district_columns(ctx), "nearest_base": ctx.t("compare.col_nearest_base"),
              "nearest_base_km": st.column_config.NumberColumn(ctx.t("compare.col_nearest_km"), format="%.1f"),
              "approximate": ctx.t("compare.col_approximate")},
             f"districts_without_base_within_{km}km", "cmp_gap_far")


def partner_finder(ctx: Context, bases: pd.DataFrame, view: CompareView) -> None:
    lang = ctx.lang
    st.subheader(ctx.t("compare.partner_section"))
    if bases.empty:
        st.info(ctx.t("compare.partner_no_bases"))
        return
    base_labels = dict(zip(bases["base_id"], (f"{n} · {i18n.label('city', c, lang)}"
                                              for n, c in zip(display.names(bases, lang), bases["city"]))))
    st.selectbox(ctx.t("compare.partner_base"), list(bases["base_id"]), key="cmp_base",
                 format_func=base_labels.get)
    a, b, d = st.columns([3, 2, 2])
    a.multiselect(ctx.t("compare.partner_stages"), STAGES, key="cmp_stages",
                  placeholder=ctx.t("app.choose"),
                  format_func=lambda s: i18n.label("stage", s, lang))
    b.slider(ctx.t("compare.partner_km"), *PARTNER_KM[:2], step=5, key="cmp_km")
    d.radio(ctx.t("compare.partner_scope"), SCOPES, key="cmp_scope", horizontal=True,
            format_func=lambda s: ctx.t(f"compare.scope_{s}"))
    st.slider(ctx.t("compare.partner_top"), *TOP[:2], key="cmp_top")
    st.info(ctx.t("compare.partner_rule"))
    shown = ctx.query("compare/partners", **ctx.filters.sql_params(), base_id=view.cmp_base,
                      stages=list(view.cmp_stages), max_km=float(view.cmp_km), scope=view.cmp_scope,
                      top=view.cmp_top)
    if shown.empty:
        st.warning(ctx.t("compare.partner_none"))
        return
    st.caption(ctx.t_md("compare.partner_count", n=i18n.fmt_int(int(shown["total"].iloc[0]), lang),
                     shown=i18n.fmt_int(len(shown), lang)))
    shown = display.with_names(display.with_names(shown, lang), lang, "district_zh", "district_en", "district")
    shown = shown.assign(city=display.labels(shown.city, "city", lang),
                         stage=display.labels(shown.stage, "stage", lang),
                         geo_precision=shown.geo_precision.map(lambda v: ctx.t(f"compare.precision_{v}"),
                                                               na_action="ignore"))
    ui.table(ctx, display.source_columns(shown[["rank", "name", "stage", "city", "district", "distance_km",
                                                "same_city", "partners", "geo_precision", "approximate",
                                                "provenance"]], lang),
             {"rank": ctx.t("compare.col_rank"), "name": ctx.t("compare.col_school"),
              "stage": ctx.t("col.stage"), "city": ctx.t("col.city"), "district": ctx.t("col.district"),
              "distance_km": st.column_config.NumberColumn(ctx.t("compare.col_distance"), format="%.1f"),
              "same_city": ctx.t("compare.col_same_city"), "partners": ctx.t("compare.col_partners"),
              "geo_precision": ctx.t("compare.col_precision"), "approximate": ctx.t("compare.col_approximate"),
              **ui.source_column_config(ctx)},
             f"partners_{view.cmp_base}", "cmp_partners")
    st.caption(ctx.t("compare.partner_approx_note"))


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def area_metrics(_ctx: Context, version: str, params: dict) -> pd.DataFrame:
    """Every area's figures for these filters, computed once per data version."""
    return compare.area_metrics(_ctx, params)


SECTION_TITLES = {"side": "compare.side_title", "trends": "compare.trend_section",
                  "ranking": "compare.ranking_section", "flows": "compare.flows_section",
                  "gaps": "compare.gaps_section", "partners": "compare.partner_section"}


def render(ctx: Context) -> None:
    ui.header(ctx, "compare.title", "compare.subtitle")
    params = ctx.filters.sql_params()
    areas = compare.areas(ctx.query("areas/districts", **params), params["cities"])
    labels = {a: area.label(ctx.lang) for a, area in areas.items()}
    bases = ctx.query("compare/bases", **params)
    options = Options(areas=tuple(areas), default_areas=tuple(compare.default_areas(list(areas))),
                      bases=tuple(bases["base_id"]))
    view = shell.page_view(lambda q: CompareView.from_query(q, options))
    st.segmented_control(ctx.t("compare.section"), SECTIONS, key="cmp_section", required=True,
                         format_func=lambda s: ctx.t(SECTION_TITLES[s]))
    if view.cmp_section in ("side", "trends"):
        st.multiselect(ctx.t("compare.areas"), list(areas), key="cmp_areas", format_func=labels.get,
                       placeholder=ctx.t("app.choose"),
                       help=ctx.t("compare.areas_help"))
    metrics = lambda: area_metrics(ctx, ctx.db.version, params)  # noqa: E731 - only where a section needs it
    {"side": lambda: side_by_side(ctx, metrics(), labels, view.cmp_areas),
     "trends": lambda: trends(ctx, metrics(), areas, labels, view.cmp_areas),
     "ranking": lambda: ranking(ctx, metrics()),
     "flows": lambda: flows(ctx),
     "gaps": lambda: gaps(ctx, metrics(), view),
     "partners": lambda: partner_finder(ctx, bases, view)}[view.cmp_section]()


render(shell.context())
