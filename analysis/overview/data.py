"""The overview's key figures from the kpis query: counts, the cross-city share and the
change of this year's signings against the previous year."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class KeyFigures:
    bases: int
    schools: int
    agreements: int
    cross_city: int
    this_year: int
    previous_year: int

    @classmethod
    def from_row(cls, row: pd.Series) -> KeyFigures:
        return cls(*(int(row[f]) for f in cls.__dataclass_fields__))

    @property
    def cross_share(self) -> float | None:
        """Share of the agreements that join the two cities; None when there are none."""
        return self.cross_city / self.agreements if self.agreements else None

    @property
    def change(self) -> int:
        return self.this_year - self.previous_year
