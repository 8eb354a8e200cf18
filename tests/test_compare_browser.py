"""The compare page in headless Chromium on the shipped data: its four charts draw (the Sankey
and heat map included), in both languages, with nothing fetched from outside 127.0.0.1."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, title, text", [
    ("zh", "城市与区县对比 · 差距 · 伙伴推荐", "排序规则：按距离由近到远"),
    ("en", "Compare cities and districts · gaps · partners", "Ranking rule: distance ascending"),
])
def test_compare_page_renders_offline(server, page, lang, title, text):
    page.page.goto(f"{server}/compare?lang={lang}")
    page.wait_for_app()
    p = page.page
    p.get_by_role("heading", name=title).wait_for()
    # every chart drawn: trend, ranking, heat map, Sankey
    p.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 4"
                        " && document.querySelector('.js-plotly-plot .sankey-node')", timeout=30_000)
    assert p.locator(".js-plotly-plot").count() == 4
    assert p.locator(".js-plotly-plot .sankey .sankey-node").count() >= 2
    assert p.locator(".js-plotly-plot .hm image, .js-plotly-plot .hm").count() >= 1
    assert p.locator(".js-plotly-plot .scatterlayer .trace").count() >= 2  # trend lines
    assert p.locator("[data-testid=stDataFrame]").count() >= 6
    assert text in p.inner_text("body")
    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []
