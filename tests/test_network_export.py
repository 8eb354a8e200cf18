"""Exports read back, with node and edge counts computed straight from the CSV files (not
through the dashboard's code): GEXF and GraphML by networkx, VOSviewer map + network files;
and `python -m analysis network`."""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from analysis.__main__ import main
from tests.conftest import FIXTURE_DIR, SHIPPED_DIR


def _rows(folder: Path, table: str) -> list[dict]:
    out = []
    for path in (folder / f"{table}.csv", folder / "illustrative" / f"{table}.csv"):
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as f:
                out += list(csv.DictReader(f))
    return out


def counts_from_csv(folder: Path, years=None, kinds=None, real_only=False) -> tuple[int, int]:
    """(institutions with an agreement, distinct unordered pairs) in the selection, for views
    over both main cities (every shipped and fixture institution is in one of them)."""
    made_up = {r["base_id"] for r in _rows(folder, "bases") if r["provenance"] == "illustrative"}
    made_up |= {r["school_id"] for r in _rows(folder, "schools") if r["provenance"] == "illustrative"}
    pairs = set()
    for r in _rows(folder, "agreements"):
        year = int(r["signed_on"][:4])
        if years and not years[0] <= year <= years[1] or kinds and r["kind"] not in kinds:
            continue
        if real_only and (r["provenance"] == "illustrative" or {r["party_a_id"], r["party_b_id"]} & made_up):
            continue
        pairs.add(frozenset((r["party_a_id"], r["party_b_id"])))
    return len(set().union(*pairs)) if pairs else 0, len(pairs)


def export(tmp_path, *args) -> Path:
    out = tmp_path / "out"
    assert main(["network", "--out", str(out), "--lang", "en", *args]) == 0
    return out


def check(out: Path, nodes: int, edges: int, agreements: int | None = None) -> None:
    for name, reader in (("network.gexf", nx.read_gexf), ("network.graphml", nx.read_graphml)):
        graph = reader(out / name)
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges), name
        if agreements is not None:
            assert sum(int(d["agreements"]) for *_, d in graph.edges(data=True)) == agreements
    vos_map = (out / "vosviewer_map.txt").read_text(encoding="utf-8").splitlines()
    vos_net = (out / "vosviewer_network.txt").read_text(encoding="utf-8").splitlines()
    assert (len(vos_map) - 1, len(vos_net)) == (nodes, edges)


def test_fixture_export_reads_back_with_attributes(tmp_path, capsys):
    out = export(tmp_path, "--data", str(FIXTURE_DIR))
    assert counts_from_csv(FIXTURE_DIR) == (9, 8)
    check(out, 9, 8, agreements=8)
    graph = nx.read_graphml(out / "network.graphml")
    fb3 = graph.nodes["fb-3"]
    assert (fb3["name_zh"], fb3["name_en"], fb3["type"], fb3["subtype"], fb3["city"]) == (
        "渝中科技馆", "Yuzhong Science Centre", "base", "science_center", "Chongqing")
    assert (fb3["district_code"], fb3["degree"], fb3["weighted_degree"], fb3["community"]) == ("500103", 3, 3, 2)
    assert fb3["cross_betweenness"] == 6.0 and fb3["illustrative"] is False
    assert graph.nodes["fs-4"]["illustrative"] is True
    assert graph.edges["fb-1", "fb-3"]["agreements"] == 1 and graph.edges["fb-1", "fb-3"]["cross_city"]
    assert graph.graph["illustrative_agreements"] == 2
    gexf = nx.read_gexf(out / "network.gexf")
    assert gexf.edges["fb-2", "fs-3"]["weight"] == 1.0
    vos_map = (out / "vosviewer_map.txt").read_text(encoding="utf-8").splitlines()
    assert vos_map[0].split("\t") == ["id", "label", "description", "cluster", "weight<Links>",
                                      "weight<Total link strength>", "score<Betweenness>"]
    assert vos_map[3].split("\t")[:6] == ["3", "Yuzhong Science Centre", "fb-3 · Chongqing", "2", "3", "3"]
    assert "Wrote" in capsys.readouterr().out


@pytest.mark.parametrize("args, selection", [
    (["--no-illustrative"], {"real_only": True}),
    (["--kinds", "base_school", "--years", "2022-2023"], {"kinds": ["base_school"], "years": (2022, 2023)}),
])
def test_fixture_selections(tmp_path, args, selection):
    out = export(tmp_path, "--data", str(FIXTURE_DIR), *args)
    check(out, *counts_from_csv(FIXTURE_DIR, **selection))


@pytest.mark.slow
def test_shipped_default_view_matches_the_csvs(tmp_path):
    nodes, edges = counts_from_csv(SHIPPED_DIR)
    assert nodes > 300 and edges > 800
    check(export(tmp_path), nodes, edges)
    real = counts_from_csv(SHIPPED_DIR, real_only=True)
    check(export(tmp_path / "real", "--no-illustrative"), *real)


def test_bad_years_and_bad_data(tmp_path, data_copy, capsys):
    assert main(["network", "--out", str(tmp_path / "x"), "--years", "twenty", "--lang", "en"]) == 2
    assert "--years twenty: write FIRST-LAST within the data's years" in capsys.readouterr().err
    fixture = ["--data", str(FIXTURE_DIR), "--lang", "en"]
    assert main(["network", "--out", str(tmp_path / "x"), "--years", "2030-2040", *fixture]) == 2
    assert "--years 2030-2040: write FIRST-LAST within the data's years 2021-2023" in capsys.readouterr().err
    assert main(["network", "--out", str(tmp_path / "x"), "--years", "2023-2021", *fixture]) == 2
    assert not (tmp_path / "x").exists()
    folder = data_copy()
    (folder / "bases.csv").write_text("base_id\nx\n", encoding="utf-8")
    assert main(["network", "--out", str(tmp_path / "y"), "--data", str(folder), "--lang", "en"]) == 1
    assert not (tmp_path / "y").exists()


def test_unknown_city_or_kind_is_an_error(tmp_path, capsys):
    args = ["network", "--out", str(tmp_path / "x"), "--data", str(FIXTURE_DIR), "--lang", "en"]
    assert main([*args, "--cities", "Chengdu", "Mianyang"]) == 2
    assert "--cities: unknown value(s) Mianyang; choose from Chengdu, Chongqing" in capsys.readouterr().err
    assert main([*args, "--cities", "Chengdu,Mianyang"]) == 2   # commas work as well as spaces
    assert "--cities: unknown value(s) Mianyang;" in capsys.readouterr().err
    assert main([*args, "--kinds", "treaty"]) == 2
    assert not (tmp_path / "x").exists()


def test_an_empty_selection_still_writes_valid_files(tmp_path):
    out = export(tmp_path, "--data", str(FIXTURE_DIR), "--years", "2021-2021", "--kinds", "other")
    check(out, 0, 0)


def test_vosviewer_labels_are_formula_safe(tmp_path, data_copy):
    folder = data_copy()
    text = (folder / "bases.csv").read_text(encoding="utf-8")
    (folder / "bases.csv").write_text(text.replace("Jinjiang Museum", '=HYPERLINK("http://x")'),
                                      encoding="utf-8")
    out = export(tmp_path, "--data", str(folder))
    row = (out / "vosviewer_map.txt").read_text(encoding="utf-8").splitlines()[1].split("\t")
    # neutralised with an apostrophe, then quoted by the csv writer (it holds quotes)
    assert row[:3] == ["1", '"\'=HYPERLINK(""http://x"")"', "fb-1 · Chengdu"]
    assert nx.read_graphml(out / "network.graphml").nodes["fb-1"]["name_en"] == '=HYPERLINK("http://x")'
