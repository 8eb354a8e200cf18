"""The one escaping helper: every text that comes from data, a file name or a user passes
through here before it reaches HTML or plotly hover text (plotly renders tags)."""
from __future__ import annotations

import html

import pandas as pd


def esc(value) -> str:
    """HTML-escaped text; None and NA become the empty string."""
    return html.escape("" if value is None or value is pd.NA else str(value), quote=True)
