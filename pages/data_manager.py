"""Data manager: editors bring published lists into the real tables (upload, what the import
understood, validation report, preview, explicit commit, the same flow and code as
`python -m analysis import`), record one signing after a ceremony, see the history and restore
earlier versions; everyone can download the tables and empty templates. The logic lives in
analysis/editing/; this file and pages/intake_ui.py only draw it.

It opens even when the data on disk is invalid (its PageSpec says so), so that the data can be
repaired or restored here while the other pages are paused. It shows no illustrative badge:
it lists and edits the real tables only, never the made-up records.
"""
from __future__ import annotations

import os
import secrets

import pandas as pd
import streamlit as st

from analysis.core import i18n
from analysis.core.loading import default_data_dir
from analysis.core.schema import TABLES
from analysis.editing import auth, changes, store, upload
from analysis.editing.intake.plan import INTAKE_TABLES
from analysis.editing.view import DataManagerView
from pages import intake_ui, shell, ui
from pages.shell import Context



def _secrets() -> dict:
    try:
        return {k: st.secrets[k] for k in auth.SECRET_KEYS if k in st.secrets}
    except Exception:  # noqa: BLE001 - no secrets.toml: the environment alone decides
        return {}


def _client() -> str:
    """Whose failed passwords are counted: this browser session's own random id (an IP address
    would be 127.0.0.1 for everyone behind a proxy, and one guesser could lock all out)."""
    return st.session_state.setdefault("dm_session", secrets.token_hex(16))


def _editor() -> auth.Editor | None:
    """The signed-in editor, if the session holds a token that is still valid."""
    try:
        return auth.verify(st.session_state.get("dm_token"))
    except auth.NotAuthorised:
        st.session_state.pop("dm_token", None)
        return None


def _sign_in(ctx: Context, gate: auth.Gate) -> None:
    who, password = st.session_state.get("dm_who", "").strip(), st.session_state.get("dm_password", "")
    st.session_state.dm_password = ""   # never kept in the session
    if not who:
        st.session_state.dm_flash = [("error", ctx.t("dm.name_needed"))]
        return
    result = gate.login(who, password, _client())
    if result.token:
        st.session_state.dm_token = result.token
    elif result.wait:
        st.session_state.dm_flash = [("error", ctx.t("dm.wait", seconds=i18n.fmt_int(result.wait + 0.5, ctx.lang)))]
    elif result.busy:
        st.session_state.dm_flash = [("error", ctx.t("dm.busy"))]
    else:
        st.session_state.dm_flash = [("error", ctx.t("dm.wrong_password"))]


def _restore(ctx: Context, n: int) -> None:
    try:
        e = store.restore(default_data_dir(), n, st.session_state.get("dm_token"))
    except (auth.NotAuthorised, store.CommitRefused) as exc:
        st.session_state.dm_flash = intake_ui.refusal(ctx, exc)
        return
    st.session_state.dm_flash = [("success", ctx.t("dm.restored", n=e.n, table=e.table, from_n=n))]
    st.session_state.pop(f"dm_restore_confirm_{n}", None)   # a new, unticked confirmation for the next one


def upload_part(ctx: Context, table: str) -> None:
    """A file through the import's plan(), the same as `python -m analysis import`."""
    lang = ctx.lang
    mode = st.radio(ctx.t("dm.mode"), changes.MODES, key="dm_mode", horizontal=True,
                    format_func=lambda m: ctx.t(f"dm.mode_{m}"), help=ctx.t("dm.mode_help"))
    with st.expander(ctx.t("dm.headers")):
        required = set(TABLES[table].required)
        st.dataframe(pd.DataFrame([{"column": col, "required": col in required, "aliases": "、".join(words)}
                                   for col, words in upload.accepted_headers(table).items()]),
                     hide_index=True, width="stretch", column_config={
                         "column": ctx.t("dm.headers_column"), "required": ctx.t("dm.headers_required"),
                         "aliases": ctx.t("dm.headers_aliases")})
    n = st.session_state.get("dm_upload_n", 0)
    options = intake_ui.import_options(ctx, table, n) if table in INTAKE_TABLES else {}
    file = st.file_uploader(ctx.t("dm.file"), type=["csv", "txt", "xlsx", "xls"], key=f"dm_file_{n}",
                            help=ctx.t("dm.file_help", mb=upload.MAX_BYTES // 2**20,
                                       rows=i18n.fmt_int(upload.MAX_ROWS, lang)))
    if file is not None:
        intake_ui.upload_flow(ctx, file.getvalue(), file.name, table, mode, options,
                              intake_ui.fingerprint(n, file.file_id, table, mode, options))


def signing_part(ctx: Context, table: str) -> None:
    intake_ui.signing_form(ctx)


def history_part(ctx: Context, table: str) -> None:
    data_dir = default_data_dir()
    entries = store.history(data_dir, table)
    if not entries:
        st.info(ctx.t("dm.history_empty"))
        return

    def when(e: store.Entry) -> str:
        return e.when.astimezone().strftime("%Y-%m-%d %H:%M")

    def mode_label(m: str) -> str:
        return ctx.t(f"dm.mode_{m}")

    listing = pd.DataFrame([{"n": e.n, "when": when(e), "who": e.who, "mode": mode_label(e.mode),
                             "source": (ctx.t("dm.history_restored_from", n=e.restored_from)
                                        if e.restored_from else e.source), "added": e.added,
                             "changed": e.changed, "removed": e.removed, "rows": e.rows} for e in entries])
    st.dataframe(listing, hide_index=True, width="stretch", column_config={
        "n": ctx.t("dm.history_n"), "when": ctx.t("dm.history_when"), "who": ctx.t("dm.history_who"),
        "mode": ctx.t("dm.history_mode"), "source": ctx.t("dm.history_source"),
        "added": ctx.t("dm.added"), "changed": ctx.t("dm.changed"), "removed": ctx.t("dm.removed"),
        "rows": ctx.t("dm.history_rows")})
    by_n = {e.n: e for e in entries}
    if st.session_state.get("dm_pick") not in by_n:
        st.session_state.dm_pick = entries[0].n
    n = st.selectbox(ctx.t("dm.history_pick"), list(by_n), key="dm_pick",
                     format_func=lambda k: f"#{k} · {when(by_n[k])} · {by_n[k].who} · {mode_label(by_n[k].mode)}")
    entry = by_n[n]
    st.subheader(ctx.t("dm.history_changes"))
    d = store.entry_diff(data_dir, entry)
    if isinstance(d, changes.Diff):
        intake_ui.show_diff(ctx, d, "dm_history")
    else:
        st.warning(ctx.t_md("dm.history_unreadable", problem=d.format(ctx.lang)))
    before = store.version_bytes(data_dir, entry)
    if before is None:
        st.info(ctx.t("dm.no_restore"))
        return
    st.download_button(ctx.t("dm.download_version"), before, f"{table}_before_{n}.csv", "text/csv",
                       on_click="ignore", key="dm_version_csv")
    confirmed = st.checkbox(ctx.t("dm.restore_confirm", file=changes.real_label(table), n=n, when=when(entry)),
                            key=f"dm_restore_confirm_{n}")
    st.button(ctx.t("dm.restore"), disabled=not confirmed, key="dm_restore",
              on_click=_restore, args=(ctx, n))


def download_part(ctx: Context, table: str) -> None:
    current = changes.read_table(default_data_dir(), table)
    if current is None:
        st.info(ctx.t("dm.table_missing"))
    elif isinstance(current, pd.DataFrame):
        st.markdown(ctx.t("dm.download_table", file=changes.real_label(table),
                          rows=i18n.fmt_int(len(current), ctx.lang)))
        ui.downloads(ctx, current, table, key=f"dm_table_{table}")
    else:
        st.warning(ctx.t_md("dm.table_unreadable", problem=current.format(ctx.lang)))
    st.markdown(ctx.t("dm.download_template"))
    ui.downloads(ctx, pd.DataFrame(columns=TABLES[table].column_names), f"{table}_template",
                 key=f"dm_template_{table}")


def sign_in(ctx: Context) -> auth.Editor | None:
    """The editor signed in on this session, after the sign-in form when needed."""
    gate = auth.gate(os.environ, _secrets())
    editor = _editor() if gate.enabled else None
    if not gate.enabled:
        st.info(ctx.t("dm.editing_off"))
    elif editor is None:
        with st.form("dm_login"):
            st.subheader(ctx.t("dm.sign_in_title"))
            st.text_input(ctx.t("dm.account" if gate.named else "dm.your_name"), key="dm_who",
                          max_chars=80)
            st.text_input(ctx.t("dm.password"), type="password", key="dm_password")
            st.form_submit_button(ctx.t("dm.sign_in"), on_click=_sign_in, args=(ctx, gate))
        st.caption(ctx.t("dm.sign_in_first"))
    else:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.caption(ctx.t_md("dm.signed_in", who=editor.who))
        right.button(ctx.t("dm.sign_out"), key="dm_sign_out", on_click=lambda: st.session_state.pop("dm_token", None))
    return editor


def render(ctx: Context) -> None:
    st.title(ctx.t("dm.title"))
    st.caption(ctx.t("dm.subtitle"))
    st.caption(ctx.t("dm.real_only"))
    if ctx.problems:
        st.warning(ctx.t("dm.invalid_now", count=i18n.fmt_int(len(ctx.problems), ctx.lang)))
        with st.expander(ctx.t("dm.invalid_list")):
            st.dataframe(changes.problem_table(list(ctx.problems), ctx.lang), hide_index=True, width="stretch")
    for kind, text in st.session_state.pop("dm_flash", []):   # the outcome of the last commit or restore
        getattr(st, kind)(text)
    view = shell.page_view(DataManagerView.from_query)
    st.selectbox(ctx.t("dm.table"), list(TABLES), key="dm_table",
                 format_func=lambda v: f"{ctx.t('table.' + v)} · {TABLES[v].file}")
    if not sign_in(ctx):
        download_part(ctx, view.dm_table)
        return
    # A widget rather than st.tabs: the choice survives reruns (a commit's message appearing
    # above would reset tabs) and goes into the URL; only the chosen part is computed.
    parts = {"upload": upload_part, "signing": signing_part, "history": history_part,
             "download": download_part}
    st.segmented_control(ctx.t("dm.view"), list(parts), key="dm_view", required=True,
                         format_func=lambda v: ctx.t(f"dm.tab_{v}"), label_visibility="collapsed")
    parts[view.dm_view](ctx, view.dm_table)


render(shell.context())
