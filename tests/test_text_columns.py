"""The column forms of the text rules give, cell by cell, what the rules give one cell at a
time: the fast path for plain cells changes nothing."""
from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.text import ID_MAX, ID_PATTERN, normalise_numeric_column, normalise_numeric_text, valid_ids

# plain numbers and dates, what staff type with a Chinese IME or paste, and anything at all
CELLS = st.one_of(
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,4})?", fullmatch=True),
    st.from_regex(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,3}(,[0-9]{3}){1,2}(\.[0-9]{1,2})?", fullmatch=True),   # 1,234.5
    st.text(alphabet="0123456789.,-+ /:e", max_size=12),    # plain but for a blank or a comma
    st.text(alphabet="0123456789０１２３４５６７８９,.。−- \u00a0\u200b\u3000年月日/", max_size=12),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CELLS, st.none()), max_size=30))
def test_normalise_numeric_column_is_the_cell_rule(cells):
    column = pd.Series(cells, dtype="string")
    expected = [None if c is None else normalise_numeric_text(c) for c in cells]
    got = [None if pd.isna(v) else v for v in normalise_numeric_column(column)]
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.from_regex(r"[a-z0-9_-]{0,12}", fullmatch=True),
                          st.from_regex(r"[a-z0-9]{60,70}", fullmatch=True),   # about ID_MAX
                          st.text(alphabet="az09_-.A é", max_size=12), st.text(max_size=70)), max_size=30))
def test_valid_ids_is_the_id_rule(cells):
    expected = [len(c) <= ID_MAX and re.fullmatch(ID_PATTERN, c) is not None for c in cells]
    assert valid_ids(pd.Series(cells, dtype="str")).tolist() == expected
