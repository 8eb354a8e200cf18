"""A copy of the fixture data whose every name carries markup pointing at a local listener
(test_hostile_markup_browser.py): markdown images and links, raw HTML images, scripts,
Streamlit directives. Each value has its own tag, so a fetch names the field that leaked."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from tests.conftest import FIXTURE_DIR

# (table, columns): every text a page can show that comes from the data.
FIELDS = {
    "districts": ("name_zh", "name_en"),
    "bases": ("name_zh", "name_en"),
    "schools": ("name_zh", "name_en"),
    "events": ("name_zh", "name_en", "venue", "theme_zh", "theme_en"),
    "honours": ("name_zh", "name_en", "affiliation"),
    "agreements": ("title",),
}
# A third city: its code is shown as its name (it has no translated label).
CITY = "Deyang **<b>德阳</b>**"


def markup(base: str, tag: str) -> str:
    """≤ 200 characters (the longest name the data accepts), with a readable start."""
    return (f"{tag} ![i]({base}/{tag}i.png) [l]({base}/{tag}l) <img src={base}/{tag}h.png> "
            f"<script src={base}/{tag}s.js></script> :red[r] **b**")


def write(target: Path, base: str) -> dict[str, str]:
    """The hostile copy in `target`; returns every typed value by its tag."""
    shutil.copytree(FIXTURE_DIR, target)
    typed = {}
    for table, columns in FIELDS.items():
        path = target / f"{table}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in columns:
            for i in df.index:
                if df.at[i, col] or col in ("name_zh", "name_en", "title", "venue", "affiliation"):
                    tag = f"{table[:2]}{i}{col[0]}{col[-1]}"
                    typed[tag] = df.at[i, col] = markup(base, tag)
        df.to_csv(path, index=False)
    _add_city(target)
    return typed


def _add_city(target: Path) -> None:
    """A base in the third city, with one agreement to a Chengdu base."""
    cities = pd.read_csv(target / "cities.csv", dtype=str, keep_default_na=False)
    cities.loc[len(cities)] = {"city": CITY, "name_zh": "德阳市", "name_en": "Deyang", "lon": "104.398",
                               "lat": "31.127", "population": "", "population_year": "",
                               "provenance": "https://example.org/fixture"}
    cities.to_csv(target / "cities.csv", index=False)
    with (target / "bases.csv").open("a", encoding="utf-8") as f:
        f.write(f'fb-7,德阳基地,Deyang Base,museum,municipal,"{CITY}",,104.398,31.127,city,2019,'
                "https://example.org/fb-7\n")
    with (target / "agreements.csv").open("a", encoding="utf-8") as f:
        f.write("fa-9,base_base,fb-7,fb-1,2022-03-01,,Deyang pact,https://example.org/fa-9\n")
