"""The data manager walks the import's flow (issue 13, part 3): a published list uploaded as it
is, what was understood drawn as tables in zh and en, one preview per table, one commit; every
refusal leaves data/ byte for byte as it was; one signing recorded through the same plan()."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from analysis.core.escape import md
from analysis.editing import store
from tests.data_manager_files import xlsx
from tests.intake_files import CHENGDU_CENTRE, SOURCE, files_in, lines, new_lines
from tests.test_data_manager_app import alerts, confirm, open_page, report, sign_in
from tests.test_intake_agreements import UNKNOWN
from tests.test_intake_lists import LIST

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The rows the command line writes for LIST (tests/test_intake_lists.py): the page writes the same.
LIST_ROWS = [
    f"fb-1,锦江博物馆,Jinjiang Museum,museum,municipal,Chengdu,510104,104.1100,30.6100,exact,2015,{SOURCE}",
    f"cd-b-001,武侯青少年科技馆,,science_center,district,Chengdu,510107,104.0300,30.6200,district,,{SOURCE}",
    f"cd-b-002,双流航空博物馆,,museum,national,Chengdu,510116,103.9500,30.5000,district,,{SOURCE}",
    f"cd-b-003,天府新区消防科普教育基地,,other,municipal,Chengdu,,{CHENGDU_CENTRE[0]},{CHENGDU_CENTRE[1]},city,,{SOURCE}"]


def signed_in(password, lang="en"):
    at = sign_in(open_page(lang), password)
    assert not at.exception
    return at


def upload(at, name: str, raw: bytes, mime: str = "text/csv"):
    n = at.session_state["dm_upload_n"] if "dm_upload_n" in at.session_state else 0
    return at.file_uploader(key=f"dm_file_{n}").set_value((name, raw, mime)).run()


def source(at, text: str):
    n = at.session_state["dm_upload_n"] if "dm_upload_n" in at.session_state else 0
    return at.text_input(key=f"dm_source_{n}").input(text).run()


PREVIEW = ("Rows added", "Rows changed", "Rows removed", "新增的记录", "修改的记录", "删除的记录")


def understood(at, first: int = 1) -> dict[str, list[dict]]:
    """The tables under 'what was understood', by their heading (unescaped): the bold lines
    before the preview's, and as many tables from the `first` (after the accepted headers)."""
    headings = [re.sub(r"\\(.)", r"\1", m.value.strip("*")) for m in at.markdown
                if m.value.startswith("**") and not m.value.startswith(tuple("**" + p for p in PREVIEW))
                and " · data/" not in m.value]
    tables = at.dataframe[first:first + len(headings)]
    return dict(zip(headings, [t.value.to_dict("records") for t in tables]))


EXPECTED = {
    "en": {
        "Columns": [
            {"As written": "序号", "Column": "—", "Use": "ignored (running number, remark)"},
            {"As written": "基地名称", "Column": "name_zh", "Use": "imported"},
            {"As written": "所在区（市）县", "Column": "district", "Use": "resolved on import"},
            {"As written": "类别", "Column": "category", "Use": "imported"},
            {"As written": "级别", "Column": "level", "Use": "imported"},
            {"As written": "备注", "Column": "—", "Use": "ignored (running number, remark)"}],
        "Districts": [
            {"As written": "锦江区", "District code": "510104", "District": "锦江区", "How": "district name", "Rows": 1},
            {"As written": "成都市武侯区", "District code": "510107", "District": "武侯区", "How": "district name", "Rows": 1},
            {"As written": "双流县", "District code": "510116", "District": "双流区", "How": "former name", "Rows": 1},
            {"As written": "天府新区", "District code": "—", "District": "—",
             "How": "functional zone, not a district: city level", "Rows": 1}],
        "New records and their generated ids (3)": [
            {"Row": 4, "Id": "cd-b-001", "Name": "武侯青少年科技馆"},
            {"Row": 5, "Id": "cd-b-002", "Name": "双流航空博物馆"},
            {"Row": 6, "Id": "cd-b-003", "Name": "天府新区消防科普教育基地"}],
        "Matched existing records, merged by id (1)": [{"Row": 3, "Id": "fb-1", "Name": "锦江博物馆"}],
        "Rows at city level (1): the city centre, geo_precision = city": [{"Row": 6}],
    },
    "zh": {
        "列的对应": [
            {"文件中的写法": "序号", "列": "—", "处理": "忽略（序号、备注）"},
            {"文件中的写法": "基地名称", "列": "name_zh", "处理": "导入"},
            {"文件中的写法": "所在区（市）县", "列": "district", "处理": "导入时解析"},
            {"文件中的写法": "类别", "列": "category", "处理": "导入"},
            {"文件中的写法": "级别", "列": "level", "处理": "导入"},
            {"文件中的写法": "备注", "列": "—", "处理": "忽略（序号、备注）"}],
        "区县的识别": [
            {"文件中的写法": "锦江区", "区县代码": "510104", "区县": "锦江区", "依据": "区县名", "行数": 1},
            {"文件中的写法": "成都市武侯区", "区县代码": "510107", "区县": "武侯区", "依据": "区县名", "行数": 1},
            {"文件中的写法": "双流县", "区县代码": "510116", "区县": "双流区", "依据": "旧称", "行数": 1},
            {"文件中的写法": "天府新区", "区县代码": "—", "区县": "—", "依据": "功能区，不是行政区：城市级", "行数": 1}],
        "新记录及其新编号（3）": [
            {"行": 4, "编号": "cd-b-001", "名称": "武侯青少年科技馆"},
            {"行": 5, "编号": "cd-b-002", "名称": "双流航空博物馆"},
            {"行": 6, "编号": "cd-b-003", "名称": "天府新区消防科普教育基地"}],
        "与已有记录相同，按编号合并（1）": [{"行": 3, "编号": "fb-1", "名称": "锦江博物馆"}],
        "城市级坐标的行（1）：城市中心，geo_precision = city": [{"行": 6}],
    },
}
VALUES = {"en": {"Column": "category", "As written": "其他", "Value": "other", "Rows": 1,
                 "How": "not recognised, please check"},
          "zh": {"列": "category", "文件中的写法": "其他", "取值": "other", "行数": 1, "依据": "无法识别，请核对"}}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_published_list_is_understood_previewed_and_committed(data, password, lang):
    before = lines(data, "bases")
    untouched = files_in(data)
    at = signed_in(password, lang)
    at = upload(at, "2024年成都市科普基地名单.xlsx", xlsx(LIST), XLSX)
    assert not at.exception
    # without a source: refused, nothing written, the reason says where to give it
    assert report(at).to_dict("records")[-1]["message"] == {
        "en": "no source: give --source (the list's URL, or its title and date), or add a 来源 "
              "(source) column to the file. On the page it is a required field.",
        "zh": "没有出处：请用 --source 给出（名单的网址，或名单标题与日期），或在文件中加一列“来源”。页面上为必填项。"}[lang]
    assert not [b for b in at.button if b.key == "dm_commit"]
    assert files_in(data) == untouched

    at = source(at, SOURCE)
    assert not at.exception
    got = understood(at)
    for heading, rows in EXPECTED[lang].items():
        assert got[heading] == rows, heading
    assert VALUES[lang] in got[{"en": "Values", "zh": "取值的对应"}[lang]]
    sheet = {"en": "- " + md("Source: " + SOURCE + " (every row)"),
             "zh": "- " + md("出处：" + SOURCE + "（全部行）")}[lang]
    assert sheet in [m.value for m in at.markdown]
    assert {m.label: m.value for m in at.metric} == (
        {"Added": "3", "Changed": "1", "Removed": "0"} if lang == "en" else {"新增": "3", "修改": "1", "删除": "0"})
    assert at.button(key="dm_commit").disabled
    at = confirm(at)
    at.button(key="dm_commit").click().run()
    assert not at.exception
    assert {"en": "Committed (#1): bases: 3 added, 1 changed, 0 removed.",
            "zh": "已提交（第 1 次）：bases 新增 3、修改 1、删除 0。"}[lang] in alerts(at)[0]
    assert new_lines(data, "bases", before) == LIST_ROWS
    entry = store.history(data)[0]
    assert (entry.who, entry.via, entry.source) == ("Wang Fang", "web", "2024年成都市科普基地名单.xlsx")


def test_an_unknown_party_is_refused_then_created_in_one_commit(data, password):
    untouched = files_in(data)
    at = signed_in(password)
    at.selectbox(key="dm_table").set_value("agreements").run()
    at = source(at, SOURCE)
    at = upload(at, "签约.csv", UNKNOWN.encode("utf-8"))
    assert not at.exception
    messages = [r["message"] for r in report(at).to_dict("records")]
    assert messages[0] == ("no base or school is called '成都航天科普馆'; the closest are: 渝中科技馆、"
                           "锦江博物馆、武侯大学基地. Correct the name, or add --create-missing "
                           "(on the page: tick 'create missing parties')")
    assert len(messages) == 3 and not [b for b in at.button if b.key == "dm_commit"]
    assert files_in(data) == untouched

    at.checkbox(key="dm_create_0").check().run()
    assert not at.exception
    created = understood(at)["Parties to create (2), same source, same commit"]
    assert created == [{"Type": "base", "Row": 2, "Id": "cd-b-001", "Name": "成都航天科普馆"},
                       {"Type": "school", "Row": 2, "Id": "cd-s-001", "Name": "锦江外国语小学"}]
    assert [m.value for m in at.metric] == ["1", "0", "0", "1", "0", "0", "2", "0", "0"]  # bases, schools, agreements
    assert any(c.label.startswith("I have checked the preview: commit these changes together: "
                                  "data/bases.csv: 1 added") for c in at.checkbox)
    before = {t: lines(data, t) for t in ("bases", "schools", "agreements")}
    at = confirm(at)
    at.button(key="dm_commit").click().run()
    assert not at.exception
    assert [a.split(":")[0] for a in alerts(at)[:3]] == ["Committed (#1)", "Committed (#2)", "Committed (#3)"]
    assert new_lines(data, "bases", before["bases"]) == [
        f"cd-b-001,成都航天科普馆,,other,,Chengdu,,{CHENGDU_CENTRE[0]},{CHENGDU_CENTRE[1]},city,,{SOURCE}"]
    assert new_lines(data, "schools", before["schools"]) == [
        f"cd-s-001,锦江外国语小学,,primary,Chengdu,510104,104.1170,30.6000,district,{SOURCE}"]
    assert new_lines(data, "agreements", before["agreements"]) == [
        f"agr-2023-12-14-01,base_school,cd-b-001,cd-s-001,2023-12-14,,,{SOURCE}",
        f"agr-2023-12-14-02,base_school,fb-1,cd-s-001,2023-12-14,,,{SOURCE}"]


def open_signing(password, lang="en"):
    at = signed_in(password, lang)
    at.segmented_control(key="dm_view").set_value("signing").run()
    assert not at.exception and at.query_params["dm_view"] == "signing"
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_signing_between_known_parties(data, password, lang):
    before = lines(data, "agreements")
    at = open_signing(password, lang)
    assert at.info[-1].value == {"en": "Pick or type both parties and give the date.",
                                 "zh": "请选择或输入双方，并填写签约日期。"}[lang]
    at.selectbox(key="dm_sign_kind_0").set_value("base_school").run()
    party_a = at.selectbox(key="dm_sign_a_0_bases")
    assert party_a.options[1] == {"en": "锦江博物馆 · Chengdu · fb-1", "zh": "锦江博物馆 · 成都 · fb-1"}[lang]
    party_a.set_value("fb-1").run()
    at.selectbox(key="dm_sign_b_0_schools").set_value("fs-5").run()
    at.date_input(key="dm_sign_date_0").set_value(dt.date(2024, 5, 18)).run()
    at.text_input(key="dm_sign_title_0").input("锦江博物馆与双流小学馆校合作").run()
    at.text_input(key="dm_sign_source_0").input("https://example.gov.cn/news/0518").run()
    assert not at.exception
    assert {m.value for m in at.metric} == {"1", "0"}
    at = confirm(at)
    at.button(key="dm_sign_commit").click().run()
    assert not at.exception
    assert new_lines(data, "agreements", before) == [
        "agr-2024-05-18-01,base_school,fb-1,fs-5,2024-05-18,,锦江博物馆与双流小学馆校合作,"
        "https://example.gov.cn/news/0518"]
    assert store.history(data)[0].source == "signing-form.csv"
    assert at.selectbox(key="dm_sign_kind_1").value == "base_base"     # a fresh, empty form


def test_one_signing_with_a_new_party(data, password):
    untouched = files_in(data)
    at = open_signing(password)
    at.selectbox(key="dm_sign_kind_0").set_value("base_school").run()
    at.selectbox(key="dm_sign_a_0_bases").set_value("fb-1").run()
    at.selectbox(key="dm_sign_b_0_schools").set_value("+").run()
    at.text_input(key="dm_sign_b_name_0").input("锦江外国语小学").run()
    at.selectbox(key="dm_sign_b_city_0").set_value("Chengdu").run()
    assert at.selectbox(key="dm_sign_b_district_0").options == ["(none: city level)", "锦江区", "武侯区", "双流区"]
    at.selectbox(key="dm_sign_b_district_0").set_value("武侯区").run()
    at.date_input(key="dm_sign_date_0").set_value(dt.date(2024, 5, 18)).run()
    # no source, and the new school not allowed yet: refused, nothing written
    assert {r["column"] for r in report(at).to_dict("records")} == {"provenance", "party_b_id"}
    assert files_in(data) == untouched
    at.text_input(key="dm_sign_source_0").input("https://example.gov.cn/news/0518-qy").run()
    at.checkbox(key="dm_sign_create_0").check().run()
    assert not at.exception
    before = {t: lines(data, t) for t in ("schools", "agreements")}
    at = confirm(at)
    at.button(key="dm_sign_commit").click().run()
    assert not at.exception
    assert new_lines(data, "schools", before["schools"]) == [
        "cd-s-001,锦江外国语小学,,primary,Chengdu,510107,104.0300,30.6200,district,https://example.gov.cn/news/0518-qy"]
    assert new_lines(data, "agreements", before["agreements"]) == [
        "agr-2024-05-18-01,base_school,fb-1,cd-s-001,2024-05-18,,,https://example.gov.cn/news/0518-qy"]
