"""Bases and schools from a published list: city, district as written, coordinates when the
list has none, stable ids, and which rows are records the table already has.

A row is an existing record when its normalised name matches one of the same city: it takes
that record's id, and a value the import derived (a centroid, a default precision, "other")
never replaces a value the record already has. Near names are listed, never merged.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from analysis.core.schema import TABLES
from analysis.core.validation import Problem
from analysis.editing.intake.model import DistrictUse, Duplicate, RowRef
from analysis.editing.intake.names import Known, name_key
from analysis.editing.intake.places import Places
from analysis.editing.intake.tables import city_of

CITY_PREFIX = {"Chengdu": "cd", "Chongqing": "cq"}
TABLE_LETTER = {"bases": "b", "schools": "s"}
PRECISION_RANK = {"city": 1, "district": 2, "exact": 3}
DERIVABLE = ("district_code", "lon", "lat", "geo_precision", "category", "stage")


@dataclass
class Found:
    """What was learnt about the rows of one institutions frame."""
    districts: list[DistrictUse] = field(default_factory=list)
    generated: list[RowRef] = field(default_factory=list)
    matched: list[RowRef] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    city_level: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def understand(frame: pd.DataFrame, table: str, file: str, places: Places,
               current: pd.DataFrame | None, city_option: str | None,
               fallback: dict[str, pd.Series] | None = None,
               taken: set[str] | None = None) -> tuple[pd.DataFrame, Found]:
    """`fallback`: per derivable column, the rows whose value is a default (category "other"
    because nothing fitted). `taken`: ids already given out by this import (other tables)."""
    key = TABLES[table].key
    found = Found()
    frame = frame.copy()
    row = pd.Series(frame.index + 2, index=frame.index)
    derived = {c: pd.Series(False, index=frame.index) for c in DERIVABLE}
    for c, mask in (fallback or {}).items():
        derived[c] = mask.reindex(frame.index, fill_value=False)

    # plain dicts in the row loops: a pandas lookup per cell is slow on a long list
    city = cities(frame, file, row, city_option, found).to_dict()
    district = frame.pop("district").to_dict() if "district" in frame else None
    code = frame.get("district_code", pd.Series("", index=frame.index)).astype(str).str.strip().to_dict()
    uses = Counter()
    for i in frame.index:
        if code[i] and not city[i]:
            city[i] = places.city_of_code(code[i]) or ""
        if code[i] or district is None:
            continue
        place = places.resolve(district[i], city[i] or None)
        if place.how == "unknown":
            found.problems.append(Problem(file, int(row[i]), "district", "intake.unknown_district", {
                "value": district[i], "closest": "、".join(places.closest(district[i], city[i] or None))}))
            continue
        code[i] = place.code
        if place.city and not city[i]:
            city[i] = place.city
        uses[(place.written, place.how, place.code, place.name_zh)] += 1
    found.districts = [DistrictUse(*k, n) for k, n in uses.items()]
    code, city = pd.Series(code, dtype=object), pd.Series(city, dtype=object)
    derived["district_code"] |= code == ""     # unknown (or a zone): never clears a known district
    frame["district_code"], frame["city"] = code, city
    refused = {p.line for p in found.problems}
    for i in frame.index[city == ""]:
        if int(row[i]) not in refused:
            found.problems.append(Problem(file, int(row[i]), "city", "intake.no_city"))
    found.problems.sort(key=lambda p: p.line or 0)

    _coordinates(frame, places, derived, found)
    if current is not None and len(current):
        current = current.astype(str)
    _identify(frame, table, key, file, row, current, derived, found, taken or set())
    found.city_level = [r for r in found.city_level if frame.at[r - 2, "geo_precision"] == "city"]
    return frame, found


def cities(frame, file, row, city_option, found) -> pd.Series:
    """A city column (成都 / 成都市 / Chengdu), then --city; district fills the rest later."""
    out = pd.Series("", index=frame.index, dtype=object)
    if "city" in frame:
        for i, written in frame["city"].items():
            if not str(written).strip():
                continue
            city = city_of(written)
            if city is None:
                found.problems.append(Problem(file, int(row[i]), "city", "intake.unknown_city",
                                              {"value": written}))
            out[i] = city or ""
    if city_option:
        out[out == ""] = city_of(city_option) or city_option
    return out


def _coordinates(frame, places, derived, found) -> None:
    """Rows with neither lon nor lat: the district centroid, or the city centre. Never exact."""
    if ("lon" in frame) != ("lat" in frame):
        return   # one of the two is missing: validation says which
    blank = pd.Series("", index=frame.index)
    lon = frame.get("lon", blank).astype(str).to_dict()
    lat = frame.get("lat", blank).astype(str).to_dict()
    precision = frame.get("geo_precision", blank).astype(str).to_dict()
    codes, cities_ = frame["district_code"].to_dict(), frame["city"].to_dict()
    filled = []
    for i in frame.index:
        if lon[i].strip() or lat[i].strip():
            continue
        centroid = places.centroid(codes[i]) if codes[i] else None
        centre = centroid or places.centre(cities_[i])
        if centre is None:
            continue
        lon[i], lat[i] = centre
        precision[i] = "district" if centroid else "city"
        filled.append(i)
        if not centroid:
            found.city_level.append(int(i) + 2)
    for c in ("lon", "lat", "geo_precision"):
        derived[c][filled] = True
    lon, lat, precision = (pd.Series(x, dtype=object) for x in (lon, lat, precision))
    frame["lon"], frame["lat"] = lon, lat
    if "geo_precision" in frame or derived["geo_precision"].any():
        frame["geo_precision"] = precision


def _identify(frame, table, key, file, row, current, derived, found, taken) -> None:
    """Existing record (same normalised name, same city) → its id and its known values;
    otherwise a new id in the table's style; near names listed as possible duplicates."""
    known = Known.of(current, id_columns=(key,))
    ids = frame.get(key, pd.Series("", index=frame.index)).astype(str).str.strip()
    current_by_id = current.set_index(key) if current is not None and len(current) else None
    new_id = IdMaker(set(taken) | set(known.frame["id"]))
    first_row: dict[tuple[str, str], int] = {}
    for i in frame.index:
        name, city = str(frame.at[i, "name_zh"]), frame.at[i, "city"]
        if not name.strip():
            continue
        given = bool(ids[i])
        if not given:
            k = (name_key(name), city)
            if k in first_row:
                found.problems.append(Problem(file, int(row[i]), "name_zh", "intake.same_in_file",
                                              {"row": first_row[k], "value": name}))
                continue
            first_row[k] = int(row[i])
            hits = known.exact(name, city) if city else []
            if hits:
                ids[i] = hits[0]
                found.matched.append(RowRef(int(row[i]), hits[0], name))
                _keep_known(frame, i, current_by_id.loc[hits[0]], derived)
                continue
            if not city:
                continue
            ids[i] = new_id(table, city)
            found.generated.append(RowRef(int(row[i]), ids[i], name))
        elif current_by_id is not None and ids[i] in current_by_id.index:
            found.matched.append(RowRef(int(row[i]), ids[i], name))
            _keep_known(frame, i, current_by_id.loc[ids[i]], derived)
        near = known.near(name, city or None)
        if given:   # an id of the file's own beside a record of the same name
            near += [(h, name) for h in known.exact(name, city or None)]
        found.duplicates += [Duplicate(int(row[i]), name, ids[i], other, other_name)
                             for other, other_name in near if other != ids[i]]
    frame[key] = ids


def _keep_known(frame, i, existing: pd.Series, derived) -> None:
    """A derived value never overwrites a known one; a better derived position may replace a
    derived one (city centre → district centroid). A name that only looks different (spaces,
    full-width brackets) keeps its current spelling."""
    if name_key(frame.at[i, "name_zh"]) == name_key(existing["name_zh"]):
        frame.at[i, "name_zh"] = existing["name_zh"]
    for c in ("district_code", "category", "stage"):
        if c in frame and c in existing and derived[c][i] and existing[c]:
            frame.at[i, c] = existing[c]
    if "lon" in frame and derived["lon"][i] and existing.get("lon"):
        have = PRECISION_RANK.get(existing.get("geo_precision", ""), 3)
        if PRECISION_RANK[frame.at[i, "geo_precision"]] <= have:
            for c in ("lon", "lat", "geo_precision"):
                frame.at[i, c] = existing[c]


class IdMaker:
    """cd-b-081: the city's prefix, the table's letter, one more than the highest number."""

    def __init__(self, taken: set[str]):
        self.last: dict[str, int] = {}
        for t in taken:
            m = _NUMBERED.fullmatch(t)
            if m:
                self.last[m.group(1)] = max(self.last.get(m.group(1), 0), int(m.group(2)))

    def __call__(self, table: str, city: str) -> str:
        prefix = f"{CITY_PREFIX.get(city) or re.sub('[^a-z]', '', city.lower()) or 'x'}-{TABLE_LETTER[table]}-"
        self.last[prefix] = self.last.get(prefix, 0) + 1
        return f"{prefix}{self.last[prefix]:03d}"


_NUMBERED = re.compile(r"(.+-[bs]-)(\d+)")
