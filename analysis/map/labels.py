"""The map's words: hover cards, the caption under the map, and the labels and headings of a
selection. Text from the data is escaped here (analysis.core.escape) before plotly renders it."""
from __future__ import annotations

import math
from functools import cache

import pandas as pd

from analysis.core import geo, i18n
from analysis.core.escape import esc
from analysis.map.data import MapData
from analysis.map.view import parse_selection


def feature_names(geojson: dict) -> dict[str, tuple[str, str]]:
    return {f["id"]: (f["properties"].get("name_zh"), f["properties"].get("name_en"))
            for f in geojson["features"]}


def span_text(view, first: int, year: int, lang: str) -> str:
    if view.cumulative:
        years = f"{first}–{year}" if first < year else str(year)
        return i18n.t("map.fig.span_cumulative", lang, years=years)
    return i18n.t("map.fig.span_per_year", lang, year=year)


def district_card(r: dict, span: str, lang: str) -> str:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    name = esc(i18n.name(r["name_zh"], r["name_en"], lang))
    lines = [f"<b>{name}</b> · {esc(i18n.label('city', r['city'], lang))}",
             t("map.hover.district_agreements", span=span, n=i18n.fmt_int(r["agreements"], lang)),
             t("map.hover.district_institutions", n=i18n.fmt_int(r["institutions"], lang),
               bases=i18n.fmt_int(r["bases"], lang), schools=i18n.fmt_int(r["schools"], lang)),
             t("map.hover.per_100_institutions", v=i18n.fmt_num(number_or_nan(r["agreements_per_100_institutions"]), lang)),
             t("map.hover.per_100k", v=i18n.fmt_num(number_or_nan(r["agreements_per_100k"]), lang, 2))]
    if pd.notna(r["population"]) and r["population"] > 0:
        lines.append(t("map.hover.population", n=i18n.fmt_int(int(r["population"]), lang),
                       year=r["population_year"] if pd.notna(r["population_year"]) else "?"))
    else:
        lines.append(t("map.hover.population_unknown"))
    return "<br>".join(lines)


def agreement_cards(rows: pd.DataFrame, lang: str) -> list[str]:
    """Each agreement's hover card. A party's and a kind's words are made once, however many
    agreements share them (most of the map's cards on a filter change)."""
    party = cache(lambda zh, en, d_zh, d_en, city: _party(zh, en, d_zh, d_en, city, lang))
    style = cache(lambda kind, cross: _style(kind, cross, lang))
    made_up = f"<br><i>{i18n.t('map.hover.illustrative', lang)}</i>"
    cols = ["a_name_zh", "a_name_en", "a_district_zh", "a_district_en", "a_city", "b_name_zh",
            "b_name_en", "b_district_zh", "b_district_en", "b_city", "kind", "cross_city",
            "signed_on", "illustrative"]
    return [f"{party(*r[:5])}<br>↔ {party(*r[5:10])}<br>{style(r[10], bool(r[11]))} · "
            f"{i18n.fmt_date(r[12], lang)}{made_up if r[13] else ''}"
            for r in zip(*(rows[c].tolist() for c in cols))]


def link_fields(links: pd.DataFrame, lang: str) -> list[list[str]]:
    """Each summed link's hover fields, for link_template: the card's fixed words and markup sit
    once in the trace's template, not in every link (most of the map's payload at 1M). A place's
    and a style's words are made once, however many links share them."""
    place = cache(lambda zh, en, city: _place(zh, en, city, lang))
    style = cache(lambda kind, cross: _style(kind, cross, lang))
    cols = ["name_zh_1", "name_en_1", "city_1", "name_zh_2", "name_en_2", "city_2", "kind",
            "cross_city", "agreements", "illustrative_agreements"]
    return [["", place(zh1, en1, c1), place(zh2, en2, c2), style(kind, bool(cross)),
             i18n.fmt_int(n, lang), i18n.fmt_int(ill, lang)]
            for zh1, en1, c1, zh2, en2, c2, kind, cross, n, ill in zip(*(links[c].tolist() for c in cols))]


def link_template(lang: str, illustrative: bool) -> str:
    """The hover card of links whose fields come from link_fields (customdata[0] is left empty:
    a link is not a selection); links holding illustrative agreements say how many."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    card = ("<b>%{customdata[1]}</b> ↔ <b>%{customdata[2]}</b><br>%{customdata[3]}<br>"
            + t("map.hover.link_count", n="%{customdata[4]}"))
    if illustrative:
        card += "<br>" + t("map.hover.link_illustrative", n="%{customdata[5]}")
    return card + "<extra></extra>"


def _style(kind: str, cross: bool, lang: str) -> str:
    """'Base–school · cross-city' for a hover card."""
    return (f"{esc(i18n.label('kind', kind, lang))} · "
            + i18n.t("map.hover.cross_city" if cross else "map.hover.same_city", lang))


def _party(zh, en, d_zh, d_en, city, lang: str) -> str:
    """'<b>name</b> (city · district)' for a hover card, every name escaped."""
    district = i18n.name(d_zh, d_en, lang)
    place = i18n.label("city", city, lang) + (f" · {district}" if district else "")
    return f"<b>{esc(i18n.name(zh, en, lang))}</b> ({esc(place)})"


def _place(zh, en, city, lang: str) -> str:
    name = i18n.name(zh, en, lang)
    return esc(name or f"{i18n.label('city', city, lang)} ({i18n.t('map.fig.city_level', lang)})")


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
        zh, en = feature_names(geo.districts_geojson()).get(value, (value, value))
        city = _feature_cities(geo.districts_geojson()).get(value, "")
        return f"{i18n.name(zh, en, lang)} · {i18n.label('city', city, lang)}"
    if kind == "c":
        return i18n.t("map.panel.city_group", lang, city=i18n.label("city", value, lang))
    names = _marker_names(markers).get(value)
    if names:
        zh, en, district_zh, district_en = names
        return f"{i18n.name(zh, en, lang)} · {i18n.name(district_zh, district_en, lang)}"
    return value


_last_markers: tuple | None = None  # (the markers frame, its names by id)


def _marker_names(markers: pd.DataFrame) -> dict[str, tuple]:
    """Names by institution id. The search box labels every marker one call at a time, so the
    index of the last frame seen is kept (held, so its id cannot be reused by another frame;
    read once into a local, so a session thread never pairs one frame with another's names)."""
    global _last_markers
    last = _last_markers
    if last is None or last[0] is not markers:
        cols = [markers[c].tolist() for c in ("name_zh", "name_en", "district_zh", "district_en")]
        last = _last_markers = (markers, dict(zip(markers["id"].tolist(), zip(*cols))))
    return last[1]


def _feature_cities(geojson: dict) -> dict[str, str]:
    return {f["id"]: f["properties"].get("city", "") for f in geojson["features"]}


def selection_title(selection: str | None, institution: pd.DataFrame, lang: str) -> str:
    """Plain-text heading of the side panel; institution: map_institution's row for 'i:' ids."""
    parsed = parse_selection(selection)
    if not parsed:
        return ""
    kind, value = parsed
    if kind == "d":
        zh, en = feature_names(geo.districts_geojson()).get(value, (value, value))
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


def number_or_nan(v) -> float:
    return float(v) if pd.notna(v) else math.nan
