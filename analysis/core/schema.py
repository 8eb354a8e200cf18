"""The data contract: tables, columns, types and allowed values (see data/README.md).

Declared as data, in one place, so validation, templates and documentation agree.
"""
from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("museum", "science_center", "hospital", "university", "research_institute",
              "enterprise", "park", "other")
LEVELS = ("national", "provincial", "municipal", "district")
STAGES = ("primary", "middle", "high", "vocational", "university", "other")
GEO_PRECISIONS = ("exact", "district", "city")
KINDS = ("base_base", "base_school", "other")
HONOUR_LISTS = ("co_construction_base", "messenger", "work")
MAIN_CITIES = ("Chengdu", "Chongqing")
ILLUSTRATIVE = "illustrative"
SEED_PREFIX = "seed:"   # provenance of records read from a seed text in ../shared/seed/
LIST_PREFIX = "list:"   # a published list known by its title and date, not by a URL

# Sichuan and Chongqing together span roughly 97.3–110.2 °E and 26.0–34.4 °N.
LON_RANGE = (97.3, 110.2)
LAT_RANGE = (26.0, 34.4)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"          # text | id | int | float | date | code6
    required: bool = False
    allowed: tuple[str, ...] | None = None
    max_len: int = 200          # characters; a longer cell is refused (see data/README.md)


@dataclass(frozen=True)
class Table:
    name: str
    key: str | None
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


# Longest cell per column, in characters: a name of a few hundred is plenty; titles and
# themes are sentences; a source URL may be long. Ids: analysis.core.text.ID_MAX.
# Dates as lists write them ("2023年12月14日", "2023/12/14 0:00") are read before they are parsed.
MAX_LEN = {"id": 64, "code6": 6, "int": 12, "float": 32, "date": 32}
LONG_TEXT = {"title": 500, "theme_zh": 500, "theme_en": 500, "venue": 300, "provenance": 2000}


def _c(name: str, kind: str = "text", required: bool = False, allowed=None) -> Column:
    return Column(name, kind, required, allowed, LONG_TEXT.get(name, MAX_LEN.get(kind, 200)))


TABLES: dict[str, Table] = {t.name: t for t in (
    Table("bases", "base_id", (
        _c("base_id", "id", required=True), _c("name_zh", required=True), _c("name_en"),
        _c("category", required=True, allowed=CATEGORIES), _c("level", allowed=LEVELS),
        _c("city", required=True), _c("district_code", "code6"),
        _c("lon", "float", required=True), _c("lat", "float", required=True),
        _c("geo_precision", allowed=GEO_PRECISIONS), _c("designated_year", "int"),
        _c("provenance", required=True))),
    Table("schools", "school_id", (
        _c("school_id", "id", required=True), _c("name_zh", required=True), _c("name_en"),
        _c("stage", required=True, allowed=STAGES), _c("city", required=True),
        _c("district_code", "code6"),
        _c("lon", "float", required=True), _c("lat", "float", required=True),
        _c("geo_precision", allowed=GEO_PRECISIONS), _c("provenance", required=True))),
    Table("agreements", "agreement_id", (
        _c("agreement_id", "id", required=True), _c("kind", required=True, allowed=KINDS),
        _c("party_a_id", "id", required=True), _c("party_b_id", "id", required=True),
        _c("signed_on", "date", required=True), _c("event_id", "id"), _c("title"),
        _c("provenance", required=True))),
    Table("events", "event_id", (
        _c("event_id", "id", required=True), _c("name_zh", required=True), _c("name_en"),
        _c("date", "date", required=True), _c("city", required=True), _c("venue"),
        _c("theme_zh"), _c("theme_en"), _c("provenance", required=True))),
    Table("honours", None, (
        _c("year", "int", required=True), _c("list", required=True, allowed=HONOUR_LISTS),
        _c("name_zh", required=True), _c("name_en"), _c("affiliation"), _c("city"),
        _c("provenance", required=True))),
    Table("districts", "district_code", (
        _c("district_code", "code6", required=True), _c("name_zh", required=True), _c("name_en"),
        _c("city", required=True),
        _c("lon", "float", required=True), _c("lat", "float", required=True),
        _c("population", "int"), _c("population_year", "int"), _c("provenance"))),
    Table("cities", "city", (
        _c("city", required=True), _c("name_zh", required=True), _c("name_en"),
        _c("lon", "float", required=True), _c("lat", "float", required=True),
        _c("population", "int"), _c("population_year", "int"), _c("provenance", required=True))),
)}

# Tables whose population feeds the per-resident rates: one census year for all of them.
POPULATION_TABLES = ("districts", "cities")

# Tables the illustrative generator may add rows to (kept in data/illustrative/).
ILLUSTRATIVE_TABLES = ("bases", "schools", "agreements")
