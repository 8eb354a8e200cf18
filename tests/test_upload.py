"""Reading uploaded files: encodings, XLSX, Chinese headers, title rows, spreadsheet row
numbers, limits, and a clear problem for every file that cannot be read."""
from __future__ import annotations

import codecs
import datetime as dt

import pytest

from analysis.core.schema import TABLES
from analysis.core.validation import Problem
from analysis.editing import upload
from analysis.editing.upload import Upload, read_upload
from tests.data_manager_files import BAD_FILES, NEW_BASE, fixture_text, with_rows, xlsx

TEXT = with_rows("bases", NEW_BASE)


@pytest.mark.parametrize("encoding, data, expected", [
    ("utf-8", TEXT.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    ("GB18030", TEXT.encode("gb18030"), "gb18030"),
    ("GBK", TEXT.encode("gbk"), "gb18030"),
    ("GB2312, one short row", b"base_id,name_zh\nx,\xb3\xc9\xb6\xbc\n", "gb18030"),
    ("UTF-16 tab-separated (Excel 'Unicode text')", TEXT.replace(",", "\t").encode("utf-16"), "utf-16"),
])
def test_encodings_are_detected(encoding, data, expected):
    u = read_upload(data, "bases.csv", "bases")
    assert isinstance(u, Upload), u
    assert u.encoding == expected
    assert "新都科技馆" in set(u.frame["name_zh"]) or u.frame["name_zh"].iloc[0] == "成都"


def test_rows_are_numbered_as_excel_shows_them():
    # a title row, a blank row, the header on row 3, a blank line among the records
    text = "2024年科普基地名单\n\n" + TEXT.replace("\nfb-3,", "\n\nfb-3,")
    u = read_upload(text.encode("utf-8"), "名单.csv", "bases")
    assert u.header_row == 3
    assert list(u.part.lines) == [4, 5, 7, 8, 9, 10, 11]
    assert u.frame.loc[u.frame.base_id == "fb-9"].index[0] + 2 == 11


def test_chinese_headers_and_an_xlsx_title_row():
    rows = [["2024 年成渝科普基地（新增）"], [],
            ["编号", "名称 *", "英文名称", "类别", "级别", "城市", "区县代码", "经度", "纬度",
             "坐标精度", "命名年份", "数据来源"],
            ["fb-9", "新都科技馆", "Xindu Science Hall", "science_center", "district", "Chengdu",
             510104, 104.16, 30.82, "exact", 2019, "https://example.org/fb-9"]]
    u = read_upload(xlsx(rows), "新增基地.xlsx", "bases")
    assert isinstance(u, Upload), u
    assert u.encoding == "xlsx" and u.header_row == 3 and u.problems == []
    assert list(u.frame.columns) == TABLES["bases"].column_names
    assert u.frame.iloc[0].to_dict() == {
        "base_id": "fb-9", "name_zh": "新都科技馆", "name_en": "Xindu Science Hall",
        "category": "science_center", "level": "district", "city": "Chengdu",
        "district_code": "510104", "lon": "104.16", "lat": "30.82", "geo_precision": "exact",
        "designated_year": "2019", "provenance": "https://example.org/fb-9"}
    assert u.frame.index[0] + 2 == 4
    assert u.renamed["name_zh"] == "名称 *"
    assert u.column_label("lat") == "纬度 (lat)"


def test_excel_dates_become_iso_dates():
    header = fixture_text("agreements").splitlines()[0].split(",")
    rows = [header, ["fa-9", "base_school", "fb-2", "fs-5", dt.datetime(2023, 3, 3), "", "t", "seed:x"],
            ["fa-10", "base_school", "fb-2", "fs-1", "2023/3/4", "", "t", "seed:x"],
            ["fa-11", "base_school", "fb-2", "fs-2", "2023年3月5日", "", "t", "seed:x"],
            ["fa-12", "base_school", "fb-2", "fs-2", "2023/2/30", "", "t", "seed:x"]]
    u = read_upload(xlsx(rows), "a.xlsx", "agreements")
    assert list(u.frame.signed_on) == ["2023-03-03", "2023-03-04", "2023-03-05", "2023/2/30"]


def test_xlsx_prefers_the_sheet_named_like_the_table():
    import io

    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["说明：本工作簿第二张表是数据"])
    ws = wb.create_sheet("bases")
    for line in TEXT.splitlines():
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    u = read_upload(buf.getvalue(), "wb.xlsx", "bases")
    assert len(u.frame) == 7


def test_a_file_for_another_table_says_so():
    u = read_upload(fixture_text("schools").encode(), "schools.csv", "bases")
    assert Problem("schools.csv", 1, None, "dm.wrong_table") in u.problems
    assert "look like the 'schools' table" in u.problems[0].message("en")


def test_unnamed_column_with_values_is_a_problem_and_empty_ones_are_ignored():
    text = TEXT.replace("provenance\n", "provenance,,\n").replace("fb-9\n", "fb-9,,note\n")
    u = read_upload(text.encode(), "b.csv", "bases")
    assert u.problems == [Problem("b.csv", 8, "N", "dm.unnamed_column")]


def test_cells_are_stripped_and_blank_rows_dropped():
    text = TEXT.replace("fb-9,", " fb-9 ,") + ",,,,\n"
    u = read_upload(text.encode(), "b.csv", "bases")
    assert u.frame.base_id.iloc[-1] == "fb-9" and len(u.frame) == 7


def test_too_many_rows():
    header = fixture_text("bases").splitlines()[0]
    body = "".join(NEW_BASE.replace("fb-9", f"fb-{i}") + "\n" for i in range(upload.MAX_ROWS + 1))
    problems = read_upload((header + "\n" + body).encode(), "b.csv", "bases")
    assert problems == [Problem("b.csv", None, None, "dm.too_many_rows")]
    assert "more than 20000 rows" in problems[0].message("en")


def test_not_a_workbook_named_xlsx():
    problems = read_upload(b"PK\x03\x04" + bytes(200), "b.xlsx", "bases")
    assert [p.code for p in problems] == ["dm.not_xlsx"]


@pytest.mark.parametrize("text, formula", [
    ("=1+2", True), ("@SUM(A1)", True), ("+cmd|' /C calc'!A0", True), ("-2+3+cmd", True),
    ("-", False), ("-104.5", False), ("+86", False), ("1e5", False), ("成都", False), ("", False)])
def test_is_formula(text, formula):
    assert upload.is_formula(text) is formula


@pytest.mark.parametrize("case", [k for k, v in BAD_FILES.items() if not v[3].startswith(
    ("missing", "unknown", "duplicate", "must", "bad_date", "future", "out_of"))])
def test_unreadable_files_get_a_clear_problem(case):
    """The bad files that fail while reading (the rest fail in validation: see the CLI tests)."""
    table, name, data, code, row, phrase = BAD_FILES[case]
    result = read_upload(data, name, table)
    problems = result if isinstance(result, list) else result.problems
    assert [p.code for p in problems] == [code], problems
    assert problems[0].line == row
    assert phrase in problems[0].message("en")
    assert problems[0].message("zh") != problems[0].message("en")


@pytest.mark.parametrize("case", ["formula_csv", "formula_xlsx"])
def test_a_formula_is_reported_in_its_named_column(case):
    table, name, data, *_ = BAD_FILES[case]
    assert [p.column for p in read_upload(data, name, table).problems] == ["name_en"]


def test_aliases_are_consistent():
    for table in TABLES:
        known = upload.aliases(table)
        assert set(TABLES[table].column_names) <= set(known.values())
    assert upload.aliases("honours")["姓名"] == "name_zh"
    assert upload.aliases("bases")["名称(中文)"] == "name_zh"
    assert upload.accepted_headers("bases")["lat"] == ["纬度"]
