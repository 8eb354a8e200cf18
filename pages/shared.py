"""UI helpers shared by every page: data loading and caching, sidebar filters kept in the
URL, the illustrative-data badge, empty states and source labels. No SQL or business logic."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import export, i18n
from analysis.db import Database
from analysis.filters import Filters, from_query
from analysis.loading import data_version, default_data_dir, load
from analysis.schema import ILLUSTRATIVE, KINDS
from analysis.validation import Problem


@dataclass(frozen=True)
class Context:
    db: Database | None    # None only from page_context(..., allow_invalid=True) on invalid data
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


def page_context(page: str, allow_invalid: bool = False) -> Context:
    """Call first on every page: page config, data, sidebar filters; stops on invalid data
    (unless allow_invalid: see below).

    Each page builds the shell itself, rather than dashboard.py, because Streamlit may run a
    file in pages/ directly (its legacy pages-folder mode on a server's first run, and on
    every AppTest rerun); the page must then still get its sidebar and fresh filters.
    """
    st.set_page_config(page_title="成渝科普合作图谱 · Chengdu–Chongqing Science Cooperation Atlas",
                       layout="wide")
    db, problems = open_data()
    if problems and allow_invalid:
        # The data manager must stay usable to repair or restore invalid data: it gets a
        # context without a database, with the problems, and only the language selector.
        context = Context(None, _language_only(), tuple(problems))
    elif problems:
        show_problems(problems)
        st.stop()
    else:
        context = Context(db, sidebar(db))
    st.session_state["_ctx"] = context
    st.session_state["_page"] = page
    return context


def _language_only() -> Filters:
    """The sidebar of a page shown without data (allow_invalid): the language alone."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = current_lang()
    with st.sidebar:
        st.radio("语言 · Language", i18n.LANGS, key="lang", horizontal=True,
                 format_func=lambda v: {"zh": "中文", "en": "English"}[v])
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
    """Language and filters; initial values come from the URL, changes go back into it."""
    bounds_df = db.query("year_bounds")
    first, last = bounds_df.iloc[0]
    today_year = pd.Timestamp.today().year
    bounds = (int(first) if pd.notna(first) else today_year - 4,
              int(last) if pd.notna(last) else today_year)
    if bounds[0] == bounds[1]:
        bounds = (bounds[0] - 1, bounds[1])
    cities = tuple(db.query("cities")["city"])
    if "_filters_from_url" not in st.session_state:
        f = from_query(st.query_params.to_dict(), bounds, cities, browser_lang())
        st.session_state.update({"lang": f.lang, "years": (f.year_from, f.year_to),
                                 "cities": list(f.cities), "kinds": list(f.kinds),
                                 "illustrative": f.include_illustrative,
                                 "_filters_from_url": True})
    with st.sidebar:
        lang = st.session_state["lang"]
        st.radio("语言 · Language", i18n.LANGS, key="lang", horizontal=True,
                 format_func=lambda v: {"zh": "中文", "en": "English"}[v])
        lang = st.session_state["lang"]
        st.subheader(i18n.t("app.filters", lang))
        st.slider(i18n.t("app.years", lang), bounds[0], bounds[1], key="years")
        st.multiselect(i18n.t("app.cities", lang), cities, key="cities",
                       format_func=lambda c: i18n.label("city", c, lang))
        st.multiselect(i18n.t("app.kinds", lang), KINDS, key="kinds",
                       format_func=lambda k: i18n.label("kind", k, lang))
        st.toggle(i18n.t("app.include_illustrative", lang), key="illustrative")
        st.caption(i18n.t("app.copy_link", lang))
    s = st.session_state
    filters = Filters(int(s.years[0]), int(s.years[1]), tuple(s.cities), tuple(s.kinds),
                      bool(s.illustrative), s.lang)
    st.query_params.update(filters.to_query())
    return filters


def _hide_illustrative() -> None:
    st.session_state["illustrative"] = False


def illustrative_badge() -> None:
    """Shown on every page whose view includes made-up records, with a one-click hide."""
    c = ctx()
    if not c.filters.include_illustrative:
        return
    n = int(query("illustrative_count", **c.filters.sql_params()).iloc[0, 0])
    if n == 0:
        return
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.warning(c.t("app.illustrative_badge", count=i18n.fmt_int(n, c.lang)))
        right.button(c.t("app.hide_illustrative"), on_click=_hide_illustrative,
                     key=f"hide_illustrative_{st.session_state.get('_page', '')}")


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
