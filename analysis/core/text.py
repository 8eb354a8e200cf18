"""Text as the contract reads it: numbers, ids and names in one normal form each.

Staff type in Chinese input methods (full-width ２０２３, １０６．５, ideographic full stop),
paste from web pages (zero-width spaces, NBSP) and Excel (trailing blanks). Every parser of a
number, every id and every name comparison goes through here, so the same cell means the same
thing to validation, loading and the data manager. See data/README.md (identity and numbers).
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

ID_MAX = 64
# After normalising: lower-case ASCII letters, digits, '-' and '_'; starts with a letter or digit.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
_MINUS = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                        "\u2013": "-", "\ufe63": "-"})
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_STOP = re.compile(r"(?<=\d)。(?=\d)")     # 106。5 typed with a Chinese IME
# Printable ASCII but the space and the comma: text normalise_numeric_text leaves as it is.
_PLAIN = r"[!-+\--~]*"


def _visible(ch: str) -> bool:
    """False for control (Cc), format (Cf: zero-width, BOM, bidi overrides), surrogate and
    private-use characters, which no name or number needs."""
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")


def clean_text(text: str) -> str:
    """A cell's text with invisible characters removed and runs of whitespace (newlines,
    tabs, NBSP, ideographic space) made one space, trimmed. Visible characters are kept as
    typed (full-width brackets in Chinese names stay)."""
    text = "".join(ch if _visible(ch) else (" " if ch in "\t\n\r\x0b\x0c\x85" else "")
                   for ch in str(text))
    return " ".join(text.split())


def normalise_numeric_text(text: str) -> str:
    """Numeric text in ASCII: NFKC (full-width digits, minus, point and comma), minus signs,
    an IME full stop between digits, and thousands separators (1,234.5) removed. Text that
    is not a number comes back normalised but otherwise unchanged, so validation still
    reports it as it was meant."""
    s = unicodedata.normalize("NFKC", clean_text(text)).translate(_MINUS).replace(" ", "")
    s = _DECIMAL_STOP.sub(".", s)
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    return s


def normalise_numeric_column(column: pd.Series) -> pd.Series:
    """normalise_numeric_text on every cell of a text column (<NA> stays). The cells it would
    leave as they are (nearly all: 2023-05-14, 104.06) are found at once, not one by one,
    which took most of a first load (1M agreements: about two thirds of it)."""
    todo = column.notna() & ~column.str.fullmatch(_PLAIN).fillna(True).astype(bool)
    if not todo.any():
        return column
    out = column.copy()
    out[todo] = column[todo].map(normalise_numeric_text)
    return out


def normalise_date_text(text: str) -> str:
    """A date as typed, in NFKC (２０２３年１２月１４日 → 2023年12月14日), blanks kept: the time in
    "2023/12/14 0:00" stays apart from the day for the date reader."""
    return unicodedata.normalize("NFKC", clean_text(text))


def normalise_id(text: str) -> str:
    """An id in its one form: NFKC, invisible characters and blanks removed at the ends,
    lower case. Whether the result is allowed is `valid_ids`."""
    return unicodedata.normalize("NFKC", clean_text(text)).lower()


def valid_ids(column: pd.Series) -> pd.Series:
    """Which cells of a text column of normalised ids are allowed ids."""
    return (column.str.len() <= ID_MAX) & column.str.fullmatch(ID_PATTERN.pattern).fillna(False).astype(bool)


def name_key(text: str) -> str:
    """How two names are compared: NFKC, invisible characters dropped, blanks collapsed,
    case folded ('成都（科技馆）' == '成都(科技馆)', 'Li  Na' == 'li na')."""
    return unicodedata.normalize("NFKC", clean_text(text)).casefold()
