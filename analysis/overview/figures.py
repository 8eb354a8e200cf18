"""The overview's charts: a DataFrame and a language in, a plotly Figure out."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.core import i18n
from analysis.core.escape import esc, esc_template
from analysis.core.style import CROSS_CITY_COLOR, KIND_COLORS, OTHER_COLOR, PAIR_COLORS, chart, year_axes


def agreements_by_year_kind(df: pd.DataFrame, lang: str, years: tuple[int, int]) -> go.Figure:
    """Stacked bars: agreements per year, one colour per kind."""
    return _bars_by_year(df, "kind", "kind", KIND_COLORS, "stack", lang, years, "chart.by_year_kind")


def agreements_by_year_pair(df: pd.DataFrame, lang: str, years: tuple[int, int]) -> go.Figure:
    """Grouped bars: agreements per year for each city pair; cross-city in its own colour."""
    return _bars_by_year(df, "city_pair", "pair", PAIR_COLORS, "group", lang, years,
                         "chart.by_year_pair")


def _bars_by_year(df: pd.DataFrame, series: str, label_group: str, colors: dict, barmode: str,
                  lang: str, years: tuple[int, int], title_key: str) -> go.Figure:
    """Agreements per year, one bar series per value of the `series` column."""
    bars = []
    for value, part in df.groupby(series, sort=False):
        label = i18n.label(label_group, value, lang)
        bars.append({"type": "bar", "x": part["year"].to_numpy(), "y": part["agreements"].to_numpy(),
                     "name": esc(label), "marker": {"color": colors.get(value, OTHER_COLOR)},
                     "hovertemplate": f"%{{x}} · {esc_template(label)}: %{{y:,}}<extra></extra>"})
    return chart(bars, {"barmode": barmode, **year_axes(lang, years)}, i18n.t(title_key, lang))


def event_timeline(df: pd.DataFrame, lang: str) -> go.Figure:
    """Forum editions and related events on a date axis; agreements signed there in the hover."""
    rows = []
    for is_forum, part in df.groupby("is_forum", sort=False):
        names = [esc(i18n.name(zh, en, lang)) for zh, en in zip(part["name_zh"], part["name_en"])]
        cities = [esc(i18n.label("city", c, lang)) for c in part["city"]]
        dates = [i18n.fmt_date(d, lang) for d in part["date"]]
        row = i18n.t("chart.forum" if is_forum else "chart.related_event", lang)
        rows.append({
            "type": "scatter", "x": part["date"].to_numpy(), "y": [row] * len(part),
            "mode": "markers+text", "name": row,
            "text": dates, "textposition": "top center", "textfont": {"size": 13},
            "marker": {"size": [14 + 2 * min(n, 8) for n in part["agreements"]],
                       "color": CROSS_CITY_COLOR if is_forum else OTHER_COLOR,
                       "line": {"width": 1, "color": "white"}},
            "customdata": list(zip(names, cities, dates, part["agreements"])),
            "hovertemplate": ("<b>%{customdata[0]}</b><br>%{customdata[2]} · %{customdata[1]}<br>"
                              + esc(i18n.t("chart.agreements_signed", lang)) + ": %{customdata[3]}"
                              "<extra></extra>")})
    return chart(rows, {"yaxis": {"showgrid": False, "range": [-0.5, len(rows) - 0.2]},  # room for labels
                        "showlegend": False, "margin": {"t": 110}},  # and for the dates above the markers
                 i18n.t("chart.timeline", lang), height=300)
