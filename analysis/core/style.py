"""The look every chart shares: one palette app-wide (Okabe–Ito, colour-blind safe): Chengdu is always blue, Chongqing
always vermillion, cross-city always reddish purple.
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from analysis.core import i18n
from analysis.core.escape import esc

CITY_COLORS = {"Chengdu": "#0072B2", "Chongqing": "#D55E00"}
OTHER_COLOR = "#999999"
CROSS_CITY_COLOR = "#CC79A7"
KIND_COLORS = {"base_base": "#009E73", "base_school": "#E69F00", "other": "#56B4E9"}
PAIR_COLORS = {"Chengdu–Chengdu": CITY_COLORS["Chengdu"],
               "Chongqing–Chongqing": CITY_COLORS["Chongqing"],
               "Chengdu–Chongqing": CROSS_CITY_COLOR}
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"

# Every figure starts from this template: set as plotly's default, a new figure takes the
# registered template object as it is; naming it in update_layout copies and checks it again
# (~9 ms a chart). The presentation's themes set theirs when it differs (theme.hall_style).
pio.templates.default = "plotly_white"


def city_color(city: str) -> str:
    return CITY_COLORS.get(city, OTHER_COLOR)


def style(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    """The app's look: large, clean, projector-friendly."""
    fig.update_layout(
        height=height,
        title={"text": esc(title), "x": 0, "font": {"size": 22}} if title else None,
        font={"family": FONT_FAMILY, "size": 16},
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "y": -0.15, "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 15}},
    )
    return fig


def year_axis(fig: go.Figure, lang: str, years: tuple[int, int]) -> None:
    """Every year of the chosen range on the axis, including years with no agreements."""
    fig.update_xaxes(title=i18n.t("col.year", lang), dtick=1, tickformat="d",
                     range=[years[0] - 0.5, years[1] + 0.5])
    fig.update_yaxes(title=i18n.t("chart.agreements", lang), rangemode="tozero")
