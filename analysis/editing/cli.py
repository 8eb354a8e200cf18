"""`python -m analysis import FILE --table TABLE [--mode merge|replace] [--source TEXT]
[--city CITY] [--create-missing] [--data DIR] [--yes]`

The data manager's upload on the command line: the same reading, understanding of a
published list (analysis/editing/intake/), validation, preview, atomic commit and audit log. It runs on the server with access to data/ already, so it asks
for no editor password; the audit log records $USER (see analysis/auth.py).
Without --yes it asks before writing, or, when not run from a terminal, writes nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.core import i18n
from analysis.editing.changes import MODES, Proposal, match_key, note_text
from analysis.editing.intake import report
from analysis.editing.intake.plan import plan
from analysis.core.loading import default_data_dir
from analysis.core.schema import TABLES
from analysis.editing import auth
from analysis.editing.store import CommitRefused, commit_all, recover

SHOW = 50   # lines per section of the printed preview


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="bring a CSV/XLSX file into a real table (preview, commit)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path)
    p.add_argument("--table", required=True, choices=sorted(TABLES))
    p.add_argument("--mode", choices=MODES, default="merge",
                   help="merge by id (default) or replace the whole table")
    p.add_argument("--source", default=None,
                   help="where the list comes from (its URL, or its title and date): the "
                        "provenance of every row (a source column in the file wins for its rows)")
    p.add_argument("--city", default=None, help="city of rows whose city the file does not give")
    p.add_argument("--create-missing", action="store_true",
                   help="agreements: add parties that are not known yet (same source, same commit)")
    p.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    p.add_argument("--yes", action="store_true", help="commit without asking")
    p.add_argument("--lang", choices=i18n.LANGS, default=None,
                   help="message language (default: from $LANG)")
    p.set_defaults(func=run)


def run(args) -> int:
    lang = args.lang or i18n.normalise_lang(os.environ.get("LANG"))
    data_dir = args.data or default_data_dir()
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    if not Path(data_dir).is_dir():
        print(t("dm.cli_no_data_dir", data=data_dir), file=sys.stderr)
        return 1
    recover(data_dir)   # finish what a killed commit left half-done before showing anything
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(t("dm.cli_cannot_read", file=args.file, error=exc.strerror), file=sys.stderr)
        return 1
    found = plan(raw, args.file.name, args.table, data_dir, args.mode, source=args.source,
                 city=args.city, create_missing=args.create_missing)
    if found.upload is None:
        return _fail(found.problems, lang)
    print(t("dm.cli_reading", file=args.file.name, table=args.table, mode=t(f"dm.mode_{args.mode}"),
            data=data_dir))
    for note in found.proposals[-1].notes:
        print("  " + note_text(note, lang))
    for line in report.lines(found.understanding, lang):
        print("  " + line)
    if found.problems:
        return _fail(found.problems, lang, found.existing)
    if not any(p.ok for p in found.proposals):
        print(t("dm.cli_summary", **found.proposals[-1].diff.counts))
        print(t("dm.refused_no_changes"))
        return 0
    for proposal in found.proposals:
        if len(found.proposals) > 1:
            print(t("intake.change", table=proposal.table))
        print(t("dm.cli_summary", **proposal.diff.counts))
        _print_diff(proposal, lang)
    if not args.yes:
        if not sys.stdin.isatty():
            print(t("dm.cli_dry_run"))
            return 0
        if input(t("dm.cli_confirm")).strip().lower() not in ("y", "yes", "是"):
            print(t("dm.cli_dry_run"))
            return 0
    try:
        entries = commit_all(found.proposals, auth.operator_token())
    except CommitRefused as exc:
        print(exc.message(lang), file=sys.stderr)
        return _fail(exc.problems, lang) if exc.problems else 1
    for entry in entries:
        print(t("dm.cli_committed", n=entry.n, table=entry.table,
                snapshot=entry.snapshot or "-", who=entry.who))
    return 0


def _fail(problems, lang: str, existing=()) -> int:
    for p in problems:
        print(p.format(lang))
    if existing:
        print(i18n.t("dm.existing_problems", lang, count=len(existing)))
        for p in existing:
            print("  " + p.format(lang))
    print(i18n.t("dm.cli_problems", lang, count=len(problems)), file=sys.stderr)
    return 1


def _print_diff(proposal: Proposal, lang: str) -> None:
    d, key = proposal.diff, match_key(proposal.table)
    frame = proposal.frame
    names = (dict(zip(map(tuple, frame[key].to_numpy()), frame["name_zh"]))
             if "name_zh" in frame and "name_zh" not in key else {})

    def ident(row) -> str:
        k = tuple(str(row[c]) for c in key)
        name = row.get("name_zh") if "name_zh" in row and "name_zh" not in key else names.get(k)
        return " / ".join(k) + (f"  {name}" if name else "")

    sections = (("+", d.added.to_dict("records")), ("-", d.removed.to_dict("records")))
    for sign, rows in sections:
        for row in rows[:SHOW]:
            print(f"  {sign} {ident(row)}")
        if len(rows) > SHOW:
            print("    " + i18n.t("dm.cli_more", lang, count=len(rows) - SHOW))
    lines = d.changed.to_dict("records")
    for line in lines[:SHOW]:
        print(f"  ~ {ident(line)}: {line['column']}: {line['old']!r} → {line['new']!r}")
    if len(lines) > SHOW:
        print("    " + i18n.t("dm.cli_more", lang, count=len(lines) - SHOW))
