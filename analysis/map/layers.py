"""The map's traces, layer by layer: districts (density and flat colours), agreement arcs
(one per agreement, or summed per district pair) and institution markers. Every trace names
its role in `meta`, so tests and readers of the JSON find it without counting traces.

Marker "symbols" are built from stacked circles: a disk in the city's colour; schools get a
dark centre dot (◉); illustrative records are hollow (a white centre, ○).
"""
from __future__ import annotations

# Traces are built with _validate=False (see cooperation_map): the builders below give plotly
# the types it expects, and its validation was most of the figure's build time.

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.core import geo, i18n
from analysis.core import style as charts
from analysis.core.escape import esc, esc_template
from analysis.core.style import CITY_COLORS, KIND_COLORS
from analysis.map.data import MapData
from analysis.map.labels import (
    agreement_cards,
    district_card,
    feature_names,
    link_fields,
    link_template,
    span_text,
)
from analysis.map.view import parse_selection

DENSITY_SCALE = [[0.0, "#fbfbfb"], [0.25, "#e2e2e2"], [0.6, "#b4b4b4"], [1.0, "#6e6e6e"]]
NO_VALUE_COLOR = "#ece6f2"       # pale lilac: clearly "no figure", not "zero"
OUTSIDE_COLOR = "#f6f6f6"
BORDER_COLOR = "#9e9e9e"
SELECT_COLOR = "#111111"
SCHOOL_DOT = "#1b1b1b"
HOLE_SHARE, DOT_SHARE = 0.52, 0.34
# arcs: (width, opacity) by (cross_city, illustrative) one by one, and by width class when summed
DETAIL_LINE = {(True, False): (3.0, 0.9), (False, False): (1.6, 0.7),
               (True, True): (1.3, 0.45), (False, True): (0.8, 0.35)}
PAIR_WIDTHS = (1.0, 2.2, 3.8, 6.0)
PAIR_OPACITY = {True: 0.85, False: 0.5}


def flat_districts(codes: list[str], color: str, name: str, lang: str, showlegend: bool, role: str,
                   served: str | None = None) -> go.Choroplethmap:
    """Districts drawn in one flat colour (no figure for the metric, or outside the filter).
    served: geo.served_districts() for a figure shown by the app (see geo.trace_shapes)."""
    names = feature_names(geo.districts_geojson())
    hover = [f"<b>{esc(i18n.name(*names.get(c, (c, c)), lang))}</b><br>{esc(name)}" for c in codes]
    return go.Choroplethmap(_validate=False,
        geojson=geo.trace_shapes(codes, served), locations=codes, featureidkey="id",
        z=np.zeros(len(codes), dtype=np.int8), colorscale=[[0, color], [1, color]], showscale=False,
        marker={"opacity": 0.95, "line": {"width": 0.8, "color": BORDER_COLOR}},
        selected={"marker": {"opacity": 0.95}}, unselected={"marker": {"opacity": 0.95}},
        customdata=_table([[f"d:{c}", h] for c, h in zip(codes, hover)]),
        hovertemplate="%{customdata[1]}<extra></extra>", name=name, showlegend=showlegend,
        legendrank=400, meta=role)


def density_frames(data: MapData, codes: list[str], lang: str) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per year of data.years: z and hover cards of these districts (each has a row per year in
    data.metrics). The metrics are read into plain records once: selecting pandas rows year by
    year was most of this."""
    rows = {(r["district_code"], r["year"]): r for r in data.metrics.to_dict("records")}
    out = {}
    for year in data.years:
        span = span_text(data.view, data.years[0], year, lang)
        found = [rows[(code, year)] for code in codes]
        out[year] = (np.array([r[data.view.metric] for r in found], dtype=np.float64),
                     _table([[f"d:{code}", district_card(r, span, lang)] for code, r in zip(codes, found)]))
    return out


def colorbar_ticks(counts: bool, zmax: float) -> dict:
    """Colour bar ticks: whole numbers for counts (every one when there are few)."""
    if not counts:
        return {"tickformat": ",.1f"}
    return {"tickformat": ",d", **({"tick0": 0, "dtick": 1} if zmax <= 6 else {})}


def colorbar_title(view, lang: str) -> str:
    metric = i18n.t(f"map.metric_short.{view.metric}", lang)
    if view.metric == "institutions":
        return metric
    return f"{metric} ({i18n.t(f'map.period_name.{view.period}', lang)})"


@dataclass
class _ArcLayer:
    """The arc traces, how each year's frame changes them (trace dicts), and the traces as the
    map opens on a year (dicts, copies). None of them depends on that year."""
    traces: list
    updates: Callable[[int], list]
    first: Callable[[int], list[dict]]


@dataclass(frozen=True)
class Overlay:
    """What is drawn over the districts for a view.shared() (cooperation_map adds the
    selection, between the arcs and the city-level groups): the arcs (changed by the frames),
    then the city-level groups, the markers and the kinds' legend. It is never modified, and
    cooperation_map hands plotly copies of its traces."""
    arcs: _ArcLayer
    above: list


def overlay(data: MapData, lang: str) -> Overlay:
    arcs = detail_arcs(data, lang) if data.arc_mode == "detail" else pair_arcs(data, lang)
    # the city-level groups under the markers, so every marker stays clickable
    above = [city_level_trace(data, lang)] if len(data.city_level) else []
    return Overlay(arcs, [*above, *marker_traces(data, lang), *kind_legend(data, lang)])


def detail_arcs(data: MapData, lang: str) -> _ArcLayer:
    """One arc per agreement. Each year's arcs and hover markers are their own traces, sent
    once; a frame only switches traces on and off (its year, or every year up to it)."""
    view, a = data.view, data.arcs
    a = a[a["frame"] == data.years[-1]] if view.cumulative else a  # every agreement once
    # masks over plain arrays, cards made once: selecting pandas rows (Arrow strings) per year
    # and style was most of the build
    year_of, kind = a["year"].to_numpy(), a["kind"].to_numpy(object)
    cross, made_up = a["cross_city"].to_numpy(bool), a["illustrative"].to_numpy(bool)
    coords = a[["a_lon", "a_lat", "b_lon", "b_lat"]].to_numpy(dtype=float)
    cards = _table([["", card] for card in agreement_cards(a, lang)])
    traces, years = [], []
    for year in data.years:
        in_year = year_of == year
        for k, c, illustrative in _styles(kind[in_year], cross[in_year], made_up[in_year]):
            rows = in_year & (kind == k) & (cross == c) & (made_up == bool(illustrative))
            width, opacity = DETAIL_LINE[(c, illustrative)]
            traces.append(_lines(coords[rows], k, width, opacity))
            years.append(year)
        traces.append(_midpoints(coords[in_year], kind[in_year], 5, cards[in_year],
                                 "%{customdata[1]}<extra></extra>"))
        years.append(year)

    def shown(year: int) -> list[bool]:
        return [(y <= year) if view.cumulative else (y == year) for y in years]

    def updates(year: int) -> list[dict]:
        return [{"type": "scattermap", "visible": v} for v in shown(year)]

    return _ArcLayer(traces, updates, lambda year: [{**t.to_plotly_json(), **u}
                                                    for t, u in zip(traces, updates(year))])


def pair_arcs(data: MapData, lang: str) -> _ArcLayer:
    """Links summed per place pair: one trace per (kind, cross-city, width class), whose
    coordinates each frame replaces (at most LINK_LIMIT links a frame)."""
    a = data.arcs
    cls = _width_class(a["agreements"], a["agreements"].max() if len(a) else 1)
    kind, cross = a["kind"].to_numpy(object), a["cross_city"].to_numpy(bool)
    styles = _styles(kind, cross, cls)
    coords, frame_of = a[["lon_1", "lat_1", "lon_2", "lat_2"]].to_numpy(dtype=float), a["frame"].to_numpy()
    style_of = {st: i for i, st in enumerate(styles)}
    style = np.array([style_of[(k, bool(c), int(w))] for k, c, w in zip(kind, cross, cls)], dtype=np.int64)
    fields, has_made_up = _table(link_fields(a, lang)), a["illustrative_agreements"].to_numpy() > 0

    def frame(year: int) -> list[go.Scattermap]:
        """Every style's trace for one frame: (possibly empty) lines, then the midpoints."""
        in_frame = frame_of == year
        out = [_lines(coords[in_frame & (style == i)], k, PAIR_WIDTHS[w], PAIR_OPACITY[c])
               for i, (k, c, w) in enumerate(styles)]
        for illustrative in (False, True):   # two card templates: with the illustrative count or not
            rows = in_frame & (has_made_up == illustrative)
            out.append(_midpoints(coords[rows], kind[rows], 7, fields[rows], link_template(lang, illustrative)))
        return out

    frames = {year: frame(year) for year in data.years}

    def updates(year: int) -> list[dict]:   # every trace whole: a frame's are also its first ones
        return [t.to_plotly_json() for t in frames[year]]

    return _ArcLayer(frames[data.years[-1]], updates, updates)


def _styles(kind: np.ndarray, cross: np.ndarray, third: np.ndarray) -> list[tuple]:
    """(kind, cross_city, third) present in the arcs, same-city first so cross-city draws on
    top, and thin before thick."""
    kinds = list(KIND_COLORS)
    found = set(zip(kind.tolist(), cross.astype(bool).tolist(), third.astype(int).tolist()))
    return sorted(found, key=lambda s: (s[1], s[2], kinds.index(s[0]) if s[0] in kinds else 99))


def _width_class(counts: pd.Series, biggest) -> np.ndarray:
    """0–3 on a log scale of the largest count, so a few busy links do not hide the rest."""
    top = math.log1p(max(float(biggest), 1.0))
    return np.minimum((np.log1p(counts.to_numpy(dtype=float)) / top * len(PAIR_WIDTHS)).astype(int),
                      len(PAIR_WIDTHS) - 1)


def _lines(coords: np.ndarray, kind: str, width: float, opacity: float) -> go.Scattermap:
    """coords: one row per arc, its ends' lon, lat, lon, lat."""
    lon, lat = geo.arc_paths(*coords.T)
    return go.Scattermap(_validate=False, lon=lon, lat=lat, mode="lines", opacity=opacity,
                         hoverinfo="skip", line={"width": width, "color": KIND_COLORS.get(kind, charts.OTHER_COLOR)},
                         legendgroup=f"kind-{kind}", showlegend=False, meta="arcs")


def _midpoints(coords: np.ndarray, kind: np.ndarray, size: int, customdata: np.ndarray,
               hovertemplate: str) -> go.Scattermap:
    """A small dot halfway along each arc (coords: a row per arc, as in _lines; kind: its
    agreement kind), carrying the arc's hover card."""
    lon, lat = geo.arc_midpoints(*coords.T)
    kinds = list(KIND_COLORS)
    return go.Scattermap(_validate=False,
        lon=lon, lat=lat, mode="markers", customdata=customdata,
        marker={"size": size, "opacity": 0.8, "cmin": 0, "cmax": len(kinds) - 1,
                "color": np.array([kinds.index(k) for k in kind], dtype=np.int8),
                "colorscale": [[i / (len(kinds) - 1), KIND_COLORS[k]] for i, k in enumerate(kinds)]},
        unselected={"marker": {"opacity": 0.8}}, hovertemplate=hovertemplate,
        showlegend=False, meta="arc_cards")


def kind_legend(data: MapData, lang: str) -> list[go.Scattermap]:
    """One legend entry per agreement kind on the map, on a zero-length line (arc traces come
    and go by frame; an empty trace gets no legend entry)."""
    if data.arcs.empty:
        return []
    kinds = [k for k in KIND_COLORS if k in set(data.arcs["kind"])]
    first = data.arcs.iloc[0]
    lon, lat = (first["a_lon"], first["a_lat"]) if data.arc_mode == "detail" else (first["lon_1"], first["lat_1"])
    return [go.Scattermap(_validate=False, lon=[lon, lon], lat=[lat, lat], mode="lines", hoverinfo="skip",
                          name=i18n.label("kind", k, lang),
                          line={"width": 4, "color": KIND_COLORS[k]}, legendgroup=f"kind-{k}",
                          legendrank=300 + i, meta="kind_legend")
            for i, k in enumerate(kinds)]


def marker_size(partners, top: float, count: int) -> np.ndarray:
    """Marker diameters in pixels, by the square root of the partners relative to the busiest
    (`top`); the more markers on the map, the smaller, so they never bury the districts."""
    small, big = (7, 22) if count <= 500 else (5, 15) if count <= 1500 else (4, 11)
    share = np.asarray(partners, dtype=float) / max(float(top), 1.0)
    return small + (big - small) * np.sqrt(np.clip(share, 0, 1))


def halo_size(institutions) -> np.ndarray:
    """Diameter of a city-level group's translucent disk, by its number of institutions."""
    return np.minimum(18 + 4 * np.sqrt(np.asarray(institutions, dtype=float)), 60)


def marker_traces(data: MapData, lang: str) -> list[go.Scattermap]:
    """Per (city, type): disks with hover cards, then white holes on the illustrative ones and
    dark dots on schools. A group shares one legend entry, so hiding it hides all three."""
    m = data.markers
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    size = marker_size(m["partners"], m["partners"].max() if len(m) else 1, len(m)).astype(np.float32)
    opacity = 0.95 if len(m) <= 500 else 0.8
    traces = []
    for rank, ((city, kind), part) in enumerate(m.groupby(["city", "type"], sort=True)):
        s = size[m.index.get_indexer(part.index)]
        group = f"inst-{city}-{kind}"
        city_label, kind_label = i18n.label("city", city, lang), t(f"map.fig.{kind}_one")
        made_up = f"<br><i>{t('map.hover.illustrative')}</i>"
        cols = ("id", "name_zh", "name_en", "district_zh", "district_en", "partners", "agreements", "illustrative")
        custom = [[f"i:{i}", esc(i18n.name(zh, en, lang)), esc(i18n.name(d_zh, d_en, lang)),
                   i18n.fmt_int(p, lang), i18n.fmt_int(n, lang), made_up if ill else ""]
                  for i, zh, en, d_zh, d_en, p, n, ill in zip(*(part[c].tolist() for c in cols))]
        traces.append(go.Scattermap(_validate=False,
            lon=part["lon"].to_numpy(np.float32), lat=part["lat"].to_numpy(np.float32), mode="markers",
            marker={"size": s, "color": CITY_COLORS.get(city, charts.OTHER_COLOR), "opacity": opacity},
            unselected={"marker": {"opacity": opacity}}, customdata=_table(custom),
            name=esc(t("map.fig.markers", city=city_label, type=t(f"map.fig.{kind}"))),
            legendgroup=group, legendrank=100 + rank, meta="institutions",
            hovertemplate=(f"<b>%{{customdata[1]}}</b><br>{esc_template(kind_label)} · %{{customdata[2]}} · "
                           f"{esc_template(city_label)}<br>"
                           + t("map.hover.partners", n="%{customdata[3]}", m="%{customdata[4]}")
                           + "%{customdata[5]}<extra></extra>")))
        ill = part["illustrative"].to_numpy(bool)
        if ill.any():
            traces.append(_overlay(part[ill], s[ill] * HOLE_SHARE, "white", group, "hollow"))
        if kind == "school":
            traces.append(_overlay(part, s * DOT_SHARE, SCHOOL_DOT, group, "school_dot"))
    return traces


def _overlay(part: pd.DataFrame, size: np.ndarray, color: str, group: str, role: str) -> go.Scattermap:
    """Small circles stacked on disks (no hover, no legend entry of their own)."""
    return go.Scattermap(_validate=False,
        lon=part["lon"].to_numpy(np.float32), lat=part["lat"].to_numpy(np.float32), mode="markers",
        marker={"size": size, "color": color, "opacity": 1}, unselected={"marker": {"opacity": 1}},
        hoverinfo="skip", showlegend=False, legendgroup=group, meta=role)


def city_level_trace(data: MapData, lang: str) -> go.Scattermap:
    g = data.city_level
    cards = [i18n.t("map.hover.city_level", lang, city=esc(i18n.label("city", r.city, lang)),
                    n=i18n.fmt_int(r.institutions, lang), bases=i18n.fmt_int(r.bases, lang),
                    schools=i18n.fmt_int(r.schools, lang))
             + "<br>" + i18n.t("map.hover.partners", lang, n=i18n.fmt_int(r.partners, lang),
                               m=i18n.fmt_int(r.agreements, lang))
             for r in g.itertuples(index=False)]
    return go.Scattermap(_validate=False,
        lon=g["lon"], lat=g["lat"], mode="markers",
        marker={"size": halo_size(g["institutions"]),
                "color": [CITY_COLORS.get(c, charts.OTHER_COLOR) for c in g["city"]], "opacity": 0.45},
        unselected={"marker": {"opacity": 0.45}},
        customdata=_table([[f"c:{c}", card] for c, card in zip(g["city"], cards)]),
        hovertemplate="%{customdata[1]}<extra></extra>", name=i18n.t("map.fig.city_level", lang),
        legendrank=200, meta="city_level")


def selection_traces(data: MapData, served: str | None) -> list:
    """The selection drawn under the markers: a dark outline or halo and its agreements' arcs."""
    chosen = parse_selection(data.view.selection)
    if not chosen:
        return []
    kind, value = chosen
    traces = []
    sel = data.selection_agreements
    if len(sel):
        lon, lat = geo.arc_paths(*(sel[c].to_numpy(dtype=float) for c in ("a_lon", "a_lat", "b_lon", "b_lat")))
        traces.append(go.Scattermap(_validate=False, lon=lon, lat=lat, mode="lines", hoverinfo="skip", showlegend=False,
                                    line={"width": 2.4, "color": SELECT_COLOR}, opacity=0.75,
                                    meta="selection_arcs"))
    if kind == "d":
        traces.append(go.Choroplethmap(_validate=False,
            geojson=geo.trace_shapes([value], served), locations=[value], featureidkey="id",
            z=[0], colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"width": 3.5, "color": SELECT_COLOR}}, hoverinfo="skip", showlegend=False,
            meta="selection"))
    else:
        where = (data.markers[data.markers["id"] == value] if kind == "i"
                 else data.city_level[data.city_level["city"] == value])
        if len(where):
            m = data.markers
            size = 9 + (marker_size(where["partners"], m["partners"].max(), len(m)) if kind == "i"
                        else halo_size(where["institutions"]))
            traces.append(go.Scattermap(_validate=False, lon=where["lon"], lat=where["lat"], mode="markers",
                                        marker={"size": size, "color": SELECT_COLOR, "opacity": 0.9},
                                        hoverinfo="skip", showlegend=False, meta="selection"))
    return traces


def _table(rows: list[list]) -> np.ndarray:
    """customdata as an object array: plotly checks it at once, not cell by cell."""
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        out[i] = row
    return out
