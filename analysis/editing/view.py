"""The data manager's view (analysis/core/view.py): the table managed and, for editors, the
part shown (upload, one signing, history, download)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.core.schema import TABLES
from analysis.core.view import first, pick

PARTS = ("upload", "signing", "history", "download")


@dataclass(frozen=True)
class DataManagerView:
    dm_table: str = "bases"
    dm_view: str = PARTS[0]

    def widget_state(self) -> dict:
        return {"dm_table": self.dm_table, "dm_view": self.dm_view}

    def to_query(self) -> dict[str, str]:
        return self.widget_state()

    @classmethod
    def from_query(cls, q: Mapping) -> DataManagerView:
        return cls(pick(first(q, "dm_table"), TABLES, "bases"), pick(first(q, "dm_view"), PARTS))
