"""The network drawing, an institution's neighbourhood and the growth chart, as plotly figures.

Offline by construction: plain Scatter traces (no map tiles, no glyphs); the geographic
layout puts nodes at their longitude/latitude over the shipped district outlines. Colour by
city or by community, size by degree (partners). Institutions known only to city level are
hollow circles, and in the geographic layout sit on a small spiral around the city centre
(their stored point) so they do not hide each other; the legend and the cards say so.

Every trace names its role in `meta` (edges, edge_cards, nodes, districts, key, ...).
"""
from __future__ import annotations

import math

import igraph as ig
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.core import display, geo, i18n
from analysis.core.escape import esc
from analysis.core.style import CROSS_CITY_COLOR, OTHER_COLOR, chart, city_color
from analysis.network.measures import SEED, Measures, busiest_order, seeded_igraph

HEIGHT = 720
EDGE_DRAW_LIMIT = 4000          # pairs drawn, the strongest first
# igraph's Fruchterman–Reingold (C) over all node pairs, each round: 100 rounds take ~40 ms at
# 400 nodes here (networkx's spring layout took ~190 ms for 30); more drew no better picture
FORCE_LIMIT = 500
LAYOUT_ROUNDS = 100
GEO_LIMIT = 2000
WITHIN_COLOR = "#9a9a9a"
# (lowest agreement count, width) per line class
EDGE_CLASSES = ((1, 1.0), (2, 2.0), (5, 3.6))
COMMUNITY_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                    "#F0E442", "#000000", "#882255", "#44AA99")
SPIRAL_STEP = 0.012              # degrees between city-level nodes around the city centre
DISTRICT_LINE = "#cfcfcf"


def drawn_edges(pairs: pd.DataFrame, nodes: pd.DataFrame, limit: int = EDGE_DRAW_LIMIT) -> pd.DataFrame:
    """The pairs between drawn nodes, the strongest `limit` of them."""
    keep = np.zeros(int(pairs[["a", "b"]].to_numpy().max(initial=-1)) + 1, dtype=bool)
    keep[nodes["ix"].to_numpy()[nodes["ix"].to_numpy() < len(keep)]] = True
    inside = pairs[keep[pairs["a"].to_numpy()] & keep[pairs["b"].to_numpy()]] if len(pairs) else pairs
    return inside.sort_values(["agreements", "a", "b"], ascending=[False, True, True],
                              kind="stable").head(limit)


def drawn_nodes(measures: Measures, layout: str) -> pd.DataFrame:
    """The busiest nodes: up to GEO_LIMIT in the geographic layout (placing them costs
    nothing), up to FORCE_LIMIT of the analysed ones in the force layout."""
    nodes = measures.nodes if layout == "geo" else measures.nodes[measures.nodes["analysed"]]
    limit = GEO_LIMIT if layout == "geo" else FORCE_LIMIT
    if len(nodes) > limit:
        nodes = nodes.iloc[np.sort(busiest_order(nodes, ("weighted_degree", "degree"))[:limit])]
    return nodes


def network_figure(measures: Measures, pairs: pd.DataFrame, layout: str, color: str, lang: str,
                   title: str) -> go.Figure:
    """The drawn part of the network (see drawn_nodes) in one layout."""
    nodes = drawn_nodes(measures, layout)
    return _draw(nodes, drawn_edges(pairs, nodes), layout, color, lang, title)[0]


def neighbourhood_figure(near: pd.DataFrame, near_pairs: pd.DataFrame, focus_ix: int, layout: str,
                         color: str, lang: str, title: str) -> go.Figure:
    """One institution (drawn larger, black ring), its partners and their partners."""
    fig, x, y = _draw(near, drawn_edges(near_pairs, near), layout, color, lang, title)
    focus = near[near["ix"] == focus_ix]
    fig.add_trace(go.Scatter(
        x=x[focus.index], y=y[focus.index], mode="markers", hoverinfo="skip", meta="focus",
        name=i18n.t("net.fig.focus_node", lang),
        marker={"size": 34, "color": "rgba(0,0,0,0)", "line": {"width": 3, "color": "#111111"}}))
    return fig


def _draw(nodes: pd.DataFrame, edges: pd.DataFrame, layout: str, color: str, lang: str,
          title: str) -> tuple[go.Figure, pd.Series, pd.Series]:
    """The figure and the node positions it used. The figure and its traces skip plotly's
    validation (most of the drawing's build, even with the traces unvalidated, when a checked
    figure took them): they are built from the types plotly expects, and the browser test
    draws them. So does what a caller adds to it (neighbourhood_figure: a checked trace)."""
    x, y = _positions(nodes, edges, layout)
    traces = []
    if layout == "geo":
        lon, lat = _district_outlines()
        traces.append(go.Scatter(_validate=False, x=lon, y=lat, mode="lines", hoverinfo="skip",
                                 showlegend=False, line={"width": 0.6, "color": DISTRICT_LINE},
                                 meta="districts"))
    traces += [*_edge_traces(nodes, edges, x, y, lang), *_node_traces(nodes, x, y, color, lang)]
    if layout == "geo":
        axes = {"xaxis": {"title": {"text": i18n.t("net.fig.lon", lang)}, "showgrid": False, "zeroline": False},
                # one degree of latitude is longer than one of longitude here (~30° N)
                "yaxis": {"title": {"text": i18n.t("net.fig.lat", lang)}, "showgrid": False, "zeroline": False,
                          "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(30))}}
    else:
        axes = {"xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return chart(traces, {"legend": {"orientation": "h", "y": -0.1, "x": 0, "yanchor": "top"},
                          "margin": {"b": 70}, "hovermode": "closest", **axes}, title, HEIGHT), x, y


def _positions(nodes: pd.DataFrame, edges: pd.DataFrame, layout: str) -> tuple[pd.Series, pd.Series]:
    """x, y per node (indexed like `nodes`): a seeded spring layout, or lon/lat."""
    if layout == "geo":
        lon, lat = nodes["lon"].astype(float).copy(), nodes["lat"].astype(float).copy()
        vague = nodes["geo_precision"].eq("city")
        for _, group in nodes[vague].groupby("city", sort=False):
            k = np.arange(1, len(group) + 1)
            angle = k * math.pi * (3 - math.sqrt(5))          # golden-angle spiral
            lon[group.index] += SPIRAL_STEP * np.sqrt(k) * np.cos(angle)
            lat[group.index] += SPIRAL_STEP * np.sqrt(k) * np.sin(angle)
        return lon, lat
    row = pd.Series(np.arange(len(nodes)), index=nodes["ix"].to_numpy())
    graph = ig.Graph(n=len(nodes), edges=np.column_stack([row[edges["a"]], row[edges["b"]]]).tolist(),
                     edge_attrs={"weight": edges["agreements"].tolist()})
    xy = _packed_spring(graph)
    return pd.Series(xy[:, 0], index=nodes.index), pd.Series(xy[:, 1], index=nodes.index)


def _packed_spring(graph: ig.Graph) -> np.ndarray:
    """A seeded spring layout per component (x, y per vertex): the largest fills the square
    [-1, 1]², the others, scaled by their size, sit in a column to its right (one layout of
    everything would push the small ones to the edges and squeeze the main one into a corner)."""
    graph.vs["row"] = list(range(graph.vcount()))
    parts = sorted((sorted(c) for c in graph.connected_components()), key=lambda c: (-len(c), c[0]))
    xy, top, column_x, biggest = np.zeros((graph.vcount(), 2)), 1.0, 1.35, len(parts[0]) if parts else 1
    for i, part in enumerate(parts):
        scale = 1.0 if i == 0 else max(0.06, 0.5 * math.sqrt(len(part) / biggest))
        sub = graph.induced_subgraph(part)
        local = np.zeros((len(part), 2))
        if len(part) > 1:   # from seeded random starts, centred and scaled as networkx's layouts
            start = np.random.default_rng(SEED).random((len(part), 2)).tolist()
            with seeded_igraph():
                local = np.asarray(sub.layout_fruchterman_reingold(
                    weights="weight", niter=LAYOUT_ROUNDS, seed=start).coords)
            local -= local.mean(axis=0)
            local *= scale / max(float(np.abs(local).max()), 1e-12)
        if i > 0:
            if top - 2 * scale < -1:          # column full: start the next one
                top, column_x = 1.0, column_x + 0.35
            local += (column_x, top - scale)
            top -= 2 * scale + 0.05
        xy[sub.vs["row"]] = local
    return xy


def _district_outlines() -> tuple[np.ndarray, np.ndarray]:
    lon, lat = [], []
    for feature in geo.districts_geojson()["features"]:
        g = feature["geometry"]
        for polygon in g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]:
            ring = np.asarray(polygon[0], dtype=np.float32)
            lon += [*ring[:, 0], np.nan]
            lat += [*ring[:, 1], np.nan]
    return np.asarray(lon, dtype=np.float32), np.asarray(lat, dtype=np.float32)


def _edge_traces(nodes: pd.DataFrame, edges: pd.DataFrame, x: pd.Series, y: pd.Series, lang: str):
    """Lines per (within/cross-city, width class), then one invisible marker per edge with its
    card. Over plain arrays: x, y are indexed like nodes, edges name nodes by ix."""
    row = pd.Index(nodes["ix"]).get_indexer   # ix -> the node's row
    ia, ib = row(edges["a"]), row(edges["b"])
    xa, xb, ya, yb = x.to_numpy()[ia], x.to_numpy()[ib], y.to_numpy()[ia], y.to_numpy()[ib]
    cross, count = edges["cross_city"].to_numpy(bool), edges["agreements"].to_numpy()
    bounds = [c[0] for c in EDGE_CLASSES[1:]] + [math.inf]
    for is_cross in (False, True):
        label = i18n.t("net.fig.cross_city" if is_cross else "net.fig.within_city", lang)
        in_legend = True      # one legend entry per colour, on its first drawn class
        for (low, width), high in zip(EDGE_CLASSES, bounds):
            part = (cross == is_cross) & (count >= low) & (count < high)
            if not part.any():
                continue
            gap = np.full(int(part.sum()), np.nan)
            xs = np.column_stack([xa[part], xb[part], gap]).ravel()
            ys = np.column_stack([ya[part], yb[part], gap]).ravel()
            fig_line = {"width": width, "color": CROSS_CITY_COLOR if is_cross else WITHIN_COLOR}
            yield go.Scatter(_validate=False, x=xs.astype(np.float32), y=ys.astype(np.float32),
                             mode="lines", line=fig_line, opacity=0.8 if is_cross else 0.55, hoverinfo="skip",
                             name=label, legendgroup=label, showlegend=in_legend, meta="edges")
            in_legend = False
    if edges.empty:
        return
    names = dict(zip(nodes["ix"], display.names(nodes, lang)))
    cards = [f"{i18n.t('net.hover.pair', lang, a=esc(names[a]), b=esc(names[b]))}<br>"
             f"{i18n.t('net.hover.agreements', lang, n=i18n.fmt_int(n, lang))}"
             for a, b, n in zip(edges["a"], edges["b"], edges["agreements"])]
    yield go.Scatter(_validate=False,
                     x=((xa + xb) / 2).astype(np.float32), y=((ya + yb) / 2).astype(np.float32),
                     mode="markers", marker={"size": 6, "opacity": 0}, showlegend=False,
                     text=cards, hovertemplate="%{text}<extra></extra>", meta="edge_cards")


def _groups(nodes: pd.DataFrame, color: str, lang: str) -> list[tuple[str, str, np.ndarray]]:
    """(legend name, colour, a mask over the nodes) per colour group."""
    if color == "community":
        comm = nodes["community"].fillna(0).astype(int).to_numpy()
        out = [(i18n.t("net.fig.community", lang, n=c), COMMUNITY_COLORS[c - 1], comm == c)
               for c in sorted(set(comm) - {0}) if c <= len(COMMUNITY_COLORS)]
        rest = (comm == 0) | (comm > len(COMMUNITY_COLORS))
        return out + ([(i18n.t("net.fig.other_communities", lang), OTHER_COLOR, rest)] if rest.any() else [])
    city = nodes["city"].to_numpy(object)
    return [(i18n.label("city", c, lang), city_color(c), city == c)
            for c in sorted(nodes["city"].dropna().unique())]


def _node_traces(nodes: pd.DataFrame, x: pd.Series, y: pd.Series, color: str, lang: str):
    """One trace per colour group. Everything a node shows is made once, over plain arrays, and
    each group takes its rows (a frame per group was most of a drawing with many communities)."""
    top = max(int(nodes["degree"].max()) if len(nodes) else 1, 1)
    vague = nodes["geo_precision"].eq("city").to_numpy()
    size = (7 + 21 * np.sqrt(nodes["degree"].to_numpy() / top)).round(1)
    xs, ys = x.to_numpy(np.float32), y.to_numpy(np.float32)   # x, y are indexed like nodes
    cards = [[r.id, _card(r, lang)] for r in display.rows(nodes)]
    for name, colour, mask in _groups(nodes, color, lang):
        # located nodes first: the legend shows a trace's first point (a filled disk)
        rows = np.flatnonzero(mask)
        rows = rows[np.argsort(vague[rows], kind="stable")]
        yield go.Scatter(_validate=False, x=xs[rows], y=ys[rows], mode="markers", name=esc(name), meta="nodes",
            marker={"size": size[rows], "color": colour,
                    "symbol": np.where(vague[rows], "circle-open", "circle").tolist(),
                    "line": {"width": np.where(vague[rows], 2.2, 0.6).tolist(), "color": "#ffffff"},
                    "opacity": 0.92},
            customdata=[cards[i] for i in rows], hovertemplate="%{customdata[1]}<extra></extra>")
    if vague.any():
        yield go.Scatter(_validate=False, x=[None], y=[None], mode="markers", meta="key",
                         name=f"○ {i18n.t('net.fig.city_level', lang)}",
                         marker={"size": 12, "symbol": "circle-open", "color": "#333333",
                                 "line": {"width": 2}})


def _card(r, lang: str) -> str:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    group = "category" if r.type == "base" else "stage"
    district = i18n.name(r.district_zh, r.district_en, lang)
    lines = [f"<b>{esc(i18n.name(r.name_zh, r.name_en, lang))}</b>",
             f"{esc(t(f'net.hover.{r.type}'))} · {esc(i18n.label(group, r.subtype, lang))}",
             " · ".join(esc(v) for v in (i18n.label("city", r.city, lang), district) if v),
             f"{t('net.hover.partners', n=i18n.fmt_int(r.degree, lang))} · "
             f"{t('net.hover.agreements', n=i18n.fmt_int(r.weighted_degree, lang))}",
             t("net.hover.cross_partners", n=i18n.fmt_int(r.cross_degree, lang))]
    if not pd.isna(r.betweenness):
        lines.append(t("net.hover.betweenness", x=i18n.fmt_num(r.betweenness, lang, 3)))
        lines.append(t("net.hover.cross_betweenness", x=i18n.fmt_num(r.cross_betweenness, lang, 1)))
    if not pd.isna(r.community):
        lines.append(t("net.hover.community", n=int(r.community)))
    if getattr(r, "hops", None) is not None and not pd.isna(r.hops):
        lines.append(t("net.hover.hops", n=int(r.hops)))
    if r.geo_precision in ("city", "district"):
        lines.append(f"<i>{t(f'net.hover.{r.geo_precision}_level')}</i>")
    if r.illustrative:
        lines.append(f"<i>{t('net.hover.illustrative')}</i>")
    return "<br>".join(lines)


def growth_figure(rows: pd.DataFrame, cumulative: bool, lang: str) -> go.Figure:
    """Counts on the left axis, shares on the right, one line each, every year on the axis."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [{"type": "scatter", "x": rows["year"].to_numpy(), "y": rows[col].to_numpy(), "mode": "lines+markers",
              "name": t(f"net.series.{col}"), "meta": col, "xaxis": "x", "yaxis": yaxis,
              "line": {"color": colour, "width": 3, **({"dash": "dash"} if yaxis == "y2" else {})}}
             for col, colour, yaxis in (("nodes", "#0072B2", "y"), ("edges", "#009E73", "y"),
                                        ("components", "#E69F00", "y"), ("largest_share", "#555555", "y2"),
                                        ("cross_share", CROSS_CITY_COLOR, "y2"))]
    period = t(f"net.period_name.{'cumulative' if cumulative else 'per_year'}")
    # counts on the left axis, shares on a second one over it, on the right
    return chart(lines, {"xaxis": {"anchor": "y", "domain": [0.0, 0.94], "title": {"text": t("col.year")},
                                   "dtick": 1, "tickformat": "d"},
                         "yaxis": {"anchor": "x", "domain": [0.0, 1.0], "title": {"text": t("net.fig.counts_axis")},
                                   "rangemode": "tozero"},
                         "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right",
                                    "title": {"text": t("net.fig.share_axis")}, "range": [0, 1.05],
                                    "tickformat": ".0%", "tick0": 0, "dtick": 0.25, "showgrid": False}},
                 t("net.fig.growth_title", period=period), height=440)
