"""The network page's view state as a value: read from URL query parameters (keys `net_*`),
written back to them, never an error on bad input."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PERIODS = ("cumulative", "per_year")
LAYOUTS = ("force", "geo")
COLORS = ("city", "community")
QUERY_KEYS = ("net_year", "net_period", "net_layout", "net_color", "net_focus")
MAX_ID = 100  # longer focus ids are not ids


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

    def span(self, year_from: int) -> tuple[int, int]:
        """The years whose agreements make the network: up to `year`, or that year alone."""
        return (year_from if self.cumulative else self.year), self.year

    def widget_state(self) -> dict:
        """The page's widget values (its widget keys are the query keys)."""
        return dict(zip(QUERY_KEYS, (self.year, self.period, self.layout, self.color, self.focus)))

    def to_query(self) -> dict[str, str]:
        q = {"net_year": str(self.year), "net_period": self.period, "net_layout": self.layout,
             "net_color": self.color}
        if self.focus:
            q["net_focus"] = self.focus
        return q


def _first(q: Mapping, key: str) -> str | None:
    v = q.get(key)
    if isinstance(v, (list, tuple)):
        v = v[-1] if v else None
    return v if isinstance(v, str) else None


def _pick(value: str | None, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else allowed[0]


def from_query(q: Mapping, years: tuple[int, int]) -> NetworkView:
    """The view from URL query parameters; anything unreadable falls back to its default
    (the last year of the filter's range, cumulative, force layout, colour by city, no focus)."""
    try:
        year = min(max(int(_first(q, "net_year") or ""), years[0]), years[1])
    except ValueError:
        year = years[1]
    focus = (_first(q, "net_focus") or "").strip()
    return NetworkView(year=year, period=_pick(_first(q, "net_period"), PERIODS),
                       layout=_pick(_first(q, "net_layout"), LAYOUTS),
                       color=_pick(_first(q, "net_color"), COLORS),
                       focus=focus if 0 < len(focus) <= MAX_ID else None)
