"""The shapes real spreadsheets have: an old .xls, an .xlsx named .xls, the list on the second
sheet, a two-row header, full-width digits, note rows, formatting down to row 25,000, dates."""
from __future__ import annotations

import io

import openpyxl
import pytest

from analysis.editing.intake.names import name_key
from analysis.editing.intake.read import iso_date
from analysis.editing.upload import Upload, read_upload
from tests.conftest import ROOT
from tests.data_manager_files import xlsx
from tests.intake_files import SOURCE, lines, new_lines, run

XLS = ROOT / "tests" / "fixtures" / "intake" / "list.xls"   # made by make_xls.py beside it


@pytest.mark.parametrize("written", ["2023-12-14", "2023/12/14", "2023.12.14", "2023年12月14日",
                                     "2023/12/14 0:00", "20231214", "45274", "２０２３-１２-１４"])
def test_dates_in_every_usual_form(written):
    assert iso_date(written) == "2023-12-14"


@pytest.mark.parametrize("written", ["2023/2/30", "12/14/2023", "99999", "下周"])
def test_what_is_not_a_date_is_left_for_validation(written):
    assert iso_date(written) == written


def test_names_compare_without_width_spaces_or_bracket_style():
    assert name_key("成都树德实验中学（东区）") == name_key("成都树德实验中学 (东区)")
    assert name_key("ＡＢＣ 科技馆") == name_key("abc科技馆")


def test_an_old_xls_with_the_list_on_its_second_sheet(data_copy, capsys):
    d = data_copy()
    before = lines(d, "bases")
    u = read_upload(XLS.read_bytes(), "list.xls", "bases")
    assert isinstance(u, Upload) and u.encoding == "xls" and u.header_row == 2
    assert u.read_notes == [("intake.note_sheet", {"sheet": "名单", "count": 2})]
    assert list(u.frame["命名日期"]) == ["2024-03-01", "2024-03-01"]   # date cells read as dates
    rc, out, err = run(capsys, XLS, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert "The workbook has 2 sheets; '名单' was read (its header fits best)." in out
    assert new_lines(d, "bases", before) == [
        f"cd-b-001,锦江区青少年科技馆,,science_center,district,Chengdu,510104,104.1170,30.6000,district,,{SOURCE}",
        f"cd-b-002,双流航空科普馆,,museum,municipal,Chengdu,510116,103.9500,30.5000,district,,{SOURCE}"]


def test_an_xlsx_saved_with_an_xls_name(data_copy, tmp_path, capsys):
    d = data_copy()
    path = tmp_path / "名单.xls"
    path.write_bytes(xlsx([["基地名称", "所在区县", "类别"], ["渝北科技馆", "渝北", "科技馆"]]))
    rc, out, err = run(capsys, path, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert "The name ends in .xls but the file is an .xlsx workbook; it was read as one." in out
    assert lines(d, "bases")[-1] == \
        f"cq-b-001,渝北科技馆,,science_center,,Chongqing,500112,106.6300,29.7200,district,,{SOURCE}"


def test_a_two_row_header_full_width_digits_notes_and_formatting_to_row_25000(data_copy, tmp_path, capsys):
    d = data_copy()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["2024年重庆市科普基地名单"],
                ["序号", "基地名称", "区县代码", "坐标", None, "类别"],
                [None, None, None, "经度", "纬度", None],
                [1, "重庆自然博物馆", "５００１０９", "１０６．４１", "２９．８３", "博物馆"],
                [2, "永川科技馆", "500118", "105.93", "29.36", "科技馆"],
                [],
                ["注：坐标为馆址位置。"],
                ["制表单位：重庆市科学技术协会"]):
        ws.append(row)
    ws.merge_cells("D2:E2")
    for r in range(9, 25001):            # formatted, empty rows: Excel keeps them
        ws.cell(r, 2).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "list.xlsx"
    path.write_bytes(buf.getvalue())
    d_districts = (d / "districts.csv").read_text(encoding="utf-8")
    (d / "districts.csv").write_text(d_districts + "500109,北碚区,Beibei District,Chongqing,106.3964,"
                                     "29.8057,,,https://example.org/fixture\n", encoding="utf-8")
    rc, out, err = run(capsys, path, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert "The header is on row 3" in out
    assert lines(d, "bases")[-2:] == [
        f"cq-b-001,重庆自然博物馆,,museum,,Chongqing,500109,106.41,29.83,,,{SOURCE}",
        f"cq-b-002,永川科技馆,,science_center,,Chongqing,500118,105.93,29.36,,,{SOURCE}"]


def test_a_damaged_xls_is_refused(data_copy, tmp_path, capsys):
    path = tmp_path / "b.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    rc, out, _ = run(capsys, path, "bases", data_copy(), "--source", SOURCE)
    assert rc == 1 and "b.xls:-: -: cannot be opened as an old Excel file (.xls)" in out
