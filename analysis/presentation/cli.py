"""`python -m analysis report --out DIR [--lang zh|en] [--years 2021-2025] [--cities A,B]
[--kinds K,L] [--no-illustrative] [--theme light|dark] [--edition EVENT_ID] [--data DIR]`

Writes the presenter deck's exports (deck.pptx, report.html, one PNG per chart, the map of
each year and map-animation.gif) with the same code as the presenter page's downloads.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.core import i18n
from analysis.core import cli_filters
from analysis.presentation.export import export_all
from analysis.presentation.story import build_story
from analysis.presentation.theme import THEMES


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write the forum deck: PPTX, offline HTML, PNGs, GIF",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    cli_filters.add_arguments(p)
    p.add_argument("--theme", choices=sorted(THEMES), default="light")
    p.add_argument("--edition", default=None, help="forum event_id for the title and signings slides")
    p.set_defaults(func=run)


def run(args) -> int:
    opened = cli_filters.open_view(args)
    if isinstance(opened, int):
        return opened
    lang, db, filters = opened
    events = db.query("core/events", **filters.sql_params())
    editions = list(events.loc[events["is_forum"], "event_id"])
    if args.edition is not None and args.edition not in editions:
        print(i18n.t("present.cli_bad_edition", lang, edition=args.edition,
                     known=", ".join(editions) or "—"), file=sys.stderr)
        return 2
    story = build_story(db, filters, theme=args.theme, edition=args.edition)
    written = export_all(story, args.out, progress=lambda share, name: print(f"{share:4.0%} {name}"))
    print(f"{len(written)} files in {args.out}")
    return 0
