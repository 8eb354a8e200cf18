"""Commit a change to a real table so that data is never lost or half-written.

- One commit at a time: an exclusive fcntl lock on data/.lock.
- The new file is written next to the old one, flushed and fsynced, then renamed over it
  (os.replace is atomic), and the directory is fsynced: a reader sees the old file or the new
  one, never a mix, also if the process dies half-way.
- The previous bytes are kept as data/history/<table>/<timestamp>_<n>.csv, and every commit
  appends one JSON line to data/history/audit.log: who, when, table, mode, rows added,
  changed and removed.
- The table change and its audit line are one unit: the entry is first written to
  data/history/pending.json, then the snapshot and the table, then the audit line, then the
  pending file goes. A process killed in between leaves pending.json, and `recover` (run under
  the lock before every commit, and when the import command or the app starts) finishes it:
  the table has the new bytes -> the audit line is appended; it still has the old ones -> the
  snapshot is removed. Snapshots that no audit line names (orphans) are swept then too.
- A restore writes back exactly the bytes of an earlier version, as a new logged commit.
- Every write needs a token from analysis.editing.auth, and re-checks under the lock that the table
  is still the one that was previewed and that the change brings no validation problem.

The dashboard notices the new file by its size and mtime (loading.data_version) and reloads.
Only data/<table>.csv is ever written: data/illustrative/ belongs to the generator.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis.core import i18n
from analysis.core.atomic import fsync_dir, write_atomic
from analysis.core.loading import parse_csv_text
from analysis.core.schema import TABLES
from analysis.core.validation import Part, Problem
from analysis.editing import auth
from analysis.editing.changes import (
    Diff,
    Proposal,
    diff,
    introduced_problems,
    read_table,
    real_path,
    sha256,
)

HISTORY_DIR = "history"
AUDIT_LOG = "audit.log"
PENDING = "pending.json"
LOCK_FILE = ".lock"


class CommitRefused(Exception):
    """Nothing was written; `code` is an i18n key, `problems` the reasons if any."""

    def __init__(self, code: str, problems: list[Problem] | None = None, **params):
        super().__init__(code)
        self.code, self.problems, self.params = code, problems or [], params

    def message(self, lang: str = "en") -> str:
        return i18n.t(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Entry:
    """One line of the audit log: one commit or restore."""
    n: int
    ts: str                   # ISO 8601, UTC
    who: str
    via: str                  # web | cli
    table: str
    mode: str                 # merge | replace | restore
    source: str               # uploaded file name, or the version restored
    added: int
    changed: int
    removed: int
    rows: int                 # rows in the table after the commit
    snapshot: str | None      # the previous version, relative to the data folder
    sha256_before: str | None
    sha256_after: str
    restored_from: int | None = None

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.ts)


def history_dir(data_dir: Path) -> Path:
    return Path(data_dir) / HISTORY_DIR


def audit_path(data_dir: Path) -> Path:
    return history_dir(data_dir) / AUDIT_LOG


@contextmanager
def locked(data_dir: Path):
    """Hold the data folder's commit lock (blocks until any other commit is done)."""
    fd = os.open(Path(data_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def serialise(frame: pd.DataFrame, table: str) -> bytes:
    """The CSV bytes of a table: contract columns in order, UTF-8, one line per record."""
    columns = TABLES[table].column_names
    return frame[columns].to_csv(index=False, lineterminator="\n").encode("utf-8")


def commit(proposal: Proposal, token: str | None, today: dt.date | None = None) -> Entry:
    """Write a previewed proposal to its real table. Raises auth.NotAuthorised without a
    valid token, CommitRefused if the proposal is not clean or the table moved since."""
    return commit_all([proposal], token, today)[0]


def commit_all(proposals: list[Proposal], token: str | None,
               today: dt.date | None = None) -> list[Entry]:
    """Write several previewed proposals (say new bases and the agreements that name them)
    as one change: every check for all of them first, under one lock, then the tables in
    the order given, each logged. Put the referenced tables first: if the process dies
    between two writes, what is on disk is still valid (new parties, no agreement yet) and
    the audit log says what was written."""
    editor = auth.verify(token)
    for p in proposals:
        if p.problems:
            raise CommitRefused("dm.refused_problems", p.problems)
    proposals = [p for p in proposals if p.diff is not None and not p.diff.is_empty]
    if not proposals:
        raise CommitRefused("dm.refused_no_changes")
    data_dir = Path(proposals[0].data_dir)
    with locked(data_dir):
        _recover(data_dir)
        currents = [_read_bytes(real_path(data_dir, p.table)) for p in proposals]
        if any(sha256(c) != p.base_sha for c, p in zip(currents, proposals)):
            raise CommitRefused("dm.refused_stale")
        introduced, _ = introduced_problems(data_dir, tuple(p.table for p in proposals),
                                            [part for p in proposals for part in p.parts], today)
        if introduced:
            raise CommitRefused("dm.refused_problems", introduced)
        return [_write(data_dir, p.table, serialise(p.frame, p.table), current, editor,
                       mode=p.mode, source=p.source, counts=p.diff.counts, rows=len(p.frame))
                for p, current in zip(proposals, currents)]


def restore(data_dir: Path, n: int, token: str | None, today: dt.date | None = None) -> Entry:
    """Put back the version that commit `n` replaced, byte for byte, as a new commit."""
    editor = auth.verify(token)
    data_dir = Path(data_dir)
    entry = _entry(data_dir, n)
    if entry.snapshot is None:
        raise CommitRefused("dm.refused_no_snapshot")
    old = (data_dir / entry.snapshot).read_bytes()
    part = _parse(old, entry.table, entry.snapshot)
    if isinstance(part, Problem):
        raise CommitRefused("dm.refused_problems", [part])
    with locked(data_dir):
        _recover(data_dir)
        path = real_path(data_dir, entry.table)
        current = _read_bytes(path)
        if current == old:
            raise CommitRefused("dm.refused_no_changes")
        introduced, _ = introduced_problems(data_dir, entry.table, [part], today)
        if introduced:
            raise CommitRefused("dm.refused_problems", introduced)
        now = read_table(data_dir, entry.table)
        counts = diff(now if isinstance(now, pd.DataFrame) else part.frame.iloc[0:0],
                      part.frame, entry.table).counts
        return _write(data_dir, entry.table, old, current, editor, mode="restore",
                      source=entry.snapshot, counts=counts, rows=len(part.frame),
                      restored_from=entry.n)


def history(data_dir: Path, table: str | None = None) -> list[Entry]:
    """Every commit in the audit log, newest first (lines that do not parse are skipped)."""
    path = audit_path(data_dir)
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(Entry(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return sorted((e for e in entries if table is None or e.table == table),
                  key=lambda e: e.n, reverse=True)


def version_bytes(data_dir: Path, entry: Entry) -> bytes | None:
    """The bytes commit `entry` replaced (None if the table did not exist before it)."""
    return (Path(data_dir) / entry.snapshot).read_bytes() if entry.snapshot else None


def entry_diff(data_dir: Path, entry: Entry) -> Diff | Problem:
    """What a commit changed: its saved previous version against the version after it
    (the next commit's saved copy, or the current file)."""
    data_dir = Path(data_dir)
    later = [e for e in history(data_dir, entry.table) if e.n > entry.n and e.snapshot]
    after_path = data_dir / later[-1].snapshot if later else real_path(data_dir, entry.table)
    frames = []
    for raw, label in ((version_bytes(data_dir, entry), entry.snapshot),
                       (_read_bytes(after_path), after_path.name)):
        part = _parse(raw, entry.table, label) if raw is not None else None
        if isinstance(part, Problem):
            return part
        frames.append(part.frame if part else pd.DataFrame(columns=TABLES[entry.table].column_names))
    return diff(frames[0], frames[1], entry.table)


def _entry(data_dir: Path, n: int) -> Entry:
    for e in history(data_dir):
        if e.n == n:
            return e
    raise CommitRefused("dm.refused_unknown_version", n=n)


def _parse(raw: bytes, table: str, label: str) -> Part | Problem:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(label, None, None, "not_utf8", {"position": exc.start})
    return parse_csv_text(text, table, label)


def _read_bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def recover(data_dir: Path) -> None:
    """Finish or undo a commit a killed process left half-done, and sweep orphans (see the
    module docstring). Safe to call at any time: it takes the lock. A folder no commit ever
    locked (no lock file), a missing one or a read-only one (a shared copy) is left alone:
    nothing can be half-done there, and the app writes nothing into data it only reads."""
    data_dir = Path(data_dir)
    if (data_dir / LOCK_FILE).is_file() and os.access(data_dir, os.W_OK):
        with locked(data_dir):
            _recover(data_dir)


def _recover(data_dir: Path) -> None:
    log = audit_path(data_dir)
    if log.is_file() and log.stat().st_size and not log.read_bytes().endswith(b"\n"):
        _append(log, "\n")       # a torn last line is skipped, not glued to the next one
    pending = history_dir(data_dir) / PENDING
    if pending.is_file():
        try:
            entry = Entry(**json.loads(pending.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            entry = None          # killed while writing it: nothing else was touched yet
        if entry is not None and entry.n not in {e.n for e in history(data_dir)}:
            now = sha256(_read_bytes(real_path(data_dir, entry.table)))
            if now == entry.sha256_after:
                _log(data_dir, entry)
        pending.unlink()
        fsync_dir(pending.parent)
    _sweep_orphans(data_dir)
    _sweep_temp(data_dir)


def _sweep_orphans(data_dir: Path) -> None:
    """Snapshots no audit line names: written by a commit that never happened."""
    folder = history_dir(data_dir)
    if not folder.is_dir():
        return
    named = {e.snapshot for e in history(data_dir)}
    for table in TABLES:
        for path in (folder / table).glob("*.csv"):
            if path.relative_to(data_dir).as_posix() not in named:
                path.unlink()


def _write(data_dir: Path, table: str, new: bytes, current: bytes | None, editor: auth.Editor,
           *, mode: str, source: str, counts: dict, rows: int,
           restored_from: int | None = None) -> Entry:
    """Under the lock, after _recover: journal the entry, keep the current version, replace
    the table, log."""
    history_dir(data_dir).mkdir(exist_ok=True)
    n = max((e.n for e in history(data_dir)), default=0) + 1
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    snapshot = None
    if current is not None:
        (history_dir(data_dir) / table).mkdir(parents=True, exist_ok=True)
        snapshot = f"{HISTORY_DIR}/{table}/{now:%Y%m%dT%H%M%SZ}_{n}.csv"
    entry = Entry(n=n, ts=now.isoformat(), who=editor.who, via=editor.via, table=table,
                  mode=mode, source=source, added=counts["added"], changed=counts["changed"],
                  removed=counts["removed"], rows=rows, snapshot=snapshot,
                  sha256_before=sha256(current), sha256_after=sha256(new),
                  restored_from=restored_from)
    pending = history_dir(data_dir) / PENDING
    write_atomic(pending, json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8"))
    try:
        if snapshot:
            write_atomic(data_dir / snapshot, current)
        write_atomic(real_path(data_dir, table), new)
    except BaseException:
        if snapshot:   # the table is unchanged: do not leave a version nobody committed
            (data_dir / snapshot).unlink(missing_ok=True)
        pending.unlink(missing_ok=True)
        raise
    _log(data_dir, entry)
    pending.unlink()
    return entry


def _log(data_dir: Path, entry: Entry) -> None:
    _append(audit_path(data_dir), json.dumps(asdict(entry), ensure_ascii=False) + "\n")


def _append(path: Path, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _sweep_temp(data_dir: Path) -> None:
    """Temp files left by a process killed mid-write (never by a live commit: we hold the lock)."""
    history = history_dir(data_dir)
    for folder in (Path(data_dir), history, *(history / t for t in TABLES)):
        for tmp in folder.glob(".*.*.tmp"):
            tmp.unlink(missing_ok=True)
