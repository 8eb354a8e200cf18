"""Shared fixtures. The fixture dataset (tests/fixtures/data) is tiny, deterministic and built
by hand in one place; its expected numbers are written out in tests/test_sql.py."""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from analysis.core.db import Database
from analysis.core.loading import DATA_DIR_ENV, load
from analysis.editing.auth import ENV_VAR as EDITOR_PASSWORD_ENV

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "data"
SHIPPED_DIR = ROOT / "data"
ALL_KINDS = ["base_base", "base_school", "other"]
BOTH_CITIES = ["Chengdu", "Chongqing"]


def filter_params(**overrides) -> dict:
    """SQL parameters for the widest view of the fixture; override what a test narrows."""
    params = {"year_from": 2021, "year_to": 2023, "cities": BOTH_CITIES, "kinds": ALL_KINDS,
              "include_illustrative": True}
    params.update(overrides)
    return params


def generated(data_dir: Path, **sizes):
    """The shipped tables in data_dir with generated illustrative rows (tools/illustrative.py,
    seeded) of these sizes: seed, n_bases, n_schools, n_agreements. The loaded Dataset."""
    from tools.illustrative import write_illustrative

    for path in SHIPPED_DIR.glob("*.csv"):
        shutil.copy2(path, data_dir / path.name)
    write_illustrative(data_dir, geo_path=SHIPPED_DIR / "geo" / "districts.geojson", **sizes)
    dataset, problems = load(data_dir)
    assert problems == []
    return dataset


def app_test(page: str | None = None, query: dict | None = None):
    """An AppTest of the dashboard, optionally on one page (a file in pages/)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page:
        at.switch_page(str(ROOT / "pages" / page))
    return at


@pytest.fixture(scope="session")
def fixture_db() -> Database:
    dataset, problems = load(FIXTURE_DIR)
    assert problems == []
    return Database(dataset)


@pytest.fixture
def data_copy(tmp_path):
    """Factory: a writable copy of the fixture (or shipped) data in a temporary folder."""
    def make(source: Path = FIXTURE_DIR) -> Path:
        target = tmp_path / "data"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("history", "geo"))
        return target
    return make


@pytest.fixture
def fixture_env(monkeypatch):
    """Point the dashboard at the fixture data (used by AppTest, which runs in-process)."""
    monkeypatch.setenv(DATA_DIR_ENV, str(FIXTURE_DIR))
    return FIXTURE_DIR


@pytest.fixture
def data(data_copy, monkeypatch):
    """The dashboard (AppTest, in-process) on a writable copy of the fixture, editing off."""
    d = data_copy()
    monkeypatch.setenv(DATA_DIR_ENV, str(d))
    monkeypatch.delenv(EDITOR_PASSWORD_ENV, raising=False)
    return d


@pytest.fixture
def password(monkeypatch):
    """Editing on, with a password of its own."""
    pw = f"pw-{uuid.uuid4().hex[:8]}"   # a fresh Gate per test: no failures carried over
    monkeypatch.setenv(EDITOR_PASSWORD_ENV, pw)
    return pw


# --- browser tests -------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def share_of_colour(png: bytes, hex_colour: str, tolerance: int = 40) -> float:
    """The share of a screenshot's pixels within `tolerance` (summed RGB difference) of a colour."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    target = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(pixels - target).sum(axis=2) < tolerance).mean())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, extra_env: dict | None = None):
    """Serve dashboard.py on a free port; returns (base_url, process)."""
    port = _free_port()
    env = {**os.environ, DATA_DIR_ENV: str(data_dir), **(extra_env or {})}
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"server-{port}.log", "wb")  # the app's errors, for a failing test
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return url, proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


@pytest.fixture(scope="session")
def server():
    """The dashboard on the shipped data, for browser tests."""
    url, proc = start_server(SHIPPED_DIR)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs chromium) as root")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class RecordingPage:
    """A Playwright page that records every request, so tests can assert none left the machine."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_PREFIXES)]

    def wait_for_app(self, timeout: float = 30_000) -> None:
        """Wait until Streamlit has finished running the script (every page has a title) and the
        browser has drawn what it sent: elements whose code loads on first use (multiselects,
        tables...) can appear a while after the run ends on a busy machine, so the page's text
        and elements must stay the same for 0.7 s."""
        self.page.evaluate("() => { window.__atlasSeen = null; }")   # stable since this call
        self.page.wait_for_selector("[data-testid=stMain] h1", timeout=timeout)
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')"
            " && !document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)
        self.page.wait_for_function("""() => {
            const now = document.body.innerText.length + ':' + document.querySelectorAll('[data-testid]').length;
            if (window.__atlasSeen !== now) { window.__atlasSeen = now; window.__atlasSince = Date.now(); }
            return Date.now() - window.__atlasSince > 700;
        }""", polling=200, timeout=timeout)


EDITOR_PASSWORD = "browser-test-密码"


@pytest.fixture
def editable_server(data_copy):
    """The dashboard on a writable copy of the fixture, editing on with EDITOR_PASSWORD."""
    d = data_copy()
    url, proc = start_server(d, extra_env={EDITOR_PASSWORD_ENV: EDITOR_PASSWORD})
    yield url, d
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="en-US")
    rp = RecordingPage(context.new_page())
    yield rp
    ARTIFACTS.mkdir(exist_ok=True)
    rp.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
