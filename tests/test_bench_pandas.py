"""The benchmark's pandas equivalents return exactly what the DuckDB queries return, so the
DuckDB-vs-pandas timings compare the same work."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.db import Database, query_names
from tests.conftest import generated
from tools.bench import pandas_queries as bench_pandas
from tools.bench.pandas_queries import Params

PARAMS = {
    "defaults": Params(),
    "narrow": Params(year_from=2023, year_to=2024, cities=("Chengdu",), kinds=("base_school",),
                     include_illustrative=False, limit=5),
    "one_year_no_real_match": Params(year_from=2022, year_to=2022, cities=("Chongqing",),
                                     kinds=("base_base", "other"), limit=7),
    "empty": Params(year_from=2030, year_to=2031),
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    dataset = generated(tmp_path_factory.mktemp("data"), seed=11, n_bases=30, n_schools=40,
                        n_agreements=400)
    db = Database(dataset)
    yield db, bench_pandas.prepare(dataset)
    db.close()


def test_every_equivalent_names_an_existing_query():
    assert set(bench_pandas.QUERIES) <= set(query_names())


@pytest.mark.parametrize("params", PARAMS.values(), ids=PARAMS.keys())
@pytest.mark.parametrize("name", sorted(bench_pandas.QUERIES))
def test_pandas_equals_duckdb(engines, name, params):
    db, frames = engines
    expected = db.query(name, **params.as_sql())
    got = bench_pandas.QUERIES[name](frames, params)
    pd.testing.assert_frame_equal(_plain(got), _plain(expected))


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values only: integer widths, string dtypes and the flavour of missing value may differ."""
    return df.reset_index(drop=True).astype(object).where(df.notna().to_numpy(), None)
