"""A published list, from its bytes to the changes it would make: read, understood, checked.

`plan()` is the one entry the command line (and the data manager page) uses; its result
holds what was understood (model.Understanding) and the proposals to preview and commit
together (store.commit_all): the parties a list creates first, then the list's own table.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.core.schema import TABLES
from analysis.core.validation import Problem
from analysis.editing.changes import Proposal, prepare, read_table
from analysis.editing.intake import common, institutions, parties
from analysis.editing.intake.model import RowRef, Understanding
from analysis.editing.intake.places import Places
from analysis.editing.upload import Upload, read_upload

INTAKE_TABLES = ("bases", "schools", "honours", "agreements")


@dataclass
class Plan:
    upload: Upload | None                      # as read (None when the file cannot be read)
    understanding: Understanding | None
    proposals: list[Proposal] = field(default_factory=list)   # commit order
    problems: list[Problem] = field(default_factory=list)     # blocking, all of them
    existing: list[Problem] = field(default_factory=list)     # already on disk elsewhere

    @property
    def ok(self) -> bool:
        return not self.problems and any(p.ok for p in self.proposals)


def plan(data: bytes, filename: str, table: str, data_dir: Path, mode: str = "merge", *,
         source: str | None = None, city: str | None = None, create_missing: bool = False,
         today: dt.date | None = None) -> Plan:
    upload = read_upload(data, filename, table)
    if isinstance(upload, list):
        return Plan(None, None, problems=upload)
    if table not in INTAKE_TABLES or upload.frame.columns.duplicated().any():
        proposal = prepare(upload, data_dir, mode, today)   # ids and coordinates given as is
        return Plan(upload, Understanding(table, upload.file, upload.header_row,
                                          notes=tuple(upload.read_notes)),
                    [proposal], proposal.problems, proposal.existing)
    data_dir = Path(data_dir)
    frame, columns = common.columns(upload)
    given = set(frame.columns)
    frame = common.types(frame, table)
    how_source, problems = common.provenance(frame, source, upload.file)
    names = frame["name_zh"] if "name_zh" in frame else None
    values = common.coded_values(frame, table, names=names)
    current = {t: _current(data_dir, t) for t in ("bases", "schools", "agreements")}
    places = Places(data_dir)
    made, extra = {}, {}
    if table in ("bases", "schools"):
        fallback = {v.column: frame[v.column] == v.value for v in values if v.how != "table"}
        frame, found = institutions.understand(frame, table, upload.file, places, current[table],
                                               city, fallback)
        problems += found.problems
        extra = _found(found)
    elif table == "agreements":
        got = parties.resolve(frame, upload.file, current, places, city, create_missing)
        frame, problems = got.frame, problems + got.problems
        extra = {"matched": tuple(got.matched), "generated": tuple(got.generated)}
        made = got.created
        extra["created"] = tuple((t, RowRef(int(i) + 2, r[f"{t[:-1]}_id"], r["name_zh"]))
                                 for t, (f, _) in made.items() for i, r in f.iterrows())
    else:   # honours: a city as written, coded values and the source
        if "city" in frame or city:
            frame, found = _honour_cities(frame, upload.file, city)
            problems += found
    keep = [c for c in TABLES[table].column_names if c in frame]
    understanding = Understanding(
        table, upload.file, upload.header_row, how_source, (source or "").strip(), tuple(columns),
        tuple(values),
        derived=tuple(c for c in keep if c not in given), notes=tuple(upload.read_notes), **extra)
    mine = _as_upload(upload, frame[keep], list(upload.problems) + problems, given)
    side = [prepare(_as_upload(replace(upload, table=t), f[[c for c in TABLES[t].column_names if c in f]],
                               [], set()), data_dir, "merge", today) for t, (f, _) in made.items()]
    proposal = prepare(mine, data_dir, mode, today, alongside=tuple(side))
    blocking = list(problems)
    # A row the import refused needs no "a value is required" for what it could not fill in.
    said = {(p.line, p.column) for p in blocking} | {(None, p.column) for p in blocking if p.line is None}
    rows = {p.line for p in blocking if p.line}
    for p in [p for s in side for p in s.problems] + proposal.problems:
        if p not in blocking and (p.line, p.column) not in said and (None, p.column) not in said \
                and not (p.code == "required" and p.line in rows):
            blocking.append(p)
    return Plan(upload, understanding, [*side, proposal], blocking, proposal.existing)


def _current(data_dir: Path, table: str) -> pd.DataFrame | None:
    frame = read_table(data_dir, table)
    return frame if isinstance(frame, pd.DataFrame) else None


def _found(found: institutions.Found) -> dict:
    return {"districts": tuple(found.districts), "generated": tuple(found.generated),
            "matched": tuple(found.matched), "duplicates": tuple(found.duplicates),
            "city_level": tuple(found.city_level)}


def _honour_cities(frame: pd.DataFrame, file: str, city: str | None):
    found = institutions.Found()
    row = pd.Series(frame.index + 2, index=frame.index)
    frame = frame.copy()
    frame["city"] = institutions.cities(frame, file, row, city, found)
    return frame, found.problems


def _as_upload(upload: Upload, frame: pd.DataFrame, problems: list[Problem],
               given: set[str]) -> Upload:
    """The understood table as an Upload (contract columns only) for changes.prepare."""
    renamed = {c: w for c, w in upload.renamed.items() if c in given}
    return replace(upload, frame=frame.astype(str), renamed=renamed, problems=problems)
