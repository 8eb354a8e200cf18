"""AppTest of the cooperation map page on the fixture dataset."""
from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest

from analysis.core import geo
from tests.conftest import ROOT, app_test

PAGE = str(ROOT / "pages" / "map.py")


def open_map(query: dict | None = None) -> AppTest:
    at = app_test()
    at.switch_page(PAGE)
    for k, v in {"lang": "en", **(query or {})}.items():
        at.query_params[k] = v
    return at.run()


def spec(at: AppTest) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def traces(s: dict, role: str) -> list[dict]:
    return [t for t in s["data"] if t.get("meta") == role]


def values(array) -> list:
    """A JSON array as plotly 7 writes it: a list, or {'dtype', 'bdata'} in base64."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def n_points(ts: list[dict]) -> int:
    return sum(len(values(t["lon"])) for t in ts)


def test_map_draws_every_layer_with_the_right_counts(fixture_env):
    at = open_map()
    assert not at.exception
    assert at.title[0].value == "Chengdu–Chongqing cooperation map"
    s = spec(at)
    assert {t["type"] for t in s["data"]} == {"choroplethmap", "scattermap"}
    (density,) = traces(s, "density")
    assert dict(zip(density["locations"], values(density["z"]))) == {
        "500103": 4, "500112": 2, "500118": 0, "510104": 3, "510107": 3, "510116": 1}
    assert n_points(traces(s, "institutions")) == 10          # located institutions
    assert n_points(traces(s, "city_level")) == 1             # fb-6, at the city centre
    assert n_points([t for t in traces(s, "arc_cards") if t.get("visible")]) == 8
    assert [f["name"] for f in s["frames"]] == ["2021", "2022", "2023"]
    assert s["layout"]["map"]["style"] == "white-bg"
    assert "Illustrative data" in at.warning[0].value          # the badge, with a hide button
    assert any("Each arc is one agreement (8 in all)." in c.value for c in at.caption)
    # every district layer names the shapes the app serves, instead of carrying them
    shapes = {t["geojson"] for t in s["data"] if t["type"] == "choroplethmap"}
    assert shapes == {geo.served_districts()} and next(iter(shapes)).startswith("app/static/districts-")


def test_language_switch_changes_labels(fixture_env):
    at = open_map()
    names = {t.get("name") for t in spec(at)["data"]}
    assert {"Chengdu · Bases", "Chongqing · Schools", "Base–school"} <= names
    at.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "成渝科普合作地图"
    s = spec(at)
    assert {"成都 · 科普基地", "重庆 · 学校", "馆校合作"} <= {t.get("name") for t in s["data"]}
    assert s["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ 播放"
    assert at.selectbox(key="map_metric").format_func("agreements_per_100k") == "每十万常住人口协议数"
    assert at.query_params["lang"] == "zh"


def test_metric_and_period_go_into_the_url(fixture_env):
    at = open_map()
    at.selectbox(key="map_metric").set_value("agreements_per_100k").run()
    at.select_slider(key="map_year").set_value(2022).run()
    assert not at.exception
    s = spec(at)
    (no_value,) = traces(s, "no_value")
    assert sorted(no_value["locations"]) == ["500112", "510116"]
    assert no_value["name"] == "No usable population figure (2)"
    assert s["layout"]["sliders"][0]["active"] == 1
    assert (at.query_params["map_metric"], at.query_params["map_year"]) == ("agreements_per_100k", "2022")
    assert any("Population is sourced for 4 of 6 districts only" in c.value for c in at.caption)


def test_cross_city_only_keeps_four_arcs(fixture_env):
    at = open_map()
    at.toggle(key="map_cross").set_value(True).run()
    s = spec(at)
    assert n_points([t for t in traces(s, "arc_cards") if t.get("visible")]) == 4
    assert at.query_params["map_cross"] == "1"


def test_picking_a_district_lists_partners_and_agreements_with_sources(fixture_env):
    at = open_map()
    at.selectbox(key="map_sel").set_value("d:510104").run()
    assert not at.exception
    assert at.query_params["map_sel"] == "d:510104"
    partners, agreements = at.dataframe[-2].value, at.dataframe[-1].value
    assert list(partners["partner"]) == ["Yuzhong Science Centre", "Jinjiang Museum", "Jinjiang Primary School"]
    assert list(agreements["party_b"]) == ["Jinjiang Primary School", "Jinjiang Primary School",
                                           "Yuzhong Science Centre"]
    assert agreements["source_url"].str.startswith("https://example.org/").all()
    assert list(traces(spec(at), "selection")[0]["locations"]) == ["510104"]
    assert "District: Jinjiang District · Chengdu" in at.get("html")[0].proto.body


def test_the_url_reproduces_a_selection(fixture_env):
    at = open_map({"map_sel": "i:fb-3", "map_metric": "institutions", "map_year": "2022",
                   "map_period": "per_year"})
    assert not at.exception
    assert at.selectbox(key="map_sel").value == "i:fb-3"
    assert at.selectbox(key="map_metric").value == "institutions"
    assert at.select_slider(key="map_year").value == 2022
    assert list(at.dataframe[-2].value["partner"]) == ["Jinjiang Primary School", "Yuzhong High School",
                                                      "Jinjiang Museum"]
    (link,) = [m.value for m in at.markdown if m.value.startswith("`") and "map_sel=" in m.value]
    assert "map_sel=i%3Afb-3" in link and "map_year=2022" in link and "lang=en" in link
    at.button(key="map_clear").click().run()
    assert "map_sel" not in at.query_params and not traces(spec(at), "selection")


def test_a_single_year_needs_no_animation(fixture_env):
    at = open_map({"years": "2022-2022", "map_year": "2025"})
    assert not at.exception
    s = spec(at)
    assert "frames" not in s and "sliders" not in s["layout"]
    assert dict(zip(traces(s, "density")[0]["locations"], values(traces(s, "density")[0]["z"])))["500103"] == 2
    assert at.query_params["map_year"] == "2022"


def test_a_selection_that_does_not_exist_says_so(fixture_env):
    at = open_map({"map_sel": "i:nobody"})
    assert not at.exception
    assert any("not in the current data" in w.value for w in at.warning)


def test_empty_filters_show_a_friendly_state(fixture_env):
    at = open_map({"cities": ""})
    assert not at.exception
    assert not at.get("plotly_chart")
    assert at.info[0].value.startswith("Nothing matches these filters")
    assert not at.table


def test_city_totals_table_follows_the_filters(fixture_env, fixture_db):
    from analysis.areas.metrics import city_totals
    from tests.conftest import filter_params
    at = open_map({"cities": "Chengdu", "years": "2022-2023"})
    assert not at.exception
    (table,) = [t.value for t in at.table]
    expected = city_totals(fixture_db, filter_params(cities=["Chengdu"], year_from=2022, year_to=2023))
    assert list(table.columns) == ["City", "Institutions", "Bases", "Schools", "Of which city level only",
                                   "Agreements", "Of which with a city-level party"]
    assert table.to_dict("records") == [{"City": "Chengdu", **{
        heading: expected[col].iloc[0] for heading, col in zip(table.columns[1:], expected.columns[1:])}}]


def test_city_totals_escape_a_city_name(tmp_path, monkeypatch):
    """st.table renders markdown: a city named with markup reaches it through escape.md."""
    from analysis.core.escape import md
    from analysis.core.loading import DATA_DIR_ENV
    from tests.hostile import markup_data
    markup_data.write(tmp_path / "data", "http://127.0.0.1:9")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    at = open_map({"cities": f"Chengdu,{markup_data.CITY}"})
    assert not at.exception
    (table,) = [t.value for t in at.table]
    assert list(table.iloc[:, 0]) == ["Chengdu", md(markup_data.CITY)]


def test_without_static_files_the_map_carries_its_shapes(fixture_env):
    from streamlit import config

    config.set_option("server.enableStaticServing", False)
    try:
        s = spec(open_map())
    finally:
        config.set_option("server.enableStaticServing", True)
    (density,) = traces(s, "density")
    assert {f["id"] for f in density["geojson"]["features"]} == set(density["locations"])
    assert all(isinstance(t["geojson"], dict) for t in s["data"] if t["type"] == "choroplethmap")
