"""The presenter deck as data (analysis/presentation/story.py), its hall map, its HTML and its
PPTX, on the fixture data (tests/fixtures/data: 2021–2023, 8 agreements, 2 of them made up)."""
from __future__ import annotations

import io
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation

from analysis.core import served
from analysis.core.filters import Filters
from analysis.presentation.deck import BADGE_NAME, build_deck
from analysis.presentation.hall_map import BORDER, district_links, drawable_name, frame_figure, hall_map
from analysis.presentation import html as deck_html
from analysis.presentation.html import build_html
from analysis.presentation.story import build_story, story_content, with_theme
from analysis.presentation.theme import THEMES, hall_style
from analysis.overview.figures import agreements_by_year_kind
from tests.conftest import ALL_KINDS, BOTH_CITIES, filter_params

KINDS = ["title", "key_figures", "map", "by_year_kind", "flows", "signings", "honours", "gaps"]


def filters(lang="zh", illustrative=True, **kw) -> Filters:
    base = dict(year_from=2021, year_to=2023, cities=tuple(BOTH_CITIES), kinds=tuple(ALL_KINDS),
                include_illustrative=illustrative, lang=lang)
    return Filters(**{**base, **kw})


@pytest.fixture(scope="module")
def stories(fixture_db):
    return {(lang, ill): build_story(fixture_db, filters(lang, ill)) for lang in ("zh", "en")
            for ill in (True, False)}


def test_story_slides_in_order_with_titles(stories):
    zh = stories[("zh", True)]
    assert [s.kind for s in zh.slides] == KINDS
    assert zh.title == "成渝科普合作 2021–2023 年"
    assert [s.title for s in zh.slides] == [
        "测试论坛 2023", "关键数字", "合作地图，逐年累计", "每年签约，按协议类型", "跨城合作流向",
        "测试论坛 2023签约", "年度榜单", "短板与下一步"]
    assert [s.title for s in stories[("en", True)].slides][1:5] == [
        "Key figures", "Cooperation map, year by year", "Agreements per year, by kind", "Cross-city flows"]


def test_title_slide_is_the_latest_forum_with_signings(stories):
    title = stories[("zh", True)].slides[0]
    assert title.lines == ["2023年12月14日 · 重庆", "Theme three"]
    assert title.sources == ["https://example.org/ev3（1 条）"]
    en = stories[("en", True)].slides[0]
    assert (en.title, en.lines[0]) == ("Test forum 2023", "14 Dec 2023 · Chongqing")


def test_chosen_edition(fixture_db):
    story = build_story(fixture_db, filters("en"), edition="forum-2021")
    assert story.slides[0].title == "Test forum 2021"
    assert story.slides[0].lines == ["1 Mar 2021 · Chongqing", "Venue: 渝中会场", "Theme one"]
    signings = story.slides[5]
    assert signings.table.rows == [["1 Mar 2021", "Base–base", "Jinjiang Museum · Chengdu",
                                    "Yuzhong Science Centre · Chongqing"]]


def test_key_figures_with_change_against_previous_year(stories):
    numbers = stories[("en", True)].slides[1].numbers
    assert [(n.label, n.value, n.change) for n in numbers] == [
        ("Signed in 2023", "4", "+2 vs 2022"), ("Cross-city in 2023", "2", "+1 vs 2022"),
        ("Bases", "6", "as listed"), ("Schools", "5", "as listed")]
    real = stories[("en", False)].slides[1].numbers    # fa-5, fa-7 and fb-5, fs-4 are made up
    assert [(n.value, n.change) for n in real] == [("2", "±0 vs 2022"), ("2", "+1 vs 2022"),
                                                   ("5", "as listed"), ("4", "as listed")]


def test_captions_count_from_the_data(stories):
    slides = stories[("en", True)].slides
    assert slides[3].caption == "Agreements in 2021–2023: 8; the most in 2023 (4)."
    assert slides[4].caption == "4 of 8 agreements join the two cities (50.0%)."
    assert slides[5].caption == "Agreements signed at this edition: 1."
    assert slides[7].table.rows == [["Shuangliu District", "Chengdu", "1", "1"]]
    assert stories[("zh", True)].slides[3].caption == "2021–2023 年共 8 份协议，2023 年最多（4 份）。"


def test_signings_name_both_parties(stories):
    table = stories[("zh", True)].slides[5].table
    assert table.columns == ["日期", "类型", "甲方", "乙方"]
    assert table.rows == [["2023年12月14日", "馆校合作", "渝中科技馆 · 重庆", "锦江小学 · 成都"]]


def test_illustrative_flags_follow_the_data(stories):
    assert [s.shows_illustrative for s in stories[("zh", True)].slides] == [
        False, True, True, True, True, False, False, True]
    assert not any(s.shows_illustrative for s in stories[("zh", False)].slides)
    sources = stories[("en", True)].slides[3].sources
    assert sources[-1] == "Illustrative (made up) (2)"
    assert "Illustrative (made up) (2)" not in stories[("en", False)].slides[3].sources


def test_empty_filters_give_slides_without_charts(fixture_db):
    story = build_story(fixture_db, filters("en", kinds=()))
    assert [s.kind for s in story.slides] == KINDS
    by_kind = {s.kind: s for s in story.slides}
    assert by_kind["by_year_kind"].figures == [] and by_kind["by_year_kind"].caption == "Nothing matches these filters."
    assert by_kind["flows"].figures == []
    assert by_kind["signings"].caption == "The data holds no agreement signed at this edition."


def test_hall_style_sizes_for_a_hall(stories):
    fig = stories[("en", True)].slides[3].figures[0]
    assert fig.layout.title.text is None
    assert fig.layout.font.size == 28 and fig.layout.xaxis.tickfont.size == 28
    assert fig.layout.paper_bgcolor == THEMES["light"].bg
    dark = hall_style(stories[("en", True)].slides[4].figures[0], "dark")
    assert dark.layout.paper_bgcolor == "#0B0F19" and dark.layout.font.color == "#F5F5F5"
    assert all(a.font.size >= 28 for a in dark.layout.annotations)


def test_one_content_in_both_themes_is_left_as_it_was(fixture_db):
    content = story_content(fixture_db, filters("en"))
    figures = lambda story: [json.loads(f.to_json()) for s in story.slides for f in s.figures]  # noqa: E731
    before = figures(content)
    dark, light = with_theme(content, "dark"), with_theme(content, "light")
    assert figures(content) == before and content.theme == "light" and light is content
    assert figures(with_theme(dark, "light")) == before   # and back: nothing of dark is left
    # restyled from light, the chart is what styling the fresh chart for dark gives
    df = fixture_db.query("overview/agreements_by_year_kind", **filters("en").sql_params())
    fresh = hall_style(agreements_by_year_kind(df, "en", (2021, 2023)), "dark")
    assert json.loads(dark.slides[3].figures[0].to_json()) == json.loads(fresh.to_json())
    for story, name in ((dark, "dark"), (light, "light")):
        spec = story.slides[2].figures[0].to_plotly_json()   # the map
        assert story.theme == name and spec["layout"]["paper_bgcolor"] == THEMES[name].bg
        assert [t["marker"]["line"]["color"] for t in spec["data"] if t.get("meta") == "density"] == [BORDER[name]]
        chart = story.slides[3].figures[0]
        assert chart.layout.paper_bgcolor == THEMES[name].bg and chart.layout.font.size == 28


def test_the_cached_content_survives_concurrent_themes_and_exports(fixture_db):
    """The page restyles the cached content for dark while an export thread steps through its
    map: neither may change the figures the other reads."""
    content = story_content(fixture_db, filters("en"))
    want = [json.loads(f.to_json()) for s in with_theme(content, "dark").slides for f in s.figures]
    jobs = [lambda: [json.loads(f.to_json()) for s in with_theme(content, "dark").slides for f in s.figures],
            lambda: [frame_figure(content.slides[2].figures[0], y).to_json() for y in (2021, 2022, 2023)]]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)   # threads switch as often as they can
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda i: jobs[i % 2](), range(16)))
    finally:
        sys.setswitchinterval(interval)
    assert all(r == want for r in results[0::2])


def test_hall_map_names_only_in_chinese_and_only_cjk(fixture_db):
    zh = hall_map(fixture_db, filter_params(), "zh")
    names = [t for t in zh.data if t.meta == "names"]
    assert len(names) == 1 and names[0].mode == "text"
    assert set(names[0].text) == {"锦江区", "武侯区", "渝中区", "渝北区", "双流区"}
    assert all(drawable_name(n) for n in names[0].text)
    en = hall_map(fixture_db, filter_params(), "en")
    # nothing but CJK is ever drawn as map text: no text traces at all in English
    assert not [t for t in en.data if t.type == "scattermap" and "text" in (t.mode or "")]
    assert [f.name for f in en.frames] == ["2021", "2022", "2023"]
    top = [a.text for a in en.layout.annotations if "Most agreements" in (a.text or "")]
    assert top and "Yuzhong District  <b>4</b>" in top[0]


def test_hall_map_one_row_legend_and_fewer_markers(fixture_db):
    fig = hall_map(fixture_db, filter_params(), "en")
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert legend == ["Chengdu bases and schools", "Chongqing bases and schools",
                      "Cross-city agreements", "Same-city agreements"]
    assert fig.layout.legend.orientation == "h"
    markers = [t for t in fig.data if t.meta == "districts_markers"]
    assert min(min(t.marker.size) for t in markers) >= 18   # few institutions: one disc each
    assert fig.layout.margin.l == 0 and fig.layout.margin.t == 0   # the map fills its frame


def test_frame_figure_shows_that_year(fixture_db):
    fig = hall_map(fixture_db, filter_params(), "en")
    density = next(i for i, t in enumerate(fig.data) if t.meta == "density")
    codes = list(fig.data[density].locations)
    y2021 = frame_figure(fig, 2021)
    assert y2021.frames == ()
    z = dict(zip(codes, y2021.data[density].z))
    assert z["510104"] == 2 and z["500103"] == 1 and z["500112"] == 0   # fa-1, fa-2 in 2021
    assert any(a.text == "<b>2021</b>" for a in y2021.layout.annotations)


def test_hall_links_up_to_each_year_of_any_ascending_list(fixture_db):
    """A year list that starts after the filter's first year still counts the years before it."""
    pairs = fixture_db.query("map/arc_pairs", **filter_params(), cross_only=False)
    every = district_links(pairs, [2021, 2022, 2023])
    later = district_links(pairs, [2022, 2023])
    cols = ["frame", "place_1", "place_2", "agreements"]
    assert later[cols].values.tolist() == every[every["frame"] >= 2022][cols].values.tolist()
    assert later["agreements"].sum() > 0


def test_drawable_name():
    assert drawable_name("锦江区") and drawable_name("酉阳土家族苗族自治县")
    assert not drawable_name("高新区2") and not drawable_name("Wuhou") and not drawable_name("")


def test_html_is_self_contained_and_escaped(stories):
    html = build_html(stories[("zh", True)], mode="slides", start=3, auto_s=8)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", html)
    assert "@import" not in html and "url(http" not in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('class="slide ') == 8
    assert html.count('<div class="badge">示例数据：本页包含为演示而虚构的记录</div>') == 5
    assert '"start": 3' in html and '"auto": 8' in html
    real = build_html(stories[("zh", False)])
    assert 'class="badge"' not in real


def test_a_deck_inlines_plotly_js_or_loads_it_from_where_it_is_told(stories):
    js = deck_html._plotly_js()
    inline = build_html(stories[("zh", True)], mode="slides")
    assert js in inline and "<script src=" not in inline
    served = build_html(stories[("zh", True)], mode="slides", plotly_src='app/static/p.js?"x')
    assert js not in served and len(served) < len(inline) - len(js) + 1000
    assert '<script src="app/static/p.js?&quot;x"></script>' in served
    named = build_html(stories[("zh", True)], mode="slides", plotly_src="p.js", shapes_src="app/static/d.json")
    assert '"geojson": "app/static/d.json"' in named and '"coordinates"' not in named
    assert "app/static/d.json" not in inline and '"coordinates"' in inline   # alone, it carries them


def test_plotly_js_served_from_the_static_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(served, "STATIC_DIR", tmp_path)
    src = deck_html.served_plotly_js()
    assert src.startswith("app/static/plotly-") and src.endswith(".min.js")
    path = tmp_path / src.removeprefix("app/static/")
    assert path.read_text() == deck_html._plotly_js()
    path.unlink()                                   # removed behind the app's back: written again
    assert deck_html.served_plotly_js() == src and path.read_text() == deck_html._plotly_js()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1920, 1080), "white").save(out, format="PNG")
    return out.getvalue()


def test_deck_text_notes_and_badges(stories):
    story = stories[("zh", True)]
    images = {(i, 0): _png() for i, s in enumerate(story.slides) if s.figures}
    prs = Presentation(io.BytesIO(build_deck(story, images)))
    assert len(prs.slides) == 8
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.name == "title") for s in prs.slides]
    assert titles == [s.title for s in story.slides]
    pictures = [sum(sh.shape_type == 13 for sh in s.shapes) for s in prs.slides]
    assert pictures == [0, 0, 1, 1, 1, 0, 0, 0]
    badges = [any(sh.name == BADGE_NAME for sh in s.shapes) for s in prs.slides]
    assert badges == [s.shows_illustrative for s in story.slides]
    notes = prs.slides[5].notes_slide.notes_text_frame.text
    assert notes == "出处:\nhttps://example.org/fa-8（1 条）"
    key = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame]
    assert "较 2022 年 +2" in key and "4" in key
    # Chinese text names an East Asian font, so PowerPoint and WPS pick a CJK face
    run = next(sh for sh in prs.slides[0].shapes if sh.name == "title").text_frame.paragraphs[0].runs[0]
    assert run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea").get("typeface") == "Microsoft YaHei"


def test_sources_and_edition_signings_queries(fixture_db):
    src = fixture_db.query("presentation/sources", **filter_params())
    agreements = src[src["part"] == "agreements"]
    assert agreements[["provenance", "illustrative", "records"]].values.tolist() == [
        ["https://example.org/fa-1", False, 1], ["https://example.org/fa-2", False, 1],
        ["https://example.org/fa-3", False, 1], ["https://example.org/fa-4", False, 1],
        ["https://example.org/fa-6", False, 1], ["https://example.org/fa-8", False, 1],
        ["illustrative", True, 2]]
    assert int(src[src["part"] == "institutions"]["records"].sum()) == 11
    real = fixture_db.query("presentation/sources", **filter_params(include_illustrative=False))
    assert not real["illustrative"].any()
    signed = fixture_db.query("presentation/edition_signings", **filter_params(), event_id="forum-2021")
    assert signed[["agreement_id", "a_name_zh", "b_name_zh"]].values.tolist() == [["fa-1", "锦江博物馆", "渝中科技馆"]]
    assert fixture_db.query("presentation/edition_signings", **filter_params(year_from=2022),
                            event_id="forum-2021").empty


def test_slide_sources_read_like_everywhere_else():
    """A URL as itself, a published list by its title, the seed article and made-up records by
    their labels (analysis.core.display, the one place), most records first, made-up last."""
    from analysis.presentation.story import _row_sources

    rows = ["list:2024年成都市科普基地名单", "https://example.org/a", "list:2024年成都市科普基地名单",
            "seed:forum-2023-article", "illustrative"]
    assert _row_sources(rows, "en") == [
        "Published list: 2024年成都市科普基地名单 (2)", "https://example.org/a (1)",
        "3rd forum report (seed article) (1)", "Illustrative (made up) (1)"]


def test_a_newer_export_removes_the_older_ones_files(stories):
    from analysis.presentation.export import ExportJob

    job = ExportJob(stories[("en", True)])          # not started: only its folder exists
    (job.folder / "deck.pptx").write_bytes(b"old")
    job.discard()
    assert not job.folder.exists()


class _Process:
    """The chromium process as choreographer keeps it (a Popen): running until it exits."""
    def __init__(self):
        self.code = None

    def poll(self):
        return self.code

    def kill(self):
        self.code = -9


class _FakeKaleido:
    """Stands in for kaleido.Kaleido: its chromium fails at start `fails` times, or never opens
    (cancelled, it says it closed at start, as choreographer does), or hangs while it draws
    (cancelled, it waits for the browser until it is closed, as kaleido does)."""
    made: list = []
    fails = 0
    hangs = False
    render_hangs = False

    def __init__(self, **kw):
        _FakeKaleido.made.append(self)
        self.kw, self.subprocess, self.closed = kw, _Process(), None

    async def open(self):
        import asyncio

        self.closed = asyncio.get_running_loop().create_future()
        if _FakeKaleido.hangs:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                raise RuntimeError("The browser seemed to close immediately after starting.") from None
        if len(_FakeKaleido.made) <= _FakeKaleido.fails:
            raise RuntimeError("The browser seemed to close immediately after starting.")

    async def close(self):
        if self.closed is not None and not self.closed.done():
            self.closed.set_result(None)
        self.subprocess.code = 0

    async def calc_fig(self, fig, opts):
        import asyncio

        if _FakeKaleido.render_hangs:
            try:
                await asyncio.sleep(3600)
            finally:
                await asyncio.shield(self.closed)
        return f"png {opts['width']}x{opts['height']}".encode()


@pytest.fixture
def fake_chromium(monkeypatch):
    import kaleido
    from analysis.presentation import export

    monkeypatch.setattr(kaleido, "Kaleido", _FakeKaleido)
    monkeypatch.setattr(_FakeKaleido, "made", [])
    for name, value in (("START_TIMEOUT", 0.3), ("RENDER_TIMEOUT", 0.3), ("GRACE", 0.3), ("CLOSE_TIMEOUT", 0.3)):
        monkeypatch.setattr(export, name, value)
    chromium = export._Chromium()
    monkeypatch.setattr(export, "_chromium", chromium)
    yield _FakeKaleido
    chromium.close()


def test_a_chromium_that_closes_at_start_is_started_once_more(fake_chromium, monkeypatch):
    from analysis.presentation.export import render_png

    monkeypatch.setattr(fake_chromium, "fails", 1)
    assert render_png(go.Figure(), width=640, height=360) == b"png 640x360"
    assert len(fake_chromium.made) == 2                      # the second chromium drew it
    assert render_png(go.Figure()) == b"png 1920x1080"       # and stays open for the next one
    assert len(fake_chromium.made) == 2
    assert all(k.kw.get("mathjax") is False for k in fake_chromium.made)   # nothing from a CDN


def test_a_chromium_that_never_starts_ends_the_export_with_a_message(fake_chromium, monkeypatch,
                                                                     stories):
    from analysis.presentation.export import START_TRIES, ExportJob

    monkeypatch.setattr(fake_chromium, "hangs", True)
    job = ExportJob(stories[("en", True)])
    job._run()                                    # in this thread: returns, never waits forever
    assert job.done and not job.files
    assert job.error == ("RuntimeError: chromium for the images did not start "
                         f"({START_TRIES} tries, 0 s each; timed out)")
    assert len(fake_chromium.made) == START_TRIES
    assert all(k.subprocess.poll() is not None for k in fake_chromium.made)   # none left running
    assert list(job.folder.iterdir()) == []       # nothing half-written
    job.discard()


def test_a_chromium_that_hangs_or_dies_is_replaced(fake_chromium, monkeypatch):
    from analysis.presentation.export import render_png

    monkeypatch.setattr(fake_chromium, "render_hangs", True)
    with pytest.raises(RuntimeError, match=r"chromium drew no image \(nothing in 0 s\)"):
        render_png(go.Figure())                   # bounded although the cancelled draw waits on
    hung = fake_chromium.made[0]
    assert hung.subprocess.poll() is not None     # closed
    monkeypatch.setattr(fake_chromium, "render_hangs", False)
    assert render_png(go.Figure()) == b"png 1920x1080" and len(fake_chromium.made) == 2
    fake_chromium.made[1].subprocess.code = 1     # dies between two exports
    assert render_png(go.Figure()) == b"png 1920x1080" and len(fake_chromium.made) == 3


@pytest.mark.parametrize("served", [True, False])
def test_the_presenter_page_loads_plotly_js_from_the_static_files_when_they_are_served(fixture_env, served):
    import streamlit as st
    from streamlit import config
    from tests.conftest import app_test
    before = config.get_option("server.enableStaticServing")
    config.set_option("server.enableStaticServing", served)
    st.cache_resource.clear()   # a deck built under the other setting (one process has one)
    try:
        at = app_test("present.py", {"lang": "en"}).run()
    finally:
        config.set_option("server.enableStaticServing", before)
    assert not at.exception
    (deck,) = at.get("iframe")
    js = deck_html._plotly_js()
    if served:
        assert '<script src="app/static/plotly-' in deck.proto.srcdoc and js not in deck.proto.srcdoc
        assert '"geojson": "app/static/districts-' in deck.proto.srcdoc   # the map names its outlines
    else:
        assert js in deck.proto.srcdoc and "<script src=" not in deck.proto.srcdoc
        assert "app/static/districts-" not in deck.proto.srcdoc and '"coordinates"' in deck.proto.srcdoc
