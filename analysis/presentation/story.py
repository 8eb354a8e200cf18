"""The forum story as data: one Slide per screen, built from the filtered data in one language.

Every renderer (the presenter view and report.html in analysis/presentation/html.py, deck.pptx
in analysis/presentation/deck.py) reads these slides and nothing else, so the page, the CLI and
every export show the same titles, numbers, captions, sources and illustrative badges.
Texts here are plain (not escaped): each renderer escapes for its own format.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from analysis.areas.metrics import Queries
from analysis.compare.figures import city_sankey
from analysis.core import i18n
from analysis.core.display import source_text
from analysis.core.filters import Filters
from analysis.core.schema import ILLUSTRATIVE
from analysis.core.style import copied
from analysis.overview.figures import agreements_by_year_kind
from analysis.presentation.hall_map import hall_calls, hall_map, map_style
from analysis.presentation.theme import hall_style

BASE_THEME = "light"  # the content's (the default): with_theme restyles from it
ROWS_SHOWN = 10        # table rows on one slide; the rest are counted
SOURCES_SHOWN = 8      # sources listed per slide; the rest are counted


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str
    change: str          # "+3 vs 2024", or what the number is when it has no change


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    more: int = 0        # rows left off the slide


@dataclass
class Slide:
    kind: str            # title, key_figures, map, by_year_kind, flows, signings, honours, gaps
    title: str
    caption: str
    figures: list[go.Figure] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    shows_illustrative: bool = False
    lines: list[str] = field(default_factory=list)          # title slide: date, city, venue
    numbers: list[KeyNumber] = field(default_factory=list)  # key figures
    table: Table | None = None


@dataclass
class Story:
    lang: str
    theme: str
    filters: Filters
    title: str
    slides: list[Slide]


def _t(key: str, lang: str, **kw) -> str:
    return i18n.t(f"present.{key}", lang, **kw)


def years_text(f: Filters) -> str:
    span = str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}–{f.year_to}"
    return f"{span} 年" if f.lang == "zh" else span


def build_story(db: Queries, f: Filters, theme: str = "light", edition: str | None = None) -> Story:
    """The deck for these filters in a theme; `edition` is a forum's event_id (default: the
    latest forum in the years at which agreements were signed, else the latest forum)."""
    return with_theme(story_content(db, f, edition), theme)


def with_theme(story: Story, theme: str) -> Story:
    """The story in this theme: itself when it is in it already, else with its charts restyled
    (copies: the story may be cached and read by other sessions). A copy is not checked again:
    that would be most of a theme change."""
    if theme == story.theme:
        return story

    def styled(kind: str, fig: go.Figure) -> go.Figure:
        return map_style(copied(fig), theme) if kind == "map" else hall_style(fig, theme)   # both copy
    return replace(story, theme=theme, slides=[replace(s, figures=[styled(s.kind, fig) for fig in s.figures])
                                               for s in story.slides])


def story_content(db: Queries, f: Filters, edition: str | None = None) -> Story:
    """Every slide's texts, numbers and figures, in BASE_THEME: the queries and the figures'
    data, which a change of theme (with_theme) does not need again."""
    params, lang = f.sql_params(), f.lang
    since_prev = {**params, "year_from": min(f.year_from, f.year_to - 1)}   # the key figures' change
    # every query that needs no other's answer, the hall map's first ones too, at once
    src, events, per_year, kpis, by_kind, flows, honours, gaps, *hall_first = db.query_many([
        ("presentation/sources", params), ("core/events", params),
        ("core/agreements_by_year_pair", since_prev), ("overview/kpis", params),
        ("overview/agreements_by_year_kind", params), ("compare/city_flows", params),
        ("overview/honours", params), ("compare/gap_idle_districts", params), *hall_calls(params)])
    made_up = {part: any(p == part and ill
                         for p, ill in zip(src["part"].tolist(), src["illustrative"].tolist()))
               for part in ("agreements", "institutions")}
    everything = _sources(src, ("agreements", "institutions"), lang)
    agreements_only = _sources(src, ("agreements",), lang)
    any_made_up = made_up["agreements"] or made_up["institutions"]
    forums = events[events["is_forum"]]
    chosen = forums[forums["event_id"] == edition] if edition else forums[forums["agreements"] > 0].tail(1)
    forum = chosen.iloc[-1] if len(chosen) else (forums.iloc[-1] if len(forums) else None)
    slides = [
        _title_slide(forum, f),
        _key_figures(f, per_year, kpis, everything, any_made_up),
        Slide("map", _t("map_title", lang), _t("map_caption", lang),
              [hall_map(db, params, lang, BASE_THEME, prefetched=hall_first)], everything,
              any_made_up),
        _by_year_kind(f, by_kind, agreements_only, made_up["agreements"]),
        _flows(f, flows, agreements_only, made_up["agreements"]),
        _signings(db, f, forum),
        _honours(f, honours),
        _gaps(f, gaps, everything, any_made_up),
    ]
    return Story(lang, BASE_THEME, f, _t("deck_title", lang, years=years_text(f)), slides)


def _sources(src: pd.DataFrame, parts: tuple[str, ...], lang: str) -> list[str]:
    """Distinct sources of these table parts (presentation/sources rows)."""
    return _listed([(p, n) for part, p, n in zip(src["part"].tolist(), src["provenance"].tolist(),
                                                 src["records"].tolist()) if part in parts], lang)


def _row_sources(provenances, lang: str) -> list[str]:
    return _listed([(p, 1) for p in provenances], lang)


def _listed(records: list[tuple[str, int]], lang: str) -> list[str]:
    """(provenance, records) summed per provenance: most records first (ties in the order
    given), made-up records last. Plain Python: a handful of rows, where grouping them in
    pandas took ~3 ms a slide."""
    counts: Counter[str] = Counter()
    for provenance, n in records:
        counts[provenance] += int(n)
    real = sorted(((p, n) for p, n in counts.items() if p != ILLUSTRATIVE), key=lambda pn: -pn[1])
    out = [_t("source_records", lang, source=source_text(p, lang), n=i18n.fmt_int(n, lang))
           for p, n in real[:SOURCES_SHOWN]]
    if len(real) > SOURCES_SHOWN:
        out.append(_t("sources_more", lang, n=len(real) - SOURCES_SHOWN))
    if ILLUSTRATIVE in counts:
        out.append(_t("source_records", lang, source=source_text(ILLUSTRATIVE, lang),
                      n=i18n.fmt_int(counts[ILLUSTRATIVE], lang)))
    return out


def _title_slide(forum, f: Filters) -> Slide:
    lang = f.lang
    caption = _t("title_caption", lang, years=years_text(f))
    if forum is None:
        return Slide("title", _t("deck_title", lang, years=years_text(f)), caption,
                     lines=[_t("no_edition", lang)])
    lines = [_t("edition_line", lang, date=i18n.fmt_date(forum.date, lang),
                city=i18n.label("city", forum.city, lang))]
    if isinstance(forum.venue, str) and forum.venue:
        lines.append(_t("venue", lang, venue=forum.venue))
    theme_text = i18n.name(forum.theme_zh, forum.theme_en, lang)
    if theme_text:
        lines.append(theme_text)
    return Slide("title", i18n.name(forum.name_zh, forum.name_en, lang), caption,
                 sources=_row_sources([forum.provenance], lang), lines=lines,
                 shows_illustrative=forum.provenance == ILLUSTRATIVE)


def _change(now: int, before: int, prev: int, lang: str) -> str:
    delta = now - before
    text = f"+{delta:,}" if delta > 0 else f"−{-delta:,}" if delta < 0 else "±0"
    return _t("change", lang, delta=text, prev=prev)


def _key_figures(f: Filters, per_year: pd.DataFrame, kpis: pd.DataFrame, sources: list[str],
                 made_up: bool) -> Slide:
    """per_year: core/agreements_by_year_pair from the year before the last; kpis: overview/kpis."""
    lang, year, prev = f.lang, f.year_to, f.year_to - 1
    signed = per_year.groupby("year")["agreements"].sum()
    cross = per_year[per_year["cross_city"]].groupby("year")["agreements"].sum()
    k = kpis.iloc[0]
    at = lambda s, y: int(s.get(y, 0))  # noqa: E731
    numbers = [
        KeyNumber(_t("key_signed", lang, year=year), i18n.fmt_int(at(signed, year), lang),
                  _change(at(signed, year), at(signed, prev), prev, lang)),
        KeyNumber(_t("key_cross", lang, year=year), i18n.fmt_int(at(cross, year), lang),
                  _change(at(cross, year), at(cross, prev), prev, lang)),
        KeyNumber(_t("key_bases", lang), i18n.fmt_int(k.bases, lang), _t("no_change", lang)),
        KeyNumber(_t("key_schools", lang), i18n.fmt_int(k.schools, lang), _t("no_change", lang)),
    ]
    return Slide("key_figures", _t("key_title", lang), _t("key_caption", lang, year=year, prev=prev),
                 sources=sources, shows_illustrative=made_up, numbers=numbers)


def _by_year_kind(f: Filters, df: pd.DataFrame, sources: list[str], made_up: bool) -> Slide:
    lang, years = f.lang, (f.year_from, f.year_to)
    title = _t("kind_title", lang)
    if df.empty:
        return Slide("by_year_kind", title, _t("empty", lang))
    per_year = df.groupby("year")["agreements"].sum()
    caption = _t("kind_caption", lang, total=i18n.fmt_int(per_year.sum(), lang), years=years_text(f),
                 peak=int(per_year.idxmax()), peak_n=i18n.fmt_int(per_year.max(), lang))
    fig = hall_style(agreements_by_year_kind(df, lang, years), BASE_THEME)
    return Slide("by_year_kind", title, caption, [fig], sources, made_up)


def _flows(f: Filters, flows: pd.DataFrame, sources: list[str], made_up: bool) -> Slide:
    lang = f.lang
    if flows.empty:
        return Slide("flows", _t("flows_title", lang), _t("empty", lang))
    total, cross = int(flows["agreements"].sum()), int(flows[flows["cross_city"]]["agreements"].sum())
    caption = _t("flows_caption", lang, cross=i18n.fmt_int(cross, lang), total=i18n.fmt_int(total, lang),
                 share=i18n.fmt_pct(cross / total, lang))
    fig = hall_style(city_sankey(flows, lang), BASE_THEME)
    return Slide("flows", _t("flows_title", lang), caption, [fig], sources, made_up)


def _party(name_zh, name_en, city, lang: str) -> str:
    return f"{i18n.name(name_zh, name_en, lang)} · {i18n.label('city', city, lang)}"


def _table(columns: list[str], rows: list[list[str]]) -> Table:
    return Table(columns, rows[:ROWS_SHOWN], max(len(rows) - ROWS_SHOWN, 0))


def _signings(db: Queries, f: Filters, forum) -> Slide:
    lang = f.lang
    if forum is None:
        return Slide("signings", _t("signings_title", lang, edition=""), _t("no_edition", lang))
    edition = i18n.name(forum.name_zh, forum.name_en, lang)
    df = db.query("presentation/edition_signings", **f.sql_params(), event_id=forum.event_id)
    title = _t("signings_title", lang, edition=edition)
    if df.empty:
        return Slide("signings", title, _t("signings_none", lang))
    rows = [[i18n.fmt_date(r.signed_on, lang), i18n.label("kind", r.kind, lang),
             _party(r.a_name_zh, r.a_name_en, r.a_city, lang), _party(r.b_name_zh, r.b_name_en, r.b_city, lang)]
            for r in df.itertuples(index=False)]
    columns = [_t(k, lang) for k in ("col_date", "col_kind", "col_party_a", "col_party_b")]
    return Slide("signings", title, _t("signings_caption", lang, n=i18n.fmt_int(len(df), lang)),
                 sources=_row_sources(df["provenance"], lang), shows_illustrative=bool(df["illustrative"].any()),
                 table=_table(columns, rows))


def _honours(f: Filters, df: pd.DataFrame) -> Slide:
    lang = f.lang
    if df.empty:
        return Slide("honours", _t("honours_title", lang), _t("honours_none", lang))
    rows = [[str(r.year), i18n.label("honour", r.list, lang), i18n.name(r.name_zh, r.name_en, lang),
             i18n.label("city", r.city, lang) if isinstance(r.city, str) and r.city else "—"]
            for r in df.itertuples(index=False)]
    columns = [_t(k, lang) for k in ("col_year", "col_list", "col_name")] + [i18n.t("col.city", lang)]
    return Slide("honours", _t("honours_title", lang),
                 _t("honours_caption", lang, n=i18n.fmt_int(len(df), lang), years=years_text(f)),
                 sources=_row_sources(df["provenance"], lang),
                 shows_illustrative=bool((df["provenance"] == ILLUSTRATIVE).any()), table=_table(columns, rows))


def _gaps(f: Filters, df: pd.DataFrame, sources: list[str], made_up: bool) -> Slide:
    lang = f.lang
    if df.empty:
        return Slide("gaps", _t("gaps_title", lang), _t("gaps_none", lang), sources=sources,
                     shows_illustrative=made_up)
    rows = [[i18n.name(r.name_zh, r.name_en, lang), i18n.label("city", r.city, lang),
             i18n.fmt_int(r.bases, lang), i18n.fmt_int(r.schools, lang)] for r in df.itertuples(index=False)]
    columns = [_t(k, lang) for k in ("col_district",)] + [i18n.t("col.city", lang)] + \
        [_t(k, lang) for k in ("col_bases", "col_schools")]
    return Slide("gaps", _t("gaps_title", lang), _t("gaps_caption", lang, n=i18n.fmt_int(len(df), lang)),
                 sources=sources, shows_illustrative=made_up, table=_table(columns, rows))
