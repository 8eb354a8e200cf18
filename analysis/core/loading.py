"""Read the CSV tables (real ones in data/, generated ones in data/illustrative/), validate
them, and return typed DataFrames plus a version string that changes whenever a file does."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.schema import TABLES
from analysis.core.text import normalise_numeric_column
from analysis.core.validation import Part, Problem, validate

DATA_DIR_ENV = "ATLAS_DATA_DIR"
ILLUSTRATIVE_DIR = "illustrative"
REPO_ROOT = Path(__file__).resolve().parents[2]

# How far a first load is: progress(fraction, stage, detail), the fraction of its expected time
# (never decreasing, 1.0 once the database is built), a key of STAGES (or "reread": the data
# read again when the cache file failed part-way, or changed while a child process read it),
# and the file being read ("" in the other stages). A cache hit reports nothing
# (cache.open_database).
Progress = Callable[[float, str, str], None]
# The stages of a first load and their shares of its time, measured on 1M agreements
# (2026-12-03, 10.5-11.3 s in all): read 3.3-3.6 s, validate 3.1-3.4 s, convert to types
# 0.6-0.7 s, then cache.py's DuckDB build 3.5-3.7 s.
STAGES = {"read": 0.31, "validate": 0.30, "convert": 0.06, "build": 0.33}


def no_progress(fraction: float, stage: str, detail: str) -> None:
    """The Progress of a caller that shows none."""


def stage_start(stage: str) -> float:
    names = list(STAGES)
    return sum(STAGES[s] for s in names[:names.index(stage)])


def within(progress: Progress, stage: str, shown_as: str | None = None) -> Callable[..., None]:
    """Reports of a share done within `stage` (0..1, and the file) as the whole load's fraction,
    under the name `shown_as` (the stage's own by default)."""
    start, share = stage_start(stage), STAGES[stage]
    return lambda done, detail="": progress(start + share * done, shown_as or stage, detail)


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or REPO_ROOT / "data")


@dataclass
class Dataset:
    data_dir: Path
    version: str
    tables: dict[str, pd.DataFrame]


def csv_files(data_dir: Path) -> list[tuple[str, Path]]:
    """(table, path) for every table file present: the real file, then the illustrative one."""
    found = []
    for name, spec in TABLES.items():
        for path in (data_dir / spec.file, data_dir / ILLUSTRATIVE_DIR / spec.file):
            if path.is_file():
                found.append((name, path))
    return found


def data_version(data_dir: Path) -> str:
    """Cheap fingerprint (path, size, mtime) of every table file; changes after any commit."""
    h = hashlib.sha1()
    for _, path in csv_files(data_dir):
        st = path.stat()
        h.update(f"{path}|{st.st_size}|{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def parse_csv_text(text: str, table: str, label: str) -> Part | Problem:
    """Parse CSV text into a Part of strings, or the Problem that stops it being read."""
    if not text.strip():
        return Problem(label, 1, None, "empty_file")
    return _parse(lambda: io.StringIO(text, newline=""), table, label)


def _parse(open_text, table: str, label: str) -> Part | Problem:
    """open_text() gives a fresh text stream of the file each time it is called."""
    try:
        frame = pd.read_csv(open_text(), dtype=str, keep_default_na=False, skipinitialspace=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[-1]
        m = re.search(r"line (\d+)", detail)
        return Problem(label, int(m.group(1)) if m else None, None, "parse_error", {"detail": detail})
    # pandas renames a repeated header ("x", "x.1"); keep the names as written so the
    # validator can report the duplicate.
    frame.columns = [c.strip() for c in next(csv.reader(open_text()))]
    return Part(table, label, frame)


def read_part(path: Path, table: str, label: str) -> Part | Problem:
    raw = path.read_bytes()
    try:
        empty = not raw.decode("utf-8-sig").strip()  # the decoded copy is dropped at once
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(label, line, None, "not_utf8", {"position": exc.start})
    if empty:
        return Problem(label, 1, None, "empty_file")
    # parsed from the bytes, streamed: a whole-file str (and StringIO's copy of it) would
    # take several times the file's size at once
    return _parse(lambda: io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline=""),
                  table, label)


def read_parts(data_dir: Path, progress: Progress = no_progress) -> tuple[list[Part], list[Problem]]:
    parts, problems = [], []
    files = csv_files(data_dir)
    present = {t for t, _ in files}
    for name, spec in TABLES.items():
        if name not in present or not (data_dir / spec.file).is_file():
            problems.append(Problem(spec.file, None, None, "file_missing"))
    # measured in bytes: a file takes time to read in proportion to its size
    sizes = [path.stat().st_size for _, path in files]
    total, done, reading = sum(sizes) or 1, 0, within(progress, "read")
    for (name, path), size in zip(files, sizes):
        label = path.relative_to(data_dir).as_posix()
        reading(done / total, label)
        done += size
        result = read_part(path, name, label)
        (problems if isinstance(result, Problem) else parts).append(result)
    return parts, problems


def typed_tables(parts: list[Part]) -> dict[str, pd.DataFrame]:
    """Concatenate each table's parts and convert columns to their contract types."""
    out = {}
    for name, spec in TABLES.items():
        frames = [p.frame for p in parts if p.table == name]
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=spec.column_names)
        df = df.reindex(columns=spec.column_names, fill_value="")
        for col in spec.columns:
            s = df[col.name].astype("string").str.strip()
            if col.kind in ("float", "int", "date", "code6"):   # as validation reads them: ２０２３ = 2023
                s = normalise_numeric_column(s)
            if col.kind == "float":
                df[col.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype("float64")
            elif col.kind == "int":
                df[col.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype("Int64")
            elif col.kind == "date":
                df[col.name] = pd.to_datetime(s.replace("", None), format="%Y-%m-%d").astype("datetime64[s]")
            else:
                df[col.name] = s.replace("", None)
        out[name] = df
    return out


def load(data_dir: Path | None = None, today: dt.date | None = None,
         progress: Progress = no_progress) -> tuple[Dataset | None, list[Problem]]:
    """Read and validate every table. Returns (dataset, []) or (None, problems)."""
    data_dir = Path(data_dir or default_data_dir())
    version = data_version(data_dir)
    parts, problems = read_parts(data_dir, progress)
    progress(stage_start("validate"), "validate", "")
    problems += validate(parts, today=today, progress=within(progress, "validate"))
    if problems:
        return None, problems
    progress(stage_start("convert"), "convert", "")
    return Dataset(data_dir, version, typed_tables(parts)), []
