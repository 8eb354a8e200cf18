"""The view options the export commands share (`network`, `report`): the same choices as the
sidebar, given as --years, --cities, --kinds and --no-illustrative, checked the same way."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


from analysis.core import i18n
from analysis.core.db import Database
from analysis.core.filters import Filters, year_bounds
from analysis.core.loading import default_data_dir, load
from analysis.core.schema import KINDS


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--years", help="FIRST-LAST, e.g. 2021-2025 (default: every year)")
    p.add_argument("--cities", nargs="+", help="e.g. Chengdu Chongqing, or Chengdu,Chongqing (default: both)")
    p.add_argument("--kinds", nargs="+", help=f"from {', '.join(KINDS)} (default: all)")
    p.add_argument("--no-illustrative", action="store_true", help="real, sourced records only")
    p.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    p.add_argument("--lang", choices=i18n.LANGS, default=None, help="default: from $LANG")


def _database(args, lang: str) -> Database | None:
    """The data the options name (--data, else data/) in DuckDB; None, with every problem
    printed to stderr, when it does not validate."""
    data_dir = args.data or default_data_dir()
    dataset, problems = load(data_dir)
    if problems:
        for p in problems:
            print(p.format(lang), file=sys.stderr)
        print(i18n.t("app.cli_invalid_data", lang, n=len(problems), dir=data_dir), file=sys.stderr)
        return None
    return Database(dataset)


def open_view(args) -> tuple[str, Database, Filters] | int:
    """The language, the data and the view the options name; or the exit code after saying
    what is wrong (1: the data does not validate, 2: an option is wrong)."""
    lang = args.lang or i18n.normalise_lang(os.environ.get("LANG"))
    db = _database(args, lang)
    if db is None:
        return 1
    filters = _filters(args, db, lang)
    if isinstance(filters, list):
        print("\n".join(filters), file=sys.stderr)
        return 2
    return lang, db, filters


def _items(values: list[str] | None) -> list[str] | None:
    """Space- or comma-separated choices as one list."""
    if values is None:
        return None
    return [v for value in values for v in value.split(",") if v]


def _filters(args, db: Database, lang: str) -> Filters | list[str]:
    """The Filters the options describe (the dashboard's default view for what is left out),
    or the messages saying what is wrong with them."""
    cities, kinds = _items(args.cities), _items(args.kinds)
    known = {"--cities": tuple(db.query("core/cities")["city"]), "--kinds": KINDS}
    errors = [i18n.t("app.cli_bad_choice", lang, option=option, values=", ".join(unknown),
                     allowed=", ".join(known[option]))
              for option, given in (("--cities", cities), ("--kinds", kinds))
              if (unknown := sorted(set(given or ()) - set(known[option])))]
    bounds = year_bounds(db)
    if args.years is not None and not _within(args.years, bounds):
        errors.append(i18n.t("app.cli_bad_years", lang, years=args.years, first=bounds[0], last=bounds[1]))
    if errors:
        return errors
    query = {"lang": lang, "illustrative": "0" if args.no_illustrative else "1"}
    for key, value in (("years", args.years), ("cities", cities), ("kinds", kinds)):
        if value is not None:
            query[key] = value if isinstance(value, str) else ",".join(value)
    return Filters.from_query(query, bounds, known["--cities"], lang)


def _within(text: str, bounds: tuple[int, int]) -> bool:
    """FIRST-LAST, in order, inside the years the data offers (never clamped silently)."""
    parts = text.split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return False
    first, last = (int(p) for p in parts)
    return bounds[0] <= first <= last <= bounds[1]
