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
from pathlib import Path


from analysis.core import i18n
from analysis.core import cli_filters
from analysis.network.data import load_network
from analysis.network.export import write_all
from analysis.network.measures import compute
from analysis.network.view import NetworkView


def add_parser(sub) -> None:
    p = sub.add_parser("network", help="export the cooperation network (GEXF, GraphML, VOSviewer)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="folder for the four files")
    cli_filters.add_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    opened = cli_filters.open_view(args)
    if isinstance(opened, int):
        return opened
    lang, db, filters = opened
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    params = filters.sql_params()
    data = load_network(db, params, NetworkView(year=filters.year_to))
    measures = compute(data)
    write_all(args.out, data, measures, params, lang)
    print(t("net.cli.written", dir=args.out, nodes=len(data.nodes), edges=len(data.pairs),
            agreements=data.agreements, span=f"{data.span[0]}–{data.span[1]}"))
    if data.illustrative_agreements:
        print(t("net.cli.illustrative", n=data.illustrative_agreements))
    return 0
