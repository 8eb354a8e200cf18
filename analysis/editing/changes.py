"""What an upload would do to a real table: the resulting table (merge by id, or replace),
the rows added, changed (with the changed fields) and removed, and the validation problems
it would bring, checked together with every other table on disk.

A change may not add problems. Problems already present in other files (say, while someone
repairs broken data table by table) are shown but do not block it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import i18n
from analysis.core.loading import ILLUSTRATIVE_DIR, read_part
from analysis.core.schema import ILLUSTRATIVE, TABLES
from analysis.core.text import name_key
from analysis.core.validation import Part, Problem, validate
from analysis.editing.upload import Upload

MODES = ("merge", "replace")
# Honours have no id: a row is the same honour when year, list and name match.
NATURAL_KEYS = {"honours": ("year", "list", "name_zh")}
_OCC = "_occurrence"


def match_key(table: str) -> list[str]:
    key = TABLES[table].key
    return [key] if key else list(NATURAL_KEYS[table])


def real_path(data_dir: Path, table: str) -> Path:
    """The one file the data manager writes for a table (never data/illustrative/)."""
    return Path(data_dir) / TABLES[table].file


def real_label(table: str) -> str:
    return f"data/{TABLES[table].file}"


def sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


@dataclass
class Diff:
    key: list[str]
    added: pd.DataFrame      # new rows, contract columns
    changed: pd.DataFrame    # one line per changed field: key columns, column, old, new
    removed: pd.DataFrame    # rows that go away

    @property
    def counts(self) -> dict[str, int]:
        changed_rows = len(self.changed.drop_duplicates(self.key)) if len(self.changed) else 0
        return {"added": len(self.added), "changed": changed_rows, "removed": len(self.removed)}

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())


@dataclass
class Proposal:
    """An upload turned into a change of one real table, ready to preview and commit."""
    data_dir: Path
    table: str
    mode: str
    source: str                    # the uploaded file's name
    base_sha: str | None           # the current file's SHA-256: commit refuses if it moved
    parts: list[Part]              # the table as it would be, as validated
    frame: pd.DataFrame            # the table as it would be written (contract columns, str)
    diff: Diff | None              # None when there are problems
    problems: list[Problem]        # blocking: the change would bring these
    existing: list[Problem] = field(default_factory=list)   # already there elsewhere
    notes: list[tuple[str, dict]] = field(default_factory=list)  # i18n key, params

    @property
    def ok(self) -> bool:
        return not self.problems and self.diff is not None and not self.diff.is_empty


def read_table(data_dir: Path, table: str) -> pd.DataFrame | Problem | None:
    """The real table on disk as strings (None when the file does not exist)."""
    path = real_path(data_dir, table)
    if not path.is_file():
        return None
    part = read_part(path, table, real_label(table))
    return part if isinstance(part, Problem) else part.frame


def current_parts(data_dir: Path) -> tuple[list[Part], list[Problem]]:
    """Every file on disk, labelled data/... so an upload's own name never collides."""
    data_dir = Path(data_dir)
    parts, problems = [], []
    for name, spec in TABLES.items():
        for path, label in ((data_dir / spec.file, f"data/{spec.file}"),
                            (data_dir / ILLUSTRATIVE_DIR / spec.file,
                             f"data/{ILLUSTRATIVE_DIR}/{spec.file}")):
            if path.is_file():
                result = read_part(path, name, label)
                (problems if isinstance(result, Problem) else parts).append(result)
    return parts, problems


def introduced_problems(data_dir: Path, table: str | tuple[str, ...], new_parts: list[Part],
                        today: dt.date | None = None) -> tuple[list[Problem], list[Problem]]:
    """Validate every table with `new_parts` standing for the real `table` (or tables: a
    change that writes several at once).

    Returns (problems the change brings, problems that were there before it)."""
    parts, unreadable = current_parts(data_dir)
    before = set(validate(parts, today=today)) | set(unreadable)
    replaced = {real_label(t) for t in ((table,) if isinstance(table, str) else table)}
    others = [p for p in parts if p.file not in replaced]
    others_unreadable = [p for p in unreadable if p.file not in replaced]
    after = validate(others + new_parts, today=today) + others_unreadable
    return ([p for p in after if p not in before], [p for p in after if p in before])


def prepare(upload: Upload, data_dir: Path, mode: str = "merge",
            today: dt.date | None = None, alongside: tuple[Proposal, ...] = ()) -> Proposal:
    """Build, validate and diff the change an upload would make to its real table.
    `alongside`: changes to other tables committed together with this one (validated with it)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    data_dir, table = Path(data_dir), upload.table
    path = real_path(data_dir, table)
    base_bytes = path.read_bytes() if path.is_file() else None
    current = read_table(data_dir, table)
    columns = TABLES[table].column_names
    proposal = Proposal(data_dir, table, mode, upload.file, sha256(base_bytes), [upload.part],
                        pd.DataFrame(columns=columns), None, list(upload.problems),
                        notes=_reading_notes(upload))
    if isinstance(current, Problem) and mode == "merge":
        proposal.problems.append(Problem(current.file, current.line, None, "dm.merge_unreadable"))
        return proposal
    if not isinstance(current, pd.DataFrame):
        current = pd.DataFrame(columns=columns, dtype=str)

    if mode == "merge":
        kept = _unmatched(current, upload.frame, table)
        proposal.parts = [upload.part] + ([Part(table, real_label(table), kept)] if len(kept) else [])
    introduced, existing = introduced_problems(
        data_dir, (table, *(p.table for p in alongside)),
        proposal.parts + [part for p in alongside for part in p.parts], today)
    proposal.problems = sorted(proposal.problems + introduced,
                               key=lambda p: (p.file, p.line or 0, p.column or ""))
    proposal.existing = existing
    if proposal.problems:
        return proposal

    proposal.frame = (merged(current, upload.frame, table) if mode == "merge"
                      else _complete(upload.frame, columns))
    proposal.diff = diff(current, proposal.frame, table)
    proposal.notes += _change_notes(upload, mode, columns)
    return proposal


def _complete(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Contract columns in contract order; a column the file lacks is empty."""
    return frame.reindex(columns=columns, fill_value="").fillna("").reset_index(drop=True).astype(str)


def _keys(frame: pd.DataFrame, key: list[str]) -> pd.MultiIndex:
    """Each row's match key in its compared form (names by text.name_key: 成都（馆） and
    成都(馆) are one honour), with a counter so rows sharing a natural key still match one
    to one, in order."""
    f = frame[key].astype(str).apply(lambda s: s.map(name_key))
    f[_OCC] = f.groupby(key, sort=False).cumcount().astype(str)
    return pd.MultiIndex.from_frame(f)


def _unmatched(current: pd.DataFrame, upload: pd.DataFrame, table: str) -> pd.DataFrame:
    """Current rows the upload does not touch, with their own row numbers kept."""
    key = match_key(table)
    if not all(k in upload.columns for k in key):
        return current
    return current[~_keys(current, key).isin(_keys(upload, key))]


def merged(current: pd.DataFrame, upload: pd.DataFrame, table: str) -> pd.DataFrame:
    """Merge by id: uploaded rows replace the rows with the same id (columns the file lacks
    keep their current values), new ids are appended, every other row stays as it is.
    A value that only looks different (104.1100 vs 104.11) keeps its current text."""
    spec = TABLES[table]
    key = match_key(table)
    cur = _complete(current, spec.column_names)
    up = upload.reset_index(drop=True)
    cur.index, up.index = _keys(cur, key), _keys(up, key)
    out = cur.copy()
    hit = up.index.isin(cur.index)
    rows = up.index[hit]
    for col in (c for c in spec.columns if c.name in up.columns):
        old, new = out.loc[rows, col.name], up.loc[hit, col.name]
        differs = (_canon(old, col.kind).to_numpy() != _canon(new, col.kind).to_numpy())
        out.loc[rows[differs], col.name] = new[differs].to_numpy()
    added = _complete(up[~hit], spec.column_names)
    return pd.concat([out.reset_index(drop=True), added], ignore_index=True).astype(str)


def diff(old: pd.DataFrame, new: pd.DataFrame, table: str) -> Diff:
    """Rows added, changed (field by field) and removed between two versions of a table.

    Values are compared as the contract reads them, so 104.1100 and 104.11 are the same."""
    spec = TABLES[table]
    columns = spec.column_names
    key = match_key(table)
    a, b = _complete(old, columns), _complete(new, columns)
    a.index, b.index = _keys(a, key), _keys(b, key)
    added = b[~b.index.isin(a.index)].reset_index(drop=True)
    removed = a[~a.index.isin(b.index)].reset_index(drop=True)
    both = a.index.intersection(b.index, sort=False)
    a_both, b_both = a.loc[both], b.loc[both]
    differs = pd.DataFrame({c.name: _canon(a_both[c.name], c.kind) != _canon(b_both[c.name], c.kind)
                            for c in spec.columns})
    rows, cols = np.nonzero(differs.to_numpy())   # row by row, then column
    keys = a_both[key].to_numpy()[rows]
    changed = pd.DataFrame({**{k: keys[:, i] for i, k in enumerate(key)},
                            "column": np.array(columns, dtype=object)[cols],
                            "old": a_both.to_numpy()[rows, cols], "new": b_both.to_numpy()[rows, cols]},
                           columns=[*key, "column", "old", "new"])
    return Diff(key, added, changed, removed)


def _canon(s: pd.Series, kind: str) -> pd.Series:
    """Comparable form of a column: numbers by value, text stripped."""
    s = s.astype(str).str.strip()
    if kind in ("float", "int"):
        num = pd.to_numeric(s, errors="coerce").astype("float64")
        return s.where(num.isna(), num.map(lambda v: f"{v:.12g}"))
    return s


def _reading_notes(upload: Upload) -> list[tuple[str, dict]]:
    """What was learnt reading the file (shown with the problems too: it explains rows)."""
    notes = list(upload.read_notes)
    if upload.encoding not in ("utf-8", "xlsx", "xls"):
        notes.append(("dm.note_encoding", {"encoding": upload.encoding.upper()}))
    if upload.header_row > 1:
        notes.append(("dm.note_header_row", {"row": upload.header_row}))
    if upload.normalised:
        notes.append(("dm.note_normalised", {"count": upload.normalised}))
    if upload.renamed:
        notes.append(("dm.note_renamed", {"columns": ", ".join(
            f"{orig} → {col}" for col, orig in upload.renamed.items())}))
    return notes


def _change_notes(upload: Upload, mode: str, columns: list[str]) -> list[tuple[str, dict]]:
    notes = []
    if "provenance" in upload.frame:
        n = int((upload.frame["provenance"] == ILLUSTRATIVE).sum())
        if n:
            notes.append(("dm.note_illustrative", {"count": n}))
    absent = [c for c in columns if c not in upload.frame.columns]
    if absent:
        key = "dm.note_absent_merge" if mode == "merge" else "dm.note_absent_replace"
        notes.append((key, {"columns": ", ".join(absent)}))
    return notes


def note_text(note: tuple[str, dict], lang: str) -> str:
    key, params = note
    return i18n.t(key, lang, **params)


def problem_table(problems: list[Problem], lang: str, upload: Upload | None = None) -> pd.DataFrame:
    """Problems as rows for a report: file, spreadsheet row, column (as the user wrote it),
    message. All text, blank where a problem has no row or column."""
    def column(p: Problem) -> str:
        label = upload.column_label(p.column) if upload and p.file == upload.file else p.column
        return label or ""
    return pd.DataFrame([{"file": p.file, "row": str(p.line or ""), "column": column(p),
                          "message": p.message(lang)} for p in problems],
                        columns=["file", "row", "column", "message"])
