"""Steps every published list goes through: columns kept, read or left out; numbers typed with
full-width digits; dates in any usual form; the source; Chinese values of coded columns."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from analysis.core.schema import LIST_PREFIX, TABLES
from analysis.core.validation import Problem
from analysis.editing.intake.model import ColumnUse, ValueUse
from analysis.editing.intake.read import iso_date
from analysis.editing.intake.tables import header_norm, intake_columns, map_value
from analysis.core.text import normalise_numeric_text
from analysis.editing.upload import Upload

CODED = ("category", "level", "stage", "kind", "list")
FALLBACK = {"category": "other", "stage": "other"}   # what no word fits becomes (with a notice)


def columns(upload: Upload) -> tuple[pd.DataFrame, list[ColumnUse]]:
    """Contract columns as they are, import-only columns under their name, 序号/备注 dropped,
    any other unknown column left out (listed, not refused)."""
    names = TABLES[upload.table].column_names
    original = {c: w for c, w in upload.renamed.items()}
    frame, uses, keep = upload.frame, [], {}
    for column in frame.columns:
        written = original.get(column, column)
        if column in names:
            keep[column] = column
            uses.append(ColumnUse(written, column, "mapped"))
            continue
        extra = intake_columns().get(header_norm(column))
        if extra == "ignore":
            uses.append(ColumnUse(written, "", "ignored"))
        elif extra and extra not in keep.values():
            keep[column] = extra
            uses.append(ColumnUse(written, extra, "read"))
        else:
            uses.append(ColumnUse(written, "", "left_out"))
    out = frame[list(keep)].rename(columns=keep)
    return out, uses


def types(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Numbers and codes typed with full-width digits; dates to YYYY-MM-DD."""
    frame = frame.copy()
    for col in TABLES[table].columns:
        if col.name not in frame:
            continue
        if col.kind in ("float", "int", "code6"):
            frame[col.name] = frame[col.name].map(normalise_numeric_text)
        elif col.kind == "date":
            frame[col.name] = frame[col.name].map(iso_date)
    return frame


def as_provenance(text: str) -> str:
    """A source as staff give it: a URL as it is; a list's title and date (anything else)
    becomes "list:<title and date>" (analysis.core.schema.LIST_PREFIX)."""
    text = " ".join(str(text).split())
    if not text or re.match(r"^(https?://\S+|seed:\S+|list:|illustrative$)", text):
        return text
    return f"{LIST_PREFIX}{text}"


def provenance(frame: pd.DataFrame, source: str | None, file: str) -> tuple[str, list[Problem]]:
    """--source fills the rows a source column leaves empty; a source column wins for its rows.
    Neither: the file is refused."""
    source = as_provenance(source or "")
    if "provenance" in frame:
        frame["provenance"] = frame["provenance"].map(as_provenance)
        if source:
            empty = frame["provenance"] == ""
            frame.loc[empty, "provenance"] = source
            return ("both" if (~empty).any() else "option"), []
        return "column", []
    if source:
        frame["provenance"] = source
        return "option", []
    return "", [Problem(file, None, "provenance", "intake.no_source")]


def coded_values(frame: pd.DataFrame, table: str,
                 names: pd.Series | None = None) -> list[ValueUse]:
    """Chinese values of coded columns → contract values (value_aliases.toml). For category and
    stage, a file without the column has them looked for in the name."""
    spec = {c.name: c for c in TABLES[table].columns}
    uses = []
    for column in CODED:
        if column not in spec:
            continue
        allowed = spec[column].allowed or ()
        if column in frame:
            written, how = frame[column], "table"
        elif column in FALLBACK and names is not None:
            written, how = names, "name"
        else:
            continue
        mapped, counts = [], Counter()
        for value in written:
            text = str(value).strip()
            if text in allowed or (not text and how == "table"):
                mapped.append(text)
                continue
            found = map_value(column, text)
            used = how
            if found is None and column in FALLBACK:
                found, used = FALLBACK[column], "fallback"
            mapped.append(found if found is not None else text)
            if found is not None:
                counts[("" if how == "name" else text, found, used)] += 1
        frame[column] = pd.Series(mapped, index=frame.index, dtype=object)
        uses += [ValueUse(column, w, v, n, h) for (w, v, h), n in counts.items()]
    return uses
