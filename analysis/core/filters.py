"""The sidebar filters as a view (see analysis/core/view.py), and as SQL parameters."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.core.i18n import LANGS, normalise_lang
from analysis.core.schema import KINDS, MAIN_CITIES
from analysis.core.view import as_query_value, first, subset, year_range


def year_bounds(db) -> tuple[int, int]:
    """The year range the filters offer (anything with .query(name)): the years of the
    agreements, widened to two years when there is one (a slider needs a range), the last five
    years when there are none."""
    first, last = db.query("core/year_bounds").iloc[0]
    today = pd.Timestamp.today().year
    bounds = (int(first) if pd.notna(first) else today - 4, int(last) if pd.notna(last) else today)
    return (bounds[0] - 1, bounds[1]) if bounds[0] == bounds[1] else bounds


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
        return {k: as_query_value(v) for k, v in self.widget_state().items()}

    @property
    def is_empty(self) -> bool:
        return not self.cities or not self.kinds

    def widget_state(self) -> dict:
        """The sidebar widgets' values (their keys are the query keys)."""
        return {"years": (self.year_from, self.year_to), "cities": list(self.cities),
                "kinds": list(self.kinds), "illustrative": self.include_illustrative,
                "lang": self.lang}

    @classmethod
    def from_query(cls, q: Mapping, bounds: tuple[int, int], cities: tuple[str, ...],
                   default_lang: str) -> Filters:
        """Filters from URL query parameters; anything unreadable falls back to its default."""
        default_cities = tuple(c for c in MAIN_CITIES if c in cities) or cities
        lang = first(q, "lang")
        year_from, year_to = year_range(first(q, "years"), bounds)
        return cls(
            year_from=year_from, year_to=year_to,
            cities=subset(first(q, "cities"), cities, default_cities),
            kinds=subset(first(q, "kinds"), KINDS, KINDS),
            include_illustrative=first(q, "illustrative") != "0",
            lang=lang if lang in LANGS else normalise_lang(default_lang),
        )


@dataclass(frozen=True)
class LanguageView:
    """The sidebar of a page shown without data: the language alone."""
    lang: str

    def widget_state(self) -> dict:
        return {"lang": self.lang}

    def to_query(self) -> dict[str, str]:
        return {"lang": self.lang}

    @classmethod
    def from_query(cls, q: Mapping, default_lang: str) -> LanguageView:
        lang = first(q, "lang")
        return cls(lang if lang in LANGS else normalise_lang(default_lang))
