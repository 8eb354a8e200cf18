"""UI pieces every page uses: the page header with the illustrative badge, empty states,
tables with their CSV/XLSX downloads, and the source columns' configuration."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.core import export, i18n
from analysis.core.escape import code_span
from pages import shell
from pages.shell import Context


def header(ctx: Context, title_key: str, subtitle_key: str) -> None:
    """Title, subtitle and the illustrative badge; stops with the empty state when the
    sidebar filters leave nothing to show (no city or no kind picked)."""
    st.title(ctx.t(title_key))
    st.caption(ctx.t(subtitle_key))
    illustrative_badge(ctx)
    if ctx.filters.is_empty:
        empty_state(ctx)
        shell.stop()


def illustrative_badge(ctx: Context) -> None:
    """Shown on every page whose view includes made-up records, with a one-click hide."""
    if not ctx.filters.include_illustrative:
        return
    n = int(ctx.query("core/illustrative_count", **ctx.filters.sql_params()).iloc[0, 0])
    if n == 0:
        return
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.warning(ctx.t_md("app.illustrative_badge", count=i18n.fmt_int(n, ctx.lang)))
        right.button(ctx.t("app.hide_illustrative"), on_click=shell.hide_illustrative,
                     key="hide_illustrative")


@st.cache_resource(max_entries=64, ttl=1800, show_spinner=False)   # a 1M map figure is ~2 MB
def _figure(key: str, _build):
    return _build()


def figure(ctx: Context, name: str, build, *key) -> go.Figure:
    """A chart (or a part of one) built once per data version, filters, language and `key` (the
    view's choices it depends on), shared by every session: st.plotly_chart only reads it."""
    return _figure(repr((name, ctx.db.version, sorted(ctx.filters.sql_params().items()), ctx.lang, key)),
                   build)


def served(asset: Callable[[], str | None]) -> str | None:
    """The address of an asset the app serves (analysis.core.served), or None when the server's
    static files are off (server.enableStaticServing): the page sends the asset itself then."""
    return asset() if st.get_option("server.enableStaticServing") else None


def view_link() -> None:
    """The address of exactly this view, to select and copy (the address bar holds the same).
    Inline code, not st.code: st.code's copy button comes with a syntax highlighter whose code
    took ~0.3 s of the browser's main thread before the map was drawn (a browser CPU profile)."""
    st.markdown(code_span(f"{st.context.url or ''}?{urlencode(st.query_params.to_dict())}"))


def empty_state(ctx: Context, message_key: str = "app.empty") -> None:
    st.info(ctx.t(message_key))


def source_column_config(ctx: Context) -> dict:
    """Headings of the columns display.source_columns adds."""
    return {"source_label": st.column_config.TextColumn(ctx.t("col.source")),
            "source_url": st.column_config.LinkColumn(ctx.t("col.link"),
                                                      display_text=r"https?://(?:www\.)?([^/]+).*")}


def agreement_columns(ctx: Context) -> dict:
    """Headings of display.agreements_table."""
    return {"signed_on": st.column_config.DateColumn(ctx.t("col.date")),
            "kind": ctx.t("col.kind"), "party_a": ctx.t("col.party_a"),
            "party_b": ctx.t("col.party_b"), "title": ctx.t("col.title"),
            **source_column_config(ctx)}


def downloads(ctx: Context, df: pd.DataFrame, stem: str, key: str) -> None:
    """CSV and XLSX downloads of a table, formula cells neutralised; the files are made when
    the button is pressed, not on every rerun. A download reruns nothing (on_click="ignore"): a
    rerun would drop the file the browser is fetching, on a busy server before it is sent."""
    a, b = st.columns(2)
    a.download_button(ctx.t("app.download_csv"), lambda: export.to_csv_bytes(df), f"{stem}.csv",
                      "text/csv", on_click="ignore", key=f"{key}_csv")
    b.download_button(ctx.t("app.download_xlsx"), lambda: export.to_xlsx_bytes(df, stem), f"{stem}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      on_click="ignore", key=f"{key}_xlsx")


def table(ctx: Context, df: pd.DataFrame, column_config: dict, stem: str, key: str,
          download: pd.DataFrame | None = None, all_rows: bool = False) -> None:
    """A table and its downloads: the same rows under the same headings (or `download`, when
    the table shows text for numbers)."""
    height = 36 * (len(df) + 1) + 4 if all_rows else "auto"
    st.dataframe(df, hide_index=True, width="stretch", column_config=column_config,
                 placeholder="—", height=height)
    headings = {k: v if isinstance(v, str) else v.get("label") or k for k, v in column_config.items()}
    downloads(ctx, df.rename(columns=headings) if download is None else download, stem, key=key)
