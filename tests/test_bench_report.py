"""The bench's browser table: a page's row, and the map's "districts drawn" row beside it."""
from tools.bench.run import browser_table


def test_a_drawn_time_gets_its_own_row_with_its_ratio():
    table = browser_table({
        "map": {"page_s": 4.0, "minimal_s": 1.6, "ratio": 2.5, "drawn_s": 5.0, "drawn_ratio": 3.125},
        "overview": {"page_s": 3.0, "minimal_s": 2.5, "ratio": 1.2},
    })
    rows = [line.split() for line in table.splitlines()[3:]]
    assert rows == [["map", "4.00", "1.60", "2.50x"],
                    ["map,", "districts", "drawn", "5.00", "1.60", "3.12x"],
                    ["overview", "3.00", "2.50", "1.20x"]]
