"""The map page's view state (metric, per-year or cumulative, year, cross-city only, selection)
as a value: read from URL query parameters, written back to them, never an error on bad input.

A selection is a short id: "d:<district_code>" (a district), "i:<institution id>" (a base or
school), or "c:<city>" (that city's institutions known only to city level).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from analysis.areas.metrics import METRICS
from analysis.core.view import as_query_value, clamp, first, pick

PERIODS = ("cumulative", "per_year")
SELECTION_KINDS = ("d", "i", "c")
QUERY_KEYS = ("map_metric", "map_period", "map_year", "map_cross", "map_sel")


@dataclass(frozen=True)
class MapView:
    year: int
    metric: str = METRICS[0]
    period: str = PERIODS[0]
    cross_only: bool = False
    selection: str | None = None

    @property
    def cumulative(self) -> bool:
        return self.period == "cumulative"

    def shared(self) -> MapView:
        """The part of the view the map's data and overlay depend on: not the metric or the
        year the map opens on (only the figure reads them), nor the selection (its own queries
        and traces, data.for_view). Views that differ only in those share one computation."""
        return replace(self, metric=METRICS[0], year=0, selection=None)

    def widget_state(self) -> dict:
        """The page's widget values (its widget keys are the query keys)."""
        return dict(zip(QUERY_KEYS, (self.metric, self.period, self.year, self.cross_only,
                                     self.selection)))

    def to_query(self) -> dict[str, str]:
        """Query parameters for this view; the selection only when there is one."""
        return {k: as_query_value(v) for k, v in self.widget_state().items()
                if k != "map_sel" or v}

    @classmethod
    def from_query(cls, q: Mapping, years: tuple[int, int]) -> MapView:
        """The view from URL query parameters; anything unreadable falls back to its default
        (the last year of the filter's range, agreements, cumulative, all arcs, no selection)."""
        selection = first(q, "map_sel")
        return cls(year=clamp(first(q, "map_year"), years[0], years[1], years[1]),
                   metric=pick(first(q, "map_metric"), METRICS),
                   period=pick(first(q, "map_period"), PERIODS),
                   cross_only=first(q, "map_cross") == "1",
                   selection=selection if parse_selection(selection) else None)


def clamp_year(year: int, years: tuple[int, int]) -> int:
    return min(max(year, years[0]), years[1])


def parse_selection(text: str | None) -> tuple[str, str] | None:
    """("d" | "i" | "c", value) for a selection id, None for anything else."""
    if not text or ":" not in text:
        return None
    kind, value = text.split(":", 1)
    return (kind, value) if kind in SELECTION_KINDS and value else None


def selection_from_points(points: list[dict]) -> str | None:
    """The selection id carried by clicked map points (customdata[0] of districts, markers and
    city-level groups); None when nothing selectable was clicked (an arc, empty space)."""
    for point in points or []:
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom and parse_selection(str(custom[0])):
            return str(custom[0])
    return None
