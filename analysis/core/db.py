"""In-process DuckDB over one loaded Dataset, and the named SQL queries in analysis/sql/.

One Database per data version; every query runs on its own cursor because a DuckDB
connection must not be shared between Streamlit's script threads.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from analysis.core.loading import Dataset

SQL_DIR = Path(__file__).parents[1] / "sql"
# Building into a file, DuckDB may write what does not fit to it: it keeps the first start on
# big data within ~1 GB (the pandas frames are in memory beside it).
BUILD_MEMORY = "400MB"
# The tables' copy in a build, of 1M agreements: 0.7 s of 3.5 s (the setup scripts the rest)
COPY_SHARE = 0.2
# DuckDB splits work by row group (122,880 rows): data within one group gains nothing from a
# second thread, and pays for it (the shipped data's queries take 30–50% longer with two).
ROW_GROUP = 122_880
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Database.query_many's threads, one per core, kept: starting them took ~1 ms a call
_POOL = ThreadPoolExecutor(len(os.sched_getaffinity(0)), thread_name_prefix="query")


@cache
def sql_text(name: str) -> str:
    path = SQL_DIR / f"{name}.sql"
    if not name.startswith("_setup") and name not in query_names() or not path.is_file():
        raise KeyError(f"no query named {name!r} in analysis/sql/")
    return path.read_text(encoding="utf-8")


@cache
def query_parameters(name: str) -> frozenset[str]:
    """The $parameters a named query uses."""
    return frozenset(_PARAM.findall(_strip_comments(sql_text(name))))


def query_names() -> list[str]:
    """Every named query: "<feature>/<name>" for analysis/sql/<feature>/<name>.sql."""
    return sorted(p.relative_to(SQL_DIR).with_suffix("").as_posix() for p in SQL_DIR.glob("*/*.sql"))


def setup_names() -> list[str]:
    """The setup scripts, run in name order: _setup.sql, then _setup_<feature>.sql."""
    return sorted(p.stem for p in SQL_DIR.glob("_setup*.sql"))


class Database:
    def __init__(self, dataset: Dataset, threads: int = 2, path: Path | None = None,
                 progress: Callable[[float], None] = lambda share: None):
        """Load the tables and run the setup scripts, in memory or into a new file at `path`,
        reporting the share done after each table and script to `progress`.

        Building a file (the cache does, on a dataset it owns), each frame is taken out of
        dataset.tables once copied in, so its memory is freed while the rest is built."""
        self.version = dataset.version
        config = {"threads": threads, **({"memory_limit": BUILD_MEMORY} if path else {})}
        self._con = duckdb.connect(str(path) if path else ":memory:", config=config)
        self._con.execute("set enable_progress_bar = false")  # the build's long steps: no console bars
        rows = sum(len(frame) for frame in dataset.tables.values()) or 1
        copied, scripts = 0, setup_names()
        for name in list(dataset.tables):
            self._con.register(f"_{name}_df", dataset.tables[name])
            # table names come from schema.TABLES, never from a user
            self._con.execute(f'create table "{name}" as select * from "_{name}_df"')
            self._con.unregister(f"_{name}_df")
            copied += len(dataset.tables[name])
            progress(COPY_SHARE * copied / rows)
            if path:
                del dataset.tables[name]
        for i, name in enumerate(scripts, 1):
            self._con.execute(sql_text(name))
            progress(COPY_SHARE + (1 - COPY_SHARE) * i / len(scripts))
        self._fit_threads()

    @classmethod
    def open_file(cls, path: Path, version: str, threads: int = 2) -> "Database":
        """A Database over a file a previous Database(..., path=) wrote, read-only."""
        db = cls.__new__(cls)
        db.version = version
        db._con = duckdb.connect(str(path), read_only=True, config={"threads": threads})
        db._fit_threads()
        return db

    def _fit_threads(self) -> None:
        rows = self._con.execute("select count(*) from agreements").fetchone()[0]
        if rows <= ROW_GROUP:
            self._con.execute("set threads = 1")

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run analysis/sql/<name>.sql with named $parameters (never string-formatted)."""
        sql, wanted = sql_text(name), query_parameters(name)
        missing = wanted - params.keys()
        if missing:
            raise TypeError(f"query {name!r} needs parameters: {', '.join(sorted(missing))}")
        cur = self._con.cursor()
        try:
            return cur.execute(sql, {k: params[k] for k in wanted}).df()
        finally:
            cur.close()

    def query_many(self, calls: list[tuple[str, dict]]) -> list[pd.DataFrame]:
        """Several named queries, (name, params) each, run side by side on their own cursors:
        DuckDB works outside Python's lock, and on data within one row group each query has one
        thread, so two cores answer two queries at once (the map's five: ~1.5× sooner)."""
        if len(calls) < 2:
            return [self.query(name, **params) for name, params in calls]
        return list(_POOL.map(lambda call: self.query(call[0], **call[1]), calls))

    def close(self) -> None:
        self._con.close()


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)
