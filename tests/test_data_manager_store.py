"""Committing: atomic, serialised, kept in the history, logged, restorable byte for byte,
and refused without an editor token."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import threading
import types
from pathlib import Path

import pytest

from analysis.core.loading import data_version, load
from analysis.core.validation import Problem
from analysis.editing import auth, store
from analysis.editing.changes import prepare
from analysis.editing.store import CommitRefused
from analysis.editing.upload import read_upload
from tests.conftest import SHIPPED_DIR
from tests.data_manager_files import NEW_AGREEMENT, NEW_BASE, fixture_text

HEADER = fixture_text("bases").splitlines()[0]


def proposal(data_dir, text: str, table="bases", mode="merge", name="upload.csv"):
    u = read_upload(text.encode("utf-8"), name, table)
    assert not isinstance(u, list), u
    return prepare(u, data_dir, mode)


def new_base(i: int) -> str:
    return HEADER + "\n" + NEW_BASE.replace("fb-9", f"fb-{i}") + "\n"


def snapshot(d: Path) -> dict[str, str]:
    """SHA-256 of every file under the data folder (to prove nothing changed)."""
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.fixture
def token():
    return auth.operator_token("tester")


def test_commit_replaces_the_file_keeps_the_old_one_and_logs(data_copy, token):
    d = data_copy()
    before = (d / "bases.csv").read_bytes()
    mode = (d / "bases.csv").stat().st_mode
    version = data_version(d)
    p = proposal(d, new_base(9))
    entry = store.commit(p, token)
    assert (d / "bases.csv").read_bytes() == store.serialise(p.frame, "bases")
    assert (d / entry.snapshot).read_bytes() == before
    assert entry.snapshot.startswith("history/bases/") and entry.snapshot.endswith("_1.csv")
    log = [json.loads(line) for line in store.audit_path(d).read_text(encoding="utf-8").splitlines()]
    assert len(log) == 1
    assert {k: log[0][k] for k in ("n", "who", "via", "table", "mode", "added", "changed", "removed", "rows")} == \
        {"n": 1, "who": "tester", "via": "cli", "table": "bases", "mode": "merge",
         "added": 1, "changed": 0, "removed": 0, "rows": 7}
    dataset, problems = load(d)
    assert problems == [] and "fb-9" in set(dataset.tables["bases"].base_id)
    assert data_version(d) != version            # the dashboard reloads by itself
    assert (d / "bases.csv").stat().st_mode == mode      # permissions kept, not mkstemp's 0600
    assert [e.n for e in store.history(d)] == [1]


def test_only_the_real_table_is_written(data_copy, token):
    d = data_copy(SHIPPED_DIR)
    illustrative = snapshot(d / "illustrative")
    lines = (d / "bases.csv").read_text(encoding="utf-8").splitlines()
    p = proposal(d, lines[0] + "\n" + lines[1].replace(",,", ",Aviation industry chain base,", 1) + "\n")
    assert p.problems == [] and p.diff.counts["changed"] == 1, p.problems
    store.commit(p, token)
    assert snapshot(d / "illustrative") == illustrative


def _forged(token: str) -> str:
    """The token with its signature's last two characters changed (never left as they were)."""
    return token[:-2] + ("00" if token[-2:] != "00" else "11")


@pytest.mark.parametrize("bad_token", [None, "", "not.a-token", _forged(auth.operator_token("x"))])
def test_commit_and_restore_refuse_without_a_valid_token(data_copy, token, bad_token):
    d = data_copy()
    first = store.commit(proposal(d, new_base(9)), token)
    files = snapshot(d)
    with pytest.raises(auth.NotAuthorised):
        store.commit(proposal(d, new_base(10)), bad_token)
    with pytest.raises(auth.NotAuthorised):
        store.restore(d, first.n, bad_token)
    assert snapshot(d) == files


def test_an_expired_token_is_refused(data_copy, monkeypatch):
    d = data_copy()
    old = auth.operator_token("tester")
    monkeypatch.setattr(auth.time, "time", lambda: 4102444800.0)   # in 2100
    with pytest.raises(auth.NotAuthorised, match="expired"):
        store.commit(proposal(d, new_base(9)), old)


def test_a_proposal_with_problems_is_refused(data_copy, token):
    d = data_copy()
    p = proposal(d, new_base(9).replace("30.82", "60.0"))
    files = snapshot(d)
    with pytest.raises(CommitRefused) as exc:
        store.commit(p, token)
    assert exc.value.code == "dm.refused_problems"
    assert exc.value.problems == [Problem("upload.csv", 2, "lat", "out_of_region")]
    assert snapshot(d) == files


def test_interrupted_between_write_and_rename_leaves_the_old_data(data_copy, token, monkeypatch):
    d = data_copy()
    files = snapshot(d)
    real_replace = os.replace

    def crash(src, dst):
        if Path(dst) == d / "bases.csv":
            raise OSError("simulated power cut between write and rename")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash)
    p = proposal(d, new_base(9))
    with pytest.raises(OSError, match="power cut"):
        store.commit(p, token)
    assert snapshot(d) == files                  # same bytes, no temp file, no history, no log
    dataset, problems = load(d)
    assert problems == [] and len(dataset.tables["bases"]) == 6
    monkeypatch.setattr(os, "replace", real_replace)
    assert store.commit(p, token).n == 1         # and the same proposal still commits


def test_a_temp_file_left_by_a_killed_process_is_swept(data_copy, token):
    d = data_copy()
    (d / ".bases.csv.abc123.tmp").write_text("half a fi")
    store.commit(proposal(d, new_base(9)), token)
    assert not list(d.glob(".*.tmp"))


def test_a_stale_preview_is_refused(data_copy, token):
    d = data_copy()
    first, second = proposal(d, new_base(9)), proposal(d, new_base(10))
    store.commit(first, token)
    with pytest.raises(CommitRefused) as exc:
        store.commit(second, token)
    assert exc.value.code == "dm.refused_stale"
    assert "fb-10" not in (d / "bases.csv").read_text(encoding="utf-8")


def test_the_commit_revalidates_against_tables_changed_since_the_preview(data_copy, token):
    d = data_copy()
    header = fixture_text("agreements").splitlines()[0]
    links_fs5 = proposal(d, header + "\n" + NEW_AGREEMENT + "\n", table="agreements")
    assert links_fs5.ok
    schools = fixture_text("schools").splitlines()
    store.commit(proposal(d, "\n".join(schools[:5]) + "\n", table="schools", mode="replace"), token)
    with pytest.raises(CommitRefused) as exc:      # fs-5 is gone now
        store.commit(links_fs5, token)
    assert Problem("upload.csv", 2, "party_b_id", "unknown_party") in exc.value.problems


def _commit_with_retries(d: Path, i: int, who: str) -> int:
    token = auth.operator_token(who)
    while True:
        try:
            return store.commit(proposal(d, new_base(i)), token).n
        except CommitRefused as exc:
            assert exc.code == "dm.refused_stale"   # someone else got in first: preview again


def test_concurrent_commits_from_threads_are_serialised(data_copy):
    d = data_copy()
    ns, threads = [], [threading.Thread(target=lambda i=i: ns.append(_commit_with_retries(d, i, f"t{i}")))
                       for i in range(10, 16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _assert_all_committed(d, range(10, 16), ns)


def test_concurrent_commits_from_processes_are_serialised(data_copy, monkeypatch):
    d = data_copy()
    # Streamlit's AppTest leaves the last app script as sys.modules["__main__"], and spawned
    # workers would re-run it; give them an empty main module instead.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        ns = pool.starmap(_commit_with_retries, [(d, i, f"p{i}") for i in range(20, 26)])
    _assert_all_committed(d, range(20, 26), ns)


def _assert_all_committed(d: Path, ids, ns) -> None:
    dataset, problems = load(d)
    assert problems == []
    assert {f"fb-{i}" for i in ids} <= set(dataset.tables["bases"].base_id)   # no lost update
    assert sorted(ns) == list(range(1, len(ids) + 1))
    entries = store.history(d)
    assert [e.n for e in entries] == sorted(ns, reverse=True)
    # each commit saved exactly the version the one before it wrote
    by_n = {e.n: e for e in entries}
    for n in range(2, len(ids) + 1):
        assert by_n[n].sha256_before == by_n[n - 1].sha256_after
        assert hashlib.sha256((d / by_n[n].snapshot).read_bytes()).hexdigest() == by_n[n - 1].sha256_after


def test_the_lock_makes_a_commit_wait(data_copy, token):
    d = data_copy()
    p = proposal(d, new_base(9))
    done = []
    with store.locked(d):
        t = threading.Thread(target=lambda: done.append(store.commit(p, token)))
        t.start()
        t.join(0.5)
        assert t.is_alive() and not done and not store.audit_path(d).exists()
    t.join()
    assert done[0].n == 1


def test_restore_brings_back_exactly_the_earlier_bytes(data_copy, token):
    d = data_copy()
    # a hand-made file: BOM, CRLF line ends, trailing zeros; the restore must not normalise it
    original = b"\xef\xbb\xbf" + fixture_text("bases").replace("\n", "\r\n").encode("utf-8")
    (d / "bases.csv").write_bytes(original)
    first = store.commit(proposal(d, new_base(9)), token)
    second = store.commit(proposal(d, HEADER + "\n" + fixture_text("bases").splitlines()[1]
                                   .replace("Jinjiang Museum", "Jinjiang Art Museum") + "\n"), token)
    after_second = (d / "bases.csv").read_bytes()
    restored = store.restore(d, first.n, token)
    assert (d / "bases.csv").read_bytes() == original
    assert (restored.mode, restored.restored_from, restored.n) == ("restore", 1, 3)
    assert (restored.added, restored.changed, restored.removed) == (0, 1, 1)
    assert (d / restored.snapshot).read_bytes() == after_second   # the restore is undoable too
    store.restore(d, restored.n, token)
    assert (d / "bases.csv").read_bytes() == after_second
    assert second.n == 2


def test_history_shows_what_each_commit_changed(data_copy, token):
    d = data_copy()
    first = store.commit(proposal(d, new_base(9)), token)
    second = store.commit(proposal(d, new_base(10)), token)
    d1, d2 = store.entry_diff(d, first), store.entry_diff(d, second)
    assert list(d1.added.base_id) == ["fb-9"] and list(d2.added.base_id) == ["fb-10"]
    assert store.history(d, "schools") == []


def test_a_restore_that_would_break_references_is_refused(data_copy, token):
    d = data_copy()
    first = store.commit(proposal(d, new_base(9)), token)
    header = fixture_text("agreements").splitlines()[0]
    store.commit(proposal(d, header + "\n" + NEW_AGREEMENT.replace("fb-2", "fb-9") + "\n",
                          table="agreements"), token)
    files = snapshot(d)
    with pytest.raises(CommitRefused) as exc:     # the old bases have no fb-9
        store.restore(d, first.n, token)
    assert exc.value.code == "dm.refused_problems"
    assert Problem("data/agreements.csv", 10, "party_a_id", "unknown_party") in exc.value.problems
    assert snapshot(d) == files


def test_restoring_an_unknown_version_is_refused(data_copy, token):
    with pytest.raises(CommitRefused, match="no commit #7"):
        store.restore(data_copy(), 7, token)
