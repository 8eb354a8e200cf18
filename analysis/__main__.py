"""Command line: `python -m analysis <command> [DATA_DIR]`.

validate  exit 0 with a one-line summary, or 1 with every problem on its own line
summary   counts per table, year and kind, as JSON
import    FILE --table TABLE [--mode merge|replace] [--source TEXT] [--city CITY]
          [--create-missing] [--data DIR] [--yes]: bring a CSV/XLSX/XLS file, or a list as
          published, into a real table with validation, a printed preview, an atomic commit
          and the audit log (see analysis/editing/cli.py and analysis/editing/intake/)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.core.loading import default_data_dir, load
from analysis.editing import cli as import_cli


def cmd_validate(args) -> int:
    dataset, problems = load(args.data_dir)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) in {args.data_dir}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(df)} {name}" for name, df in dataset.tables.items())
    print(f"OK: {args.data_dir}: {counts}")
    return 0


def cmd_summary(args) -> int:
    from analysis.core.db import Database

    dataset, problems = load(args.data_dir)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 1
    db = Database(dataset)
    status = db.query("core/data_status")
    by_year_kind = db.query("core/summary_by_year_kind")
    out = {
        "data_dir": str(args.data_dir),
        "tables": {r.table_name: {"total": int(r.total), "real": int(r.real),
                                  "illustrative": int(r.illustrative)}
                   for r in status.itertuples()},
        "agreements_by_year_kind": [
            {"year": int(r.year), "kind": r.kind, "agreements": int(r.agreements),
             "illustrative": int(r.illustrative)} for r in by_year_kind.itertuples()],
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_ in (("validate", cmd_validate, "check every table"),
                              ("summary", cmd_summary, "counts as JSON")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("data_dir", nargs="?", type=Path, default=default_data_dir())
        p.set_defaults(func=func)
    import_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
