"""Benchmark case for the forum deck (run by `make bench` via tools.bench.run's registry).

At every size: building the story (its queries and figures) and report.html in memory. Up to
EXPORT_UP_TO agreements (so 10k and 100k by default, not 1M): the whole export as the page and
`python -m analysis report` make it (kaleido PNGs, GIF, PPTX, HTML), into a temporary folder.
The shipped data's export is timed once, in the child of the smallest size.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go

from analysis.core.db import Database
from analysis.core.filters import Filters
from analysis.core.loading import REPO_ROOT, Dataset, load
from analysis.core.schema import KINDS, MAIN_CITIES
from analysis.presentation.export import export_all, render_png
from analysis.presentation.html import build_html
from analysis.presentation.story import build_story
from tools.bench.run import median_ms, register_case

RUNS = 3
EXPORT_UP_TO = 150_000
SHIPPED_IN_SIZES_UP_TO = 20_000


def _filters(db: Database) -> Filters:
    bounds = db.query("core/year_bounds").iloc[0]
    return Filters(int(bounds.first_year), int(bounds.last_year), MAIN_CITIES, KINDS, True, "zh")


def export_s(db: Database) -> float:
    """Seconds for the full export, story included."""
    with tempfile.TemporaryDirectory(prefix="atlas-bench-report-") as tmp:
        started = time.perf_counter()
        export_all(build_story(db, _filters(db)), Path(tmp))
        return time.perf_counter() - started


@register_case
def presentation(db: Database, dataset: Dataset) -> dict[str, float]:
    f = _filters(db)
    story = build_story(db, f)
    out = {"story_ms": median_ms(lambda: build_story(db, f), RUNS),
           "report_html_ms": median_ms(lambda: build_html(story), RUNS)}
    n = len(dataset.tables["agreements"])
    if n <= EXPORT_UP_TO:
        render_png(go.Figure())   # start chromium first: a server pays that once, not per export
        out["export_s"] = export_s(db)
    if n <= SHIPPED_IN_SIZES_UP_TO:
        shipped, problems = load(REPO_ROOT / "data")
        if not problems:
            out["shipped_export_s"] = export_s(Database(shipped))
    return out
