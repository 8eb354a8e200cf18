"""The page's tables (hubs, cross-city brokers, bridges, institutions without agreements),
in the chosen language, ready for display and for formula-safe CSV/XLSX downloads."""
from __future__ import annotations

import pandas as pd

from analysis.core import display, i18n
from analysis.network.measures import Measures, busiest

TABLE_LIMIT = 50


def _institution_columns(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda key: i18n.t(f"net.col.{key}", lang)  # noqa: E731
    subtype = [i18n.label("category" if ty == "base" else "stage", s, lang)
               for ty, s in zip(df["type"], df["subtype"])]
    return pd.DataFrame({
        t("id"): df["id"].to_numpy(),
        t("name"): display.names(df, lang),
        t("type"): [i18n.t(f"net.hover.{ty}", lang) for ty in df["type"]],
        t("subtype"): subtype,
        t("city"): [i18n.label("city", c, lang) for c in df["city"]],
        t("district"): display.names(df, lang, "district_zh", "district_en"),
    })


def _yes_no(values, lang: str) -> list[str]:
    return [i18n.t("net.col.yes" if v else "net.col.no", lang) for v in values]


def _measure_table(nodes: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda key: i18n.t(f"net.col.{key}", lang)  # noqa: E731
    out = _institution_columns(nodes, lang)
    for col in ("degree", "weighted_degree", "cross_degree"):
        out[t(col)] = nodes[col].to_numpy()
    out[t("betweenness")] = nodes["betweenness"].round(4).to_numpy()
    out[t("cross_betweenness")] = nodes["cross_betweenness"].round(1).to_numpy()
    out[t("community")] = nodes["community"].to_numpy()
    out[t("illustrative")] = _yes_no(nodes["illustrative"], lang)
    return out


def hubs(measures: Measures, lang: str, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """The institutions with the most partners (then agreements, then id)."""
    top = busiest(measures.nodes, ("degree", "weighted_degree"), limit)
    return _measure_table(top, lang)


def brokers(measures: Measures, lang: str, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """The institutions on the most Chengdu–Chongqing shortest paths (those on none left out)."""
    n = measures.nodes
    top = busiest(n[n["cross_betweenness"] > 0], ("cross_betweenness", "degree"), limit)
    return _measure_table(top, lang)


def bridges(measures: Measures, lang: str, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """Bridge pairs, the most Chengdu–Chongqing institution pairs separated first."""
    t = lambda key: i18n.t(f"net.col.{key}", lang)  # noqa: E731
    nodes = measures.nodes.set_index("ix")
    top = measures.bridges.head(limit)
    a, b = nodes.loc[top["a"]], nodes.loc[top["b"]]
    name = lambda part: display.names(part, lang)  # noqa: E731
    return pd.DataFrame({
        t("party_a"): name(a), t("city_a"): [i18n.label("city", c, lang) for c in a["city"]],
        t("party_b"): name(b), t("city_b"): [i18n.label("city", c, lang) for c in b["city"]],
        t("agreements"): top["agreements"].to_numpy(),
        t("cross_city"): _yes_no(top["cross_city"], lang),
        t("separated_pairs"): top["separated_pairs"].to_numpy(),
        f"{t('id')} A": a["id"].to_numpy(), f"{t('id')} B": b["id"].to_numpy(),
    })


def isolated(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = _institution_columns(frame, lang)
    out[i18n.t("net.col.illustrative", lang)] = _yes_no(frame["illustrative"], lang)
    return out


def neighbourhood(near: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The partners (1 step) and their partners (2 steps) of a selected institution."""
    out = _measure_table(near, lang)
    out.insert(0, i18n.t("net.col.hops", lang), near["hops"].to_numpy())
    return out
