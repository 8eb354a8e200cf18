"""Overview: KPI cards, agreements per year, the forum timeline, honours and data status."""
from __future__ import annotations

import streamlit as st

from analysis.overview import figures as charts
from analysis.core import i18n
from pages import shared

c = shared.page_context("overview")
f, lang = c.filters, c.lang

shared.page_header("app.title", "app.subtitle")

params = f.sql_params()
years = (f.year_from, f.year_to)
k = shared.query("overview/kpis", **params).iloc[0]
cols = st.columns(5)
cols[0].metric(c.t("overview.kpi_bases"), i18n.fmt_int(k.bases, lang))
cols[1].metric(c.t("overview.kpi_schools"), i18n.fmt_int(k.schools, lang))
cols[2].metric(c.t("overview.kpi_agreements"), i18n.fmt_int(k.agreements, lang))
share = k.cross_city / k.agreements if k.agreements else None
cols[3].metric(c.t("overview.kpi_cross_share"), i18n.fmt_pct(share, lang),
               help=c.t("overview.kpi_cross_help", n=i18n.fmt_int(k.cross_city, lang)))
delta = int(k.this_year - k.previous_year)
cols[4].metric(c.t("overview.kpi_year", year=f.year_to), i18n.fmt_int(k.this_year, lang),
               delta=f"{delta:+,} " + c.t("overview.vs_previous", year=f.year_to - 1),
               delta_color="normal" if delta else "off")

if k.agreements == 0:
    shared.empty_state()
else:
    left, right = st.columns(2)
    left.plotly_chart(charts.agreements_by_year_kind(shared.query("overview/agreements_by_year_kind", **params), lang, years),
                      width="stretch", key="by_year_kind")
    right.plotly_chart(charts.agreements_by_year_pair(shared.query("core/agreements_by_year_pair", **params), lang, years),
                       width="stretch", key="by_year_pair")

events = shared.query("core/events", **params)
if events.empty:
    st.subheader(c.t("chart.timeline"))
    shared.empty_state()
else:
    st.plotly_chart(charts.event_timeline(events, lang), width="stretch", key="timeline")
    with st.expander(c.t("overview.events_table")):
        table = events.assign(
            name=[i18n.name(z, e, lang) for z, e in zip(events.name_zh, events.name_en)],
            theme=[i18n.name(z, e, lang) for z, e in zip(events.theme_zh, events.theme_en)],
            city=events.city.map(lambda v: i18n.label("city", v, lang)),
        )[["date", "name", "city", "venue", "theme", "agreements", "provenance"]]
        st.dataframe(shared.source_columns(table, lang), hide_index=True, width="stretch", placeholder="—",
                     column_config={"date": st.column_config.DateColumn(c.t("col.date")),
                                    "name": c.t("col.name"), "city": c.t("col.city"),
                                    "venue": c.t("col.venue"), "theme": c.t("col.theme"),
                                    "agreements": c.t("chart.agreements_signed"),
                                    **shared.source_column_config(lang)})

st.subheader(c.t("overview.agreements_list"))
agreements = shared.query("overview/agreement_list", **params, limit=500)
if agreements.empty:
    shared.empty_state()
else:
    table = agreements.assign(
        kind=agreements.kind.map(lambda v: i18n.label("kind", v, lang)),
        party_a=[f"{i18n.name(z, e, lang)} · {i18n.label('city', ci, lang)}"
                 for z, e, ci in zip(agreements.a_name_zh, agreements.a_name_en, agreements.a_city)],
        party_b=[f"{i18n.name(z, e, lang)} · {i18n.label('city', ci, lang)}"
                 for z, e, ci in zip(agreements.b_name_zh, agreements.b_name_en, agreements.b_city)],
    )[["signed_on", "kind", "party_a", "party_b", "title", "provenance"]]
    table = shared.source_columns(table, lang)
    st.caption(c.t("overview.list_note", shown=i18n.fmt_int(len(table), lang)))
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—",
                 column_config={"signed_on": st.column_config.DateColumn(c.t("col.date")),
                                "kind": c.t("col.kind"), "party_a": c.t("col.party_a"),
                                "party_b": c.t("col.party_b"), "title": c.t("col.title"),
                                **shared.source_column_config(lang)})
    shared.downloads(table, "agreements", key="agreements")

st.subheader(c.t("overview.honours"))
honours = shared.query("overview/honours", **params)
if honours.empty:
    shared.empty_state()
else:
    table = honours.assign(
        list=honours.list.map(lambda v: i18n.label("honour", v, lang)),
        name=[i18n.name(z, e, lang) for z, e in zip(honours.name_zh, honours.name_en)],
        city=honours.city.map(lambda v: i18n.label("city", v, lang) if v else v),
    )[["year", "list", "name", "affiliation", "city", "provenance"]]
    st.dataframe(shared.source_columns(table, lang), hide_index=True, width="stretch", placeholder="—",
                 column_config={"year": st.column_config.NumberColumn(c.t("col.year"), format="%d"),
                                "list": c.t("col.list"), "name": c.t("col.name"),
                                "affiliation": c.t("col.affiliation"), "city": c.t("col.city"),
                                **shared.source_column_config(lang)})
    st.caption(c.t("overview.honours_note"))

with st.expander(c.t("overview.data_status"), expanded=False):
    status = shared.query("core/data_status")
    status = status.assign(table_name=status.table_name.map(lambda v: c.t(f"table.{v}")))
    st.dataframe(status, hide_index=True, width="stretch", placeholder="—",
                 column_config={"table_name": c.t("overview.table"), "total": c.t("overview.total"),
                                "real": c.t("overview.real"), "illustrative": c.t("app.illustrative")})
    warnings = shared.query("core/data_warnings")
    for w in warnings.itertuples():
        if w.n:
            st.warning(c.t(f"overview.warn_{w.warning}", n=i18n.fmt_int(w.n, lang)))
    st.caption(c.t("overview.version", version=c.db.version))
