"""The Overview in headless Chromium, on the shipped data: both languages, nothing fetched
from outside 127.0.0.1."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, title, chinese", [
    ("zh", "成渝科普合作图谱", "科普基地"),
    ("en", "Chengdu–Chongqing Science Cooperation Atlas", "中文"),  # the language switch
])
def test_overview_renders_offline(server, page, lang, title, chinese):
    page.page.goto(f"{server}/?lang={lang}")
    page.wait_for_app()
    p = page.page
    p.get_by_role("heading", name=title).wait_for()
    p.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert p.locator("[data-testid=stMetric]").count() == 5
    assert chinese in p.inner_text("body")
    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []


def test_language_defaults_to_the_browser_locale(server, page):
    page.page.goto(server)  # no ?lang=: the page fixture's browser says en-US
    page.wait_for_app()
    page.page.get_by_role("heading", name="Chengdu–Chongqing Science Cooperation Atlas").wait_for()
    assert "lang=en" in page.page.url
