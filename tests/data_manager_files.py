"""Upload files for the data manager tests, built from the fixture tables in memory.

BAD_FILES lists every kind of bad file the issue names (an unknown column is no longer one:
issue 13 leaves it out with a notice, see tests/test_intake_lists.py): (table, file name, bytes, the problem
code expected, the spreadsheet row it is reported on or None, a phrase of the message)."""
from __future__ import annotations

import io
import random

import openpyxl

from tests.conftest import FIXTURE_DIR


def fixture_text(table: str) -> str:
    return (FIXTURE_DIR / f"{table}.csv").read_text(encoding="utf-8")


def with_rows(table: str, *rows: str) -> str:
    return fixture_text(table) + "".join(r + "\n" for r in rows)


NEW_BASE = "fb-9,新都科技馆,Xindu Science Hall,science_center,district,Chengdu,510104,104.16,30.82,exact,2019,https://example.org/fb-9"
NEW_AGREEMENT = "fa-9,base_school,fb-2,fs-5,2023-03-03,,New link,https://example.org/fa-9"


def xlsx(rows: list[list], title: str = "Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fifty_megabytes() -> bytes:
    row = (NEW_BASE + "\n").encode("utf-8")
    header = fixture_text("bases").splitlines()[0].encode("utf-8") + b"\n"
    return header + row * (50 * 2**20 // len(row) + 1)


def _mixed() -> bytes:
    # a UTF-8 file with one row pasted in from a GBK file
    return fixture_text("bases").encode("utf-8") + (NEW_BASE + "\n").encode("gbk")


def _formula_xlsx() -> bytes:
    lines = [line.split(",") for line in fixture_text("bases").splitlines()]
    lines[2][2] = '=HYPERLINK("http://evil.example","click")'
    return xlsx(lines)


BAD_FILES = {
    # id: (table, file name, content, code, row, phrase)
    "wrong_encoding": ("bases", "bases.csv", (fixture_text("bases").splitlines()[0] + "\n" + NEW_BASE.replace(
                           "新都科技馆", "高雄市立美術館") + "\n").encode("big5"),
                       "dm.bad_encoding", 2, "encoding is not recognised"),
    "mixed_encoding": ("bases", "bases.csv", _mixed(), "dm.mixed_encoding", 8, "mixes encodings"),
    "missing_column": ("bases", "bases.csv",
                       "base_id,name_zh,category,city,lon,provenance\n"
                       "fb-9,新都科技馆,science_center,Chengdu,104.16,https://example.org/fb-9\n".encode(),
                       "missing_column", 1, "required column is missing"),
    "duplicate_id": ("bases", "bases.csv", with_rows("bases", NEW_BASE.replace("fb-9", "fb-2")).encode(),
                     "duplicate_id", 8, "is used more than once"),
    "missing_institution": ("agreements", "agreements.csv",
                            ("agreement_id,kind,party_a_id,party_b_id,signed_on,event_id,title,provenance\n"
                             + NEW_AGREEMENT.replace("fs-5", "fs-77") + "\n").encode(),
                            "unknown_party", 2, "neither a base nor a school"),
    "base_school_two_bases": ("agreements", "agreements.csv",
                              with_rows("agreements", NEW_AGREEMENT.replace("fs-5", "fb-1")).encode(),
                              "must_be_school", 10, "must be a school"),
    "bad_date": ("agreements", "agreements.csv",
                 with_rows("agreements", NEW_AGREEMENT.replace("2023-03-03", "2023-02-30")).encode(),
                 "bad_date", 10, "not a valid date"),
    "future_date": ("agreements", "agreements.csv",
                    with_rows("agreements", NEW_AGREEMENT.replace("2023-03-03", "2999-01-01")).encode(),
                    "future_date", 10, "lies in the future"),
    "outside_region": ("bases", "bases.csv",
                       with_rows("bases", NEW_BASE.replace("104.16", "121.47")).encode(),
                       "out_of_region", 8, "outside the Sichuan–Chongqing area"),
    "empty": ("bases", "bases.csv", b"", "empty_file", None, "file is empty"),
    "header_only": ("bases", "bases.csv", fixture_text("bases").splitlines()[0].encode(),
                    "dm.no_rows", 1, "no records"),
    "random_bytes": ("bases", "bases.csv", random.Random(4).randbytes(8192), "dm.not_text", None,
                     "not a CSV or Excel file"),
    "csv_renamed_xlsx": ("bases", "bases.xlsx", with_rows("bases", NEW_BASE).encode(),
                         "dm.text_named_xlsx", None, "Rename it to .csv"),
    "fifty_megabytes": ("bases", "bases.csv", _fifty_megabytes(), "dm.too_large", None,
                        "too large (50.0 MB; the limit is 10.0 MB)"),
    "formula_csv": ("bases", "bases.csv",
                    with_rows("bases", NEW_BASE.replace("Xindu Science Hall", "=1+cmd|' /C calc'!A0")).encode(),
                    "dm.formula_cell", 8, "holds a formula"),
    "formula_xlsx": ("bases", "bases.xlsx", _formula_xlsx(), "dm.formula_cell", 3, "holds a formula"),
    "old_xls": ("bases", "bases.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
                "dm.old_xls", None, "old Excel file"),
}
