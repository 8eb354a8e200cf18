"""What an upload would change: merge by id, replace, the diff field by field, and validation
of the change together with the other tables on disk."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.validation import Problem
from analysis.editing.changes import diff, merged, prepare, problem_table, read_table
from analysis.editing.upload import read_upload
from tests.data_manager_files import NEW_AGREEMENT, NEW_BASE, fixture_text

BASES_HEADER = fixture_text("bases").splitlines()[0]


def proposal_for(data_dir, table, text, mode="merge", name=None, **kw):
    u = read_upload(text.encode("utf-8"), name or f"{table}.csv", table)
    assert not isinstance(u, list), u
    return prepare(u, data_dir, mode, **kw)


def test_merge_adds_changes_and_keeps_the_rest(data_copy):
    d = data_copy()
    text = "\n".join([BASES_HEADER, NEW_BASE,
                      fixture_text("bases").splitlines()[1].replace("Jinjiang Museum", "Jinjiang Museum (new wing)")
                      .replace("104.1100", "104.11")]) + "\n"
    p = proposal_for(d, "bases", text)
    assert p.problems == [] and p.ok
    assert p.diff.counts == {"added": 1, "changed": 1, "removed": 0}
    # 104.1100 -> 104.11 is the same number: only the name counts as changed
    assert p.diff.changed.to_dict("records") == [
        {"base_id": "fb-1", "column": "name_en", "old": "Jinjiang Museum", "new": "Jinjiang Museum (new wing)"}]
    assert list(p.frame.base_id) == ["fb-1", "fb-2", "fb-3", "fb-4", "fb-5", "fb-6", "fb-9"]
    assert p.frame.loc[0, "name_en"] == "Jinjiang Museum (new wing)"


def test_merge_keeps_values_of_optional_columns_the_file_lacks(data_copy):
    d = data_copy()
    text = ("base_id,name_zh,category,city,lon,lat,provenance\n"
            "fb-1,锦江美术馆,museum,Chengdu,104.11,30.61,https://example.org/fb-1\n"
            "fb-9,新都科技馆,science_center,Chengdu,104.16,30.82,https://example.org/fb-9\n")
    p = proposal_for(d, "bases", text)
    assert p.problems == []
    assert p.frame.iloc[0].to_dict() == {**read_table(d, "bases").iloc[0].to_dict(), "name_zh": "锦江美术馆"}
    assert p.frame.iloc[-1][["name_en", "level", "designated_year"]].tolist() == ["", "", ""]
    assert ("dm.note_absent_merge", {"columns": "name_en, level, district_code, geo_precision, designated_year"}) in p.notes
    assert read_table(d, "bases").iloc[1:].equals(p.frame.iloc[1:6])


def test_merged_directly():
    current = pd.DataFrame({"base_id": ["a", "b"], "name_zh": ["x", "y"]})
    out = merged(current, pd.DataFrame({"base_id": ["b", "c"], "name_zh": ["Y", "z"]}), "bases")
    assert out[["base_id", "name_zh"]].values.tolist() == [["a", "x"], ["b", "Y"], ["c", "z"]]


def test_merge_notes_missing_columns_and_illustrative_rows(data_copy):
    d = data_copy()
    row = NEW_BASE.replace("https://example.org/fb-9", "illustrative")
    p = proposal_for(d, "bases", BASES_HEADER + "\n" + row + "\n")
    assert ("dm.note_illustrative", {"count": 1}) in p.notes


def test_replace_removes_rows_not_in_the_file(data_copy):
    d = data_copy()
    lines = fixture_text("bases").splitlines()
    # fb-6 is not referenced by any agreement, so it may go
    text = "\n".join(lines[:6]) + "\n"
    p = proposal_for(d, "bases", text, mode="replace")
    assert p.problems == []
    assert p.diff.counts == {"added": 0, "changed": 0, "removed": 1}
    assert list(p.diff.removed.base_id) == ["fb-6"]


def test_replace_that_orphans_agreements_is_blocked_with_the_agreement_rows(data_copy):
    d = data_copy()
    lines = fixture_text("bases").splitlines()
    text = "\n".join([lines[0]] + lines[2:]) + "\n"   # drops fb-1, used by fa-1 and fa-2
    p = proposal_for(d, "bases", text, mode="replace")
    assert not p.ok and p.diff is None
    assert Problem("data/agreements.csv", 2, "party_a_id", "unknown_party") in p.problems
    assert Problem("data/agreements.csv", 3, "party_a_id", "unknown_party") in p.problems


def test_problems_already_on_disk_elsewhere_do_not_block(data_copy):
    d = data_copy()
    broken = fixture_text("events").replace("2022-06-01", "2022-06-31")
    (d / "events.csv").write_text(broken, encoding="utf-8")
    p = proposal_for(d, "bases", BASES_HEADER + "\n" + NEW_BASE + "\n")
    assert p.problems == [] and p.ok
    assert [q.code for q in p.existing] == ["bad_date"]


def test_upload_problems_carry_the_users_row_and_header(data_copy):
    d = data_copy()
    text = "名称,编号,类别,城市,经度,纬度,出处\n新都科技馆,fb-9,science_center,Chengdu,104.16,40.1,seed:x\n"
    u = read_upload(text.encode("gb18030"), "新基地.csv", "bases")
    p = prepare(u, d)
    assert p.problems == [Problem("新基地.csv", 2, "lat", "out_of_region")]
    table = problem_table(p.problems, "zh", u)
    assert table.to_dict("records") == [{"file": "新基地.csv", "row": "2", "column": "纬度 (lat)",
                                         "message": "40.1 超出川渝地区范围（26.0–34.4）"}]


def test_a_merge_into_an_unreadable_table_is_refused(data_copy):
    d = data_copy()
    (d / "bases.csv").write_bytes(fixture_text("bases").encode("gbk"))
    p = proposal_for(d, "bases", BASES_HEADER + "\n" + NEW_BASE + "\n")
    assert [q.code for q in p.problems] == ["dm.merge_unreadable"]


def test_honours_merge_on_year_list_and_name(data_copy):
    d = data_copy()
    text = ("year,list,name_zh,name_en,affiliation,city,provenance\n"
            "2023,messenger,测试使者,Test Messenger,锦江博物馆（新址）,Chengdu,https://example.org/h1\n"
            "2024,messenger,新使者,,,Chengdu,https://example.org/h3\n")
    p = proposal_for(d, "honours", text, today=pd.Timestamp("2025-01-01").date())
    assert p.problems == []
    assert p.diff.counts == {"added": 1, "changed": 1, "removed": 0}
    assert p.diff.changed.column.tolist() == ["affiliation"]


def test_no_change_is_reported_as_such(data_copy):
    d = data_copy()
    p = proposal_for(d, "schools", fixture_text("schools"))
    assert p.problems == [] and p.diff.is_empty and not p.ok


def test_diff_counts_rows_not_fields():
    old = pd.DataFrame({"base_id": ["a", "b"], "name_zh": ["x", "y"], "lon": ["104", "105"]})
    new = pd.DataFrame({"base_id": ["b", "c"], "name_zh": ["Y", "z"], "lon": ["105.5", "106"]})
    d = diff(old, new, "bases")
    assert d.counts == {"added": 1, "changed": 1, "removed": 1}
    assert d.changed[["column", "old", "new"]].values.tolist() == [["name_zh", "y", "Y"], ["lon", "105", "105.5"]]


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_agreement_upload_checked_against_the_other_tables(data_copy, mode):
    d = data_copy()
    text = fixture_text("agreements").splitlines()[0] + "\n" + NEW_AGREEMENT.replace("fb-2", "fb-404") + "\n"
    p = proposal_for(d, "agreements", text, mode=mode)
    assert Problem("agreements.csv", 2, "party_a_id", "unknown_party") in p.problems


def test_a_file_whose_every_date_is_bad_is_reported_not_a_crash(data_copy):
    header = fixture_text("agreements").splitlines()[0]
    p = proposal_for(data_copy(), "agreements", header + "\n" + NEW_AGREEMENT.replace("2023-03-03", "2023-02-30") + "\n")
    assert [(q.line, q.code) for q in p.problems] == [(2, "bad_date")]
