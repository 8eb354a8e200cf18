"""Random tables and random bytes thrown at the import path (read, prepare, commit): never a
traceback, data/ unchanged unless the import succeeded, and a successful import always leaves
data that validates (issue 11). Bounded: a few dozen examples each."""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.loading import load
from analysis.editing import auth, store
from analysis.editing.changes import prepare
from analysis.editing.upload import read_upload
from tests.conftest import FIXTURE_DIR
from tests.data_manager_files import NEW_BASE, xlsx
from tests.hostile.files import FIELDS

TOKEN = auth.operator_token("hypothesis")
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# cells: plausible values, full-width and invisible variants, markup, formulas, junk
_plausible = st.sampled_from(NEW_BASE.split(",") + ["", "fb-1", "FB-1", "２０２３", "１０４．１６",
                                                    "30。6", "\u200b", "=1+1", "-5", "+x", "nan",
                                                    "![x](http://127.0.0.1:9/x.png)", "../x", "1,234"])
_cell = st.one_of(_plausible, st.text(max_size=12))
_row = st.lists(_cell, min_size=len(FIELDS), max_size=len(FIELDS))
_header = st.one_of(st.just(FIELDS), st.permutations(FIELDS),
                    st.lists(st.sampled_from(FIELDS + ["名称", "经度", "", "x"]), min_size=1, max_size=14))


def _files(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and p.name != ".lock"}


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def _try_import(content: bytes, name: str, mode: str = "merge") -> None:
    d = Path(tempfile.mkdtemp()) / "data"
    shutil.copytree(FIXTURE_DIR, d)
    try:
        before = _files(d)
        upload = read_upload(content, name, "bases")
        committed = False
        if not isinstance(upload, list):
            proposal = prepare(upload, d, mode)
            if proposal.ok:
                store.commit(proposal, TOKEN)
                committed = True
        if committed:
            dataset, problems = load(d)
            assert problems == [] and dataset is not None
        else:
            assert _files(d) == before
    finally:
        shutil.rmtree(d.parent)


@SETTINGS
@given(header=_header, rows=st.lists(_row, max_size=6), mode=st.sampled_from(["merge", "replace"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_tables_as_csv(header, rows, mode, encoding):
    try:
        content = _csv([header, *rows], encoding)
    except UnicodeEncodeError:
        content = _csv([header], encoding)
    _try_import(content, "random.csv", mode)


@SETTINGS
@given(header=_header, rows=st.lists(_row, max_size=4))
def test_random_tables_as_xlsx(header, rows):
    clean = [[c for c in r if c.isprintable()] for r in [header, *rows]]   # openpyxl refuses control chars
    _try_import(xlsx(clean), "random.xlsx")


@settings(SETTINGS, max_examples=30)
@given(content=st.binary(max_size=2048), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x.xls"]))
def test_random_bytes(content, name):
    _try_import(content, name)


@settings(SETTINGS, max_examples=30)
@given(cut=st.integers(min_value=1, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_damaged_workbooks(cut, flip):
    good = bytearray(xlsx([FIELDS, NEW_BASE.split(",")]))
    good[flip % len(good)] ^= 0xFF
    _try_import(bytes(good[: max(1, len(good) - cut)]), "damaged.xlsx")
