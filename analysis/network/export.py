"""The network as files for other tools: GEXF and GraphML (Gephi, Cytoscape, yEd…) written by
networkx, and VOSviewer's map + network files (tab-separated text).

The whole network of the view (every institution with an agreement, every pair), not only
what the page draws. Node ids are the institutions' ids (VOSviewer wants integers 1..n: there
the institution id is in the description). Node attributes: names in both languages, type,
kind, city, district, location precision, illustrative, the measures; measures computed on
the analysed part only (betweenness, community) are absent on the other nodes. Edge
attributes: agreements (also as `weight`), illustrative agreements, cross-city.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pandas as pd

from analysis.core import i18n
from analysis.core.atomic import write_atomic
from analysis.core.escape import esc
from analysis.core.export import neutralise
from analysis.network.data import NetworkData
from analysis.network.measures import Measures

PAGE_EDGE_LIMIT = 100_000   # above, the page points to the command line (files of 100+ MB)
FILES = ("network.gexf", "network.graphml", "vosviewer_map.txt", "vosviewer_network.txt")
_TEXT = ("name_zh", "name_en", "type", "subtype", "city", "district_code", "district_zh",
         "district_en", "geo_precision")
_COUNTS = ("degree", "weighted_degree", "cross_degree", "component")
_PARTIAL = ("betweenness", "cross_betweenness", "community")


def build_graph(data: NetworkData, measures: Measures, filters: dict) -> nx.Graph:
    """The network with institution ids as node ids; graph attributes say what it holds."""
    graph = nx.Graph(span=f"{data.span[0]}-{data.span[1]}",
                     cities=",".join(filters["cities"]), kinds=",".join(filters["kinds"]),
                     illustrative_agreements=data.illustrative_agreements,
                     note="provenance: records with illustrative=true are made up (demonstration data)")
    nodes = measures.nodes
    ids = nodes["id"].tolist()
    for r in nodes.to_dict("records"):
        attrs = {k: ("" if pd.isna(r[k]) else str(r[k])) for k in _TEXT}
        attrs.update({k: int(r[k]) for k in _COUNTS})
        attrs.update({"lon": float(r["lon"]), "lat": float(r["lat"]),
                      "illustrative": bool(r["illustrative"])})
        attrs.update({k: (int(r[k]) if k == "community" else float(r[k]))
                      for k in _PARTIAL if not pd.isna(r[k])})
        graph.add_node(r["id"], **attrs)
    edges = data.pairs.sort_values(["a", "b"])   # the same file for the same data
    for a, b, n, ill, cross in edges[["a", "b", "agreements", "illustrative_agreements",
                                      "cross_city"]].itertuples(index=False, name=None):
        graph.add_edge(ids[a], ids[b], weight=int(n), agreements=int(n),
                       illustrative_agreements=int(ill), cross_city=bool(cross))
    return graph


def gexf_bytes(graph: nx.Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(graph, buf)
    return buf.getvalue()


def graphml_bytes(graph: nx.Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(graph, buf)
    return buf.getvalue()


def vosviewer_files(measures: Measures, pairs: pd.DataFrame, lang: str) -> tuple[bytes, bytes]:
    """(map file, network file). Items are numbered 1..n in node order; the map file gives
    each its label (name), description (id, city, illustrative) and cluster (community)."""
    nodes = measures.nodes
    map_buf = io.StringIO()
    writer = csv.writer(map_buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["id", "label", "description", "cluster", "weight<Links>",
                     "weight<Total link strength>", "score<Betweenness>"])
    for i, r in enumerate(nodes.itertuples(), start=1):
        note = f"{r.id} · {i18n.label('city', r.city, lang)}"
        if r.illustrative:
            note += f" · {i18n.t('net.hover.illustrative', lang)}"
        # text cells formula-safe too: these files are also opened in spreadsheets
        writer.writerow([i, neutralise(_one_line(i18n.name(r.name_zh, r.name_en, lang))), neutralise(esc(note)),
                         "" if pd.isna(r.community) else int(r.community), int(r.degree),
                         int(r.weighted_degree), "" if pd.isna(r.betweenness) else f"{r.betweenness:.6f}"])
    net_buf = io.StringIO()
    for a, b, n in pairs.sort_values(["a", "b"])[["a", "b", "agreements"]].itertuples(index=False, name=None):
        net_buf.write(f"{a + 1}\t{b + 1}\t{n}\n")
    return map_buf.getvalue().encode("utf-8"), net_buf.getvalue().encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_all(out_dir: Path, data: NetworkData, measures: Measures, filters: dict,
              lang: str) -> list[Path]:
    """Write the four files (each atomically) into out_dir; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = build_graph(data, measures, filters)
    vos_map, vos_net = vosviewer_files(measures, data.pairs, lang)
    contents = (gexf_bytes(graph), graphml_bytes(graph), vos_map, vos_net)
    paths = [out_dir / name for name in FILES]
    for path, content in zip(paths, contents):
        write_atomic(path, content)
    return paths
