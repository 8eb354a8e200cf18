"""The cooperation map as one plotly figure: district density, institution markers, agreement
arcs, and one animation frame per year (play button and slider, no page reload per frame).

Offline by construction: Choroplethmap and Scattermap traces on map_style "white-bg" with the
shipped GeoJSON; only circle markers (other symbols are icons MapLibre downloads) and no text
drawn on the map (MapLibre would fetch glyphs): the year, the key and the legends are layout
annotations, legend entries and hover cards.

The traces are built in analysis/map/layers.py, their words in analysis/map/labels.py.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from analysis.core import geo, i18n
from analysis.core import style as charts
from analysis.core.escape import esc
from analysis.map.data import MapData
from analysis.map.labels import span_text
from analysis.map.layers import (
    BORDER_COLOR,
    DENSITY_SCALE,
    NO_VALUE_COLOR,
    OUTSIDE_COLOR,
    Overlay,
    colorbar_ticks,
    colorbar_title,
    density_frames,
    flat_districts,
    overlay,
    selection_traces,
)

HEIGHT = 820
FRAME_MS = 1000


def cooperation_map(data: MapData, lang: str, over: Overlay | None = None,
                    served: str | None = None) -> go.Figure:
    """The whole map for one view; the frame of data.view.year is the one shown first.
    over: overlay(data, lang), when the caller already has it (for data.view.shared()).
    served: geo.served_districts() when the app shows the figure; None for a figure that must
    work alone (its traces carry their districts' shapes)."""
    view = data.view
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    traces = []

    value_col = view.metric
    values = data.metrics.pivot(index="district_code", columns="year", values=value_col)
    no_value = sorted(values.index[values.isna().any(axis=1)])
    valued = [c for c in values.index if c not in set(no_value)]
    if data.outside:
        traces.append(flat_districts(data.outside, OUTSIDE_COLOR, t("map.fig.outside"),
                                      lang, showlegend=False, role="outside", served=served))
    if no_value:
        label = t("map.fig.no_value_institutions" if value_col == "agreements_per_100_institutions"
                  else "map.fig.no_value_population")
        traces.append(flat_districts(no_value, NO_VALUE_COLOR,
                                      f"{label} ({i18n.fmt_int(len(no_value), lang)})",
                                      lang, showlegend=True, role="no_value", served=served))

    # dynamic traces (changed by the frames), in a fixed order
    zmax = float(np.nanmax(values.to_numpy(dtype=float))) if len(valued) else 1.0
    choro_frames = density_frames(data, valued, lang)
    choro_index = len(traces)
    traces.append(go.Choroplethmap(_validate=False,
        geojson=geo.trace_shapes(valued, served), locations=valued, featureidkey="id",
        z=choro_frames[view.year][0], customdata=choro_frames[view.year][1],
        zmin=0, zmax=max(zmax, 1e-9), colorscale=DENSITY_SCALE,
        marker={"opacity": 0.9, "line": {"width": 0.8, "color": BORDER_COLOR}},
        selected={"marker": {"opacity": 0.9}}, unselected={"marker": {"opacity": 0.9}},
        hovertemplate="%{customdata[1]}<extra></extra>", name=t(f"map.metric_short.{value_col}"),
        showlegend=False, meta="density",
        colorbar={"title": {"text": colorbar_title(view, lang), "side": "right"},
                  "x": 1.0, "xanchor": "left", "y": 0.5, "len": 0.8, "thickness": 14,
                  **colorbar_ticks(value_col in ("agreements", "institutions"), zmax)}))
    # the overlay's traces may be shared (cached by the page): plotly gets copies, since
    # building a figure takes each trace's type out of it and puts it back
    over = over or overlay(data, lang)
    arcs = over.arcs
    traces += arcs.first(view.year)
    dynamic = list(range(choro_index, len(traces)))
    traces += selection_traces(data, served)
    traces += [t.to_plotly_json() for t in over.above]   # on top: city-level groups, institutions

    frames = []
    if len(data.years) > 1:
        for y in data.years:
            z, custom = choro_frames[y]
            frames.append(go.Frame(_validate=False,
                name=str(y), traces=dynamic,
                data=[go.Choroplethmap(_validate=False, z=z, customdata=custom),
                      *arcs.updates(y)],
                layout={"annotations": _annotations(data, y, lang)}))
    # Built unvalidated, traces and frames alike (plotly's validation was most of the build
    # time; the builders give it the types it expects): the same JSON, several times faster.
    return charts.animated(traces, frames, _layout(data, lang))


def _annotations(data: MapData, year: int, lang: str) -> list[dict]:
    key = i18n.t("map.fig.key_pairs" if data.arc_mode == "pairs" else "map.fig.key_detail", lang)
    return [
        # the year and its span sit bottom-left, where neither city is drawn
        {"text": esc(span_text(data.view, data.years[0], year, lang)), "x": 0.012, "y": 0.13,
         "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
         "font": {"size": 18, "color": "rgba(40,40,40,0.85)"}},
        {"text": f"<b>{year}</b>", "x": 0.008, "y": 0.0, "xref": "paper", "yref": "paper",
         "xanchor": "left", "yanchor": "bottom", "showarrow": False,
         "font": {"size": 76, "color": "rgba(40,40,40,0.6)"}},
        {"text": key, "x": 1.0, "y": 0.0, "xref": "paper", "yref": "paper", "xanchor": "right",
         "yanchor": "bottom", "align": "right", "showarrow": False,
         "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 13, "color": "#333"}},
    ]


def _layout(data: MapData, lang: str) -> dict:
    """The layout as one dict, given to the figure as it is made (updating an unvalidated
    figure's layout still walks plotly's property tree)."""
    view = data.view
    codes = data.metrics["district_code"].unique().tolist()
    points = list(zip(data.markers["lon"], data.markers["lat"])) if len(data.markers) else []
    centre, zoom = geo.framing(geo.bounds(codes, points))
    title = i18n.t("map.fig.title", lang, metric=i18n.t(f"map.metric_name.{view.metric}", lang))
    layout = charts.merged(charts.look(title, height=HEIGHT), {
        "map": {"style": "white-bg", "center": centre, "zoom": zoom},
        "uirevision": "|".join(sorted(codes)),  # keep the user's pan and zoom until the cities change
        "title": {"y": 0.985, "yanchor": "top", "yref": "container", "font": {"size": 19}},
        "margin": {"l": 0, "r": 90, "t": 150, "b": 70 if len(data.years) > 1 else 10},
        # the legend's title is the key to the stacked-circle symbols
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom",
                   "font": {"size": 14}, "itemsizing": "constant",
                   "title": {"text": i18n.t("map.fig.key", lang), "side": "top", "font": {"size": 14}}},
        "annotations": _annotations(data, view.year, lang),
        "hoverlabel": {"bgcolor": "white", "font": {"color": "#1f1f1f"}},
    })
    if len(data.years) > 1:
        names = [str(y) for y in data.years]
        still = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
        layout.update(
            updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.01,
                          "xanchor": "left", "yanchor": "top", "pad": {"t": 8, "r": 8}, "showactive": False,
                          "buttons": [
                              {"label": i18n.t("map.fig.play", lang), "method": "animate",
                               "args": [names, {"mode": "immediate", "fromcurrent": False,
                                                "frame": {"duration": FRAME_MS, "redraw": True},
                                                "transition": {"duration": 0}}]},
                              {"label": i18n.t("map.fig.pause", lang), "method": "animate",
                               "args": [[None], {**still, "frame": {"duration": 0, "redraw": False}}]}]}],
            sliders=[{"active": data.years.index(view.year), "x": 0.24, "len": 0.76, "y": -0.01,
                      "yanchor": "top", "pad": {"t": 8}, "currentvalue": {"visible": False},
                      "steps": [{"label": n, "method": "animate", "args": [[n], still]} for n in names]}])
    return layout
