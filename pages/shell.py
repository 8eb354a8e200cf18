"""The app shell: the pages, the data (one DuckDB per data version), the sidebar filters, and
the Context every page's `render(ctx)` receives. View state follows one pattern everywhere
(analysis/core/view.py): `page_view` gives a page its view, `keep_in_url` writes the URL."""
from __future__ import annotations

import gc
import importlib
import pkgutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import analysis
from analysis.core import geo, i18n
from analysis.core.db import Database, query_parameters
from analysis.core.escape import md
from analysis.core.filters import Filters, LanguageView, year_bounds
from analysis.core import cache
from analysis.core.loading import Progress, data_version, default_data_dir
from analysis.core.schema import KINDS
from analysis.core.validation import Problem
from analysis.core.view import as_query_value
from analysis.editing import store

HERE = Path(__file__).resolve().parent
TITLE = "成渝科普合作图谱 · Chengdu–Chongqing Science Cooperation Atlas"


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title_key: str
    opens_on_invalid_data: bool = False   # the data manager: to repair or restore the data

    @property
    def file(self) -> Path:
        return HERE / f"{self.url_path}.py"


# The navigation, in order. A new page: a module pages/<url_path>.py with render(ctx), and a line here.
PAGES = (
    PageSpec("overview", "page.overview"),
    PageSpec("map", "map.page"),
    PageSpec("compare", "compare.page_title"),
    PageSpec("network", "net.page"),
    PageSpec("present", "present.page"),
    PageSpec("data_manager", "page.data_manager", opens_on_invalid_data=True),
)


@dataclass(frozen=True)
class Queries:
    """The cached named queries of one database (the sidebar needs them before a Context)."""
    db: Database | None       # None only on a page that opens on invalid data

    def query(self, name: str, **params) -> pd.DataFrame:
        """A named query, cached per data version and the parameters it uses (a query that does
        not read the years stays cached when they change)."""
        return _cached(self.db, self.db.version, name, **_used(name, params))

    def query_many(self, calls: list[tuple[str, dict]]) -> list[pd.DataFrame]:
        """Several named queries, cached as query() caches them; those not cached yet run side
        by side (Database.query_many, whose threads never call Streamlit), then are kept. (Two
        sessions asking for the same new ones at once each run them: st.cache_data's wait for
        a result being computed covers only what runs inside it.)"""
        calls = [(name, _used(name, params)) for name, params in calls]
        found: dict[int, pd.DataFrame] = {}
        for i, (name, params) in enumerate(calls):
            try:
                found[i] = _cached(self.db, self.db.version, name, _found=_LOOK, **params)
            except _NotCached:
                pass
        missing = [i for i in range(len(calls)) if i not in found]
        for i, result in zip(missing, self.db.query_many([calls[i] for i in missing])):
            found[i] = _cached(self.db, self.db.version, calls[i][0], _found=result, **calls[i][1])
        return [found[i] for i in range(len(calls))]


def _used(name: str, params: dict) -> dict:
    wanted = query_parameters(name)
    return {k: v for k, v in params.items() if k in wanted}


class _Once:
    """A drawing done at most once: the sidebar, after the page or before it stops (see stop)."""

    def __init__(self, draw: Callable[[], None]):
        self._draw = draw

    def __call__(self) -> None:
        draw, self._draw = self._draw, None
        if draw:
            draw()


@dataclass(frozen=True)
class Context(Queries):
    filters: Filters
    problems: tuple[Problem, ...] = ()   # the validation problems in that case
    sidebar: Callable[[], None] = field(default=lambda: None, compare=False, repr=False)   # draws it once

    @property
    def lang(self) -> str:
        return self.filters.lang

    def t(self, key: str, **params) -> str:
        """Plain text: for plotly (which escapes with esc), st.dataframe, selectbox/multiselect
        options and download names, which Streamlit shows as typed (st.table renders markdown:
        t_md)."""
        return i18n.t(key, self.lang, **params)

    def t_md(self, key: str, **params) -> str:
        """For an element that renders markdown (st.markdown/caption/info..., labels, help, radio,
        segmented and select_slider options, metric values, tab and expander titles): the string
        is ours, its values may come from data and are escaped (escape.md)."""
        return i18n.t(key, self.lang, **{k: md(v) for k, v in params.items()})


def run() -> None:
    """What dashboard.py does on every run: pages, data, filters, the chosen page, then the
    sidebar's widgets. Drawn after the page, they do not hold up its first chart in the browser
    (the overview's painted 0.2 s sooner); the filters are known before either is drawn. The
    price: on a first visit the filters appear when the page is done (1 s for the network at
    1M agreements, behind its spinner); a change made during a computation would wait for it
    anyway, since a cached computation is not interrupted."""
    _leave_pages_folder_mode()
    page, spec = _navigation()
    st.set_page_config(page_title=TITLE, layout="wide")
    ctx = _build_context(spec.opens_on_invalid_data)
    st.session_state["_shell_context"] = ctx
    try:
        page.run()
    finally:   # after an error on the page too: the filters stay at hand (unless stop drew them)
        ctx.sidebar()
    freeze_long_lived()


_freezing = threading.Lock()
_frozen = False   # once per process (this module is imported once; the pages are run each time)


def freeze_long_lived() -> None:
    """Each of Python's full garbage collections scans every object the process holds: ~270k
    once every page has run (the modules' functions, classes and constants, the district
    outlines' coordinate lists), 0.08-0.11 s here, added to whichever rerun sets it off. Once,
    after the process's first run, every module a page may import is imported and the outlines
    read (~0.5 s), the garbage collected, and what is alive frozen (gc.freeze): out of the
    collector's sight, so a full collection scans only what came since. The price: what the
    first run had cached (one page's data and figures) is never freed if it is evicted later
    inside a reference cycle (a plotly figure is one)."""
    global _frozen
    with _freezing:
        if _frozen:
            return
        _frozen = True
        for module in pkgutil.walk_packages(analysis.__path__, "analysis."):
            if not module.name.endswith("__main__"):   # the command line: it would run
                importlib.import_module(module.name)
        geo.districts_geojson()
        gc.collect()
        gc.freeze()


def stop() -> NoReturn:
    """End the page's run here (an empty state). The sidebar is drawn first: it comes after the
    page otherwise, and nothing is drawn after a stop."""
    context().sidebar()
    st.stop()


def context() -> Context:
    """This run's context: each page module ends with `render(shell.context())`."""
    _leave_pages_folder_mode()
    return st.session_state["_shell_context"]


def _leave_pages_folder_mode() -> None:
    """Streamlit starts each server in its legacy pages-folder mode, because a folder named pages/
    sits beside dashboard.py: on that first run a deep link runs the page file alone, and even
    dashboard.py runs as a page of that mode, so its widgets would change identity on the next run.
    Declaring the navigation ends the mode for the process; the run then starts again through
    dashboard.py before anything is drawn. (AppTest enters the mode on every run.)"""
    if PagesManager.uses_pages_directory:
        _navigation()
        st.rerun()


def _navigation() -> tuple[st.Page, PageSpec]:
    """Declare the pages (top navigation); the page the URL asks for and its spec. The first page
    is listed at /<url_path>, so that its name in a link opens it, and is also the default page,
    served at / (a hidden page on the same file: the default page's own path would be reserved)."""
    lang = _current_lang()
    pages = [st.Page(spec.file, title=i18n.t(spec.title_key, lang), url_path=spec.url_path)
             for spec in PAGES]
    home = st.Page(PAGES[0].file, title=i18n.t(PAGES[0].title_key, lang), url_path="home",
                   default=True, visibility="hidden")
    page = st.navigation([*pages, home], position="top")
    spec = next((s for s in PAGES if s.url_path == page.url_path), PAGES[0])
    return page, spec


# --- data ----------------------------------------------------------------------------------

@st.cache_resource(max_entries=2, show_spinner=False)
def _open(data_dir: str, version: str, _lang: str) -> tuple[Database | None, list[Problem]]:
    """One Database per data version, shared by every session (from the validated cache file
    when the files are unchanged: analysis/core/cache.py). A first load shows its stages in a
    bar made here: a cache hit replays what a cached function drew, and an element made outside
    it would fail that replay; this one ends empty."""
    store.recover(Path(data_dir))   # a commit a killed process left half-done, before any read
    slot = st.empty()
    try:
        return cache.open_database(Path(data_dir), progress=_loading_bar(slot, _lang))
    finally:
        slot.empty()


def _loading_bar(slot, lang: str) -> Progress:
    """Drawn when the text changes or the bar moved by a percent: every drawing is replayed on
    each rerun that finds the cached database (the shipped data reports ~120 steps)."""
    drawn = (-1.0, "")

    def show(fraction: float, stage: str, detail: str) -> None:
        nonlocal drawn
        text = i18n.t(f"loading.{stage}", lang, file=md(detail))
        if text != drawn[1] or fraction >= drawn[0] + 0.01 or fraction == 1.0:
            drawn = (fraction, text)
            slot.progress(fraction, text=text)
    return show


_LOOK = object()


class _NotCached(Exception):
    """_cached was asked to look only, and holds no such result (st.cache_data keeps no error)."""


@st.cache_data(ttl=600, max_entries=2000, show_spinner=False)
def _cached(_db: Database, version: str, name: str, _found=None, **params) -> pd.DataFrame:
    """_found, not part of the key: _LOOK to only look in the cache; a result run elsewhere
    (Queries.query_many) to keep it."""
    if _found is _LOOK:
        raise _NotCached
    return _db.query(name, **params) if _found is None else _found


def _build_context(opens_on_invalid_data: bool) -> Context:
    """Data, filters and what draws the sidebar. On invalid data, the problem list and a stop,
    except on a page that opens on invalid data: it gets a context without a database, with
    the problems."""
    data_dir, lang = default_data_dir(), _current_lang()
    # st.spinner only shows after half a second: on a first load, above its bar, and to a session
    # that waits for another one's (the cached function's own spinner would cover the bar).
    # Its clock is Streamlit's English ("(3.2 seconds)"): shown on English pages only.
    with st.spinner(i18n.t("loading.first", lang), show_time=lang == "en"):
        db, problems = _open(str(data_dir), data_version(data_dir), lang)
    if problems and opens_on_invalid_data:
        filters, draw = _language_only()
        return Context(None, filters, tuple(problems), _Once(draw))
    if problems:
        _show_problems(problems)
        st.stop()
    filters, draw = _sidebar(db)
    return Context(db, filters, sidebar=_Once(draw))


def _show_problems(problems: list[Problem]) -> None:
    """Start-up page when the data is invalid: every problem, no traceback."""
    lang = _current_lang()
    st.title(i18n.t("app.title", lang))
    st.error(i18n.t("app.invalid_data_title", lang))
    st.write(i18n.t("app.invalid_data_body", lang))
    table = pd.DataFrame([{"file": p.file, "line": p.line, "column": p.column,
                           "message": p.message(lang)} for p in problems])
    st.dataframe(table, hide_index=True, width="stretch")
    st.code("\n".join(p.format(lang) for p in problems), language=None)


# --- view state ----------------------------------------------------------------------------

V = TypeVar("V")


def page_view(parse: Callable[[Mapping], V]) -> V:
    """A view (analysis/core/view.py) for this run. The URL fills in what the widgets do not
    hold yet (a first visit, a shared link); after that the widgets own their values. Either
    way `parse` checks every value, the checked values go back to the widgets before they are
    drawn (widgets are keyed by the query keys and take no defaults), and the URL follows."""
    url = st.query_params.to_dict()
    keys = parse(url).widget_state()
    held = {k: as_query_value(st.session_state[k]) for k in keys if k in st.session_state}
    view = parse({**url, **held})
    st.session_state.update(view.widget_state())
    keep_in_url(view)
    return view


def keep_in_url(view) -> None:
    """The one place the address bar is written: exactly the view's keys (a key its to_query
    leaves out is removed), so every view can be linked to."""
    q = view.to_query()
    for key in view.widget_state():
        if key not in q:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != q[key]:
            st.query_params[key] = q[key]


# --- sidebar -------------------------------------------------------------------------------

def _current_lang() -> str:
    """The language before the sidebar is drawn (for navigation titles, the loading bar and the
    problem page)."""
    return i18n.normalise_lang(st.session_state.get("lang") or st.query_params.get("lang")
                               or _browser_lang())


def _browser_lang() -> str:
    try:
        return st.context.locale or i18n.DEFAULT_LANG
    except Exception:  # noqa: BLE001 - no browser (AppTest, bare mode)
        return i18n.DEFAULT_LANG


def _sidebar(db: Database) -> tuple[Filters, Callable[[], None]]:
    """Language and filters (checked, and back in their widgets' state), and what draws their
    widgets: by the entry script, so they keep their values across pages."""
    queries = Queries(db)   # cached: the sidebar is drawn on every run
    bounds, cities = year_bounds(queries), tuple(queries.query("core/cities")["city"])
    filters = page_view(lambda q: Filters.from_query(q, bounds, cities, _browser_lang()))
    lang = filters.lang

    def draw() -> None:
        choose = i18n.t("app.choose", lang)
        with st.sidebar:
            _language_radio()
            st.subheader(i18n.t("app.filters", lang))
            st.slider(i18n.t("app.years", lang), bounds[0], bounds[1], key="years")
            st.multiselect(i18n.t("app.cities", lang), cities, key="cities", placeholder=choose,
                           format_func=lambda c: i18n.label("city", c, lang))
            st.multiselect(i18n.t("app.kinds", lang), KINDS, key="kinds", placeholder=choose,
                           format_func=lambda k: i18n.label("kind", k, lang))
            st.toggle(i18n.t("app.include_illustrative", lang), key="illustrative")
            st.caption(i18n.t("app.copy_link", lang))
    return filters, draw


def _language_only() -> tuple[Filters, Callable[[], None]]:
    """The sidebar of a page shown without data: the language alone."""
    lang = page_view(lambda q: LanguageView.from_query(q, _browser_lang())).lang

    def draw() -> None:
        with st.sidebar:
            _language_radio()
    return Filters(0, 0, (), (), False, lang), draw


def _language_radio() -> None:
    st.radio("语言 · Language", i18n.LANGS, key="lang", horizontal=True,
             format_func=lambda v: {"zh": "中文", "en": "English"}[v])


FILTER_KEYS = ("years", "cities", "kinds", "illustrative")


def set_filter(key: str, value) -> None:
    """A page changes a sidebar filter (the badge's "hide" button, the presenter's settings):
    only as a callback, so before the filters are read and their widgets drawn."""
    assert key in FILTER_KEYS, key
    st.session_state[key] = value


def hide_illustrative() -> None:
    set_filter("illustrative", False)
