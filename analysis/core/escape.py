"""The one escaping helper: every text that comes from data, a file name or a user passes
through here before it reaches HTML, plotly text (plotly renders tags) or Streamlit markdown.

- `esc` for HTML and plotly hover cards, titles and annotations.
- `code_span` for a text Streamlit's markdown shows as inline code (an address to copy).
- `md` for anything Streamlit renders as markdown: st.markdown/st.write/st.caption, st.info
  and friends, widget labels and help, st.metric labels, tab and expander titles. Streamlit
  renders links, images (which the browser fetches: the offline promise and viewers' privacy),
  :colour[...] and :emoji: directives, $math$ and, in labels, the same markdown; HTML is off
  unless unsafe_allow_html, but `md` makes it inert anyway. st.table renders its cells and
  headings as markdown too.
"""
from __future__ import annotations

import html
import re

import pandas as pd

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them turns off links, images, emphasis, code, headings, lists, tables, HTML, entities
# (&lt;), Streamlit's :directives: and $math$ alike.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Escapes do not stop GFM's autolinks (http://…, www.…, a@b.c): a word joiner (U+2060,
# invisible) before the ':' / '@' / '.' they need breaks them.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(?=[:@])|(?<=\bwww)(?=\.)")


def _text(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) \
        else str(value)


def _one_line(value) -> str:
    """The text on one line, runs of whitespace as one space (a newline would start a new block)."""
    return " ".join(_text(value).split())


def esc(value) -> str:
    """HTML-escaped text; None and NA become the empty string."""
    return html.escape(_text(value), quote=True)


def esc_template(value) -> str:
    """esc for text written into a plotly hovertemplate itself (not passed as customdata): its
    '%' as an entity too, so a name such as '%{y}' reads as typed instead of being filled in."""
    return esc(value).replace("%", "&#37;")


def md(value) -> str:
    """Text shown literally by Streamlit's markdown: one line (a newline would start a new
    block), every punctuation mark backslash-escaped. None and NA become the empty string."""
    text = _AUTOLINK.sub("\u2060", _one_line(value))
    return _MD_SPECIAL.sub(r"\\\1", text)


def code_span(value) -> str:
    """Text shown literally as inline code by Streamlit's markdown, on one line (runs of
    whitespace become one space). CommonMark parses nothing inside a code span, so it is fenced
    by one backtick more than its longest run of backticks. Streamlit rewrites ':material/' in
    the raw text (icons) before parsing, code spans included: a word joiner breaks it. None, NA
    and empty text become the empty string."""
    text = _one_line(value).replace(":material/", ":\u2060material/")
    if not text:
        return ""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""   # CommonMark strips one space each side
    return f"{fence}{pad}{text}{pad}{fence}"
