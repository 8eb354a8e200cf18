"""The cooperation network in headless Chromium on the shipped data: the drawing renders in
both layouts, a click opens an institution's neighbourhood, and nothing is fetched from
outside 127.0.0.1."""
from __future__ import annotations

POINTS = ".js-plotly-plot .scatterlayer .trace .points path"
# the screen position and id of the largest node drawn last (on top of its neighbours)
BIGGEST_NODE = """() => {
    const gd = document.querySelectorAll('.js-plotly-plot')[0], fl = gd._fullLayout;
    const nodes = gd._fullData.filter(t => t.meta === 'nodes');
    const tr = nodes[nodes.length - 1], sizes = Array.from(tr.marker.size);
    const i = sizes.lastIndexOf(Math.max(...sizes)), box = gd.getBoundingClientRect();
    return [box.left + fl._size.l + fl.xaxis.l2p(tr.x[i]), box.top + fl._size.t + fl.yaxis.l2p(tr.y[i]),
            tr.customdata[i][0]];
}"""
# the nodes drawn in the first chart; a chart Streamlit is still replacing has traces without data
# for a moment, so this counts what is there and the tests wait for the count they expect
NODE_COUNT = """() => (document.querySelectorAll('.js-plotly-plot')[0]?.data || [])
    .filter(t => t.meta === 'nodes').reduce((n, t) => n + (t.customdata?.length || 0), 0)"""


def wait_for_nodes(p, n):
    p.wait_for_function(f"() => ({NODE_COUNT})() === {n}", timeout=30_000)


def test_network_draws_offline_and_opens_a_neighbourhood(server, page):
    p = page.page
    p.goto(f"{server}/network?lang=zh")
    page.wait_for_app()
    p.get_by_role("heading", name="成渝科普合作网络").wait_for()
    p.locator(POINTS).first.wait_for(timeout=60_000)
    wait_for_nodes(p, 401)                                # every institution with an agreement
    assert p.locator(POINTS).count() > 401
    assert p.locator(".js-plotly-plot .legendtext", has_text="成都").first.is_visible()
    assert p.locator(".js-plotly-plot .legendtext", has_text="跨城合作").first.is_visible()

    # the geographic layout: district outlines under the nodes
    p.locator("[data-testid=stButtonGroup] button", has_text="地理位置").click()
    p.wait_for_function("() => new URLSearchParams(location.search).get('net_layout') === 'geo'",
                        timeout=30_000)
    page.wait_for_app()
    p.wait_for_function("() => document.querySelectorAll('.js-plotly-plot')[0].data"
                        ".some(t => t.meta === 'districts')", timeout=30_000)
    wait_for_nodes(p, 401)

    # a click on an institution opens its neighbourhood (and the link keeps it)
    p.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    x, y, picked = p.evaluate(BIGGEST_NODE)
    p.mouse.click(x, y)

    p.wait_for_function(f"() => new URLSearchParams(location.search).get('net_focus') === '{picked}'",
                        timeout=30_000)
    page.wait_for_app()
    p.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 3",
                        timeout=30_000)

    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []
