"""Validate the CSV tables against the data contract in schema.py.

Every problem is reported, all at once, as `file:line: column: message`. Line numbers are
spreadsheet rows: the header is line 1, the first record line 2 (what Excel shows).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analysis.core import i18n
from analysis.core.schema import ILLUSTRATIVE, LAT_RANGE, LON_RANGE, POPULATION_TABLES, TABLES, Table
from analysis.core.text import normalise_numeric_column, valid_ids

# A broken 1M-row file would otherwise produce a million identical lines.
MAX_PER_RULE = 200
SHOW_CHARS = 80   # a cell quoted in a message is cut to this (a 150 MiB cell must not be echoed)
_PROVENANCE = re.compile(r"^(https?://\S+|seed:\S+|list:\s*\S.*|illustrative)$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "en") -> str:
        return i18n.t("problem." + self.code, lang, **self.params)

    def format(self, lang: str = "en") -> str:
        return f"{self.file}:{self.line or '-'}: {self.column or '-'}: {self.message(lang)}"

    def __str__(self) -> str:
        return self.format("en")


@dataclass
class Part:
    """One CSV file of a table, as strings, with the label used in messages."""
    table: str
    file: str
    frame: pd.DataFrame  # all columns str; index 0.. = record order

    @property
    def lines(self) -> pd.Series:
        return pd.Series(self.frame.index + 2, index=self.frame.index)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def rows(self, part: Part, mask: pd.Series, column: str, code: str, values=None, **params) -> None:
        hits = mask[mask].index
        vals = part.frame[column] if values is None and column in part.frame else values
        for i in hits[:MAX_PER_RULE]:
            extra = {"value": _shown(vals[i])} if vals is not None else {}
            self.problems.append(Problem(part.file, int(i) + 2, column, code, {**extra, **params}))
        if len(hits) > MAX_PER_RULE:
            self.problems.append(Problem(part.file, None, column, "more_like_this",
                                         {"count": len(hits) - MAX_PER_RULE, "code": code}))


def _shown(value) -> str:
    value = str(value)
    return value if len(value) <= SHOW_CHARS else value[:SHOW_CHARS] + "…"


# How far validation is once every value is checked and once ids are unique (of 1M agreements,
# in a run of its own: values 1.9 s, unique ids 0.5 s, the rules across tables 1.3 s)
VALUES_DONE, UNIQUE_DONE = 0.52, 0.65


def validate(parts: list[Part], today: dt.date | None = None,
             progress: Callable[[float], None] = lambda share: None) -> list[Problem]:
    """Check every part, then the rules that span files (unique ids, references). `progress`
    gets the share done so far: after each column of each part, after the unique ids and
    after each rule across tables."""
    today = today or dt.date.today()
    out = _Collector()
    by_table: dict[str, list[Part]] = {}
    cells = sum(len(p.frame) * len(p.frame.columns) for p in parts) or 1
    checked = 0

    def column_checked(rows: int) -> None:
        nonlocal checked
        checked += rows
        progress(min(VALUES_DONE * checked / cells, VALUES_DONE))
    for part in parts:
        spec = TABLES[part.table]
        if _check_header(part, spec, out):
            _check_values(part, spec, out, today, column_checked)
            if part.file.startswith("illustrative/"):
                bad = part.frame["provenance"] != ILLUSTRATIVE
                out.rows(part, bad, "provenance", "not_illustrative")
        by_table.setdefault(part.table, []).append(part)
    for name, spec in TABLES.items():
        usable = [p for p in by_table.get(name, []) if _has_columns(p, spec)]
        if spec.key:
            _check_unique(usable, spec.key, out)
    progress(UNIQUE_DONE)
    across = (_check_district_codes, _check_agreement_refs, _check_population_years)
    for i, rule in enumerate(across, 1):
        rule(by_table, out)
        progress(UNIQUE_DONE + (1 - UNIQUE_DONE) * i / len(across))
    return sorted(out.problems, key=lambda p: (p.file, p.line or 0, p.column or ""))


def _has_columns(part: Part, spec: Table) -> bool:
    return all(c in part.frame.columns for c in spec.required)


def _check_header(part: Part, spec: Table, out: _Collector) -> bool:
    cols = list(part.frame.columns)
    for c in spec.required:
        if c not in cols:
            out.problems.append(Problem(part.file, 1, c, "missing_column"))
    known = set(spec.column_names)
    for c in cols:
        if c not in known:
            out.problems.append(Problem(part.file, 1, c, "unknown_column",
                                        {"expected": ", ".join(spec.column_names)}))
    seen = set()
    for c in cols:
        if c in seen:
            out.problems.append(Problem(part.file, 1, c, "duplicate_column"))
        seen.add(c)
    return _has_columns(part, spec) and len(seen) == len(cols)


def _check_values(part: Part, spec: Table, out: _Collector, today: dt.date,
                  column_checked: Callable[[int], None]) -> None:
    f = part.frame
    for col in spec.columns:
        if col.name not in f.columns:
            continue
        s = f[col.name].str.strip()
        empty = s == ""
        if col.required:
            out.rows(part, empty, col.name, "required")
        too_long = s.str.len() > col.max_len
        out.rows(part, too_long, col.name, "too_long", max=col.max_len)
        s, empty = s.where(~too_long, ""), empty | too_long   # reported once, not parsed again
        if col.kind in ("int", "float", "date", "code6"):
            s = normalise_numeric_column(s)   # ２０２３ is 2023 here and when loading
        if col.kind == "id":
            out.rows(part, ~empty & ~valid_ids(s), col.name, "bad_id")
        elif col.kind == "int":
            out.rows(part, ~empty & ~s.str.fullmatch(r"-?[0-9]+"), col.name, "not_int")
        elif col.kind == "float":
            num = pd.to_numeric(s.where(~empty), errors="coerce")
            out.rows(part, ~empty & num.isna(), col.name, "not_float")
            lo, hi = LON_RANGE if col.name == "lon" else LAT_RANGE
            out.rows(part, num.notna() & ((num < lo) | (num > hi)), col.name, "out_of_region",
                     lo=lo, hi=hi)
        elif col.kind == "date":
            parsed = pd.to_datetime(s.where(s.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")),
                                    format="%Y-%m-%d", errors="coerce")
            out.rows(part, ~empty & parsed.isna(), col.name, "bad_date")
            # compare as Timestamps: .dt.date of an all-NaT column stays datetime64 and
            # cannot be compared with a date (a file whose every date is bad crashed here)
            out.rows(part, parsed.notna() & (parsed > pd.Timestamp(today)), col.name, "future_date")
        elif col.kind == "code6":
            out.rows(part, ~empty & ~s.str.fullmatch(r"[0-9]{6}"), col.name, "bad_code")
        if col.allowed:
            out.rows(part, ~empty & ~s.isin(col.allowed), col.name, "not_allowed",
                     allowed=", ".join(col.allowed))
        if col.name.endswith("year") and col.kind == "int":
            year = pd.to_numeric(s.where(s.str.fullmatch(r"-?[0-9]+")), errors="coerce")
            out.rows(part, year.notna() & ((year < 1949) | (year > today.year)), col.name,
                     "year_range", max=today.year)
        column_checked(len(f))
    if "provenance" in f.columns:
        p = f["provenance"].str.strip()
        out.rows(part, (p != "") & ~p.str.match(_PROVENANCE), "provenance", "bad_provenance")


def _stack(parts: list[Part], columns: list[str]) -> pd.DataFrame:
    """Concatenate parts with their file and line, for rules that span files."""
    frames = [p.frame[columns].assign(src_file=p.file, src_line=p.lines) for p in parts]
    if not frames:
        return pd.DataFrame(columns=[*columns, "src_file", "src_line"])
    return pd.concat(frames, ignore_index=True)


def _check_unique(parts: list[Part], key: str, out: _Collector) -> None:
    df = _stack(parts, [key])
    df = df[df[key].str.strip() != ""]
    dup = df[df.duplicated(key, keep=False)]
    if dup.empty:
        return
    first = dup.drop_duplicates(key).set_index(key)
    later = dup[dup.duplicated(key, keep="first")]
    for r in later.head(MAX_PER_RULE).itertuples(index=False):
        f = first.loc[getattr(r, key)]
        out.problems.append(Problem(r.src_file, int(r.src_line), key, "duplicate_id",
                                    {"value": getattr(r, key), "other": f"{f['src_file']}:{f['src_line']}"}))


def _check_district_codes(by_table: dict[str, list[Part]], out: _Collector) -> None:
    districts = [p for p in by_table.get("districts", []) if "district_code" in p.frame]
    if not districts:
        return
    known = set(_stack(districts, ["district_code"])["district_code"])
    for name in ("bases", "schools"):
        for part in by_table.get(name, []):
            if "district_code" not in part.frame:
                continue
            s = part.frame["district_code"].str.strip()
            bad = s.str.fullmatch(r"\d{6}") & ~s.isin(known)
            out.rows(part, bad, "district_code", "unknown_district")


def _check_agreement_refs(by_table: dict[str, list[Part]], out: _Collector) -> None:
    """Parties and events must exist. A table that could not be read is skipped here: its own
    problem is already reported, and every reference to it failing would only bury that."""
    bases, schools, events = (_with(by_table, t, c) for t, c in
                              (("bases", "base_id"), ("schools", "school_id"), ("events", "event_id")))
    if not (bases and schools):
        return
    pools = {"base": set(_stack(bases, ["base_id"])["base_id"]),
             "school": set(_stack(schools, ["school_id"])["school_id"])}
    for part in schools:
        out.rows(part, part.frame["school_id"].isin(pools["base"]), "school_id", "id_clash")
    roles = {"base_base": ("base", "base"), "base_school": ("base", "school")}
    for part in _with(by_table, "agreements", "kind", "party_a_id", "party_b_id"):
        f = part.frame
        for col in ("party_a_id", "party_b_id"):
            v = f[col]
            exists = v.isin(pools["base"]) | v.isin(pools["school"])
            out.rows(part, (v != "") & ~exists, col, "unknown_party")
            for kind, (role_a, role_b) in roles.items():
                expected = role_a if col == "party_a_id" else role_b
                wrong = (f["kind"] == kind) & exists & ~v.isin(pools[expected])
                out.rows(part, wrong, col, f"must_be_{expected}", kind=kind)
        out.rows(part, (f["party_a_id"] != "") & (f["party_a_id"] == f["party_b_id"]),
                 "party_b_id", "same_party")
        if "event_id" in f and events:
            known = set(_stack(events, ["event_id"])["event_id"])
            e = f["event_id"].str.strip()
            out.rows(part, (e != "") & ~e.isin(known), "event_id", "unknown_event")


def _check_population_years(by_table: dict[str, list[Part]], out: _Collector) -> None:
    """Every population carries its year, and districts and cities share one year: a
    per-resident rate (or a comparison of two) never mixes a census with a later estimate."""
    first: tuple[str, str] | None = None   # (year, "file:line") of the first population
    for table in POPULATION_TABLES:
        for part in _with(by_table, table, "population", "population_year"):
            pop, year = part.frame["population"].str.strip(), part.frame["population_year"].str.strip()
            out.rows(part, (pop != "") & (year == ""), "population_year", "population_year_missing")
            dated = (pop != "") & year.str.fullmatch(r"\d+")
            if first is None and dated.any():
                i = dated[dated].index[0]
                first = (year[i], f"{part.file}:{i + 2}")
            if first is not None:
                out.rows(part, dated & (year != first[0]), "population_year", "mixed_population_year",
                         year=first[0], other=first[1])


def _with(by_table: dict[str, list[Part]], table: str, *columns: str) -> list[Part]:
    return [p for p in by_table.get(table, []) if all(c in p.frame for c in columns)]
