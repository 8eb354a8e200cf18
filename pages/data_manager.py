"""Data manager: editors bring new lists into the real tables (upload, validation report,
preview, explicit commit), see the history and restore earlier versions; everyone can
download the tables and empty templates. The logic lives in analysis/upload, changes,
store and auth; this file only draws it.

It opens even when the data on disk is invalid (dashboard.py builds its shell with
allow_invalid), so that the data can be repaired or restored here while the other pages
are paused. It shows no illustrative badge:
it lists and edits the real tables only, never the made-up records.
"""
from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from analysis.editing import auth
from analysis.editing import changes
from analysis.core import export
from analysis.core import i18n
from analysis.editing import store
from analysis.editing import upload
from analysis.core.loading import default_data_dir
from analysis.core.schema import TABLES
from pages import shared

c = shared.page_context("data_manager")
lang = c.lang
data_dir = default_data_dir()
s = st.session_state

st.title(c.t("dm.title"))
st.caption(c.t("dm.subtitle"))
st.caption(c.t("dm.real_only"))

if c.problems:
    st.warning(c.t("dm.invalid_now", count=i18n.fmt_int(len(c.problems), lang)))
    with st.expander(c.t("dm.invalid_list")):
        st.dataframe(changes.problem_table(list(c.problems), lang), hide_index=True, width="stretch")

for kind, text in s.pop("dm_flash", []):   # the outcome of the last commit or restore
    getattr(st, kind)(text)

# The table being managed is view state: kept in the URL like the sidebar filters.
if "dm_table" not in s:
    s.dm_table = st.query_params.get("table") if st.query_params.get("table") in TABLES else "bases"
table = st.selectbox(c.t("dm.table"), list(TABLES), key="dm_table",
                     format_func=lambda v: f"{c.t('table.' + v)} · {TABLES[v].file}")
st.query_params["table"] = table
file_label = changes.real_label(table)


def _secrets() -> dict:
    try:
        return {k: st.secrets[k] for k in auth.SECRET_KEYS if k in st.secrets}
    except Exception:  # noqa: BLE001 - no secrets.toml: the environment alone decides
        return {}


def _client() -> str:
    """Who is knocking, for the failed-password count: the IP address when known."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser
        ip = None
    return ip if isinstance(ip, str) and ip else "unknown"   # (AppTest gives a mock object)


def _editor() -> auth.Editor | None:
    """The signed-in editor, if the session holds a token that is still valid."""
    try:
        return auth.verify(s.get("dm_token"))
    except auth.NotAuthorised:
        s.pop("dm_token", None)
        return None


def _sign_in(gate: auth.Gate) -> None:
    who, password = s.get("dm_who", "").strip(), s.get("dm_password", "")
    s.dm_password = ""   # never kept in the session
    if not who:
        s.dm_flash = [("error", c.t("dm.name_needed"))]
        return
    result = gate.login(who, password, _client())
    if result.token:
        s.dm_token = result.token
    elif result.wait:
        s.dm_flash = [("error", c.t("dm.wait", seconds=i18n.fmt_int(result.wait + 0.5, lang)))]
    else:
        s.dm_flash = [("error", c.t("dm.wrong_password"))]


def _refusal(exc: Exception) -> list[tuple[str, str]]:
    if isinstance(exc, auth.NotAuthorised):
        return [("error", c.t("dm.not_authorised"))]
    lines = [("error", exc.message(lang))]
    lines += [("warning", p.format(lang)) for p in exc.problems[:50]]
    return lines


def _commit(proposal: changes.Proposal) -> None:
    """Commit exactly the proposal that was previewed (bound when the button was drawn)."""
    try:
        e = store.commit(proposal, s.get("dm_token"))
    except (auth.NotAuthorised, store.CommitRefused) as exc:
        s.dm_flash = _refusal(exc)
        return
    s.dm_flash = [("success", c.t("dm.committed", n=e.n, table=e.table, added=e.added,
                                  changed=e.changed, removed=e.removed))]
    s.dm_upload_n = s.get("dm_upload_n", 0) + 1   # a fresh, empty uploader


def _restore(n: int) -> None:
    try:
        e = store.restore(data_dir, n, s.get("dm_token"))
    except (auth.NotAuthorised, store.CommitRefused) as exc:
        s.dm_flash = _refusal(exc)
        return
    s.dm_flash = [("success", c.t("dm.restored", n=e.n, table=e.table, from_n=n))]
    s.pop(f"dm_restore_confirm_{n}", None)   # a new, unticked confirmation for the next one


def _report(problems, up: upload.Upload | None, key: str) -> None:
    """The validation report: every problem, the Excel row, the column, a plain message."""
    st.error(c.t("dm.report_title", count=i18n.fmt_int(len(problems), lang)))
    st.caption(c.t("dm.report_hint"))
    report = changes.problem_table(problems, lang, up)
    st.dataframe(report, hide_index=True, width="stretch", column_config={
        "file": c.t("dm.col_file"), "row": c.t("dm.col_row"),
        "column": c.t("dm.col_column"), "message": c.t("dm.col_message")})
    st.download_button(c.t("dm.download_report"), export.to_csv_bytes(report),
                       "problems.csv", "text/csv", key=f"{key}_report")


def _show_diff(d: changes.Diff, key: str) -> None:
    counts = d.counts
    a, b, r = st.columns(3)
    a.metric(c.t("dm.added"), i18n.fmt_int(counts["added"], lang))
    b.metric(c.t("dm.changed"), i18n.fmt_int(counts["changed"], lang))
    r.metric(c.t("dm.removed"), i18n.fmt_int(counts["removed"], lang))
    if counts["added"]:
        st.markdown(f"**{c.t('dm.added_rows', count=i18n.fmt_int(counts['added'], lang))}**")
        st.dataframe(d.added, hide_index=True, width="stretch", key=f"{key}_added")
    if counts["changed"]:
        st.markdown(f"**{c.t('dm.changed_rows', count=i18n.fmt_int(counts['changed'], lang))}**")
        st.dataframe(d.changed, hide_index=True, width="stretch", key=f"{key}_changed",
                     column_config={"column": c.t("dm.col_field"), "old": c.t("dm.col_old"),
                                    "new": c.t("dm.col_new")})
    if counts["removed"]:
        st.markdown(f"**{c.t('dm.removed_rows', count=i18n.fmt_int(counts['removed'], lang))}**")
        st.dataframe(d.removed, hide_index=True, width="stretch", key=f"{key}_removed")


def upload_tab() -> None:
    mode = st.radio(c.t("dm.mode"), changes.MODES, key="dm_mode", horizontal=True,
                    format_func=lambda m: c.t(f"dm.mode_{m}"), help=c.t("dm.mode_help"))
    with st.expander(c.t("dm.headers")):
        required = set(TABLES[table].required)
        st.dataframe(pd.DataFrame([{"column": col, "required": col in required,
                                    "aliases": "、".join(words)}
                                   for col, words in upload.accepted_headers(table).items()]),
                     hide_index=True, width="stretch", column_config={
                         "column": c.t("dm.headers_column"), "required": c.t("dm.headers_required"),
                         "aliases": c.t("dm.headers_aliases")})
    n = s.get("dm_upload_n", 0)
    file = st.file_uploader(c.t("dm.file"), type=["csv", "txt", "xlsx", "xls"], key=f"dm_file_{n}",
                            help=c.t("dm.file_help", mb=upload.MAX_BYTES // 2**20,
                                     rows=i18n.fmt_int(upload.MAX_ROWS, lang)))
    if file is None:
        return
    read = upload.read_upload(file.getvalue(), file.name, table)
    if isinstance(read, list):
        _report(read, None, "dm_read")
        return
    proposal = changes.prepare(read, data_dir, mode)
    st.write(c.t("dm.read_ok", file=read.file, rows=i18n.fmt_int(len(read.frame), lang)))
    if proposal.notes:
        st.info("\n".join(f"- {changes.note_text(note, lang)}" for note in proposal.notes))
    if proposal.problems:
        _report(proposal.problems, read, "dm_check")
    if proposal.existing:
        with st.expander(c.t("dm.existing_problems", count=i18n.fmt_int(len(proposal.existing), lang))):
            st.dataframe(changes.problem_table(proposal.existing, lang), hide_index=True, width="stretch")
    if proposal.problems:
        return
    if proposal.diff.is_empty:
        st.info(c.t("dm.no_changes"))
        return
    st.subheader(c.t("dm.preview"))
    _show_diff(proposal.diff, "dm_preview")
    counts = proposal.diff.counts
    confirmed = st.checkbox(c.t("dm.confirm", mode=c.t(f"dm.mode_{mode}"), file=file_label,
                                **{k: i18n.fmt_int(v, lang) for k, v in counts.items()}),
                            key=f"dm_confirm_{n}_{mode}_{file.file_id}")
    st.button(c.t("dm.commit"), type="primary", disabled=not confirmed, key="dm_commit",
              on_click=_commit, args=(proposal,))


def history_tab() -> None:
    entries = store.history(data_dir, table)
    if not entries:
        st.info(c.t("dm.history_empty"))
        return
    def when(e: store.Entry) -> str:
        return e.when.astimezone().strftime("%Y-%m-%d %H:%M")
    def mode_label(m: str) -> str:
        return c.t(f"dm.mode_{m}")
    listing = pd.DataFrame([{"n": e.n, "when": when(e), "who": e.who, "mode": mode_label(e.mode),
                             "source": (c.t("dm.history_restored_from", n=e.restored_from)
                                        if e.restored_from else e.source), "added": e.added, "changed": e.changed,
                             "removed": e.removed, "rows": e.rows} for e in entries])
    st.dataframe(listing, hide_index=True, width="stretch", column_config={
        "n": c.t("dm.history_n"), "when": c.t("dm.history_when"), "who": c.t("dm.history_who"),
        "mode": c.t("dm.history_mode"), "source": c.t("dm.history_source"),
        "added": c.t("dm.added"), "changed": c.t("dm.changed"), "removed": c.t("dm.removed"),
        "rows": c.t("dm.history_rows")})
    by_n = {e.n: e for e in entries}
    if s.get("dm_pick") not in by_n:
        s.dm_pick = entries[0].n
    n = st.selectbox(c.t("dm.history_pick"), list(by_n), key="dm_pick",
                     format_func=lambda k: f"#{k} · {when(by_n[k])} · {by_n[k].who} · {mode_label(by_n[k].mode)}")
    entry = by_n[n]
    st.subheader(c.t("dm.history_changes"))
    d = store.entry_diff(data_dir, entry)
    if isinstance(d, changes.Diff):
        _show_diff(d, "dm_history")
    else:
        st.warning(c.t("dm.history_unreadable", problem=d.format(lang)))
    before = store.version_bytes(data_dir, entry)
    if before is None:
        st.info(c.t("dm.no_restore"))
        return
    st.download_button(c.t("dm.download_version"), before, f"{table}_before_{n}.csv", "text/csv",
                       key="dm_version_csv")
    confirmed = st.checkbox(c.t("dm.restore_confirm", file=file_label, n=n, when=when(entry)),
                            key=f"dm_restore_confirm_{n}")
    st.button(c.t("dm.restore"), disabled=not confirmed, key="dm_restore",
              on_click=_restore, args=(n,))


def download_tab() -> None:
    current = changes.read_table(data_dir, table)
    if current is None:
        st.info(c.t("dm.table_missing"))
    elif isinstance(current, pd.DataFrame):
        st.markdown(c.t("dm.download_table", file=file_label, rows=i18n.fmt_int(len(current), lang)))
        shared.downloads(current, table, key=f"dm_table_{table}")
    else:
        st.warning(c.t("dm.table_unreadable", problem=current.format(lang)))
    st.markdown(c.t("dm.download_template"))
    shared.downloads(pd.DataFrame(columns=TABLES[table].column_names), f"{table}_template",
                     key=f"dm_template_{table}")


gate = auth.gate(os.environ, _secrets())
editor = _editor() if gate.enabled else None
if not gate.enabled:
    st.info(c.t("dm.editing_off"))
elif editor is None:
    with st.form("dm_login"):
        st.subheader(c.t("dm.sign_in_title"))
        st.text_input(c.t("dm.your_name"), key="dm_who", max_chars=80)
        st.text_input(c.t("dm.password"), type="password", key="dm_password")
        st.form_submit_button(c.t("dm.sign_in"), on_click=_sign_in, args=(gate,))
    st.caption(c.t("dm.sign_in_first"))
else:
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(c.t("dm.signed_in", who=editor.who))
    right.button(c.t("dm.sign_out"), key="dm_sign_out", on_click=lambda: s.pop("dm_token", None))

if editor:
    # A widget rather than st.tabs: the choice survives reruns (a commit's message appearing
    # above would reset tabs) and goes into the URL; only the chosen part is computed.
    views = {"upload": upload_tab, "history": history_tab, "download": download_tab}
    if s.get("dm_view") not in views:
        s.dm_view = st.query_params.get("view") if st.query_params.get("view") in views else "upload"
    view = st.segmented_control(c.t("dm.view"), list(views), key="dm_view", required=True,
                                format_func=lambda v: c.t(f"dm.tab_{v}"), label_visibility="collapsed")
    st.query_params["view"] = view
    views[view]()
else:
    download_tab()
