"""`python -m analysis import FILE --table TABLE [--mode merge|replace] [--data DIR] [--yes]`

The data manager's upload on the command line: the same reading, validation, preview,
atomic commit and audit log. It runs on the server with access to data/ already, so it asks
for no editor password; the audit log records $USER (see analysis/auth.py).
Without --yes it asks before writing, or, when not run from a terminal, writes nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.core import i18n
from analysis.core.loading import default_data_dir
from analysis.core.schema import TABLES
from analysis.editing import auth
from analysis.editing.changes import MODES, Proposal, match_key, note_text, prepare
from analysis.editing.store import CommitRefused, commit
from analysis.editing.upload import read_upload

SHOW = 50   # lines per section of the printed preview


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="bring a CSV/XLSX file into a real table (preview, commit)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path)
    p.add_argument("--table", required=True, choices=sorted(TABLES))
    p.add_argument("--mode", choices=MODES, default="merge",
                   help="merge by id (default) or replace the whole table")
    p.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    p.add_argument("--yes", action="store_true", help="commit without asking")
    p.add_argument("--lang", choices=i18n.LANGS, default=None,
                   help="message language (default: from $LANG)")
    p.set_defaults(func=run)


def run(args) -> int:
    lang = args.lang or i18n.normalise_lang(os.environ.get("LANG"))
    data_dir = args.data or default_data_dir()
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(t("dm.cli_cannot_read", file=args.file, error=exc.strerror), file=sys.stderr)
        return 1
    upload = read_upload(raw, args.file.name, args.table)
    if isinstance(upload, list):
        return _fail(upload, lang)
    proposal = prepare(upload, data_dir, args.mode)
    print(t("dm.cli_reading", file=args.file.name, table=args.table, mode=t(f"dm.mode_{args.mode}"),
            data=data_dir))
    for note in proposal.notes:
        print("  " + note_text(note, lang))
    if proposal.problems:
        return _fail(proposal.problems, lang, proposal.existing)
    counts = proposal.diff.counts
    print(t("dm.cli_summary", **counts))
    if proposal.diff.is_empty:
        print(t("dm.refused_no_changes"))
        return 0
    _print_diff(proposal, lang)
    if not args.yes:
        if not sys.stdin.isatty():
            print(t("dm.cli_dry_run"))
            return 0
        if input(t("dm.cli_confirm")).strip().lower() not in ("y", "yes", "是"):
            print(t("dm.cli_dry_run"))
            return 0
    try:
        entry = commit(proposal, auth.operator_token())
    except CommitRefused as exc:
        print(exc.message(lang), file=sys.stderr)
        return _fail(exc.problems, lang) if exc.problems else 1
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
