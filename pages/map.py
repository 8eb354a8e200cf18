"""Cooperation map: district density, institutions, agreement arcs and a year-by-year
animation, with a side panel for the selected district or institution. UI only: the data,
the metrics and the figure come from analysis.map.data / map_metrics / map_charts."""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

import streamlit as st

from analysis.core.escape import esc
from analysis.core import geo
from analysis.core import i18n
from analysis.map import figure as map_charts
from analysis.map import labels as map_labels
from analysis.map import data as map_data
from analysis.map import view as map_view
from analysis.areas.metrics import METRICS
from pages import shared

c = shared.page_context("map")
f, lang = c.filters, c.lang
CACHED = SimpleNamespace(query=shared.query)  # the analysis functions take anything with .query
ALL_CODES = [feature["id"] for feature in geo.districts_geojson()["features"]]

shared.page_header("map.title", "map.subtitle")

years = list(range(f.year_from, f.year_to + 1))
state = st.session_state

# View state: from the URL on arrival, then owned by the widgets (their keys are the query keys).
for key, value in map_view.from_query(st.query_params.to_dict(), (years[0], years[-1])).widget_state().items():
    state.setdefault(key, value)
if state["map_year"] == state.get("_map_last_year"):  # was on the last year: follow the range
    state["map_year"] = years[-1]
state["map_year"] = map_view.clamp_year(int(state["map_year"]), (years[0], years[-1]))
state["_map_last_year"] = years[-1]
state.setdefault("_map_chart_gen", 0)


def chart_key() -> str:
    return f"map_chart_{state['_map_chart_gen']}"


def on_map_select() -> None:
    """A click on the map selects the district, institution or city-level group under it."""
    event = state.get(chart_key()) or {}
    picked = map_view.selection_from_points(event.get("selection", {}).get("points", []))
    if picked:
        state["map_sel"] = picked


def restart_chart() -> None:
    """After a pick in the search box, a fresh chart widget, so the next click always counts."""
    state["_map_chart_gen"] += 1


def clear_selection() -> None:
    state["map_sel"] = None
    restart_chart()


controls = st.columns([1.4, 1, 1.6, 1], vertical_alignment="bottom")
controls[0].selectbox(c.t("map.metric"), METRICS, key="map_metric",
                      format_func=lambda m: c.t(f"map.metric_name.{m}"))
controls[1].segmented_control(c.t("map.period"), map_view.PERIODS, key="map_period", required=True,
                              format_func=lambda p: c.t(f"map.period_name.{p}"))
if len(years) > 1:
    controls[2].select_slider(c.t("map.year"), years, key="map_year", help=c.t("map.year_help"))
else:
    controls[2].caption(f"{c.t('map.year')}: {years[0]}")
controls[3].toggle(c.t("map.cross_only"), key="map_cross")

view = map_view.MapView(year=int(state["map_year"]), metric=state["map_metric"],
                        period=state["map_period"], cross_only=bool(state["map_cross"]),
                        selection=state.get("map_sel"))
for key in map_view.QUERY_KEYS:
    st.query_params.pop(key, None)
st.query_params.update(view.to_query())

data = map_data.load_map_data(CACHED, f.sql_params(), view, ALL_CODES)
if data.markers_total == 0 and data.arc_agreements == 0 and data.city_level.empty:
    shared.empty_state("map.note.empty")
    st.stop()

left, right = st.columns([3, 1.15], gap="medium")
with left:
    st.plotly_chart(
        map_charts.cooperation_map(data, lang), key=chart_key(), on_select=on_map_select,
        selection_mode="points", width="stretch",
        config={"displaylogo": False, "scrollZoom": True,
                "toImageButtonOptions": {"format": "png", "filename": "chengdu-chongqing-cooperation-map",
                                         "width": 1600, "height": map_charts.HEIGHT, "scale": 2}})
    st.caption(map_labels.map_notes(data, lang))
    with st.expander(c.t("map.city_totals.title")):
        totals = data.city_totals.assign(city=data.city_totals["city"].map(lambda v: i18n.label("city", v, lang)))
        st.dataframe(totals, hide_index=True, width="stretch",
                     column_config={col: c.t("col.city" if col == "city" else f"map.city_totals.{col}")
                                    for col in totals.columns})

with right:
    st.subheader(c.t("map.panel.title"))
    options = [*[f"d:{code}" for code in ALL_CODES],
               *[f"c:{city}" for city in data.city_level["city"]],
               *[f"i:{i}" for i in data.markers["id"]]]
    if state.get("map_sel") and state["map_sel"] not in options:
        options.append(state["map_sel"])
    st.selectbox(c.t("map.search"), options, key="map_sel", on_change=restart_chart,
                 placeholder=c.t("map.search_none"),
                 format_func=lambda sel: map_labels.selection_label(sel, data.markers, lang),
                 help=c.t("map.search_help"))
    chosen = map_view.parse_selection(view.selection)
    if not chosen:
        st.info(c.t("map.panel.hint"))
    else:
        institution = shared.query("map/institution", id=chosen[1]) if chosen[0] == "i" else None
        if institution is not None and institution.empty:
            st.warning(c.t("map.panel.not_found"))
        else:
            title = map_labels.selection_title(view.selection, institution, lang)
            st.html(f'<p style="font-size:1.1rem;font-weight:600;margin:0">{esc(title)}</p>')
        partners, agreements = data.selection_partners, data.selection_agreements
        if agreements.empty:
            st.info(c.t("map.panel.nothing"))
        else:
            first, last = agreements["signed_on"].min().year, agreements["signed_on"].max().year
            st.caption(c.t("map.panel.summary",
                           partners=i18n.fmt_int(int(partners["total"].iloc[0]), lang),
                           agreements=i18n.fmt_int(int(agreements["total"].iloc[0]), lang),
                           years=first if first == last else f"{first}–{last}"))
            tab_partners, tab_agreements = st.tabs([c.t("map.panel.partners"), c.t("map.panel.agreements")])
            with tab_partners:
                table = partners.assign(
                    partner=[i18n.name(z, e, lang) for z, e in zip(partners.name_zh, partners.name_en)],
                    type=partners.type.map(lambda v: c.t(f"map.fig.{v}_one")),
                    place=[" · ".join(filter(None, (i18n.label("city", ci, lang), i18n.name(dz, de, lang))))
                           for ci, dz, de in zip(partners.city, partners.district_zh, partners.district_en)],
                )[["partner", "type", "place", "agreements", "last_signed", "provenance"]]
                st.dataframe(shared.source_columns(table, lang), hide_index=True, width="stretch",
                             column_config={"partner": c.t("map.panel.partner"), "type": c.t("map.panel.type"),
                                            "place": c.t("map.panel.place"),
                                            "agreements": c.t("map.panel.agreements"),
                                            "last_signed": st.column_config.DateColumn(c.t("map.panel.last_signed")),
                                            **shared.source_column_config(lang)})
            with tab_agreements:
                table = agreements.assign(
                    kind=agreements.kind.map(lambda v: i18n.label("kind", v, lang)),
                    party_a=[i18n.name(z, e, lang) for z, e in zip(agreements.a_name_zh, agreements.a_name_en)],
                    party_b=[i18n.name(z, e, lang) for z, e in zip(agreements.b_name_zh, agreements.b_name_en)],
                )[["signed_on", "kind", "party_a", "party_b", "title", "provenance"]]
                table = shared.source_columns(table, lang)
                st.dataframe(table, hide_index=True, width="stretch",
                             column_config={"signed_on": st.column_config.DateColumn(c.t("col.date")),
                                            "kind": c.t("col.kind"), "party_a": c.t("col.party_a"),
                                            "party_b": c.t("col.party_b"), "title": c.t("col.title"),
                                            **shared.source_column_config(lang)})
                shared.downloads(table, "map-selection-agreements", key="map_selection")
            if max(int(agreements["total"].iloc[0]), int(partners["total"].iloc[0])) > map_data.SELECTION_LIMIT:
                st.caption(c.t("map.panel.limited", n=i18n.fmt_int(map_data.SELECTION_LIMIT, lang)))
        st.button(c.t("map.panel.clear"), on_click=clear_selection, key="map_clear")

    st.caption(c.t("map.panel.link"))
    st.code(f"{st.context.url or ''}?{urlencode(st.query_params.to_dict())}", language=None, wrap_lines=True)
