"""Markdown images, links, directives and HTML in a name, shown through escape.md/esc in
every Streamlit element that renders markdown, make the browser fetch nothing, and the name
reads as typed (issue 11, item 3). A local listener stands for the tracker: first one element
of each kind (tests/hostile/markup_app.py), then every page of the app on data whose every
name carries markup (tests/hostile/markup_data.py)."""
from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ARTIFACTS, ROOT, start_server
from tests.hostile import markup_data


@pytest.fixture
def listener():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    srv.shutdown()


def _serve(script, env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"markup-{port}.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
                             str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return url, proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


@pytest.mark.slow
def test_markup_in_a_name_is_inert_in_every_element(listener, page):
    base, hits = listener
    text = (f"![i]({base}/img.png) [l]({base}/link) <img src='{base}/html.png'> "
            f":red[红] **b** $x$ &lt; www.example.org a@b.cn :material/star `c` ``d 成都（科技馆）`")
    url, proc = _serve(ROOT / "tests" / "hostile" / "markup_app.py", {"HOSTILE_TEXT": text})
    try:
        p = page.page
        p.goto(f"{url}/?raw=1")                    # the control: unescaped, the image is fetched
        page.wait_for_app()
        p.wait_for_timeout(1500)
        assert "/img.png" in hits
        hits.clear()
        p.goto(url)
        page.wait_for_app()
        p.locator("[data-testid=stExpander] summary").click()
        p.locator("[data-testid=stPlotlyChart]").hover()
        p.wait_for_timeout(1500)
        port = base.rsplit(":", 1)[1]
        leaks = p.locator(f"img[src*=':{port}'], a[href*=':{port}']")
        assert leaks.count() == 0, [leaks.nth(i).evaluate("e => e.outerHTML") for i in range(leaks.count())]
        shown = [t.strip().replace("\u2060", "") for t in
                 p.locator("[data-testid=stMarkdownContainer]").all_inner_texts()]
        # markdown, write, inline code, a table's heading and cell, caption, info, warning,
        # metric, checkbox, selectbox, button, expander and tab titles, the tab's text: each
        # reads as typed, every character
        assert shown.count(text) >= 15, shown
        assert set(shown) <= {text, "markup", "inside", "b", "1"}, shown   # 1: the metric
        assert page.external_requests() == []
    finally:
        proc.terminate()
        proc.wait(10)


# Text a reader sees: the page's text, and the SVG text of charts (legends, axes, hover cards).
PAGE_TEXT = """() => [document.body.innerText,
    ...Array.from(document.querySelectorAll('svg text')).map(e => e.textContent)]
    .join('\\n').replaceAll('\\u2060', '')"""


@pytest.mark.slow
def test_every_page_with_markup_in_every_name_fetches_nothing(listener, page, tmp_path):
    base, hits = listener
    typed = markup_data.write(tmp_path / "data", base)
    city = markup_data.CITY
    cities = "cities=" + quote(f"Chengdu,Chongqing,{city}")
    areas = "cmp_areas=" + quote(f"Chengdu,Chongqing,510116,{city}")  # 510116: population unknown
    # path -> the typed values that must read as typed there ({l}: h for name_zh, n for name_en)
    walk = {"overview": ["ev0n{l}", city], "map": [city],
            "map?map_sel=i:fb-1": ["ba0n{l}", "di0n{l}"], "map?map_sel=d:510104": [city],
            "map?map_sel=" + quote(f"c:{city}"): [city],
            f"compare?{areas}": ["di2n{l}", city],
            # every other section of the compare page (one is shown at a time)
            **{f"compare?{areas}&cmp_section={s}": names for s, names in (
                ("trends", ["di2n{l}", city]), ("ranking", ["di0n{l}", city]), ("flows", [city]),
                # (the partner finder's base is the value of its box, not page text)
                ("gaps", []), ("partners&cmp_base=fb-1", []))},
            "data_manager": []}
    url, proc = start_server(tmp_path / "data")
    try:
        p = page.page
        for lang, letter in (("zh", "h"), ("en", "n")):
            for path, expected in walk.items():
                values = [typed.get(key.format(l=letter), key) for key in expected]
                _open_until_shown(page, f"{url}/{path}{'&' if '?' in path else '?'}{cities}&lang={lang}",
                                  values)
                for summary in p.locator("[data-testid=stExpander] summary").all():
                    summary.click()
                if path == "overview":             # a hover card of the event timeline
                    point = p.locator(".st-key-timeline .scatterlayer .point").first
                    point.scroll_into_view_if_needed()
                    box = point.bounding_box()          # (the chart's drag layer covers it)
                    p.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    p.locator(".st-key-timeline .hoverlayer .hovertext").wait_for()
                p.wait_for_timeout(800)
                assert p.locator("[data-testid=stException]").count() == 0, (lang, path)
                assert hits == [], (lang, path)
                shown = p.evaluate(PAGE_TEXT)
                for value in values:
                    assert value in shown, (lang, path, value)
        port = base.rsplit(":", 1)[1]
        assert p.locator(f"img[src*=':{port}'], a[href*=':{port}'], script[src*=':{port}']").count() == 0
        assert page.external_requests() == []
    finally:
        proc.terminate()
        proc.wait(10)


def _open_until_shown(page, address: str, values: list[str]) -> None:
    """Open a page and wait until every value reads on it. Elements whose code loads on first
    use can come late on a busy machine. On the map, Streamlit 1.67's frontend can also keep an
    element as its loading placeholder for good (seen about once in 15 visits here: the chart
    re-plots every half second and React never retries the placeholders). That is Streamlit's,
    not this test's subject, so the page is opened once more; the assertions after this name
    whatever is still missing. (A placeholder left for good also keeps wait_for_app waiting.)"""
    for _ in range(2):
        page.page.goto(address)
        try:
            page.wait_for_app(60_000)
            page.page.wait_for_function(f"vs => vs.every(v => ({PAGE_TEXT})().includes(v))",
                                        arg=values, timeout=30_000)
            return
        except PlaywrightTimeout:
            pass
