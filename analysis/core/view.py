"""One pattern for every view's state (the sidebar filters, each page's own choices).

A view is a frozen dataclass with
- `from_query(q, ...)`: the view a mapping of URL query strings describes, checked against
  what the data offers; anything missing or unreadable falls back to a default, never an error;
- `to_query()`: the query strings that describe it (what goes into the address bar);
- `widget_state()`: its values keyed by the widgets that hold them (widget keys are query keys).

Widget values go back through `from_query` as `as_query_value(value)`, so a view has one
parser for the URL and for the widgets alike. The helpers below are the parsers views share.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping


def as_query_value(value) -> str:
    """A widget's value as query text: lists joined by commas, a range as "a-b", booleans as
    1/0, None as the empty string."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]}-{value[1]}"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def first(q: Mapping, key: str) -> str | None:
    """The text of a query key (the last one when repeated), None when absent or not text."""
    v = q.get(key)
    if isinstance(v, (list, tuple)):
        v = v[-1] if v else None
    return v if isinstance(v, str) else None


def pick(text: str | None, allowed: Iterable[str], default: str | None = None) -> str | None:
    """The text when it is one of `allowed`, else the default (the first allowed by default)."""
    allowed = tuple(allowed)
    if text in allowed:
        return text
    return default if default is not None else (allowed[0] if allowed else None)


def clamp(text: str | None, lo: int, hi: int, default: int) -> int:
    """A whole number within [lo, hi]; the default when the text is not a number."""
    try:
        n = int(float(text))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(n, lo), hi)


def subset(text: str | None, allowed: Iterable[str], default: Iterable[str]) -> tuple[str, ...]:
    """The allowed items of a comma-separated list, in the order given. No text: the default;
    an empty text: an empty choice (the user cleared it); nothing valid in it: the default."""
    if text is None:
        return tuple(default)
    allowed = set(allowed)
    picked = tuple(v for v in dict.fromkeys(text.split(",")) if v in allowed)
    return picked if picked or text == "" else tuple(default)


def year_range(text: str | None, bounds: tuple[int, int]) -> tuple[int, int]:
    """"2021-2024" within the bounds, in order; the whole bounds when unreadable."""
    lo, hi = bounds
    try:
        a, b = (int(x) for x in (text or "").split("-"))
    except ValueError:
        return lo, hi
    a, b = sorted((min(max(a, lo), hi), min(max(b, lo), hi)))
    return a, b
