"""The compare page's own view (areas, metrics, distances, the base picked...) as a value:
a view in the sense of analysis/core/view.py.

Keys start with `cmp_` so they never clash with the sidebar's or another page's.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from analysis.compare.data import METRICS, NORMS, TREND_METRICS
from analysis.core.schema import STAGES
from analysis.core.view import as_query_value, clamp, first, pick, subset

# The page shows one section at a time: only its queries and figures run on a rerun (drawn
# together, the six took most of every rerun's time in Streamlit's elements).
SECTIONS = ("side", "trends", "ranking", "flows", "gaps", "partners")
SCOPES = ("any", "same", "cross")
GAP_KM = (1, 100, 10)        # slider min, max, default (km)
PARTNER_KM = (5, 500, 500)   # 500 km reaches every school of both cities
TOP = (5, 100, 20)


@dataclass(frozen=True)
class Options:
    """What the current data and filters offer."""
    areas: tuple[str, ...]
    default_areas: tuple[str, ...]
    bases: tuple[str, ...]     # busiest first: the first one is the default


@dataclass(frozen=True)
class CompareView:
    cmp_section: str
    cmp_areas: tuple[str, ...]
    cmp_trend: str
    cmp_norm: str
    cmp_rank: str
    cmp_gap_km: int
    cmp_base: str | None
    cmp_stages: tuple[str, ...]
    cmp_km: int
    cmp_scope: str
    cmp_top: int

    def widget_state(self) -> dict:
        """Widget keys and values (lists for the multiselects)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def to_query(self) -> dict[str, str]:
        return {k: as_query_value(v) for k, v in self.widget_state().items()}

    @classmethod
    def from_query(cls, q: Mapping, options: Options) -> CompareView:
        """The view a URL (or the widgets' values) describes, checked against the options.
        A list key present but empty means an empty choice."""
        base = first(q, "cmp_base")
        return cls(
            cmp_section=pick(first(q, "cmp_section"), SECTIONS),
            cmp_areas=subset(first(q, "cmp_areas"), options.areas, options.default_areas),
            cmp_trend=pick(first(q, "cmp_trend"), TREND_METRICS),
            cmp_norm=pick(first(q, "cmp_norm"), NORMS),
            cmp_rank=pick(first(q, "cmp_rank"), METRICS, "agreements_per_100k"),
            cmp_gap_km=clamp(first(q, "cmp_gap_km"), *GAP_KM),
            cmp_base=base if base in options.bases else (options.bases[0] if options.bases else None),
            cmp_stages=subset(first(q, "cmp_stages"), STAGES, STAGES),
            cmp_km=clamp(first(q, "cmp_km"), *PARTNER_KM),
            cmp_scope=pick(first(q, "cmp_scope"), SCOPES),
            cmp_top=clamp(first(q, "cmp_top"), *TOP),
        )


KEYS = tuple(CompareView.__dataclass_fields__)
