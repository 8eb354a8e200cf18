"""`python -m analysis import`: every bad file from the issue changes nothing and gets a clear
message (exit 1); a good file is previewed, committed atomically and logged."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from analysis.__main__ import main
from analysis.core.loading import load
from analysis.editing import store
from tests.conftest import ROOT
from tests.data_manager_files import BAD_FILES, NEW_BASE, fixture_text, xlsx


def files_in(d) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_every_bad_file_changes_nothing_and_says_why(case, data_copy, tmp_path, capsys):
    table, name, content, code, row, phrase = BAD_FILES[case]
    d = data_copy()
    before = files_in(d)
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(content)
    rc = main(["import", str(path), "--table", table, "--data", str(d), "--yes", "--lang", "en"])
    out = capsys.readouterr()
    assert rc == 1
    assert phrase in out.out, out.out
    where = f"{name}:{row or '-'}:"
    assert any(line.startswith(where) and phrase in line for line in out.out.splitlines()), out.out
    assert "nothing was changed" in out.err
    assert files_in(d) == before and not (d / "history").exists()


def test_problems_are_listed_all_at_once(data_copy, tmp_path, capsys):
    d = data_copy()
    text = fixture_text("bases") + NEW_BASE.replace("104.16", "121").replace("2019", "1800") + "\n" \
        + NEW_BASE.replace("fb-9", "fb-1") + "\n"
    path = tmp_path / "b.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["import", str(path), "--table", "bases", "--data", str(d), "--yes", "--lang", "en"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "b.csv:8: lon: 121 is outside the Sichuan–Chongqing area (97.3–110.2)" in lines
    assert "b.csv:8: designated_year: 1800 is not a plausible year (1949–{})".format(
        __import__("datetime").date.today().year) in lines
    assert "b.csv:9: base_id: 'fb-1' is used more than once (also at b.csv:2)" in lines


def test_a_good_xlsx_with_chinese_headers_is_previewed_and_committed(data_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("USER", "clerk")
    d = data_copy()
    rows = [["成渝科普基地名单（2024）"],
            ["编号", "名称", "英文名称", "类别", "级别", "城市", "区县代码", "经度", "纬度", "坐标精度",
             "命名年份", "出处"],
            ["fb-1", "锦江博物馆", "Jinjiang City Museum", "museum", "municipal", "Chengdu", 510104,
             104.11, 30.61, "exact", 2015, "https://example.org/fb-1"],
            NEW_BASE.split(",")]
    path = tmp_path / "新增.xlsx"
    path.write_bytes(xlsx(rows))
    rc = main(["import", str(path), "--table", "bases", "--data", str(d), "--yes", "--lang", "en"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Preview: 1 added, 1 changed, 0 removed" in out
    assert "  + fb-9  新都科技馆" in out
    assert "  ~ fb-1  锦江博物馆: name_en: 'Jinjiang Museum' → 'Jinjiang City Museum'" in out
    assert "The header is on row 2" in out
    assert "Committed #1 (bases, by clerk)" in out
    entry = json.loads(store.audit_path(d).read_text(encoding="utf-8"))
    assert (entry["who"], entry["via"], entry["source"]) == ("clerk", "cli", "新增.xlsx")
    dataset, problems = load(d)
    assert problems == [] and len(dataset.tables["bases"]) == 7


def test_without_yes_and_without_a_terminal_nothing_is_written(data_copy, tmp_path, capsys):
    d = data_copy()
    path = tmp_path / "b.csv"
    path.write_text(fixture_text("bases") + NEW_BASE + "\n", encoding="gbk")
    before = files_in(d)
    rc = main(["import", str(path), "--table", "bases", "--data", str(d), "--lang", "zh"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "预览：新增 1、修改 0、删除 0" in out and "文字编码：GB18030（已自动识别）" in out
    assert "未写入任何内容" in out
    assert files_in(d) == before


def test_replace_mode_and_a_real_subprocess(data_copy, tmp_path):
    d = data_copy()
    lines = fixture_text("bases").splitlines()
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8-sig")   # without fb-6
    run = subprocess.run([sys.executable, "-m", "analysis", "import", str(path), "--table", "bases",
                          "--mode", "replace", "--data", str(d), "--yes", "--lang", "en"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Preview: 0 added, 0 changed, 1 removed" in run.stdout and "  - fb-6  重庆城市基地" in run.stdout
    assert "fb-6" not in (d / "bases.csv").read_text(encoding="utf-8")


def test_missing_input_file(data_copy, tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "--table", "bases", "--data", str(data_copy()),
                 "--lang", "en"]) == 1
    assert "cannot read" in capsys.readouterr().err
