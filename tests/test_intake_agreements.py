"""Agreements by names: parties named, not numbered; Chinese dates; an unknown party refused
with nothing changed, or created with --create-missing in the same commit."""
from __future__ import annotations

import json

import pytest

from analysis.editing import store
from tests.data_manager_files import xlsx
from tests.intake_files import CHENGDU_CENTRE, SOURCE, files_in, lines, new_lines, run

NAMES = [["2024年成渝馆校合作签约名单"],
         ["序号", "甲方", "乙方", "协议类型", "签约日期"],
         [1, "锦江博物馆", "锦江小学", "馆校合作", "2024年5月18日"],
         [2, "渝中科技馆", "武侯大学基地", "馆馆合作", "2024.05.18"],
         [3, "武侯大学基地", "双流小学", "馆校合作", 45432],          # a General-format date cell
         [4, "渝北医院基地", "渝中高中", "馆校合作", "20240520"]]
UNKNOWN = "基地,学校,协议类型,签约日期,学校区县\n" \
          "成都航天科普馆,锦江外国语小学,馆校合作,2023/12/14 0:00,锦江区\n" \
          "锦江博物馆,锦江外国语小学,馆校合作,2023-12-14,锦江区\n"


def test_names_only_agreements_with_chinese_dates(data_copy, tmp_path, capsys):
    d = data_copy()
    before = lines(d, "agreements")
    path = tmp_path / "签约.xlsx"
    path.write_bytes(xlsx(NAMES))
    rc, out, err = run(capsys, path, "agreements", d, "--source", SOURCE, "--yes")
    assert rc == 0, out + err
    assert new_lines(d, "agreements", before) == [
        f"agr-2024-05-18-01,base_school,fb-1,fs-1,2024-05-18,,,{SOURCE}",
        f"agr-2024-05-18-02,base_base,fb-3,fb-2,2024-05-18,,,{SOURCE}",
        f"agr-2024-05-20-01,base_school,fb-2,fs-5,2024-05-20,,,{SOURCE}",
        f"agr-2024-05-20-02,base_school,fb-4,fs-3,2024-05-20,,,{SOURCE}"]
    assert "kind 馆校合作 → base_school (3)" in out and "kind 馆馆合作 → base_base (1)" in out
    # the same list again is the same four agreements
    rc, out, _ = run(capsys, path, "agreements", d, "--source", SOURCE, "--yes")
    assert rc == 0 and "4 matched existing records (merged by id), 0 new" in out
    assert "Preview: 0 added, 0 changed, 0 removed" in out


def test_an_unknown_party_is_refused_and_nothing_changes(data_copy, tmp_path, capsys):
    d = data_copy()
    before = files_in(d)
    path = tmp_path / "签约.csv"
    path.write_text(UNKNOWN, encoding="utf-8")
    rc, out, err = run(capsys, path, "agreements", d, "--source", SOURCE, "--yes")
    assert rc == 1
    problems = [line for line in out.splitlines() if line.startswith("签约.csv:")]
    assert problems == [
        "签约.csv:2: party_a_id: no base or school is called '成都航天科普馆'; the closest are: "
        "渝中科技馆、锦江博物馆、武侯大学基地. Correct the name, or add --create-missing "
        "(on the page: tick 'create missing parties')",
        "签约.csv:2: party_b_id: no base or school is called '锦江外国语小学'; the closest are: "
        "锦江小学、双流小学、武侯中学. Correct the name, or add --create-missing "
        "(on the page: tick 'create missing parties')",
        "签约.csv:3: party_b_id: no base or school is called '锦江外国语小学'; the closest are: "
        "锦江小学、双流小学、武侯中学. Correct the name, or add --create-missing "
        "(on the page: tick 'create missing parties')"]
    assert "3 problem(s); nothing was changed" in err
    assert files_in(d) == before and not (d / "history").exists()


def test_create_missing_adds_the_parties_in_the_same_commit(data_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("USER", "clerk")
    d = data_copy()
    old = {t: lines(d, t) for t in ("bases", "schools", "agreements")}
    path = tmp_path / "签约.csv"
    path.write_text(UNKNOWN, encoding="utf-8")
    rc, out, err = run(capsys, path, "agreements", d, "--source", SOURCE, "--create-missing")
    assert rc == 0 and "Nothing written (add --yes to commit)." in out
    assert "To be created (--create-missing, same source): cd-b-001 成都航天科普馆 (base), " \
           "cd-s-001 锦江外国语小学 (school)" in out
    assert {t: lines(d, t) for t in old} == old
    rc, out, err = run(capsys, path, "agreements", d, "--source", SOURCE, "--create-missing", "--yes")
    assert rc == 0, out + err
    assert new_lines(d, "bases", old["bases"]) == [
        f"cd-b-001,成都航天科普馆,,other,,Chengdu,,{CHENGDU_CENTRE[0]},{CHENGDU_CENTRE[1]},city,,{SOURCE}"]
    assert new_lines(d, "schools", old["schools"]) == [
        f"cd-s-001,锦江外国语小学,,primary,Chengdu,510104,104.1170,30.6000,district,{SOURCE}"]
    assert new_lines(d, "agreements", old["agreements"]) == [
        f"agr-2023-12-14-01,base_school,cd-b-001,cd-s-001,2023-12-14,,,{SOURCE}",
        f"agr-2023-12-14-02,base_school,fb-1,cd-s-001,2023-12-14,,,{SOURCE}"]
    log = [json.loads(x) for x in store.audit_path(d).read_text(encoding="utf-8").splitlines()]
    assert [(e["n"], e["table"], e["added"], e["who"], e["source"]) for e in log] == [
        (1, "bases", 1, "clerk", "签约.csv"), (2, "schools", 1, "clerk", "签约.csv"),
        (3, "agreements", 2, "clerk", "签约.csv")]


def test_ids_are_still_accepted_and_an_unknown_id_is_left_to_validation(data_copy, tmp_path, capsys):
    d = data_copy()
    path = tmp_path / "a.csv"
    path.write_text("甲方,乙方,协议类型,签约日期\nfb-1,fs-77,馆校合作,2023-03-03\n", encoding="utf-8")
    rc, out, _ = run(capsys, path, "agreements", d, "--source", SOURCE, "--yes")
    assert rc == 1
    assert "a.csv:2: party_b_id: 'fs-77' is neither a base nor a school" in out


def test_commit_all_writes_nothing_when_one_table_moved(data_copy, tmp_path):
    from analysis.editing import auth
    from analysis.editing.intake.plan import plan
    from analysis.editing.store import CommitRefused, commit_all
    d = data_copy()
    found = plan(UNKNOWN.encode(), "签约.csv", "agreements", d, source=SOURCE, create_missing=True)
    assert [p.table for p in found.proposals] == ["bases", "schools", "agreements"] and found.ok
    (d / "schools.csv").write_text((d / "schools.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = files_in(d)
    with pytest.raises(CommitRefused) as refused:
        commit_all(found.proposals, auth.operator_token())
    assert refused.value.code == "dm.refused_stale"
    assert files_in(d) == before and not (d / "history").exists()
