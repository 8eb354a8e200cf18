"""The shapes real spreadsheets have, before the rows become a table: an old .xls workbook,
the sheet that holds the list, a two-row header (坐标 merged over 经度 / 纬度), note rows
under the list (注：…, 说明：…, 制表单位…), and dates written every way staff write them.

upload.py calls these; row numbers stay the spreadsheet's own throughout.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from openpyxl.utils import get_column_letter

from analysis.editing.intake.tables import header_norm, intake_columns, norm

NOTE_START = ("注", "说明", "制表", "填表", "备注", "审核", "联系人", "数据来源", "来源：")
EXCEL_EPOCH = dt.date(1899, 12, 30)     # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug)
SERIAL_RANGE = (18264, 73051)           # 1950-01-01 … 2099-12-31
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(\.0+)?")


def known_header(table: str, cell: str) -> bool:
    from analysis.editing.upload import aliases
    key = header_norm(cell)
    return bool(key) and (key in aliases(table) or key in intake_columns())


def header_fit(rows: list[list[str]], table: str, search: int = 20) -> int:
    """How many known headers the best of the first rows holds (to pick a sheet)."""
    return max((sum(known_header(table, c) for c in row) for row in rows[:search]), default=0)


def pick_sheet(workbook, table: str):
    """The sheet named like the table, else the one whose header fits best (the first on a tie).
    Returns (worksheet, number of sheets)."""
    sheets = workbook.worksheets
    if table in workbook.sheetnames:
        return workbook[table]
    def fit(ws) -> int:
        head = [[("" if c.value is None else str(c.value)) for c in row]
                for row in ws.iter_rows(max_row=20)]
        return header_fit(head, table)
    return max(sheets, key=fit)


def shape(rows: list[list[str]], table: str, header: int) -> list[list[str]]:
    """Merge a two-row header into its lower row and blank the note rows at the bottom.

    `header` is the 0-based row found to be the header. Rows keep their positions (a merged
    upper row becomes blank), so every record keeps its spreadsheet row number."""
    rows = [list(r) for r in rows]
    for upper in (header - 1, header):   # the header found may be either row of the two
        if 0 <= upper and upper + 1 < len(rows) and _two_row_header(rows[upper], rows[upper + 1], table):
            top, below = rows[upper], rows[upper + 1]
            width = max(len(top), len(below))
            top, below = top + [""] * (width - len(top)), below + [""] * (width - len(below))
            rows[upper + 1] = [b.strip() or t.strip() for t, b in zip(top, below)]
            rows[upper] = []
            header = upper + 1
            break
    for i in range(len(rows) - 1, header + 1, -1):
        cells = [c.strip() for c in rows[i] if c.strip()]
        if not cells:
            continue
        if len(cells) <= 2 and norm(cells[0]).startswith(NOTE_START):
            rows[i] = []
            continue
        break
    return rows


def _two_row_header(top: list[str], below: list[str], table: str) -> bool:
    """The lower row holds only header words, under cells the upper row leaves for it, and
    the upper row has headers where the lower one is blank."""
    filled = [j for j, c in enumerate(below) if c.strip()]
    if not filled or not all(known_header(table, below[j]) for j in filled):
        return False
    rest = [c for j, c in enumerate(top) if j not in filled and c.strip()]
    return any(known_header(table, c) for c in rest)


def iso_date(value: str) -> str:
    """2023-12-14, 2023/12/14, 2023.12.14, 2023年12月14日, 2023/12/14 0:00, 20231214 and an
    Excel serial (45274) → 2023-12-14. Anything else is returned as it is (validation says why)."""
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in (_DATE, _COMPACT):
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.date(*map(int, m.groups()[:3])).isoformat()
            except ValueError:
                return value
    if _SERIAL.fullmatch(text) and SERIAL_RANGE[0] <= float(text) <= SERIAL_RANGE[1]:
        return (EXCEL_EPOCH + dt.timedelta(days=int(float(text)))).isoformat()
    return value


# --- old Excel (.xls) -----------------------------------------------------------------------

def read_xls(data: bytes, label: str, table: str, max_rows: int):
    """Rows of the sheet that holds the list, as upload._read_xlsx returns them, or problems."""
    import xlrd
    from analysis.editing.upload import Problem, _cell_text, is_formula

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception:   # xlrd raises many kinds on a damaged file  # noqa: BLE001
        return [Problem(label, None, None, "dm.old_xls")]
    try:
        sheets = [book.sheet_by_index(i) for i in range(book.nsheets)]
        if not sheets:
            return [Problem(label, None, None, "empty_file")]
        named = [s for s in sheets if s.name == table]
        sheet = named[0] if named else max(sheets, key=lambda s: header_fit(
            [[str(v) for v in s.row_values(r)] for r in range(min(s.nrows, 20))], table))
        rows, cells, filled = [], [], 0
        for r in range(sheet.nrows):
            record = []
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(cell.value, "#ERROR")
                    cells.append(Problem(label, r + 1, get_column_letter(c + 1), "dm.error_cell",
                                         {"value": value}))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                else:
                    value = cell.value
                text = _cell_text(value)
                if is_formula(text.strip()):
                    cells.append(Problem(label, r + 1, get_column_letter(c + 1), "dm.formula_cell",
                                         {"value": text}))
                record.append(text)
            filled += any(v.strip() for v in record)
            if filled > max_rows:
                return [Problem(label, None, None, "dm.too_many_rows", {"max": max_rows})]
            rows.append(record)
        return rows, "xls", cells, sheet.name, len(sheets)
    finally:
        book.release_resources()
