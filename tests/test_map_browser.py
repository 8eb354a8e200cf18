"""The cooperation map in headless Chromium on the shipped data: it really draws, Chinese text
shows, the animation plays, the PNG downloads, and nothing is fetched from outside 127.0.0.1."""
from __future__ import annotations

from analysis.core.style import CITY_COLORS
from tests.conftest import share_of_colour

YEAR_SHOWN = "() => [...document.querySelectorAll('.js-plotly-plot .annotation-text')]" \
             ".map(e => e.textContent).find(t => /^20\\d\\d$/.test(t))"
ON_SCREEN = """([lon, lat]) => {
    const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
    const point = map.project([lon, lat]), box = map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""
YONGCHUAN = [105.8695, 29.2930]  # centroid; cq-s-002 is known only to this district, so sits on it


def test_map_draws_offline_and_animates(server, page):
    p = page.page
    p.goto(f"{server}/map?lang=zh")
    page.wait_for_app()
    p.get_by_role("heading", name="成渝科普合作地图").wait_for()
    canvas = p.locator(".js-plotly-plot .maplibregl-canvas")
    canvas.wait_for(timeout=30_000)
    p.wait_for_function(YEAR_SHOWN, timeout=30_000)
    box = canvas.bounding_box()
    assert box["width"] > 400 and box["height"] > 400

    # the map itself drew: grey districts and both cities' markers are in the canvas pixels
    shot = canvas.screenshot()
    assert share_of_colour(shot, CITY_COLORS["Chengdu"]) > 0.002
    assert share_of_colour(shot, CITY_COLORS["Chongqing"]) > 0.002
    assert share_of_colour(shot, "#e2e2e2", tolerance=30) > 0.004  # district fills (light grey)
    # Chinese labels in the legend and the year on the map
    assert p.locator(".js-plotly-plot .legendtext", has_text="成都 · 科普基地").is_visible()
    assert p.evaluate(YEAR_SHOWN) == "2025"

    # a click on the map selects what is under it; the side panel and the URL follow
    canvas.scroll_into_view_if_needed()
    p.mouse.click(*p.evaluate(ON_SCREEN, YONGCHUAN))
    p.get_by_text("学校：重庆市永川区兴龙湖中学").wait_for(timeout=30_000)
    assert "map_sel=i%3Acq-s-002" in p.url
    page.wait_for_app()

    # play: frames step through the years in the browser, no page reload
    p.locator(".js-plotly-plot .updatemenu-button", has_text="播放").click()
    p.wait_for_function(f"() => ({YEAR_SHOWN})() === '2021'", timeout=10_000)
    p.wait_for_function(f"() => ({YEAR_SHOWN})() === '2023'", timeout=10_000)
    assert p.locator("[data-testid=stStatusWidget]").count() == 0  # the script did not rerun

    # the chart toolbar's PNG download works on the map
    canvas.hover()
    with p.expect_download(timeout=30_000) as download:
        p.locator(".js-plotly-plot .modebar-btn[data-title='download plot as a png' i]").click()
    assert download.value.suggested_filename == "chengdu-chongqing-cooperation-map.png"

    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []
