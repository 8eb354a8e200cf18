"""Read an uploaded CSV or XLSX file into a table Part, or say exactly why it cannot be read.

Staff files come from Chinese Excel: CSV in UTF-8 (with or without BOM), GB18030/GBK or
UTF-16 ("Unicode text"), or XLSX, often with a title row above the header and Chinese column
names. The encoding is detected (charset-normalizer), never assumed. Row numbers are the
spreadsheet rows the user sees: a record's frame index is its row number minus 2, as
validation.Part expects, also when title rows or blank rows come before it.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import tomllib
import warnings
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePath

import charset_normalizer
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from analysis.core.schema import TABLES
from analysis.core.text import (clean_text, name_key, normalise_date_text, normalise_id,
                                normalise_numeric_text)
from analysis.core.validation import Part, Problem
from analysis.editing import guards

MAX_BYTES = guards.MAX_BYTES        # shown on the page
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20            # title rows allowed above the header
ENCODINGS = ("gb18030", "utf_8")   # what the detector may choose between (GB18030 ⊃ GBK ⊃ GB2312)
_ALIASES_FILE = Path(__file__).with_name("column_aliases.toml")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_LOOSE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass
class Upload:
    """An uploaded file read into strings, with what was learnt while reading it."""
    table: str
    file: str                      # label in messages: the file's own name
    frame: pd.DataFrame            # all str; index = spreadsheet row - 2
    encoding: str                  # utf-8, utf-8-sig, gb18030, utf-16 or xlsx
    header_row: int = 1
    renamed: dict[str, str] = field(default_factory=dict)   # contract column -> header in file
    problems: list[Problem] = field(default_factory=list)   # cells that read but are not allowed
    read_notes: list[tuple[str, dict]] = field(default_factory=list)   # sheet read, .xls name...
    normalised: int = 0            # cells rewritten in their one form (see _normalise)

    @property
    def part(self) -> Part:
        return Part(self.table, self.file, self.frame)

    def column_label(self, column: str | None) -> str | None:
        """The column as the user wrote it, with the contract name: '纬度 (lat)'."""
        if column in self.renamed:
            return f"{self.renamed[column]} ({column})"
        return column


def read_upload(data: bytes, filename: str, table: str) -> Upload | list[Problem]:
    """Read an uploaded file for `table`. Returns the Upload, or the problems that stop it."""
    label = PurePath(filename).name or "upload"
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}")
    if not data:
        return [Problem(label, None, None, "empty_file")]
    kind = _sniff(data)
    refused = guards.check(data, label, kind)
    if refused:
        return [refused]
    suffix = PurePath(label).suffix.lower()
    if suffix in (".xlsx", ".xlsm") and kind != "zip":
        code = "dm.text_named_xlsx" if kind == "text" else "dm.not_xlsx"
        return [Problem(label, None, None, code)]
    from analysis.editing.intake import read as shapes   # (it imports this module)
    notes = []
    if kind == "ole":
        read = shapes.read_xls(data, label, table, MAX_ROWS + HEADER_SEARCH_ROWS)
    elif suffix == ".xls" and kind != "zip":
        return [Problem(label, None, None, "dm.old_xls")]
    elif kind == "zip":
        read = _read_xlsx(data, label, table)
        if suffix == ".xls":
            notes.append(("intake.note_xlsx_named_xls", {}))
    elif kind == "binary":
        return [Problem(label, None, None, "dm.not_text")]
    else:
        read = _read_csv(data, label)
    if isinstance(read, list):
        return read
    rows, encoding, cell_problems, *sheet = read
    if sheet and sheet[1] > 1:
        notes.append(("intake.note_sheet", {"sheet": sheet[0], "count": sheet[1]}))
    rows = shapes.shape(rows, table, _header_row(rows, table))
    result = _to_upload(rows, table, label, encoding, cell_problems)
    if isinstance(result, Upload):
        result.read_notes = notes
    return result


def _sniff(data: bytes) -> str:
    """zip (XLSX), ole (old .xls), text, or binary (anything else)."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    return "binary" if b"\x00" in data[:65536] else "text"


# --- CSV ----------------------------------------------------------------------------------

def _read_csv(data: bytes, label: str):
    text = _decode(data, label)
    if isinstance(text, Problem):
        return [text]
    text, encoding = text
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for record in reader:
            rows.append(record)
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                return [Problem(label, None, None, "dm.too_many_rows", {"max": MAX_ROWS})]
    except csv.Error as exc:
        return [Problem(label, len(rows) + 1, None, "parse_error", {"detail": str(exc)})]
    cells = [Problem(label, r, c, "dm.formula_cell", {"value": v})
             for r, c, v in _formula_cells(rows)]
    return rows, encoding, cells


def _decode(data: bytes, label: str) -> tuple[str, str] | Problem:
    """UTF-16 with BOM, UTF-8 (with or without BOM), else what the detector finds among
    GB18030/UTF-8 (a file partly UTF-8 and partly not was refused by guards.check)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return Problem(label, None, None, "dm.bad_encoding")
    try:
        bom = data.startswith(codecs.BOM_UTF8)
        return data.decode("utf-8-sig"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
    best = charset_normalizer.from_bytes(data, cp_isolation=list(ENCODINGS)).best()
    # Private-use characters mean GB18030 "decoded" another encoding (Big5 often does).
    if best is not None and best.encoding == "gb18030" and not _PRIVATE_USE.search(str(best)):
        return str(best), "gb18030"
    return Problem(label, bad_line, None, "dm.bad_encoding")


def is_formula(value: str) -> bool:
    """Would a spreadsheet run this cell? (=…, @…, or +/- not followed by a plain number.)"""
    if not value or value[0] not in "=@+-":
        return False
    if value[0] in "=@":
        return True
    return len(value) > 1 and not _NUMBER.fullmatch(value)


def _formula_cells(rows: list[list[str]]):
    for r, record in enumerate(rows, 1):
        for c, value in enumerate(record, 1):
            if is_formula(value.strip()):
                yield r, get_column_letter(c), value


# --- XLSX ---------------------------------------------------------------------------------

def _read_xlsx(data: bytes, label: str, table: str):
    # guards.check bounded every part's size. A workbook openpyxl cannot read may fail in
    # many ways (zip, XML, missing parts), also lazily while rows are read: all mean the same.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "no default style" and similar, harmless here
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 (see above)
        return [Problem(label, None, None, "dm.not_xlsx")]
    try:
        sheets = wb.worksheets
        if not sheets:
            return [Problem(label, None, None, "empty_file")]
        from analysis.editing.intake.read import pick_sheet
        ws = pick_sheet(wb, table)
        rows, cells, filled = [], [], 0
        for r, row in enumerate(ws.iter_rows(), 1):
            record = []
            for c, cell in enumerate(row, 1):
                text = _cell_text(cell.value)
                if cell.data_type == "f" or is_formula(text.strip()):
                    cells.append(Problem(label, r, get_column_letter(c), "dm.formula_cell",
                                         {"value": text}))
                elif cell.data_type == "e":
                    cells.append(Problem(label, r, get_column_letter(c), "dm.error_cell",
                                         {"value": text}))
                record.append(text)
            filled += any(v.strip() for v in record)   # formatting alone does not count
            if filled > MAX_ROWS + HEADER_SEARCH_ROWS:
                return [Problem(label, None, None, "dm.too_many_rows", {"max": MAX_ROWS})]
            rows.append(record)
    except Exception:  # noqa: BLE001 (see above)
        return [Problem(label, None, None, "dm.not_xlsx")]
    finally:
        wb.close()
    return rows, "xlsx", cells, ws.title, len(sheets)


def _cell_text(value) -> str:
    """A cell as the text a CSV saved by Excel would hold, in the contract's formats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# --- rows to a table ----------------------------------------------------------------------

@cache
def aliases(table: str) -> dict[str, str]:
    """Normalised header -> contract column, for one table (English names included)."""
    with _ALIASES_FILE.open("rb") as f:
        config = tomllib.load(f)
    names = TABLES[table].column_names
    out = {_norm(c): c for c in names}
    for section in ("all", table):
        for column, words in config.get(section, {}).items():
            if column not in names:
                if section == table:
                    raise ValueError(f"{_ALIASES_FILE.name}: [{table}] has no column {column!r}")
                continue
            for word in words:
                key = _norm(word)
                if out.get(key, column) != column:
                    raise ValueError(f"{_ALIASES_FILE.name}: {word!r} means two columns in {table}")
                out[key] = column
    return out


def accepted_headers(table: str) -> dict[str, list[str]]:
    """Contract column -> the other header names accepted for it (for the help text)."""
    with _ALIASES_FILE.open("rb") as f:
        config = tomllib.load(f)
    names = TABLES[table].column_names
    out: dict[str, list[str]] = {c: [] for c in names}
    for section in ("all", table):
        for column, words in config.get(section, {}).items():
            if column in out:
                out[column] += [w for w in words if w not in out[column]]
    return out


def _norm(header: str) -> str:
    """Headers compared as names are (NFKC: （） = (); case, blanks and a trailing * ignored)."""
    return name_key(header).replace(" ", "").rstrip("*")


def _header_row(rows: list[list[str]], table: str) -> int:
    """0-based index of the header: the first row naming at least two of the table's columns."""
    known = aliases(table)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len({known[k] for k in map(_norm, row) if k in known}) >= 2:
            return i
    return next((i for i, row in enumerate(rows) if any(v.strip() for v in row)), 0)


def _to_upload(rows, table, label, encoding, cell_problems) -> Upload | list[Problem]:
    if not any(v.strip() for row in rows for v in row):
        return [Problem(label, None, None, "empty_file")]
    h = _header_row(rows, table)
    header_line = h + 1
    header = [v.strip() for v in rows[h]]
    body = rows[h + 1:]
    width = max([len(header), *map(len, body)])
    header += [""] * (width - len(header))
    problems = _wrong_table(header, table, label, header_line)

    # Columns without a header: fine if empty (Excel leaves them), a problem if they hold data.
    used = [j for j in range(width)
            if header[j] or any(j < len(r) and r[j].strip() for r in body)]
    for j in used:
        if not header[j]:
            first = next(k for k, r in enumerate(body) if j < len(r) and r[j].strip())
            problems.append(Problem(label, header_line + 1 + first, get_column_letter(j + 1),
                                    "dm.unnamed_column"))
    known = aliases(table)
    names, renamed = [], {}
    for j in used:
        original = header[j]
        column = known.get(_norm(original), original)
        if column != original:
            renamed.setdefault(column, original)
        names.append(column)
    twice = next((n for k, n in enumerate(names) if n and n in names[:k]), None)
    if twice:   # two columns for one field: which to keep is a guess, so refuse
        return [Problem(label, header_line, twice, "duplicate_column")]
    # Cell problems were found by column letter; name the column where it has a header.
    by_letter = {get_column_letter(j + 1): name for j, name in zip(used, names) if name}
    problems += [replace(p, column=by_letter.get(p.column, p.column))
                 for p in cell_problems if p.line > header_line]

    records, index = [], []
    for k, r in enumerate(body):
        values = [(r[j] if j < len(r) else "").strip() for j in used]
        if any(values):
            records.append(values)
            index.append(header_line + 1 + k - 2)   # spreadsheet row - 2, as Part expects
    if len(records) > MAX_ROWS:
        return [Problem(label, None, None, "dm.too_many_rows", {"max": MAX_ROWS})]
    if not records:
        return [Problem(label, header_line, None, "dm.no_rows")]
    frame = pd.DataFrame(records, columns=names, index=index, dtype=object)
    normalised = _normalise(frame, table, label, problems)
    _tidy_dates(frame, table)
    frame = frame.astype(str)
    return Upload(table, label, frame, encoding, header_line, renamed, problems, normalised)


def _normalise(frame: pd.DataFrame, table: str, label: str, problems: list[Problem]) -> int:
    """Ids, numbers and text in their one form (analysis.core.text), in place; returns how
    many cells changed. A cell that held only invisible characters is a problem, never
    silently emptied."""
    kinds = {c.name: c.kind for c in TABLES[table].columns}
    changed = 0
    for j, name in enumerate(frame.columns):
        kind = kinds.get(name, "text")
        fn = (normalise_id if kind == "id" else normalise_date_text if kind == "date" else
              normalise_numeric_text if kind in ("int", "float", "code6") else clean_text)
        old = frame.iloc[:, j]
        new = old.map(fn)
        emptied = (old != "") & (new == "")
        problems += [Problem(label, int(i) + 2, name, "dm.invisible_only") for i in old.index[emptied]]
        changed += int((old != new).sum())
        frame.iloc[:, j] = new
    return changed


def _tidy_dates(frame: pd.DataFrame, table: str) -> None:
    """Chinese Excel saves dates as 2021/3/1: write unambiguous, real dates as 2021-03-01."""
    for col in TABLES[table].columns:
        if col.kind == "date" and col.name in frame.columns and frame[col.name].ndim == 1:
            frame[col.name] = frame[col.name].map(_iso_date)


def _iso_date(value: str) -> str:
    m = _LOOSE_DATE.fullmatch(value)
    if not m:
        return value
    try:
        return dt.date(*map(int, m.groups())).isoformat()
    except ValueError:
        return value


def _wrong_table(header: list[str], table: str, label: str, line: int) -> list[Problem]:
    """If the header fits another table much better, say so: the likeliest mistake."""
    def fit(name: str) -> int:
        known = aliases(name)
        return len({known[k] for k in map(_norm, header) if k in known})

    mine = fit(table)
    best = max(TABLES, key=fit)
    if best != table and fit(best) >= len(TABLES[best].required) and fit(best) > mine:
        return [Problem(label, line, None, "dm.wrong_table", {"table": best})]
    return []
