"""The cooperation map figure (analysis.map.figure) built from the fixture."""
from __future__ import annotations

import json
from dataclasses import replace
import re
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from analysis.core import geo
from analysis.core.db import Database
from analysis.core.loading import load
from analysis.map import data as map_data
from analysis.map.data import for_view, load_map_data
from analysis.map.figure import cooperation_map
from analysis.map.layers import overlay
from analysis.map.labels import map_notes, selection_label, selection_title
from analysis.map.view import MapView
from tests.conftest import filter_params

CODES = [f["id"] for f in geo.districts_geojson()["features"]]


def build(db, lang="en", params=None, **view):
    data = load_map_data(db, params or filter_params(), MapView(**{"year": 2023, **view}), CODES)
    return data, cooperation_map(data, lang)


def role(fig, name):
    return [t for t in fig.data if t.meta == name]


def points(traces) -> int:
    return sum(len(t.lon) for t in traces)


@pytest.mark.parametrize("arcs_in_detail", [True, False])
@pytest.mark.parametrize("view", [{}, {"period": "per_year"}, {"cross_only": True}])
def test_a_view_from_its_shared_data_draws_as_one_loaded_whole(fixture_db, monkeypatch, arcs_in_detail, view):
    """The page loads and draws view.shared() once and makes each metric, year and selection
    of it with for_view: the figure is the one a view loaded whole gives, the selection's side
    panel too, in both arc modes."""
    if not arcs_in_detail:
        monkeypatch.setattr(map_data, "ARC_DETAIL_LIMIT", 3)
    params = filter_params()
    base = MapView(year=2023, **view)
    shared = load_map_data(fixture_db, params, base.shared(), CODES)
    over = overlay(shared, "en")
    assert shared.arc_mode == ("detail" if arcs_in_detail else "pairs") and shared.view.selection is None
    for change in ({}, {"metric": "agreements_per_100k"}, {"year": 2021}, {"selection": "d:510104"},
                   {"selection": "i:fb-3", "year": 2022, "metric": "institutions"}, {"selection": "c:Chongqing"}):
        wanted = replace(base, **change)
        data, whole = for_view(fixture_db, params, shared, wanted), load_map_data(fixture_db, params, wanted, CODES)
        assert data.view == whole.view
        pd.testing.assert_frame_equal(data.selection_partners, whole.selection_partners)
        pd.testing.assert_frame_equal(data.selection_agreements, whole.selection_agreements)
        assert (pio.to_json(cooperation_map(data, "en", over), validate=False)
                == pio.to_json(cooperation_map(whole, "en"), validate=False))
    assert shared.view.selection is None and shared.selection_agreements.empty   # left as it was


def test_a_shared_overlay_survives_concurrent_builds(fixture_db):
    """Sessions build figures from one cached overlay at once: plotly must never see (and
    briefly change) the overlay's own traces, or a figure can come out with a trace untyped."""
    data, fresh = build(fixture_db, period="per_year")
    over, want = overlay(data, "en"), [t.type for t in fresh.data]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)   # threads switch as often as they can
    try:
        with ThreadPoolExecutor(4) as pool:
            figures = list(pool.map(lambda _: cooperation_map(data, "en", over), range(24)))
    finally:
        sys.setswitchinterval(interval)
    assert all([t.type for t in fig.data] == want for fig in figures)
    assert all(t.type == "scattermap" for t in [*over.arcs.traces, *over.above])


def test_offline_trace_types_only(fixture_db):
    _, fig = build(fixture_db)
    spec = json.loads(pio.to_json(fig, validate=False))
    assert {t["type"] for t in spec["data"]} == {"choroplethmap", "scattermap"}
    assert spec["layout"]["map"]["style"] == "white-bg"
    for trace in spec["data"] + [t for f in spec["frames"] for t in f["data"]]:
        # text on the map makes MapLibre fetch glyphs, and symbols other than circles fetch icons
        assert "text" not in trace.get("mode", "") and "text" not in trace and "texttemplate" not in trace
        assert "symbol" not in trace.get("marker", {})


def test_districts_institutions_and_arcs_are_all_there(fixture_db):
    data, fig = build(fixture_db)
    (density,) = role(fig, "density")
    assert sorted(density.locations) == sorted(["510104", "510107", "510116", "500103", "500112", "500118"])
    assert dict(zip(density.locations, density.z)) == {
        "500103": 4, "500112": 2, "500118": 0, "510104": 3, "510107": 3, "510116": 1}
    assert {f["id"] for f in density.geojson["features"]} == set(density.locations)
    assert len(role(fig, "outside")[0].locations) == 52  # boundaries without a fixture row
    assert points(role(fig, "institutions")) == 10 and points(role(fig, "city_level")) == 1
    assert sorted(t.name for t in role(fig, "institutions")) == [
        "Chengdu · Bases", "Chengdu · Schools", "Chongqing · Bases", "Chongqing · Schools"]
    # schools get a dark centre dot; illustrative fb-5 and fs-4 are hollow (a white centre)
    assert points(role(fig, "school_dot")) == 5
    assert points(role(fig, "hollow")) == 2 and {t.marker.color for t in role(fig, "hollow")} == {"white"}
    assert data.arc_mode == "detail"
    visible_cards = [t for t in role(fig, "arc_cards") if t.visible]
    assert points(visible_cards) == 8  # one hover card per agreement up to 2023
    assert [t.name for t in role(fig, "kind_legend")] == ["Base–base", "Base–school", "Other"]


def test_no_value_districts_are_grey_and_in_the_legend(fixture_db):
    _, fig = build(fixture_db, metric="agreements_per_100k")
    (no_value,) = role(fig, "no_value")
    assert sorted(no_value.locations) == ["500112", "510116"]   # population 0, population unknown
    assert no_value.showlegend and no_value.name == "No usable population figure (2)"
    (density,) = role(fig, "density")
    assert dict(zip(density.locations, np.round(density.z, 4))) == {
        "500103": 0.6667, "500118": 0.0, "510104": 0.3, "510107": 0.6}
    _, fig = build(fixture_db, metric="agreements_per_100_institutions")
    assert list(role(fig, "no_value")[0].locations) == ["500118"]  # no institution
    assert role(fig, "no_value")[0].name == "No institution in the district (1)"


def test_one_frame_per_year_and_the_play_button(fixture_db):
    _, fig = build(fixture_db, year=2022)
    assert [f.name for f in fig.frames] == ["2021", "2022", "2023"]
    density_index = next(i for i, t in enumerate(fig.data) if t.meta == "density")
    frame = fig.frames[0].to_plotly_json()   # frames are read as dicts (style.animated)
    assert frame["traces"][0] == density_index
    assert dict(zip(fig.data[density_index].locations, frame["data"][0]["z"]))["510104"] == 2  # 2021
    assert [a["text"] for a in frame["layout"]["annotations"]][:2] == ["Cumulative 2021", "<b>2021</b>"]
    play = fig.layout.updatemenus[0].buttons[0]
    assert play.method == "animate" and list(play.args[0]) == ["2021", "2022", "2023"]
    assert play.args[1]["frame"]["redraw"] is True
    assert fig.layout.sliders[0].active == 1  # the year shown first: 2022
    assert [a.text for a in fig.layout.annotations][1] == "<b>2022</b>"


@pytest.mark.parametrize("period, shown_in_2022", [("cumulative", {2021, 2022}), ("per_year", {2022})])
def test_detail_arcs_switch_on_by_year(fixture_db, period, shown_in_2022):
    data, fig = build(fixture_db, period=period)
    arc_indices = [i for i, t in enumerate(fig.data) if t.meta in ("arcs", "arc_cards")]
    frame = next(f for f in fig.frames if f.name == "2022").to_plotly_json()
    assert list(frame["traces"][1:]) == arc_indices
    cards = {i: fig.data[i] for i in arc_indices if fig.data[i].meta == "arc_cards"}
    years = dict(zip(cards, sorted(data.years)))  # one card trace per year, in order
    on = {years[i] for i, upd in zip(frame["traces"][1:], frame["data"][1:]) if i in cards and upd["visible"]}
    assert on == shown_in_2022


def hover_cards(trace) -> list[str]:
    """The hover cards plotly shows for a trace: its template filled with each point's customdata."""
    def fill(row):
        return re.sub(r"%\{customdata\[(\d)\]\}", lambda m: str(row[int(m.group(1))]),
                      trace.hovertemplate).replace("<extra></extra>", "")
    return [fill(row) for row in (trace.customdata if trace.customdata is not None else [])]


def test_large_sets_draw_links_summed_by_district_pair(fixture_db, monkeypatch):
    monkeypatch.setattr(map_data, "ARC_DETAIL_LIMIT", 3)
    data, fig = build(fixture_db)
    assert data.arc_mode == "pairs" and data.arc_agreements == 8
    plain, with_illustrative = role(fig, "arc_cards")   # links without, then with, made-up agreements
    assert len(plain.lon) + len(with_illustrative.lon) == 5   # five links between different districts
    cards = [*hover_cards(plain), *hover_cards(with_illustrative)]
    assert "<b>Yuzhong District</b> ↔ <b>Jinjiang District</b><br>Base–base · cross-city<br>Agreements: 1" in cards
    assert all("illustrative" not in c for c in hover_cards(plain))
    assert all("of which illustrative (made up): 1" in c for c in hover_cards(with_illustrative))
    assert {t.line.width for t in role(fig, "arcs")} <= {1.0, 2.2, 3.8, 6.0}
    frame_2021 = fig.frames[0].to_plotly_json()
    assert sum(len(t["lon"]) for t in frame_2021["data"] if t.get("meta") == "arcs") == 1 * (geo.ARC_POINTS + 1)  # one link in 2021
    assert "with 8 agreements" in map_notes(data, "en").lower()


def test_names_from_the_data_are_escaped(data_copy):
    data = data_copy()
    bases = (data / "bases.csv").read_text(encoding="utf-8")
    (data / "bases.csv").write_text(bases.replace("Jinjiang Museum", "<img src=x onerror=alert(1)>"),
                                    encoding="utf-8")
    dataset, problems = load(data)
    assert problems == []
    _, fig = build(Database(dataset), lang="en")
    spec = pio.to_json(fig, validate=False)
    assert "<img" not in spec and "&lt;img src=x onerror=alert(1)&gt;" in spec


def test_hiding_illustrative_data_removes_hollow_markers(fixture_db):
    _, fig = build(fixture_db, params=filter_params(include_illustrative=False))
    assert role(fig, "hollow") == [] and points(role(fig, "institutions")) == 8


def test_language_changes_every_label(fixture_db):
    _, en = build(fixture_db, lang="en")
    _, zh = build(fixture_db, lang="zh")
    assert "Chengdu · Bases" in {t.name for t in en.data}
    assert "成都 · 科普基地" in {t.name for t in zh.data}
    assert zh.layout.updatemenus[0].buttons[0].label == "▶ 播放"
    assert zh.layout.title.text == "成渝科普合作 · 涉及该区县的协议数"
    card = role(zh, "density")[0].customdata[0][1]
    assert "累计 2021–2023" in card and "<b>" in card


def test_selection_is_highlighted(fixture_db):
    _, fig = build(fixture_db, selection="i:fb-3")
    (arcs,) = role(fig, "selection_arcs")
    assert len(arcs.lon) == 3 * (geo.ARC_POINTS + 1)   # fa-1, fa-4, fa-8
    assert len(role(fig, "selection")[0].lon) == 1
    _, fig = build(fixture_db, selection="d:510104")
    assert list(role(fig, "selection")[0].locations) == ["510104"]
    _, fig = build(fixture_db)
    assert role(fig, "selection") == [] and role(fig, "selection_arcs") == []


def test_labels_and_notes(fixture_db):
    data, _ = build(fixture_db, metric="agreements_per_100k")
    assert selection_label(None, data.markers, "en") == "(nothing selected)"
    assert selection_label("d:510104", data.markers, "zh") == "锦江区 · 成都"
    assert selection_label("i:fb-1", data.markers, "en") == "Jinjiang Museum · Jinjiang District"
    assert selection_label("c:Chongqing", data.markers, "en") == "Chongqing: institutions known only to city level"
    institution = fixture_db.query("map/institution", id="fb-6")
    assert selection_title("i:fb-6", institution, "en") == "Base: Chongqing City Base · Chongqing"
    notes = map_notes(data, "en")
    assert "Each arc is one agreement (8 in all)." in notes
    assert "1 institutions are known only to city level" in notes
    assert "Population is sourced for 4 of 6 districts only" in notes
