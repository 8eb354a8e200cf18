"""Every chart is built unvalidated (plain dicts through analysis/core/style.chart, unvalidated
traces and frames in the maps and the network): each passes plotly's checks here, so every
property name and value it uses is one plotly knows. A misspelt key would otherwise reach the
browser, which ignores it silently."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analysis.compare import data as compare
from analysis.compare import figures as compare_charts
from analysis.core import geo
from analysis.core.style import chart, copied, merged
from analysis.map.data import load_map_data
from analysis.map.figure import cooperation_map
from analysis.map.view import MapView
from analysis.network import figures as network_charts
from analysis.network.data import load_network
from analysis.network.growth import growth
from analysis.network.measures import compute
from analysis.network.view import NetworkView
from analysis.overview import figures as overview_charts
from analysis.presentation.hall_map import hall_map
from analysis.presentation.theme import hall_style
from tests.conftest import filter_params

YEARS = (2021, 2023)


def _charts(db, lang: str) -> dict[str, go.Figure]:
    params = filter_params()
    metrics = compare.area_metrics(db, params)
    areas = compare.areas(db.query("areas/districts", **params), params["cities"])
    events = db.query("core/events", **params)
    network = load_network(db, params, NetworkView(year=YEARS[1]))
    measures = compute(network)
    charts = {
        "by_year_kind": overview_charts.agreements_by_year_kind(
            db.query("overview/agreements_by_year_kind", **params), lang, YEARS),
        "by_year_pair": overview_charts.agreements_by_year_pair(
            db.query("core/agreements_by_year_pair", **params), lang, YEARS),
        "timeline": overview_charts.event_timeline(events, lang),
        # Chongqing's population is unknown: the trend's note on the lower panel is drawn too
        "trend": compare_charts.trend_chart(compare.trend(metrics, ["Chengdu", "Chongqing", "510104"],
                                                          "agreements", "per_100k", YEARS),
                                            events, areas, "agreements", "per_100k", YEARS, lang),
        "ranking": compare_charts.ranking_bar(compare.ranking(metrics, "agreements_per_100k"),
                                              "agreements_per_100k", lang),
        "heatmap": compare_charts.pair_year_heatmap(db.query("core/agreements_by_year_pair", **params),
                                                    YEARS, lang),
        "sankey": compare_charts.city_sankey(db.query("compare/city_flows", **params), lang),
        "growth": network_charts.growth_figure(growth(db, params, True), True, lang),
        # animated: their frames are set as built (style.animated)
        "map": cooperation_map(load_map_data(db, params, MapView(year=YEARS[1]),
                                             [f["id"] for f in geo.districts_geojson()["features"]]), lang),
        "hall_map": hall_map(db, params, lang, "dark"),
        **{f"network_{layout}": network_charts.network_figure(measures, network.pairs, layout, "community",
                                                              lang, "t") for layout in ("force", "geo")},
    }
    # the presenter's restyled copies (a dict copy each, unvalidated)
    return {**charts, **{f"hall_{name}": hall_style(charts[name], "dark") for name in ("by_year_kind", "sankey")}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_unvalidated_chart_passes_plotlys_checks(fixture_db, lang):
    for name, fig in _charts(fixture_db, lang).items():
        checked = go.Figure(fig.to_dict())   # validates: raises on an unknown property or value
        assert checked.data, name
        assert [t.type for t in checked.data] == [t["type"] for t in fig.to_dict()["data"]], name
        assert len(checked.frames) == len(fig.frames), name


def test_an_animated_copy_keeps_its_frames_and_leaves_the_original_alone(fixture_db):
    fig = hall_map(fixture_db, filter_params(), "en")
    copy = copied(fig)
    assert [f.name for f in copy.frames] == [f.name for f in fig.frames] == ["2021", "2022", "2023"]
    assert json.loads(pio.to_json(copy, validate=False)) == json.loads(pio.to_json(fig, validate=False))
    copy.update_layout(paper_bgcolor="black")   # what a theme changes (hall_map.map_style)
    copy.update_traces(marker_line_color="red", selector={"meta": "density"})
    density = next(t for t in fig.data if t.meta == "density")
    assert fig.layout.paper_bgcolor != "black" and density.marker.line.color != "red"


def test_a_misspelt_property_is_caught_by_that_check():
    fig = chart([{"type": "bar", "x": [1], "y": [2], "marker": {"colour": "red"}}], {})
    with pytest.raises(ValueError, match="colour"):
        go.Figure(fig.to_dict())


def test_the_layout_overrides_the_look_at_any_depth():
    fig = chart([], {"margin": {"r": 60}, "legend": {"y": 1}}, "A title", height=300)
    layout = fig.to_dict()["layout"]
    assert layout["margin"] == {"l": 10, "r": 60, "t": 60, "b": 10}
    assert layout["legend"] == {"orientation": "h", "y": 1, "x": 0}
    assert layout["height"] == 300 and layout["title"]["text"] == "A title"
    assert "title" not in chart([], {}).to_dict()["layout"]
    update = {"legend": {"font": {"size": 1}}}
    merged({}, update)["legend"]["font"]["size"] = 2   # the dicts it makes are its own
    assert update["legend"]["font"]["size"] == 1


def test_restyled_axes_share_nothing(fixture_db):
    """A hall copy's axes each get their own dicts: restyling one leaves the other alone."""
    dark = hall_style(_charts(fixture_db, "en")["by_year_kind"], "dark")
    dark.layout.xaxis.tickfont.size = 99
    assert dark.layout.yaxis.tickfont.size == 28
