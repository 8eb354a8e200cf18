"""Byte-level checks on an uploaded file, made before anything parses it.

A file may be refused here for its size, for an .xlsx whose parts would inflate beyond the
limits (read from the zip's directory: nothing is decompressed to find out), for a NUL byte
anywhere in a text file, or for text that is UTF-8 in some lines and another encoding in
others. Limits are documented in data/README.md; together they bound the memory one
import takes (see `make bench`, case upload_limits).
"""
from __future__ import annotations

import codecs
import io
import zipfile

from analysis.core.validation import Problem

MAX_BYTES = 10 * 1024 * 1024        # the largest real list is well under 1 MB
MAX_PART = 64 * 1024 * 1024         # one part of an .xlsx (a sheet, the shared strings), inflated
MAX_UNZIPPED = 128 * 1024 * 1024    # all parts of an .xlsx together, inflated
MAX_PARTS = 500                     # a workbook of a few sheets has a few dozen
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def check(data: bytes, label: str, kind: str) -> Problem | None:
    """The first reason `data` (sniffed as `kind`: zip, text, …) may not be parsed, or None."""
    if len(data) > MAX_BYTES:
        return Problem(label, None, None, "dm.too_large",
                       {"size": size_text(len(data)), "max": size_text(MAX_BYTES)})
    if kind == "zip":
        return _zip_problem(data, label)
    if kind == "text" and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _nul_problem(data, label) or _mixed_problem(data, label)
    return None


def size_text(n: int) -> str:
    """Bytes as MiB for messages, never rounded to a misleading 0.0 or 0.3."""
    mb = n / 1024 / 1024
    return f"{mb:.1f}" if mb >= 0.1 else f"{mb:.3f}"


def _zip_problem(data: bytes, label: str) -> Problem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Problem(label, None, None, "dm.not_xlsx")
    if len(infos) > MAX_PARTS:
        return Problem(label, None, None, "dm.not_xlsx")
    for info in infos:
        # zipfile never inflates a part beyond its declared size (a lie fails the CRC)
        if info.file_size > MAX_PART:
            return Problem(label, None, None, "dm.xlsx_part_too_large",
                           {"part": info.filename[:80], "size": size_text(info.file_size),
                            "max": size_text(MAX_PART)})
        if info.compress_type not in _METHODS or info.flag_bits & 0x1:   # odd or encrypted
            return Problem(label, None, None, "dm.not_xlsx")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        return Problem(label, None, None, "dm.xlsx_too_large",
                       {"size": size_text(total), "max": size_text(MAX_UNZIPPED)})
    return None


def _nul_problem(data: bytes, label: str) -> Problem | None:
    at = data.find(b"\x00")
    if at < 0:
        return None
    return Problem(label, data.count(b"\n", 0, at) + 1, None, "dm.nul_byte")


def _mixed_problem(data: bytes, label: str) -> Problem | None:
    """Some lines are UTF-8 (with real non-ASCII text) and some are not: two files pasted
    together. Decoded whole as GB18030, the UTF-8 lines would be stored as mojibake."""
    if _is_utf8(data):
        return None
    lines = data.split(b"\n")
    utf8 = next((i for i, line in enumerate(lines, 1) if _is_utf8_text(line)), None)
    if utf8 is None:
        return None
    bad = next(i for i, line in enumerate(lines, 1) if not _is_utf8(line))
    return Problem(label, bad, None, "dm.mixed_encoding", {"utf8_line": utf8})


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_text(line: bytes) -> bool:
    """Valid UTF-8 with at least two non-ASCII characters: a GBK line is very rarely that,
    a single accented letter might be by chance."""
    if line.isascii() or not _is_utf8(line):
        return False
    return sum(1 for ch in line.decode("utf-8") if ord(ch) > 127) >= 2
