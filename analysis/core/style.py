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
# (~9 ms a chart). The presentation's themes give theirs as a dict made once (theme.hall_style).
pio.templates.default = "plotly_white"


def city_color(city: str) -> str:
    return CITY_COLORS.get(city, OTHER_COLOR)


def look(title: str | None = None, height: int = 420) -> dict:
    """The app's look as a layout: large, clean, projector-friendly."""
    layout = {
        "height": height,
        "font": {"family": FONT_FAMILY, "size": 16},
        "margin": {"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        "legend": {"orientation": "h", "y": -0.15, "x": 0},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 15}},
    }
    if title:
        layout["title"] = {"text": esc(title), "x": 0, "font": {"size": 22}}
    return layout


def chart(data: list, layout: dict, title: str | None = None, height: int = 420) -> go.Figure:
    """A chart in the app's look from plain trace dicts (each with its "type", or unvalidated
    trace objects) and a layout, which overrides the look key by key at any depth. Unvalidated:
    plotly's checks are ~15 of the ~16 ms a small checked chart takes to build, on every filter
    change. tests/test_charts_valid.py checks every chart with them."""
    return go.Figure({"data": data, "layout": merged(look(title, height), layout)}, _validate=False)


def animated(data: list, frames: list[go.Frame], layout: dict) -> go.Figure:
    """An unvalidated figure with animation frames (unvalidated go.Frame objects). plotly checks
    frames again whatever the figure's _validate says (its constructor and its frames setter
    both do): ~15 ms a map on the shipped data, ~35 ms at 1M agreements. So they are set as
    built, where fig.frames reads them (plotly is pinned); tests/test_charts_valid.py checks
    the maps' frames with plotly's checks. Read a frame's traces as dicts, frame.to_plotly_json():
    plotly cannot give an unvalidated frame's .data back as objects."""
    fig = go.Figure(data=data, layout=layout, _validate=False)
    fig._frame_objs = tuple(frames)
    return fig


def copied(fig: go.Figure) -> go.Figure:
    """An unvalidated copy, frames included. Through to_dict, which only reads fig: plotly's
    go.Figure(fig) takes each trace's type out of fig and puts it back, which another thread
    reading a cached figure could catch."""
    spec = fig.to_dict()
    return animated(spec["data"], [go.Frame(f, _validate=False) for f in spec.get("frames", [])],
                    spec["layout"])


def merged(base: dict, update: dict) -> dict:
    """`base` with `update` laid over it, nested dicts merged (as plotly's update_layout does).
    Each dict it takes from `update` is copied, so no two places of a figure share one."""
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, dict):
            value = merged(out[key] if isinstance(out.get(key), dict) else {}, value)
        out[key] = value
    return out


def year_axes(lang: str, years: tuple[int, int]) -> dict:
    """Every year of the chosen range on the x axis, including years with no agreements."""
    return {"xaxis": {"title": {"text": i18n.t("col.year", lang)}, "dtick": 1, "tickformat": "d",
                      "range": [years[0] - 0.5, years[1] + 0.5]},
            "yaxis": {"title": {"text": i18n.t("chart.agreements", lang)}, "rangemode": "tozero"}}
