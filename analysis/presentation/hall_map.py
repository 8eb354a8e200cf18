"""The cooperation map for a hall: read from the back row, stepping year by year.

Built from the map's own data (analysis/map/data.py) and layers (analysis/map/layers.py), with
what a projector needs instead of what an analyst needs: districts coloured on a green scale
that keeps its steps on a washed-out screen, fewer and bigger discs (one per district once
there are more than MARKER_LIMIT institutions), the strongest district-to-district links only,
a one-row legend, and the map filling its frame.

Offline: only Choroplethmap/Scattermap on "white-bg". Chinese district names are drawn on the
map (MapLibre draws CJK from the browser's fonts with no request); a name with any other
character is never drawn there, since Latin letters or digits make MapLibre fetch glyphs from
the internet. English names, numbers and the year are layout annotations and hover cards.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.areas.metrics import Queries
from analysis.core import geo, i18n
from analysis.core.escape import esc
from analysis.core.style import CITY_COLORS, CROSS_CITY_COLOR, OTHER_COLOR, animated
from analysis.map.data import load_map_data
from analysis.map.layers import colorbar_ticks, density_frames, flat_districts
from analysis.map.view import MapView
from analysis.presentation.theme import CHART_PX, HEIGHT, WIDTH, theme

HALL_SCALE = [[0.0, "#F7FCB9"], [0.3, "#ADDD8E"], [0.65, "#41AB5D"], [1.0, "#1E7B3C"]]
OUTSIDE = "#E4E4E4"           # the map's ground is white in both themes
BORDER = {"light": "#FFFFFF", "dark": "#0B0F19"}
NAME_COLOR = "#111111"       # on the district fill, whatever the theme
MARKER_LIMIT = 60            # more institutions than this: one disc per district
LINKS_SHOWN = 40             # strongest district-to-district links per year
NAMES_SHOWN = 14             # districts named on the map (most agreements first)
NAME_OFFSET_PX = 34          # names sit this far below the disc's centre
TOP_LISTED = 5               # districts in the "most agreements" box
LINK_WIDTHS = (2.5, 5.0, 8.0, 12.0)
MAP_HEIGHT = HEIGHT - 240    # the slide body under the title and caption
_CJK_ONLY = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·]+$")


def _t(key: str, lang: str, **kw) -> str:
    return i18n.t(f"present.{key}", lang, **kw)


def drawable_name(name: str | None) -> bool:
    """Whether a name can be drawn on the map without a glyph request: CJK characters only."""
    return bool(name) and bool(_CJK_ONLY.match(name))


def hall_calls(params: dict) -> list[tuple[str, dict]]:
    """The hall map's first two queries (its districts and their links), for a caller that runs
    them with its own (the rest depend on their answer)."""
    return [("areas/districts", params), ("map/arc_pairs", {**params, "cross_only": False})]


def hall_map(db: Queries, params: dict, lang: str, theme_name: str = "light",
             height: int = MAP_HEIGHT, prefetched: list[pd.DataFrame] | None = None) -> go.Figure:
    """The map of the last year of the range, with one animation frame per year (cumulative),
    framed to fill WIDTH × height. prefetched: the answers to hall_calls(params) (the same
    params), when the caller ran them with its own."""
    years = list(range(int(params["year_from"]), int(params["year_to"]) + 1))
    geojson = geo.districts_geojson()
    districts, pairs = prefetched or db.query_many(hall_calls(params))
    # the hall draws its own links (district_links), and no single institution when crowded
    crowded = int(districts["institutions"].sum()) > MARKER_LIMIT
    data = load_map_data(db, params, MapView(year=years[-1]), [f["id"] for f in geojson["features"]],
                         arcs=False, marker_limit=0 if crowded else MARKER_LIMIT)
    codes = districts["district_code"].astype(str).tolist()
    points = list(zip(districts["lon"], districts["lat"]))
    centre, zoom = geo.framing(geo.bounds(codes, points), width_px=WIDTH, height_px=height - 40,
                               padding=0.02)
    traces = []
    if data.outside:
        traces.append(flat_districts(data.outside, OUTSIDE, "", lang,
                                     showlegend=False, role="outside"))
    density = density_frames(data, codes, lang)
    zmax = max(float(np.nanmax(density[years[-1]][0])) if codes else 0.0, 1.0)
    traces.append(go.Choroplethmap(_validate=False,
        geojson=geo.trace_shapes(codes, None), locations=codes, featureidkey="id",
        z=density[years[-1]][0], customdata=density[years[-1]][1], zmin=0, zmax=zmax,
        colorscale=HALL_SCALE, marker={"opacity": 0.95, "line": {"width": 1.5}},
        hovertemplate="%{customdata[1]}<extra></extra>", showlegend=False, meta="density",
        colorbar={"orientation": "h", "x": 0.99, "xanchor": "right", "y": 0.02, "yanchor": "bottom",
                  "len": 0.3, "thickness": 26, "bgcolor": "rgba(255,255,255,0.85)",
                  "tickfont": {"size": 24, "color": NAME_COLOR}, **colorbar_ticks(True, zmax),
                  "title": {"text": esc(_t("map_colorbar", lang)), "side": "top",
                            "font": {"size": 24, "color": NAME_COLOR}}}))
    dynamic = [len(traces) - 1]
    links = district_links(pairs, years)
    link_frames = {y: _link_traces(links[links["frame"] == y]) for y in years}
    traces += link_frames[years[-1]]
    dynamic += list(range(dynamic[0] + 1, len(traces)))
    traces += _marker_traces(data, districts, lang, crowded)
    if lang == "zh":
        traces.append(_names(districts, data.metrics[data.metrics["year"] == years[-1]], zoom))
    lon, lat = centre_of(districts)
    for cross in (True, False):  # legend entries that stay while links come and go by year
        traces.append(go.Scattermap(_validate=False,
            lon=[lon, lon], lat=[lat, lat], mode="lines", hoverinfo="skip", line={"width": 8, "color": _link_color(cross)},
            name=_t("map_cross_links" if cross else "map_same_links", lang), meta="link_legend"))
    busiest = _busiest(data.metrics)
    frames = [go.Frame(_validate=False, name=str(y), traces=dynamic,
                       data=[go.Choroplethmap(_validate=False, z=density[y][0], customdata=density[y][1]),
                             *link_frames[y]],
                       layout={"annotations": _annotations(busiest, y, years[0], lang)})
              for y in years]
    # unvalidated, as the analyst's map (analysis/map/figure.py): the same JSON, built faster
    layout = {"map": {"style": "white-bg", "center": centre, "zoom": zoom},
              "width": WIDTH, "height": height, "autosize": True,
              "font": {"size": CHART_PX}, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
              "legend": {"orientation": "h", "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
                         "font": {"size": 26, "color": NAME_COLOR}, "bgcolor": "rgba(255,255,255,0.85)",
                         "itemsizing": "constant"},
              "annotations": _annotations(busiest, years[-1], years[0], lang),
              "hoverlabel": {"bgcolor": "white", "font": {"size": 22, "color": "#111111"}}}
    return map_style(animated(traces, frames, layout), theme_name)


def map_style(fig: go.Figure, theme_name: str) -> go.Figure:
    """Put the hall map in a theme (in place): the frame's ground and text, the district borders.
    Everything else is the same in both themes (the map's own ground is white)."""
    th = theme(theme_name)
    fig.update_layout(paper_bgcolor=th.bg, font_color=th.fg)
    fig.update_traces(marker_line_color=BORDER[th.name], selector={"meta": "density"})
    return fig


def frame_figure(fig: go.Figure, year: int) -> go.Figure:
    """A still copy of the figure showing one year's frame (for PNG and GIF exports)."""
    frame = next((f for f in fig.frames if f.name == str(year)), None)
    spec = fig.to_dict()   # to_dict only reads fig (see style.copied)
    spec.pop("frames", None)
    still = go.Figure(spec)
    if frame is None:
        return still
    frame = frame.to_plotly_json()   # a copy, as dicts (style.animated)
    for index, update in zip(frame["traces"], frame["data"]):
        still.data[index].update(update)
    still.update_layout(annotations=frame["layout"]["annotations"])
    return still


def district_links(rows: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Agreements between two places (district centroids, or city centres for parties known
    only to city level), summed over kinds, up to each of `years` (ascending); the LINKS_SHOWN
    strongest a year. rows: map/arc_pairs (cross_only false) for the years' filters."""
    rows = rows[rows["place_1"] != rows["place_2"]]
    key = ["place_1", "place_2", "cross_city"]
    # one row per link (first seen first), its agreements by year in a matrix, summed up to each
    links = rows.drop_duplicates(key)[[*key, "lon_1", "lat_1", "lon_2", "lat_2"]].reset_index(drop=True)
    counts = np.zeros((len(links), len(years)), dtype=np.int64)
    # a row counts from the first year of `years` at or after its own (so up to that year)
    col = np.searchsorted(years, rows["year"].to_numpy())
    inside = col < len(years)
    np.add.at(counts, (rows.groupby(key, sort=False).ngroup().to_numpy()[inside], col[inside]),
              rows["agreements"].to_numpy(np.int64)[inside])
    up_to = counts.cumsum(axis=1)
    by_name = np.empty(len(links), dtype=np.int64)   # ties: by the places' names
    by_name[links.sort_values(["place_1", "place_2"], kind="stable").index] = np.arange(len(links))
    frames = []
    for i, year in enumerate(years):
        n = up_to[:, i]
        shown = np.lexsort((by_name, -n))
        shown = shown[n[shown] > 0][:LINKS_SHOWN]
        frames.append(links.iloc[shown].assign(agreements=n[shown], frame=year))
    summed = pd.concat(frames, ignore_index=True)
    if summed.empty:
        return summed.assign(width_class=pd.Series(dtype="int64"))
    top = np.log1p(max(float(summed["agreements"].max()), 1.0))
    cls = np.log1p(summed["agreements"].to_numpy(dtype=float)) / top * len(LINK_WIDTHS)
    return summed.assign(width_class=np.minimum(cls.astype(int), len(LINK_WIDTHS) - 1))


def centre_of(districts: pd.DataFrame) -> tuple[float, float]:
    """A point on the map for the zero-length legend lines (an empty trace gets no entry)."""
    if districts.empty:
        return (105.5, 30.0)
    return float(districts["lon"].iloc[0]), float(districts["lat"].iloc[0])


def _link_color(cross: bool) -> str:
    return CROSS_CITY_COLOR if cross else "#4D4D4D"


def _link_traces(part: pd.DataFrame) -> list[go.Scattermap]:
    """One trace per (same/cross-city, width class), the same set every year (some empty)."""
    out = []
    cross_of, cls_of = part["cross_city"].to_numpy(bool), part["width_class"].to_numpy(np.int64)
    ends = [part[c].to_numpy(dtype=float) for c in ("lon_1", "lat_1", "lon_2", "lat_2")]
    for cross in (False, True):
        for cls, width in enumerate(LINK_WIDTHS):
            rows = (cross_of == cross) & (cls_of == cls)
            lon, lat = geo.arc_paths(*(e[rows] for e in ends)) if rows.any() else ([], [])
            out.append(go.Scattermap(_validate=False, lon=lon, lat=lat, mode="lines", hoverinfo="skip", showlegend=False,
                                     opacity=0.85 if cross else 0.55,
                                     line={"width": width, "color": _link_color(cross)}, meta="links"))
    return out


def _marker_traces(data, districts: pd.DataFrame, lang: str, aggregate: bool) -> list[go.Scattermap]:
    """Discs in the city's colour: one per district (and per city for institutions known only to
    city level) when crowded, else one per institution; sized by the square root of the count."""
    if aggregate:
        d = districts[districts["institutions"] > 0]
        cards = [f"<b>{esc(i18n.name(r.name_zh, r.name_en, lang))}</b><br>"
                 + _t("map_district_card", lang, institutions=i18n.fmt_int(r.institutions, lang),
                      bases=i18n.fmt_int(r.bases, lang), schools=i18n.fmt_int(r.schools, lang))
                 for r in d.itertuples(index=False)]
        pts = pd.DataFrame({"city": d["city"], "lon": d["lon"], "lat": d["lat"],
                            "weight": d["institutions"], "card": cards})
    else:
        m = data.markers
        cards = [f"<b>{esc(i18n.name(r.name_zh, r.name_en, lang))}</b><br>"
                 + esc(i18n.name(r.district_zh, r.district_en, lang)) for r in m.itertuples(index=False)]
        pts = pd.DataFrame({"city": m["city"], "lon": m["lon"], "lat": m["lat"],
                            "weight": m["partners"] + 1, "card": cards})
    c = data.city_level
    if len(c):
        cards = [f"<b>{esc(i18n.label('city', r.city, lang))}</b><br>"
                 + _t("map_district_card", lang, institutions=i18n.fmt_int(r.institutions, lang),
                      bases=i18n.fmt_int(r.bases, lang), schools=i18n.fmt_int(r.schools, lang))
                 for r in c.itertuples(index=False)]
        pts = pd.concat([pts, pd.DataFrame({"city": c["city"], "lon": c["lon"], "lat": c["lat"],
                                            "weight": c["institutions"], "card": cards})],
                        ignore_index=True)
    top = max(float(pts["weight"].max()), 1.0) if len(pts) else 1.0
    small, big = (16, 58) if aggregate else (18, 40)
    traces = []
    for city, part in pts.groupby("city", sort=True):
        size = small + (big - small) * np.sqrt(part["weight"].to_numpy(dtype=float) / top)
        traces.append(go.Scattermap(_validate=False,
            lon=part["lon"].to_numpy(float), lat=part["lat"].to_numpy(float), mode="markers",
            marker={"size": size, "color": CITY_COLORS.get(city, OTHER_COLOR), "opacity": 0.88},
            hovertext=part["card"].tolist(), hovertemplate="%{hovertext}<extra></extra>",
            name=_t("map_markers", lang, city=i18n.label("city", city, lang)), meta="districts_markers"))
    return traces


def _names(districts: pd.DataFrame, final_year: pd.DataFrame, zoom: float) -> go.Scattermap:
    """Chinese names of the busiest districts, drawn just under their disc. (The offset is in
    degrees: a textposition other than the centre makes the map fail to render in kaleido.)"""
    busy = final_year[final_year["agreements"] > 0].sort_values(["agreements", "district_code"],
                                                               ascending=[False, True])
    busy = busy[busy["name_zh"].map(drawable_name)].head(NAMES_SHOWN)
    where = districts.set_index(districts["district_code"].astype(str))
    codes = busy["district_code"].astype(str)
    below = NAME_OFFSET_PX * 360 / (512 * 2 ** zoom)
    return go.Scattermap(_validate=False, lon=where.loc[codes, "lon"].to_numpy(float),
                         lat=where.loc[codes, "lat"].to_numpy(float) - below, mode="text",
                         text=busy["name_zh"].tolist(),
                         textfont={"size": 26, "color": NAME_COLOR}, hoverinfo="skip",
                         showlegend=False, meta="names")


def _busiest(metrics: pd.DataFrame) -> pd.DataFrame:
    """Each year's TOP_LISTED districts with most agreements up to it (ties: by code)."""
    m = metrics[metrics["agreements"] > 0]
    return (m.sort_values(["year", "agreements", "district_code"], ascending=[True, False, True])
            .groupby("year", sort=False).head(TOP_LISTED))


def _annotations(busiest: pd.DataFrame, year: int, first: int, lang: str) -> list[dict]:
    """The year (large), its span, and the districts with most agreements up to that year."""
    m = busiest[busiest["year"] == year]
    lines = [f"{esc(i18n.name(zh, en, lang))}  <b>{i18n.fmt_int(n, lang)}</b>"
             for zh, en, n in zip(m["name_zh"], m["name_en"], m["agreements"])]
    box = {"xref": "paper", "yref": "paper", "showarrow": False, "bgcolor": "rgba(255,255,255,0.88)",
           "font": {"color": NAME_COLOR}}
    notes = [
        {**box, "text": f"<b>{year}</b>", "x": 0.01, "y": 0.02, "xanchor": "left", "yanchor": "bottom",
         "font": {"size": 120, "color": NAME_COLOR}, "bgcolor": "rgba(255,255,255,0)"},
        {**box, "text": esc(_t("map_year_span", lang, first=first, year=year)), "x": 0.012, "y": 0.22,
         "xanchor": "left", "yanchor": "bottom", "font": {"size": 28, "color": NAME_COLOR}},
    ]
    if lines:
        notes.append({**box, "text": f"<b>{esc(_t('map_top', lang))}</b><br>" + "<br>".join(lines),
                      "x": 0.01, "y": 0.9, "xanchor": "left", "yanchor": "top", "align": "left",
                      "font": {"size": 28, "color": NAME_COLOR}, "borderpad": 10})
    return notes
