"""Helpers for the import tests: run the command on a file built at test time, and read back
a real table as CSV lines. Names follow the shapes of shared/reference/bases_listed.csv."""
from __future__ import annotations

import hashlib

from analysis.__main__ import main

SOURCE = "https://example.gov.cn/kpjd-2024"   # a list's URL, as staff would give it
# Chengdu's centre in the fixture's cities.csv: where a city-level record is placed.
CHENGDU_CENTRE = ("104.0657", "30.6574")


def files_in(d) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and p.name != ".lock"}


def run(capsys, path, table, data, *extra, lang="en"):
    """(exit code, stdout, stderr) of `python -m analysis import`."""
    rc = main(["import", str(path), "--table", table, "--data", str(data), "--lang", lang, *extra])
    out = capsys.readouterr()
    return rc, out.out, out.err


def lines(data, table) -> list[str]:
    return (data / f"{table}.csv").read_text(encoding="utf-8").splitlines()


def new_lines(data, table, before: list[str]) -> list[str]:
    return [line for line in lines(data, table) if line not in before]
