"""The hall look: the app's charts restyled for a projector at 1920×1080, in a light or a dark
theme. Sizes are pixels at 1920×1080 (the slide and image size): slide titles 56 px, key
numbers 128 px, chart text 28 px. Both themes keep text at a contrast of at least 7:1 against
the background, because a projector washes colours out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import plotly.graph_objects as go
import plotly.io as pio

from analysis.core.style import FONT_FAMILY, merged

WIDTH, HEIGHT = 1920, 1080
TITLE_PX = 56
NUMBER_PX = 128
CAPTION_PX = 32
CHART_PX = 28      # tick labels, legends, node labels
SOURCE_PX = 18
_AXIS = re.compile(r"^[xy]axis\d*$")


@dataclass(frozen=True)
class Theme:
    name: str
    bg: str
    fg: str
    muted: str       # captions; still ≥ 7:1 on bg
    grid: str
    badge_bg: str
    badge_fg: str
    template: str


THEMES = {
    "light": Theme("light", bg="#FFFFFF", fg="#111111", muted="#333333", grid="#C8C8C8",
                   badge_bg="#FFD54F", badge_fg="#111111", template="plotly_white"),
    "dark": Theme("dark", bg="#0B0F19", fg="#F5F5F5", muted="#D6D6D6", grid="#4A5060",
                  badge_bg="#FFD54F", badge_fg="#111111", template="plotly_dark"),
}


def theme(name: str) -> Theme:
    return THEMES.get(name, THEMES["light"])


def hall_style(fig: go.Figure, theme_name: str = "light") -> go.Figure:
    """A chart from analysis/overview or analysis/compare restyled for the hall (a copy, made
    from its dict: updating a figure walks plotly's property tree, ~8 ms a chart): no title
    (the slide carries it as real text), large text, thick grid, the theme's colours, 1920×1080."""
    th = theme(theme_name)
    spec = fig.to_dict()
    layout = spec["layout"]
    layout.pop("title", None)
    layout.update(merged(layout, {
        "width": WIDTH, "height": HEIGHT - 280, "autosize": True,
        "paper_bgcolor": th.bg, "plot_bgcolor": th.bg,
        "font": {"family": FONT_FAMILY, "size": CHART_PX, "color": th.fg},
        "margin": {"l": 40, "r": 40, "t": 90, "b": 40},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom",
                   "font": {"size": CHART_PX}},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 24}},
    }), template=_template(th.template))   # replaced whole: no other theme's defaults left
    axis = {"gridcolor": th.grid, "linecolor": th.fg, "tickfont": {"size": CHART_PX},
            "title": {"font": {"size": CHART_PX}}, "automargin": True}
    for key in {"xaxis", "yaxis", *(k for k in layout if _AXIS.match(k))}:
        layout[key] = merged(layout.get(key, {}), axis)
    for note in layout.get("annotations", []):
        font = note.setdefault("font", {})
        font.update(size=max(font.get("size") or 0, CHART_PX), color=th.muted)
    for trace in spec["data"]:
        if trace["type"] == "sankey":
            trace["node"] = {**trace.get("node", {}), "thickness": 40, "pad": 40}
            trace["textfont"] = {"size": CHART_PX + 4, "color": th.fg, "family": FONT_FAMILY}
    return go.Figure(spec, _validate=False)


@cache
def _template(name: str) -> dict:
    """A registered template as a dict, made once a theme (each figure copies it)."""
    return pio.templates[name].to_plotly_json()
