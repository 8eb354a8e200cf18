"""Benchmark: how long loading, building DuckDB and each named query take as the data grows.

    .venv/bin/python -m tools.bench [--sizes 10000,100000,1000000] [--runs 5]

For each size the real tables of data/ are copied into a temporary directory (never data/
itself) and illustrative rows are added in its illustrative/ folder: N agreements between
N/200 bases and N/50 schools (at least the shipped 160 and 240). A fresh child process then
measures, so its peak memory (ru_maxrss) belongs to that size alone:

- load: analysis.core.loading.load (read + validate + type), DuckDB build: analysis.core.db.Database;
- every query in analysis/sql/ (and every extra case): median latency over --runs runs in
  DuckDB, on the database the app opens (the cache file the start wrote, whose compressed
  storage answered the 1M pair queries 1.2-1.4x faster than an in-memory build), and in pandas
  where tools/bench/pandas_queries.py has an equivalent (tested to return the same result);
  queries needing parameters beyond the shared filters are listed as skipped;
- every registered extra case;
- the app (tools/bench/app.py): start cold and warm (the validated cache), and each page under
  AppTest, first run and rerun after a widget change, with the peak memory of that process;
- once, on the shipped data (data/ itself, read only, with a cache of its own): the app under
  AppTest as above, and the browser figures (tools/bench/browser.py) unless --no-browser or
  /usr/bin/chromium is missing.

Extra cases: any other module of tools/bench/ decorates functions with `register_case`;
each takes (db, dataset) and returns a dict of named figures. The child imports all such
modules, so nothing else needs editing. No figure here is asserted on: it is for reading.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
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

from analysis.core.cache import CACHE_DIR_ENV
from analysis.core.db import Database, query_names
from analysis.core.loading import DATA_DIR_ENV, REPO_ROOT, Dataset, load
from tools.bench import app as bench_app
from tools.bench import browser as bench_browser
from tools.bench import pandas_queries as bench_pandas
from tools.illustrative import SHIPPED_SIZES, write_illustrative

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
    """Generate a dataset of this size in a temporary directory and measure it in children."""
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        data_dir, cache = Path(tmp) / "data", Path(tmp) / "cache"
        data_dir.mkdir()
        started = time.perf_counter()
        make_dataset(data_dir, n_agreements)
        generate_s = time.perf_counter() - started
        env = {DATA_DIR_ENV: str(data_dir), CACHE_DIR_ENV: str(cache)}
        result = {"size": n_agreements, "generate_s": generate_s,
                  "start_cold": _child("start", data_dir, runs, env),
                  "start_warm": _child("start", data_dir, runs, env),
                  "app": _child("app", data_dir, runs, env),
                  **_child("queries", data_dir, runs, env)}
    return result


def run_shipped(runs: int = RUNS) -> dict:
    """The app on data/ as shipped; the cache goes to a temporary directory, never beside it."""
    with tempfile.TemporaryDirectory(prefix="atlas-bench-shipped-") as cache:
        return _child("app", REAL_DATA, runs, {DATA_DIR_ENV: str(REAL_DATA), CACHE_DIR_ENV: cache})


def _child(mode: str, data_dir: Path, runs: int, env: dict) -> dict:
    """Run one measurement in a fresh process; its last stdout line is the JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--child", str(data_dir), "--mode", mode,
         "--runs", str(runs)],
        cwd=REPO_ROOT, capture_output=True, text=True, env={**os.environ, **env})
    if proc.returncode:
        raise RuntimeError(f"benchmark child ({mode}, {data_dir}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.splitlines()[-1])


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
    Database(dataset).close()
    build_s = time.perf_counter() - started
    db = bench_app.open_checked(data_dir)
    started = time.perf_counter()
    frames = bench_pandas.prepare(dataset)
    pandas_prep_s = time.perf_counter() - started
    _import_case_modules()
    return {
        "rows": {name: len(df) for name, df in dataset.tables.items()},
        "load_s": load_s, "build_s": build_s, "pandas_prep_s": pandas_prep_s,
        "queries": [_time_query(name, db, frames, runs) for name in query_names()],
        "cases": [_run_case(case, db, dataset) for case in CASES],
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
        if mod.name not in ("run", "pandas_queries", "__main__", "app", "browser", "apptest_entry"):
            importlib.import_module(f"tools.bench.{mod.name}")


def _run_case(case: Case, db: Database, dataset: Dataset) -> dict:
    started = time.perf_counter()
    figures = case(db, dataset)
    return {"case": case.__name__, "seconds": time.perf_counter() - started, **figures}


def _peak_mb() -> float:
    """The peak resident memory of this process or of the child a cold start loads in
    (analysis/core/cache.py), whichever is larger. This process's on Linux from VmHWM, since
    ru_maxrss carries over the parent's peak across fork and exec (the parent holds the
    generated dataset). The children's ru_maxrss also counts what this process held when it
    started the loader, which is small."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    status = Path("/proc/self/status")
    if status.exists():
        hwm = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
        return max(int(hwm.split()[1]), children) / 1024  # kB
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children) / (1024 * 1024)  # bytes on macOS


# --- report ------------------------------------------------------------------------------

def report(results: list[dict], shipped: dict, browser: dict | None) -> str:
    parts = [app_table(r) for r in results]
    parts.append("shipped data (data/)\n" + _table(["what", "seconds", "peak MB"], _page_rows(shipped)))
    parts.append(query_report(results))
    if browser:
        parts.append(browser_table(browser))
    return "\n\n".join(parts)


def browser_table(browser: dict) -> str:
    """A row per page; the map's districts drawn (browser.DRAWN) in a row of their own."""
    rows = []
    for p, b in browser.items():
        rows.append([p, f"{b['page_s']:.2f}", f"{b['minimal_s']:.2f}", f"{b['ratio']:.2f}x"])
        if "drawn_s" in b:
            rows.append([f"{p}, districts drawn", f"{b['drawn_s']:.2f}", f"{b['minimal_s']:.2f}",
                         f"{b['drawn_ratio']:.2f}x"])
    return ("browser, shipped data: navigation to the first chart painted, and to the map's "
            "districts drawn (median s)\n"
            + _table(["page", "page s", "minimal page s", "ratio"], rows))


def app_table(r: dict) -> str:
    """One size: start, every page's first run and rerun, the map's figure and payload, memory."""
    app = r["app"]
    maps = {c["case"]: c for c in r["cases"]}.get("map_page", {})
    rows = [["start, cold cache (load + validate + build + write)", f"{r['start_cold']['start_s']:.2f}",
             f"{r['start_cold']['peak_mb']:.0f}"],
            ["start, warm cache", f"{r['start_warm']['start_s']:.2f}", f"{r['start_warm']['peak_mb']:.0f}"],
            *_page_rows(app)]
    if maps:
        rows.append(["map figure build (plotly)", f"{maps['figure_s']:.3f}", ""])
        rows.append([f"map payload MB: {maps['payload_mb']:.2f}", "", ""])
    return (f"{r['size']:,} agreements\n"
            + _table(["what", "seconds", "peak MB"], rows))


def _page_rows(app: dict) -> list[list[str]]:
    """The app's first run, every page's first run and reruns, the process's peak memory."""
    rows = [["app first run (AppTest, default page)", f"{app['app_start_s']:.2f}", ""]]
    for page, p in app["pages"].items():
        rows.append([f"{page}: first run", f"{p['first_s']:.3f}", ""])
        if p["change"]:
            rows.append([f"{page}: rerun, {p['change']} changed to a new view", f"{p['rerun_new_s']:.3f}", ""])
            rows.append([f"{page}: rerun, {p['change']} back to a seen view", f"{p['rerun_seen_s']:.3f}", ""])
        else:
            rows.append([f"{page}: rerun (no view widget)", f"{p['rerun_seen_s']:.3f}", ""])
        if p.get("filter_s") is not None:
            rows.append([f"{page}: rerun, sidebar filters changed", f"{p['filter_s']:.3f}", ""])
        if p.get("others"):
            key = max(p["others"], key=p["others"].get)
            rows.append([f"{page}: rerun, slowest of {len(p['others'])} other widgets ({key})",
                         f"{p['others'][key]:.3f}", ""])
    rows.append(["app process, all pages", "", f"{app['peak_mb']:.0f}"])
    return rows


def query_report(results: list[dict]) -> str:
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
    # names left-aligned, numbers right-aligned
    left = {1} if "query" in headers else {0} if headers[0] in ("what", "page") else set()

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
    parser.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # internal: measure one dir
    parser.add_argument("--mode", choices=("queries", "start", "app"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_measure_child(args.child, args.mode, args.runs)))
        return 0
    results = []
    for n in args.sizes:
        print(f"measuring {n:,} agreements ...", file=sys.stderr, flush=True)
        results.append(run_size(n, args.runs))
    print("measuring the app on the shipped data ...", file=sys.stderr, flush=True)
    shipped = run_shipped(args.runs)
    browser = None
    if not args.no_browser and bench_browser.available():
        print("measuring the browser on the shipped data ...", file=sys.stderr, flush=True)
        browser = bench_browser.measure(REAL_DATA, args.runs)
    elif not args.no_browser:
        print(f"no {bench_browser.CHROMIUM}: browser figures skipped", file=sys.stderr)
    print(report(results, shipped, browser))
    return 0


def _measure_child(data_dir: Path, mode: str, runs: int) -> dict:
    figures = (bench_app.measure_start(data_dir) if mode == "start"
               else bench_app.measure_pages(runs) if mode == "app" else measure(data_dir, runs))
    return {**figures, "peak_mb": _peak_mb()}


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(s) for s in text.split(",") if s.strip())
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError("give positive agreement counts, e.g. 10000,100000")
    return sizes


