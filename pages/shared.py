"""UI helpers shared by every page: data loading and caching, sidebar filters kept in the
URL, the illustrative-data badge, empty states and source labels. No SQL or business logic."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core import export
from analysis.core import i18n
from analysis.core.db import Database
from analysis.core.filters import Filters, from_query
from analysis.core.loading import data_version, default_data_dir, load
from analysis.core.schema import ILLUSTRATIVE, KINDS
from analysis.core.validation import Problem


@dataclass(frozen=True)
class Context:
    db: Database | None    # None only for the data manager on invalid data (build_shell)
    filters: Filters
    problems: tuple[Problem, ...] = ()   # the validation problems in that case

    @property
    def lang(self) -> str:
        return self.filters.lang

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(data_dir: str, version: str) -> tuple[Database | None, list[Problem]]:
    dataset, problems = load(Path(data_dir))
    return (Database(dataset) if dataset else None), problems


def open_data() -> tuple[Database | None, list[Problem]]:
    """The Database for the current files; reloaded when any file changes (no restart)."""
    data_dir = default_data_dir()
    return _open(str(data_dir), data_version(data_dir))


@st.cache_data(ttl=600, max_entries=2000, show_spinner=False)
def _cached(_db: Database, version: str, name: str, **params) -> pd.DataFrame:
    return _db.query(name, **params)


def query(name: str, **params) -> pd.DataFrame:
    db = ctx().db
    return _cached(db, db.version, name, **params)


def ctx() -> Context:
    return st.session_state["_ctx"]


def current_lang() -> str:
    """The language before the sidebar is drawn (for navigation titles)."""
    return st.session_state.get("lang") or i18n.normalise_lang(
        st.query_params.get("lang") or browser_lang())


def build_shell(allow_invalid: bool = False) -> Context:
    """Page config, data and the sidebar filters; stops with the problem list on invalid data
    unless allow_invalid (the data manager must stay usable to repair or restore: it gets a
    context without a database, with the problems, and only the language selector).

    Called by dashboard.py before the page runs, so the sidebar widgets belong to the entry
    script and keep their values when the user switches pages.
    """
    st.set_page_config(page_title="成渝科普合作图谱 · Chengdu–Chongqing Science Cooperation Atlas",
                       layout="wide")
    db, problems = open_data()
    if problems and allow_invalid:
        context = Context(None, _language_only(), tuple(problems))
    elif problems:
        show_problems(problems)
        st.stop()
    else:
        context = Context(db, sidebar(db))
    st.session_state["_ctx"] = context
    return context


def navigation():
    """Declare the pages (top navigation) and return the one the URL asks for."""
    here = Path(__file__).resolve().parent
    lang = current_lang()
    pages = [
        st.Page(here / "overview.py", title=i18n.t("page.overview", lang), url_path="overview",
                default=True),
        st.Page(here / "map.py", title=i18n.t("map.page", lang), url_path="map"),
        st.Page(here / "compare.py", title=i18n.t("compare.page_title", lang), url_path="compare"),
        st.Page(here / "data_manager.py", title=i18n.t("page.data_manager", lang),
                url_path="data_manager"),
    ]
    return st.navigation(pages, position="top")


def app_shell():
    """What dashboard.py does on every run: pages, then the shell; returns the page to run."""
    page = navigation()
    # The data manager opens even on invalid data, to repair or restore it.
    build_shell(allow_invalid=page.url_path == "data_manager")
    st.session_state["_shell_built"] = True
    return page


def page_context(page: str) -> Context:
    """Call first on every page: the context dashboard.py built for this run.

    Streamlit may also run a file in pages/ on its own (its legacy pages-folder mode, on the
    first run after a server start when the link points at a page). Then the page declares
    the navigation, which ends that mode, and starts the run again through dashboard.py
    before drawing anything, so no widget is created under a page identity it would lose.
    """
    if not st.session_state.pop("_shell_built", False):
        navigation()
        st.rerun()
    st.session_state["_page"] = page
    return ctx()


def _language_only() -> Filters:
    """The sidebar of a page shown without data (allow_invalid): the language alone."""
    with st.sidebar:
        _language_radio(current_lang())
    st.query_params["lang"] = st.session_state["lang"]
    return Filters(0, 0, (), (), False, st.session_state["lang"])


def browser_lang() -> str:
    try:
        return st.context.locale or i18n.DEFAULT_LANG
    except Exception:  # noqa: BLE001 - no browser (AppTest, bare mode)
        return i18n.DEFAULT_LANG


def show_problems(problems: list[Problem]) -> None:
    """Start-up page when the data is invalid: every problem, no traceback."""
    lang = i18n.normalise_lang(st.query_params.get("lang") or browser_lang())
    st.title(i18n.t("app.title", lang))
    st.error(i18n.t("app.invalid_data_title", lang))
    st.write(i18n.t("app.invalid_data_body", lang))
    table = pd.DataFrame([{"file": p.file, "line": p.line, "column": p.column,
                           "message": p.message(lang)} for p in problems])
    st.dataframe(table, hide_index=True, width="stretch")
    st.code("\n".join(p.format(lang) for p in problems), language=None)


def sidebar(db: Database) -> Filters:
    """Language and filters; initial values come from the URL, changes go back into it.

    The values last chosen are kept in session state (`_filters`) and passed to the widgets
    as their defaults. A widget only uses its default when Streamlit creates it afresh (the
    session's first run, or after its identity changed, as on the first run after a server
    start); otherwise it keeps its own state.
    """
    bounds_df = db.query("core/year_bounds")
    first, last = bounds_df.iloc[0]
    today_year = pd.Timestamp.today().year
    bounds = (int(first) if pd.notna(first) else today_year - 4,
              int(last) if pd.notna(last) else today_year)
    if bounds[0] == bounds[1]:
        bounds = (bounds[0] - 1, bounds[1])
    cities = tuple(db.query("core/cities")["city"])
    saved = from_query(st.session_state["_filters"].to_query() if "_filters" in st.session_state
                       else st.query_params.to_dict(), bounds, cities, browser_lang())
    with st.sidebar:
        _language_radio(saved.lang)
        lang = st.session_state["lang"]
        st.subheader(i18n.t("app.filters", lang))
        st.slider(i18n.t("app.years", lang), bounds[0], bounds[1],
                  value=(saved.year_from, saved.year_to), key="years")
        st.multiselect(i18n.t("app.cities", lang), cities, default=list(saved.cities),
                       key="cities", format_func=lambda c: i18n.label("city", c, lang))
        st.multiselect(i18n.t("app.kinds", lang), KINDS, default=list(saved.kinds), key="kinds",
                       format_func=lambda k: i18n.label("kind", k, lang))
        st.toggle(i18n.t("app.include_illustrative", lang), value=saved.include_illustrative,
                  key="illustrative")
        st.caption(i18n.t("app.copy_link", lang))
    s = st.session_state
    filters = Filters(int(s.years[0]), int(s.years[1]), tuple(s.cities), tuple(s.kinds),
                      bool(s.illustrative), s.lang)
    st.session_state["_filters"] = filters
    st.query_params.update(filters.to_query())
    return filters


def _language_radio(default: str) -> None:
    st.radio("语言 · Language", i18n.LANGS, index=i18n.LANGS.index(default), key="lang",
             horizontal=True, format_func=lambda v: {"zh": "中文", "en": "English"}[v])


def _hide_illustrative() -> None:
    # Change the saved value and let the toggle be re-created from it (setting a widget's
    # key while it also has a default makes Streamlit warn).
    st.session_state["_filters"] = replace(st.session_state["_filters"], include_illustrative=False)
    del st.session_state["illustrative"]


def illustrative_badge() -> None:
    """Shown on every page whose view includes made-up records, with a one-click hide."""
    c = ctx()
    if not c.filters.include_illustrative:
        return
    n = int(query("core/illustrative_count", **c.filters.sql_params()).iloc[0, 0])
    if n == 0:
        return
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.warning(c.t("app.illustrative_badge", count=i18n.fmt_int(n, c.lang)))
        right.button(c.t("app.hide_illustrative"), on_click=_hide_illustrative,
                     key=f"hide_illustrative_{st.session_state.get('_page', '')}")


def page_header(title_key: str, subtitle_key: str) -> None:
    """Title, subtitle and the illustrative badge; stops with the empty state when the
    sidebar filters leave nothing to show (no city or no kind picked)."""
    c = ctx()
    st.title(c.t(title_key))
    st.caption(c.t(subtitle_key))
    illustrative_badge()
    if c.filters.is_empty:
        empty_state()
        st.stop()


def empty_state(message_key: str = "app.empty") -> None:
    st.info(ctx().t(message_key))


def source_columns(df: pd.DataFrame, lang: str, column: str = "provenance") -> pd.DataFrame:
    """Replace a provenance column by a link (for URLs) and a label (seed / illustrative)."""
    p = df[column].astype("string")
    is_url = p.str.match(r"^https?://").fillna(False)
    out = df.drop(columns=[column]).copy()
    out["source_url"] = p.where(is_url, None)
    out["source_label"] = p.map(lambda v: source_label(v, lang))
    return out


def source_label(provenance: str, lang: str) -> str:
    if provenance == ILLUSTRATIVE:
        return i18n.t("app.illustrative", lang)
    if provenance == "seed:forum-2023-article":
        return i18n.t("app.seed_article", lang)
    return i18n.t("app.web_source", lang)


def source_column_config(lang: str) -> dict:
    return {"source_label": st.column_config.TextColumn(i18n.t("col.source", lang)),
            "source_url": st.column_config.LinkColumn(i18n.t("col.link", lang),
                                                      display_text=r"https?://(?:www\.)?([^/]+).*")}


def downloads(df: pd.DataFrame, stem: str, key: str) -> None:
    """CSV and XLSX downloads of a table, formula cells neutralised."""
    lang = ctx().lang
    a, b = st.columns(2)
    a.download_button(i18n.t("app.download_csv", lang), export.to_csv_bytes(df),
                      f"{stem}.csv", "text/csv", key=f"{key}_csv")
    b.download_button(i18n.t("app.download_xlsx", lang), export.to_xlsx_bytes(df, stem),
                      f"{stem}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      key=f"{key}_xlsx")
