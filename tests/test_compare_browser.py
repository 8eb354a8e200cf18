"""The compare page in headless Chromium on the shipped data: the flows section from a link
(Sankey and heat map), then the trends and the partner finder chosen with the section control,
in both languages, with nothing fetched from outside 127.0.0.1."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, title, trends, partners, text", [
    ("zh", "城市与区县对比 · 差距 · 伙伴推荐", "逐年趋势", "伙伴推荐", "排序规则：按距离由近到远"),
    ("en", "Compare cities and districts · gaps · partners", "Trends across years", "Partner finder",
     "Ranking rule: distance ascending"),
])
def test_compare_page_renders_offline(server, page, lang, title, trends, partners, text):
    p = page.page
    p.goto(f"{server}/compare?lang={lang}&cmp_section=flows")
    page.wait_for_app()
    p.get_by_role("heading", name=title).wait_for()
    # the flows: heat map and Sankey, with their tables
    p.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 2"
                        " && document.querySelector('.js-plotly-plot .sankey-node')", timeout=30_000)
    assert p.locator(".js-plotly-plot .sankey .sankey-node").count() >= 2
    assert p.locator(".js-plotly-plot .hm image, .js-plotly-plot .hm").count() >= 1
    assert p.locator("[data-testid=stDataFrame]").count() == 2

    # the section control: the trends draw their lines, and the link keeps the section
    p.locator("[data-testid=stButtonGroup] button", has_text=trends).click()
    p.wait_for_function("() => new URLSearchParams(location.search).get('cmp_section') === 'trends'",
                        timeout=30_000)
    page.wait_for_app()
    p.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 1"
                        " && document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length >= 2",
                        timeout=30_000)

    p.locator("[data-testid=stButtonGroup] button", has_text=partners).click()
    p.wait_for_function("() => new URLSearchParams(location.search).get('cmp_section') === 'partners'",
                        timeout=30_000)
    page.wait_for_app()
    p.locator("[data-testid=stDataFrame]").first.wait_for()
    assert text in p.inner_text("body")
    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []
