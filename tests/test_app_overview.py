"""AppTest of the Overview page on the fixture dataset."""
from __future__ import annotations

import gc
import sys

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.cache import CACHE_DIR_ENV
from analysis.core.escape import md
from analysis.core.loading import DATA_DIR_ENV, STAGES
from pages import shell, ui
from tests.conftest import ROOT, app_test


def run_app(query: dict | None = None) -> AppTest:
    at = app_test()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_kpis_on_fixture_in_english(fixture_env):
    at = run_app({"lang": "en"})
    assert not at.exception
    assert at.title[0].value == "Chengdu–Chongqing Science Cooperation Atlas"
    assert metrics(at) == {"Bases": "6", "Schools": "5", "Agreements": "8",
                           "Cross-city share": "50.0%", "Signed in 2023": "4"}
    assert at.metric[4].delta == "+2 vs 2022"
    assert len(at.get("plotly_chart")) == 3
    assert "Illustrative data: this view includes 4 made-up records" in at.warning[0].value


def test_language_switch_changes_labels(fixture_env):
    at = run_app({"lang": "en"})
    at.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "成渝科普合作图谱"
    assert metrics(at) == {"科普基地": "6", "合作学校": "5", "合作协议": "8", "跨城协议占比": "50.0%",
                           "2023 年签约": "4"}
    assert at.query_params["lang"] == "zh"


def test_hiding_illustrative_data(fixture_env):
    at = run_app({"lang": "en"})
    at.button(key="hide_illustrative").click().run()
    assert metrics(at)["Agreements"] == "6"
    assert not at.warning or "Illustrative" not in at.warning[0].value
    assert at.query_params["illustrative"] == "0"


def test_url_reproduces_the_view(fixture_env):
    at = run_app({"lang": "en", "years": "2022-2023", "cities": "Chengdu", "kinds": "base_school",
                  "illustrative": "0"})
    assert at.slider(key="years").value == (2022, 2023)
    assert at.multiselect(key="cities").value == ["Chengdu"]
    # base_school agreements touching Chengdu in 2022–2023, real only: fa-3, fa-8
    assert metrics(at)["Agreements"] == "2"


def test_empty_filters_show_a_friendly_state(fixture_env):
    at = run_app({"lang": "en"})
    at.multiselect(key="cities").set_value([]).run()
    assert not at.exception
    assert at.info[0].value.startswith("Nothing matches these filters")
    assert len(at.get("plotly_chart")) == 0
    # the page stops at its empty state; the filters, drawn after a page otherwise, are there
    assert at.sidebar.multiselect(key="cities").value == []
    assert at.sidebar.multiselect(key="cities").placeholder == "Choose options"
    at.radio(key="lang").set_value("zh").run()
    assert at.sidebar.multiselect(key="cities").placeholder == "请选择"
    at.sidebar.multiselect(key="cities").set_value(["Chengdu"]).run()
    assert len(at.get("plotly_chart")) == 3


def test_the_filters_stay_after_an_error_on_the_page(fixture_env, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in a page")
    monkeypatch.setattr(ui, "header", broken)
    at = run_app({"lang": "en"})
    assert at.exception
    assert at.sidebar.slider(key="years").value == (2021, 2023)
    assert at.sidebar.multiselect(key="cities").value == ["Chengdu", "Chongqing"]


def test_invalid_data_lists_problems_not_a_traceback(data_copy, monkeypatch):
    d = data_copy()
    text = (d / "agreements.csv").read_text(encoding="utf-8").replace("2022-05-01", "2022-13-01")
    (d / "agreements.csv").write_text(text, encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(d))
    at = run_app({"lang": "en"})
    assert not at.exception
    assert at.error[0].value == "The data did not pass validation"
    assert "agreements.csv:4: signed_on: '2022-13-01' is not a valid date in YYYY-MM-DD form" in at.code[0].value


@pytest.mark.parametrize("lang, title", [("zh", "成渝科普合作图谱"), ("en", "Chengdu–Chongqing Science Cooperation Atlas")])
def test_renders_on_shipped_data(monkeypatch, lang, title):
    monkeypatch.setenv(DATA_DIR_ENV, str(ROOT / "data"))
    at = run_app({"lang": lang})
    assert not at.exception
    assert at.title[0].value == title


def test_a_first_load_leaves_no_bar_in_this_session_or_the_next(data, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))   # a new data dir and no cache: cold
    first = run_app({"lang": "en"})
    again = run_app({"lang": "zh"})   # another session: a cache hit replays what the load drew
    for at in (first, again):
        assert not at.exception
        assert at.get("progress") == []
        assert at.metric[2].value == "8"


def _recording_slot(shown: list):
    """A stand-in for the bar's st.empty slot, recording each drawing."""
    class Slot:
        def progress(self, fraction, text):
            shown.append((fraction, text))
    return Slot


def test_the_loading_bar_names_each_stage_and_escapes_the_file():
    shown = []
    Slot = _recording_slot(shown)
    bar = shell._loading_bar(Slot(), "en")
    name = "illustrative/[x](http://a.b).csv"
    bar(0.1, "read", name)
    assert shown[0] == (0.1, f"Reading {md(name)}")
    for stage in [*STAGES, "reread"]:   # every stage has its text, in both languages
        bar(0.5, stage, "")
        shell._loading_bar(Slot(), "zh")(0.5, stage, "")
    assert (0.5, "正在建立数据表") in shown and shown[-1] == (0.5, "缓存写入失败：正在重新读取数据，改在内存中运行")


def test_the_loading_bar_draws_a_new_text_or_a_percent_more_not_every_step():
    """Each drawing is replayed on every rerun that finds the cached database."""
    shown = []
    Slot = _recording_slot(shown)
    bar = shell._loading_bar(Slot(), "en")
    for i in range(100):                  # validation's many small steps
        bar(0.3 + 0.001 * i, "validate", "")
    bar(0.5, "convert", "")               # a new stage: drawn at once
    bar(1.0, "build", "")
    steps = [f for f, text in shown if text == "Validating the data"]
    assert steps[0] == 0.3 and 3 <= len(steps) <= 10                       # of 100 steps
    assert all(b - a >= 0.01 for a, b in zip(steps, steps[1:]))
    assert shown[-2:] == [(0.5, "Converting the values to their types"), (1.0, "Building the tables")]


def test_downloads_rerun_nothing(fixture_env):
    """A rerun on a download click would drop the file the browser is still fetching."""
    at = run_app({"lang": "en"})
    buttons = at.get("download_button")
    assert len(buttons) >= 2 and all(b.proto.ignore_rerun for b in buttons)


def test_what_lives_on_is_frozen_once_after_the_first_run(fixture_env, monkeypatch):
    """Full garbage collections stay cheap: after the process's first run every page's modules
    are imported, the garbage collected and what is alive taken out of the collector's sight
    (gc.freeze); later runs freeze nothing more."""
    monkeypatch.setattr(shell, "_frozen", False)   # as in a new process
    for name in ("analysis.network.export", "analysis.__main__"):   # other tests may have run them
        monkeypatch.delitem(sys.modules, name, raising=False)
    stopped = []
    def watch(phase, info):
        if phase == "stop":
            stopped.append(info["generation"])
    gc.callbacks.append(watch)
    try:
        before = gc.get_freeze_count()
        at = run_app()
        assert not at.exception and 2 in stopped and gc.get_freeze_count() > before
        assert "analysis.network.export" in sys.modules and "analysis.__main__" not in sys.modules
        frozen = gc.get_freeze_count()
        at.run()
        at.run()
        assert gc.get_freeze_count() <= frozen   # frozen objects freed since may leave it lower
    finally:
        gc.callbacks.remove(watch)
        gc.unfreeze()
