"""Overview: key figures, agreements per year, the forum timeline, honours and data status."""
from __future__ import annotations

import streamlit as st

from analysis.core import display, i18n
from analysis.overview import figures
from analysis.overview.data import KeyFigures
from pages import shell, ui
from pages.shell import Context


def key_figures(ctx: Context, params: dict) -> KeyFigures:
    f, lang = ctx.filters, ctx.lang
    k = KeyFigures.from_row(ctx.query("overview/kpis", **params).iloc[0])
    cols = st.columns(5)
    cols[0].metric(ctx.t("overview.kpi_bases"), i18n.fmt_int(k.bases, lang))
    cols[1].metric(ctx.t("overview.kpi_schools"), i18n.fmt_int(k.schools, lang))
    cols[2].metric(ctx.t("overview.kpi_agreements"), i18n.fmt_int(k.agreements, lang))
    cols[3].metric(ctx.t("overview.kpi_cross_share"), i18n.fmt_pct(k.cross_share, lang),
                   help=ctx.t_md("overview.kpi_cross_help", n=i18n.fmt_int(k.cross_city, lang)))
    cols[4].metric(ctx.t_md("overview.kpi_year", year=f.year_to), i18n.fmt_int(k.this_year, lang),
                   delta=f"{k.change:+,} " + ctx.t_md("overview.vs_previous", year=f.year_to - 1),
                   delta_color="normal" if k.change else "off")
    return k


def charts_by_year(ctx: Context, params: dict) -> None:
    years, lang = (ctx.filters.year_from, ctx.filters.year_to), ctx.lang
    left, right = st.columns(2)
    left.plotly_chart(ui.figure(ctx, "by_year_kind", lambda: figures.agreements_by_year_kind(
        ctx.query("overview/agreements_by_year_kind", **params), lang, years)),
        width="stretch", key="by_year_kind")
    right.plotly_chart(ui.figure(ctx, "by_year_pair", lambda: figures.agreements_by_year_pair(
        ctx.query("core/agreements_by_year_pair", **params), lang, years)),
        width="stretch", key="by_year_pair")


def timeline(ctx: Context, params: dict) -> None:
    lang = ctx.lang
    events = ctx.query("core/events", **params)
    if events.empty:
        st.subheader(ctx.t("chart.timeline"))
        ui.empty_state(ctx)
        return
    st.plotly_chart(ui.figure(ctx, "timeline", lambda: figures.event_timeline(events, lang)),
                    width="stretch", key="timeline")
    with st.expander(ctx.t("overview.events_table")):
        table = events.assign(name=display.names(events, lang),
                              theme=display.names(events, lang, "theme_zh", "theme_en"),
                              city=display.labels(events.city, "city", lang),
                              )[["date", "name", "city", "venue", "theme", "agreements", "provenance"]]
        st.dataframe(display.source_columns(table, lang), hide_index=True, width="stretch",
                     placeholder="—",
                     column_config={"date": st.column_config.DateColumn(ctx.t("col.date")),
                                    "name": ctx.t("col.name"), "city": ctx.t("col.city"),
                                    "venue": ctx.t("col.venue"), "theme": ctx.t("col.theme"),
                                    "agreements": ctx.t("chart.agreements_signed"),
                                    **ui.source_column_config(ctx)})


def agreement_list(ctx: Context, params: dict) -> None:
    st.subheader(ctx.t("overview.agreements_list"))
    agreements = ctx.query("overview/agreement_list", **params, limit=500)
    if agreements.empty:
        ui.empty_state(ctx)
        return
    table = display.agreements_table(agreements, ctx.lang, with_city=True)
    st.caption(ctx.t_md("overview.list_note", shown=i18n.fmt_int(len(table), ctx.lang)))
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—",
                 column_config=ui.agreement_columns(ctx))
    ui.downloads(ctx, table, "agreements", key="agreements")


def honours(ctx: Context, params: dict) -> None:
    lang = ctx.lang
    st.subheader(ctx.t("overview.honours"))
    rows = ctx.query("overview/honours", **params)
    if rows.empty:
        ui.empty_state(ctx)
        return
    table = rows.assign(list=display.labels(rows.list, "honour", lang), name=display.names(rows, lang),
                        city=display.labels(rows.city, "city", lang),
                        )[["year", "list", "name", "affiliation", "city", "provenance"]]
    st.dataframe(display.source_columns(table, lang), hide_index=True, width="stretch",
                 placeholder="—",
                 column_config={"year": st.column_config.NumberColumn(ctx.t("col.year"), format="%d"),
                                "list": ctx.t("col.list"), "name": ctx.t("col.name"),
                                "affiliation": ctx.t("col.affiliation"), "city": ctx.t("col.city"),
                                **ui.source_column_config(ctx)})
    st.caption(ctx.t("overview.honours_note"))


def data_status(ctx: Context) -> None:
    with st.expander(ctx.t("overview.data_status"), expanded=False):
        status = ctx.query("core/data_status")
        status = status.assign(table_name=status.table_name.map(lambda v: ctx.t(f"table.{v}")))
        st.dataframe(status, hide_index=True, width="stretch", placeholder="—",
                     column_config={"table_name": ctx.t("overview.table"),
                                    "total": ctx.t("overview.total"), "real": ctx.t("overview.real"),
                                    "illustrative": ctx.t("app.illustrative")})
        for w in ctx.query("core/data_warnings").itertuples():
            if w.n:
                st.warning(ctx.t_md(f"overview.warn_{w.warning}", n=i18n.fmt_int(w.n, ctx.lang)))
        st.caption(ctx.t_md("overview.version", version=ctx.db.version))


def render(ctx: Context) -> None:
    ui.header(ctx, "app.title", "app.subtitle")
    params = ctx.filters.sql_params()
    if key_figures(ctx, params).agreements == 0:
        ui.empty_state(ctx)
    else:
        charts_by_year(ctx, params)
    timeline(ctx, params)
    agreement_list(ctx, params)
    honours(ctx, params)
    data_status(ctx)


render(shell.context())
