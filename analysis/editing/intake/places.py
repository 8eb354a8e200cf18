"""District as written → district_code, and the coordinates a record gets when its list has
none: the district's centroid (geo_precision = district) or the city centre (= city).

The rules and the alias table are in value_aliases.toml ([districts.*]). Functional zones
(高新区, 两江新区, ...) are never guessed into a district: such a record is city-level.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.editing.intake.tables import city_names, config, norm
from analysis.core.loading import read_part

SUFFIXES = ("土家族苗族自治县", "苗族土家族自治县", "土家族自治县", "自治县", "区", "县", "市")


@dataclass(frozen=True)
class Place:
    """What a district as written resolved to."""
    written: str
    how: str                     # district | alias | former | zone | blank | unknown
    code: str = ""
    name_zh: str = ""
    city: str = ""

    @property
    def city_level(self) -> bool:
        return self.how in ("zone", "blank")


class Places:
    """The districts of one data folder (districts.csv), and the city centres."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        part = read_part(self.data_dir / "districts.csv", "districts", "data/districts.csv") \
            if (self.data_dir / "districts.csv").is_file() else None
        frame = part.frame if part is not None and hasattr(part, "frame") else pd.DataFrame(
            columns=["district_code", "name_zh", "city", "lon", "lat"])
        self.districts = frame[["district_code", "name_zh", "city", "lon", "lat"]].astype(str)

    @cached_property
    def _lookup(self) -> dict[str, list[tuple[int, str]]]:
        """Normalised name or stem → [(row, how)], so an ambiguous stem can be told apart."""
        out: dict[str, list[tuple[int, str]]] = {}
        for i, name in enumerate(self.districts["name_zh"]):
            full = norm(name)
            out.setdefault(full, []).append((i, "district"))
            stem = _stem(full)
            if stem != full and len(stem) >= 2:
                out.setdefault(stem, []).append((i, "alias"))
        names = {norm(n): i for i, n in enumerate(self.districts["name_zh"])}
        for old, new in config()["districts"]["former"].items():
            if norm(new) in names:
                out.setdefault(norm(old), []).insert(0, (names[norm(new)], "former"))
        return out

    def resolve(self, written: str, city: str | None = None) -> Place:
        """A district as written, within `city` when the city is known."""
        text = _without_city(norm(written))
        if not text or norm(written).removesuffix("市") in city_names():
            return Place(written, "blank")
        if _is_zone(text):
            return Place(written, "zone", city=_zone_city(norm(written)) or "")
        for key in (text, _stem(text)):
            hits = [(i, how) for i, how in self._lookup.get(key, [])
                    if city is None or self.districts.at[i, "city"] == city]
            if len({i for i, _ in hits}) == 1:
                i, how = hits[0]
                row = self.districts.iloc[i]
                return Place(written, how, row["district_code"], row["name_zh"], row["city"])
        return Place(written, "unknown")

    def closest(self, written: str, city: str | None, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process
        names = self.districts.loc[self.districts["city"] == city, "name_zh"] if city else \
            self.districts["name_zh"]
        found = process.extract(norm(written), [norm(n) for n in names], scorer=fuzz.WRatio,
                                limit=limit)
        return [names.iloc[i] for _, _, i in found]

    @cached_property
    def _by_code(self) -> dict[str, tuple[str, str, str]]:
        return {r.district_code: (r.city, r.lon, r.lat) for r in self.districts.itertuples()}

    def city_of_code(self, code: str) -> str | None:
        return self._by_code.get(code, (None,))[0]

    def centroid(self, code: str) -> tuple[str, str] | None:
        hit = self._by_code.get(code)
        return hit[1:] if hit else None

    @cached_property
    def _centres(self) -> dict[str, tuple[str, str]]:
        """City → centre: cities.csv (lon, lat) when the folder has it, otherwise the mean of
        the city's district centroids."""
        out = {}
        path = self.data_dir / "cities.csv"
        if path.is_file():
            cities = pd.read_csv(path, dtype=str, keep_default_na=False)
            if {"city", "lon", "lat"} <= set(cities.columns):
                out = {r.city: (r.lon, r.lat) for r in cities.itertuples() if r.lon and r.lat}
        d = self.districts.assign(lon=pd.to_numeric(self.districts["lon"], errors="coerce"),
                                  lat=pd.to_numeric(self.districts["lat"], errors="coerce"))
        for city, g in d.dropna(subset=["lon", "lat"]).groupby("city"):
            out.setdefault(city, (f"{g['lon'].mean():.4f}", f"{g['lat'].mean():.4f}"))
        return out

    def centre(self, city: str) -> tuple[str, str] | None:
        return self._centres.get(city)


def _stem(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _without_city(text: str) -> str:
    """成都市锦江区 → 锦江区; 重庆两江新区 → 两江新区 (a city name alone stays)."""
    for word in sorted(city_names(), key=len, reverse=True):
        if word.isascii() or len(word) < 2:
            continue
        for prefix in (word + "市", word):
            if text.startswith(prefix) and len(text) > len(prefix):
                return text[len(prefix):]
    return text


def _is_zone(text: str) -> bool:
    zones = config()["districts"]["zones"]
    listed = {norm(z) for words in zones.values() for z in words}
    return text in listed or any(norm(p) in text for p in zones["patterns"])


def _zone_city(written: str) -> str | None:
    """The city of a zone listed under it, or named in front of it (重庆高新区)."""
    zones = config()["districts"]["zones"]
    for city in city_names().values():
        if written in {norm(z) for z in zones.get(city, ())}:
            return city
    start = written[:2]
    return city_names().get(start) if start != written else None
