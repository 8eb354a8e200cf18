"""The held-in corpus of hostile upload files (issue 11). Built in memory at test time:
size bombs are never stored. REFUSED: id -> (file name, builder, problem code, row or None,
phrase of the message). ACCEPTED: id -> (file name, builder, {(base_id, column): stored value})."""
from __future__ import annotations

import io
import zipfile

from tests.data_manager_files import NEW_BASE, fixture_text, xlsx

HEADER = fixture_text("bases").splitlines()[0]
FIELDS = HEADER.split(",")


def row(**values) -> str:
    """NEW_BASE with some fields replaced (CSV-quoted where needed)."""
    cells = dict(zip(FIELDS, NEW_BASE.split(",")))
    cells.update(values)
    return ",".join(f'"{v}"' if any(c in v for c in ',"\n') else v for v in cells.values())


def csv(*rows: str, encoding="utf-8") -> bytes:
    return (HEADER + "\n" + "".join(r + "\n" for r in rows)).encode(encoding)


def mixed_early() -> bytes:
    # the issue's file: first rows UTF-8, a later row GBK (decoded whole as GB18030 before)
    return csv(row(base_id="fb-20", name_zh="测试科普基地1")) + \
        (row(base_id="fb-21", name_zh="测试科普基地2") + "\n").encode("gbk")


def zip_with(parts: dict[str, int], method=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip whose parts inflate to the given sizes (repeated text: tiny when deflated)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, size in parts.items():
            with zf.open(name, "w", force_zip64=True) as f:
                chunk = b"<c><v>A</v></c>" * 65536
                for _ in range(size // len(chunk)):
                    f.write(chunk)
                f.write(chunk[: size % len(chunk)])
    return buf.getvalue()


def broken_sheet() -> bytes:
    """A real workbook whose sheet XML is cut off half-way."""
    good = xlsx([FIELDS, NEW_BASE.split(",")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, data[: len(data) // 2] if "worksheets/" in info.filename else data)
    return out.getvalue()


def cells_xlsx(**values) -> bytes:
    cells = dict(zip(FIELDS, NEW_BASE.split(",")))
    cells.update(values)
    return xlsx([FIELDS, list(cells.values())])


MiB = 1024 * 1024
REFUSED = {
    "mixed_encoding_early": ("bases.csv", mixed_early, "dm.mixed_encoding", 3, "line 2 is UTF-8"),
    "xlsx_one_cell_300_mib": ("bomb.xlsx", lambda: zip_with({"[Content_Types].xml": 100,
                                                             "xl/sharedStrings.xml": 300 * MiB}),
                              "dm.xlsx_part_too_large", None,
                              "'xl/sharedStrings.xml' of this Excel file inflates to 300.0 MB; the limit is 64.0 MB"),
    "xlsx_parts_180_mib": ("parts.xlsx", lambda: zip_with({f"xl/worksheets/sheet{i}.xml": 60 * MiB
                                                          for i in (1, 2, 3)}),
                          "dm.xlsx_too_large", None, "inflates to 180.0 MB; the limit is 128.0 MB"),
    "xlsx_lzma": ("odd.xlsx", lambda: zip_with({"xl/workbook.xml": 1000}, zipfile.ZIP_LZMA),
                  "dm.not_xlsx", None, "cannot be opened as an Excel workbook"),
    "xlsx_cut_sheet": ("cut.xlsx", broken_sheet, "dm.not_xlsx", None, "cannot be opened as an Excel workbook"),
    "name_5000_chars": ("bases.csv", lambda: csv(row(name_zh="长" * 5000)), "too_long", 2,
                        "longer than 200 characters"),
    "xlsx_cell_1_mib": ("long.xlsx", lambda: cells_xlsx(name_en="x" * MiB), "too_long", 2,
                        "longer than 200 characters"),
    "nul_after_64_kib": ("bases.csv", lambda: csv(*[row(base_id=f"fb-{i}") for i in range(20, 900)])
                         + b"fb-9\x00,x\n", "dm.nul_byte", 882, "NUL byte"),
    "id_with_path": ("bases.csv", lambda: csv(row(base_id="../../etc/passwd")), "bad_id", 2,
                     "not a valid id"),
    "id_with_newline": ("bases.csv", lambda: csv(row(base_id="fb\n9")), "bad_id", 2, "not a valid id"),
    "invisible_only_name": ("bases.csv", lambda: csv(row(name_zh="\u200b\u200d")), "dm.invisible_only",
                            2, "only invisible characters"),
    "full_width_bad_year": ("bases.csv", lambda: csv(row(designated_year="２０２３年")), "not_int", 2,
                            "is not a whole number"),
    "same_column_twice": ("bases.csv", lambda: (HEADER + ",名称\n" + NEW_BASE + ",x\n").encode(),
                          "duplicate_column", 1, "column name appears twice"),
    "formula_full_row": ("bases.xlsx", lambda: cells_xlsx(name_en='=HYPERLINK("http://x.example","c")'),
                         "dm.formula_cell", 2, "holds a formula"),
}

MARKUP = "![d](http://127.0.0.1:9/x.png)<img src=x onerror=alert(1)>"
ACCEPTED = {
    "full_width_numbers": ("bases.csv", lambda: csv(row(designated_year="２０２３", lon="１０４．１６",
                                                        lat="３０。８２", district_code="５１０１０４")),
                           {("fb-9", "designated_year"): "2023", ("fb-9", "lon"): "104.16",
                            ("fb-9", "lat"): "30.82", ("fb-9", "district_code"): "510104"}),
    "full_width_numbers_xlsx": ("bases.xlsx", lambda: cells_xlsx(designated_year="２０２３", lon="１０４．１６"),
                                {("fb-9", "designated_year"): "2023", ("fb-9", "lon"): "104.16"}),
    "zero_width_in_id": ("bases.csv", lambda: csv(row(base_id="fb-\u200b9\ufeff")), {("fb-9", "name_zh"): "新都科技馆"}),
    "upper_case_id_is_the_same_base": ("bases.csv", lambda: csv(row(base_id=" FB-1 ", name_en="Jinjiang Museum (new)")),
                                       {("fb-1", "name_en"): "Jinjiang Museum (new)"}),
    "full_width_id": ("bases.csv", lambda: csv(row(base_id="ＦＢ－９")), {("fb-9", "city"): "Chengdu"}),
    "markup_name_stored_verbatim": ("bases.csv", lambda: csv(row(name_en=MARKUP)), {("fb-9", "name_en"): MARKUP}),
    "spaces_and_tabs_in_a_name": ("bases.csv", lambda: csv(row(name_en="Xindu \u3000 Science\tHall\u00a0")),
                                  {("fb-9", "name_en"): "Xindu Science Hall"}),
}
