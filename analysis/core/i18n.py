"""Every user-facing string and number format, in Chinese and English.

Strings live in analysis/strings/*.toml (one file per area, `key = { zh = "...", en = "..." }`),
so a translator edits text without touching code.
"""
from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

import tomllib

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
_STRINGS_DIR = Path(__file__).parents[1] / "strings"


@cache
def strings() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_STRINGS_DIR.glob("*.toml")):
        with path.open("rb") as f:
            for key, value in _flatten(tomllib.load(f)).items():
                if key in merged:
                    raise ValueError(f"{path.name}: string key {key!r} is defined twice")
                merged[key] = value
    return merged


def _flatten(tree: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict) and set(v) == set(LANGS):
            out[prefix + k] = v
        elif isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            raise ValueError(f"string {prefix}{k} needs both zh and en")
    return out


def normalise_lang(value: str | None) -> str:
    """Map '?lang=' values and browser locales ('zh-CN', 'en-US') to a supported language."""
    if not value:
        return DEFAULT_LANG
    head = value.strip().lower()[:2]
    return head if head in LANGS else "en"


def t(key: str, lang: str, **params) -> str:
    entry = strings().get(key)
    if entry is None:
        raise KeyError(f"no string {key!r}")
    text = entry[lang if lang in LANGS else DEFAULT_LANG]
    return text.format(**params) if params else text


def label(group: str, value: str, lang: str) -> str:
    """Translated label for a data value (city, kind, category...), the raw value if unknown."""
    entry = strings().get(f"{group}.{value}")
    return entry[lang] if entry else str(value)


def fmt_int(n, lang: str) -> str:
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "—"
    return f"{int(round(n)):,}"


def fmt_num(x, lang: str, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.{digits}f}"


def fmt_pct(x, lang: str, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{digits}f}%"


def fmt_date(d: dt.date | str, lang: str) -> str:
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d:%b} {d.year}"


def name(zh: str | None, en: str | None, lang: str) -> str:
    """An institution's name in the chosen language, falling back to the other one."""
    zh, en = _text(zh), _text(en)
    return (en or zh) if lang == "en" else (zh or en)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""
