"""The network page's view state: from the URL and back, never an error on bad input."""
from __future__ import annotations

import pytest

from analysis.network.view import NetworkView

YEARS = (2021, 2025)


def test_defaults():
    assert NetworkView.from_query({}, YEARS) == NetworkView(year=2025, period="cumulative", layout="force",
                                                color="city", focus=None)


def test_round_trip():
    view = NetworkView(year=2023, period="per_year", layout="geo", color="community", focus="cd-b-001")
    assert view.to_query() == {"net_year": "2023", "net_period": "per_year", "net_layout": "geo",
                               "net_color": "community", "net_focus": "cd-b-001"}
    assert NetworkView.from_query(view.to_query(), YEARS) == view
    assert "net_focus" not in NetworkView(year=2023).to_query()


@pytest.mark.parametrize("query, expected", [
    ({"net_year": "1999"}, NetworkView(year=2021)),
    ({"net_year": "2999"}, NetworkView(year=2025)),
    ({"net_year": "abc", "net_period": "weekly", "net_layout": "3d", "net_color": "<b>"},
     NetworkView(year=2025)),
    ({"net_year": ["2022", "2024"]}, NetworkView(year=2024)),
    ({"net_focus": ""}, NetworkView(year=2025)),
    ({"net_focus": "x" * 101}, NetworkView(year=2025)),
    ({"net_focus": 5}, NetworkView(year=2025)),
    ({"net_focus": " fb-1 "}, NetworkView(year=2025, focus="fb-1")),
])
def test_bad_input_falls_back(query, expected):
    assert NetworkView.from_query(query, YEARS) == expected


def test_span():
    from analysis.network.data import span_params

    params = {"year_from": 2021, "year_to": 2024, "cities": [], "kinds": [], "include_illustrative": True}
    assert [span_params(params, NetworkView(year=y, period=p))[k] for y, p in
            ((2023, "cumulative"), (2023, "per_year"), (2030, "per_year")) for k in ("year_from", "year_to")] \
        == [2021, 2023, 2023, 2023, 2024, 2024]   # a year beyond the range is its last
    assert NetworkView(year=2023).widget_state()["net_year"] == 2023
