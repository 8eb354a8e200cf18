"""Agreements by names: 甲方 / 乙方 (or 基地 / 学校) hold names, not ids. A name resolves to
the base or school with the same normalised name; every name that does not is a problem
naming the closest known names, unless --create-missing adds it (a school for the second
party of a base_school agreement, a base otherwise) with the same source, in the same commit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.core.validation import Problem
from analysis.editing.intake import common, institutions
from analysis.editing.intake.model import RowRef
from analysis.editing.intake.names import Known, name_key
from analysis.editing.intake.places import Places
from analysis.editing.intake.tables import city_in_name, city_of

SIDES = (("party_a_id", "party_a_city", "party_a_district"),
         ("party_b_id", "party_b_city", "party_b_district"))
_ID_LIKE = re.compile(r"[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)+")   # cd-b-001, fs-77, agr-…: left to validation


@dataclass
class Parties:
    frame: pd.DataFrame
    created: dict[str, tuple[pd.DataFrame, institutions.Found]] = field(default_factory=dict)
    matched: list[RowRef] = field(default_factory=list)
    generated: list[RowRef] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def tables_for(kind: str, side: int) -> tuple[str, ...]:
    if kind == "base_school":
        return ("schools",) if side else ("bases",)
    return ("bases",) if kind == "base_base" else ("bases", "schools")


def resolve(frame: pd.DataFrame, file: str, current: dict[str, pd.DataFrame | None],
            places: Places, city_option: str | None, create_missing: bool) -> Parties:
    """`current`: the real bases, schools and agreements on disk (None when absent)."""
    frame = frame.copy()
    out = Parties(frame)
    known = {t: Known.of(current[t], id_columns=(f"{t[:-1]}_id",)) for t in ("bases", "schools")}
    ids = {t: set(known[t].frame["id"]) for t in known}
    missing: dict[tuple[str, str, str], list] = {}     # (table, name key, city) → [rows]
    kinds = frame.get("kind", pd.Series("", index=frame.index))
    for side, (column, city_col, district_col) in enumerate(SIDES):
        if column not in frame:
            continue
        for i, written in frame[column].items():
            text = str(written).strip()
            if not text or any(text in ids[t] for t in ids) or _ID_LIKE.fullmatch(text):
                continue
            tables = tables_for(kinds[i], side)
            city = city_of(frame[city_col][i]) if city_col in frame and frame[city_col][i] else None
            hits = [h for t in tables for h in known[t].exact(text, city)]
            if len(hits) == 1:
                frame.at[i, column] = hits[0]
            elif hits:
                out.problems.append(Problem(file, int(i) + 2, column, "intake.ambiguous_party",
                                            {"value": text, "ids": ", ".join(hits)}))
            elif create_missing:
                city = city or city_in_name(text) or city_of(city_option or "") or ""
                table = "schools" if kinds[i] == "base_school" and side else "bases"
                missing.setdefault((table, name_key(text), city), []).append(
                    (i, column, text, district_col))
            else:
                closest = [n for t in tables for n in known[t].closest(text)][:3]
                out.problems.append(Problem(file, int(i) + 2, column, "intake.unknown_party",
                                            {"value": text, "closest": "、".join(closest)}))
    if missing:
        _create(out, missing, file, current, places)
    _agreement_ids(out, file, current.get("agreements"))
    return out


def _create(out: Parties, missing: dict, file: str, current: dict, places: Places) -> None:
    """New bases / schools for the unknown names, each at its first agreement row."""
    frame, taken = out.frame, set()
    for table in ("bases", "schools"):
        wanted = [(k, v) for k, v in missing.items() if k[0] == table]
        if not wanted:
            continue
        rows = []
        for (_, _, city), uses in wanted:
            i, column, text, district_col = uses[0]
            rows.append({"_row": i, "name_zh": text, "city": city,
                         "district": frame[district_col][i] if district_col in frame else "",
                         "provenance": frame["provenance"][i] if "provenance" in frame else ""})
        new = pd.DataFrame(rows, dtype=object).set_index("_row")
        new.index.name = None
        values = common.coded_values(new, table, names=new["name_zh"])
        fallback = {v.column: new[v.column] == v.value for v in values if v.how == "fallback"}
        new, found = institutions.understand(new, table, file, places, current.get(table), None,
                                             fallback, taken)
        taken |= set(new[f"{table[:-1]}_id"])
        out.problems += found.problems
        out.created[table] = (new, found)
        for ((_, _, _), uses), new_id in zip(wanted, new[f"{table[:-1]}_id"]):
            for i, column, _, _ in uses:
                frame.at[i, column] = new_id


def _agreement_ids(out: Parties, file: str, current: pd.DataFrame | None) -> None:
    """The same kind, parties and date as an agreement on disk is that agreement; a new one
    gets agr-YYYY-MM-DD-NN, the next number free on that date."""
    frame = out.frame
    ids = frame.get("agreement_id", pd.Series("", index=frame.index)).astype(str).str.strip()
    cur = current.astype(str) if current is not None else pd.DataFrame(
        columns=["agreement_id", "kind", "party_a_id", "party_b_id", "signed_on"])
    existing = {_key(r.kind, r.party_a_id, r.party_b_id, r.signed_on): r.agreement_id
                for r in cur.itertuples()}
    taken, seen = set(cur["agreement_id"]), {}
    for i in frame.index[ids == ""]:
        get = lambda c: str(frame[c][i]) if c in frame else ""  # noqa: E731
        date = get("signed_on")
        k = _key(get("kind"), get("party_a_id"), get("party_b_id"), date)
        title = get("title") or f"{get('party_a_id')} – {get('party_b_id')}"
        if k in seen:
            out.problems.append(Problem(file, int(i) + 2, "party_b_id", "intake.same_in_file",
                                        {"row": seen[k], "value": title}))
            continue
        seen[k] = int(i) + 2
        if k in existing:
            ids[i] = existing[k]
            out.matched.append(RowRef(int(i) + 2, ids[i], title))
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            n = 1
            while f"agr-{date}-{n:02d}" in taken:
                n += 1
            ids[i] = f"agr-{date}-{n:02d}"
            taken.add(ids[i])
            out.generated.append(RowRef(int(i) + 2, ids[i], title))
    frame["agreement_id"] = ids


def _key(kind: str, a: str, b: str, date: str) -> tuple:
    pair = tuple(sorted((a, b))) if kind == "base_base" else (a, b)
    return kind, pair, date
