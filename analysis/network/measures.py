"""Network measures (pinned libraries; the README says why each).

Exact for the whole network, whatever its size (vectorised over the integer pairs):
degree, weighted degree (agreements), cross-city degree, connected components (scipy),
density, the share of cross-city edges.

On the analysed network: betweenness and cross-city betweenness (shortest paths between a
Chengdu and a Chongqing institution only), exact, and Louvain communities (fixed seed), with
igraph (C: on the shipped network a search from every node takes ~7 ms, networkx took ~300 ms;
Louvain ~1 ms, networkx's ~20 ms); the bridges with networkx. The analysed network is the
whole network while it has at most ANALYSIS_LIMIT institutions and ANALYSIS_EDGE_LIMIT pairs,
else the busiest institutions (most agreements) and the pairs among them, as many as fit both
limits (the bridges are pure Python). Paths count steps (hops); agreement counts are
strengths, not distances.
"""
from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from analysis.core.schema import MAIN_CITIES
from analysis.network.data import NetworkData

ANALYSIS_LIMIT = 1000
ANALYSIS_EDGE_LIMIT = 3000
SEED = 20231214
_IGRAPH_RANDOM = threading.Lock()


@contextmanager
def seeded_igraph() -> Iterator[None]:
    """igraph draws from one process-wide random generator: seeded for each use, under a lock,
    so the same network always gets the same communities and drawing whichever session asks."""
    with _IGRAPH_RANDOM:
        ig.set_random_number_generator(random.Random(SEED))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


@dataclass(frozen=True)
class Measures:
    nodes: pd.DataFrame    # data.nodes + degree, weighted_degree, cross_degree, component,
    #                        analysed, betweenness, cross_betweenness, community
    bridges: pd.DataFrame  # a, b, agreements, cross_city, separated_pairs (Chengdu–Chongqing
    #                        institution pairs cut apart by removing this edge)
    summary: dict


def joined(label: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each node's group once the pairs (a, b) join the groups it is in already: `label` holds a
    node number per node, the same within a group. Its cost is that of the pairs that join two
    groups and one pass over the nodes, so a network growing year by year is joined one year's
    pairs at a time."""
    ga, gb = label[a], label[b]
    across = ga != gb      # a pair within one group changes nothing
    if not across.any():
        return label
    n = len(label)
    adj = coo_array((np.ones(int(across.sum()), dtype=np.int8), (ga[across], gb[across])), shape=(n, n))
    return connected_components(adj, directed=False)[1][label]


COMPONENT_CHUNK = 1 << 20   # pairs joined at a time


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component number of each of n nodes: 1 = largest, ties by smallest node number. The pairs
    are joined a chunk at a time: once a chunk has joined most nodes into few groups, the later
    pairs mostly fall within one and are dropped before scipy sees them (10M pairs: 1.8 s at once)."""
    label = np.arange(n)
    for start in range(0, len(a), COMPONENT_CHUNK):
        label = joined(label, a[start:start + COMPONENT_CHUNK], b[start:start + COMPONENT_CHUNK])
    return _by_size(label) if n else np.zeros(0, dtype=np.int64)


def _by_size(label: np.ndarray) -> np.ndarray:
    """Groups (components, communities) renumbered 1.. by size, ties by their smallest member."""
    sizes = np.bincount(label)
    first = np.unique(label, return_index=True)[1]   # each group's smallest member
    rank = np.empty(len(sizes), dtype=np.int64)
    rank[np.lexsort((first, -sizes))] = np.arange(1, len(sizes) + 1)
    return rank[label]


def compute(data: NetworkData) -> Measures:
    nodes, pairs = data.nodes.copy(), data.pairs
    n, m = len(nodes), len(pairs)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()   # int32 (data.numbered): no copy
    w = pairs["agreements"].to_numpy(np.int64)
    cross = pairs["cross_city"].to_numpy(bool)
    nodes["degree"] = _count(n, a, b)
    nodes["weighted_degree"] = _count(n, a, b, w)
    nodes["cross_degree"] = _count(n, a[cross], b[cross])
    comp = components(n, a, b)
    nodes["component"] = comp

    keep = _analysed(nodes, a, b)
    nodes["analysed"] = keep
    inside = np.flatnonzero(keep[a] & keep[b]) if m else np.zeros(0, np.int64)
    inside = inside[np.lexsort((b[inside], a[inside]))]   # Louvain's result follows edge order
    kept = np.flatnonzero(keep)
    graph = nx.Graph()
    graph.add_nodes_from(kept.tolist())
    graph.add_weighted_edges_from(zip(a[inside].tolist(), b[inside].tolist(), w[inside].tolist()))
    city = nodes["city"].tolist()
    local = np.full(n, -1, dtype=np.int64)     # igraph numbers the analysed nodes 0..k-1
    local[kept] = np.arange(len(kept))
    paths = ig.Graph(n=len(kept), edges=np.column_stack([local[a[inside]], local[b[inside]]]).tolist(),
                     edge_attrs={"weight": w[inside].tolist()})   # for Louvain; paths count hops
    kept_city = np.asarray(city, dtype=object)[kept]
    nodes["betweenness"] = _on_nodes(n, kept, _betweenness(paths))
    nodes["cross_betweenness"] = _on_nodes(n, kept, _cross_betweenness(paths, kept_city))
    community, modularity = community_partition(paths)
    nodes["community"] = pd.array(_on_nodes(n, kept, community), dtype="Int64")   # <NA>: not analysed
    # igraph finds the bridges in C (networkx's chain decomposition took most of this step)
    found = sorted(tuple(sorted((int(kept[e.source]), int(kept[e.target])))) for e in paths.es[paths.bridges()])
    bridges = _bridges(graph, city, found)

    sizes = np.bincount(comp) if n else np.zeros(1, dtype=np.int64)
    summary = {
        "nodes": n, "edges": m, "agreements": int(w.sum()), "isolated": data.isolated_total,
        "density": 2 * m / (n * (n - 1)) if n > 1 else 0.0,
        "components": int(comp.max()) if n else 0,
        "largest_share": float(sizes.max() / n) if n else 0.0,
        "cross_share": float(cross.mean()) if m else 0.0,
        "communities": len(set(community.tolist())),
        "modularity": modularity,
        "analysed_nodes": graph.number_of_nodes(), "analysed_edges": graph.number_of_edges(),
    }
    return Measures(nodes=nodes, bridges=bridges, summary=summary)


def _count(n: int, a: np.ndarray, b: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    # bincount weighs in float64: converted once here, not once per call (3x its cost at 10M)
    wa = None if weights is None else weights.astype(np.float64)
    return (np.bincount(a, wa, minlength=n) + np.bincount(b, wa, minlength=n)).astype(np.int64)


def _analysed(nodes: pd.DataFrame, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every node, or the busiest (agreements, then partners, then id): the most of them
    with at most ANALYSIS_LIMIT nodes and ANALYSIS_EDGE_LIMIT pairs among them."""
    n = len(nodes)
    if n <= ANALYSIS_LIMIT and len(a) <= ANALYSIS_EDGE_LIMIT:
        return np.ones(n, dtype=bool)
    order = nodes["ix"].to_numpy()[busiest_order(nodes, ("weighted_degree", "degree"))]
    rank = np.empty(n, dtype=np.int32)   # int32: a table half the size, gathered 2 x 10M times
    rank[order] = np.arange(n)
    # the top k nodes hold the pairs whose lower-ranked end is ranked below k (k <= ANALYSIS_LIMIT)
    lower = np.maximum(rank[a], rank[b])
    pairs_within = np.cumsum(np.bincount(lower[lower < ANALYSIS_LIMIT], minlength=ANALYSIS_LIMIT))
    k = min(ANALYSIS_LIMIT, int(np.searchsorted(pairs_within, ANALYSIS_EDGE_LIMIT, side="right")))
    keep = np.zeros(n, dtype=bool)
    keep[order[:k]] = True
    return keep


def busiest_order(nodes: pd.DataFrame, keys: tuple[str, ...]) -> np.ndarray:
    """Row positions of `nodes` by `keys` (numbers), each descending, then by ix: the busiest
    first. Sorts the key columns alone: sorting the frame moves every column (its ten text
    columns made that six times slower at 25,000 nodes)."""
    return np.lexsort([nodes["ix"].to_numpy(), *(-nodes[k].to_numpy() for k in reversed(keys))])


def busiest(nodes: pd.DataFrame, keys: tuple[str, ...], limit: int) -> pd.DataFrame:
    """The first `limit` rows of busiest_order."""
    return nodes.iloc[busiest_order(nodes, keys)[:limit]]


def _on_nodes(n: int, kept: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Values of the analysed nodes on all n nodes (NaN: not analysed)."""
    out = np.full(n, np.nan)
    out[kept] = values
    return out


def _betweenness(paths: ig.Graph) -> np.ndarray:
    """Normalised betweenness (share of the other node pairs whose shortest paths pass here)."""
    k = paths.vcount()
    raw = np.asarray(paths.betweenness(directed=False), dtype=float)
    return raw * 2 / ((k - 1) * (k - 2)) if k > 2 else raw


def _cross_betweenness(paths: ig.Graph, city: np.ndarray) -> np.ndarray:
    """Chengdu–Chongqing institution pairs whose shortest paths pass through each node (shared
    equally among equally short paths)."""
    one, other = MAIN_CITIES
    sources, targets = np.flatnonzero(city == one).tolist(), np.flatnonzero(city == other).tolist()
    if not sources or not targets:
        return np.zeros(paths.vcount())
    # igraph halves subset betweenness on undirected graphs (each pair seen from both ends
    # when sources == targets); ours are disjoint, so each pair is seen once: undo it.
    return 2 * np.asarray(paths.betweenness(directed=False, sources=sources, targets=targets), dtype=float)


def community_partition(paths: ig.Graph) -> tuple[np.ndarray, float]:
    """Louvain communities of the analysed nodes (weight = agreements, fixed seed), numbered 1..
    by size, ties by their smallest node number, so the same network always gets the same
    numbers; and the partition's modularity."""
    if paths.ecount() == 0:
        return np.arange(1, paths.vcount() + 1), 0.0
    with seeded_igraph():
        found = paths.community_multilevel(weights="weight")
    return _by_size(np.asarray(found.membership)), float(found.modularity)


def _bridges(graph: nx.Graph, city: list[str], found: list[tuple[int, int]]) -> pd.DataFrame:
    """Of the graph's bridges (`found`, each (a, b) with a < b), those whose removal splits a
    component that holds both cities, with the number of Chengdu–Chongqing institution pairs
    they cut apart (the bridge tree's subtree counts)."""
    cols = ["a", "b", "agreements", "cross_city", "separated_pairs"]
    if not found:
        return pd.DataFrame(columns=cols).astype({"a": "int64", "b": "int64", "agreements": "int64",
                                                  "cross_city": bool, "separated_pairs": "int64"})
    rest = graph.copy()
    rest.remove_edges_from(found)
    block = {v: i for i, part in enumerate(nx.connected_components(rest)) for v in part}
    one, other = MAIN_CITIES
    counts: dict[int, np.ndarray] = {}
    for v, i in block.items():
        counts.setdefault(i, np.zeros(2, dtype=np.int64))
        counts[i] += (city[v] == one, city[v] == other)
    tree = nx.Graph()
    tree.add_nodes_from(counts)
    tree.add_edges_from((block[u], block[v], {"edge": (u, v)}) for u, v in found)
    separated = {}
    for part in nx.connected_components(tree):
        root = min(part)
        total = sum(counts[i] for i in part)
        below = {}
        for parent, child in reversed(list(nx.dfs_edges(tree, root))):
            below[child] = counts[child] + sum(below[c] for c in tree[child] if c != parent and c in below)
            s = below[child]
            separated[tree.edges[parent, child]["edge"]] = int(s[0] * (total[1] - s[1]) + s[1] * (total[0] - s[0]))
    out = pd.DataFrame([(u, v, int(graph.edges[u, v]["weight"]), city[u] != city[v], separated[(u, v)])
                        for u, v in found], columns=cols)
    out = out[out["separated_pairs"] > 0]
    return out.sort_values(["separated_pairs", "agreements", "a", "b"],
                           ascending=[False, False, True, True]).reset_index(drop=True)


NEIGHBOURHOOD_LIMIT = 600   # institutions drawn around a selected one


def neighbourhood(nodes: pd.DataFrame, pairs: pd.DataFrame, focus: int
                  ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The focus node, its partners and their partners (`hops` 0, 1, 2), the pairs among
    them, and how many such nodes there are before NEIGHBOURHOOD_LIMIT keeps the closest
    and busiest (all partners first)."""
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    hops = pd.Series(np.nan, index=nodes.index)
    hops[focus] = 0
    frontier = np.array([focus])
    for step in (1, 2):
        touch = np.isin(a, frontier) | np.isin(b, frontier)
        reached = np.unique(np.concatenate([a[touch], b[touch]]))
        new = reached[hops.iloc[reached].isna().to_numpy()]
        hops.iloc[new] = step
        frontier = new
    near = nodes.assign(hops=hops)[hops.notna()]
    total = len(near)
    near = near.sort_values(["hops", "weighted_degree", "ix"], ascending=[True, False, True],
                            kind="stable").head(NEIGHBOURHOOD_LIMIT)
    near = near.assign(hops=near["hops"].astype(int)).sort_values("ix")
    keep = np.zeros(len(nodes), dtype=bool)
    keep[near["ix"].to_numpy()] = True
    return near, pairs[keep[a] & keep[b]].sort_values(["a", "b"]).reset_index(drop=True), total
