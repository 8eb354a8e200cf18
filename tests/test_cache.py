"""The validated DuckDB cache (analysis/core/cache.py): reused on unchanged files, never on
changed or invalid ones, and never a second source of truth."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.core import cache, loading
from analysis.core.cache import CACHE_DIR_ENV, cache_file, open_database
from analysis.core.db import COPY_SHARE, Database, setup_names
from analysis.core.validation import UNIQUE_DONE, VALUES_DONE, validate
from analysis.core.loading import data_version
from tests.conftest import filter_params


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(root))
    return root


def kpis(db) -> dict:
    return db.query("overview/kpis", **filter_params()).iloc[0].to_dict()


def test_first_open_writes_the_cache_and_the_second_reads_it(data_copy, cache_dir):
    d = data_copy()
    db, problems = open_database(d)
    assert problems == []
    path = cache_file(d, data_version(d))
    assert path.is_file() and path.parent.parent == cache_dir
    first = kpis(db)
    assert first == {"bases": 6, "schools": 5, "agreements": 8, "cross_city": 4,
                     "this_year": 4, "previous_year": 2}
    db.close()
    os.utime(path, (1, 1))  # mark it, to see it is read and not rewritten
    again, problems = open_database(d)
    assert problems == [] and kpis(again) == first
    assert path.stat().st_mtime == 1
    assert not list(d.rglob("*.duckdb"))  # nothing written beside the data


def test_a_changed_file_invalidates_the_cache(data_copy, cache_dir):
    d = data_copy()
    db, _ = open_database(d)
    old = cache_file(d, data_version(d))
    db.close()
    with open(d / "agreements.csv", encoding="utf-8") as f:
        lines = f.read().splitlines()
    (d / "agreements.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    db, problems = open_database(d)
    assert problems == [] and kpis(db)["agreements"] == 7
    assert cache_file(d, data_version(d)).is_file() and not old.exists()  # old version dropped


def test_invalid_data_is_never_cached(data_copy, cache_dir):
    d = data_copy()
    (d / "bases.csv").write_text("base_id,name_zh\nfb-1,x\n", encoding="utf-8")
    db, problems = open_database(d)
    assert db is None and problems
    assert not list(cache_dir.rglob("*.duckdb"))


def test_an_unreadable_cache_file_is_rebuilt(data_copy, cache_dir):
    d = data_copy()
    path = cache_file(d, data_version(d))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a duckdb file")
    db, problems = open_database(d)
    assert problems == [] and kpis(db)["agreements"] == 8


def test_caches_of_removed_data_dirs_are_pruned(data_copy, cache_dir, tmp_path):
    gone = tmp_path / "gone"
    (cache_dir / "x").mkdir(parents=True)
    (cache_dir / "x" / "data_dir.txt").write_text(str(gone), encoding="utf-8")
    (cache_dir / "x" / "v.duckdb").write_bytes(b"")
    open_database(data_copy())
    assert not (cache_dir / "x").exists()


def test_the_key_follows_the_setup_sql(monkeypatch, tmp_path):
    before = cache.code_version()
    fake = tmp_path / "sql"
    fake.mkdir()
    (fake / "_setup.sql").write_text("select 1;", encoding="utf-8")
    monkeypatch.setattr(cache, "SQL_DIR", fake)
    assert cache.code_version() != before


def test_an_unwritable_cache_falls_back_to_memory(data_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker))
    calls = []
    db, problems = open_database(data_copy(), progress=lambda *call: calls.append(call))
    assert problems == [] and kpis(db)["agreements"] == 8
    # no folder, so no table went into a file: the data is not read a second time
    assert [c for c in calls if c[1] == "reread"] == [] and calls[-1][0] == 1.0


def test_a_cache_file_that_fails_part_way_reads_the_data_again(data_copy, cache_dir, monkeypatch):
    """A full disk while the file is built: the tables copied in are gone from memory, so the
    data is read again; the bar goes on, never back, and says why."""
    from analysis.core import cache

    def full_disk(dataset, path, progress):
        del dataset.tables["agreements"]
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cache, "_write", full_disk)
    calls = []
    db, problems = open_database(data_copy(), progress=lambda *call: calls.append(call))
    assert problems == [] and kpis(db)["agreements"] == 8
    fractions = [f for f, _, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    reread = [c for c in calls if c[1] == "reread"]
    assert reread and {c[2] for c in reread} >= {"agreements.csv"}


def test_a_first_open_reports_every_stage_and_file_and_a_cached_one_reports_nothing(data_copy, cache_dir):
    d = data_copy()
    calls = []
    db, problems = open_database(d, progress=lambda *call: calls.append(call))
    assert problems == [] and db is not None
    fractions = [f for f, _, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert [s for s in dict.fromkeys(s for _, s, _ in calls)] == list(loading.STAGES)
    read = [detail for _, stage, detail in calls if stage == "read"]
    assert read == [p.name for _, p in loading.csv_files(d)] and len(read) == 7
    db.close()
    again = []
    open_database(d, progress=lambda *call: again.append(call))
    assert again == []


def test_invalid_data_stops_the_progress_after_validating(data_copy, cache_dir):
    d = data_copy()
    (d / "bases.csv").write_text("base_id,name_zh\nfb-1,x\n", encoding="utf-8")
    stages = []
    open_database(d, progress=lambda f, stage, detail: stages.append(stage))
    assert stages[-1] == "validate" and "build" not in stages


# --- a large first load runs in a child process ------------------------------------------

@pytest.fixture
def in_child(monkeypatch):
    """Every first load goes through the child, whatever the data's size."""
    monkeypatch.setattr(cache, "CHILD_FROM_BYTES", 0)


def test_a_child_load_writes_the_cache_and_reports_every_stage_in_order(data_copy, cache_dir, in_child):
    d = data_copy()
    calls = []
    db, problems = open_database(d, progress=lambda *call: calls.append(call))
    assert problems == [] and kpis(db)["agreements"] == 8
    assert cache_file(d, data_version(d)).is_file()
    fractions = [f for f, _, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions.count(1.0) == 1
    assert [s for s in dict.fromkeys(s for _, s, _ in calls)] == list(loading.STAGES)
    assert [detail for _, stage, detail in calls if stage == "read"] == [
        p.name for _, p in loading.csv_files(d)]


def test_a_child_load_of_invalid_data_gives_the_same_problems(data_copy, cache_dir, in_child, monkeypatch):
    d = data_copy()
    (d / "bases.csv").write_text("base_id,name_zh\nfb-1,x\n", encoding="utf-8")
    db, from_child = open_database(d)
    monkeypatch.setattr(cache, "CHILD_FROM_BYTES", float("inf"))
    _, here = open_database(d)
    assert db is None and from_child and [p.format() for p in from_child] == [p.format() for p in here]
    assert not list(cache_dir.rglob("*.duckdb"))


def test_a_child_that_ends_without_an_answer_is_replaced_by_a_load_here(data_copy, cache_dir, in_child,
                                                                         monkeypatch):
    monkeypatch.setattr(cache, "CHILD", (sys.executable, "-c", "pass"))   # ends at once, as if killed
    calls = []
    d = data_copy()
    db, problems = open_database(d, progress=lambda *call: calls.append(call))
    assert problems == [] and kpis(db)["agreements"] == 8
    fractions = [f for f, _, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [s for s in dict.fromkeys(s for _, s, _ in calls)] == list(loading.STAGES)   # a whole load
    assert cache_file(d, data_version(d)).is_file()


def test_an_unwritable_cache_loads_here_without_a_child(data_copy, tmp_path, in_child, monkeypatch):
    """The child could leave no file, so it would only read the data once more."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker))

    def no_child(*args):
        raise AssertionError("a child was started")
    monkeypatch.setattr(cache, "_load_in_child", no_child)
    db, problems = open_database(data_copy())
    assert problems == [] and kpis(db)["agreements"] == 8


def test_a_child_reads_the_same_folders_from_another_working_directory(data_copy, tmp_path, in_child,
                                                                       monkeypatch):
    """Relative data and cache folders mean the same folders in the child, which starts in the
    repository."""
    d = data_copy()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CACHE_DIR_ENV, "cache")
    db, problems = open_database(Path(d.name))
    assert problems == [] and kpis(db)["agreements"] == 8
    assert cache_file(d, data_version(d)).is_file() and (tmp_path / "cache").is_dir()


def test_an_interrupted_child_load_stops_the_child(data_copy, cache_dir, in_child):
    """A rerun raises in the bar's callback: the child stops there (it would otherwise go on
    to write the file), leaves no half file, and the next open starts afresh."""
    class Rerun(Exception):
        pass

    def interrupt(fraction, stage, detail):
        raise Rerun
    d = data_copy()
    with pytest.raises(Rerun):
        open_database(d, progress=interrupt)
    assert not list(cache_dir.rglob("*.duckdb")) and not list(cache_dir.rglob(".building-*"))
    db, problems = open_database(d)
    assert problems == [] and kpis(db)["agreements"] == 8


def test_a_child_stopped_while_it_writes_the_file_removes_it(data_copy, cache_dir, tmp_path):
    """SIGTERM (a rerun stops the child) while the cache file is half-built: the child's
    cleanup runs and leaves nothing behind."""
    marker = tmp_path / "writing"
    script = f"""
import sys, time
from pathlib import Path
from analysis.core import cache

class Slow(cache.Database):   # stops once its file exists, as a large build would take time
    def __init__(self, *args, path=None, **kwargs):
        super().__init__(*args, path=path, **kwargs)
        if path is not None:
            Path({str(marker)!r}).touch()
            time.sleep(60)
cache.Database = Slow
sys.exit(cache._child_main(sys.argv[1]))
"""
    child = subprocess.Popen([sys.executable, "-c", script, str(data_copy())], cwd=loading.REPO_ROOT,
                             stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists() and list(cache_dir.rglob(".building-*"))   # half-built
        child.terminate()
        assert child.wait(30) == 1
    finally:
        child.kill()
        child.wait()
    assert not list(cache_dir.rglob(".building-*")) and not list(cache_dir.rglob("*.duckdb"))


def test_validation_reports_rising_shares_column_by_column_and_rule_by_rule(data_copy):
    """The longest stage on large data does not sit still."""
    parts, _ = loading.read_parts(data_copy())
    calls = []
    validate(parts, progress=calls.append)
    assert calls == sorted(calls) and 0 < calls[0] and calls[-1] == 1.0
    columns = sum(len(p.frame.columns) for p in parts)
    assert len(calls) == columns + 1 + 3   # the columns, the unique ids, the rules across tables
    assert calls[columns - 1] == pytest.approx(VALUES_DONE) and calls[columns] == UNIQUE_DONE


def test_the_build_reports_after_each_table_and_script(data_copy):
    dataset, _ = loading.load(data_copy())
    tables = len(dataset.tables)
    calls = []
    Database(dataset, progress=calls.append).close()
    assert calls == sorted(calls) and calls[-1] == 1.0
    assert len(calls) == tables + len(setup_names()) and calls[tables - 1] == COPY_SHARE
