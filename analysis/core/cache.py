"""A validated DuckDB file per data version, so a restart on unchanged files skips parsing,
validation and building the joined tables.

The CSV files stay the only source of truth: the cache is keyed by their fingerprint
(loading.data_version: path, size and mtime of every table file, so any edit and every data
manager commit changes it) and by the code that reads, validates and joins them; a file is only
written after the data validated, and only read when its key matches. It lives under the OS
temp dir (or $ATLAS_CACHE_DIR), in one folder per data dir, never inside data/: nothing to
commit, copy or back up by mistake, and a read-only data dir still works.

A first load of large data runs in a child process (`python -m analysis.core.cache DATA_DIR`),
which writes the file that the server then opens. Reading and validating in pandas holds the
GIL, and the server's event loop needs it for every message it sends: in-process, a 1M-agreement
load sent nothing for its first 3 s and the bar moved only between files. The child also keeps
the load's peak memory out of the server.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import signal
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from analysis.core import loading
from analysis.core.db import SQL_DIR, Database
from analysis.core.validation import Problem

CACHE_DIR_ENV = "ATLAS_CACHE_DIR"
# The data size from which a first load runs in a child: starting one costs ~0.7 s (Python,
# pandas, DuckDB), about as long as the shipped data's whole load in-process.
CHILD_FROM_BYTES = 5_000_000
CHILD = (sys.executable, "-m", "analysis.core.cache")   # + the data dir
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
    loaded and validated (and cached when valid; large data in a child process, see above),
    reporting its stages to `progress`. (None, problems) on invalid data."""
    data_dir = Path(data_dir).resolve()   # the same folder, and version, in a child
    version = loading.data_version(data_dir)
    path = cache_file(data_dir, version)
    progress = _never_back(progress)
    if path.is_file() or _size(data_dir) < CHILD_FROM_BYTES or not _writable(path.parent):
        return _open_here(data_dir, version, path, progress)   # (a child could not leave a file)
    problems = _load_in_child(data_dir, progress)
    if problems:
        return None, problems
    written = path.is_file()
    # no file after an answer: the data changed while the child read it
    db, problems = _open_here(data_dir, version, path,
                              progress if written or problems is None else _again(progress))
    if written:
        progress(1.0, "build", "")
    return db, problems


def _open_here(data_dir: Path, version: str, path: Path, progress: loading.Progress
               ) -> tuple[Database | None, list[Problem]]:
    """open_database in this process."""
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
    built = loading.within(progress, "build")
    if loading.data_version(data_dir) != version:  # a file changed while we read: don't cache
        return Database(dataset, progress=built), []
    tables = set(dataset.tables)
    try:
        _write(dataset, path, built)  # takes the frames out of dataset as it copies them in
    except (OSError, duckdb.IOException):  # no room or no permission: run from memory
        if set(dataset.tables) == tables:   # it failed before taking any (no cache folder)
            return Database(dataset, progress=built), []
        # some went into the file: read them again, saying why (a stalled bar looks like a hang)
        dataset, problems = loading.load(data_dir, progress=_again(progress))
        return (Database(dataset) if dataset else None), problems
    return Database.open_file(path, version), []


def _write(dataset: loading.Dataset, path: Path, built: Callable[[float], None]) -> None:
    """Build the file under a temporary name and rename it, so a reader never sees half a
    file; then drop the data dir's older versions (an open one stays readable until closed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "data_dir.txt").write_text(str(dataset.data_dir.resolve()), encoding="utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".building-{os.getpid()}-", suffix=".duckdb")
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    try:
        Database(dataset, path=Path(tmp), progress=built).close()
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


def _never_back(progress: loading.Progress) -> loading.Progress:
    """The bar never moves back (a build that failed part-way, or a child's load, followed by
    a load in this process)."""
    furthest = 0.0

    def report(fraction: float, stage: str, detail: str) -> None:
        nonlocal furthest
        furthest = min(1.0, max(furthest, fraction))   # st.progress refuses 1.0000000000000002
        progress(furthest, stage, detail)
    return report


def _again(progress: loading.Progress) -> loading.Progress:
    """A load after the cache file failed: on within the build stage, saying why."""
    rereading = loading.within(progress, "build", "reread")
    return lambda fraction, _stage, detail: rereading(fraction, detail)


def _size(data_dir: Path) -> int:
    return sum(path.stat().st_size for _, path in loading.csv_files(data_dir))


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


# --- the first load in a child process ---------------------------------------------------
# The child sends pickled tuples on its stdout: ("progress", fraction, stage, detail) as it
# goes, then ("done", problems). It is our own code, so unpickling its output is safe.

def _load_in_child(data_dir: Path, progress: loading.Progress) -> list[Problem] | None:
    """The child's problems: [] once it wrote the cache file (or found the data changed while
    it read), None when it ended without an answer (killed, out of memory, not started); the
    caller then loads in this process."""
    try:
        child = subprocess.Popen([*CHILD, str(data_dir)], cwd=loading.REPO_ROOT,
                                 env={**os.environ, CACHE_DIR_ENV: str(cache_root().resolve())},
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    except OSError as exc:
        print(f"atlas: the first load runs here, no child process: {exc}", file=sys.stderr)
        return None
    answer = None
    try:
        while answer is None:
            try:
                kind, *values = pickle.load(child.stdout)
            except Exception:  # noqa: BLE001 - it ended, maybe mid-message: no answer
                break
            if kind == "done":
                answer = values[0]
            elif values[0] < 1.0:   # the end is reported once the file is open here
                progress(*values)
    finally:   # also when a rerun interrupts the bar: the child stops and cleans up
        if answer is None:
            child.terminate()
        child.stdout.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if answer is None:   # killed outright, it may have left its half-built file
            for leftover in cache_root().glob(f"*/.building-{child.pid}-*"):
                leftover.unlink(missing_ok=True)
    if answer is None:
        print(f"atlas: the first-load child ended without an answer (exit {child.returncode}); "
              "loading here", file=sys.stderr)
    return answer


def _child_main(data_dir: str) -> int:
    """The child: _open_here (never another child), reported on the original stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)   # a stray print goes to stderr, not into the answer
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))   # so that _write's cleanup runs

    def send(*message) -> None:
        pickle.dump(message, out)
        out.flush()
    data_dir = Path(data_dir)
    version = loading.data_version(data_dir)
    db, problems = _open_here(data_dir, version, cache_file(data_dir, version),
                              lambda *call: send("progress", *call))
    if db is not None:
        db.close()
    send("done", problems)
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1]))
