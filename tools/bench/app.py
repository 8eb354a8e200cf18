"""The app as a user meets it, server side: start-up, and each page under streamlit's AppTest.

- start: analysis.core.cache.open_database in a fresh process, cold (no cache for these files)
  and warm (the cache the cold start wrote): what a restart costs.
- pages: one AppTest session on dashboard.py (DATA_DIR_ENV set by the parent). Its first run
  opens the data; then each page's first run (its queries and figures computed) and the median
  of its reruns after a widget change (WIDGET_CHANGES; a plain rerun where a page has none).

Each is measured in its own child process so its peak memory is its own.
"""
from __future__ import annotations

import time
from pathlib import Path

from analysis.core.loading import REPO_ROOT

ENTRY = Path(__file__).with_name("apptest_entry.py")
PAGES = ("overview", "map", "compare", "data_manager")
# page -> (widget type, key, values to cycle through): a view change that reruns the page.
WIDGET_CHANGES = {
    "map": ("selectbox", "map_metric", ("institutions", "agreements")),
    "compare": ("selectbox", "cmp_rank", ("cross_city", "agreements")),
    "data_manager": ("selectbox", "dm_table", ("schools", "bases")),
}


def measure_start(data_dir: Path) -> dict:
    from analysis.core.cache import open_database  # imported here: part of the start

    started = time.perf_counter()
    db, problems = open_database(data_dir)
    if problems:
        raise SystemExit(f"{len(problems)} problems in {data_dir}")
    return {"start_s": time.perf_counter() - started}


def measure_pages(runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ENTRY), default_timeout=600)
    started = time.perf_counter()
    at.run()
    out = {"app_start_s": time.perf_counter() - started, "pages": {}}
    _check(at, "start")
    for page in PAGES:
        at.switch_page(str(REPO_ROOT / "pages" / f"{page}.py"))
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        _check(at, page)
        change = WIDGET_CHANGES.get(page)
        times = []
        for i in range(runs):
            if change:
                kind, key, values = change
                getattr(at, kind)(key=key).set_value(values[i % len(values)])
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
            _check(at, page)
        times.sort()
        out["pages"][page] = {"first_s": first, "rerun_s": times[len(times) // 2],
                              "change": change[1] if change else None}
    return out


def _check(at, where: str) -> None:
    if at.exception:
        raise SystemExit(f"AppTest {where}: {at.exception[0].message}")
