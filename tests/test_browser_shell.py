"""The shell in a real browser: a deep link on a freshly started server, and filters that
survive switching pages."""
from __future__ import annotations

from tests.conftest import FIXTURE_DIR, start_server


def chips(page, label: str) -> list[str]:
    """The values shown in a sidebar multiselect."""
    box = page.page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text=label)
    lines = [line.strip() for line in box.inner_text().splitlines() if line.strip()]
    return lines[1:]  # after the label


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
