"""The network drawing, the growth chart and the tables on the fixture: traces by role,
honest city-level markers, escaped hover cards, both languages."""
from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.core.db import Database
from analysis.core.loading import load
from analysis.network import figures as F
from analysis.network import tables
from analysis.network.data import load_network
from analysis.network.growth import growth
from analysis.network.measures import compute, neighbourhood
from analysis.network.view import NetworkView
from tests.conftest import filter_params


def build(db, **overrides):
    data = load_network(db, filter_params(**overrides), NetworkView(year=2023))
    return data, compute(data)


def roles(fig, role):
    return [t for t in fig.data if t.meta == role]


def node_ids(fig):
    return sorted(c[0] for t in roles(fig, "nodes") for c in t.customdata)


@pytest.mark.parametrize("layout", ["force", "geo"])
def test_every_node_and_pair_drawn_offline(fixture_db, layout):
    data, m = build(fixture_db)
    fig = F.network_figure(m, data.pairs, layout, "city", "en", "t")
    assert node_ids(fig) == ["fb-1", "fb-2", "fb-3", "fb-4", "fb-5", "fs-1", "fs-2", "fs-3", "fs-4"]
    assert [t.name for t in roles(fig, "nodes")] == ["Chengdu", "Chongqing"]
    assert [t.name for t in roles(fig, "edges")] == ["Within a city", "Cross-city"]
    # each pair is two points and a gap; 4 within a city, 4 across
    assert [len(t.x) for t in roles(fig, "edges")] == [12, 12]
    assert len(roles(fig, "edge_cards")[0].x) == 8
    assert bool(roles(fig, "districts")) == (layout == "geo")
    assert all(t.type == "scatter" and "text" not in (t.mode or "") for t in fig.data)


def test_geo_layout_puts_nodes_at_their_coordinates(fixture_db):
    data, m = build(fixture_db)
    fig = F.network_figure(m, data.pairs, "geo", "city", "en", "t")
    cq = [t for t in roles(fig, "nodes") if t.name == "Chongqing"][0]
    at = {c[0]: (x, y) for c, x, y in zip(cq.customdata, cq.x, cq.y)}
    assert at["fb-3"] == pytest.approx((106.55, 29.56), abs=1e-4)


def test_size_by_degree(fixture_db):
    data, m = build(fixture_db)
    fig = F.network_figure(m, data.pairs, "force", "city", "en", "t")
    sizes = {c[0]: s for t in roles(fig, "nodes") for c, s in zip(t.customdata, t.marker.size)}
    assert sizes["fb-3"] == 28.0 and sizes["fs-4"] == round(7 + 21 * math.sqrt(1 / 3), 1)


def test_colour_by_community_in_both_languages(fixture_db):
    data, m = build(fixture_db)
    en = F.network_figure(m, data.pairs, "force", "community", "en", "t")
    zh = F.network_figure(m, data.pairs, "force", "community", "zh", "t")
    assert [t.name for t in roles(en, "nodes")] == ["Community 1", "Community 2", "Community 3"]
    assert [t.name for t in roles(zh, "nodes")] == ["社群 1", "社群 2", "社群 3"]
    assert sorted(c[0] for c in roles(en, "nodes")[0].customdata) == ["fb-2", "fb-4", "fs-3", "fs-4"]


@pytest.fixture
def city_level_db(data_copy):
    """The fixture plus fa-9, Chongqing City Base (fb-6, known only to city level) – fs-3, and
    a base whose name carries markup."""
    folder = data_copy()
    with open(folder / "agreements.csv", "a", encoding="utf-8") as f:
        f.write("fa-9,base_school,fb-6,fs-3,2022-03-03,,City-level base,https://example.org/fa-9\n")
    text = (folder / "bases.csv").read_text(encoding="utf-8")
    (folder / "bases.csv").write_text(text.replace("锦江博物馆", "<b>锦江</b>博物馆"), encoding="utf-8")
    return Database(load(folder)[0])


def test_city_level_institutions_drawn_hollow_with_a_legend_entry(city_level_db):
    data, m = build(city_level_db)
    for layout in ("force", "geo"):
        fig = F.network_figure(m, data.pairs, layout, "city", "en", "t")
        cq = [t for t in roles(fig, "nodes") if t.name == "Chongqing"][0]
        symbols = dict(zip((c[0] for c in cq.customdata), cq.marker.symbol))
        assert symbols["fb-6"] == "circle-open" and symbols["fb-3"] == "circle"
        assert [t.name for t in roles(fig, "key")] == ["○ city-level location"]
        card = dict((c[0], c[1]) for c in cq.customdata)["fb-6"]
        assert "<i>Location known only to city level</i>" in card
    fig = F.network_figure(m, data.pairs, "geo", "city", "zh", "t")
    cq = [t for t in roles(fig, "nodes") if t.name == "重庆"][0]
    x, y = [(x, y) for c, x, y in zip(cq.customdata, cq.x, cq.y) if c[0] == "fb-6"][0]
    # placed on the spiral around the city centre (106.577, 29.5573), not on it
    assert math.hypot(x - 106.577, y - 29.5573) == pytest.approx(F.SPIRAL_STEP, rel=1e-3)


def test_hover_cards_escape_names(city_level_db):
    data, m = build(city_level_db)
    fig = F.network_figure(m, data.pairs, "force", "city", "zh", "t")
    card = {c[0]: c[1] for t in roles(fig, "nodes") for c in t.customdata}["fb-1"]
    assert card.startswith("<b>&lt;b&gt;锦江&lt;/b&gt;博物馆</b><br>科普基地 · 博物馆/展馆")
    assert "合作方 2 家 · 协议 2 份" in card
    edge_cards = roles(fig, "edge_cards")[0].text
    assert any(c.startswith("&lt;b&gt;锦江") for c in edge_cards)
    assert all("<b>锦江" not in c for c in edge_cards)


def test_force_drawing_keeps_the_busiest(fixture_db, monkeypatch):
    monkeypatch.setattr(F, "FORCE_LIMIT", 2)
    data, m = build(fixture_db)
    assert list(F.drawn_nodes(m, "force")["id"]) == ["fb-1", "fb-3"]   # 3 agreements, then 2 by id
    assert len(F.drawn_nodes(m, "geo")) == 9
    monkeypatch.setattr(F, "GEO_LIMIT", 3)
    assert list(F.drawn_nodes(m, "geo")["id"]) == ["fb-1", "fb-2", "fb-3"]
    fig = F.network_figure(m, data.pairs, "force", "city", "en", "t")
    assert node_ids(fig) == ["fb-1", "fb-3"] and len(roles(fig, "edge_cards")[0].x) == 1


def test_the_force_layout_repeats(fixture_db):
    data, m = build(fixture_db)
    one = F.network_figure(m, data.pairs, "force", "city", "en", "t")
    two = F.network_figure(m, data.pairs, "force", "city", "en", "t")
    assert np.array_equal(roles(one, "nodes")[0].x, roles(two, "nodes")[0].x)


def test_neighbourhood_figure_marks_the_selected(fixture_db):
    data, m = build(fixture_db)
    near, pairs, _ = neighbourhood(m.nodes, data.pairs, 2)
    fig = F.neighbourhood_figure(near, pairs, 2, "force", "city", "en", "t")
    assert node_ids(fig) == ["fb-1", "fb-2", "fb-3", "fs-1", "fs-3"]
    assert len(roles(fig, "focus")[0].x) == 1
    assert "2 step(s) from the selected institution" in {c[0]: c[1] for t in roles(fig, "nodes")
                                                         for c in t.customdata}["fb-2"]


def test_an_empty_network_draws_an_empty_figure(fixture_db):
    data, m = build(fixture_db, cities=[])
    fig = F.network_figure(m, data.pairs, "force", "city", "en", "t")
    assert roles(fig, "nodes") == [] and roles(fig, "edges") == []


def test_growth_chart(fixture_db):
    fig = F.growth_figure(growth(fixture_db, filter_params(), True), True, "en")
    assert [t.meta for t in fig.data] == ["nodes", "edges", "components", "largest_share", "cross_share"]
    assert list(fig.data[0].y) == [3, 5, 9] and list(fig.data[2].y) == [1, 1, 2]
    assert fig.layout.title.text == "Growth of the network (Cumulative (up to the year))"
    zh = F.growth_figure(growth(fixture_db, filter_params(), False), False, "zh")
    assert zh.data[0].name == "机构" and list(zh.data[0].y) == [3, 3, 7]


def test_tables_in_both_languages(fixture_db):
    _, m = build(fixture_db)
    hubs = tables.hubs(m, "en")
    assert list(hubs.columns[:8]) == ["Id", "Name", "Type", "Kind", "City", "District", "Partners", "Agreements"]
    assert hubs.iloc[0][["Id", "Name", "Partners", "Cross-city partners"]].tolist() == [
        "fb-3", "Yuzhong Science Centre", 3, 2]
    assert list(tables.brokers(m, "en")["Id"]) == ["fb-3", "fs-3", "fb-2", "fb-4"]
    bridges = tables.bridges(m, "zh")
    assert bridges.iloc[1].tolist() == ["武侯大学基地", "成都", "渝北医院基地", "重庆", 1, "是", 6, "fb-2", "fb-4"]
    assert list(bridges.columns[:2]) == ["机构甲", "城市甲"]
    data, _ = build(fixture_db)
    assert tables.isolated(data.isolated, "en")["Name"].tolist() == ["Shuangliu Primary School",
                                                                     "Chongqing City Base"]
