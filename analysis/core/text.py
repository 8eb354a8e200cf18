"""Text as the contract reads it: numbers, ids and names in one normal form each.

Staff type in Chinese input methods (full-width ２０２３, １０６．５, ideographic full stop),
paste from web pages (zero-width spaces, NBSP) and Excel (trailing blanks). Every parser of a
number, every id and every name comparison goes through here, so the same cell means the same
thing to validation, loading and the data manager. See data/README.md (identity and numbers).
"""
from __future__ import annotations

import re
import unicodedata

ID_MAX = 64
# After normalising: lower-case ASCII letters, digits, '-' and '_'; starts with a letter or digit.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
_MINUS = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                        "\u2013": "-", "\ufe63": "-"})
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_STOP = re.compile(r"(?<=\d)。(?=\d)")     # 106。5 typed with a Chinese IME


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


def normalise_date_text(text: str) -> str:
    """A date as typed, in NFKC (２０２３年１２月１４日 → 2023年12月14日), blanks kept: the time in
    "2023/12/14 0:00" stays apart from the day for the date reader."""
    return unicodedata.normalize("NFKC", clean_text(text))


def normalise_id(text: str) -> str:
    """An id in its one form: NFKC, invisible characters and blanks removed at the ends,
    lower case. Whether the result is allowed is `is_valid_id`."""
    return unicodedata.normalize("NFKC", clean_text(text)).lower()


def is_valid_id(text: str) -> bool:
    return len(text) <= ID_MAX and ID_PATTERN.fullmatch(text) is not None


def name_key(text: str) -> str:
    """How two names are compared: NFKC, invisible characters dropped, blanks collapsed,
    case folded ('成都（科技馆）' == '成都(科技馆)', 'Li  Na' == 'li na')."""
    return unicodedata.normalize("NFKC", clean_text(text)).casefold()
