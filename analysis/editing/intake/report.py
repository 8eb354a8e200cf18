"""What was understood, in either language: lines of text (the command line prints them) and
tables (the data manager page draws them)."""
from __future__ import annotations

import pandas as pd

from analysis.core import i18n
from analysis.editing.intake.model import Understanding

SHOW = 20   # items per line before "… and N more"


def lines(u: Understanding, lang: str) -> list[str]:
    t = lambda key, **kw: i18n.t(f"intake.{key}", lang, **kw)  # noqa: E731
    sep = "、" if lang == "zh" else ", "
    out = [t("understood")]
    mapped = [f"{c.written} → {c.column}" for c in u.columns if c.action == "mapped" and c.written != c.column]
    read = [t("col_read", written=c.written, column=c.column) for c in u.columns if c.action == "read"]
    if mapped or read:
        out.append(t("columns", columns=_cut(mapped + read, sep, lang)))
    for action in ("ignored", "left_out"):
        names = [c.written for c in u.columns if c.action == action]
        if names:
            out.append(t(f"col_{action}", columns=sep.join(names)))
    if u.source:
        out.append(t(f"source_{u.source}", source=u.source_text))
    vals = []
    for v in u.values:
        if v.how == "table":
            vals.append(f"{v.column} {v.written} → {v.value} ({v.rows})")
        elif v.how == "name":
            vals.append(t("value_from_name", column=v.column, value=v.value, rows=v.rows))
        elif v.written:
            vals.append(t("value_fallback", column=v.column, written=v.written, value=v.value, rows=v.rows))
        else:
            vals.append(t("value_fallback_name", column=v.column, value=v.value, rows=v.rows))
    if vals:
        out.append(t("values", values=_cut(vals, sep, lang)))
    if u.districts:
        out.append(t("districts", districts=_cut([_district(d, t) for d in u.districts], sep, lang)))
    if u.derived:
        out.append(t("derived", columns=", ".join(u.derived)))
    if u.matched or u.generated:
        out.append(t("matched_new", matched=len(u.matched), new=u.new))
    if u.generated:
        out.append(t("generated", ids=_cut([f"{r.row}: {r.id} {r.name}" for r in u.generated], sep, lang)))
    if u.matched:
        out.append(t("matched_rows", rows=_cut([f"{r.row}: {r.id} {r.name}" for r in u.matched], sep, lang)))
    if u.duplicates:
        out.append(t("duplicates"))
        out += ["  " + t("duplicate", row=d.row, name=d.name, id=d.id, existing_id=d.existing_id,
                         existing_name=d.existing_name) for d in u.duplicates]
    if u.city_level:
        out.append(t("city_level", rows=_cut([str(r) for r in u.city_level], ", ", lang)))
    if u.created:
        out.append(t("created", parties=_cut(
            [f"{r.id} {r.name} ({t('table_' + table)})" for table, r in u.created], sep, lang)))
    return out


def _district(d, t) -> str:
    if d.how in ("zone", "blank"):
        return f"{d.written or '—'}: {t('how_' + d.how)} ({d.rows})"
    return f"{d.written} → {d.code} {d.name_zh}{t('how_' + d.how)} ({d.rows})"


def _cut(items: list[str], sep: str, lang: str) -> str:
    shown = sep.join(items[:SHOW])
    if len(items) > SHOW:
        shown += " " + i18n.t("dm.cli_more", lang, count=len(items) - SHOW)
    return shown



def summary(u: Understanding, lang: str) -> list[str]:
    """The one-line facts the page shows above the tables: source, matched / new, derived."""
    t = lambda key, **kw: i18n.t(f"intake.{key}", lang, **kw)  # noqa: E731
    out = [t(f"source_{u.source}", source=u.source_text)] if u.source else []
    if u.matched or u.generated:
        out.append(t("matched_new", matched=len(u.matched), new=u.new))
    if u.derived:
        out.append(t("derived", columns=", ".join(u.derived)))
    return out


def tables(u: Understanding, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """What was understood as (heading, table) pairs, headings and cells in `lang`: the
    column mapping, value mapping, districts, ids generated, matched records, possible
    duplicates, city-level rows and parties to create. Empty sections are left out."""
    t = lambda key, **kw: i18n.t(f"intake.tab.{key}", lang, **kw)  # noqa: E731
    row, id_, name = t("row"), t("id"), t("name")
    refs = lambda rs: pd.DataFrame([{row: r.row, id_: r.id, name: r.name} for r in rs])  # noqa: E731
    out = [
        ("columns", [{t("written"): c.written, t("column"): c.column or "—",
                      t("action"): t(f"action_{c.action}")} for c in u.columns]),
        ("values", [{t("column"): v.column, t("written"): v.written or "—", t("value"): v.value,
                     t("rows"): v.rows, t("how"): t(f"value_{v.how}")} for v in u.values]),
        ("districts", [{t("written"): d.written or "—", t("code"): d.code or "—",
                        t("district"): d.name_zh or "—", t("how"): t(f"district_{d.how}"),
                        t("rows"): d.rows} for d in u.districts]),
        ("generated", refs(u.generated)),
        ("matched", refs(u.matched)),
        ("duplicates", [{row: d.row, name: d.name, id_: d.id, t("existing_id"): d.existing_id,
                         t("existing_name"): d.existing_name} for d in u.duplicates]),
        ("city_level", [{row: r} for r in u.city_level]),
        ("created", [{t("table"): t(f"table_{table}"), row: r.row, id_: r.id, name: r.name}
                     for table, r in u.created]),
    ]
    return [(t(f"head_{key}", count=len(rows)), pd.DataFrame(rows))
            for key, rows in out if len(rows)]
