"""The one escaping helper: every text that comes from data, a file name or a user passes
through here before it reaches HTML or plotly hover text (plotly renders tags), or markdown
(st.markdown, st.caption, st.info… render it: a name like `![x](http://…)` would fetch)."""
from __future__ import annotations

import html
import re

import pandas as pd

# CommonMark's backslash-escapable punctuation that markdown, GFM or Streamlit give a meaning
# ($ for LaTeX, : for :emoji: and :color[…] directives, ~ for strike-through).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&])")


def esc(value) -> str:
    """HTML-escaped text; None and NA become the empty string."""
    return html.escape(_text(value), quote=True)


def md(value) -> str:
    """Markdown-inert text: every special character backslash-escaped, so it shows as written;
    new lines become spaces (a line break would start a list or a heading). None and NA
    become the empty string."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(_text(value).splitlines()))


def _text(value) -> str:
    return "" if value is None or value is pd.NA else str(value)
