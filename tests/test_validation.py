"""One test per validation rule, each on a copy of the fixture with a single defect."""
from __future__ import annotations

import datetime as dt

import pytest

from analysis.__main__ import main as cli
from analysis.core.loading import load

TODAY = dt.date(2026, 11, 25)


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(data_dir):
    dataset, problems = load(data_dir, today=TODAY)
    assert dataset is None
    for p in problems:  # every code has a message in both languages
        assert p.format("zh") and p.format("en")
    return [(p.file, p.line, p.column, p.code) for p in problems]


def test_fixture_is_valid(data_copy):
    dataset, problems = load(data_copy(), today=TODAY)
    assert problems == [] and len(dataset.tables["agreements"]) == 8


@pytest.mark.parametrize("table, old, new, expected", [
    ("bases.csv", "fb-2,武侯大学基地,Wuhou University Base,university,national",
     "fb-2,,Wuhou University Base,university,national", ("bases.csv", 3, "name_zh", "required")),
    ("bases.csv", ",2018,https://example.org/fb-2", ",20x8,https://example.org/fb-2",
     ("bases.csv", 3, "designated_year", "not_int")),
    ("bases.csv", "104.0300,30.6300", "104.03O0,30.6300", ("bases.csv", 3, "lon", "not_float")),
    ("bases.csv", "104.0300,30.6300", "121.4700,30.6300", ("bases.csv", 3, "lon", "out_of_region")),
    ("bases.csv", "104.0300,30.6300", "104.0300,39.9000", ("bases.csv", 3, "lat", "out_of_region")),
    ("bases.csv", "university,national", "university,global", ("bases.csv", 3, "level", "not_allowed")),
    ("bases.csv", "Wuhou University Base,university", "Wuhou University Base,college",
     ("bases.csv", 3, "category", "not_allowed")),
    ("bases.csv", ",2018,https://example.org/fb-2", ",1800,https://example.org/fb-2",
     ("bases.csv", 3, "designated_year", "year_range")),
    ("bases.csv", "Chengdu,510107,104.0300", "Chengdu,5101O7,104.0300",
     ("bases.csv", 3, "district_code", "bad_code")),
    ("bases.csv", "Chengdu,510107,104.0300", "Chengdu,510199,104.0300",
     ("bases.csv", 3, "district_code", "unknown_district")),
    ("bases.csv", "https://example.org/fb-2", "a web page", ("bases.csv", 3, "provenance", "bad_provenance")),
    ("bases.csv", "fb-6,重庆城市基地", "fb-1,重庆城市基地", ("bases.csv", 7, "base_id", "duplicate_id")),
    ("schools.csv", "fs-5,双流小学", "fb-2,双流小学", ("schools.csv", 6, "school_id", "id_clash")),
    ("schools.csv", "fs-2,武侯中学,Wuhou Middle School,middle", "fs-2,武侯中学,Wuhou Middle School,kindergarten",
     ("schools.csv", 3, "stage", "not_allowed")),
    ("agreements.csv", "2022-05-01", "2022-02-30", ("agreements.csv", 4, "signed_on", "bad_date")),
    ("agreements.csv", "2022-05-01", "01/05/2022", ("agreements.csv", 4, "signed_on", "bad_date")),
    ("agreements.csv", "2022-05-01", "2027-05-01", ("agreements.csv", 4, "signed_on", "future_date")),
    ("agreements.csv", "fa-3,base_school,fb-2,fs-3", "fa-3,base_school,fb-2,fs-9",
     ("agreements.csv", 4, "party_b_id", "unknown_party")),
    ("agreements.csv", "fa-3,base_school,fb-2,fs-3", "fa-3,base_school,fb-2,fb-3",
     ("agreements.csv", 4, "party_b_id", "must_be_school")),
    ("agreements.csv", "fa-3,base_school,fb-2,fs-3", "fa-3,base_school,fs-2,fs-3",
     ("agreements.csv", 4, "party_a_id", "must_be_base")),
    ("agreements.csv", "fa-6,base_base,fb-2,fb-4", "fa-6,base_base,fb-2,fs-4",
     ("agreements.csv", 7, "party_b_id", "must_be_base")),
    ("agreements.csv", "fa-6,base_base,fb-2,fb-4", "fa-6,base_base,fb-2,fb-2",
     ("agreements.csv", 7, "party_b_id", "same_party")),
    ("agreements.csv", "fa-6,base_base", "fa-6,partnership", ("agreements.csv", 7, "kind", "not_allowed")),
    ("agreements.csv", "forum-2021,Cross", "forum-1999,Cross", ("agreements.csv", 2, "event_id", "unknown_event")),
    ("events.csv", "2022-06-01,Chengdu", ",Chengdu", ("events.csv", 3, "date", "required")),
    ("honours.csv", "2023,messenger", "2023,medal", ("honours.csv", 2, "list", "not_allowed")),
    ("districts.csv", "500118,永川区", "500103,永川区", ("districts.csv", 7, "district_code", "duplicate_id")),
    ("districts.csv", "1200000,2023", "1.2e6,2023", ("districts.csv", 7, "population", "not_int")),
])
def test_value_rules(data_copy, table, old, new, expected):
    d = data_copy()
    edit(d / table, old, new)
    assert problems_of(d) == [expected]


def test_missing_and_unknown_columns(data_copy):
    d = data_copy()
    edit(d / "schools.csv", "school_id,name_zh,name_en,stage", "school_id,name_zh,name_english,stage")
    assert problems_of(d) == [("schools.csv", 1, "name_english", "unknown_column")]
    edit(d / "schools.csv", "school_id,name_zh,name_english,stage", "school_id,title,name_en,stage")
    got = problems_of(d)
    assert ("schools.csv", 1, "name_zh", "missing_column") in got
    assert ("schools.csv", 1, "title", "unknown_column") in got


def test_duplicate_column(data_copy):
    d = data_copy()
    edit(d / "honours.csv", "year,list,name_zh,name_en,affiliation,city,provenance",
         "year,list,name_zh,name_en,affiliation,affiliation,provenance")
    assert ("honours.csv", 1, "affiliation", "duplicate_column") in problems_of(d)


def test_missing_file(data_copy):
    d = data_copy()
    (d / "events.csv").unlink()
    # reported once: references to the missing table are not flagged one by one
    assert problems_of(d) == [("events.csv", None, None, "file_missing")]


def test_empty_file(data_copy):
    d = data_copy()
    (d / "honours.csv").write_text("", encoding="utf-8")
    assert problems_of(d) == [("honours.csv", 1, None, "empty_file")]


def test_not_utf8(data_copy):
    d = data_copy()
    raw = (d / "schools.csv").read_text(encoding="utf-8").encode("gb18030")
    (d / "schools.csv").write_bytes(raw)
    (problem,) = load(d, today=TODAY)[1]
    assert (problem.file, problem.line, problem.code) == ("schools.csv", 2, "not_utf8")


def test_ragged_row(data_copy):
    d = data_copy()
    edit(d / "events.csv", "2022-06-01,Chengdu,,,,", "2022-06-01,Chengdu,,,,,,")
    (problem,) = load(d, today=TODAY)[1]
    assert (problem.file, problem.line, problem.code) == ("events.csv", 3, "parse_error")


def test_illustrative_folder_holds_only_illustrative_rows(data_copy):
    d = data_copy()
    (d / "illustrative").mkdir()
    (d / "illustrative" / "schools.csv").write_text(
        "school_id,name_zh,name_en,stage,city,district_code,lon,lat,geo_precision,provenance\n"
        "ill-s-1,示例学校,Illustrative school,primary,Chengdu,510104,104.1,30.6,exact,illustrative\n"
        "ill-s-2,冒充真实,Posing as real,primary,Chengdu,510104,104.1,30.6,exact,https://example.org\n"
        "fs-1,重复,Duplicate,primary,Chengdu,510104,104.1,30.6,exact,illustrative\n",
        encoding="utf-8")
    assert problems_of(d) == [
        ("illustrative/schools.csv", 3, "provenance", "not_illustrative"),
        ("illustrative/schools.csv", 4, "school_id", "duplicate_id"),
    ]


def test_every_problem_reported_at_once_in_order(data_copy):
    d = data_copy()
    edit(d / "agreements.csv", "2022-05-01", "2022-13-01")
    edit(d / "bases.csv", "104.0300,30.6300", "204.0300,30.6300")
    edit(d / "schools.csv", "primary,Chengdu,510116", "toddler,Chengdu,510116")
    assert problems_of(d) == [
        ("agreements.csv", 4, "signed_on", "bad_date"),
        ("bases.csv", 3, "lon", "out_of_region"),
        ("schools.csv", 6, "stage", "not_allowed"),
    ]


def test_huge_numbers_of_problems_are_summarised(data_copy):
    d = data_copy()
    header = (d / "schools.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = [f"x-{i},学校{i},,primary,Chengdu,,104.1,30.6,bogus,https://example.org" for i in range(500)]
    (d / "schools.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    got = load(d, today=TODAY)[1]
    bogus = [p for p in got if p.column == "geo_precision"]
    assert len(bogus) == 201
    assert bogus[0].line is None and bogus[0].code == "more_like_this"
    assert bogus[0].params["count"] == 300


def test_messages_in_both_languages(data_copy):
    d = data_copy()
    edit(d / "agreements.csv", "fa-3,base_school,fb-2,fs-3", "fa-3,base_school,fb-2,fb-3")
    (p,) = load(d, today=TODAY)[1]
    assert p.format("en") == "agreements.csv:4: party_b_id: 'fb-3' must be a school in a base_school agreement"
    assert p.format("zh") == "agreements.csv:4: party_b_id: “fb-3”在 base_school 协议中应为学校"


def test_cli_validate(data_copy, capsys):
    d = data_copy()
    assert cli(["validate", str(d)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    edit(d / "agreements.csv", "2022-05-01", "2022-13-01")
    edit(d / "bases.csv", "104.0300,30.6300", "204.0300,30.6300")
    assert cli(["validate", str(d)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["agreements.csv:4: signed_on: '2022-13-01' is not a valid date in YYYY-MM-DD form",
                   "bases.csv:3: lon: 204.0300 is outside the Sichuan–Chongqing area (97.3–110.2)"]


def test_cities_missing_column_and_bad_lon(data_copy):
    d = data_copy()
    edit(d / "cities.csv", "Chongqing,重庆市,Chongqing,106.5770,", "Chongqing,重庆市,Chongqing,121.4700,")
    dataset, problems = load(d, today=TODAY)
    assert dataset is None
    assert [str(p) for p in problems] == [
        "cities.csv:3: lon: 121.4700 is outside the Sichuan–Chongqing area (97.3–110.2)"]
    edit(d / "cities.csv", "city,name_zh,name_en,lon,lat", "city,name_zh,name_en,longitude,lat")
    _, problems = load(d, today=TODAY)
    assert [p.format("en") for p in problems] == [
        "cities.csv:1: lon: required column is missing",
        "cities.csv:1: longitude: unknown column (expected: city, name_zh, name_en, lon, lat, "
        "population, population_year, provenance)"]
    assert problems[0].format("zh") == "cities.csv:1: lon: 缺少必填列"


def test_cities_required_values_and_unique_city(data_copy):
    d = data_copy()
    edit(d / "cities.csv", "Chongqing,重庆市,Chongqing", "Chengdu,,Chongqing")
    assert problems_of(d) == [("cities.csv", 3, "city", "duplicate_id"),
                              ("cities.csv", 3, "name_zh", "required")]


def test_cities_file_missing(data_copy):
    d = data_copy()
    (d / "cities.csv").unlink()
    assert problems_of(d) == [("cities.csv", None, None, "file_missing")]


def test_one_population_year_for_districts_and_cities(data_copy):
    d = data_copy()
    edit(d / "cities.csv", "2000000,2023", "2000000,2020")
    dataset, problems = load(d, today=TODAY)
    assert dataset is None
    assert [str(p) for p in problems] == [
        "cities.csv:2: population_year: population year 2020 differs from 2023 at districts.csv:2: "
        "every per-resident rate uses one census year"]


def test_a_population_needs_its_year(data_copy):
    d = data_copy()
    edit(d / "districts.csv", "1200000,2023", "1200000,")
    assert problems_of(d) == [("districts.csv", 7, "population_year", "population_year_missing")]


def test_a_published_list_by_title_is_a_valid_provenance(tmp_path):
    import shutil

    from analysis.core.loading import load
    from tests.conftest import FIXTURE_DIR

    d = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, d)
    text = (d / "bases.csv").read_text(encoding="utf-8").splitlines()
    head, first = text[0], text[1].rsplit(",", 1)[0]
    (d / "bases.csv").write_text("\n".join([head, first + ",list:2024年成都市科普基地名单", *text[2:]]) + "\n",
                                 encoding="utf-8")
    assert load(d)[1] == []
    (d / "bases.csv").write_text("\n".join([head, first + ",list:", *text[2:]]) + "\n", encoding="utf-8")
    assert [p.code for p in load(d)[1]] == ["bad_provenance"]
