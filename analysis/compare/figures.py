"""Chart builders for the compare page: trends with forum editions, the district ranking, the
city-pair × year heat map and the Sankey of agreements between cities. Pure: frames in, a
plotly Figure out, the app's palette (analysis/charts.py), every name from the data escaped.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from analysis.compare.data import Area, fmt_value, metric_label
from analysis.core import i18n
from analysis.core.escape import esc, esc_template
from analysis.core.style import CROSS_CITY_COLOR, chart, city_color

# Districts are drawn in their city's colour; dash and marker tell them apart.
DASHES = ("dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("square", "diamond", "triangle-up", "cross", "x")


def _t(key: str, lang: str, **params) -> str:
    return i18n.t(f"compare.{key}", lang, **params)


def _mid_year(year: int) -> dt.date:
    """A year's figure is drawn at 1 July, so forum dates fall where they belong."""
    return dt.date(int(year), 7, 1)


def trend_chart(df: pd.DataFrame, events: pd.DataFrame, areas: dict[str, Area], metric: str,
                norm: str, years: tuple[int, int], lang: str) -> go.Figure:
    """Counts (top) and normalised values (bottom) per year, one line per area, with the
    forum editions as dotted lines across both panels."""
    count_title = metric_label(metric, lang)
    norm_title = metric_label(f"{metric}_{norm}", lang)
    traces, unknown = [], []
    district_no = 0
    for area_id, part in df.groupby("area_id", sort=False):
        area = areas[area_id]
        name, in_template = esc(area.label(lang)), esc_template(area.label(lang))
        line = {"color": city_color(area.city), "width": 3}
        marker = {"size": 9}
        if area.area_type == "district":
            line.update(dash=DASHES[district_no % len(DASHES)], width=2)
            marker["symbol"] = SYMBOLS[district_no % len(SYMBOLS)]
            district_no += 1
        normalised = part["normalised"].astype("Float64")
        if normalised.isna().all():
            unknown.append(name)
        shared = {"type": "scatter", "x": [_mid_year(y) for y in part["year"]], "name": name,
                  "legendgroup": area_id, "mode": "lines+markers", "line": line, "marker": marker,
                  "customdata": [str(y) for y in part["year"]]}
        traces += [{**shared, "y": part["count"].to_numpy(), "xaxis": "x", "yaxis": "y",
                    "hovertemplate": f"{in_template} · %{{customdata}}<br>{esc(count_title)}: %{{y:,}}<extra></extra>"},
                   {**shared, "y": normalised.astype(float).to_numpy(), "xaxis": "x2", "yaxis": "y2",
                    "showlegend": False, "connectgaps": False,
                    "hovertemplate": f"{in_template} · %{{customdata}}<br>{esc(norm_title)}: %{{y:,.2f}}<extra></extra>"}]
    shapes, stars = _forum_marks(events, lang)
    titles = [_panel_title(count_title, 1.0), _panel_title(norm_title, 0.44)]
    if unknown:
        titles.append({"text": esc(_t("trend_unknown", lang)) + " " + ("、" if lang == "zh" else ", ").join(unknown),
                       "xref": "x2 domain", "yref": "y2 domain", "x": 0, "y": 1, "showarrow": False,
                       "xanchor": "left", "yanchor": "top", "font": {"size": 13, "color": "#555555"}})
    start, end = _mid_year(years[0]) - dt.timedelta(days=240), _mid_year(years[1]) + dt.timedelta(days=240)
    def years_axis(**own) -> dict:   # both panels' x axes: the same years, no list shared
        return {"range": [start, end], "dtick": "M12", "tickformat": "%Y", "ticklabelmode": "period",
                "domain": [0.0, 1.0], **own}
    # two panels, one above the other, sharing the years
    layout = {"xaxis": years_axis(anchor="y", matches="x2", showticklabels=False),
              "xaxis2": years_axis(anchor="y2", title={"text": i18n.t("col.year", lang)}),
              "yaxis": {"anchor": "x", "domain": [0.56, 1.0], "rangemode": "tozero"},
              "yaxis2": {"anchor": "x2", "domain": [0.0, 0.44], "rangemode": "tozero"},
              "annotations": titles, "shapes": shapes, "hovermode": "closest"}
    return chart(traces + stars, layout, _t("trend_title", lang), height=620)


def _panel_title(text: str, y: float) -> dict:
    return {"text": esc(text), "x": 0.5, "y": y, "xref": "paper", "yref": "paper", "xanchor": "center",
            "yanchor": "bottom", "showarrow": False, "font": {"size": 16}}


def _forum_marks(events: pd.DataFrame, lang: str) -> tuple[list[dict], list[dict]]:
    """One dotted line per forum across each panel, and the forums as stars in the top one."""
    forums = events[events["is_forum"]] if len(events) else events
    shapes = [{"type": "line", "x0": day, "x1": day, "xref": xref, "y0": 0, "y1": 1, "yref": f"{yref} domain",
               "line": {"dash": "dot", "color": CROSS_CITY_COLOR, "width": 2}} for day in (pd.Timestamp(d).strftime("%Y-%m-%d") for d in forums["date"])
              for xref, yref in (("x", "y"), ("x2", "y2"))]
    if not len(forums):
        return shapes, []
    names = [esc(i18n.name(z, e, lang)) for z, e in zip(forums["name_zh"], forums["name_en"])]
    dates = [i18n.fmt_date(d, lang) for d in forums["date"]]
    return shapes, [{"type": "scatter", "x": [pd.Timestamp(d) for d in forums["date"]], "y": [0] * len(forums),
                     "mode": "markers", "name": esc(_t("forum_edition", lang)), "cliponaxis": False,
                     "marker": {"symbol": "star", "size": 14, "color": CROSS_CITY_COLOR},
                     "customdata": list(zip(names, dates)), "xaxis": "x", "yaxis": "y",
                     "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"}]


def ranking_bar(df: pd.DataFrame, metric: str, lang: str) -> go.Figure:
    """Districts with a known value, highest on top, each bar in its city's colour."""
    known = df[df["value"].notna()]
    label = metric_label(metric, lang)
    names = [esc(i18n.name(z, e, lang)) for z, e in zip(known["name_zh"], known["name_en"])]
    cities = [esc(i18n.label("city", c, lang)) for c in known["city"]]
    values = [fmt_value(v, metric, lang) for v in known["value"]]
    bar = {"type": "bar", "x": known["value"].astype(float).to_numpy(),
           "y": [f"{n} · {c}" for n, c in zip(names, cities)],
           "orientation": "h", "marker": {"color": [city_color(c) for c in known["city"]]},
           "text": values, "textposition": "outside", "cliponaxis": False,
           "customdata": list(zip(known["rank"].astype(int), names, cities, values)),
           "hovertemplate": ("#%{customdata[0]} <b>%{customdata[1]}</b> · %{customdata[2]}<br>"
                             + esc(label) + ": %{customdata[3]}<extra></extra>")}
    return chart([bar], {"yaxis": {"autorange": "reversed"},
                         "xaxis": {"title": {"text": esc(label)}, "rangemode": "tozero"},
                         "showlegend": False, "margin": {"r": 60}},
                 _t("ranking_title", lang, metric=label), height=max(320, 90 + 26 * len(known)))


def pair_label(pair: str, lang: str) -> str:
    a, _, b = pair.partition("–")
    return f"{i18n.label('city', a, lang)}—{i18n.label('city', b, lang)}"


def pair_year_heatmap(df: pd.DataFrame, years: tuple[int, int], lang: str) -> go.Figure:
    """Agreements per city pair (rows, cross-city first) and year (columns); every year shown."""
    all_years = list(range(years[0], years[1] + 1))
    grid = (df.pivot_table(index="city_pair", columns="year", values="agreements", aggfunc="sum")
            .reindex(columns=all_years).fillna(0).astype(int))
    cross = df.groupby("city_pair")["cross_city"].any()
    grid = grid.loc[sorted(grid.index, key=lambda p: (not cross[p], p))]
    labels = [esc(pair_label(p, lang)) + (" ★" if cross[p] else "") for p in grid.index]
    title = i18n.t("chart.agreements", lang)
    heat = {"type": "heatmap", "z": grid.to_numpy(), "x": [str(y) for y in all_years], "y": labels,
            "colorscale": [[0, "#FFFFFF"], [1, CROSS_CITY_COLOR]], "zmin": 0,
            "texttemplate": "%{z}", "textfont": {"size": 16}, "xgap": 2, "ygap": 2,
            "colorbar": {"title": {"text": esc(title)}},
            "hovertemplate": "%{y} · %{x}<br>" + esc(title) + ": %{z:,}<extra></extra>"}
    return chart([heat], {"yaxis": {"autorange": "reversed"},
                          "xaxis": {"title": {"text": i18n.t("col.year", lang)}, "type": "category"}},
                 _t("heatmap_title", lang), height=max(300, 140 + 50 * len(grid)))


def city_sankey(df: pd.DataFrame, lang: str) -> go.Figure:
    """Agreements from party A's city (left) to party B's city (right)."""
    left = list(dict.fromkeys(df["a_city"]))
    right = list(dict.fromkeys(df["b_city"]))
    labels = [esc(i18n.label("city", c, lang)) for c in left + right]
    colors = [city_color(c) for c in left + right]
    source = [left.index(c) for c in df["a_city"]]
    target = [len(left) + right.index(c) for c in df["b_city"]]
    link_colors = [_alpha(CROSS_CITY_COLOR if x else city_color(a), 0.45)
                   for a, x in zip(df["a_city"], df["cross_city"])]
    title = i18n.t("chart.agreements", lang)
    sankey = {
        "type": "sankey",
        # Party A cities only send and party B cities only receive, so plotly puts them in
        # two columns by itself.
        "arrangement": "snap",
        "node": {"label": labels, "color": colors, "pad": 24, "thickness": 22,
                 "hovertemplate": "%{label}: %{value:,}<extra></extra>"},
        "link": {"source": source, "target": target, "value": df["agreements"].astype(int).tolist(),
                 "color": link_colors,
                 "hovertemplate": ("%{source.label} → %{target.label}<br>" + esc(title)
                                   + ": %{value:,}<extra></extra>")}}
    sides = [{"text": esc(_t(key, lang)), "x": x, "y": 1.06, "xref": "paper", "yref": "paper",
              "showarrow": False, "xanchor": anchor, "font": {"size": 14, "color": "#555555"}}
             for x, key, anchor in ((0, "sankey_left", "left"), (1, "sankey_right", "right"))]
    return chart([sankey], {"annotations": sides}, _t("sankey_title", lang), height=420)


def _alpha(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
