"""Chart builders of the compare page: what they draw, in both languages, names escaped."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.compare import data as compare
from analysis.compare import figures as compare_charts
from analysis.core.style import CITY_COLORS, CROSS_CITY_COLOR
from tests.conftest import filter_params


@pytest.fixture(scope="module")
def metrics(fixture_db):
    return compare.area_metrics(fixture_db, filter_params())


def _areas(db):
    params = filter_params()
    return compare.areas(db.query("areas/districts", **params), params["cities"])


def test_trend_chart_counts_normalised_and_forum_editions(fixture_db, metrics):
    areas = _areas(fixture_db)
    series = compare.trend(metrics, ["Chengdu", "510104"], "agreements", "per_100k", (2021, 2023))
    events = fixture_db.query("core/events", **filter_params())
    fig = compare_charts.trend_chart(series, events, areas, "agreements", "per_100k", (2021, 2023), "en")
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert [(t.name, t.yaxis) for t in lines] == [("Chengdu", "y"), ("Chengdu", "y2"),
                                                  ("Jinjiang District · Chengdu", "y"),
                                                  ("Jinjiang District · Chengdu", "y2")]
    assert list(lines[0].y) == [2, 1, 3] and list(lines[2].y) == [2, 0, 1]
    assert list(lines[3].y) == pytest.approx([0.2, 0.0, 0.1])
    assert lines[0].line.color == CITY_COLORS["Chengdu"] and lines[2].line.dash == "dash"
    # the two forum editions (2021-03-01, 2023-12-14) as dotted lines and hoverable stars
    assert sorted(s.x0 for s in fig.layout.shapes) == ["2021-03-01", "2021-03-01", "2023-12-14", "2023-12-14"]
    stars = [t for t in fig.data if t.mode == "markers"]
    assert stars[0].name == "Forum edition (dotted line)"
    assert [c[0] for c in stars[0].customdata] == ["Test forum 2021", "Test forum 2023"]
    assert list(lines[1].y) == pytest.approx([0.1, 0.05, 0.15])  # 2, 1, 3 per 2,000,000
    assert not any("Population unknown" in a.text for a in fig.layout.annotations)
    # Chongqing's population is unknown: said on the chart, not drawn as zero
    series = compare.trend(metrics, ["Chongqing"], "agreements", "per_100k", (2021, 2023))
    fig = compare_charts.trend_chart(series, events, areas, "agreements", "per_100k", (2021, 2023), "en")
    assert any("Population unknown, not drawn: Chongqing" in a.text for a in fig.layout.annotations)
    assert all(pd.isna(v) for t in fig.data if t.mode == "lines+markers" and t.yaxis == "y2" for v in t.y)


def test_ranking_bar_sorted_and_escaped(metrics):
    ranked = compare.ranking(metrics, "agreements_per_100k")
    ranked.loc[0, "name_zh"] = "<b>渝中</b>"
    fig = compare_charts.ranking_bar(ranked, "agreements_per_100k", "zh")
    bar = fig.data[0]
    assert list(bar.y) == ["&lt;b&gt;渝中&lt;/b&gt; · 重庆", "武侯区 · 成都", "锦江区 · 成都", "永川区 · 重庆"]
    assert list(bar.text) == ["0.67", "0.60", "0.30", "0.00"]
    assert bar.marker.color[1] == CITY_COLORS["Chengdu"]
    assert fig.layout.yaxis.autorange == "reversed"  # highest on top
    assert fig.layout.title.text == "区县排名：每10万人协议数"


def test_pair_year_heatmap_every_year_cross_city_first(fixture_db):
    pairs = fixture_db.query("core/agreements_by_year_pair", **filter_params())
    fig = compare_charts.pair_year_heatmap(pairs, (2020, 2023), "en")
    hm = fig.data[0]
    assert list(hm.x) == ["2020", "2021", "2022", "2023"]
    assert list(hm.y) == ["Chengdu—Chongqing ★", "Chengdu—Chengdu", "Chongqing—Chongqing"]
    assert hm.z.tolist() == [[0, 1, 1, 2], [0, 1, 0, 1], [0, 0, 1, 1]]


def test_sankey_between_cities(fixture_db):
    flows = fixture_db.query("compare/city_flows", **filter_params())
    fig = compare_charts.city_sankey(flows, "zh")
    s = fig.data[0]
    assert list(s.node.label) == ["成都", "重庆", "成都", "重庆"]
    assert list(s.link.source) == [0, 1, 0, 1] and list(s.link.target) == [2, 3, 3, 2]
    assert list(s.link.value) == [2, 2, 3, 1]
    assert s.link.color[2] == "rgba(204,121,167,0.45)" and CROSS_CITY_COLOR == "#CC79A7"
    assert [a.text for a in fig.layout.annotations] == ["甲方所在城市（馆校合作中为基地）", "乙方所在城市"]


def test_a_name_with_plotly_template_syntax_is_not_filled_in(fixture_db, metrics):
    """A district named '%{y} <b>' reads as typed in the hover card: plotly fills in '%{…}' in
    a hovertemplate, so the name's '%' is an entity there (and its markup escaped)."""
    areas = _areas(fixture_db)
    areas["510104"] = replace(areas["510104"], name_en="Jin %{y} <b>jiang")
    series = compare.trend(metrics, ["510104"], "agreements", "per_100k", (2021, 2023))
    fig = compare_charts.trend_chart(series, fixture_db.query("core/events", **filter_params()), areas,
                                     "agreements", "per_100k", (2021, 2023), "en")
    line = next(t for t in fig.data if t.mode == "lines+markers")
    assert line.hovertemplate.startswith("Jin &#37;{y} &lt;b&gt;jiang · Chengdu · %{customdata}")
    assert line.name == "Jin %{y} &lt;b&gt;jiang · Chengdu"   # a legend entry is not a template
