"""A commit killed at every file-system call it makes leaves the data whole, and the next
start finishes or undoes it: no unlogged change, no orphan snapshot (issue 11, item 7)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from analysis.core.loading import load
from analysis.editing import store
from tests.conftest import FIXTURE_DIR, ROOT


def _sha(path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _assert_consistent(d, committed: set[str]) -> None:
    """The table is the last logged version, every snapshot is named, nothing is pending."""
    dataset, problems = load(d)
    assert problems == []
    ids = set(dataset.tables["bases"].base_id)
    entries = store.history(d)
    assert {f"fb-{i}" for i in committed} <= ids
    if entries:
        assert entries[0].sha256_after == _sha(d / "bases.csv")     # no unlogged change
        for older, newer in zip(entries[1:], entries):
            assert newer.sha256_before == older.sha256_after
    named = {e.snapshot for e in entries}
    on_disk = {p.relative_to(d).as_posix() for p in (d / "history" / "bases").glob("*")} \
        if (d / "history" / "bases").is_dir() else set()
    assert on_disk == named                                        # no orphans, none missing
    assert not (d / "history" / store.PENDING).exists()
    assert not list(d.rglob("*.tmp"))


@pytest.mark.slow
def test_a_commit_killed_at_every_step_is_finished_or_undone(data_copy):
    d = data_copy()
    committed: set[str] = set()
    kills = 0
    for k in range(1, 60):
        i = 100 + k
        run = subprocess.run([sys.executable, "-m", "tests.hostile.crash_child", str(d), str(k), str(i)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        store.recover(d)                       # what the next start of the app or CLI does
        ids = set(load(d)[0].tables["bases"].base_id)
        if run.returncode == -signal.SIGKILL:
            kills += 1
            if f"fb-{i}" in ids:                # killed after the table was replaced: kept, logged
                committed.add(str(i))
        else:
            assert run.returncode == 0, run.stderr
            committed.add(str(i))
            break                               # k is past the last call: the commit ran whole
        _assert_consistent(d, committed)
    assert kills >= 8                           # every write, fsync, rename and unlink was a kill point
    _assert_consistent(d, committed)
    log = [json.loads(x) for x in store.audit_path(d).read_text(encoding="utf-8").splitlines()]
    assert sorted(e["n"] for e in log) == list(range(1, len(log) + 1))


def test_recover_leaves_a_missing_or_read_only_folder_alone():
    """The app calls recover whenever it opens the data: a shared read-only copy (CI) or a
    missing folder is no error, and nothing is written there."""
    store.recover(Path(tempfile.gettempdir()) / "no-such-atlas-data")
    parent = Path(tempfile.mkdtemp())
    try:
        parent.chmod(0o755)
        d = parent / "data"
        shutil.copytree(FIXTURE_DIR, d)
        (d / "history").mkdir()
        (d / "history" / store.PENDING).write_text("{}", encoding="utf-8")   # something to do
        (d / store.LOCK_FILE).touch()                                          # a commit ran here
        code = ("import sys; from pathlib import Path; from analysis.editing import store; "
                "d = Path(sys.argv[1]); assert d.is_dir(); store.recover(d)")
        if os.geteuid() == 0:   # root writes anywhere: run as nobody, for whom d is read-only
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
        else:
            d.chmod(0o555)
            cmd = [sys.executable]
        run = subprocess.run([*cmd, "-c", code, str(d)], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        assert run.returncode == 0, run.stderr
        assert (d / "history" / store.PENDING).read_text(encoding="utf-8") == "{}"
        fresh = parent / "fresh"                # never committed to: recover writes nothing
        shutil.copytree(FIXTURE_DIR, fresh)
        store.recover(fresh)
        assert sorted(p.name for p in fresh.iterdir()) == sorted(p.name for p in FIXTURE_DIR.iterdir())
    finally:
        (parent / "data").chmod(0o755)
        shutil.rmtree(parent)
