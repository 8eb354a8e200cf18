"""Browser figures on the shipped data: navigation to the first Plotly chart painted (and, on
the map, to MapLibre's districts drawn), for each page with a chart, beside a minimal Streamlit
page with one Plotly chart served the same way (same machine, same moment, runs interleaved),
as a ratio. Playwright with /usr/bin/chromium;
servers on 127.0.0.1 only. Each server is warmed by one visit per page first.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from analysis.core.loading import DATA_DIR_ENV, REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# page -> its address with a chart (the compare page's first section is a table)
CHART_PAGES = {"overview": "overview", "map": "map", "compare": "compare?cmp_section=trends"}
PAINTED = "[data-testid=stPlotlyChart] .main-svg"  # plotly has drawn the chart's SVG
# The map's districts are drawn by MapLibre into a canvas, often after plotly's SVG is there
# (its first WebGL frame, in software here, can take 1-2 s): timed too, as "drawn".
# (loaded() is tested first: areTilesLoaded() throws once a map has no style.)
DRAWN = {"map": """() => { const gd = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
    const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot
        && gd._fullLayout.map._subplot.map;
    return !!map && map.loaded() && map.areTilesLoaded(); }"""}
MINIMAL = """import plotly.express as px
import streamlit as st

st.plotly_chart(px.bar(x=["a", "b", "c"], y=[1, 3, 2]))
"""


def available() -> bool:
    return Path(CHROMIUM).exists()


def measure(data_dir: Path, runs: int) -> dict:
    """{page: {"page_s", "minimal_s", "ratio"}, and for a page in DRAWN "drawn_s", "drawn_ratio"}
    (medians over `runs` interleaved visits)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="atlas-bench-minimal-") as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        app_url, app = _serve(REPO_ROOT / "dashboard.py", data_dir)
        min_url, min_proc = _serve(minimal, data_dir)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                out = {}
                _paint_time(browser, min_url)  # warm-up
                for page, path in CHART_PAGES.items():
                    _paint_time(browser, f"{app_url}/{path}", DRAWN.get(page))
                for page, path in CHART_PAGES.items():
                    visits = [(*_paint_time(browser, f"{app_url}/{path}", DRAWN.get(page)),
                               _paint_time(browser, min_url)[0]) for _ in range(runs)]
                    page_s, drawn_s, minimal_s = (statistics.median(column) if None not in column
                                                  else None for column in zip(*visits))
                    out[page] = {"page_s": page_s, "minimal_s": minimal_s, "ratio": page_s / minimal_s}
                    if drawn_s is not None:
                        out[page].update(drawn_s=drawn_s, drawn_ratio=drawn_s / minimal_s)
                browser.close()
        finally:
            for proc in (app, min_proc):
                proc.terminate()
                proc.wait(10)
    return out


def _paint_time(browser, url: str, drawn: str | None = None) -> tuple[float, float | None]:
    """Seconds from navigation to plotly's SVG, and to `drawn` (a JS predicate) being true."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="en-US")
    page = context.new_page()
    leaving = []
    page.on("request", lambda r: leaving.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")) else None)
    drawn_s = None
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(PAINTED, timeout=120_000)
        painted = time.perf_counter() - started
        if drawn:
            page.wait_for_function(drawn, timeout=120_000)
            drawn_s = time.perf_counter() - started
    finally:   # a request that left the machine is named even when it held the page up
        context.close()
        if leaving:
            raise RuntimeError(f"requests left the machine: {leaving[:3]}")
    return painted, drawn_s


def _serve(script: Path, data_dir: Path) -> tuple[str, subprocess.Popen]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO_ROOT, env={**os.environ, DATA_DIR_ENV: str(data_dir)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return url, proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start for {script}")
