"""Translations, URL filters, safe exports and chart escaping."""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.core import i18n
from analysis.core.export import neutralise, to_csv_bytes, to_xlsx_bytes
from analysis.core.filters import Filters
from analysis.overview import figures as charts

ROOT = Path(__file__).resolve().parent.parent


def test_every_string_key_used_in_code_exists():
    code = "".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("analysis/*.py"), *ROOT.glob("pages/*.py")])
    used = set(re.findall(r'\bt\("([a-z_]+\.[a-z_0-9.]+)"', code))
    assert used, "expected t(...) calls"
    assert sorted(used - set(i18n.strings())) == []


def test_formats_and_fallbacks():
    assert i18n.t("app.illustrative_badge", "en", count="12").startswith("Illustrative data: this view includes 12")
    assert i18n.fmt_date("2023-12-14", "zh") == "2023年12月14日"
    assert i18n.fmt_date("2023-12-14", "en") == "14 Dec 2023"
    assert i18n.fmt_pct(0.5, "en") == "50.0%" and i18n.fmt_pct(None, "zh") == "—"
    assert i18n.name("成都博物馆", None, "en") == "成都博物馆"
    assert i18n.name(float("nan"), "Chengdu Museum", "zh") == "Chengdu Museum"
    assert i18n.label("city", "Chengdu", "zh") == "成都"
    assert i18n.label("city", "Leshan", "zh") == "Leshan"
    assert [i18n.normalise_lang(v) for v in ("zh-CN", "en-US", "fr-FR", None)] == ["zh", "en", "en", "zh"]


def test_filters_from_url_round_trip():
    cities = ("Chengdu", "Chongqing", "Mianyang")
    f = Filters(2022, 2023, ("Chengdu",), ("base_school",), False, "en")
    assert Filters.from_query(f.to_query(), (2021, 2025), cities, "zh") == f


@pytest.mark.parametrize("query, expected", [
    ({}, Filters(2021, 2025, ("Chengdu", "Chongqing"), ("base_base", "base_school", "other"), True, "zh")),
    ({"years": "2030-1999", "lang": "xx"}, Filters(2021, 2025, ("Chengdu", "Chongqing"),
                                                   ("base_base", "base_school", "other"), True, "zh")),
    ({"years": "oops", "cities": "Atlantis", "kinds": "nope"},
     Filters(2021, 2025, ("Chengdu", "Chongqing"), ("base_base", "base_school", "other"), True, "zh")),
    ({"cities": "", "kinds": "", "illustrative": "0"}, Filters(2021, 2025, (), (), False, "zh")),
])
def test_bad_url_values_fall_back_to_defaults(query, expected):
    assert Filters.from_query(query, (2021, 2025), ("Chengdu", "Chongqing"), "zh-CN") == expected
    assert expected.is_empty == (not expected.cities)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "=HYPERLINK(\"x\")"])
def test_formula_cells_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell
    df = pd.DataFrame({"name": [cell], "n": [-5]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df)), encoding="utf-8-sig", keep_default_na=False)
    assert back.loc[0, "name"] == "'" + cell and back.loc[0, "n"] == -5
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    assert ws["A2"].value == "'" + cell and ws["A2"].data_type == "s"
    assert ws["B2"].value == -5


def test_hover_text_escapes_names_from_data():
    events = pd.DataFrame({"name_zh": ["<img src=x onerror=alert(1)>"], "name_en": [None],
                           "date": [pd.Timestamp("2023-12-14")], "city": ["Chongqing"],
                           "agreements": [2], "is_forum": [True]})
    fig = charts.event_timeline(events, "en")
    custom = fig.data[0].customdata[0]
    assert custom[0] == "&lt;img src=x onerror=alert(1)&gt;"


def test_year_bounds_offer_a_range_whatever_the_data():
    """One rule for the sidebar, the presenter settings and the export commands."""
    import pandas as pd

    from analysis.core.filters import year_bounds

    class Years:
        def __init__(self, first, last):
            self.row = pd.DataFrame({"first_year": [first], "last_year": [last]})

        def query(self, name):
            assert name == "core/year_bounds"
            return self.row

    assert year_bounds(Years(2021, 2025)) == (2021, 2025)
    assert year_bounds(Years(2023, 2023)) == (2022, 2023)      # one year: still a range
    this_year = pd.Timestamp.today().year
    assert year_bounds(Years(None, None)) == (this_year - 4, this_year)   # no agreement yet


def test_display_rows_are_the_frames_itertuples():
    """display.rows reads plain lists but gives what itertuples(index=False) gives: the same
    fields (a keyword renamed), values and missing values."""
    import math

    from analysis.core.display import rows

    df = pd.DataFrame({"name_zh": pd.array(["成都", None, "重庆"], dtype="str"),
                       "n": pd.array([1, None, 3], dtype="Int64"), "x": [0.5, math.nan, 2.0],
                       "flag": [True, False, True], "class": ["a", "b", "c"]}).iloc[[2, 0, 1]]
    got, expected = list(rows(df)), list(df.itertuples(index=False))
    assert [r._fields for r in got[:1]] == [expected[0]._fields] == [("name_zh", "n", "x", "flag", "_4")]
    for g, e in zip(got, expected, strict=True):
        assert [None if pd.isna(v) else v for v in g] == [None if pd.isna(v) else v for v in e]
    assert list(rows(df.iloc[:0])) == []
