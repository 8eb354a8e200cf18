"""`python -m analysis network --out DIR [--years 2021-2025] [--cities …] [--kinds …]
[--no-illustrative] [--data DIR] [--lang zh|en]`

Writes the cooperation network of one view as network.gexf, network.graphml and VOSviewer's
vosviewer_map.txt + vosviewer_network.txt (see analysis/network/export.py). Without options:
the dashboard's default view (all years, all cities, all kinds, made-up records included),
cumulative over the whole range. An unknown city or kind is an error (exit 2); years are
clamped to those with agreements, as on the dashboard.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from analysis.core import i18n
from analysis.core.db import Database
from analysis.core.filters import Filters
from analysis.core.loading import default_data_dir, load
from analysis.core.schema import KINDS
from analysis.network.data import load_network
from analysis.network.export import write_all
from analysis.network.measures import compute
from analysis.network.view import NetworkView


def add_parser(sub) -> None:
    p = sub.add_parser("network", help="export the cooperation network (GEXF, GraphML, VOSviewer)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="folder for the four files")
    p.add_argument("--years", help="FROM-TO, e.g. 2021-2025 (default: every year)")
    p.add_argument("--cities", nargs="+", help="cities, e.g. Chengdu Chongqing (default: both)")
    p.add_argument("--kinds", nargs="+", help="base_base base_school other (default: all)")
    p.add_argument("--no-illustrative", action="store_true", help="leave out made-up records")
    p.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    p.add_argument("--lang", choices=i18n.LANGS, default=None,
                   help="language of labels and messages (default: from $LANG)")
    p.set_defaults(func=run)


def run(args) -> int:
    lang = args.lang or i18n.normalise_lang(os.environ.get("LANG"))
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    if args.years is not None and not _is_range(args.years):
        print(t("net.cli.bad_years"), file=sys.stderr)
        return 2
    dataset, problems = load(args.data or default_data_dir())
    if problems:
        print(t("net.cli.invalid_data"), file=sys.stderr)
        for p in problems:
            print(p, file=sys.stderr)
        return 1
    db = Database(dataset)
    known = {"--cities": tuple(db.query("core/cities")["city"]), "--kinds": KINDS}
    for option, given in (("--cities", args.cities), ("--kinds", args.kinds)):
        unknown = sorted(set(given or ()) - set(known[option]))
        if unknown:
            print(t("net.cli.bad_choice", option=option, values=", ".join(unknown),
                    allowed=", ".join(known[option])), file=sys.stderr)
            return 2
    query = {"lang": lang, "illustrative": "0" if args.no_illustrative else "1"}
    if args.years:
        query["years"] = args.years
    if args.cities:
        query["cities"] = ",".join(args.cities)
    if args.kinds:
        query["kinds"] = ",".join(args.kinds)
    filters = Filters.from_query(query, _bounds(db), known["--cities"], lang)
    params = filters.sql_params()
    data = load_network(db, params, NetworkView(year=filters.year_to))
    measures = compute(data)
    write_all(args.out, data, measures, params, lang)
    print(t("net.cli.written", dir=args.out, nodes=len(data.nodes), edges=len(data.pairs),
            agreements=data.agreements, span=f"{data.span[0]}–{data.span[1]}"))
    if data.illustrative_agreements:
        print(t("net.cli.illustrative", n=data.illustrative_agreements))
    return 0


def _is_range(text: str) -> bool:
    parts = text.split("-")
    return len(parts) == 2 and all(p.strip().isdigit() for p in parts)


def _bounds(db: Database) -> tuple[int, int]:
    first, last = db.query("core/year_bounds").iloc[0]
    if pd.isna(first):  # no agreement at all
        return (0, 0)
    return int(first), int(last)
