"""The cooperation network on the fixture dataset, every number worked out by hand.

Fixture agreements (all years, both cities, all kinds, illustrative included): fa-1 fb-1–fb-3,
fa-2 fb-1–fs-1, fa-3 fb-2–fs-3, fa-4 fb-3–fs-3, fa-5 fb-4–fs-4, fa-6 fb-2–fb-4, fa-7 fb-5–fs-2,
fa-8 fb-3–fs-1: 9 institutions, 8 pairs of one agreement each, 4 of them cross-city (fa-1, 3,
6, 8). Component A = the triangle fb-1–fb-3–fs-1 and the path fb-3–fs-3–fb-2–fb-4–fs-4
(7 nodes); component B = fb-5–fs-2. fb-6 and fs-5 have no agreement.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from unittest import mock

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from analysis.core.db import Database
from analysis.core.loading import load
from analysis.network import export
from analysis.network import measures as M
from analysis.network.data import cross_city, load_network, span_params
from analysis.network.growth import growth, growth_table
from analysis.network.view import NetworkView
from tests.conftest import BOTH_CITIES, ROOT, SHIPPED_DIR, filter_params


def network(db, year=2023, period="cumulative", **overrides):
    data = load_network(db, filter_params(**overrides), NetworkView(year=year, period=period))
    return data, M.compute(data)


def by_id(measures, col):
    return dict(zip(measures.nodes["id"], measures.nodes[col]))


def test_nodes_pairs_and_isolated(fixture_db):
    data, _ = network(fixture_db)
    assert list(data.nodes["id"]) == ["fb-1", "fb-2", "fb-3", "fb-4", "fb-5", "fs-1", "fs-2",
                                      "fs-3", "fs-4"]
    assert list(data.nodes["ix"]) == list(range(9))
    pairs = {(data.nodes["id"][a], data.nodes["id"][b]): (n, cross) for a, b, n, cross in
             data.pairs[["a", "b", "agreements", "cross_city"]].itertuples(index=False)}
    assert pairs == {("fb-1", "fb-3"): (1, True), ("fb-1", "fs-1"): (1, False),
                     ("fb-2", "fb-4"): (1, True), ("fb-2", "fs-3"): (1, True),
                     ("fb-3", "fs-1"): (1, True), ("fb-3", "fs-3"): (1, False),
                     ("fb-4", "fs-4"): (1, False), ("fb-5", "fs-2"): (1, False)}
    assert list(data.isolated["id"]) == ["fs-5", "fb-6"]   # by city, then type, then id
    assert data.isolated_total == 2
    assert (data.agreements, data.illustrative_agreements) == (8, 2)


def test_degrees_components_density_cross_share(fixture_db):
    _, m = network(fixture_db)
    assert by_id(m, "degree") == {"fb-1": 2, "fb-2": 2, "fb-3": 3, "fb-4": 2, "fb-5": 1,
                                  "fs-1": 2, "fs-2": 1, "fs-3": 2, "fs-4": 1}
    assert by_id(m, "weighted_degree") == by_id(m, "degree")   # one agreement per pair
    assert by_id(m, "cross_degree") == {"fb-1": 1, "fb-2": 2, "fb-3": 2, "fb-4": 1, "fb-5": 0,
                                        "fs-1": 1, "fs-2": 0, "fs-3": 1, "fs-4": 0}
    assert by_id(m, "component") == {"fb-1": 1, "fb-2": 1, "fb-3": 1, "fb-4": 1, "fb-5": 2,
                                     "fs-1": 1, "fs-2": 2, "fs-3": 1, "fs-4": 1}
    s = m.summary
    assert (s["nodes"], s["edges"], s["agreements"], s["isolated"], s["components"]) == (9, 8, 8, 2, 2)
    assert s["largest_share"] == pytest.approx(7 / 9)
    assert s["density"] == pytest.approx(8 / 36)
    assert s["cross_share"] == pytest.approx(0.5)
    assert (s["analysed_nodes"], s["analysed_edges"]) == (9, 8)


def test_betweenness_of_the_bridges(fixture_db):
    """Unnormalised: fs-3 splits A into 3 + 3 nodes (9 pairs), fb-3 into 2 + 4 (8), fb-2 into
    4 + 2 (8), fb-4 into 5 + 1 (5); normalised by the (9-1)(9-2)/2 = 28 other pairs."""
    _, m = network(fixture_db)
    raw = {k: round(v * 28, 9) for k, v in by_id(m, "betweenness").items()}
    assert raw == {"fb-1": 0, "fb-2": 8, "fb-3": 8, "fb-4": 5, "fb-5": 0, "fs-1": 0, "fs-2": 0,
                   "fs-3": 9, "fs-4": 0}


def test_cross_city_betweenness_finds_the_broker(fixture_db):
    """Chengdu fb-1, fs-1, fb-2 to Chongqing fb-3, fs-3, fb-4, fs-4 (12 pairs, unique shortest
    paths): fb-3 carries 6 of them (fb-1 and fs-1 to fs-3, fb-4, fs-4), fs-3 5, fb-2 4, fb-4 3."""
    _, m = network(fixture_db)
    assert by_id(m, "cross_betweenness") == {"fb-1": 0, "fb-2": 4, "fb-3": 6, "fb-4": 3, "fb-5": 0,
                                             "fs-1": 0, "fs-2": 0, "fs-3": 5, "fs-4": 0}


def test_bridges_split_the_cross_city_component(fixture_db):
    """The triangle has no bridge; the path's four edges are bridges. Cutting fb-3–fs-3 leaves
    {fb-1, fs-1 (CD), fb-3 (CQ)} | {fb-2 (CD), fs-3, fb-4, fs-4 (CQ)}: 2·3 + 1·1 = 7 CD–CQ pairs
    apart; fb-2–fs-3 (cross-city) 2·2 + 2·1 = 6; fb-2–fb-4 3·2 = 6; fb-4–fs-4 3·1 = 3.
    fb-5–fs-2 is a bridge too, but in a Chengdu-only component: not listed."""
    _, m = network(fixture_db)
    ids = m.nodes["id"]
    got = [(ids[a], ids[b], cross, sep) for a, b, cross, sep in
           m.bridges[["a", "b", "cross_city", "separated_pairs"]].itertuples(index=False)]
    assert got == [("fb-3", "fs-3", False, 7), ("fb-2", "fb-4", True, 6),
                   ("fb-2", "fs-3", True, 6), ("fb-4", "fs-4", False, 3)]


def test_louvain_communities_with_the_seed(fixture_db):
    """{fb-2, fb-4, fs-3, fs-4} (4 nodes), the triangle {fb-1, fb-3, fs-1}, {fb-5, fs-2}:
    modularity (3/8 − (7/16)²)·2 + 1/8 − (2/16)² = 0.4765625, above moving fs-3 to the
    triangle (0.4453125); numbered by size, then smallest id."""
    _, m = network(fixture_db)
    assert by_id(m, "community") == {"fb-1": 2, "fb-2": 1, "fb-3": 2, "fb-4": 1, "fb-5": 3,
                                     "fs-1": 2, "fs-2": 3, "fs-3": 1, "fs-4": 1}
    assert m.summary["communities"] == 3
    assert m.summary["modularity"] == pytest.approx(0.4765625)


_COMMUNITIES = """
import json
from analysis.core.db import Database
from analysis.core.loading import load
from analysis.network.data import load_network
from analysis.network.measures import compute
from analysis.network.view import NetworkView
from tests.conftest import SHIPPED_DIR, filter_params
db = Database(load(SHIPPED_DIR)[0])
m = compute(load_network(db, filter_params(year_to=2025), NetworkView(year=2025)))
print(json.dumps(dict(zip(m.nodes["id"], m.nodes["community"].astype(int).tolist()))))
"""


@pytest.mark.slow
def test_communities_keep_their_numbers_across_runs():
    """Same data, separate processes with different hash seeds: the same numbering."""
    runs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", _COMMUNITIES], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.splitlines()[-1]))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 401 and min(runs[0].values()) == 1


def test_that_year_alone_and_cumulative(fixture_db):
    """2023 alone: fa-5..fa-8 → {fb-2, fb-4, fs-4}, {fb-5, fs-2}, {fb-3, fs-1}."""
    data, m = network(fixture_db, year=2023, period="per_year")
    assert data.span == (2023, 2023)
    s = m.summary
    assert (s["nodes"], s["edges"], s["components"]) == (7, 4, 3)
    assert s["largest_share"] == pytest.approx(3 / 7)
    assert s["isolated"] == 4    # fb-1, fs-3, fb-6, fs-5
    data, m = network(fixture_db, year=2022)
    assert data.span == (2021, 2022)
    assert (m.summary["nodes"], m.summary["edges"], m.summary["components"]) == (5, 4, 1)


def test_span_is_clamped_to_the_filters():
    assert span_params(filter_params(), NetworkView(year=2030))["year_to"] == 2023
    p = span_params(filter_params(year_from=2022), NetworkView(year=2021, period="per_year"))
    assert (p["year_from"], p["year_to"]) == (2022, 2022)


def test_a_single_edge(fixture_db):
    """Kind `other` only: fa-7, fb-5–fs-2."""
    data, m = network(fixture_db, kinds=["other"])
    assert list(data.nodes["id"]) == ["fb-5", "fs-2"]
    s = m.summary
    assert (s["nodes"], s["edges"], s["components"], s["communities"]) == (2, 1, 1, 1)
    assert (s["density"], s["largest_share"], s["cross_share"]) == (1.0, 1.0, 0.0)
    assert by_id(m, "betweenness") == {"fb-5": 0.0, "fs-2": 0.0}
    assert m.bridges.empty   # the one bridge cuts no Chengdu–Chongqing pair


def test_an_empty_view(fixture_db):
    data, m = network(fixture_db, cities=[], kinds=[])
    assert data.nodes.empty and data.pairs.empty and data.isolated_total == 0
    assert m.summary == {"nodes": 0, "edges": 0, "agreements": 0, "isolated": 0, "density": 0.0,
                         "components": 0, "largest_share": 0.0, "cross_share": 0.0,
                         "communities": 0, "modularity": 0.0, "analysed_nodes": 0,
                         "analysed_edges": 0}
    assert m.bridges.empty
    data, m = network(fixture_db, year=2021, year_from=2021, year_to=2021, kinds=["other"])
    assert m.summary["nodes"] == 0 and m.summary["isolated"] == 11


def test_repeated_agreements_make_one_weighted_pair(data_copy):
    folder = data_copy()
    with open(folder / "agreements.csv", "a", encoding="utf-8") as f:
        f.write("fa-9,base_base,fb-3,fb-1,2022-02-02,,Again,https://example.org/fa-9\n"
                "fa-10,base_school,fb-6,fs-3,2022-03-03,,City-level base,https://example.org/fa-10\n")
    db = Database(load(folder)[0])
    data, m = network(db)
    assert len(data.pairs) == 9 and data.agreements == 10
    assert by_id(m, "weighted_degree")["fb-1"] == 3 and by_id(m, "degree")["fb-1"] == 2
    assert by_id(m, "geo_precision")["fb-6"] == "city"


@pytest.mark.parametrize("limit, value", [("ANALYSIS_LIMIT", 4), ("ANALYSIS_EDGE_LIMIT", 3)])
def test_the_analysed_part_is_the_busiest(fixture_db, monkeypatch, limit, value):
    """Busiest first: fb-3 (3 agreements), then fb-1, fb-2, fb-4, fs-1, fs-3 (2 each, by id).
    Room for 4 nodes, or for 3 pairs (the top 4 hold 2 pairs, the top 5 hold 4): the top 4."""
    monkeypatch.setattr(M, limit, value)
    _, m = network(fixture_db)
    assert list(m.nodes.loc[m.nodes["analysed"], "id"]) == ["fb-1", "fb-2", "fb-3", "fb-4"]
    assert (m.summary["analysed_nodes"], m.summary["analysed_edges"]) == (4, 2)
    assert (m.summary["nodes"], m.summary["components"]) == (9, 2)   # still the whole network
    assert pd.isna(by_id(m, "betweenness")["fs-3"]) and pd.isna(by_id(m, "community")["fs-3"])


def test_components_numbered_by_size_then_smallest_member():
    import numpy as np
    comp = M.components(7, np.array([5, 0, 2]), np.array([6, 1, 3]))   # 4 isolated
    assert comp.tolist() == [1, 1, 2, 2, 4, 3, 3]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=60), st.integers(1, 8))
def test_components_joined_a_chunk_at_a_time_are_networkx_components(pairs, chunk):
    a, b = (np.array([p[i] for p in pairs], dtype=np.int64) for i in (0, 1))
    with mock.patch.object(M, "COMPONENT_CHUNK", chunk):
        comp = M.components(15, a, b)
    g = nx.Graph(pairs)
    g.add_nodes_from(range(15))
    expected = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    assert [sorted(np.flatnonzero(comp == k).tolist()) for k in range(1, comp.max() + 1)] == expected


def test_neighbourhood_partners_and_their_partners(fixture_db):
    data, m = network(fixture_db)
    near, pairs, total = M.neighbourhood(m.nodes, data.pairs, 2)      # fb-3
    assert dict(zip(near["id"], near["hops"])) == {"fb-1": 1, "fb-2": 2, "fb-3": 0, "fs-1": 1, "fs-3": 1}
    assert (len(pairs), total) == (5, 5)


def test_growth_cumulative_and_per_year(fixture_db):
    cols = ["year", "nodes", "edges", "components"]
    cum = growth(fixture_db, filter_params(), cumulative=True)
    assert cum[cols].values.tolist() == [[2021, 3, 2, 1], [2022, 5, 4, 1], [2023, 9, 8, 2]]
    assert cum["largest_share"].tolist() == pytest.approx([1, 1, 7 / 9])
    assert cum["cross_share"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    alone = growth(fixture_db, filter_params(), cumulative=False)
    assert alone[cols].values.tolist() == [[2021, 3, 2, 1], [2022, 3, 2, 1], [2023, 7, 4, 3]]
    assert alone["largest_share"].tolist() == pytest.approx([1, 1, 3 / 7])
    # the view's network at the range's end has the pairs, each with its first year: no query
    class NoQueries:
        def query(self, name, **params):
            raise AssertionError(f"{name} queried")
    at_end = load_network(fixture_db, filter_params(), NetworkView(year=2023))
    assert growth(NoQueries(), filter_params(), True, at_end).equals(cum)
    earlier = load_network(fixture_db, filter_params(), NetworkView(year=2022))   # does not serve
    assert growth(fixture_db, filter_params(), True, earlier).equals(cum)
    empty = growth(fixture_db, filter_params(cities=[]), cumulative=True)
    assert empty[cols].values.tolist() == [[2021, 0, 0, 0], [2022, 0, 0, 0], [2023, 0, 0, 0]]



@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(2020, 2024), st.integers(0, 11), st.integers(0, 11), st.booleans()),
                max_size=40), st.booleans())
def test_growth_agrees_with_networkx_year_by_year(pairs, cumulative):
    """The components joined a year at a time are networkx's on each year's whole network."""
    pairs = [(y, min(a, b), max(a, b), c) for y, a, b, c in pairs if a != b]
    if cumulative:   # the first year of each pair, as network/pair_first_years gives it
        first = {}
        for y, a, b, c in sorted(pairs):
            first.setdefault((a, b), (y, a, b, c))
        pairs = list(first.values())
    else:            # each year's pairs distinct, as network/pair_years gives them
        pairs = list({(y, a, b): (y, a, b, c) for y, a, b, c in pairs}.values())
    cols = [np.array([p[i] for p in pairs], dtype=dtype) for i, dtype in enumerate((int, int, int, bool))]
    got = growth_table(*cols, range(2020, 2025), cumulative)
    for row in got.itertuples():
        g = nx.Graph([(a, b) for y, a, b, _ in pairs if (y <= row.year if cumulative else y == row.year)])
        sizes = [len(c) for c in nx.connected_components(g)]
        assert (row.nodes, row.edges, row.components) == (g.number_of_nodes(), g.number_of_edges(), len(sizes))
        assert row.largest_share == pytest.approx(max(sizes) / len(g) if sizes else 0.0)


def ids_of(db, rows):
    """The pairs of a growth or pairs query as institution ids, sorted (the queries are unordered)."""
    ids = db.query("network/institutions", **filter_params(cities=BOTH_CITIES))["id"].tolist()
    out = rows.assign(a=[ids[a] for a in rows["a"]], b=[ids[b] for b in rows["b"]])
    return sorted(out.values.tolist())


def with_cross(db, rows):
    """rows with cross_city from their institutions' cities, as growth and load_network add it."""
    everyone = db.query("network/institutions", **filter_params(cities=BOTH_CITIES))
    return rows.assign(cross_city=cross_city(everyone, rows["a"].to_numpy(), rows["b"].to_numpy()))


def test_pair_years_query(fixture_db):
    rows = fixture_db.query("network/pair_years", **filter_params(year_from=2022, year_to=2022))
    assert ids_of(fixture_db, with_cross(fixture_db, rows[["year", "a", "b"]])) == [
        [2022, "fb-2", "fs-3", True], [2022, "fb-3", "fs-3", False]]


def test_pair_first_years_query(fixture_db):
    rows = fixture_db.query("network/pair_first_years", **filter_params(kinds=["base_base"]))
    assert ids_of(fixture_db, with_cross(fixture_db, rows[["year", "a", "b"]])) == [
        [2021, "fb-1", "fb-3", True], [2023, "fb-2", "fb-4", True]]


def test_the_view_queries_and_their_numbering(fixture_db, monkeypatch):
    """network/institutions numbers every institution by id; network/pairs gives those numbers;
    load_network renumbers the nodes of 2022 alone 0..2 and lists the selected others."""
    everyone = fixture_db.query("network/institutions", **filter_params(cities=["Chengdu"]))
    assert everyone["ix"].tolist() == list(range(11))
    assert everyone["id"].tolist() == sorted(everyone["id"])
    assert everyone.loc[everyone["selected"], "city"].unique().tolist() == ["Chengdu"]
    p = filter_params(year_from=2022, year_to=2022)
    assert ids_of(fixture_db, fixture_db.query("network/pairs", **p)) == [
        ["fb-2", "fs-3", 1, 0, 2022], ["fb-3", "fs-3", 1, 0, 2022]]
    monkeypatch.setattr("analysis.network.data.ISOLATED_LIMIT", 3)
    data = load_network(fixture_db, p, NetworkView(year=2022))
    assert data.nodes[["ix", "id", "geo_precision"]].values.tolist() == [
        [0, "fb-2", "exact"], [1, "fb-3", "exact"], [2, "fs-3", "exact"]]
    # fb-2 is in Chengdu, fb-3 and fs-3 in Chongqing
    assert sorted(data.pairs[["a", "b", "agreements", "cross_city"]].values.tolist()) == [
        [0, 2, 1, True], [1, 2, 1, False]]
    assert data.isolated["id"].tolist() == ["fb-1", "fb-5", "fs-1"] and data.isolated_total == 8


@pytest.fixture(scope="module")
def shipped_network():
    data = load_network(Database(load(SHIPPED_DIR)[0]), filter_params(year_to=2025), NetworkView(year=2025))
    return data, M.compute(data)


def test_betweenness_equals_networkx_on_the_shipped_network(shipped_network):
    """igraph's searches give networkx's exact betweenness and (doubled) subset betweenness."""
    data, m = shipped_network
    graph = nx.Graph()
    graph.add_nodes_from(range(len(data.nodes)))
    graph.add_edges_from(zip(data.pairs["a"].tolist(), data.pairs["b"].tolist()))
    exact = nx.betweenness_centrality(graph, normalized=True)
    assert m.nodes["betweenness"].tolist() == pytest.approx([exact[i] for i in range(len(graph))], abs=1e-12)
    city = data.nodes["city"].tolist()
    cross = nx.betweenness_centrality_subset(graph, [v for v in graph if city[v] == "Chengdu"],
                                             [v for v in graph if city[v] == "Chongqing"], normalized=False)
    assert m.nodes["cross_betweenness"].tolist() == pytest.approx([2 * cross[i] for i in range(len(graph))], abs=1e-9)
    assert m.nodes["cross_betweenness"].max() > 1 and m.summary["analysed_nodes"] == len(graph)


@pytest.mark.parametrize("seed", [None, 3, 4])
def test_the_bridges_are_networkx_bridges(shipped_network, seed):
    """igraph finds the bridges (in C); every bridge listed is one networkx finds, and every
    networkx bridge that cuts a Chengdu–Chongqing pair is listed. Seeds: a sparse random
    network (a tree and a few more pairs: many bridges) instead of the shipped one."""
    data, m = shipped_network
    if seed is not None:
        rng = np.random.default_rng(seed)
        n = len(data.nodes)
        a = np.arange(1, n)
        b = rng.integers(0, a)                      # a random tree: every pair a bridge
        extra = rng.integers(0, n, size=(n // 10, 2))
        extra = extra[extra[:, 0] != extra[:, 1]]
        pairs = pd.DataFrame(np.vstack([np.column_stack([b, a]), np.sort(extra, axis=1)]), columns=["a", "b"])
        pairs = pairs.drop_duplicates().reset_index(drop=True)
        city = data.nodes["city"].to_numpy()
        pairs = pairs.assign(agreements=1, illustrative_agreements=0, first_year=2025,
                             cross_city=city[pairs["a"]] != city[pairs["b"]])
        data = replace(data, pairs=pairs)
        m = M.compute(data)
        assert m.summary["analysed_nodes"] == len(data.nodes)   # bridges of the whole graph
    graph = nx.Graph(zip(data.pairs["a"].tolist(), data.pairs["b"].tolist()))
    expected = {tuple(sorted(e)) for e in nx.bridges(graph)}
    listed = set(zip(m.bridges["a"].tolist(), m.bridges["b"].tolist()))
    assert listed <= expected and (m.bridges["separated_pairs"] > 0).all()
    city = data.nodes["city"].tolist()
    cutting = set()
    for u, v in expected:   # a bridge cuts a Chengdu–Chongqing pair when both sides hold those cities
        rest = graph.copy()
        rest.remove_edge(u, v)
        side = nx.node_connected_component(rest, u)
        other = nx.node_connected_component(rest, v)
        has = lambda part, c: any(city[x] == c for x in part)  # noqa: E731
        if (has(side, "Chengdu") and has(other, "Chongqing")) or (has(side, "Chongqing") and has(other, "Chengdu")):
            cutting.add((u, v))
    assert listed == cutting and (seed is None or len(listed) > 10)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_order_of_the_pairs_changes_nothing(shipped_network, seed):
    """network/pairs is unordered: shuffled pairs give the same measures, communities, bridges,
    neighbourhood and export files (the shipped network: 401 nodes, Louvain sensitive to order)."""
    data, first = shipped_network
    shuffled = replace(data, pairs=data.pairs.sample(frac=1, random_state=seed).reset_index(drop=True))
    again = M.compute(shuffled)
    pd.testing.assert_frame_equal(first.nodes, again.nodes)
    pd.testing.assert_frame_equal(first.bridges, again.bridges)
    params = filter_params(year_to=2025)
    assert export.gexf_bytes(export.build_graph(data, first, params)) == \
        export.gexf_bytes(export.build_graph(shuffled, again, params))
    assert export.vosviewer_files(first, data.pairs, "zh") == export.vosviewer_files(again, shuffled.pairs, "zh")
    hub = int(first.nodes.sort_values("degree").iloc[-1]["ix"])
    for one, two in zip(M.neighbourhood(first.nodes, data.pairs, hub), M.neighbourhood(again.nodes, shuffled.pairs, hub)):
        assert one == two if isinstance(one, int) else one.equals(two)


@pytest.mark.parametrize("seed", [5, 6])
def test_busiest_order_is_the_sorted_frame(seed):
    """busiest_order sorts the key columns alone, as sorting the whole frame would (ties on
    every key broken by ix)."""
    rng = np.random.default_rng(seed)
    n = 2000
    nodes = pd.DataFrame({"ix": rng.permutation(n), "degree": rng.integers(0, 5, n),
                          "weighted_degree": rng.integers(0, 8, n), "name_zh": [f"机构{i}" for i in range(n)]})
    for keys in (("weighted_degree", "degree"), ("degree",)):
        expected = nodes.sort_values([*keys, "ix"], ascending=[*(False for _ in keys), True], kind="stable")
        assert nodes.iloc[M.busiest_order(nodes, keys)]["ix"].tolist() == expected["ix"].tolist()
        assert M.busiest(nodes, keys, 7).equals(expected.head(7))
