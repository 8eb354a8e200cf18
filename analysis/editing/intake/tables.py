"""The import's mapping tables (analysis/editing/value_aliases.toml), loaded once, and the
one normalisation every name, header and value goes through before it is compared."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

VALUES_FILE = Path(__file__).parents[1] / "value_aliases.toml"
_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Full-width → half-width (NFKC: （东区） → (东区), １ → 1), no spaces, lower case."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).lower()


@cache
def config() -> dict:
    with VALUES_FILE.open("rb") as f:
        return tomllib.load(f)


def header_norm(header: str) -> str:
    return norm(header).replace("\ufeff", "").rstrip("*")


@cache
def intake_columns() -> dict[str, str]:
    """Normalised header → import-only column (district, party_a_city, ..., ignore)."""
    out = {}
    for column, words in config()["columns"].items():
        for word in words:
            out[header_norm(word)] = column
    return out


@cache
def value_words(column: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(value, words) in file order for a coded column, or () when it has no table."""
    table = config()["values"].get(column, {})
    return tuple((value, tuple(norm(w) for w in words)) for value, words in table.items())


def map_value(column: str, written: str) -> str | None:
    """The contract value a Chinese value stands for (None when no word fits)."""
    text = norm(written)
    for value, words in value_words(column):
        if text == value or any(w in text for w in words):
            return value
    return None


@cache
def city_names() -> dict[str, str]:
    """Normalised city as written (without 市) → English city."""
    out = {}
    for city, words in config()["cities"].items():
        out[norm(city)] = city
        for w in words:
            out[norm(w)] = city
    return out


def city_of(written: str) -> str | None:
    """成都 / 成都市 / Chengdu → Chengdu; another English name is kept; a Chinese one unknown."""
    text = norm(written).removesuffix("市")
    if not text:
        return None
    if text in city_names():
        return city_names()[text]
    plain = unicodedata.normalize("NFKC", written).strip()
    return plain.title() if plain.isascii() and plain.replace(" ", "").isalpha() else None


def city_in_name(name: str) -> str | None:
    """The city a name starts with (成都…, 重庆…), for parties created from an agreement list."""
    text = norm(name)
    for word, city in city_names().items():
        if len(word) >= 2 and not word.isascii() and text.startswith(word):
            return city
    return None


def known_cities() -> tuple[str, ...]:
    """The cities the import names (the choices of --city on the page)."""
    return tuple(config()["cities"])
