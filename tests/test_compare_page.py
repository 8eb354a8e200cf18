"""AppTest of the compare page on the fixture dataset, in both languages."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.compare.view import SECTIONS
from analysis.core import i18n
from tests.conftest import ROOT, app_test

PAGE = str(ROOT / "pages" / "compare.py")


def run_page(query: dict | None = None) -> AppTest:
    at = app_test()
    at.switch_page(PAGE)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def param(at, key: str) -> str:
    v = at.query_params[key]
    return v[-1] if isinstance(v, list) else v


def table(at, heading_column: str):
    """The first table shown with this column."""
    return next(d.value for d in at.dataframe if heading_column in d.value.columns)


def test_default_view_in_english(fixture_env):
    at = run_page({"lang": "en"})
    assert not at.exception
    assert at.title[0].value == "Compare cities and districts · gaps · partners"
    sections = at.get("button_group")[0]
    assert sections.options == [
        "Side by side", "Trends across years", "District ranking", "Cross-city flows", "Gaps",
        "Partner finder"]
    assert at.multiselect(key="cmp_areas").value == ["Chengdu", "Chongqing"]
    side = at.dataframe[0].value.set_index("Metric")
    assert side.loc["Agreements"].tolist() == ["6", "3", "+2", "6", "3", "+1"]
    assert side.loc["Agreements per 100 institutions"].tolist() == ["100.00", "50.00", "+33.33",
                                                                   "120.00", "60.00", "+20.00"]
    assert side.loc["Agreements per 100,000 residents"].tolist() == ["0.30", "0.15", "+0.10",
                                                                     "—", "—", "—"]
    assert ("Chongqing: cities.csv has no sourced population for this city (2 of its 3 districts"
            in at.markdown[1].value)
    assert "Chengdu" not in at.markdown[1].value
    assert [s.value for s in at.main.subheader] == ["Side by side"]   # the other sections are not drawn
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("download_button")) == 2
    assert (param(at, "cmp_section"), param(at, "cmp_areas"), param(at, "cmp_base")) == (
        "side", "Chengdu,Chongqing", "fb-3")


def test_each_section_in_english(fixture_env):
    """Each section, chosen with the control: its own charts, tables and downloads only."""
    at = run_page({"lang": "en"})
    shown = {}
    for section in SECTIONS:
        at.get("button_group")[0].set_value(section).run()
        assert not at.exception
        assert param(at, "cmp_section") == section
        shown[section] = (len(at.get("plotly_chart")), len(at.get("download_button")) // 2,
                          sum(m.key == "cmp_areas" for m in at.multiselect))
        if section == "gaps":
            assert table(at, "base_agreements")["name"].tolist() == ["Shuangliu District"]
            assert table(at, "designated_year")["name"].tolist() == ["Chongqing City Base"]
        if section == "partners":
            assert table(at, "distance_km")["name"].tolist() == [
                "Illustrative school Yubei", "Wuhou Middle School", "Shuangliu Primary School"]  # fb-3, the busiest
            assert any(c.value == "3 schools match; the first 3 are shown." for c in at.caption)
    # (charts, tables with downloads, the areas box): trend; ranking; heat map and Sankey
    assert shown == {"side": (0, 1, 1), "trends": (1, 1, 1), "ranking": (1, 1, 0), "flows": (2, 2, 0),
                     "gaps": (0, 2, 0), "partners": (0, 1, 0)}


def test_a_section_runs_only_its_own_queries(fixture_env, monkeypatch):
    """The flows need no area metrics: a filter change there runs the flows' own queries and
    the few every section shares (its areas, the bases the view checks, the illustrative
    count), not the metrics'."""
    import streamlit as st

    from analysis.core.db import Database

    st.cache_data.clear()
    ran, real = [], Database.query
    monkeypatch.setattr(Database, "query", lambda self, name, **p: ran.append(name) or real(self, name, **p))
    at = run_page({"lang": "en", "cmp_section": "flows"})
    ran.clear()
    at.slider(key="years").set_value((2022, 2023)).run()
    assert not at.exception
    # (areas/districts does not read the years: it stays cached)
    assert sorted(ran) == ["compare/bases", "compare/city_flows", "core/agreements_by_year_pair",
                           "core/illustrative_count"]
    at.get("button_group")[0].set_value("ranking").run()
    assert not at.exception
    assert ran.count("areas/area_extras") == 1 and table(at, "district_code")["rank"].tolist()[0] == 1


def test_chinese(fixture_env):
    at = run_page({"lang": "zh"})
    assert not at.exception
    assert at.title[0].value == "城市与区县对比 · 差距 · 伙伴推荐"
    side = at.dataframe[0].value
    assert list(side.columns)[:4] == ["指标", "成都 · 2021–2023 合计", "成都 · 2023 年", "成都 · 较 2022 年变化"]
    assert side["指标"].tolist()[:3] == ["基地数", "学校数", "协议数"]
    assert "重庆：cities.csv 中没有该市的可查人口" in at.markdown[1].value
    assert at.get("button_group")[0].options[0] == "并列对比"
    assert at.main.subheader[0].value == "并列对比"
    at.get("button_group")[0].set_value("partners").run()
    assert at.main.subheader[0].value == "伙伴推荐"
    assert any(i.value.startswith("排序规则") for i in at.info)


def test_url_reproduces_the_view(fixture_env):
    query = {"lang": "en", "cmp_areas": "510104,510107", "cmp_rank": "agreements", "cmp_gap_km": "1",
             "cmp_base": "fb-1", "cmp_stages": "primary,middle", "cmp_scope": "same", "cmp_top": "5"}
    at = run_page({**query, "cmp_section": "ranking"})
    assert not at.exception
    assert at.get("button_group")[0].value == "ranking"
    assert at.selectbox(key="cmp_rank").value == "agreements"
    ranking = table(at, "district_code")
    assert ranking[["rank", "district_code"]].values.tolist()[:3] == [[1, "500103"], [2, "510104"], [2, "510107"]]
    assert param(at, "cmp_areas") == "510104,510107"    # kept in the URL where its box is not drawn
    far = table(run_page({**query, "cmp_section": "gaps"}), "nearest_base_km")
    assert far["district_code"].tolist() == ["500112", "510116", "510107", "500103", "510104"]
    at = run_page({**query, "cmp_section": "partners"})
    assert table(at, "distance_km")["name"].tolist() == ["Wuhou Middle School", "Shuangliu Primary School"]
    assert param(at, "cmp_scope") == "same"
    at = run_page({**query, "cmp_section": "side"})
    assert at.multiselect(key="cmp_areas").value == ["510104", "510107"]


def test_changing_a_control_updates_the_url_and_the_shortlist(fixture_env):
    at = run_page({"lang": "en", "cmp_base": "fb-1", "cmp_section": "partners"})
    at.radio(key="cmp_scope").set_value("cross").run()
    assert not at.exception
    assert param(at, "cmp_scope") == "cross"
    assert table(at, "distance_km")["name"].tolist() == ["Yuzhong High School", "Illustrative school Yubei"]
    at.slider(key="cmp_km").set_value(100).run()
    assert "No school matches" in at.warning[-1].value
    assert param(at, "cmp_km") == "100"


def test_one_area_asks_for_another(fixture_env):
    at = run_page({"lang": "en", "cmp_areas": "500112"})
    assert not at.exception
    assert at.info[0].value == "Pick two or more areas to compare."
    assert "Yubei District · Chongqing: no sourced population" in at.markdown[1].value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_filters_and_narrowed_cities(fixture_env, lang):
    at = run_page({"lang": lang, "cmp_areas": "Chongqing,500103,510104"})
    at.multiselect(key="cities").set_value(["Chengdu"]).run()
    assert not at.exception
    assert at.multiselect(key="cmp_areas").value == ["510104"]  # Chongqing's areas dropped
    at.multiselect(key="cities").set_value([]).run()
    assert not at.exception
    # the empty state, before the section control and any section
    assert [i.value for i in at.info] == [i18n.t("app.empty", lang)]
    assert not at.get("button_group") and not at.get("plotly_chart") and not at.dataframe


def test_a_markup_name_reaches_markdown_escaped_and_options_as_typed(tmp_path, monkeypatch):
    """The population note is markdown: the district's name arrives through escape.md; the
    multiselect shows its options as typed (no markdown there), so they are not escaped."""
    from analysis.core.escape import md
    from analysis.core.loading import DATA_DIR_ENV
    from tests.hostile import markup_data

    typed = markup_data.write(tmp_path / "data", "http://127.0.0.1:9")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    at = run_page({"lang": "en", "cmp_areas": "510116"})
    assert not at.exception
    label = f"{typed['di2nn']} · Chengdu"
    assert at.markdown[1].value == ("- " + md(label)
                                    + ": no sourced population; per-100,000 figures are left blank (not zero).")
    assert "\\!\\[i\\]\\(http\u2060\\:\\/\\/127\\.0\\.0\\.1\u2060\\:9\\/di2nni\\.png\\)" in at.markdown[1].value
    assert at.multiselect(key="cmp_areas").format_func("510116") == label
