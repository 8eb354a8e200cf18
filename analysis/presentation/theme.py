"""The hall look: the app's charts restyled for a projector at 1920×1080, in a light or a dark
theme. Sizes are pixels at 1920×1080 (the slide and image size): slide titles 56 px, key
numbers 128 px, chart text 28 px. Both themes keep text at a contrast of at least 7:1 against
the background, because a projector washes colours out.
"""
from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

from analysis.core.style import FONT_FAMILY

WIDTH, HEIGHT = 1920, 1080
TITLE_PX = 56
NUMBER_PX = 128
CAPTION_PX = 32
CHART_PX = 28      # tick labels, legends, node labels
SOURCE_PX = 18


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
    """Restyle a chart from analysis/overview or analysis/compare for the hall (in place; the
    figure may be an unvalidated copy of a validated one): no title (the slide carries it as real
    text), large text, thick grid, the theme's colours, 1920×1080."""
    th = theme(theme_name)
    # set only when it changes: a checked chart checks and copies a template it is given
    # (~9 ms); an unvalidated copy only copies it
    template = pio.templates[th.template]
    template = {} if fig.layout.template == template else {"template": template}
    # no title, the same in a checked figure and in an unvalidated copy (update_layout would
    # leave {} in one and null in the other)
    fig.plotly_relayout({"title": None})
    fig.update_layout(
        **template, width=WIDTH, height=HEIGHT - 280, autosize=True,
        paper_bgcolor=th.bg, plot_bgcolor=th.bg,
        font={"family": FONT_FAMILY, "size": CHART_PX, "color": th.fg},
        margin={"l": 40, "r": 40, "t": 90, "b": 40},
        legend={"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom",
                "font": {"size": CHART_PX}, "title": None},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 24}},
    )
    fig.update_xaxes(gridcolor=th.grid, linecolor=th.fg, tickfont={"size": CHART_PX},
                     title_font={"size": CHART_PX}, automargin=True)
    fig.update_yaxes(gridcolor=th.grid, linecolor=th.fg, tickfont={"size": CHART_PX},
                     title_font={"size": CHART_PX}, automargin=True)
    for note in fig.layout.annotations:
        note.font.size = max(note.font.size or 0, CHART_PX)
        note.font.color = th.muted
    for trace in fig.data:
        if trace.type == "sankey":
            trace.node.thickness = 40
            trace.node.pad = 40
            trace.textfont = {"size": CHART_PX + 4, "color": th.fg, "family": FONT_FAMILY}
    return fig
