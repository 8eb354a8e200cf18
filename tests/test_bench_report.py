"""The bench's tables (the browser's, a page's reruns) and its widget changes, which must
still name the pages' widgets."""
import pytest

from tools.bench import app as bench_app
from tools.bench.run import _page_rows, browser_table
from tests.conftest import app_test


def test_a_drawn_time_gets_its_own_row_with_its_ratio():
    table = browser_table({
        "map": {"page_s": 4.0, "minimal_s": 1.6, "ratio": 2.5, "drawn_s": 5.0, "drawn_ratio": 3.125},
        "overview": {"page_s": 3.0, "minimal_s": 2.5, "ratio": 1.2},
    })
    rows = [line.split() for line in table.splitlines()[3:]]
    assert rows == [["map", "4.00", "1.60", "2.50x"],
                    ["map,", "districts", "drawn", "5.00", "1.60", "3.12x"],
                    ["overview", "3.00", "2.50", "1.20x"]]


def test_the_slowest_other_widget_is_named_with_its_time():
    app = {"app_start_s": 1.0, "peak_mb": 300, "pages": {"map": {
        "first_s": 0.3, "rerun_new_s": 0.07, "rerun_seen_s": 0.05, "filter_s": 0.12, "change": "map_metric",
        "others": {"map_year": 0.08, "map_sel": 0.11, "map_cross": 0.09}}}}
    assert ["map: rerun, slowest of 3 other widgets (map_sel)", "0.110", ""] in _page_rows(app)


@pytest.mark.parametrize("page", sorted(bench_app.OTHER_CHANGES))
def test_every_other_widget_change_reruns_its_page(fixture_env, page):
    """Each widget the bench changes is on its page, takes the bench's values, and is put back
    (an empty selection box excepted); so is the compare page's section."""
    at, fresh = app_test(f"{page}.py").run(), app_test(f"{page}.py").run()
    assert not at.exception
    times = bench_app._other_changes(at, page)
    assert set(times) == {key for _, key, _, _ in bench_app.OTHER_CHANGES[page]}
    assert not at.exception
    for kind, key, _, section in bench_app.OTHER_CHANGES[page]:
        was = getattr(fresh, kind)(key=key).value if section is None else None
        if was is not None:
            assert getattr(at, kind)(key=key).value == was
    if page == "compare":
        section = at.segmented_control(key="cmp_section").value
        assert section == fresh.segmented_control(key="cmp_section").value
