"""Files the app serves from static/ (analysis/core/served.py): written once under a name that
changes with their content, earlier ones removed, never half-written; the district shapes the
map's traces name by address are every district's, exactly as shipped."""
from __future__ import annotations

import json

from analysis.core import geo, served


def test_a_served_file_is_written_once_replaced_when_cut_short_and_earlier_ones_go(tmp_path, monkeypatch):
    monkeypatch.setattr(served, "STATIC_DIR", tmp_path)
    src = served.served_file("shapes", "v2", ".json", b'{"a": 1}')
    assert src == "app/static/shapes-v2.json"
    path = tmp_path / "shapes-v2.json"
    assert path.read_bytes() == b'{"a": 1}'
    written = path.stat().st_mtime_ns
    assert served.served_file("shapes", "v2", ".json", b'{"a": 1}') == src
    assert path.stat().st_mtime_ns == written                     # already there: not rewritten
    path.write_bytes(b'{"a"')                                      # a file cut short is replaced
    assert served.served_file("shapes", "v2", ".json", b'{"a": 1}') == src
    assert path.read_bytes() == b'{"a": 1}'
    (tmp_path / "shapes-v1.json").write_bytes(b"older")
    (tmp_path / "other-v1.json").write_bytes(b"another stem")
    assert served.served_file("shapes", "v2", ".json", b'{"a": 1}') == src
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-v1.json", "shapes-v2.json"]


def test_a_folder_that_cannot_be_written_gives_no_address(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setattr(served, "STATIC_DIR", tmp_path / "a-file")
    assert served.served_file("shapes", "v1", ".json", b"{}") is None


def test_the_served_districts_are_the_shipped_shapes_and_their_name_follows_them(tmp_path, monkeypatch):
    monkeypatch.setattr(served, "STATIC_DIR", tmp_path)
    src = geo.served_districts()
    path = tmp_path / src.removeprefix("app/static/")
    shipped = geo.districts_geojson()
    sent = json.loads(path.read_text())
    assert [f["id"] for f in sent["features"]] == [f["id"] for f in shipped["features"]]
    assert [f["geometry"] for f in sent["features"]] == [f["geometry"] for f in shipped["features"]]
    assert geo.trace_shapes(["510104"], src) == src
    assert [f["id"] for f in geo.trace_shapes(["510104"], None)["features"]] == ["510104"]

    other = tmp_path / "other.geojson"              # other shapes: another name, the first gone
    other.write_text(json.dumps({"type": "FeatureCollection", "features": shipped["features"][:3]}))
    moved = geo.served_districts(other)
    assert moved != src and [p.name for p in tmp_path.glob("districts-*")] == [moved.removeprefix("app/static/")]
    assert geo.served_districts() == src and path.is_file()   # named again: written again
