"""A published list of bases or schools goes in as it is: title row, 序号, Chinese headers and
values, districts as written (former names, functional zones), no ids, no coordinates."""
from __future__ import annotations

from tests.data_manager_files import xlsx
from tests.intake_files import CHENGDU_CENTRE, SOURCE, files_in, lines, new_lines, run

LIST = [["2024年成都市科普基地名单"],
        ["序号", "基地名称", "所在区（市）县", "类别", "级别", "备注"],
        [1, "锦江博物馆", "锦江区", "博物馆", "市级", ""],
        [2, "武侯青少年科技馆", "成都市武侯区", "科技馆", "区级", "新增"],
        [3, "双流航空博物馆", "双流县", "展览馆", "国家级", ""],
        [4, "天府新区消防科普教育基地", "天府新区", "其他", "市级", ""],
        ["注：排名不分先后"]]


def test_an_xlsx_list_with_a_title_row_and_chinese_values(data_copy, tmp_path, capsys):
    d = data_copy()
    before = lines(d, "bases")
    path = tmp_path / "2024年成都市科普基地名单.xlsx"
    path.write_bytes(xlsx(LIST))
    rc, out, err = run(capsys, path, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert new_lines(d, "bases", before) == [
        f"fb-1,锦江博物馆,Jinjiang Museum,museum,municipal,Chengdu,510104,104.1100,30.6100,exact,2015,{SOURCE}",
        f"cd-b-001,武侯青少年科技馆,,science_center,district,Chengdu,510107,104.0300,30.6200,district,,{SOURCE}",
        f"cd-b-002,双流航空博物馆,,museum,national,Chengdu,510116,103.9500,30.5000,district,,{SOURCE}",
        f"cd-b-003,天府新区消防科普教育基地,,other,municipal,Chengdu,,{CHENGDU_CENTRE[0]},{CHENGDU_CENTRE[1]},city,,{SOURCE}"]
    assert len(lines(d, "bases")) == len(before) + 3          # fb-1 is the same record
    assert "Ignored: 序号, 备注" in out
    assert "所在区（市）县 → district (resolved on import)" in out
    assert "category 科技馆 → science_center (1)" in out and "level 区级 → district (1)" in out
    assert "category '其他' not recognised → other: 1 rows, please check" in out
    assert "双流县 → 510116 双流区 (former name) (1)" in out
    assert "成都市武侯区 → 510107 武侯区 (1)" in out
    assert "天府新区: functional zone, not a district: city level (1)" in out
    assert "1 matched existing records (merged by id), 3 new" in out
    assert "Rows at city level (the city centre, geo_precision = city): 6" in out
    assert "Preview: 3 added, 1 changed, 0 removed" in out


def test_a_re_import_of_the_same_list_adds_nothing(data_copy, tmp_path, capsys):
    d = data_copy()
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx(LIST))
    assert run(capsys, path, "bases", d, "--source", SOURCE, "--yes")[0] == 0
    after_first = files_in(d)
    rc, out, _ = run(capsys, path, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 0
    assert "4 matched existing records (merged by id), 0 new" in out
    assert "Preview: 0 added, 0 changed, 0 removed" in out and "nothing to change" in out
    assert files_in(d) == after_first


def test_a_gb18030_csv_of_schools(data_copy, tmp_path, capsys):
    d = data_copy()
    before = lines(d, "schools")
    path = tmp_path / "学校名单.csv"
    path.write_bytes("序号,学校名称,所在区县,学段,来源\n"
                     "1,锦江实验小学,锦江,小学,\n"
                     "2,永川中学,永川区,中学,https://example.gov.cn/yc\n"
                     "3,渝中高中,渝中区,高中,\n".encode("gb18030"))
    rc, out, err = run(capsys, path, "schools", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert "Text encoding: GB18030 (detected)." in out
    assert "Source: the file's source column; rows where it is empty get " + SOURCE in out
    assert new_lines(d, "schools", before) == [
        f"fs-3,渝中高中,Yuzhong High School,high,Chongqing,500103,106.5300,29.5500,exact,{SOURCE}",
        f"cd-s-001,锦江实验小学,,primary,Chengdu,510104,104.1170,30.6000,district,{SOURCE}",
        "cq-s-001,永川中学,,middle,Chongqing,500118,105.8700,29.2900,district,https://example.gov.cn/yc"]


def test_a_near_name_is_listed_as_a_possible_duplicate_not_merged(data_copy, tmp_path, capsys):
    d = data_copy()
    before = lines(d, "bases")
    path = tmp_path / "b.csv"
    path.write_text("基地名称,城市,类别\n武侯大学科普基地,成都市,大学\n锦 江 博 物 馆,成都,博物馆\n",
                    encoding="utf-8")
    rc, out, err = run(capsys, path, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert "row 2 '武侯大学科普基地' (cd-b-001) is close to the existing fb-2 '武侯大学基地'" in out
    assert "Matched existing records: 3: fb-1 锦 江 博 物 馆" in out   # spaces do not count
    assert new_lines(d, "bases", before) == [
        f"fb-1,锦江博物馆,Jinjiang Museum,museum,municipal,Chengdu,510104,104.1100,30.6100,exact,2015,{SOURCE}",
        f"cd-b-001,武侯大学科普基地,,university,,Chengdu,,{CHENGDU_CENTRE[0]},{CHENGDU_CENTRE[1]},city,,{SOURCE}"]
    assert "fb-2,武侯大学基地," in "\n".join(lines(d, "bases"))


def test_rows_without_a_city_are_refused_with_their_row_numbers(data_copy, tmp_path, capsys):
    d = data_copy()
    before = files_in(d)
    path = tmp_path / "b.csv"
    path.write_text("基地名称,所在区县,类别\n某某科技馆,高新区,科技馆\n某某博物馆,锦江,博物馆\n"
                    "某某展览馆,锦江去,展览馆\n", encoding="utf-8")
    rc, out, err = run(capsys, path, "bases", d, "--source", SOURCE, "--yes")
    assert rc == 1
    assert out.splitlines()[-2:] == [
        "b.csv:2: city: the city is unknown: add a 城市 (city) column, a district, or give --city",
        "b.csv:4: district: '锦江去' is not a known district; the closest are: 锦江区、武侯区、双流区"]
    assert "2 problem(s); nothing was changed" in err
    assert files_in(d) == before
    rc, out, _ = run(capsys, path, "bases", d, "--source", SOURCE, "--city", "重庆")   # not in Chengdu
    assert out.splitlines()[-2:] == [
        "b.csv:3: district: '锦江' is not a known district; the closest are: 渝中区、渝北区、永川区",
        "b.csv:4: district: '锦江去' is not a known district; the closest are: 渝中区、渝北区、永川区"]


def test_a_list_without_a_source_is_refused(data_copy, tmp_path, capsys):
    d = data_copy()
    before = files_in(d)
    path = tmp_path / "b.csv"
    path.write_text("基地名称,城市,类别\n某某科技馆,成都,科技馆\n", encoding="utf-8")
    rc, out, _ = run(capsys, path, "bases", d, "--yes")
    assert rc == 1
    assert "b.csv:-: provenance: no source: give --source (the list's URL, or its title and date)" in out
    assert files_in(d) == before


def test_an_unknown_column_is_left_out_with_a_notice(data_copy, tmp_path, capsys):
    d = data_copy()
    path = tmp_path / "b.csv"
    path.write_text("基地名称,城市,类别,颜色,出处\n某某科技馆,重庆,科技馆,红,https://example.gov.cn/x\n",
                    encoding="utf-8")
    rc, out, err = run(capsys, path, "bases", d, "--yes")
    assert rc == 0, out + err
    assert "Not in the data contract, left out: 颜色" in out
    assert lines(d, "bases")[-1] == \
        "cq-b-001,某某科技馆,,science_center,,Chongqing,,106.5770,29.5573,city,,https://example.gov.cn/x"


def test_the_category_comes_from_the_name_when_the_list_has_none(data_copy, tmp_path, capsys):
    d = data_copy()
    path = tmp_path / "b.csv"
    path.write_text("name_zh,city,district_zh,level,list_name,list_year,source_url\n"
                    "重庆大学附属肿瘤医院,重庆,,national,全国科普教育基地,2022,https://example.gov.cn/n\n"
                    "重庆市少年儿童图书馆,重庆,两江新区,national,全国科普教育基地,2022,https://example.gov.cn/n\n",
                    encoding="utf-8")
    rc, out, err = run(capsys, path, "bases", d, "--yes")
    assert rc == 0, out + err
    assert "category from the name → hospital: 1 rows" in out
    assert "category not found in the name → other: 1 rows, please check" in out
    assert "Not in the data contract, left out: list_name" in out
    assert lines(d, "bases")[-2:] == [
        "cq-b-001,重庆大学附属肿瘤医院,,hospital,national,Chongqing,,106.5770,29.5573,city,2022,https://example.gov.cn/n",
        "cq-b-002,重庆市少年儿童图书馆,,other,national,Chongqing,,106.5770,29.5573,city,2022,https://example.gov.cn/n"]


def test_a_list_known_by_its_title_and_date_is_its_source(data_copy, tmp_path, capsys):
    """A source that is not a URL is stored as list:<title and date>, passes validation and
    is shown as a published list; a source column's URL stays as it is."""
    from analysis.core.display import source_label

    d = data_copy()
    before = lines(d, "bases")
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx([["序号", "基地名称", "所在区（市）县", "类别", "来源"],
                           [1, "武侯青少年科技馆", "武侯区", "科技馆", ""],
                           [2, "双流航空博物馆", "双流区", "展览馆", "https://example.gov.cn/b"]]))
    title = "2024年成都市科普基地名单（成都市科协，2024-03）"
    rc, out, err = run(capsys, path, "bases", d, "--source", f"  {title} ", "--yes")
    assert rc == 0, out + err
    added = new_lines(d, "bases", before)
    assert [row.rsplit(",", 1)[1] for row in added] == [f"list:{title}", "https://example.gov.cn/b"]
    assert source_label(f"list:{title}", "en") == f"Published list: {title}"
    assert source_label(f"list:{title}", "zh") == f"公布的名单：{title}"
