"""Benchmark: how long loading, building DuckDB and each named query take as the data grows.

    .venv/bin/python -m tools.bench [--sizes 10000,100000,1000000] [--runs 5]

For each size the real tables of data/ are copied into a temporary directory (never data/
itself) and illustrative rows are added in its illustrative/ folder: N agreements between
N/200 bases and N/50 schools (at least the shipped 160 and 240). A fresh child process then
measures, so its peak memory (ru_maxrss) belongs to that size alone:

- load: analysis.core.loading.load (read + validate + type), DuckDB build: analysis.core.db.Database;
- every query in analysis/sql/: median latency over --runs runs in DuckDB, and in pandas
  where tools/bench/pandas_queries.py has an equivalent (tested to return the same result);
  queries needing parameters beyond the shared filters are listed as skipped;
- every registered extra case.

Extra cases: any other module of tools/bench/ decorates functions with `register_case`;
each takes (db, dataset) and returns a dict of named figures. The child imports all such
modules, so nothing else needs editing. No figure here is asserted on: it is for reading.
"""
from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import duckdb

from tools.bench import pandas_queries as bench_pandas
from analysis.core.db import Database, query_names
from tools.illustrative import SHIPPED_SIZES, write_illustrative
from analysis.core.loading import REPO_ROOT, Dataset, load

SIZES = (10_000, 100_000, 1_000_000)
RUNS = 5
REAL_DATA = REPO_ROOT / "data"
GEO = REAL_DATA / "geo" / "districts.geojson"

Case = Callable[[Database, Dataset], dict[str, float]]
CASES: list[Case] = []


def register_case(fn: Case) -> Case:
    """Add an extra measurement, run once per size after the queries."""
    CASES.append(fn)
    return fn


def institutions_for(n_agreements: int) -> tuple[int, int]:
    """(bases, schools) for a generated dataset of n_agreements."""
    return (max(SHIPPED_SIZES["n_bases"], n_agreements // 200),
            max(SHIPPED_SIZES["n_schools"], n_agreements // 50))


# --- parent: data and child processes ---------------------------------------------------

def run_size(n_agreements: int, runs: int = RUNS) -> dict:
    """Generate a dataset of this size in a temporary directory and measure it in a child."""
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        started = time.perf_counter()
        make_dataset(Path(tmp), n_agreements)
        generate_s = time.perf_counter() - started
        proc = subprocess.run(
            [sys.executable, "-m", "tools.bench", "--child", tmp, "--runs", str(runs)],
            cwd=REPO_ROOT, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"benchmark child for {n_agreements} failed:\n{proc.stderr}")
    return {"size": n_agreements, "generate_s": generate_s, **json.loads(proc.stdout.splitlines()[-1])}


def make_dataset(data_dir: Path, n_agreements: int) -> None:
    """Real tables copied from data/, plus generated rows in data_dir/illustrative/."""
    for path in REAL_DATA.glob("*.csv"):
        shutil.copy2(path, data_dir / path.name)
    n_bases, n_schools = institutions_for(n_agreements)
    write_illustrative(data_dir, n_bases=n_bases, n_schools=n_schools,
                       n_agreements=n_agreements, geo_path=GEO)


# --- child: the measurements -----------------------------------------------------------

def measure(data_dir: Path, runs: int = RUNS) -> dict:
    started = time.perf_counter()
    dataset, problems = load(data_dir)
    if problems:
        raise SystemExit("generated data did not validate:\n" + "\n".join(map(str, problems[:20])))
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    db = Database(dataset)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    frames = bench_pandas.prepare(dataset)
    pandas_prep_s = time.perf_counter() - started
    _import_case_modules()
    return {
        "rows": {name: len(df) for name, df in dataset.tables.items()},
        "load_s": load_s, "build_s": build_s, "pandas_prep_s": pandas_prep_s,
        "queries": [_time_query(name, db, frames, runs) for name in query_names()],
        "cases": [_run_case(case, db, dataset) for case in CASES],
        "peak_mb": _peak_mb(),
    }


def _time_query(name: str, db: Database, frames: bench_pandas.Frames, runs: int) -> dict:
    params = bench_pandas.Params()
    row = {"query": name}
    try:
        row["duckdb_ms"] = median_ms(lambda: db.query(name, **params.as_sql()), runs)
    except (TypeError, duckdb.Error) as exc:  # a query this bench cannot parameterise, or broken
        row["skipped"] = str(exc).splitlines()[0]
        return row
    pandas_fn = bench_pandas.QUERIES.get(name)
    if pandas_fn:
        row["pandas_ms"] = median_ms(lambda: pandas_fn(frames, params), runs)
    return row


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _import_case_modules() -> None:
    """Import the other modules of tools/bench/, so their register_case calls run here."""
    import tools.bench

    for mod in pkgutil.iter_modules(tools.bench.__path__):
        if mod.name not in ("run", "pandas_queries", "__main__"):
            importlib.import_module(f"tools.bench.{mod.name}")


def _run_case(case: Case, db: Database, dataset: Dataset) -> dict:
    started = time.perf_counter()
    figures = case(db, dataset)
    return {"case": case.__name__, "seconds": time.perf_counter() - started, **figures}


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB on Linux


# --- report ------------------------------------------------------------------------------

def report(results: list[dict]) -> str:
    size_rows = [[f"{r['size']:,}", f"{r['rows']['agreements']:,}", f"{r['generate_s']:.2f}",
                  f"{r['load_s']:.2f}", f"{r['build_s']:.2f}", f"{r['pandas_prep_s']:.2f}",
                  f"{r['peak_mb']:.0f}"] for r in results]
    query_rows = [[f"{r['size']:,}", q["query"], *_query_cells(q)]
                  for r in results for q in r["queries"]]
    parts = [
        _table(["size", "agreements", "generate s", "load s", "duckdb build s", "pandas prep s",
                "peak MB"], size_rows),
        _table(["size", "query", "duckdb ms", "pandas ms", "pandas/duckdb"], query_rows),
    ]
    skipped = sorted({f"{q['query']}: {q['skipped']}" for r in results for q in r["queries"]
                      if "skipped" in q})
    if skipped:
        parts.append("skipped (no value for their parameters, or an error):\n  " + "\n  ".join(skipped))
    cases = [f"{r['size']:,} {c['case']}: " + ", ".join(f"{k}={_fmt(v)}" for k, v in c.items() if k != "case")
             for r in results for c in r["cases"]]
    if cases:
        parts.append("extra cases:\n  " + "\n  ".join(cases))
    return "\n\n".join(parts)


def _query_cells(q: dict) -> list[str]:
    if "skipped" in q:
        return ["skipped", "", ""]
    duck, pand = q["duckdb_ms"], q.get("pandas_ms")
    if pand is None:
        return [f"{duck:.2f}", "-", "-"]
    return [f"{duck:.2f}", f"{pand:.2f}", f"{pand / duck:.1f}x"]


def _fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    left = {1} if "query" in headers else set()  # names left-aligned, numbers right-aligned

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_sizes, default=SIZES,
                        help="comma-separated agreement counts (default 10000,100000,1000000)")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per query; the median is shown")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # internal: measure one dir
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.runs)))
        return 0
    results = []
    for n in args.sizes:
        print(f"measuring {n:,} agreements ...", file=sys.stderr, flush=True)
        results.append(run_size(n, args.runs))
    print(report(results))
    return 0


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(s) for s in text.split(",") if s.strip())
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError("give positive agreement counts, e.g. 10000,100000")
    return sizes


