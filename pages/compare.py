"""Compare (for planners): cities and districts side by side, trends with the forum editions,
the district ranking, cross-city flows, gaps, and the partner finder. The view lives in the URL."""
from __future__ import annotations

from types import SimpleNamespace

import streamlit as st

from analysis.compare import data as compare
from analysis.compare import figures as compare_charts
from analysis.compare import view as compare_view
from analysis.core import i18n
from analysis.core.schema import STAGES
from pages import shared

c = shared.page_context("compare")
f, lang = c.filters, c.lang

shared.page_header("compare.title", "compare.subtitle")

params = f.sql_params()
years = (f.year_from, f.year_to)
# analysis.areas.metrics takes anything with .query(): here the page's cached queries.
metrics = compare.area_metrics(SimpleNamespace(query=shared.query), params)
areas = compare.areas(metrics)
labels = {a: area.label(lang) for a, area in areas.items()}
bases = shared.query("compare/bases", **params)
base_labels = {b.base_id: f"{i18n.name(b.name_zh, b.name_en, lang)} · {i18n.label('city', b.city, lang)}"
               for b in bases.itertuples()}
options = compare_view.Options(areas=tuple(areas),
                               default_areas=tuple(compare.default_areas(list(areas))),
                               bases=tuple(bases["base_id"]))

# Widget state wins; the URL fills in what the widgets do not hold yet (first visit, a shared link).
url_values = compare_view.from_query(st.query_params.to_dict(), options).state()
widget_values = {k: st.session_state[k] for k in compare_view.KEYS if k in st.session_state}
st.session_state.update(compare_view.resolve({**url_values, **widget_values}, options).state())


def table(df, column_config: dict, stem: str, key: str, download=None, all_rows=False) -> None:
    """A table and its CSV and XLSX downloads: the same rows under the same headings (or
    `download`, when the table shows text for numbers)."""
    height = 36 * (len(df) + 1) + 4 if all_rows else "auto"
    st.dataframe(df, hide_index=True, width="stretch", column_config=column_config, placeholder="—",
                 height=height)
    headings = {k: v if isinstance(v, str) else v.get("label") or k for k, v in column_config.items()}
    shared.downloads(df.rename(columns=headings) if download is None else download, stem, key=key)


# --- side by side ---------------------------------------------------------------------------
chosen = st.multiselect(c.t("compare.areas"), list(areas), key="cmp_areas",
                        format_func=labels.get, help=c.t("compare.areas_help"))
st.subheader(c.t("compare.side_title"))
if len(chosen) < 2:
    st.info(c.t("compare.areas_few"))
if chosen:
    side = compare.side_by_side(metrics, chosen, f.year_to)
    st.caption(c.t("compare.side_note", years=compare.period_columns(years, lang)["value"],
                   year=f.year_to, prev=f.year_to - 1))
    table(compare.side_by_side_display(side, labels, years, lang), {}, "compare_side_by_side",
          "cmp_side", download=compare.side_by_side_download(side, labels, years, lang), all_rows=True)
    notes = compare.population_notes(metrics, chosen)
    if notes:
        with st.container(border=True):
            st.markdown(f"**{c.t('compare.pop_unknown_title')}**")
            for n in notes:
                key = ("compare.pop_unknown_district" if n["area_type"] == "district"
                       else "compare.pop_unknown_city" if n["total"] else "compare.pop_unknown_city_none")
                st.markdown("- " + c.t(key, area=labels[n["area_id"]], known=n["known"], total=n["total"]))
    st.caption(c.t("compare.undated_note"))
    st.caption(c.t("compare.precision_note"))

# --- trends ----------------------------------------------------------------------------------
st.subheader(c.t("compare.trend_section"))
left, right = st.columns(2)
trend_metric = left.radio(c.t("compare.trend_metric"), compare.TREND_METRICS, key="cmp_trend",
                          horizontal=True, format_func=lambda m: compare.metric_label(m, lang))
norm = right.radio(c.t("compare.trend_norm"), compare.NORMS, key="cmp_norm", horizontal=True,
                   format_func=lambda n: c.t(f"compare.norm_{n}"))
if chosen:
    series = compare.trend(metrics, chosen, trend_metric, norm, years)
    events = shared.query("core/events", **params)
    st.plotly_chart(compare_charts.trend_chart(series, events, areas, trend_metric, norm, years, lang),
                    width="stretch", key="cmp_trend_chart")
    st.caption(c.t("compare.trend_note"))
    shared.downloads(series.assign(area=series["area_id"].map(labels))
                     [["area", "year", "count", "normalised"]]
                     .rename(columns={"area": c.t("compare.col_area"), "year": c.t("col.year"),
                                      "count": compare.metric_label(trend_metric, lang),
                                      "normalised": compare.metric_label(f"{trend_metric}_{norm}", lang)}),
                     "compare_trend", key="cmp_trend_dl")
else:
    st.info(c.t("compare.areas_few"))

# --- district ranking ------------------------------------------------------------------------
st.subheader(c.t("compare.ranking_section"))
rank_metric = st.selectbox(c.t("compare.ranking_metric"), list(compare.METRICS), key="cmp_rank",
                           format_func=lambda m: compare.metric_label(m, lang))
ranked = compare.ranking(metrics, rank_metric)
if ranked.empty:
    shared.empty_state()
else:
    if ranked["value"].notna().any():
        st.plotly_chart(compare_charts.ranking_bar(ranked, rank_metric, lang), width="stretch",
                        key="cmp_rank_chart")
    unknown = int(ranked["value"].isna().sum())
    st.caption(c.t("compare.ranking_rule") + (" " + c.t("compare.ranking_unknown", n=unknown) if unknown else ""))
    ranked_table = ranked.assign(
        name=[i18n.name(z, e, lang) for z, e in zip(ranked.name_zh, ranked.name_en)],
        city=ranked.city.map(lambda v: i18n.label("city", v, lang)),
    )[["rank", "name", "city", "district_code", "value", "population"]]
    fmt = "%d" if compare.METRICS[rank_metric] == "count" else "%.2f"
    table(ranked_table, {"rank": c.t("compare.col_rank"), "name": c.t("col.name"),
                         "city": c.t("col.city"), "district_code": c.t("compare.col_code"),
                         "value": st.column_config.NumberColumn(compare.metric_label(rank_metric, lang), format=fmt),
                         "population": st.column_config.NumberColumn(c.t("compare.col_population"), format="localized")},
          f"district_ranking_{rank_metric}", "cmp_rank")

# --- cross-city flows --------------------------------------------------------------------------
st.subheader(c.t("compare.flows_section"))
pairs = shared.query("core/agreements_by_year_pair", **params)
flows = shared.query("compare/city_flows", **params)
if flows.empty:
    shared.empty_state()
else:
    left, right = st.columns(2)
    left.plotly_chart(compare_charts.pair_year_heatmap(pairs, years, lang), width="stretch",
                      key="cmp_heatmap")
    left.caption(c.t("compare.heatmap_note"))
    right.plotly_chart(compare_charts.city_sankey(flows, lang), width="stretch", key="cmp_sankey")
    with left:
        pair_table = pairs.assign(city_pair=pairs.city_pair.map(lambda p: compare_charts.pair_label(p, lang)))
        table(pair_table[["city_pair", "year", "agreements", "cross_city"]],
              {"city_pair": c.t("compare.col_pair"), "year": st.column_config.NumberColumn(c.t("col.year"), format="%d"),
               "agreements": c.t("chart.agreements"), "cross_city": c.t("compare.col_cross")},
              "city_pair_by_year", "cmp_pairs")
    with right:
        flow_table = flows.assign(a_city=flows.a_city.map(lambda v: i18n.label("city", v, lang)),
                                  b_city=flows.b_city.map(lambda v: i18n.label("city", v, lang)))
        table(flow_table[["a_city", "b_city", "agreements", "cross_city"]],
              {"a_city": c.t("compare.col_from"), "b_city": c.t("compare.col_to"),
               "agreements": c.t("chart.agreements"), "cross_city": c.t("compare.col_cross")},
              "city_flows", "cmp_flows")

# --- gaps ------------------------------------------------------------------------------------
st.subheader(c.t("compare.gaps_section"))
district_columns = {"name": c.t("col.district"), "city": c.t("col.city"),
                    "district_code": c.t("compare.col_code"),
                    "bases": c.t("compare.col_bases"), "schools": c.t("compare.col_schools"),
                    "population": st.column_config.NumberColumn(c.t("compare.col_population"), format="localized")}


def with_names(df, zh="name_zh", en="name_en", out="name"):
    return df.assign(**{out: [i18n.name(z, e, lang) or None for z, e in zip(df[zh], df[en])]})


def city_names(df, column="city"):
    return df.assign(**{column: df[column].map(lambda v: i18n.label("city", v, lang))})


st.markdown(f"#### {c.t('compare.gap_idle_districts')}")
st.caption(c.t("compare.gap_idle_districts_note"))
if "base_school" not in f.kinds:
    st.warning(c.t("compare.gap_no_base_school_kind"))
idle_districts = shared.query("compare/gap_idle_districts", **params)
if idle_districts.empty:
    st.info(c.t("compare.gap_none"))
else:
    st.caption(c.t("compare.gap_count", n=i18n.fmt_int(len(idle_districts), lang)))
    idle_districts = city_names(with_names(idle_districts))
    table(idle_districts[["name", "city", "district_code", "bases", "schools", "base_agreements", "population"]],
          {**district_columns, "base_agreements": c.t("compare.col_base_agreements")},
          "districts_bases_without_school_agreement", "cmp_gap_districts")

st.markdown(f"#### {c.t('compare.gap_idle_bases', years=compare.years_text(years))}")
st.caption(c.t("compare.gap_idle_bases_note"))
idle_bases = shared.query("compare/gap_idle_bases", **params)
if idle_bases.empty:
    st.info(c.t("compare.gap_none"))
else:
    st.caption(c.t("compare.gap_count", n=i18n.fmt_int(len(idle_bases), lang)))
    idle_bases = city_names(with_names(with_names(idle_bases), "district_zh", "district_en", "district"))
    idle_bases = idle_bases.assign(
        category=idle_bases.category.map(lambda v: i18n.label("category", v, lang)),
        level=idle_bases.level.map(lambda v: i18n.label("level", v, lang), na_action="ignore"),
        geo_precision=idle_bases.geo_precision.map(lambda v: c.t(f"compare.precision_{v}"), na_action="ignore"))
    table(shared.source_columns(idle_bases[["name", "category", "level", "city", "district",
                                            "designated_year", "geo_precision", "provenance"]], lang),
          {"name": c.t("col.name"), "category": c.t("col.category"), "level": c.t("col.level"),
           "city": c.t("col.city"), "district": c.t("col.district"),
           "designated_year": st.column_config.NumberColumn(c.t("compare.col_designated"), format="%d"),
           "geo_precision": c.t("compare.col_precision"), **shared.source_column_config(lang)},
          "bases_without_agreement", "cmp_gap_bases")

st.markdown(f"#### {c.t('compare.gap_far')}")
gap_km = st.slider(c.t("compare.gap_km"), *compare_view.GAP_KM[:2], key="cmp_gap_km")
st.caption(c.t("compare.gap_far_note", km=gap_km, n=compare.schools_without_district(metrics)))
far = shared.query("compare/gap_far_schools", **params, max_km=float(gap_km))
if far.empty:
    st.info(c.t("compare.gap_none"))
else:
    st.caption(c.t("compare.gap_count", n=i18n.fmt_int(len(far), lang)))
    far = city_names(with_names(with_names(far), "nearest_base_zh", "nearest_base_en", "nearest_base"))
    table(far[["name", "city", "district_code", "schools", "nearest_base", "nearest_base_km",
               "approximate", "population"]],
          {**district_columns, "nearest_base": c.t("compare.col_nearest_base"),
           "nearest_base_km": st.column_config.NumberColumn(c.t("compare.col_nearest_km"), format="%.1f"),
           "approximate": c.t("compare.col_approximate")},
          f"districts_without_base_within_{gap_km}km", "cmp_gap_far")

# --- partner finder ----------------------------------------------------------------------------
st.subheader(c.t("compare.partner_section"))
if bases.empty:
    st.info(c.t("compare.partner_no_bases"))
else:
    base_id = st.selectbox(c.t("compare.partner_base"), list(bases["base_id"]), key="cmp_base",
                           format_func=base_labels.get)
    a, b, d = st.columns([3, 2, 2])
    stages = a.multiselect(c.t("compare.partner_stages"), STAGES, key="cmp_stages",
                           format_func=lambda s: i18n.label("stage", s, lang))
    max_km = b.slider(c.t("compare.partner_km"), *compare_view.PARTNER_KM[:2], step=5, key="cmp_km")
    scope = d.radio(c.t("compare.partner_scope"), compare_view.SCOPES, key="cmp_scope", horizontal=True,
                    format_func=lambda s: c.t(f"compare.scope_{s}"))
    top = st.slider(c.t("compare.partner_top"), *compare_view.TOP[:2], key="cmp_top")
    st.info(c.t("compare.partner_rule"))
    shortlist = shared.query("compare/partners", **params, base_id=base_id, stages=list(stages),
                             max_km=float(max_km), scope=scope)
    if shortlist.empty:
        st.warning(c.t("compare.partner_none"))
    else:
        st.caption(c.t("compare.partner_count", n=i18n.fmt_int(len(shortlist), lang),
                       shown=i18n.fmt_int(min(top, len(shortlist)), lang)))
        shown = city_names(with_names(with_names(shortlist.head(top)), "district_zh", "district_en", "district"))
        shown = shown.assign(
            stage=shown.stage.map(lambda v: i18n.label("stage", v, lang)),
            geo_precision=shown.geo_precision.map(lambda v: c.t(f"compare.precision_{v}"), na_action="ignore"))
        table(shared.source_columns(shown[["rank", "name", "stage", "city", "district", "distance_km",
                                           "same_city", "partners", "geo_precision", "approximate",
                                           "provenance"]], lang),
              {"rank": c.t("compare.col_rank"), "name": c.t("compare.col_school"),
               "stage": c.t("col.stage"), "city": c.t("col.city"), "district": c.t("col.district"),
               "distance_km": st.column_config.NumberColumn(c.t("compare.col_distance"), format="%.1f"),
               "same_city": c.t("compare.col_same_city"), "partners": c.t("compare.col_partners"),
               "geo_precision": c.t("compare.col_precision"), "approximate": c.t("compare.col_approximate"),
               **shared.source_column_config(lang)},
              f"partners_{base_id}", "cmp_partners")
        st.caption(c.t("compare.partner_approx_note"))

st.query_params.update(compare_view.resolve(
    {k: st.session_state.get(k) for k in compare_view.KEYS}, options).to_query())
