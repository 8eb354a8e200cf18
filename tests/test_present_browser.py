"""The presenter view (/present) in Chromium at 1920×1080, on the shipped data, in both
languages: nothing but the slide, large type, the keys and the address, auto-advance, the
map slide, and no request leaving 127.0.0.1. Screenshots land in test-artifacts/."""
from __future__ import annotations

import pytest

from analysis.presentation.hall_map import HALL_SCALE
from tests.conftest import ARTIFACTS, FIXTURE_DIR, RecordingPage, start_server, share_of_colour

DECK = 'iframe[data-testid="stIFrame"]'


@pytest.fixture
def hall(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
    rp = RecordingPage(context.new_page())
    yield rp
    context.close()


def open_deck(rp: RecordingPage, url: str):
    """The page at `url` and the deck's frame, once the deck has drawn its charts."""
    p = rp.page
    p.goto(url)
    p.wait_for_selector(DECK, timeout=60_000)
    frame = p.locator(DECK).element_handle().content_frame()
    frame.wait_for_function("() => window.deck && document.querySelectorAll('.main-svg').length >= 3",
                            timeout=60_000)
    return p, frame


def current(frame) -> int:
    return frame.evaluate("deck.current")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presenter_view_keys_and_large_type(server, hall, lang):
    p, frame = open_deck(hall, f"{server}/present?lang={lang}")
    # nothing but the slide: no sidebar, header or toolbar; the deck fills the window
    for testid in ("stSidebar", "stHeader", "stToolbar", "stSidebarCollapsedControl"):
        assert not p.locator(f'[data-testid="{testid}"]').is_visible()
    box = p.locator(DECK).bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 1920, 1080)
    assert current(frame) == 1
    title = frame.locator("#slide-1 .slide-title")
    assert title.inner_text() == ("第三届成渝地区科普创新发展论坛" if lang == "zh" else
                                  "3rd Chengdu-Chongqing Science Popularization Innovation and Development Forum")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    assert frame.locator("#slide-2 .slide-title").evaluate(size) >= 48
    assert frame.locator("#slide-2 .value").first.evaluate(size) >= 96
    assert frame.locator("#slide-2 .badge").count() == 1     # the shipped data has made-up records

    # clicker keys, sent to the page (the deck listens there too), and the slide in the address
    p.keyboard.press("ArrowRight")
    assert current(frame) == 2 and "slide=2" in p.url
    p.screenshot(path=str(ARTIFACTS / f"present-{lang}-key-figures.png"))
    p.keyboard.press("PageDown")
    assert current(frame) == 3 and "slide=3" in p.url
    year_shown = ("() => document.querySelector('#slide-3 .chart')._fullLayout.annotations"
                  ".map(a => a.text).find(t => /^<b>\\d{4}<\\/b>$/.test(t))")
    frame.wait_for_function(f"() => ({year_shown})() === '<b>2022</b>'", timeout=40_000)
    frame.wait_for_function(f"() => ({year_shown})() === '<b>2025</b>'", timeout=60_000)  # stepped on
    p.wait_for_timeout(1_500)
    p.screenshot(path=str(ARTIFACTS / f"present-{lang}-map.png"))
    canvas = frame.locator("#slide-3 .maplibregl-canvas")
    assert canvas.count() == 1 and canvas.bounding_box()["width"] > 1700
    # its districts drew from the shapes the app serves, not carried in the deck
    shapes = "document.querySelector('#slide-3 .chart').data.find(t => t.meta === 'density').geojson"
    assert frame.evaluate(shapes).startswith("app/static/districts-")
    assert share_of_colour(canvas.screenshot(), HALL_SCALE[1][1]) > 0.01
    names = frame.evaluate("document.querySelector('#slide-3 .chart')._fullData"
                           ".filter(t => t.meta === 'names').length")
    assert names == (1 if lang == "zh" else 0)
    p.keyboard.press("PageUp")
    assert current(frame) == 2 and "slide=2" in p.url
    p.keyboard.press("End")
    assert current(frame) == 8
    p.screenshot(path=str(ARTIFACTS / f"present-{lang}-gaps.png"))
    p.keyboard.press("Home")
    assert current(frame) == 1 and "slide=1" in p.url
    # plotly.js comes from the app's static files, not inside the deck
    assert any("/app/static/plotly-" in u for u in hall.requests)
    assert len(p.locator(DECK).get_attribute("srcdoc")) < 2_000_000
    assert hall.external_requests() == []


@pytest.mark.slow
def test_link_opens_on_its_slide_and_auto_advance_pauses_on_a_key(server, hall):
    p, frame = open_deck(hall, f"{server}/present?lang=en&slide=4&present_auto=5")
    assert frame.evaluate("deck.opened") == 4
    frame.wait_for_function("() => deck.current >= 5", timeout=15_000)   # moved on by itself
    assert f"slide={current(frame)}" in p.url
    before = current(frame)
    p.keyboard.press("ArrowLeft")                 # any key pauses auto-advance
    assert current(frame) == before - 1
    p.wait_for_timeout(7_000)
    assert current(frame) == before - 1
    assert frame.locator("#paused").is_visible()
    assert hall.external_requests() == []


@pytest.mark.slow
def test_real_records_only_has_no_badge(server, hall):
    p, frame = open_deck(hall, f"{server}/present?lang=zh&illustrative=0")
    assert frame.locator(".badge").count() == 0
    # the shipped real records: 9 agreements (none in 2025), 89 bases, 5 schools
    assert frame.locator("#slide-2 .value").all_text_contents() == ["0", "0", "89", "5"]
    assert hall.external_requests() == []


@pytest.mark.slow
def test_exports_from_the_page(server, hall):
    """Below the slide: the settings, and the exports made in the background with progress."""
    p, frame = open_deck(hall, f"{server}/present?lang=en")
    p.mouse.wheel(0, 1200)
    settings = p.locator(".st-key-present_settings")
    settings.get_by_role("heading", name="Presenter settings").wait_for()
    p.get_by_role("button", name="Make the exports").click()
    p.get_by_text("Making ").first.wait_for(timeout=60_000)        # the progress bar's text
    p.screenshot(path=str(ARTIFACTS / "present-en-exporting.png"), full_page=True)
    p.get_by_role("button", name="deck.pptx").wait_for(timeout=400_000)
    for name in ("report.html", "map-animation.gif", "Chart PNGs (zip)"):
        assert p.get_by_role("button", name=name).is_visible()
    with p.expect_download() as download:
        p.get_by_role("button", name="deck.pptx").click()
    assert download.value.suggested_filename == "deck.pptx"
    p.screenshot(path=str(ARTIFACTS / "present-en-exports.png"), full_page=True)
    assert hall.external_requests() == []


@pytest.mark.slow
def test_deep_link_on_a_fresh_server(hall):
    """The first run after a server start (Streamlit's pages-folder mode) with filters and a
    slide in the link: the deck of those filters, on that slide, nothing from outside."""
    url, proc = start_server(FIXTURE_DIR)
    try:
        p, frame = open_deck(hall, f"{url}/present?lang=en&cities=Chongqing&years=2022-2023"
                                   "&illustrative=0&slide=2")
        assert current(frame) == 2
        assert frame.locator("#slide-2 .value").all_text_contents() == ["2", "2", "3", "1"]
        assert frame.locator("#slide-1 .slide-title").text_content() == "Test forum 2023"
        assert p.locator("[data-testid=stException]").count() == 0
        assert "cities=Chongqing" in p.url and "slide=2" in p.url
        assert hall.external_requests() == []
    finally:
        proc.terminate()
        proc.wait(10)
