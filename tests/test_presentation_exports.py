"""`python -m analysis report`: every export written, opened the way its reader opens it
(deck.pptx with python-pptx, report.html in Chromium from a file with every outside request
blocked, the PNGs and the GIF with Pillow)."""
from __future__ import annotations

import re

import pytest
from PIL import Image
from pptx import Presentation

from analysis.__main__ import main
from analysis.presentation.deck import BADGE_NAME
from tests.conftest import ARTIFACTS, FIXTURE_DIR

FILES = sorted(["03-map.png", "04-by_year_kind.png", "05-flows.png", "map-2021.png", "map-2022.png",
                "map-2023.png", "map-animation.gif", "deck.pptx", "report.html"])
PICTURE = 13   # MSO_SHAPE_TYPE.PICTURE


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    zh, en = out / "zh", out / "en"
    assert main(["report", "--out", str(zh), "--lang", "zh", "--data", str(FIXTURE_DIR)]) == 0
    assert main(["report", "--out", str(en), "--lang", "en", "--no-illustrative", "--theme", "dark",
                 "--years", "2022-2023", "--data", str(FIXTURE_DIR)]) == 0
    return zh, en


@pytest.mark.slow
def test_every_file_written(exports):
    zh, en = exports
    assert sorted(p.name for p in zh.iterdir()) == FILES
    assert sorted(p.name for p in en.iterdir()) == sorted(
        ["03-map.png", "04-by_year_kind.png", "05-flows.png", "map-2022.png", "map-2023.png",
         "map-animation.gif", "deck.pptx", "report.html"])
    for name in ("03-map.png", "04-by_year_kind.png", "05-flows.png", "map-2021.png"):
        with Image.open(zh / name) as img:
            assert img.size == (1920, 1080)
    with Image.open(zh / "map-animation.gif") as gif:
        assert (gif.n_frames, gif.size, gif.info["loop"]) == (3, (1280, 720), 0)


@pytest.mark.slow
def test_deck_pptx(exports):
    zh, en = exports
    prs = Presentation(str(zh / "deck.pptx"))
    assert len(prs.slides) == 8
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.name == "title") for s in prs.slides]
    assert titles == ["测试论坛 2023", "关键数字", "合作地图，逐年累计", "每年签约，按协议类型",
                      "跨城合作流向", "测试论坛 2023签约", "年度榜单", "短板与下一步"]
    pictures = [sum(sh.shape_type == PICTURE for sh in s.shapes) for s in prs.slides]
    assert pictures == [0, 0, 1, 1, 1, 0, 0, 0]     # the map, the bars, the Sankey
    picture = next(sh for sh in prs.slides[3].shapes if sh.shape_type == PICTURE)
    assert picture.image.size == (1920, 1080)
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "区县颜色：截至当年累计的合作协议" in text
    table = next(sh for sh in prs.slides[5].shapes if sh.has_table).table
    assert [c.text for c in table.rows[1].cells] == ["2023年12月14日", "馆校合作", "渝中科技馆 · 重庆", "锦江小学 · 成都"]
    assert prs.slides[2].notes_slide.notes_text_frame.text.startswith("出处:\nhttps://example.org/")
    badges = [any(sh.name == BADGE_NAME for sh in s.shapes) for s in prs.slides]
    assert badges == [False, True, True, True, True, False, False, True]
    real = Presentation(str(en / "deck.pptx"))
    assert not any(sh.name == BADGE_NAME for s in real.slides for sh in s.shapes)
    assert next(sh.text_frame.text for sh in real.slides[1].shapes if sh.name == "title") == "Key figures"


@pytest.mark.slow
def test_report_html_offline_in_chromium(exports, browser):
    zh, en = exports
    for folder in (zh, en):
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        outside = []
        context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"),
                      lambda route: (outside.append(route.request.url), route.abort()))
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((folder / "report.html").as_uri())
        page.wait_for_function("() => window.deck && document.querySelectorAll('.main-svg').length > 0")
        drawn = page.evaluate("""() => ({
            charts: [...document.querySelectorAll('.chart')].map(d => [d.id, !!d._fullLayout,
                d.querySelectorAll('.bars path, .sankey-node').length]),
            stills: [...document.querySelectorAll('img.map-year')].map(i => [i.dataset.year, i.naturalWidth]),
            badges: document.querySelectorAll('.badge').length})""")
        assert [c[0] for c in drawn["charts"]] == ["chart-4-0", "chart-5-0"]
        assert all(c[1] and c[2] > 0 for c in drawn["charts"]), drawn
        years = ["2021", "2022", "2023"] if folder == zh else ["2022", "2023"]
        assert drawn["stills"] == [[y, 1920] for y in years]
        assert drawn["badges"] == (5 if folder == zh else 0)
        # the file presents too: keys move between slides and the address keeps the number
        page.get_by_role("button", name="放映" if folder == zh else "Present").click()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("PageDown")
        assert page.evaluate("deck.current") == 3 and page.url.endswith("#slide=3")
        page.keyboard.press("PageUp")
        assert page.evaluate("deck.current") == 2 and page.url.endswith("#slide=2")
        page.keyboard.press("End")
        assert page.evaluate("deck.current") == 8
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(4000)   # the map steps through its years
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"report-html-map-{folder.name}.png"))
        assert page.evaluate("[...document.querySelectorAll('img.map-year')].filter(i => !i.hidden)"
                             ".map(i => i.dataset.year)") == [years[-1]]
        assert outside == [] and errors == []
        context.close()


def test_cli_refuses_unknown_names(capsys, tmp_path):
    assert main(["report", "--out", str(tmp_path / "x"), "--cities", "Atlantis,Chengdu", "--kinds", "treaty",
                 "--years", "soon", "--data", str(FIXTURE_DIR), "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["--cities: unknown value(s) Atlantis; choose from Chengdu, Chongqing",
                   "--kinds: unknown value(s) treaty; choose from base_base, base_school, other",
                   "--years soon: write FIRST-LAST within the data's years 2021-2023"]
    assert not (tmp_path / "x").exists()


def test_cli_refuses_an_unknown_edition(capsys, tmp_path):
    assert main(["report", "--out", str(tmp_path / "x"), "--edition", "forum-2099", "--data", str(FIXTURE_DIR),
                 "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("--edition forum-2099: no such forum edition")
    assert not (tmp_path / "x").exists()
