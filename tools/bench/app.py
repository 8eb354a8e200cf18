"""The app as a user meets it, server side: start-up, and each page under streamlit's AppTest.

- start: analysis.core.cache.open_database in a fresh process, cold (no cache for these files)
  and warm (the cache the cold start wrote): what a restart costs.
- pages: one AppTest session on dashboard.py (DATA_DIR_ENV set by the parent). Its first run
  opens the data; then each page's first run (its queries and figures computed), the median of
  its reruns after a widget change to a view not computed yet, and of its reruns on a view seen
  before (WIDGET_CHANGES; plain reruns where a page has none), of its reruns after a sidebar
  filter change (filters no page has used yet), and each of its other view widgets changed
  (OTHER_CHANGES: every one timed, the slowest reported).

Each is measured in its own child process so its peak memory is its own.
"""
from __future__ import annotations

import time
from pathlib import Path

from analysis.core.loading import REPO_ROOT

ENTRY = Path(__file__).with_name("apptest_entry.py")
PAGES = ("overview", "map", "compare", "network", "present", "data_manager")
# page -> (widget type, key, values): a view change that reruns the page. Each value is new to
# the page's caches when it is chosen (a view nobody has asked for yet); then the first value
# again (a view seen before). A callable gives the values from the page as drawn.
WIDGET_CHANGES = {
    "map": ("selectbox", "map_metric", ("institutions", "agreements_per_100k",
                                        "agreements_per_100_institutions", "agreements")),
    "compare": ("segmented_control", "cmp_section", ("trends", "ranking", "flows", "gaps", "partners")),
    "network": ("select_slider", "net_year", lambda w: [int(o) for o in w.options][:-1][::-1]),
    "present": ("radio", "present_theme", lambda w: w.options),
    "data_manager": ("selectbox", "dm_table", ("schools", "agreements", "bases")),
}


# page -> the other view widgets: (widget type, key, values, section), each value a view not
# computed yet (a callable gives them from the widget as drawn); section: the compare page's
# section the widget is in. Each is put back after its values, and the section too, except a
# selection box that was empty (AppTest cannot empty one): those come last.
_FIRST_TWO = lambda w: [o.rsplit("(", 1)[1].rstrip(")") for o in w.options[:2]]  # noqa: E731  "name (id)"
OTHER_CHANGES = {
    "map": (("segmented_control", "map_period", ("per_year",), None),
            ("select_slider", "map_year", lambda w: [int(o) for o in w.options][-2::-1][:2], None),
            ("toggle", "map_cross", (True,), None),
            ("selectbox", "map_sel", ("d:510104", "d:500103"), None)),
    "compare": (("multiselect", "cmp_areas", lambda w: [list(w.value)[:1]], None),
                ("radio", "cmp_trend", ("cross_city",), "trends"),
                ("radio", "cmp_norm", ("per_100k",), "trends"),
                ("selectbox", "cmp_rank", ("schools", "agreements_per_100k"), "ranking"),
                ("slider", "cmp_gap_km", lambda w: [w.min, w.max], "gaps"),
                ("radio", "cmp_scope", ("same", "cross"), "partners"),
                ("slider", "cmp_top", lambda w: [w.max], "partners")),
    "network": (("segmented_control", "net_period", ("per_year",), None),
                ("segmented_control", "net_layout", ("geo",), None),
                ("segmented_control", "net_color", ("community",), None),
                ("selectbox", "net_focus", _FIRST_TWO, None)),
    "present": (("toggle", "present_real_only", (True,), None),
                ("multiselect", "present_kinds", lambda w: [list(w.value)[:-1]], None),
                ("slider", "present_years", lambda w: [(w.value[0] + 1, w.value[1])], None),
                ("select_slider", "present_auto", (10,), None)),
}


def measure_start(data_dir: Path) -> dict:
    started = time.perf_counter()
    open_checked(data_dir)
    return {"start_s": time.perf_counter() - started}


def open_checked(data_dir: Path):
    """The Database as the app opens it (the cache file when it is there); stops on problems."""
    from analysis.core.cache import open_database  # imported here: part of the start

    db, problems = open_database(data_dir)
    if problems:
        raise SystemExit(f"{len(problems)} problems in {data_dir}")
    return db


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
        new, seen = [], []
        if change:
            kind, key, values = change
            widget = lambda: getattr(at, kind)(key=key)  # noqa: E731
            values = [v for v in (values(widget()) if callable(values) else values)
                      if v != widget().value][:max(runs, 1)]
            for value in values:
                widget().set_value(value)
                new.append(_timed_run(at, page))
            widget().set_value(values[0])
        for _ in range(runs):
            seen.append(_timed_run(at, page))
        out["pages"][page] = {"first_s": first, "rerun_new_s": _median(new), "rerun_seen_s": _median(seen),
                              "filter_s": _filter_change(at, page, len(out["pages"]), runs),
                              "change": change[1] if change else None,
                              "others": _other_changes(at, page)}
    return out


def _other_changes(at, page: str) -> dict[str, float]:
    """key -> the slowest of its reruns (OTHER_CHANGES), each widget put back after."""
    out, sections = {}, [w.value for w in at.segmented_control if w.key == "cmp_section"]
    for kind, key, values, section in OTHER_CHANGES.get(page, ()):
        if section:
            at.segmented_control(key="cmp_section").set_value(section)
            at.run()
        widget = lambda: getattr(at, kind)(key=key)  # noqa: E731
        was = widget().value
        took = []
        for value in (values(widget()) if callable(values) else values):
            widget().set_value(value)
            took.append(_timed_run(at, page))
        if was is not None:
            widget().set_value(was)
            at.run()
        if took:
            out[key] = max(took)
    if sections:
        at.segmented_control(key="cmp_section").set_value(sections[0])
        at.run()
    return out


def _filter_change(at, page: str, i: int, runs: int) -> float | None:
    """The median over `runs` sidebar filters no page has used yet (year ranges, each with every
    kind or with one left out), so the page's queries that read them run again; then the
    default filters back. None when there is no other filter to choose. (New to every page
    while pages × runs is at most the number of such filters: 59 on the shipped data.)"""
    years, kinds = at.slider(key="years"), at.multiselect(key="kinds")
    lo, hi = int(years.min), int(years.max)
    every = list(kinds.value)
    kind_sets = [every, *([k for k in every if k != left] for left in every)] if len(every) > 1 else [every]
    changes = [((a, b), ks) for ks in kind_sets for a in range(lo, hi + 1) for b in range(hi, a - 1, -1)
               if ((a, b), ks) != ((lo, hi), every)]
    if not changes:
        return None
    took = []
    for k in range(max(runs, 1)):
        (a, b), ks = changes[(i * max(runs, 1) + k) % len(changes)]
        at.slider(key="years").set_value((a, b))
        at.multiselect(key="kinds").set_value(ks)
        took.append(_timed_run(at, page))
    at.slider(key="years").set_value((lo, hi))
    at.multiselect(key="kinds").set_value(every)
    at.run()
    return _median(took)


def _timed_run(at, page: str) -> float:
    started = time.perf_counter()
    at.run()
    _check(at, page)
    return time.perf_counter() - started


def _median(times: list[float]) -> float | None:
    return sorted(times)[len(times) // 2] if times else None


def _check(at, where: str) -> None:
    if at.exception:
        raise SystemExit(f"AppTest {where}: {at.exception[0].message}")
