"""What the import understood of a file, as data: the command line prints it and the data
manager page can draw it (column mapping, value mapping, districts, ids, matches, possible
duplicates, city-level rows, parties created)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnUse:
    written: str            # the header as in the file
    column: str             # the contract (or import-only) column; "" when left out
    action: str             # mapped | read (district, party city…) | ignored (序号…) | left_out


@dataclass(frozen=True)
class ValueUse:
    column: str
    written: str            # the value as in the file ("" when taken from the name)
    value: str              # the contract value
    rows: int
    how: str                # table | name (no such column: found in the name) | fallback


@dataclass(frozen=True)
class DistrictUse:
    written: str
    how: str                # district | alias | former | zone | blank (see places.Place)
    code: str
    name_zh: str
    rows: int


@dataclass(frozen=True)
class RowRef:
    row: int                # spreadsheet row
    id: str
    name: str


@dataclass(frozen=True)
class Duplicate:
    row: int
    name: str
    id: str                 # the id this row gets (a new record)
    existing_id: str
    existing_name: str


@dataclass(frozen=True)
class Understanding:
    table: str
    file: str
    header_row: int = 1
    source: str = ""                                     # option | column | both | ""
    source_text: str = ""                                # the --source given
    columns: tuple[ColumnUse, ...] = ()
    values: tuple[ValueUse, ...] = ()
    districts: tuple[DistrictUse, ...] = ()
    generated: tuple[RowRef, ...] = ()                   # new records and the ids they get
    matched: tuple[RowRef, ...] = ()                     # rows that are an existing record
    duplicates: tuple[Duplicate, ...] = ()               # near names: listed, never merged
    city_level: tuple[int, ...] = ()                     # rows placed at the city centre
    derived: tuple[str, ...] = ()                        # columns the import filled in
    created: tuple[tuple[str, RowRef], ...] = ()         # (table, party) added by --create-missing
    notes: tuple[tuple[str, dict], ...] = field(default=())   # i18n key, params

    @property
    def new(self) -> int:
        return len(self.generated)
