"""Query results shaped for reading: names in the chosen language, code values as labels,
the agreements table every page shows, and where a record comes from. No Streamlit here."""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator

import pandas as pd

from analysis.core import i18n
from analysis.core.schema import ILLUSTRATIVE, LIST_PREFIX, SEED_PREFIX


def names(df: pd.DataFrame, lang: str, zh: str = "name_zh", en: str = "name_en") -> list[str]:
    """One display name per row: the name in the chosen language, else the other one."""
    # plain lists: iterating arrow-backed columns value by value is several times slower
    return [i18n.name(z, e, lang) for z, e in zip(df[zh].tolist(), df[en].tolist())]


def rows(df: pd.DataFrame) -> Iterator[tuple]:
    """df.itertuples(index=False), over plain lists: for the cards built row by row (iterating
    arrow-backed columns value by value is several times slower)."""
    row = namedtuple("Row", df.columns, rename=True)
    return map(row._make, zip(*(df[c].tolist() for c in df.columns)))


def labels(values: pd.Series, group: str, lang: str) -> pd.Series:
    """Code values (a city, a kind, a stage...) as labels; missing values stay missing."""
    return values.map(lambda v: i18n.label(group, v, lang), na_action="ignore")


def with_names(df: pd.DataFrame, lang: str, zh: str = "name_zh", en: str = "name_en",
               out: str = "name") -> pd.DataFrame:
    return df.assign(**{out: [n or None for n in names(df, lang, zh, en)]})


def agreements_table(df: pd.DataFrame, lang: str, with_city: bool = False) -> pd.DataFrame:
    """The rows of an agreement list (columns of agreement_facts) as the pages show them:
    date, kind, both parties named (with their city on request), title and source."""
    def party(side: str) -> list[str]:
        named = names(df, lang, f"{side}_name_zh", f"{side}_name_en")
        if not with_city:
            return named
        return [f"{n} · {i18n.label('city', c, lang)}" for n, c in zip(named, df[f"{side}_city"])]
    table = df.assign(kind=labels(df["kind"], "kind", lang), party_a=party("a"), party_b=party("b"))
    return source_columns(table[["signed_on", "kind", "party_a", "party_b", "title", "provenance"]],
                          lang)


def source_label(provenance: str, lang: str) -> str:
    """What kind of source a provenance value is: made up, the seed article, a published list
    (by its title and date), or a web page."""
    if provenance == ILLUSTRATIVE:
        return i18n.t("app.illustrative", lang)
    if isinstance(provenance, str) and provenance.startswith(SEED_PREFIX):
        return i18n.t("app.seed_article", lang)
    if isinstance(provenance, str) and provenance.startswith(LIST_PREFIX):
        return i18n.t("app.list_source", lang, title=provenance[len(LIST_PREFIX):].strip())
    return i18n.t("app.web_source", lang)


def source_text(provenance: str, lang: str) -> str:
    """A source in one line of text (slides, reports): the URL itself, else its label."""
    if isinstance(provenance, str) and re.match(r"^https?://", provenance):
        return provenance
    return source_label(provenance, lang)


def source_columns(df: pd.DataFrame, lang: str, column: str = "provenance") -> pd.DataFrame:
    """Replace a provenance column by a link (for URLs) and a label."""
    p = df[column].astype("string")
    is_url = p.str.match(r"^https?://").fillna(False)
    out = df.drop(columns=[column]).copy()
    out["source_url"] = p.where(is_url, None)
    out["source_label"] = p.map(lambda v: source_label(v, lang))
    return out
