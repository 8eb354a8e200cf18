"""Two imports from the command line at the same moment: each either commits or is refused
as stale, and no committed row is lost (issue 11: kept as a slow test)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.core.loading import load
from analysis.editing import store
from tests.conftest import ROOT
from tests.data_manager_files import NEW_BASE, fixture_text


@pytest.mark.slow
@pytest.mark.parametrize("pair", range(3))
def test_two_imports_at_once_lose_no_update(data_copy, tmp_path, pair):
    d = data_copy()
    header = fixture_text("bases").splitlines()[0]
    runs = []
    for i in (1, 2):
        f = tmp_path / f"new{i}.csv"
        f.write_text(header + "\n" + NEW_BASE.replace("fb-9", f"fb-{pair}{i}") + "\n", encoding="utf-8")
        runs.append(subprocess.Popen(
            [sys.executable, "-m", "analysis", "import", str(f), "--table", "bases",
             "--data", str(d), "--yes", "--lang", "en"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(r.wait(timeout=300), *r.communicate()) for r in runs]
    ok = [i for i, (code, _, _) in zip((1, 2), results) if code == 0]
    for code, out, err in results:
        assert code == 0 or "someone changed this table after your preview" in err, (out, err)
        assert "Traceback" not in err
    assert ok                                    # at least one got in
    ids = set(load(d)[0].tables["bases"].base_id)
    assert {f"fb-{pair}{i}" for i in ok} <= ids  # whoever was told "committed" is there
    assert len(store.history(d)) == len(ok)
