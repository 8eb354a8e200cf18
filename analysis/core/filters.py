"""The sidebar filters as a value: parsed from URL query parameters, turned back into them,
and into SQL parameters. Bad or missing URL values fall back to defaults, never to an error."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.core.i18n import LANGS, normalise_lang
from analysis.core.schema import KINDS, MAIN_CITIES


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    cities: tuple[str, ...]
    kinds: tuple[str, ...]
    include_illustrative: bool
    lang: str

    def sql_params(self) -> dict:
        return {"year_from": self.year_from, "year_to": self.year_to,
                "cities": list(self.cities), "kinds": list(self.kinds),
                "include_illustrative": self.include_illustrative}

    def to_query(self) -> dict[str, str]:
        return {"years": f"{self.year_from}-{self.year_to}", "cities": ",".join(self.cities),
                "kinds": ",".join(self.kinds), "illustrative": "1" if self.include_illustrative else "0",
                "lang": self.lang}

    @property
    def is_empty(self) -> bool:
        return not self.cities or not self.kinds


def _first(q: Mapping, key: str) -> str | None:
    v = q.get(key)
    if isinstance(v, (list, tuple)):
        v = v[-1] if v else None
    return v if isinstance(v, str) else None


def parse_years(text: str | None, bounds: tuple[int, int]) -> tuple[int, int]:
    lo, hi = bounds
    try:
        a, b = (int(x) for x in (text or "").split("-"))
    except ValueError:
        return lo, hi
    a, b = sorted((min(max(a, lo), hi), min(max(b, lo), hi)))
    return a, b


def parse_list(text: str | None, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
    if text is None:
        return default
    picked = tuple(v for v in allowed if v in set(text.split(",")))
    return picked if picked or text == "" else default


def from_query(q: Mapping, bounds: tuple[int, int], cities: tuple[str, ...],
               default_lang: str) -> Filters:
    """Filters from URL query parameters; anything unreadable falls back to its default."""
    default_cities = tuple(c for c in MAIN_CITIES if c in cities) or cities
    lang = _first(q, "lang")
    illustrative = _first(q, "illustrative")
    year_from, year_to = parse_years(_first(q, "years"), bounds)
    return Filters(
        year_from=year_from, year_to=year_to,
        cities=parse_list(_first(q, "cities"), cities, default_cities),
        kinds=parse_list(_first(q, "kinds"), KINDS, KINDS),
        include_illustrative=illustrative != "0",
        lang=lang if lang in LANGS else normalise_lang(default_lang),
    )
