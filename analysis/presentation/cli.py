"""`python -m analysis report --out DIR [--lang zh|en] [--years 2021-2025] [--cities A,B]
[--kinds K,L] [--no-illustrative] [--theme light|dark] [--edition EVENT_ID] [--data DIR]`

Writes the presenter deck's exports (deck.pptx, report.html, one PNG per chart, the map of
each year and map-animation.gif) with the same code as the presenter page's downloads.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.core import i18n
from analysis.core.db import Database
from analysis.core.filters import Filters
from analysis.core.loading import default_data_dir, load
from analysis.core.schema import KINDS
from analysis.presentation.export import export_all
from analysis.presentation.story import build_story
from analysis.presentation.theme import THEMES


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write the forum deck: PPTX, offline HTML, PNGs, GIF",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    p.add_argument("--lang", choices=i18n.LANGS, default=None, help="default: from $LANG")
    p.add_argument("--years", default=None, help="FIRST-LAST, e.g. 2021-2025 (default: all years)")
    p.add_argument("--cities", default=None, help="comma-separated, e.g. Chengdu,Chongqing")
    p.add_argument("--kinds", default=None, help=f"comma-separated from {','.join(KINDS)}")
    p.add_argument("--no-illustrative", action="store_true", help="real, sourced records only")
    p.add_argument("--theme", choices=sorted(THEMES), default="light")
    p.add_argument("--edition", default=None, help="forum event_id for the title and signings slides")
    p.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    p.set_defaults(func=run)


def _check_list(value: str | None, allowed, what: str) -> str | None:
    """The unknown names in a comma-separated option, as an error message (None if all known)."""
    if value is None:
        return None
    unknown = [v for v in value.split(",") if v and v not in allowed]
    return f"unknown {what}: {', '.join(unknown)} (known: {', '.join(allowed)})" if unknown else None


def run(args) -> int:
    lang = args.lang or i18n.normalise_lang(os.environ.get("LANG"))
    data_dir = args.data or default_data_dir()
    dataset, problems = load(data_dir)
    if problems:
        for p in problems:
            print(p.format(lang))
        print(f"{len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    db = Database(dataset)
    bounds = db.query("core/year_bounds").iloc[0]
    cities = tuple(db.query("core/cities")["city"])
    errors = [e for e in (_check_list(args.cities, cities, "cities"), _check_list(args.kinds, KINDS, "kinds"))
              if e]
    if args.years is not None and not _years_ok(args.years):
        errors.append(f"--years {args.years!r}: write FIRST-LAST, e.g. 2021-2025")
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 2
    query = {k: v for k, v in (("years", args.years), ("cities", args.cities), ("kinds", args.kinds))
             if v is not None}
    filters = Filters.from_query({**query, "illustrative": "0" if args.no_illustrative else "1", "lang": lang},
                         (int(bounds.first_year), int(bounds.last_year)), cities, lang)
    story = build_story(db, filters, theme=args.theme, edition=args.edition)
    written = export_all(story, args.out, progress=lambda share, name: print(f"{share:4.0%} {name}"))
    print(f"{len(written)} files in {args.out}")
    return 0


def _years_ok(text: str) -> bool:
    parts = text.split("-")
    return len(parts) == 2 and all(p.strip().isdigit() for p in parts)
