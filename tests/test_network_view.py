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
    assert NetworkView(year=2023).span(2021) == (2021, 2023)
    assert NetworkView(year=2023, period="per_year").span(2021) == (2023, 2023)
    assert NetworkView(year=2023).widget_state()["net_year"] == 2023
