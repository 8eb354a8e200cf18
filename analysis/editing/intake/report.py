"""What was understood, as lines of text in either language (the command line prints them)."""
from __future__ import annotations

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

