"""Every named query on the fixture dataset, with exact expected results worked out by hand.

The fixture (tests/fixtures/data): 6 bases (fb-5 illustrative, fb-6 city-level only),
5 schools (fs-4 illustrative), 8 agreements 2021–2023 (fa-5 and fa-7 illustrative;
fa-1, fa-3, fa-6, fa-8 cross-city), 3 events, 2 honours, 6 districts.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.db import query_names, query_parameters
from tests.conftest import filter_params


def rows(df):
    return [tuple(r) for r in df.itertuples(index=False)]


@pytest.mark.parametrize("overrides, expected", [
    ({}, (6, 5, 8, 4, 4, 2)),
    ({"include_illustrative": False}, (5, 4, 6, 4, 2, 2)),
    ({"cities": ["Chengdu"]}, (3, 3, 6, 4, 3, 1)),
    ({"kinds": ["base_school"], "year_from": 2022}, (6, 5, 4, 2, 2, 2)),
    ({"cities": [], "kinds": []}, (0, 0, 0, 0, 0, 0)),
])
def test_kpis(fixture_db, overrides, expected):
    df = fixture_db.query("overview/kpis", **filter_params(**overrides))
    assert list(df.columns) == ["bases", "schools", "agreements", "cross_city", "this_year",
                                "previous_year"]
    assert rows(df) == [expected]


def test_agreements_by_year_kind(fixture_db):
    assert rows(fixture_db.query("overview/agreements_by_year_kind", **filter_params())) == [
        (2021, "base_base", 1), (2021, "base_school", 1), (2022, "base_school", 2),
        (2023, "base_base", 1), (2023, "base_school", 2), (2023, "other", 1)]


def test_agreements_by_year_pair(fixture_db):
    assert rows(fixture_db.query("core/agreements_by_year_pair", **filter_params())) == [
        (2021, "Chengdu–Chengdu", False, 1), (2021, "Chengdu–Chongqing", True, 1),
        (2022, "Chengdu–Chongqing", True, 1), (2022, "Chongqing–Chongqing", False, 1),
        (2023, "Chengdu–Chengdu", False, 1), (2023, "Chengdu–Chongqing", True, 2),
        (2023, "Chongqing–Chongqing", False, 1)]


def test_agreement_list_newest_first_with_sources(fixture_db):
    df = fixture_db.query("overview/agreement_list", **filter_params(), limit=3)
    assert list(df.agreement_id) == ["fa-8", "fa-7", "fa-6"]
    assert list(df.provenance) == ["https://example.org/fa-8", "illustrative", "https://example.org/fa-6"]
    assert list(df.illustrative) == [False, True, False]
    assert df.iloc[0][["a_name_zh", "b_name_zh"]].tolist() == ["渝中科技馆", "锦江小学"]


def test_events_with_agreement_counts(fixture_db):
    df = fixture_db.query("core/events", **filter_params())
    assert rows(df[["event_id", "is_forum", "agreements"]]) == [
        ("forum-2021", True, 1), ("event-2022", False, 0), ("forum-2023", True, 1)]
    only_2022 = fixture_db.query("core/events", **filter_params(year_from=2022, year_to=2022))
    assert list(only_2022.event_id) == ["event-2022"]


def test_honours(fixture_db):
    df = fixture_db.query("overview/honours", **filter_params())
    assert rows(df[["year", "list", "name_zh"]]) == [
        (2023, "messenger", "测试使者"), (2022, "work", "<script>alert(1)</script>")]
    assert fixture_db.query("overview/honours", **filter_params(year_from=2021, year_to=2021)).empty


def test_data_status(fixture_db):
    assert rows(fixture_db.query("core/data_status")) == [
        ("bases", 6, 5, 1), ("schools", 5, 4, 1), ("agreements", 8, 6, 2),
        ("events", 3, 3, 0), ("honours", 2, 2, 0), ("districts", 6, 6, 0), ("cities", 2, 2, 0)]


def test_data_warnings(fixture_db):
    assert rows(fixture_db.query("core/data_warnings")) == [
        ("city_precision", 1), ("no_population", 1), ("no_agreement", 2)]


def test_year_bounds_and_cities(fixture_db):
    assert rows(fixture_db.query("core/year_bounds")) == [(2021, 2023)]
    assert list(fixture_db.query("core/cities").city) == ["Chengdu", "Chongqing"]


@pytest.mark.parametrize("overrides, expected", [
    ({}, 4), ({"cities": ["Chengdu"]}, 2), ({"year_from": 2021, "year_to": 2022}, 2),
])
def test_illustrative_count(fixture_db, overrides, expected):
    # counted even while hidden, so the badge can say what the switch would show
    params = filter_params(**overrides, include_illustrative=False)
    assert fixture_db.query("core/illustrative_count", **params).iloc[0, 0] == expected


def test_summary_by_year_kind(fixture_db):
    assert rows(fixture_db.query("core/summary_by_year_kind")) == [
        (2021, "base_base", 1, 0), (2021, "base_school", 1, 0), (2022, "base_school", 2, 0),
        (2023, "base_base", 1, 0), (2023, "base_school", 2, 1), (2023, "other", 1, 1)]


def test_parameters_are_bound_not_formatted(fixture_db):
    hostile = ["Chengdu') or 1=1 --", "Chongqing"]
    df = fixture_db.query("overview/kpis", **filter_params(cities=hostile))
    assert rows(df) == [(3, 2, 6, 4, 3, 2)]  # only Chongqing matched


def test_missing_parameter_is_an_error(fixture_db):
    with pytest.raises(TypeError, match="year_to"):
        fixture_db.query("overview/kpis", year_from=2021)


def test_every_query_is_exercised_by_a_test():
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    untested = [n for n in query_names() if f'"{n}"' not in tests]
    assert untested == []


def test_query_parameters_are_what_the_sql_reads():
    """The pages' query cache keys on these: the partner finder ranks by partners over every
    year, so a change of the year range does not run it again."""
    assert query_parameters("compare/partners") == {"base_id", "cities", "include_illustrative",
                                                    "max_km", "scope", "stages", "top"}
    assert query_parameters("network/pairs") == {"year_from", "year_to", "cities", "kinds",
                                                 "include_illustrative"}


def test_one_thread_while_the_data_fits_one_row_group(monkeypatch):
    """A second DuckDB thread only slows queries over data within one row group."""
    from analysis.core import db as db_module
    from analysis.core.loading import load
    from tests.conftest import FIXTURE_DIR

    threads = lambda db: db._con.cursor().execute("select current_setting('threads')").fetchone()[0]  # noqa: E731
    assert threads(db_module.Database(load(FIXTURE_DIR)[0])) == 1          # 8 agreements
    monkeypatch.setattr(db_module, "ROW_GROUP", 5)
    assert threads(db_module.Database(load(FIXTURE_DIR)[0])) == 2


QUERY_BATCH = [("overview/kpis", filter_params()), ("areas/districts", filter_params(cities=["Chengdu"])),
               ("map/arc_count", {**filter_params(), "cross_only": True}), ("core/cities", {})]


def test_queries_run_together_answer_as_one_by_one(fixture_db):
    together = fixture_db.query_many(QUERY_BATCH)
    assert len(together) == len(QUERY_BATCH)
    for (name, params), got in zip(QUERY_BATCH, together):
        pd.testing.assert_frame_equal(got, fixture_db.query(name, **params))
    assert fixture_db.query_many([]) == []
    with pytest.raises(TypeError, match="needs parameters"):   # a missing parameter, as in query()
        fixture_db.query_many([*QUERY_BATCH, ("overview/kpis", {})])


def test_the_app_runs_together_only_the_queries_it_has_not_cached(fixture_db):
    from pages.shell import Queries

    class Counting:
        """fixture_db, noting the queries each call is asked to run."""
        version = f"counting-{id(fixture_db)}"   # a cache of its own
        batches: list[list[str]] = []

        def query(self, name, **params):
            self.batches.append([name])
            return fixture_db.query(name, **params)

        def query_many(self, calls):
            self.batches.append([name for name, _ in calls])
            return fixture_db.query_many(calls)

    db = Counting()
    app = Queries(db)
    first = app.query_many(QUERY_BATCH[:2])
    assert db.batches == [["overview/kpis", "areas/districts"]]
    again = app.query_many([*QUERY_BATCH, ("overview/kpis", {**filter_params(), "unused": 1})])
    assert db.batches[1] == ["map/arc_count", "core/cities"]     # the first two came from the cache
    for (name, params), got in zip(QUERY_BATCH, again):
        pd.testing.assert_frame_equal(got, fixture_db.query(name, **params))
    pd.testing.assert_frame_equal(again[-1], first[0])           # parameters a query does not read
    pd.testing.assert_frame_equal(app.query("map/arc_count", **QUERY_BATCH[2][1]), again[2])
    assert len(db.batches) == 2                                  # query() finds what query_many kept
    app.query("core/cities", cities=["unused"])
    assert len(db.batches) == 2
