"""Entry point: `streamlit run dashboard.py`. Declares the pages; each page builds the shared
shell (data, sidebar filters kept in the URL) through pages.shared.page_context()."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis import i18n
from pages import shared

HERE = Path(__file__).resolve().parent
lang = shared.current_lang()

PAGES = [
    st.Page(HERE / "pages" / "overview.py", title=i18n.t("page.overview", lang),
            url_path="overview", default=True),
    st.Page(HERE / "pages" / "map.py", title=i18n.t("map.page", lang), url_path="map"),
    st.Page(HERE / "pages" / "compare.py", title=i18n.t("compare.page_title", lang), url_path="compare"),
    st.Page(HERE / "pages" / "data_manager.py", title=i18n.t("page.data_manager", lang),
            url_path="data-manager"),
]
st.navigation(PAGES, position="top").run()
