"""The shell in a real browser: deep links on freshly started servers, and filters that
survive switching pages."""
from __future__ import annotations

import re

import pytest

from analysis.core import cache
from pages.shell import PAGES
from tests.conftest import FIXTURE_DIR, generated, start_server

HEADINGS = {"overview": "Chengdu–Chongqing Science Cooperation Atlas",
            "map": "Chengdu–Chongqing cooperation map", "compare": "Compare cities and districts · gaps · partners",
            "network": "Chengdu–Chongqing cooperation network", "data_manager": "Data manager"}


def chips(page, label: str) -> list[str]:
    """The values shown in a sidebar multiselect."""
    box = page.page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text=label)
    lines = [line.strip() for line in box.inner_text().splitlines() if line.strip()]
    return lines[1:]  # after the label


@pytest.mark.slow
def test_a_large_first_load_shows_its_progress_before_the_page(page, tmp_path):
    """Data big enough to load in a child process, on a fresh cache: the bar's stage is in the
    browser while the data loads, then the page. (How soon is a figure for `make bench` and
    the README: in-process the bar of a 1M load arrived 3 s late.)"""
    data = tmp_path / "data"
    data.mkdir()
    generated(data, n_bases=300, n_schools=1200, n_agreements=60_000)
    assert cache._size(data) >= cache.CHILD_FROM_BYTES
    url, proc = start_server(data, {cache.CACHE_DIR_ENV: str(tmp_path / "cache")})
    try:
        p = page.page
        p.goto(f"{url}/?lang=en")
        p.get_by_text(re.compile(r"^(Reading |Validating the data|Converting the values)")).first.wait_for(
            timeout=30_000)
        assert p.get_by_role("heading", name=HEADINGS["overview"]).count() == 0
        page.wait_for_app(timeout=90_000)
        p.get_by_role("heading", name=HEADINGS["overview"], exact=True).wait_for()
        assert p.locator("[data-testid=stException]").count() == 0
        assert page.external_requests() == []
    finally:
        proc.terminate()
        proc.wait(10)


def test_deep_link_on_a_fresh_server_keeps_its_filters(page):
    # The first run after a server start goes through Streamlit's legacy pages-folder mode,
    # which runs pages/compare.py on its own: it must still get its sidebar and the URL filters.
    url, proc = start_server(FIXTURE_DIR)
    try:
        p = page.page
        p.goto(f"{url}/compare?lang=en&cities=Chengdu&illustrative=0")
        page.wait_for_app()
        assert chips(page, "Cities") == ["Chengdu"]
        p.get_by_role("link", name="Overview").click()   # the navigation is there, and works
        page.wait_for_app()
        p.get_by_role("heading", name="Chengdu–Chongqing Science Cooperation Atlas").wait_for()
        assert chips(page, "Cities") == ["Chengdu"]
        assert p.locator("[data-testid=stSidebarNav]").count() == 0  # no legacy page list
        assert p.locator("[data-testid=stException]").count() == 0
        assert page.external_requests() == []
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
# The presenter view has no navigation, sidebar or page heading by design: its own fresh-server
# deep-link test is in tests/test_present_browser.py.
@pytest.mark.parametrize("path", ["", *(spec.url_path for spec in PAGES if spec.url_path != "present")])
def test_every_link_opens_its_page_on_a_fresh_server(page, path):
    """The first run after a server start (Streamlit's legacy pages-folder mode) for each page
    the navigation lists, and for / : that page, with the navigation and the sidebar filters
    from the link, no "Page not found" dialog, no error, nothing fetched from outside."""
    url, proc = start_server(FIXTURE_DIR)
    try:
        p = page.page
        p.goto(f"{url}/{path}?lang=en&cities=Chongqing&years=2022-2023&illustrative=0")
        page.wait_for_app()
        p.get_by_role("heading", name=HEADINGS[path or "overview"], exact=True).wait_for()
        assert p.get_by_text("Page not found").count() == 0
        assert p.locator("[data-testid=stException]").count() == 0
        assert p.get_by_role("link", name="Cooperation map").count() == 1   # the navigation
        if path != "data_manager":   # (it shows the language alone on invalid data only)
            assert chips(page, "Cities") == ["Chongqing"]
            slider = p.locator("[data-testid=stSidebar] [data-testid=stSlider]").inner_text()
            assert "2022" in slider and "2023" in slider
        assert "cities=Chongqing" in p.url and "lang=en" in p.url
        assert page.external_requests() == []
    finally:
        proc.terminate()
        proc.wait(10)


def test_filters_survive_switching_pages(server, page):
    p = page.page
    p.goto(f"{server}/?lang=en&cities=Chongqing&years=2022-2024")
    page.wait_for_app()
    p.get_by_role("link", name="Cooperation map").click()
    page.wait_for_app()
    p.get_by_role("heading", name="Chengdu–Chongqing cooperation map").wait_for()
    assert chips(page, "Cities") == ["Chongqing"]
    slider = p.locator("[data-testid=stSidebar] [data-testid=stSlider]").inner_text()
    assert "2022" in slider and "2024" in slider
    assert "cities=Chongqing" in p.url and "lang=en" in p.url
