"""The cooperation map as one plotly figure: district density, institution markers, agreement
arcs, and one animation frame per year (play button and slider, no page reload per frame).

Offline by construction: Choroplethmap and Scattermap traces on map_style "white-bg" with the
shipped GeoJSON; only circle markers (other symbols are icons MapLibre downloads) and no text
drawn on the map (MapLibre would fetch glyphs): the year, the key and the legends are layout
annotations, legend entries and hover cards.

Marker "symbols" are built from stacked circles: a disk in the city's colour; schools get a
dark centre dot (◉); illustrative records are hollow (a white centre, ○).

Every trace names its role in `meta` (density, arcs, arc_cards, institutions, ...), so tests
and readers of the JSON can find it without counting traces.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.core import geo
from analysis.core import i18n
from analysis.core import style as charts
from analysis.core.escape import esc
from analysis.core.style import CITY_COLORS, KIND_COLORS
from analysis.map.data import MapData
from analysis.map.view import parse_selection

HEIGHT = 820
DENSITY_SCALE = [[0.0, "#fbfbfb"], [0.25, "#e2e2e2"], [0.6, "#b4b4b4"], [1.0, "#6e6e6e"]]
NO_VALUE_COLOR = "#ece6f2"       # pale lilac: clearly "no figure", not "zero"
OUTSIDE_COLOR = "#f6f6f6"
BORDER_COLOR = "#9e9e9e"
SELECT_COLOR = "#111111"
SCHOOL_DOT = "#1b1b1b"
HOLE_SHARE, DOT_SHARE = 0.52, 0.34
FRAME_MS = 1000
# arcs: (width, opacity) by (cross_city, illustrative) one by one, and by width class when summed
DETAIL_LINE = {(True, False): (3.0, 0.9), (False, False): (1.6, 0.7),
               (True, True): (1.3, 0.45), (False, True): (0.8, 0.35)}
PAIR_WIDTHS = (1.0, 2.2, 3.8, 6.0)
PAIR_OPACITY = {True: 0.85, False: 0.5}


def cooperation_map(data: MapData, lang: str) -> go.Figure:
    """The whole map for one view; the frame of data.view.year is the one shown first."""
    view = data.view
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    geojson = geo.districts_geojson()
    fig = go.Figure()

    value_col = view.metric
    values = data.metrics.pivot(index="district_code", columns="year", values=value_col)
    no_value = sorted(values.index[values.isna().any(axis=1)])
    valued = [c for c in values.index if c not in set(no_value)]
    if data.outside:
        fig.add_trace(_flat_districts(geojson, data.outside, OUTSIDE_COLOR, t("map.fig.outside"),
                                      lang, showlegend=False, role="outside"))
    if no_value:
        label = t("map.fig.no_value_institutions" if value_col == "agreements_per_100_institutions"
                  else "map.fig.no_value_population")
        fig.add_trace(_flat_districts(geojson, no_value, NO_VALUE_COLOR,
                                      f"{label} ({i18n.fmt_int(len(no_value), lang)})",
                                      lang, showlegend=True, role="no_value"))

    # dynamic traces (changed by the frames), in a fixed order
    zmax = float(np.nanmax(values.to_numpy(dtype=float))) if len(valued) else 1.0
    choro_frames = {y: _density_frame(data, valued, y, lang) for y in data.years}
    choro_index = len(fig.data)
    fig.add_trace(go.Choroplethmap(
        geojson=geo.feature_subset(geojson, valued), locations=valued, featureidkey="id",
        z=choro_frames[view.year][0], customdata=choro_frames[view.year][1],
        zmin=0, zmax=max(zmax, 1e-9), colorscale=DENSITY_SCALE,
        marker={"opacity": 0.9, "line": {"width": 0.8, "color": BORDER_COLOR}},
        selected={"marker": {"opacity": 0.9}}, unselected={"marker": {"opacity": 0.9}},
        hovertemplate="%{customdata[1]}<extra></extra>", name=t(f"map.metric_short.{value_col}"),
        showlegend=False, meta="density",
        colorbar={"title": {"text": _colorbar_title(view, lang), "side": "right"},
                  "x": 1.0, "xanchor": "left", "y": 0.5, "len": 0.8, "thickness": 14,
                  **_ticks(value_col in ("agreements", "institutions"), zmax)}))
    arcs = _detail_arcs(data, lang) if data.arc_mode == "detail" else _pair_arcs(data, lang)
    for trace in arcs.traces:
        fig.add_trace(trace)
    dynamic = list(range(choro_index, len(fig.data)))

    # static traces on top: the selection, institutions, city-level groups
    for trace in _selection_traces(data, geojson):
        fig.add_trace(trace)
    if len(data.city_level):  # under the markers, so every marker stays clickable
        fig.add_trace(_city_level_trace(data, lang))
    for trace in _marker_traces(data, lang):
        fig.add_trace(trace)
    for trace in _kind_legend(data, lang):
        fig.add_trace(trace)

    frames = []
    if len(data.years) > 1:
        for y in data.years:
            z, custom = choro_frames[y]
            frames.append(go.Frame(
                name=str(y), traces=dynamic,
                data=[go.Choroplethmap(z=z, customdata=custom), *arcs.updates(y)],
                layout={"annotations": _annotations(data, y, lang)}))
    fig.frames = frames
    _layout(fig, data, lang)
    return fig


# --- districts --------------------------------------------------------------------------

def _flat_districts(geojson: dict, codes: list[str], color: str, name: str, lang: str,
                    showlegend: bool, role: str) -> go.Choroplethmap:
    """Districts drawn in one flat colour (no figure for the metric, or outside the filter)."""
    names = _feature_names(geojson)
    hover = [f"<b>{esc(i18n.name(*names.get(c, (c, c)), lang))}</b><br>{esc(name)}" for c in codes]
    return go.Choroplethmap(
        geojson=geo.feature_subset(geojson, codes), locations=codes, featureidkey="id",
        z=np.zeros(len(codes), dtype=np.int8), colorscale=[[0, color], [1, color]], showscale=False,
        marker={"opacity": 0.95, "line": {"width": 0.8, "color": BORDER_COLOR}},
        selected={"marker": {"opacity": 0.95}}, unselected={"marker": {"opacity": 0.95}},
        customdata=_table([[f"d:{c}", h] for c, h in zip(codes, hover)]),
        hovertemplate="%{customdata[1]}<extra></extra>", name=name, showlegend=showlegend,
        legendrank=400, meta=role)


def _feature_names(geojson: dict) -> dict[str, tuple[str, str]]:
    return {f["id"]: (f["properties"].get("name_zh"), f["properties"].get("name_en"))
            for f in geojson["features"]}


def _span(view, first: int, year: int, lang: str) -> str:
    if view.cumulative:
        years = f"{first}–{year}" if first < year else str(year)
        return i18n.t("map.fig.span_cumulative", lang, years=years)
    return i18n.t("map.fig.span_per_year", lang, year=year)


def _density_frame(data: MapData, codes: list[str], year: int, lang: str):
    """z and hover cards of the valued districts for one year."""
    m = data.metrics[data.metrics["year"] == year].set_index("district_code").reindex(codes)
    span = _span(data.view, data.years[0], year, lang)
    custom = _table([[f"d:{code}", _district_card(r, span, lang)]
                     for code, r in zip(m.index, m.to_dict("records"))])
    return m[data.view.metric].to_numpy(dtype=np.float64), custom


def _district_card(r: dict, span: str, lang: str) -> str:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    name = esc(i18n.name(r["name_zh"], r["name_en"], lang))
    lines = [f"<b>{name}</b> · {esc(i18n.label('city', r['city'], lang))}",
             t("map.hover.district_agreements", span=span, n=i18n.fmt_int(r["agreements"], lang)),
             t("map.hover.district_institutions", n=i18n.fmt_int(r["institutions"], lang),
               bases=i18n.fmt_int(r["bases"], lang), schools=i18n.fmt_int(r["schools"], lang)),
             t("map.hover.per_100_institutions", v=i18n.fmt_num(_float(r["agreements_per_100_institutions"]), lang)),
             t("map.hover.per_100k", v=i18n.fmt_num(_float(r["agreements_per_100k"]), lang, 2))]
    if pd.notna(r["population"]) and r["population"] > 0:
        lines.append(t("map.hover.population", n=i18n.fmt_int(int(r["population"]), lang),
                       year=r["population_year"] if pd.notna(r["population_year"]) else "?"))
    else:
        lines.append(t("map.hover.population_unknown"))
    return "<br>".join(lines)


def _float(v) -> float:
    return float(v) if pd.notna(v) else math.nan


def _ticks(counts: bool, zmax: float) -> dict:
    """Colour bar ticks: whole numbers for counts (every one when there are few)."""
    if not counts:
        return {"tickformat": ",.1f"}
    return {"tickformat": ",d", **({"tick0": 0, "dtick": 1} if zmax <= 6 else {})}


def _colorbar_title(view, lang: str) -> str:
    metric = i18n.t(f"map.metric_short.{view.metric}", lang)
    if view.metric == "institutions":
        return metric
    return f"{metric} ({i18n.t(f'map.period_name.{view.period}', lang)})"


# --- arcs -------------------------------------------------------------------------------

@dataclass
class _ArcLayer:
    """The arc traces of the first frame, and how each frame changes them."""
    traces: list
    updates: Callable[[int], list]


def _detail_arcs(data: MapData, lang: str) -> _ArcLayer:
    """One arc per agreement. Each year's arcs and hover markers are their own traces, sent
    once; a frame only switches traces on and off (its year, or every year up to it)."""
    view, a = data.view, data.arcs
    a = a[a["frame"] == data.years[-1]] if view.cumulative else a  # every agreement once
    traces, years = [], []
    for year in data.years:
        part = a[a["year"] == year]
        for kind, cross, illustrative in _styles(part, part["illustrative"]):
            rows = part[(part["kind"] == kind) & (part["cross_city"] == cross)
                        & (part["illustrative"] == illustrative)]
            width, opacity = DETAIL_LINE[(cross, illustrative)]
            traces.append(_lines(rows, kind, width, opacity, ("a_lon", "a_lat", "b_lon", "b_lat")))
            years.append(year)
        traces.append(_midpoints(part, [_agreement_card(r, lang) for r in part.itertuples(index=False)],
                                 ("a_lon", "a_lat", "b_lon", "b_lat"), size=5))
        years.append(year)

    def shown(year: int) -> list[bool]:
        return [(y <= year) if view.cumulative else (y == year) for y in years]

    for trace, visible in zip(traces, shown(view.year)):
        trace.visible = visible
    return _ArcLayer(traces, lambda year: [go.Scattermap(visible=v) for v in shown(year)])


def _pair_arcs(data: MapData, lang: str) -> _ArcLayer:
    """Links summed per place pair: one trace per (kind, cross-city, width class), whose
    coordinates each frame replaces (at most LINK_LIMIT links a frame)."""
    a = data.arcs
    cls = _width_class(a["agreements"], a["agreements"].max() if len(a) else 1)
    a = a.assign(width_class=cls)
    styles = _styles(a, a["width_class"])
    ends = ("lon_1", "lat_1", "lon_2", "lat_2")

    def frame(year: int) -> list[go.Scattermap]:
        """Every style's trace for one frame: (possibly empty) lines, then the midpoints."""
        part = a[a["frame"] == year]
        out = []
        for kind, cross, width_class in styles:
            rows = part[(part["kind"] == kind) & (part["cross_city"] == cross)
                        & (part["width_class"] == width_class)]
            out.append(_lines(rows, kind, PAIR_WIDTHS[width_class], PAIR_OPACITY[cross], ends))
        out.append(_midpoints(part, [_link_card(r, lang) for r in part.itertuples(index=False)],
                              ends, size=7))
        return out

    frames = {year: frame(year) for year in data.years}
    return _ArcLayer(frames[data.view.year], frames.__getitem__)


def _styles(a: pd.DataFrame, third: pd.Series) -> list[tuple]:
    """(kind, cross_city, third) present in the arcs, same-city first so cross-city draws on
    top, and thin before thick."""
    kinds = list(KIND_COLORS)
    found = set(zip(a["kind"], a["cross_city"].astype(bool), third.astype(int)))
    return sorted(((k, c, int(x)) for k, c, x in found),
                  key=lambda s: (s[1], s[2], kinds.index(s[0]) if s[0] in kinds else 99))


def _width_class(counts: pd.Series, biggest) -> np.ndarray:
    """0–3 on a log scale of the largest count, so a few busy links do not hide the rest."""
    top = math.log1p(max(float(biggest), 1.0))
    return np.minimum((np.log1p(counts.to_numpy(dtype=float)) / top * len(PAIR_WIDTHS)).astype(int),
                      len(PAIR_WIDTHS) - 1)


def _lines(rows: pd.DataFrame, kind: str, width: float, opacity: float, ends) -> go.Scattermap:
    lon, lat = geo.arc_paths(*(rows[c].to_numpy(dtype=float) for c in ends))
    return go.Scattermap(lon=lon, lat=lat, mode="lines", opacity=opacity, hoverinfo="skip",
                         line={"width": width, "color": KIND_COLORS.get(kind, charts.OTHER_COLOR)},
                         legendgroup=f"kind-{kind}", showlegend=False, meta="arcs")


def _midpoints(rows: pd.DataFrame, cards: list[str], ends, size: int) -> go.Scattermap:
    """A small dot halfway along each arc, carrying the arc's hover card."""
    lon, lat = geo.arc_midpoints(*(rows[c].to_numpy(dtype=float) for c in ends))
    kinds = list(KIND_COLORS)
    return go.Scattermap(
        lon=lon, lat=lat, mode="markers", hovertext=np.array(cards, dtype=object),
        marker={"size": size, "opacity": 0.8, "cmin": 0, "cmax": len(kinds) - 1,
                "color": rows["kind"].map(kinds.index).to_numpy(np.int8),
                "colorscale": [[i / (len(kinds) - 1), KIND_COLORS[k]] for i, k in enumerate(kinds)]},
        unselected={"marker": {"opacity": 0.8}}, hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False, meta="arc_cards")


def _kind_legend(data: MapData, lang: str) -> list[go.Scattermap]:
    """One legend entry per agreement kind on the map, on a zero-length line (arc traces come
    and go by frame; an empty trace gets no legend entry)."""
    if data.arcs.empty:
        return []
    kinds = [k for k in KIND_COLORS if k in set(data.arcs["kind"])]
    first = data.arcs.iloc[0]
    lon, lat = (first["a_lon"], first["a_lat"]) if data.arc_mode == "detail" else (first["lon_1"], first["lat_1"])
    return [go.Scattermap(lon=[lon, lon], lat=[lat, lat], mode="lines", hoverinfo="skip",
                          name=i18n.label("kind", k, lang),
                          line={"width": 4, "color": KIND_COLORS[k]}, legendgroup=f"kind-{k}",
                          legendrank=300 + i, meta="kind_legend")
            for i, k in enumerate(kinds)]


def _agreement_card(r, lang: str) -> str:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    a = _party(r.a_name_zh, r.a_name_en, r.a_district_zh, r.a_district_en, r.a_city, lang)
    b = _party(r.b_name_zh, r.b_name_en, r.b_district_zh, r.b_district_en, r.b_city, lang)
    cross = t("map.hover.cross_city" if r.cross_city else "map.hover.same_city")
    extra = f"<br><i>{t('map.hover.illustrative')}</i>" if r.illustrative else ""
    return (f"{a}<br>↔ {b}<br>{esc(i18n.label('kind', r.kind, lang))} · {cross} · "
            f"{i18n.fmt_date(r.signed_on, lang)}{extra}")


def _link_card(r, lang: str) -> str:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    cross = t("map.hover.cross_city" if r.cross_city else "map.hover.same_city")
    lines = [f"<b>{_place(r.name_zh_1, r.name_en_1, r.city_1, lang)}</b> ↔ "
             f"<b>{_place(r.name_zh_2, r.name_en_2, r.city_2, lang)}</b>",
             f"{esc(i18n.label('kind', r.kind, lang))} · {cross}",
             t("map.hover.link_count", n=i18n.fmt_int(r.agreements, lang))]
    if r.illustrative_agreements:
        lines.append(t("map.hover.link_illustrative", n=i18n.fmt_int(r.illustrative_agreements, lang)))
    return "<br>".join(lines)


def _party(zh, en, d_zh, d_en, city, lang: str) -> str:
    """'<b>name</b> (city · district)' for a hover card, every name escaped."""
    district = i18n.name(d_zh, d_en, lang)
    place = i18n.label("city", city, lang) + (f" · {district}" if district else "")
    return f"<b>{esc(i18n.name(zh, en, lang))}</b> ({esc(place)})"


def _place(zh, en, city, lang: str) -> str:
    name = i18n.name(zh, en, lang)
    return esc(name or f"{i18n.label('city', city, lang)} ({i18n.t('map.fig.city_level', lang)})")


# --- institutions -----------------------------------------------------------------------

def marker_size(partners, top: float, count: int) -> np.ndarray:
    """Marker diameters in pixels, by the square root of the partners relative to the busiest
    (`top`); the more markers on the map, the smaller, so they never bury the districts."""
    small, big = (7, 22) if count <= 500 else (5, 15) if count <= 1500 else (4, 11)
    share = np.asarray(partners, dtype=float) / max(float(top), 1.0)
    return small + (big - small) * np.sqrt(np.clip(share, 0, 1))


def halo_size(institutions) -> np.ndarray:
    """Diameter of a city-level group's translucent disk, by its number of institutions."""
    return np.minimum(18 + 4 * np.sqrt(np.asarray(institutions, dtype=float)), 60)


def _marker_traces(data: MapData, lang: str) -> list[go.Scattermap]:
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
        custom = [[f"i:{r.id}", esc(i18n.name(r.name_zh, r.name_en, lang)),
                   esc(i18n.name(r.district_zh, r.district_en, lang)),
                   i18n.fmt_int(r.partners, lang), i18n.fmt_int(r.agreements, lang),
                   f"<br><i>{t('map.hover.illustrative')}</i>" if r.illustrative else ""]
                  for r in part.itertuples(index=False)]
        traces.append(go.Scattermap(
            lon=part["lon"].to_numpy(np.float32), lat=part["lat"].to_numpy(np.float32), mode="markers",
            marker={"size": s, "color": CITY_COLORS.get(city, charts.OTHER_COLOR), "opacity": opacity},
            unselected={"marker": {"opacity": opacity}}, customdata=_table(custom),
            name=esc(t("map.fig.markers", city=city_label, type=t(f"map.fig.{kind}"))),
            legendgroup=group, legendrank=100 + rank, meta="institutions",
            hovertemplate=(f"<b>%{{customdata[1]}}</b><br>{esc(kind_label)} · %{{customdata[2]}} · "
                           f"{esc(city_label)}<br>"
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
    return go.Scattermap(
        lon=part["lon"].to_numpy(np.float32), lat=part["lat"].to_numpy(np.float32), mode="markers",
        marker={"size": size, "color": color, "opacity": 1}, unselected={"marker": {"opacity": 1}},
        hoverinfo="skip", showlegend=False, legendgroup=group, meta=role)


def _city_level_trace(data: MapData, lang: str) -> go.Scattermap:
    g = data.city_level
    cards = [i18n.t("map.hover.city_level", lang, city=esc(i18n.label("city", r.city, lang)),
                    n=i18n.fmt_int(r.institutions, lang), bases=i18n.fmt_int(r.bases, lang),
                    schools=i18n.fmt_int(r.schools, lang))
             + "<br>" + i18n.t("map.hover.partners", lang, n=i18n.fmt_int(r.partners, lang),
                               m=i18n.fmt_int(r.agreements, lang))
             for r in g.itertuples(index=False)]
    return go.Scattermap(
        lon=g["lon"], lat=g["lat"], mode="markers",
        marker={"size": halo_size(g["institutions"]),
                "color": [CITY_COLORS.get(c, charts.OTHER_COLOR) for c in g["city"]], "opacity": 0.45},
        unselected={"marker": {"opacity": 0.45}},
        customdata=_table([[f"c:{c}", card] for c, card in zip(g["city"], cards)]),
        hovertemplate="%{customdata[1]}<extra></extra>", name=i18n.t("map.fig.city_level", lang),
        legendrank=200, meta="city_level")


def _selection_traces(data: MapData, geojson: dict) -> list:
    """The selection drawn under the markers: a dark outline or halo and its agreements' arcs."""
    chosen = parse_selection(data.view.selection)
    if not chosen:
        return []
    kind, value = chosen
    traces = []
    sel = data.selection_agreements
    if len(sel):
        lon, lat = geo.arc_paths(*(sel[c].to_numpy(dtype=float) for c in ("a_lon", "a_lat", "b_lon", "b_lat")))
        traces.append(go.Scattermap(lon=lon, lat=lat, mode="lines", hoverinfo="skip", showlegend=False,
                                    line={"width": 2.4, "color": SELECT_COLOR}, opacity=0.75,
                                    meta="selection_arcs"))
    if kind == "d":
        traces.append(go.Choroplethmap(
            geojson=geo.feature_subset(geojson, [value]), locations=[value], featureidkey="id",
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
            traces.append(go.Scattermap(lon=where["lon"], lat=where["lat"], mode="markers",
                                        marker={"size": size, "color": SELECT_COLOR, "opacity": 0.9},
                                        hoverinfo="skip", showlegend=False, meta="selection"))
    return traces


def _table(rows: list[list]) -> np.ndarray:
    """customdata as an object array: plotly checks it at once, not cell by cell."""
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        out[i] = row
    return out


# --- layout -----------------------------------------------------------------------------

def _annotations(data: MapData, year: int, lang: str) -> list[dict]:
    key = i18n.t("map.fig.key_pairs" if data.arc_mode == "pairs" else "map.fig.key_detail", lang)
    return [
        # the year and its span sit bottom-left, where neither city is drawn
        {"text": esc(_span(data.view, data.years[0], year, lang)), "x": 0.012, "y": 0.13,
         "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
         "font": {"size": 18, "color": "rgba(40,40,40,0.85)"}},
        {"text": f"<b>{year}</b>", "x": 0.008, "y": 0.0, "xref": "paper", "yref": "paper",
         "xanchor": "left", "yanchor": "bottom", "showarrow": False,
         "font": {"size": 76, "color": "rgba(40,40,40,0.6)"}},
        {"text": key, "x": 1.0, "y": 0.0, "xref": "paper", "yref": "paper", "xanchor": "right",
         "yanchor": "bottom", "align": "right", "showarrow": False,
         "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 13, "color": "#333"}},
    ]


def _layout(fig: go.Figure, data: MapData, lang: str) -> None:
    view = data.view
    codes = data.metrics["district_code"].unique().tolist()
    points = list(zip(data.markers["lon"], data.markers["lat"])) if len(data.markers) else []
    centre, zoom = geo.framing(geo.bounds(codes, points))
    title = i18n.t("map.fig.title", lang, metric=i18n.t(f"map.metric_name.{view.metric}", lang))
    charts.style(fig, title, height=HEIGHT)
    fig.update_layout(
        map={"style": "white-bg", "center": centre, "zoom": zoom},
        uirevision="|".join(sorted(codes)),  # keep the user's pan and zoom until the cities change
        title={"y": 0.985, "yanchor": "top", "yref": "container", "font": {"size": 19}},
        margin={"l": 0, "r": 90, "t": 150, "b": 70 if len(data.years) > 1 else 10},
        # the legend's title is the key to the stacked-circle symbols
        legend={"orientation": "h", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom",
                "font": {"size": 14}, "itemsizing": "constant",
                "title": {"text": i18n.t("map.fig.key", lang), "side": "top", "font": {"size": 14}}},
        annotations=_annotations(data, view.year, lang),
        hoverlabel={"bgcolor": "white", "font": {"color": "#1f1f1f"}},
    )
    if len(data.years) > 1:
        names = [str(y) for y in data.years]
        still = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
        fig.update_layout(
            updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.01,
                          "xanchor": "left", "yanchor": "top", "pad": {"t": 8, "r": 8}, "showactive": False,
                          "buttons": [
                              {"label": i18n.t("map.fig.play", lang), "method": "animate",
                               "args": [names, {"mode": "immediate", "fromcurrent": False,
                                                "frame": {"duration": FRAME_MS, "redraw": True},
                                                "transition": {"duration": 0}}]},
                              {"label": i18n.t("map.fig.pause", lang), "method": "animate",
                               "args": [[None], {**still, "frame": {"duration": 0, "redraw": False}}]}]}],
            sliders=[{"active": data.years.index(view.year), "x": 0.24, "len": 0.76, "y": -0.01,
                      "yanchor": "top", "pad": {"t": 8}, "currentvalue": {"visible": False},
                      "steps": [{"label": n, "method": "animate", "args": [[n], still]} for n in names]}])


# --- text around the map ------------------------------------------------------------------

def map_notes(data: MapData, lang: str) -> str:
    """What the map leaves out or approximates, in one caption under it."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    view, notes = data.view, []
    if data.arc_mode == "pairs":
        shown, links = data.links_shown.get(view.year, (0, 0))
        notes.append(t("map.note.pairs", n=i18n.fmt_int(data.arc_agreements, lang), year=view.year,
                       shown=i18n.fmt_int(shown, lang), links=i18n.fmt_int(links, lang)))
    else:
        notes.append(t("map.note.detail", n=i18n.fmt_int(data.arc_agreements, lang)))
    if data.markers_total > len(data.markers):
        notes.append(t("map.note.markers_limited", total=i18n.fmt_int(data.markers_total, lang),
                       shown=i18n.fmt_int(len(data.markers), lang)))
    notes.append(t("map.note.markers_period", first=data.years[0], last=data.years[-1]))
    city_level = int(data.city_level["institutions"].sum()) if len(data.city_level) else 0
    if city_level:
        notes.append(t("map.note.city_level", n=i18n.fmt_int(city_level, lang)))
    if view.metric == "agreements_per_100k":
        districts = data.metrics.drop_duplicates("district_code")
        known = int((districts["population"].fillna(0) > 0).sum())
        notes.append(t("map.note.population", known=known, total=len(districts)))
    if view.metric in ("institutions", "agreements_per_100_institutions"):
        notes.append(t("map.note.institutions_fixed"))
    return " ".join(notes)


def selection_label(selection: str | None, markers: pd.DataFrame, lang: str) -> str:
    """Plain-text label of a selection id for the search box (no markup: names are data)."""
    parsed = parse_selection(selection)
    if not parsed:
        return i18n.t("map.search_none", lang)
    kind, value = parsed
    if kind == "d":
        zh, en = _feature_names(geo.districts_geojson()).get(value, (value, value))
        city = _feature_cities(geo.districts_geojson()).get(value, "")
        return f"{i18n.name(zh, en, lang)} · {i18n.label('city', city, lang)}"
    if kind == "c":
        return i18n.t("map.panel.city_group", lang, city=i18n.label("city", value, lang))
    row = markers[markers["id"] == value]
    if len(row):
        r = row.iloc[0]
        return f"{i18n.name(r['name_zh'], r['name_en'], lang)} · {i18n.name(r['district_zh'], r['district_en'], lang)}"
    return value


def _feature_cities(geojson: dict) -> dict[str, str]:
    return {f["id"]: f["properties"].get("city", "") for f in geojson["features"]}


def selection_title(selection: str | None, institution: pd.DataFrame, lang: str) -> str:
    """Plain-text heading of the side panel; institution: map_institution's row for 'i:' ids."""
    parsed = parse_selection(selection)
    if not parsed:
        return ""
    kind, value = parsed
    if kind == "d":
        zh, en = _feature_names(geo.districts_geojson()).get(value, (value, value))
        city = _feature_cities(geo.districts_geojson()).get(value, "")
        return i18n.t("map.panel.district", lang, name=i18n.name(zh, en, lang),
                      city=i18n.label("city", city, lang))
    if kind == "c":
        return i18n.t("map.panel.city_group", lang, city=i18n.label("city", value, lang))
    if institution.empty:
        return value
    r = institution.iloc[0]
    district = i18n.name(r["district_zh"], r["district_en"], lang)
    place = i18n.label("city", r["city"], lang) + (f" · {district}" if district else "")
    return i18n.t("map.panel.institution", lang, type=i18n.t(f"map.fig.{r['type']}_one", lang),
                  name=i18n.name(r["name_zh"], r["name_en"], lang), place=place)
