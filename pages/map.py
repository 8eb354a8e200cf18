"""Cooperation map: district density, institutions, agreement arcs and a year-by-year
animation, with a side panel for the selected district or institution. UI only: the data,
the figure and its words come from analysis/map/ (data, figure, labels)."""
from __future__ import annotations

import streamlit as st

from analysis.areas.metrics import METRICS, city_totals
from analysis.core import display, geo, i18n
from analysis.core.escape import esc, md
from analysis.map import data as map_data
from analysis.map import figure as map_figure
from analysis.map import labels as map_labels
from analysis.map import layers as map_layers
from analysis.map.view import PERIODS, MapView, parse_selection, selection_from_points
from pages import shell, ui
from pages.shell import Context

# After a pick in the search box the chart widget starts afresh (a new key), so that the next
# click on the map always counts as a new selection.
CHART_GENERATION = "map_chart_generation"


# Cached per data version, filters and view.shared() (cache_resource: shared, not copied;
# never modified).
@st.cache_resource(max_entries=32, ttl=1800, show_spinner=False)
def _map_data(_ctx: Context, version: str, params: dict, view: MapView, codes: tuple) -> map_data.MapData:
    return map_data.load_map_data(_ctx, params, view, list(codes))


def view_data(ctx: Context, view: MapView, codes: list[str]) -> map_data.MapData:
    params = ctx.filters.sql_params()
    shared = _map_data(ctx, ctx.db.version, params, view.shared(), tuple(codes))
    return map_data.for_view(ctx, params, shared, view)


def chart_key() -> str:
    return f"map_chart_{st.session_state.get(CHART_GENERATION, 0)}"


def restart_chart() -> None:
    st.session_state[CHART_GENERATION] = st.session_state.get(CHART_GENERATION, 0) + 1


def on_map_select() -> None:
    """A click on the map selects the district, institution or city-level group under it."""
    event = st.session_state.get(chart_key()) or {}
    picked = selection_from_points(event.get("selection", {}).get("points", []))
    if picked:
        st.session_state["map_sel"] = picked


def clear_selection() -> None:
    st.session_state["map_sel"] = None
    restart_chart()


def controls(ctx: Context, years: list[int]) -> None:
    cols = st.columns([1.4, 1, 1.6, 1], vertical_alignment="bottom")
    cols[0].selectbox(ctx.t("map.metric"), METRICS, key="map_metric",
                      format_func=lambda m: ctx.t(f"map.metric_name.{m}"))
    cols[1].segmented_control(ctx.t("map.period"), PERIODS, key="map_period", required=True,
                              format_func=lambda p: ctx.t(f"map.period_name.{p}"))
    if len(years) > 1:
        cols[2].select_slider(ctx.t("map.year"), years, key="map_year", help=ctx.t("map.year_help"))
    else:
        cols[2].caption(f"{ctx.t('map.year')}: {years[0]}")
    cols[3].toggle(ctx.t("map.cross_only"), key="map_cross")


def the_map(ctx: Context, data: map_data.MapData) -> None:
    served = ui.served(geo.served_districts)   # the browser loads the districts' shapes once

    def build():
        over = ui.figure(ctx, "map_overlay", lambda: map_layers.overlay(data, ctx.lang), data.view.shared())
        return map_figure.cooperation_map(data, ctx.lang, over, served)
    fig = ui.figure(ctx, "map", build, data.view, served)
    st.plotly_chart(
        fig, key=chart_key(), on_select=on_map_select,
        selection_mode="points", width="stretch",
        config={"displaylogo": False, "scrollZoom": True,
                "toImageButtonOptions": {"format": "png", "filename": "chengdu-chongqing-cooperation-map",
                                         "width": 1600, "height": map_figure.HEIGHT, "scale": 2}})
    st.caption(map_labels.map_notes(data, ctx.lang))
    with st.expander(ctx.t("map.city_totals.title")):
        # a static table (a row per city): st.dataframe's grid would load before the map is drawn;
        # st.table renders markdown, so the city names are escaped; numbers stay numbers (aligned)
        totals = city_totals(ctx, ctx.filters.sql_params())
        cells = totals.assign(city=display.labels(totals["city"], "city", ctx.lang).map(md)).rename(
            columns={c: ctx.t_md("col.city" if c == "city" else f"map.city_totals.{c}") for c in totals.columns})
        st.table(cells.style.format(lambda n: i18n.fmt_int(n, ctx.lang), subset=list(cells.columns[1:])),
                 hide_index=True)


def search_box(ctx: Context, data: map_data.MapData, codes: list[str], selection: str | None) -> None:
    options = [*[f"d:{code}" for code in codes],
               *[f"c:{city}" for city in data.city_level["city"]],
               *[f"i:{i}" for i in data.markers["id"]]]
    if selection and selection not in options:
        options.append(selection)
    st.selectbox(ctx.t("map.search"), options, key="map_sel", on_change=restart_chart,
                 placeholder=ctx.t("map.search_none"),
                 format_func=lambda sel: map_labels.selection_label(sel, data.markers, ctx.lang),
                 help=ctx.t("map.search_help"))


def selection_panel(ctx: Context, data: map_data.MapData, view: MapView) -> None:
    """The partners and agreements of the selected district, institution or city-level group."""
    lang = ctx.lang
    chosen = parse_selection(view.selection)
    if not chosen:
        st.info(ctx.t("map.panel.hint"))
        return
    institution = ctx.query("map/institution", id=chosen[1]) if chosen[0] == "i" else None
    if institution is not None and institution.empty:
        st.warning(ctx.t("map.panel.not_found"))
    else:
        title = map_labels.selection_title(view.selection, institution, lang)
        st.html(f'<p style="font-size:1.1rem;font-weight:600;margin:0">{esc(title)}</p>')
        if institution is not None:
            st.page_link(str(shell.HERE / "network.py"), label=ctx.t("net.open_from_map"),
                         query_params={**ctx.filters.to_query(), "net_focus": chosen[1]})
    partners, agreements = data.selection_partners, data.selection_agreements
    if agreements.empty:
        st.info(ctx.t("map.panel.nothing"))
    else:
        first, last = agreements["signed_on"].min().year, agreements["signed_on"].max().year
        st.caption(ctx.t_md("map.panel.summary",
                         partners=i18n.fmt_int(int(partners["total"].iloc[0]), lang),
                         agreements=i18n.fmt_int(int(agreements["total"].iloc[0]), lang),
                         years=first if first == last else f"{first}–{last}"))
        tab_partners, tab_agreements = st.tabs([ctx.t("map.panel.partners"), ctx.t("map.panel.agreements")])
        with tab_partners:
            partner_table(ctx, partners)
        with tab_agreements:
            table = display.agreements_table(agreements, lang)
            st.dataframe(table, hide_index=True, width="stretch", column_config=ui.agreement_columns(ctx))
            ui.downloads(ctx, table, "map-selection-agreements", key="map_selection")
        if max(int(agreements["total"].iloc[0]), int(partners["total"].iloc[0])) > map_data.SELECTION_LIMIT:
            st.caption(ctx.t_md("map.panel.limited", n=i18n.fmt_int(map_data.SELECTION_LIMIT, lang)))
    st.button(ctx.t("map.panel.clear"), on_click=clear_selection, key="map_clear")


def partner_table(ctx: Context, partners) -> None:
    lang = ctx.lang
    places = [" · ".join(filter(None, (i18n.label("city", ci, lang), d)))
              for ci, d in zip(partners.city, display.names(partners, lang, "district_zh", "district_en"))]
    table = partners.assign(partner=display.names(partners, lang),
                            type=partners.type.map(lambda v: ctx.t(f"map.fig.{v}_one")), place=places,
                            )[["partner", "type", "place", "agreements", "last_signed", "provenance"]]
    st.dataframe(display.source_columns(table, lang), hide_index=True, width="stretch",
                 column_config={"partner": ctx.t("map.panel.partner"), "type": ctx.t("map.panel.type"),
                                "place": ctx.t("map.panel.place"),
                                "agreements": ctx.t("map.panel.agreements"),
                                "last_signed": st.column_config.DateColumn(ctx.t("map.panel.last_signed")),
                                **ui.source_column_config(ctx)})


def render(ctx: Context) -> None:
    ui.header(ctx, "map.title", "map.subtitle")
    map_and_panel(ctx)


@st.fragment
def map_and_panel(ctx: Context) -> None:
    """The map's controls, the map and its side panel: a change here reruns this part alone."""
    f = ctx.filters
    years = list(range(f.year_from, f.year_to + 1))
    view = shell.page_view(lambda q: MapView.from_query(q, (years[0], years[-1])))
    codes = [feature["id"] for feature in geo.districts_geojson()["features"]]
    controls(ctx, years)
    data = view_data(ctx, view, codes)
    if data.markers_total == 0 and data.arc_agreements == 0 and data.city_level.empty:
        ui.empty_state(ctx, "map.note.empty")
        return
    left, right = st.columns([3, 1.15], gap="medium")
    with left:
        the_map(ctx, data)
    with right:
        st.subheader(ctx.t("map.panel.title"))
        search_box(ctx, data, codes, view.selection)
        selection_panel(ctx, data, view)
        st.caption(ctx.t("map.panel.link"))
        ui.view_link()


render(shell.context())
