"""AppTest of the cooperation network page on the fixture dataset, in both languages."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, app_test

PAGE = str(ROOT / "pages" / "network.py")


def open_page(query: dict | None = None) -> AppTest:
    at = app_test()
    at.switch_page(PAGE)
    for k, v in {"lang": "en", **(query or {})}.items():
        at.query_params[k] = v
    return at.run()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def node_ids(spec: dict) -> list[str]:
    return sorted(c[0] for t in spec["data"] if t.get("meta") == "nodes" for c in t["customdata"])


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang, title, nodes_label", [
    ("en", "Chengdu–Chongqing cooperation network", "Institutions (nodes)"),
    ("zh", "成渝科普合作网络", "机构（节点）"),
])
def test_page_in_both_languages(fixture_env, lang, title, nodes_label):
    at = open_page({"lang": lang})
    assert not at.exception
    assert at.title[0].value == title
    assert metrics(at)[nodes_label] == "9"
    drawing, growth_chart = charts(at)
    assert node_ids(drawing) == ["fb-1", "fb-2", "fb-3", "fb-4", "fb-5", "fs-1", "fs-2", "fs-3", "fs-4"]
    assert [t["meta"] for t in growth_chart["data"]] == ["nodes", "edges", "components",
                                                         "largest_share", "cross_share"]
    assert len(at.warning) >= 1                       # the illustrative badge
    hubs = at.dataframe[0].value
    assert hubs.iloc[0, 0] == "fb-3"
    assert {b.label for b in at.get("download_button")} >= {"GEXF", "GraphML", "VOSviewer map",
                                                            "VOSviewer network"}


def test_page_en_measures_and_url(fixture_env):
    at = open_page()
    m = metrics(at)
    assert (m["Pairs (edges)"], m["Components"], m["Largest component"], m["Cross-city edges"]) == (
        "8", "2", "77.8%", "50.0%")
    assert at.query_params["net_year"] == "2023" and at.query_params["net_layout"] == "force"
    assert [t.value for t in at.dataframe][2]["Id A"].tolist()[0] == "fb-3"   # bridges tab


def test_that_year_alone_geo_by_community(fixture_env):
    at = open_page({"net_year": "2023", "net_period": "per_year", "net_layout": "geo",
                    "net_color": "community"})
    assert not at.exception
    assert metrics(at)["Institutions (nodes)"] == "7"
    drawing = charts(at)[0]
    assert any(t.get("meta") == "districts" for t in drawing["data"])
    assert [t["name"] for t in drawing["data"] if t.get("meta") == "nodes"] == [
        "Community 1", "Community 2", "Community 3"]
    assert any("Agreements signed in 2023" == c.value for c in at.caption)


def test_widgets_change_the_view(fixture_env):
    at = open_page()
    at.segmented_control(key="net_layout").set_value("geo")
    at.select_slider(key="net_year").set_value(2022)
    at.run()
    assert not at.exception
    assert metrics(at)["Institutions (nodes)"] == "5"
    assert at.query_params["net_layout"] == "geo" and at.query_params["net_year"] == "2022"


def test_focus_from_a_link_shows_the_neighbourhood(fixture_env):
    at = open_page({"net_focus": "fb-3"})
    assert not at.exception
    drawing, growth_chart, near = charts(at)
    assert node_ids(near) == ["fb-1", "fb-2", "fb-3", "fs-1", "fs-3"]
    table = at.dataframe[-1].value
    assert table["Steps"].tolist() == [1, 1, 1, 2]


def test_bad_input_never_raises(fixture_env):
    at = open_page({"net_year": "abc", "net_period": "<script>", "net_layout": "3d",
                    "net_focus": "no-such-id", "net_color": ""})
    assert not at.exception
    assert at.query_params["net_year"] == "2023"
    assert any(r"no\-such\-id" in w.value for w in at.warning)   # shown through md()


def test_empty_view(fixture_env):
    at = open_page({"kinds": "other", "years": "2021-2022"})
    assert not at.exception
    assert any("There is no agreement in this view" in i.value for i in at.info)
    assert charts(at) == []


def test_map_panel_links_to_the_neighbourhood(fixture_env):
    at = app_test()
    at.switch_page(str(ROOT / "pages" / "map.py"))
    at.query_params["lang"] = "en"
    at.query_params["map_sel"] = "i:fb-3"
    at.run()
    assert not at.exception
    link = [p for p in at.get("page_link")][0]
    assert link.proto.label == "Open its neighbourhood in the cooperation network"
    assert "net_focus=fb-3" in link.proto.query_string


def test_a_large_network_is_summarised_and_says_so(fixture_env, monkeypatch):
    """With room for 2 institutions: 2022 alone has fb-2, fb-3, fs-3; fs-3 (2 agreements) and
    fb-2 (then by id) are analysed and drawn, with the one pair between them."""
    from analysis.network import measures

    monkeypatch.setattr(measures, "ANALYSIS_LIMIT", 2)
    at = open_page({"net_year": "2022", "net_period": "per_year"})
    assert not at.exception
    assert node_ids(charts(at)[0]) == ["fb-2", "fs-3"]
    assert metrics(at)["Institutions (nodes)"] == "3"      # the counts stay whole
    assert ("The network has 3 institutions and 2 pairs. The drawing shows the 2 institutions "
            "with the most agreements and the 1 pairs among them; betweenness, communities and "
            "bridges are computed on the 2 busiest institutions (1 pairs among them)"
            ) in " ".join(c.value for c in at.caption)
    at.segmented_control(key="net_layout").set_value("geo").run()
    assert node_ids(charts(at)[0]) == ["fb-2", "fb-3", "fs-3"]   # the map places them all
    assert "The drawing shows the 3 institutions" in " ".join(c.value for c in at.caption)


def test_a_focus_from_the_url_is_shown_literally(fixture_env):
    from analysis.core.escape import md

    focus = "![x](http://example.org/x.png)"
    at = open_page({"net_focus": focus})
    assert not at.exception
    assert [w.value for w in at.warning if "in the link" in w.value] == [
        f"The institution {md(focus)} in the link has no agreement in this view."]


def test_a_year_change_queries_the_pairs_again_but_not_the_institutions(fixture_env, monkeypatch):
    """The institution list does not change with the years: it is kept (pages/network.py
    _institutions), and queried once."""
    import streamlit as st

    from analysis.core.db import Database

    st.cache_data.clear()
    st.cache_resource.clear()
    ran, real = [], Database.query
    monkeypatch.setattr(Database, "query", lambda self, name, **p: ran.append(name) or real(self, name, **p))
    at = open_page()
    assert (ran.count("network/institutions"), ran.count("network/pairs")) == (1, 1)
    for year in (2021, 2022):
        at.select_slider(key="net_year").set_value(year).run()
        assert not at.exception
    assert (ran.count("network/institutions"), ran.count("network/pairs")) == (1, 3)
