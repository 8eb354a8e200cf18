"""The compare page's own view (areas, metrics, distances, the base picked...) as a value:
read from URL query parameters or widget state, checked against what the data offers, and
written back to the URL. Like analysis/filters.py, anything unreadable falls back to a default.

Keys start with `cmp_` so they never clash with the sidebar's or another page's.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from analysis.compare.data import METRICS, NORMS, TREND_METRICS
from analysis.core.schema import STAGES

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
    cmp_areas: list[str]
    cmp_trend: str
    cmp_norm: str
    cmp_rank: str
    cmp_gap_km: int
    cmp_base: str | None
    cmp_stages: list[str]
    cmp_km: int
    cmp_scope: str
    cmp_top: int

    def state(self) -> dict:
        """Widget keys and values (for st.session_state)."""
        return asdict(self)

    def to_query(self) -> dict[str, str]:
        return {k: ",".join(v) if isinstance(v, list) else ("" if v is None else str(v))
                for k, v in asdict(self).items()}


KEYS = tuple(CompareView.__dataclass_fields__)


def resolve(values: Mapping, options: Options) -> CompareView:
    """A valid view from typed values (widget state); missing or invalid ones take defaults."""
    base = values.get("cmp_base")
    return CompareView(
        cmp_areas=_subset(values.get("cmp_areas"), options.areas, options.default_areas),
        cmp_trend=_pick(values.get("cmp_trend"), TREND_METRICS),
        cmp_norm=_pick(values.get("cmp_norm"), NORMS),
        cmp_rank=_pick(values.get("cmp_rank"), tuple(METRICS), "agreements_per_100k"),
        cmp_gap_km=_clamp(values.get("cmp_gap_km"), GAP_KM),
        cmp_base=base if base in options.bases else (options.bases[0] if options.bases else None),
        cmp_stages=_subset(values.get("cmp_stages"), STAGES, STAGES),
        cmp_km=_clamp(values.get("cmp_km"), PARTNER_KM),
        cmp_scope=_pick(values.get("cmp_scope"), SCOPES),
        cmp_top=_clamp(values.get("cmp_top"), TOP),
    )


def from_query(q: Mapping, options: Options) -> CompareView:
    """The view a URL describes. A list key present but empty means an empty choice."""
    values: dict = {}
    for key in KEYS:
        text = _first(q, key)
        if text is None:
            continue
        values[key] = [v for v in text.split(",") if v] if key in ("cmp_areas", "cmp_stages") else text
    return resolve(values, options)


def _first(q: Mapping, key: str) -> str | None:
    v = q.get(key)
    if isinstance(v, (list, tuple)):
        v = v[-1] if v else None
    return v if isinstance(v, str) else None


def _subset(value, allowed: tuple[str, ...], default: tuple[str, ...]) -> list[str]:
    """The valid items of a list, in the order given; the default when there was no list or
    nothing in it was valid (an empty list stays empty: the user cleared the choice)."""
    if not isinstance(value, (list, tuple)):
        return list(default)
    picked = [v for v in dict.fromkeys(value) if v in allowed]
    return picked if picked or not value else list(default)


def _pick(value, allowed: tuple[str, ...], default: str | None = None) -> str:
    return value if value in allowed else (default or allowed[0])


def _clamp(value, bounds: tuple[int, int, int]) -> int:
    lo, hi, default = bounds
    try:
        n = int(float(value))
    except (TypeError, ValueError):
        return default
    return min(max(n, lo), hi)
