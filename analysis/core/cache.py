"""A validated DuckDB file per data version, so a restart on unchanged files skips parsing,
validation and building the joined tables.

The CSV files stay the only source of truth: the cache is keyed by their fingerprint
(loading.data_version: path, size and mtime of every table file, so any edit and every data
manager commit changes it) and by the code that reads, validates and joins them; a file is only
written after the data validated, and only read when its key matches. It lives under the OS
temp dir (or $ATLAS_CACHE_DIR), in one folder per data dir, never inside data/: nothing to
commit, copy or back up by mistake, and a read-only data dir still works.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from analysis.core import loading
from analysis.core.db import SQL_DIR, Database
from analysis.core.validation import Problem

CACHE_DIR_ENV = "ATLAS_CACHE_DIR"
_CODE = [Path(loading.__file__), Path(loading.__file__).with_name("schema.py"),
         Path(loading.__file__).with_name("validation.py"), Path(loading.__file__).with_name("text.py")]


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or Path(tempfile.gettempdir()) / "atlas-cache")


def code_version() -> str:
    """Changes when the reading, validation or setup SQL changes (or DuckDB's file format)."""
    h = hashlib.sha1(duckdb.__version__.encode())
    for path in [*_CODE, *sorted(SQL_DIR.glob("_setup*.sql"))]:
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cache_file(data_dir: Path, version: str) -> Path:
    folder = hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return cache_root() / folder / f"{version}-{code_version()}.duckdb"


def open_database(data_dir: Path, progress: loading.Progress = loading.no_progress
                  ) -> tuple[Database | None, list[Problem]]:
    """The Database for data_dir: from the cache when its files are unchanged, otherwise
    loaded and validated (and cached when valid), reporting its stages to `progress`.
    (None, problems) on invalid data."""
    data_dir = Path(data_dir)
    version = loading.data_version(data_dir)
    path = cache_file(data_dir, version)
    if path.is_file():
        try:
            return Database.open_file(path, version), []
        except duckdb.Error:  # unreadable (truncated by a full disk, say): rebuild it
            path.unlink(missing_ok=True)
    dataset, problems = loading.load(data_dir, progress=progress)
    if problems:
        return None, problems
    progress(loading.stage_start("build"), "build", "")
    db, problems = _build(dataset, data_dir, version, path, progress)
    progress(1.0, "build", "")
    return db, problems


def _build(dataset: loading.Dataset, data_dir: Path, version: str, path: Path,
           progress: loading.Progress) -> tuple[Database | None, list[Problem]]:
    """The Database of validated data: written to the cache file and opened from it, or in
    memory when that file cannot be written or would not match the files."""
    if loading.data_version(data_dir) != version:  # a file changed while we read: don't cache
        return Database(dataset), []
    tables = set(dataset.tables)
    try:
        _write(dataset, path)  # takes the frames out of dataset as it copies them in
    except (OSError, duckdb.IOException):  # no room or no permission: run from memory
        if set(dataset.tables) == tables:   # it failed before taking any (no cache folder)
            return Database(dataset), []
        # some went into the file: read them again, the bar going on within its build stage
        # and saying why (a stalled bar would look like a hang)
        start, share = loading.stage_start("build"), loading.STAGES["build"]
        dataset, problems = loading.load(data_dir, progress=lambda fraction, _stage, detail: progress(
            start + share * fraction, "reread", detail))
        return (Database(dataset) if dataset else None), problems
    return Database.open_file(path, version), []


def _write(dataset: loading.Dataset, path: Path) -> None:
    """Build the file under a temporary name and rename it, so a reader never sees half a
    file; then drop the data dir's older versions (an open one stays readable until closed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "data_dir.txt").write_text(str(dataset.data_dir.resolve()), encoding="utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=".duckdb")
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    try:
        Database(dataset, path=Path(tmp)).close()
        os.replace(tmp, path)
    finally:
        for leftover in (Path(tmp), Path(tmp + ".wal")):
            leftover.unlink(missing_ok=True)
    for old in path.parent.glob("*.duckdb"):
        if old != path and not old.name.startswith(".building-"):
            try:
                old.unlink(missing_ok=True)
            except OSError:  # still open elsewhere (Windows): the next start removes it
                pass
    _prune(path.parent.parent)


def _prune(root: Path) -> None:
    """Remove the caches of data dirs that no longer exist (tests' temporary copies)."""
    for folder in root.iterdir():
        marker = folder / "data_dir.txt"
        try:
            gone = marker.is_file() and not Path(marker.read_text(encoding="utf-8")).exists()
        except OSError:
            continue
        if gone:
            shutil.rmtree(folder, ignore_errors=True)
