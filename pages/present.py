"""Presenter view (/present): the forum story full screen in 16:9, nothing but the slide (no
sidebar, header, toolbar or footer). The whole deck is one HTML component (the same document
as report.html, in slide mode, with plotly.js and the district outlines from the app's static
files), so slides switch with no page reload and no flash; its script handles the keys and
keeps ?slide=N in the address. Below the slide: the settings and the exports (made in a
background thread, with progress). UI only: analysis/presentation/."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from analysis.core import display, geo, i18n
from analysis.core.filters import Filters, year_bounds
from analysis.core.schema import KINDS
from analysis.presentation.export import DECK, GIF, REPORT, ExportJob, png_bundle
from analysis.presentation.html import build_html, served_plotly_js
from analysis.presentation.story import Story, story_content, with_theme
from analysis.presentation.theme import THEMES
from analysis.presentation.view import AUTO_CHOICES, PresentView, start_slide
from pages import shell, ui
from pages.shell import Context

JOB = "present_export_job"
# Everything of Streamlit's frame is hidden; the deck's iframe fills the window.
CHROME_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stBottom"], footer { display: none !important; }
[data-testid="stMain"], [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { gap: 0; }
iframe[data-testid="stIFrame"] { display: block; width: 100vw; height: 100vh; border: 0; }
.st-key-present_settings { padding: 24px 48px; }
</style>"""


# cache_resource: shared, not copied on every rerun (stories and decks are never modified). A
# change of theme restyles the cached content.
@st.cache_resource(ttl=600, max_entries=16, show_spinner=False)
def content_for(_ctx: Context, version: str, filters: Filters, edition: str) -> Story:
    return story_content(_ctx, filters, edition=edition or None)


@st.cache_resource(ttl=600, max_entries=16, show_spinner=False)
def story_for(_content: Story, key: tuple, theme: str) -> Story:
    """key: what content_for was called with, which names the content."""
    return with_theme(_content, theme)


@st.cache_resource(ttl=600, max_entries=8, show_spinner=False)
def deck_for(_story: Story, key: tuple, start: int, auto: int, leave: str) -> str:
    """key: what content_for and story_for were called with, which names the story."""
    return build_html(_story, mode="slides", start=start, auto_s=auto, leave_url=leave,
                      plotly_src=ui.served(served_plotly_js), shapes_src=ui.served(geo.served_districts))


def copy_to(shell_key: str, own_key: str) -> None:
    """A presenter setting changes the shell's sidebar filter (a callback: before it is drawn)."""
    shell.set_filter(shell_key, st.session_state[own_key])


def copy_real_only() -> None:
    shell.set_filter("illustrative", not st.session_state["present_real_only"])


def filter_settings(ctx: Context) -> None:
    """The shared filters, for a presenter who has no sidebar: years, cities, kinds, real only."""
    f, t = ctx.filters, ctx.t
    lo, hi = year_bounds(ctx)
    cities = tuple(ctx.query("core/cities")["city"])
    st.session_state.update(present_years=(f.year_from, f.year_to), present_cities=list(f.cities),
                            present_kinds=list(f.kinds), present_real_only=not f.include_illustrative)
    a, b, c, d = st.columns([2, 2, 2, 1])
    if lo < hi:
        a.slider(t("app.years"), lo, hi, key="present_years", on_change=copy_to, args=("years", "present_years"))
    b.multiselect(t("app.cities"), cities, key="present_cities", placeholder=t("app.choose"),
                  on_change=copy_to, args=("cities", "present_cities"),
                  format_func=lambda v: i18n.label("city", v, ctx.lang))
    c.multiselect(t("app.kinds"), KINDS, key="present_kinds", placeholder=t("app.choose"),
                  on_change=copy_to, args=("kinds", "present_kinds"),
                  format_func=lambda v: i18n.label("kind", v, ctx.lang))
    d.toggle(t("present.real_only"), key="present_real_only", on_change=copy_real_only)


def view_settings(ctx: Context, editions: dict[str, str]) -> None:
    a, b, c = st.columns([1, 2, 2])
    a.radio(ctx.t("present.theme"), tuple(THEMES), key="present_theme", horizontal=True,
            format_func=lambda v: ctx.t(f"present.theme_{v}"))
    b.select_slider(ctx.t("present.auto"), AUTO_CHOICES, key="present_auto",
                    format_func=lambda s: ctx.t("present.auto_off") if s == 0 else f"{s} s")
    c.selectbox(ctx.t("present.edition"), ("", *editions), key="present_edition",
                format_func=lambda e: editions.get(e) or ctx.t("present.edition_default"))


@st.fragment(run_every=1.0)
def export_progress(ctx: Context) -> None:
    """While an export runs: its progress; once it is done, one rerun shows the downloads."""
    job: ExportJob | None = st.session_state.get(JOB)
    if job is None or job.shown:
        return
    if not job.done:
        st.progress(job.share, text=ctx.t("present.making", file=job.current or "…"))
        return
    job.shown = True
    st.rerun()


def exports(ctx: Context, story: Story) -> None:
    st.subheader(ctx.t("present.exports"))
    st.caption(ctx.t("present.exports_note"))
    job: ExportJob | None = st.session_state.get(JOB)
    running = job is not None and not job.done
    if st.button(ctx.t("present.make_exports"), disabled=running, key="present_make"):
        if job is not None:
            job.discard()   # the previous exports' temporary folder
        st.session_state[JOB] = job = ExportJob(story).start()
    export_progress(ctx)
    if job is None or not job.done:
        return
    if job.error:
        st.error(ctx.t_md("present.export_failed", error=job.error))
        return
    st.caption(ctx.t("present.exports_of", title=job.story.title))
    files = {p.name: p for p in job.files}
    cols = st.columns(4)
    for col, (name, mime) in zip(cols, ((DECK, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
                                        (REPORT, "text/html"), (GIF, "image/gif"))):
        if name in files:
            col.download_button(name, files[name].read_bytes, name, mime, on_click="ignore",
                                key=f"present_dl_{name}")
    cols[3].download_button(ctx.t("present.pngs"), lambda: png_bundle(job.files), "charts-png.zip",
                            "application/zip", on_click="ignore", key="present_dl_png")


def render(ctx: Context) -> None:
    st.html(CHROME_CSS)
    f = ctx.filters
    forums = ctx.query("core/events", **f.sql_params())
    forums = forums[forums["is_forum"]]
    editions = dict(zip(forums["event_id"], display.names(forums, ctx.lang)))
    view = shell.page_view(lambda q: PresentView.from_query(q, tuple(editions)))
    key = (ctx.db.version, f, view.edition)
    story = story_for(content_for(ctx, *key), key, view.theme)
    leave = "./overview?" + urlencode(f.to_query())
    html = deck_for(story, (*key, view.theme), start_slide(st.query_params, len(story.slides)), view.auto, leave)
    st.iframe(html, height=1080)   # our own deck: every text in it escaped (analysis/presentation/html.py)
    with st.container(key="present_settings"):
        st.header(ctx.t("present.settings"))
        st.caption(ctx.t("present.keys_help"))
        filter_settings(ctx)
        view_settings(ctx, editions)
        exports(ctx, story)


render(shell.context())
