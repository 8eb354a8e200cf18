"""The data manager's import flow, drawn: what was understood, the validation report, the
preview (one per table when parties are created) and the commit of them all together; and
the form for one signing. The logic is analysis/editing/intake/ (plan, report, signing), the
same code the command line runs. Only functions here (Streamlit's pages-folder mode sees
this file, and a file that draws nothing is harmless there, like pages/ui.py)."""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from analysis.core import export, i18n
from analysis.core.escape import md
from analysis.core.loading import default_data_dir
from analysis.core.schema import KINDS
from analysis.editing import auth, changes, store
from analysis.editing.intake import report as intake_report
from analysis.editing.intake.parties import tables_for
from analysis.editing.intake.plan import Plan, plan
from analysis.editing.intake.signing import Party, Signing
from analysis.editing.intake.tables import known_cities
from pages.shell import Context



def refusal(ctx: Context, exc: Exception) -> list[tuple[str, str]]:
    if isinstance(exc, auth.NotAuthorised):
        return [("error", ctx.t("dm.not_authorised"))]
    lines = [("error", exc.message(ctx.lang))]
    lines += [("warning", md(p.format(ctx.lang))) for p in exc.problems[:50]]
    return lines


def fingerprint(*inputs) -> str:
    """A short digest of what a preview was made from: a confirmation is for that preview only."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()[:12]


def report(ctx: Context, problems, up, key: str) -> None:
    """The validation report: every problem, the Excel row, the column, a plain message."""
    st.error(ctx.t("dm.report_title", count=i18n.fmt_int(len(problems), ctx.lang)))
    st.caption(ctx.t("dm.report_hint"))
    table = changes.problem_table(problems, ctx.lang, up)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "file": ctx.t("dm.col_file"), "row": ctx.t("dm.col_row"),
        "column": ctx.t("dm.col_column"),
        "message": st.column_config.TextColumn(ctx.t("dm.col_message"), width="large")})
    st.download_button(ctx.t("dm.download_report"), export.to_csv_bytes(table),
                       "problems.csv", "text/csv", on_click="ignore", key=f"{key}_report")


def show_diff(ctx: Context, d: changes.Diff, key: str) -> None:
    counts, lang = d.counts, ctx.lang
    a, b, r = st.columns(3)
    a.metric(ctx.t("dm.added"), i18n.fmt_int(counts["added"], lang))
    b.metric(ctx.t("dm.changed"), i18n.fmt_int(counts["changed"], lang))
    r.metric(ctx.t("dm.removed"), i18n.fmt_int(counts["removed"], lang))
    if counts["added"]:
        st.markdown(f"**{ctx.t('dm.added_rows', count=i18n.fmt_int(counts['added'], lang))}**")
        st.dataframe(d.added, hide_index=True, width="stretch", key=f"{key}_added")
    if counts["changed"]:
        st.markdown(f"**{ctx.t('dm.changed_rows', count=i18n.fmt_int(counts['changed'], lang))}**")
        st.dataframe(d.changed, hide_index=True, width="stretch", key=f"{key}_changed",
                     column_config={"column": ctx.t("dm.col_field"), "old": ctx.t("dm.col_old"),
                                    "new": ctx.t("dm.col_new")})
    if counts["removed"]:
        st.markdown(f"**{ctx.t('dm.removed_rows', count=i18n.fmt_int(counts['removed'], lang))}**")
        st.dataframe(d.removed, hide_index=True, width="stretch", key=f"{key}_removed")


def understood(ctx: Context, found: Plan, key: str) -> None:
    """The notes of reading (encoding, sheet, header row) and what the import understood."""
    notes = found.proposals[-1].notes if found.proposals else []
    if notes:
        st.info("\n".join(f"- {ctx.t_md(key, **params)}" for key, params in notes))
    u = found.understanding
    sections = intake_report.tables(u, ctx.lang)
    lines = intake_report.summary(u, ctx.lang)
    if not sections and not lines:
        return
    st.subheader(ctx.t("dm.intake.understood"))
    st.caption(ctx.t("dm.intake.understood_hint"))
    for line in lines:
        st.markdown(f"- {md(line)}")
    for n, (heading, table) in enumerate(sections):
        st.markdown(f"**{md(heading)}**")
        st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_understood_{n}")


def flow(ctx: Context, found: Plan, key: str, digest: str, reset: str) -> None:
    """Understood → report or preview → explicit confirmation → commit_all. `reset` is the
    session counter that gives the inputs fresh keys after a commit."""
    if found.upload is None:
        report(ctx, found.problems, None, f"{key}_read")
        return
    if found.problems:   # first: the headline is that nothing can be written yet
        report(ctx, found.problems, found.upload, f"{key}_check")
    understood(ctx, found, key)
    if found.existing:
        with st.expander(ctx.t("dm.existing_problems", count=i18n.fmt_int(len(found.existing), ctx.lang))):
            st.dataframe(changes.problem_table(found.existing, ctx.lang), hide_index=True, width="stretch")
    if found.problems:
        return
    shown = [p for p in found.proposals if p.diff is not None and not p.diff.is_empty]
    if not shown:
        st.info(ctx.t("dm.no_changes"))
        return
    st.subheader(ctx.t("dm.preview"))
    for p in shown:
        if len(shown) > 1:
            st.markdown(f"**{ctx.t('table.' + p.table)} · {changes.real_label(p.table)}**")
        show_diff(ctx, p.diff, f"{key}_preview_{p.table}")
    counts = lambda p: {k: i18n.fmt_int(v, ctx.lang) for k, v in p.diff.counts.items()}  # noqa: E731
    if len(shown) == 1:
        label = ctx.t("dm.confirm", mode=ctx.t(f"dm.mode_{shown[0].mode}"),
                      file=changes.real_label(shown[0].table), **counts(shown[0]))
    else:
        st.caption(ctx.t("dm.intake.commit_hint"))
        label = ctx.t("dm.intake.confirm_tables", changes="; ".join(
            ctx.t("dm.intake.confirm_table", file=changes.real_label(p.table), **counts(p)) for p in shown))
    confirmed = st.checkbox(label, key=f"{key}_confirm_{digest}")
    st.button(ctx.t("dm.commit"), type="primary", disabled=not confirmed, key=f"{key}_commit",
              on_click=_commit, args=(ctx, found.proposals, reset))


def _commit(ctx: Context, proposals: list[changes.Proposal], reset: str) -> None:
    """Commit exactly the proposals that were previewed (bound when the button was drawn)."""
    try:
        entries = store.commit_all(proposals, st.session_state.get("dm_token"))
    except (auth.NotAuthorised, store.CommitRefused) as exc:
        st.session_state.dm_flash = refusal(ctx, exc)
        return
    st.session_state.dm_flash = [("success", ctx.t("dm.committed", n=e.n, table=e.table, added=e.added,
                                    changed=e.changed, removed=e.removed)) for e in entries]
    st.session_state[reset] = st.session_state.get(reset, 0) + 1   # fresh, empty inputs


def import_options(ctx: Context, table: str, n: int) -> dict:
    """The source, --city and --create-missing of the command line, as plan() keywords."""
    left, right = st.columns([3, 1])
    source = left.text_input(ctx.t("dm.intake.source"), key=f"dm_source_{n}", max_chars=500,
                             help=ctx.t("dm.intake.source_help"))
    city = right.selectbox(ctx.t("dm.intake.city"), ("", *known_cities()), key=f"dm_city_{n}",
                           help=ctx.t("dm.intake.city_help"), format_func=lambda c: (
                               i18n.label("city", c, ctx.lang) if c else ctx.t("dm.intake.city_none")))
    create = table == "agreements" and st.checkbox(
        ctx.t("dm.intake.create_missing"), key=f"dm_create_{n}", help=ctx.t("dm.intake.create_missing_help"))
    return {"source": source, "city": city or None, "create_missing": create}


def upload_flow(ctx: Context, data: bytes, name: str, table: str, mode: str, options: dict,
                digest: str) -> None:
    found = plan(data, name, table, default_data_dir(), mode, **options)
    if found.upload is not None:
        st.markdown(ctx.t_md("dm.read_ok", file=found.upload.file,
                        rows=i18n.fmt_int(len(found.upload.frame), ctx.lang)))
    flow(ctx, found, "dm", digest, "dm_upload_n")


# --- one signing -------------------------------------------------------------------------

def _known(table: str) -> pd.DataFrame:
    frame = changes.read_table(default_data_dir(), table)
    return frame if isinstance(frame, pd.DataFrame) else pd.DataFrame()


def _choices(ctx: Context, tables: tuple[str, ...]) -> dict[str, str]:
    """id → "name · city · id" of the known real bases / schools the party may be."""
    out = {}
    for table in tables:
        frame, key = _known(table), f"{table[:-1]}_id"
        for r in frame.to_dict("records") if key in frame else []:
            out[r[key]] = f"{r['name_zh']} · {i18n.label('city', r['city'], ctx.lang)} · {r[key]}"
    return out


NEW = "+"   # the choice "a new party": a name is typed below it


def _party(ctx: Context, side: str, tables: tuple[str, ...], m: int) -> tuple[Party | None, bool]:
    """A known party picked by searching its name, or a new one typed in full, with an optional
    city and district; (party, new)."""
    which = {("bases",): "party_base", ("schools",): "party_school"}.get(tables, "party_any")
    choices = _choices(ctx, tables)
    value = st.selectbox(f"{ctx.t('dm.sign.party_' + side)} · {ctx.t('dm.sign.' + which)}",
                         [NEW, *choices], index=None, key=f"dm_sign_{side}_{m}_{'_'.join(tables)}",
                         placeholder=ctx.t("dm.sign.party_placeholder"), help=ctx.t("dm.sign.party_help"),
                         format_func=lambda v: choices.get(v) or ctx.t("dm.sign.party_new"))
    if value != NEW:
        return (Party(value) if value else None), False
    name = st.text_input(ctx.t("dm.sign.new_name"), key=f"dm_sign_{side}_name_{m}", max_chars=200).strip()
    city = st.selectbox(ctx.t("dm.sign.new_city"), ("", *known_cities()), key=f"dm_sign_{side}_city_{m}",
                        format_func=lambda c: i18n.label("city", c, ctx.lang) if c else ctx.t("dm.intake.city_none"))
    districts = _known("districts")
    names = tuple(districts.loc[districts["city"] == city, "name_zh"]) if city and len(districts) else ()
    district = st.selectbox(ctx.t("dm.sign.new_district"), ("", *names), key=f"dm_sign_{side}_district_{m}",
                            disabled=not names, format_func=lambda d: d or ctx.t("dm.sign.district_none"))
    st.caption(ctx.t("dm.sign.new_party"))
    return (Party(name, city, district) if name else None), True


def signing_form(ctx: Context) -> None:
    """One agreement, as the one-row list signing.Signing builds, through the same plan()."""
    m = st.session_state.get("dm_sign_n", 0)
    st.caption(ctx.t("dm.sign.intro"))
    kind = st.selectbox(ctx.t("dm.sign.kind"), KINDS, key=f"dm_sign_kind_{m}",
                        format_func=lambda k: i18n.label("kind", k, ctx.lang))
    left, right = st.columns(2)
    with left:
        a, new_a = _party(ctx, "a", tables_for(kind, 0), m)
    with right:
        b, new_b = _party(ctx, "b", tables_for(kind, 1), m)
    left, mid, right = st.columns([1, 2, 2])
    signed_on = left.date_input(ctx.t("dm.sign.date"), value=None, key=f"dm_sign_date_{m}",
                                min_value=dt.date(1990, 1, 1), max_value=dt.date.today())
    events = _known("events")
    labels = {r["event_id"]: f"{r['name_zh']} · {r['date']}" for r in events.to_dict("records")} \
        if "event_id" in events else {}
    event = mid.selectbox(ctx.t("dm.sign.event"), ("", *labels), key=f"dm_sign_event_{m}",
                          format_func=lambda e: labels.get(e, "") or ctx.t("dm.sign.event_none"))
    title = right.text_input(ctx.t("dm.sign.title"), key=f"dm_sign_title_{m}", max_chars=200)
    source = st.text_input(ctx.t("dm.sign.source"), key=f"dm_sign_source_{m}", max_chars=500,
                           help=ctx.t("dm.sign.source_help"))
    create = (new_a or new_b) and st.checkbox(ctx.t("dm.intake.create_missing"), key=f"dm_sign_create_{m}",
                                              help=ctx.t("dm.intake.create_missing_help"))
    if a is None or b is None or signed_on is None:
        st.info(ctx.t("dm.sign.fill_in"))
        return
    signing = Signing(kind, a, b, signed_on, event, title)
    found = plan(*signing.as_file(), "agreements", default_data_dir(), "merge", source=source,
                 create_missing=bool(create))
    flow(ctx, found, "dm_sign", fingerprint(signing, source, create), "dm_sign_n")
