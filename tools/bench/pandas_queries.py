"""pandas equivalents of the named SQL queries, for the benchmark's DuckDB-vs-pandas comparison.

Each function returns what analysis/sql/<name>.sql returns (same columns, rows and order);
tests/test_bench_pandas.py checks that, so the timings compare like with like. `prepare()`
plays the part of analysis/sql/_setup.sql: it builds the joined tables once per dataset.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from analysis.core.db import query_names
from analysis.core.loading import Dataset
from analysis.core.schema import ILLUSTRATIVE, KINDS, MAIN_CITIES


@dataclass(frozen=True)
class Params:
    """The shared filter parameters of the named queries."""
    year_from: int = 2021
    year_to: int = 2025
    cities: tuple[str, ...] = MAIN_CITIES
    kinds: tuple[str, ...] = KINDS
    include_illustrative: bool = True
    limit: int = 200
    cross_only: bool = False     # the map's arcs: every agreement, not the cross-city ones alone
    cumulative: bool = True      # the map's frames: up to each year

    def as_sql(self) -> dict:
        """The same values as DuckDB $parameters (lists, not tuples)."""
        return {"year_from": self.year_from, "year_to": self.year_to, "cities": list(self.cities),
                "kinds": list(self.kinds), "include_illustrative": self.include_illustrative,
                "limit": self.limit, "cross_only": self.cross_only, "cumulative": self.cumulative}


@dataclass
class Frames:
    tables: dict[str, pd.DataFrame]
    institutions: pd.DataFrame
    facts: pd.DataFrame = field(repr=False)


QUERIES: dict[str, Callable[[Frames, Params], pd.DataFrame]] = {}


def _query(fn):
    name, = (n for n in query_names() if n.rsplit("/", 1)[-1] == fn.__name__)
    QUERIES[name] = fn
    return fn


def prepare(dataset: Dataset) -> Frames:
    """institutions and agreement_facts, as _setup.sql builds them."""
    t = dataset.tables
    bases = t["bases"].rename(columns={"base_id": "id", "category": "subtype"}).assign(type="base")
    schools = t["schools"].rename(columns={"school_id": "id", "stage": "subtype"}).assign(type="school")
    inst = pd.concat([bases, schools], ignore_index=True)
    inst["illustrative"] = inst["provenance"] == ILLUSTRATIVE
    return Frames(t, inst, _facts(t["agreements"], inst))


def _facts(agreements: pd.DataFrame, inst: pd.DataFrame) -> pd.DataFrame:
    side = inst.set_index("id")[["type", "name_zh", "name_en", "city", "district_code", "lon",
                                 "lat", "illustrative"]]
    f = (agreements
         .merge(side.add_prefix("a_"), left_on="party_a_id", right_index=True)
         .merge(side.add_prefix("b_"), left_on="party_b_id", right_index=True))
    f["year"] = f["signed_on"].dt.year.astype("int64")
    f["illustrative"] = (f["provenance"] == ILLUSTRATIVE) | f.pop("a_illustrative") | f.pop("b_illustrative")
    f["cross_city"] = f["a_city"] != f["b_city"]
    a_first = f["a_city"] <= f["b_city"]
    f["city_pair"] = (np.where(a_first, f["a_city"], f["b_city"]) + "–"
                      + np.where(a_first, f["b_city"], f["a_city"]))
    return f.reset_index(drop=True)


def filtered_agreements(fr: Frames, p: Params, year_from: int | None = None,
                        year_to: int | None = None, include_illustrative: bool | None = None) -> pd.DataFrame:
    f = fr.facts
    incl = p.include_illustrative if include_illustrative is None else include_illustrative
    mask = (f["year"].between(p.year_from if year_from is None else year_from,
                              p.year_to if year_to is None else year_to)
            & (f["a_city"].isin(p.cities) | f["b_city"].isin(p.cities))
            & f["kind"].isin(p.kinds))
    if not incl:
        mask &= ~f["illustrative"]
    return f[mask]


def filtered_institutions(fr: Frames, p: Params, include_illustrative: bool | None = None) -> pd.DataFrame:
    i = fr.institutions
    incl = p.include_illustrative if include_illustrative is None else include_illustrative
    mask = i["city"].isin(p.cities)
    if not incl:
        mask &= ~i["illustrative"]
    return i[mask]


def _one_row(**values) -> pd.DataFrame:
    return pd.DataFrame({k: [v] for k, v in values.items()})


@_query
def kpis(fr: Frames, p: Params) -> pd.DataFrame:
    inst = filtered_institutions(fr, p)
    agr = filtered_agreements(fr, p)
    recent = filtered_agreements(fr, p, year_from=p.year_to - 1)["year"]
    return _one_row(bases=int((inst["type"] == "base").sum()),
                    schools=int((inst["type"] == "school").sum()),
                    agreements=len(agr), cross_city=int(agr["cross_city"].sum()),
                    this_year=int((recent == p.year_to).sum()),
                    previous_year=int((recent == p.year_to - 1).sum()))


@_query
def agreements_by_year_kind(fr: Frames, p: Params) -> pd.DataFrame:
    f = filtered_agreements(fr, p)
    return f.groupby(["year", "kind"]).size().reset_index(name="agreements")


@_query
def agreements_by_year_pair(fr: Frames, p: Params) -> pd.DataFrame:
    f = filtered_agreements(fr, p)
    return (f.groupby(["year", "city_pair"])
            .agg(cross_city=("cross_city", "any"), agreements=("cross_city", "size"))
            .reset_index())


@_query
def agreement_list(fr: Frames, p: Params) -> pd.DataFrame:
    cols = ["agreement_id", "signed_on", "kind", "a_name_zh", "a_name_en", "a_city", "b_name_zh",
            "b_name_en", "b_city", "event_id", "title", "provenance", "illustrative", "cross_city"]
    f = filtered_agreements(fr, p)
    # Only rows as new as the limit-th newest can make the page: sort those, not everything.
    cutoff = f["signed_on"].nlargest(p.limit).min()
    top = f.loc[f["signed_on"] >= cutoff, cols]
    return (top.sort_values(["signed_on", "agreement_id"], ascending=[False, True])
            .head(p.limit).reset_index(drop=True))


@_query
def events(fr: Frames, p: Params) -> pd.DataFrame:
    f = fr.facts
    signed = f[f["event_id"].notna() & (p.include_illustrative | ~f["illustrative"])]
    counts = signed.groupby("event_id").size().rename("agreements")
    e = fr.tables["events"]
    e = e[e["date"].dt.year.between(p.year_from, p.year_to)]
    out = e.assign(is_forum=e["event_id"].str.startswith("forum-"))
    out = out.merge(counts, left_on="event_id", right_index=True, how="left")
    out["agreements"] = out["agreements"].fillna(0).astype("int64")
    return out.sort_values("date", kind="stable").reset_index(drop=True)


@_query
def honours(fr: Frames, p: Params) -> pd.DataFrame:
    h = fr.tables["honours"]
    h = h[h["year"].between(p.year_from, p.year_to)]
    return (h.sort_values(["year", "list", "name_zh"], ascending=[False, True, True])
            .reset_index(drop=True))


@_query
def data_status(fr: Frames, p: Params) -> pd.DataFrame:
    rows = []
    for name in ("bases", "schools", "agreements", "events", "honours", "districts", "cities"):
        t = fr.tables[name]
        ill = 0 if name in ("districts", "cities") else int((t["provenance"] == ILLUSTRATIVE).sum())
        rows.append({"table_name": name, "total": len(t), "real": len(t) - ill, "illustrative": ill})
    return pd.DataFrame(rows)


@_query
def summary_by_year_kind(fr: Frames, p: Params) -> pd.DataFrame:
    return (fr.facts.groupby(["year", "kind"])
            .agg(agreements=("illustrative", "size"), illustrative=("illustrative", "sum"))
            .reset_index())


@_query
def year_bounds(fr: Frames, p: Params) -> pd.DataFrame:
    year = fr.facts["year"]
    return _one_row(first_year=year.min(), last_year=year.max())


@_query
def illustrative_count(fr: Frames, p: Params) -> pd.DataFrame:
    inst = filtered_institutions(fr, p, include_illustrative=True)
    agr = filtered_agreements(fr, p, include_illustrative=True)
    return _one_row(illustrative=int(inst["illustrative"].sum() + agr["illustrative"].sum()))
