"""Chart builders for the compare page: trends with forum editions, the district ranking, the
city-pair × year heat map and the Sankey of agreements between cities. Pure: frames in, a
plotly Figure out, the app's palette (analysis/charts.py), every name from the data escaped.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.compare.data import Area, fmt_value, metric_label
from analysis.core import i18n
from analysis.core.escape import esc, esc_template
from analysis.core.style import CROSS_CITY_COLOR, city_color, style

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
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=(esc(count_title), esc(norm_title)))
    unknown = []
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
        x = [_mid_year(y) for y in part["year"]]
        years_text = [str(y) for y in part["year"]]
        fig.add_scatter(x=x, y=part["count"], name=name, legendgroup=area_id, mode="lines+markers",
                        line=line, marker=marker, customdata=years_text, row=1, col=1,
                        hovertemplate=f"{in_template} · %{{customdata}}<br>{esc(count_title)}: %{{y:,}}<extra></extra>")
        normalised = part["normalised"].astype("Float64")
        if normalised.isna().all():
            unknown.append(name)
        fig.add_scatter(x=x, y=normalised.astype(float), name=name, legendgroup=area_id,
                        showlegend=False, mode="lines+markers", line=line, marker=marker,
                        customdata=years_text, row=2, col=1, connectgaps=False,
                        hovertemplate=f"{in_template} · %{{customdata}}<br>{esc(norm_title)}: %{{y:,.2f}}<extra></extra>")
    _forum_marks(fig, events, lang)
    if unknown:
        fig.add_annotation(text=esc(_t("trend_unknown", lang)) + " " + ("、" if lang == "zh" else ", ").join(unknown),
                           xref="x2 domain", yref="y2 domain", x=0, y=1, showarrow=False,
                           xanchor="left", yanchor="top", font={"size": 13, "color": "#555555"})
    start, end = _mid_year(years[0]) - dt.timedelta(days=240), _mid_year(years[1]) + dt.timedelta(days=240)
    fig.update_xaxes(range=[start, end], dtick="M12", tickformat="%Y", ticklabelmode="period")
    fig.update_xaxes(title=i18n.t("col.year", lang), row=2, col=1)
    fig.update_yaxes(rangemode="tozero")
    style(fig, _t("trend_title", lang), height=620)
    return fig.update_layout(hovermode="closest")


def _forum_marks(fig: go.Figure, events: pd.DataFrame, lang: str) -> None:
    forums = events[events["is_forum"]] if len(events) else events
    # one dotted line per forum across each panel, given at once (add_vline per line and
    # panel costs ~7 ms each)
    line = {"dash": "dot", "color": CROSS_CITY_COLOR, "width": 2}
    fig.update_layout(shapes=[
        {"type": "line", "x0": day, "x1": day, "xref": xref, "y0": 0, "y1": 1, "yref": f"{yref} domain",
         "line": line} for day in (pd.Timestamp(d).strftime("%Y-%m-%d") for d in forums["date"])
        for xref, yref in (("x", "y"), ("x2", "y2"))])
    if len(forums):
        names = [esc(i18n.name(z, e, lang)) for z, e in zip(forums["name_zh"], forums["name_en"])]
        dates = [i18n.fmt_date(d, lang) for d in forums["date"]]
        fig.add_scatter(x=[pd.Timestamp(d) for d in forums["date"]], y=[0] * len(forums),
                        mode="markers", name=esc(_t("forum_edition", lang)), cliponaxis=False,
                        marker={"symbol": "star", "size": 14, "color": CROSS_CITY_COLOR},
                        customdata=list(zip(names, dates)), row=1, col=1,
                        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>")


def ranking_bar(df: pd.DataFrame, metric: str, lang: str) -> go.Figure:
    """Districts with a known value, highest on top, each bar in its city's colour."""
    known = df[df["value"].notna()]
    label = metric_label(metric, lang)
    names = [esc(i18n.name(z, e, lang)) for z, e in zip(known["name_zh"], known["name_en"])]
    cities = [esc(i18n.label("city", c, lang)) for c in known["city"]]
    values = [fmt_value(v, metric, lang) for v in known["value"]]
    fig = go.Figure(go.Bar(
        x=known["value"].astype(float), y=[f"{n} · {c}" for n, c in zip(names, cities)],
        orientation="h", marker_color=[city_color(c) for c in known["city"]],
        text=values, textposition="outside", cliponaxis=False,
        customdata=list(zip(known["rank"].astype(int), names, cities, values)),
        hovertemplate=("#%{customdata[0]} <b>%{customdata[1]}</b> · %{customdata[2]}<br>"
                       + esc(label) + ": %{customdata[3]}<extra></extra>")))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=esc(label), rangemode="tozero")
    style(fig, _t("ranking_title", lang, metric=label), height=max(320, 90 + 26 * len(known)))
    return fig.update_layout(showlegend=False, margin={"r": 60})


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
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[str(y) for y in all_years], y=labels,
        colorscale=[[0, "#FFFFFF"], [1, CROSS_CITY_COLOR]], zmin=0,
        texttemplate="%{z}", textfont={"size": 16}, xgap=2, ygap=2,
        colorbar={"title": {"text": esc(title)}},
        hovertemplate="%{y} · %{x}<br>" + esc(title) + ": %{z:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=i18n.t("col.year", lang), type="category")
    return style(fig, _t("heatmap_title", lang), height=max(300, 140 + 50 * len(grid)))


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
    fig = go.Figure(go.Sankey(
        # Party A cities only send and party B cities only receive, so plotly puts them in
        # two columns by itself.
        arrangement="snap",
        node={"label": labels, "color": colors, "pad": 24, "thickness": 22,
              "hovertemplate": "%{label}: %{value:,}<extra></extra>"},
        link={"source": source, "target": target, "value": df["agreements"].astype(int).tolist(),
              "color": link_colors,
              "hovertemplate": ("%{source.label} → %{target.label}<br>" + esc(title)
                                + ": %{value:,}<extra></extra>")}))
    style(fig, _t("sankey_title", lang), height=420)
    for x, key, anchor in ((0, "sankey_left", "left"), (1, "sankey_right", "right")):
        fig.add_annotation(text=esc(_t(key, lang)), x=x, y=1.06, xref="paper", yref="paper",
                           showarrow=False, xanchor=anchor, font={"size": 14, "color": "#555555"})
    return fig


def _alpha(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
