"""The compare page's figures: every metric per city and district (area_metrics), and their
shapes for display: the side-by-side table, the district ranking and the trend series.

The density figures the map page also shows (agreements touching an area, institutions, bases,
schools, agreements per 100,000 residents and per 100 institutions) come from
analysis.areas.metrics, one implementation for both pages; compare_area_extras.sql adds the
cross-city and schools-reached figures, areas/city_population.sql the cities' population
(data/cities.csv).

An area is a city (id: its English name) or a district (id: its 6-digit code), so one list of
ids can hold both and go into the URL as is.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.areas import metrics as area_figures
from analysis.core import i18n
from analysis.core.schema import MAIN_CITIES

# Every metric of area_metrics(), in display order, with how it is written.
# "count": an integer; "ratio": a decimal.
METRICS: dict[str, str] = {
    "bases": "count", "schools": "count", "agreements": "count", "cross_city": "count",
    "schools_reached_per_base": "ratio",
    "bases_per_100k": "ratio", "schools_per_100k": "ratio",
    "agreements_per_100k": "ratio", "cross_city_per_100k": "ratio",
    "agreements_per_100_institutions": "ratio", "cross_city_per_100_institutions": "ratio",
}
# Bases and schools are counted from the registry as it is today (schools carry no dates),
# so they have no per-year value and no change against the previous year.
UNDATED = ("bases", "schools", "bases_per_100k", "schools_per_100k")
TREND_METRICS = ("agreements", "cross_city")
# Per 100 institutions first: it is defined wherever there are institutions, whereas the
# population of three Chongqing counties is unknown.
NORMS = ("per_100_institutions", "per_100k")
RATIO_DIGITS = 2

COLUMNS = ["area_type", "area_id", "city", "name_zh", "name_en", "year", "population",
           "districts_total", "districts_with_population", "bases", "schools", "institutions",
           "agreements", "cross_city", "schools_reached",
           *(m for m in METRICS if METRICS[m] == "ratio")]


def area_metrics(db: area_figures.Queries, params: dict) -> pd.DataFrame:
    """Every figure, one row per area (in the order of areas()) and
    period: the whole year range (year <NA>) and each year from the one before the range's end
    to its end (for the trends and the change against the previous year)."""
    y_from, y_to = int(params["year_from"]), int(params["year_to"])
    years = list(range(min(y_from, y_to - 1), y_to + 1))
    districts = pd.concat([
        area_figures.district_metrics(db, params).assign(year=pd.NA),
        area_figures.district_metrics_by_year(db, {**params, "year_from": years[0]},
                                             cumulative=False, years=years),
    ], ignore_index=True)
    districts = districts.rename(columns={"district_code": "area_id"}).assign(
        area_type="district", population=_known(districts["population"]),
        districts_total=1, districts_with_population=_known(districts["population"]).notna().astype(int))
    per_year = db.query("areas/city_year_totals", **{**params, "year_from": years[0]})
    cities = pd.concat([area_figures.city_totals(db, params).assign(year=pd.NA), per_year],
                       ignore_index=True)
    cities = cities.merge(db.query("areas/city_population", cities=params["cities"]), on="city")
    cities = cities.assign(area_type="city", area_id=cities["city"], name_zh=None, name_en=None,
                           population=_known(cities["population"]))
    cities["agreements_per_100k"] = area_figures.rate(cities["agreements"], cities["population"], 100_000)
    cities["agreements_per_100_institutions"] = area_figures.rate(cities["agreements"], cities["institutions"], 100)
    frame = pd.concat([cities, districts], ignore_index=True)
    frame["year"] = frame["year"].astype("Int64")
    extras = db.query("areas/area_extras", **params)
    frame = frame.merge(extras.astype({"year": "Int64"}), how="left",
                        on=["area_type", "area_id", "year"])
    frame[["cross_city", "schools_reached"]] = frame[["cross_city", "schools_reached"]].fillna(0).astype(int)
    frame["schools_reached_per_base"] = area_figures.rate(frame["schools_reached"], frame["bases"], 1)
    for col in ("bases", "schools", "cross_city"):
        frame[f"{col}_per_100k"] = area_figures.rate(frame[col], frame["population"], 100_000)
    frame["cross_city_per_100_institutions"] = area_figures.rate(frame["cross_city"], frame["institutions"], 100)
    position = {a: i for i, a in enumerate(areas(db.query("areas/districts", **params), params["cities"]))}
    frame = frame.assign(_area=frame["area_id"].map(position), _year=frame["year"].fillna(-1))
    frame = frame.sort_values(["_area", "_year"]).reset_index(drop=True)
    return frame[COLUMNS]


def _known(population: pd.Series) -> pd.Series:
    """Population as Int64, <NA> when unknown (blank, or 0 which no district has)."""
    p = pd.to_numeric(population, errors="coerce").astype("Int64")
    return p.where(p > 0)


def metric_label(metric: str, lang: str) -> str:
    return i18n.t(f"compare.metric_{metric}", lang)


@dataclass(frozen=True)
class Area:
    area_id: str
    area_type: str  # city | district
    city: str
    name_zh: str | None
    name_en: str | None

    def label(self, lang: str) -> str:
        city = i18n.label("city", self.city, lang)
        if self.area_type == "city":
            return city
        return f"{i18n.name(self.name_zh, self.name_en, lang)} · {city}"


def areas(districts: pd.DataFrame, cities: list[str]) -> dict[str, Area]:
    """Every area of area_metrics(), in the one order both use (the cities as the filter lists
    them, then their districts by city and code), keyed by id. districts: the areas/districts
    query, so a page section without the metrics still knows the areas."""
    order = {c: i for i, c in enumerate(cities)}
    rows = districts.assign(_city=districts["city"].map(order)).sort_values(["_city", "district_code"])
    return {**{c: Area(c, "city", c, None, None) for c in cities},
            **{r.district_code: Area(r.district_code, "district", r.city, _text(r.name_zh), _text(r.name_en))
               for r in rows.itertuples()}}


def default_areas(available: list[str]) -> list[str]:
    """Chengdu vs Chongqing when both are there; otherwise the first two areas."""
    main = [c for c in MAIN_CITIES if c in available]
    return main if len(main) == 2 else available[:2]


def whole_range(metrics: pd.DataFrame) -> pd.DataFrame:
    return metrics[metrics["year"].isna()]


def single_year(metrics: pd.DataFrame, year: int) -> pd.DataFrame:
    return metrics[metrics["year"] == year]


def side_by_side(metrics: pd.DataFrame, area_ids: list[str], year_to: int) -> pd.DataFrame:
    """One row per metric; per area the value over the whole range, in year_to, in the year
    before and the change. Undated metrics have no per-year values (None)."""
    rows = []
    whole = whole_range(metrics).set_index("area_id")
    now = single_year(metrics, year_to).set_index("area_id")
    before = single_year(metrics, year_to - 1).set_index("area_id")
    for metric in METRICS:
        for area_id in area_ids:
            value = _value(whole, area_id, metric)
            dated = metric not in UNDATED
            current = _value(now, area_id, metric) if dated else None
            previous = _value(before, area_id, metric) if dated else None
            change = None if current is None or previous is None else current - previous
            rows.append({"metric": metric, "area_id": area_id, "value": value,
                         "current": current, "previous": previous, "change": change})
    # object columns: counts stay integers and unknowns stay None (not NaN) in downloads
    return pd.DataFrame(rows, columns=["metric", "area_id", "value", "current", "previous", "change"],
                        dtype=object)


def _value(frame: pd.DataFrame, area_id: str, metric: str):
    if area_id not in frame.index:
        return None
    v = frame.at[area_id, metric]
    return None if pd.isna(v) else (int(v) if METRICS[metric] == "count" else float(v))


def fmt_value(value, metric: str, lang: str) -> str:
    if METRICS[metric] == "count":
        return i18n.fmt_int(value, lang)
    return i18n.fmt_num(value, lang, RATIO_DIGITS)


def fmt_change(value, metric: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    text = fmt_value(abs(value), metric, lang)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def population_notes(metrics: pd.DataFrame, area_ids: list[str]) -> list[dict]:
    """For each chosen area whose population is unknown: why (for the page to say plainly)."""
    whole = whole_range(metrics).set_index("area_id")
    notes = []
    for area_id in area_ids:
        if area_id not in whole.index or pd.notna(whole.at[area_id, "population"]):
            continue
        r = whole.loc[area_id]
        notes.append({"area_id": area_id, "area_type": r.area_type,
                      "known": int(r.districts_with_population), "total": int(r.districts_total)})
    return notes


def schools_without_district(metrics: pd.DataFrame) -> int:
    """Schools known only to city level: in their city's count but in no district's."""
    whole = whole_range(metrics)
    return int(whole.loc[whole["area_type"] == "city", "schools"].sum()
               - whole.loc[whole["area_type"] == "district", "schools"].sum())


def ranking(metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Districts by one metric over the whole range, highest first; equal values share a rank
    (1, 2, 2, 4); unknown values (no population, no bases) come last with no rank."""
    d = whole_range(metrics)
    d = d[d["area_type"] == "district"][["area_id", "name_zh", "name_en", "city", "population", metric]]
    d = d.rename(columns={"area_id": "district_code", metric: "value"})
    d = d.sort_values(["value", "district_code"], ascending=[False, True], na_position="last")
    # rounded first, so ratios equal in exact arithmetic (3 per 500,000 and 6 per 1,000,000)
    # are equal here too, whatever the floating-point last digit
    rank = d["value"].astype("float64").round(9).rank(method="min", ascending=False)
    d.insert(0, "rank", rank.astype("Int64"))
    return d.reset_index(drop=True)


def trend(metrics: pd.DataFrame, area_ids: list[str], metric: str, norm: str,
          years: tuple[int, int]) -> pd.DataFrame:
    """Per chosen area and year of the range: the count and its normalised value."""
    d = metrics[metrics["year"].between(*years) & metrics["area_id"].isin(area_ids)]
    order = {a: i for i, a in enumerate(area_ids)}
    out = d[["area_id", "area_type", "city", "year", metric, f"{metric}_{norm}"]].rename(
        columns={metric: "count", f"{metric}_{norm}": "normalised"})
    out = out.assign(year=out["year"].astype(int), _order=out["area_id"].map(order))
    return out.sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _t(key: str, lang: str, **params) -> str:
    return i18n.t(f"compare.{key}", lang, **params)


def years_text(years: tuple[int, int]) -> str:
    return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"


def period_columns(years: tuple[int, int], lang: str) -> dict[str, str]:
    """Headings of the side-by-side columns: the whole range, the last year, the change."""
    return {"value": _t("col_whole", lang, years=years_text(years)),
            "current": _t("col_single_year", lang, year=years[1]),
            "change": _t("col_diff", lang, prev=years[1] - 1)}


def side_by_side_display(table: pd.DataFrame, labels: dict[str, str], years: tuple[int, int],
                         lang: str) -> pd.DataFrame:
    """The side-by-side table as text: a row per metric, three columns per area; "—" where a
    value is unknown or undefined."""
    heads = period_columns(years, lang)
    out = {}
    for metric, rows in table.groupby("metric", sort=False):
        row = {_t("col_metric", lang): metric_label(metric, lang)}
        for r in rows.itertuples():
            area = labels[r.area_id]
            row[f"{area} · {heads['value']}"] = fmt_value(r.value, metric, lang)
            row[f"{area} · {heads['current']}"] = fmt_value(r.current, metric, lang)
            row[f"{area} · {heads['change']}"] = fmt_change(r.change, metric, lang)
        out[metric] = row
    return pd.DataFrame(list(out.values()))


def side_by_side_download(table: pd.DataFrame, labels: dict[str, str], years: tuple[int, int],
                          lang: str) -> pd.DataFrame:
    """The same figures as numbers, one row per metric and area (blank where unknown)."""
    heads = period_columns(years, lang)
    prev = _t("col_single_year", lang, year=years[1] - 1)
    return pd.DataFrame({
        _t("col_metric", lang): [metric_label(m, lang) for m in table["metric"]],
        _t("col_area", lang): [labels[a] for a in table["area_id"]],
        heads["value"]: table["value"], heads["current"]: table["current"],
        prev: table["previous"], heads["change"]: table["change"],
    })
