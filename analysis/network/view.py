"""The network page's view state (see analysis/core/view.py): year, cumulative or that year
alone, layout, colour, and the institution whose neighbourhood is shown. Keys `net_*`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.core.view import as_query_value, clamp, first, pick

PERIODS = ("cumulative", "per_year")
LAYOUTS = ("force", "geo")
COLORS = ("city", "community")
QUERY_KEYS = ("net_year", "net_period", "net_layout", "net_color", "net_focus")
MAX_ID = 100  # longer focus texts are not ids


@dataclass(frozen=True)
class NetworkView:
    year: int
    period: str = PERIODS[0]
    layout: str = LAYOUTS[0]
    color: str = COLORS[0]
    focus: str | None = None      # an institution id: its neighbourhood is shown

    @property
    def cumulative(self) -> bool:
        return self.period == "cumulative"

    def widget_state(self) -> dict:
        """The page's widget values (its widget keys are the query keys)."""
        return dict(zip(QUERY_KEYS, (self.year, self.period, self.layout, self.color, self.focus)))

    def to_query(self) -> dict[str, str]:
        """Query parameters for this view; the focus only when there is one."""
        return {k: as_query_value(v) for k, v in self.widget_state().items()
                if k != "net_focus" or v}

    @classmethod
    def from_query(cls, q: Mapping, years: tuple[int, int]) -> NetworkView:
        """The view from URL query parameters; anything unreadable falls back to its default
        (the last year of the filter's range, cumulative, force layout, by city, no focus)."""
        focus = (first(q, "net_focus") or "").strip()
        return cls(year=clamp(first(q, "net_year"), years[0], years[1], years[1]),
                   period=pick(first(q, "net_period"), PERIODS),
                   layout=pick(first(q, "net_layout"), LAYOUTS),
                   color=pick(first(q, "net_color"), COLORS),
                   focus=focus if 0 < len(focus) <= MAX_ID else None)
