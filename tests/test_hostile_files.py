"""The hostile corpus through `python -m analysis import`: each file is refused with
`file:row: column: message` and not one byte of data/ changes, or accepted with the right
stored value (issue 11)."""
from __future__ import annotations

import csv

import pytest

from analysis.__main__ import main
from analysis.core.loading import load
from analysis.editing.changes import prepare
from analysis.editing.upload import read_upload
from tests.conftest import FIXTURE_DIR
from tests.hostile.files import ACCEPTED, REFUSED
from tests.test_data_manager_cli import files_in


def _import(d, tmp_path, name, content):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(content)
    return main(["import", str(path), "--table", "bases", "--data", str(d), "--yes", "--lang", "en"])


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_hostile_file_is_refused_and_changes_nothing(case, data_copy, tmp_path, capsys):
    name, build, code, row, phrase = REFUSED[case]
    content = build()
    d = data_copy()
    before = files_in(d)
    assert _import(d, tmp_path, name, content) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert any(line.startswith(f"{name}:{row or '-'}:") and phrase in line
               for line in out.out.splitlines()), out.out
    assert files_in(d) == before and not (d / "history").exists()
    assert code in _codes(content, name)


def _codes(content: bytes, name: str) -> list[str]:
    """The problem codes of reading, or else of validating, the upload."""
    read = read_upload(content, name, "bases")
    if isinstance(read, list):
        return [p.code for p in read]
    return [p.code for p in prepare(read, FIXTURE_DIR).problems]


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_a_tricky_file_is_stored_with_the_right_values(case, data_copy, tmp_path, capsys):
    name, build, expected = ACCEPTED[case]
    d = data_copy()
    assert _import(d, tmp_path, name, build()) == 0, capsys.readouterr().out
    dataset, problems = load(d)
    assert problems == []
    with (d / "bases.csv").open(encoding="utf-8") as f:
        stored = {r["base_id"]: r for r in csv.DictReader(f)}
    assert {k: stored[k[0]][k[1]] for k in expected} == expected
    assert len(stored) == 6 + (not case.startswith("upper_case"))     # FB-1 is fb-1, not a new base
