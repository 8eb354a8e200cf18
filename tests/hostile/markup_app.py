"""A tiny Streamlit app that shows one hostile text, through escape.md (and once as inline
code, through escape.code_span), in every element kind that renders markdown
(test_hostile_markup_browser.py). ?raw=1 shows it unescaped in st.markdown only: the control
that proves the test would see a leak."""
import os

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.core.escape import code_span, esc, md

text = os.environ["HOSTILE_TEXT"]
st.title("markup")
if st.query_params.get("raw"):
    st.markdown(text)
    st.stop()
safe = md(text)
st.markdown(safe)
st.write(safe)
st.markdown(code_span(text))
st.table(pd.DataFrame({safe: [safe]}), hide_index=True)
st.caption(safe)
st.info(safe)
st.warning(safe, icon=None)
st.metric(safe, 1, help=safe)
st.checkbox(safe, help=safe)
st.selectbox(safe, [text])
st.button(safe, help=safe)
with st.expander(safe):
    st.write("inside")
tabs = st.tabs([safe, "b"])
tabs[0].write(safe)
st.plotly_chart(go.Figure(go.Bar(x=[esc(text)], y=[1], hovertext=[esc(text)]),
                          layout={"title": {"text": esc(text)}}))
